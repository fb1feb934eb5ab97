// Mistake: a misspelt function name (`exq` for `exp`); the error suggests the right one.
spyks::neuron_model! {
    model ExpDecay;
    parameters { tau: 20 ms, v0: 10 mV }
    state { v: -70 mV }
    equations { dv/dt = -v / tau * exq(v / v0) }
}

fn main() {}
