// Mistake: a raw identifier (`r#type`) used as a parameter name.
spyks::neuron_model! {
    model Kw;
    parameters { r#type: 1 1/ms }
    state { x: 1 }
    equations { dx/dt = -r#type * x }
}

fn main() {}
