// Mistake: `exp` of a voltage; the argument of `exp` must be dimensionless.
spyks::neuron_model! {
    model ExpIf;
    parameters { tau: 20 ms, e_l: -70 mV, delta: 2 mV }
    state { v: -70 mV }
    equations { dv/dt = (e_l - v + delta * exp(v)) / tau }
}

fn main() {}
