// Mistake: two equations for the same state variable.
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms }
    state { v: -70 mV }
    equations {
        dv/dt = -v / tau,
        dv/dt = v / tau,
    }
}

fn main() {}
