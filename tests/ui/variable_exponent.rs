// Mistake: a voltage raised to a parameter (`v^n`): the result's dimension would depend on `n`.
spyks::neuron_model! {
    model Power;
    parameters { tau: 20 ms, n: 2, k: 1 }
    state { v: 1 mV }
    equations { dv/dt = -k * v^n / tau }
}

fn main() {}
