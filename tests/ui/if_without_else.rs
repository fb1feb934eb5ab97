// Mistake: an `if` expression without an `else` branch.
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms, v_th: -50 mV }
    state { v: -70 mV }
    equations { dv/dt = if v < v_th { -v / tau } }
}

fn main() {}
