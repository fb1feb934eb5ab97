// Mistake: in the `alpha`/`beta` form, `alpha` is a time instead of a rate (1/time).
spyks::neuron_model! {
    model Gate;
    parameters { tau_a: 2 ms, b: 0.5 1/ms }
    state { m: 0.05 }
    equations { m: alpha = tau_a, beta = b }
}

fn main() {}
