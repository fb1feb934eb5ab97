// Mistake: in the `inf`/`tau` form, `tau` is a rate instead of a time.
spyks::neuron_model! {
    model Gate;
    parameters { k: 2 1/ms }
    state { n: 0.3 }
    equations { n: inf = 0.5, tau = k }
}

fn main() {}
