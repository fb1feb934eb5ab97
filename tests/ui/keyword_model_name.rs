// Mistake: a Rust keyword (`r#type`, written raw) used as the model's name.
spyks::neuron_model! {
    model r#type;
    parameters { tau: 1 ms }
    state { x: 1 }
    equations { dx/dt = -x / tau }
}

// Mistake: a Rust keyword as the model's name.
mod plain {
    spyks::neuron_model! {
        model fn;
        state { x: 1 }
        equations { dx/dt = -x }
    }
}

fn main() {}
