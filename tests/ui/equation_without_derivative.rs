// Mistake: an equation written as `v = ...` instead of `dv/dt = ...`.
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms }
    state { v: -70 mV }
    equations { v = -v / tau }
}

fn main() {}
