// Mistake: a raw identifier (`r#Kw`) used as the model's name.
spyks::neuron_model! {
    model r#Kw;
    parameters { tau: 1 ms }
    state { x: 1 }
    equations { dx/dt = -x / tau }
}

fn main() {
    // The fallback type still exists under the plain name.
    let _ = std::mem::size_of::<Kw>();
}
