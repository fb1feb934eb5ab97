// Mistake: the two branches of an `if` have different dimensions (a voltage and a time).
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms, v_th: -50 mV }
    state { v: -70 mV }
    expressions { drive = if v < v_th { v_th } else { tau } }
    equations { dv/dt = (drive - v) / tau }
}

fn main() {}
