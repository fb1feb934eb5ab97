// Mistake: a misspelt keyword in a kinetic equation (`tua` for `tau`).
spyks::neuron_model! {
    model Gate;
    state { n: 0.3 }
    equations { n: inf = 0.5, tua = 2 ms }
}

fn main() {}
