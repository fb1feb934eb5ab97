// Mistake: a misspelt section name (`equation` for `equations`).
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms }
    state { v: -70 mV }
    equation { dv/dt = -v / tau }
}

fn main() {}
