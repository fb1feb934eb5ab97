// Mistake: `min` called with one argument instead of two.
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms, a: 5 mV }
    state { v: -70 mV }
    equations { dv/dt = (min(a) - v) / tau }
}

fn main() {}
