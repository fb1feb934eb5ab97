// Mistake: a malformed unit expression (`mS/` with nothing after the slash).
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms, g: 1 mS/ }
    state { v: -70 mV }
    equations { dv/dt = -v / tau }
}

fn main() {}
