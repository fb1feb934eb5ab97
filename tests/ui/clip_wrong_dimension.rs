// Mistake: a voltage clipped at a time.
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms }
    state { v: -70 mV }
    equations { dv/dt = -v / tau }
    clip { v <= 30 ms }
}

fn main() {}
