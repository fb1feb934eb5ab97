// Mistake: the state variable `u` is declared but has no equation.
spyks::neuron_model! {
    model TwoVar;
    parameters { tau: 20 ms }
    state { v: -70 mV, u: 0 mV }
    equations { dv/dt = -v / tau }
}

fn main() {}
