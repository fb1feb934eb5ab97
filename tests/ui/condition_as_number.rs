// Mistake: a comparison used where a number is expected.
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms, v_th: -50 mV }
    state { v: -70 mV }
    equations { dv/dt = (v >= v_th) / tau }
}

fn main() {}
