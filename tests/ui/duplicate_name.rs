// Mistake: the same name is declared as a parameter and as a state variable.
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms, v: -70 mV }
    state { v: -70 mV }
    equations { dv/dt = -v / tau }
}

fn main() {}
