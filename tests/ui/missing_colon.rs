// Mistake: a declaration without the colon between name and value (`tau 20 ms`).
spyks::neuron_model! {
    model Lif;
    parameters { tau 20 ms }
    state { v: -70 mV }
    equations { dv/dt = -v / tau }
}

fn main() {}
