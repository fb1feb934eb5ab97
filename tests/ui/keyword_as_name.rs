// Mistake: a Rust keyword (`type`) used as a parameter name.
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms, type: 1 mV }
    state { v: -70 mV }
    equations { dv/dt = -v / tau }
}

fn main() {}
