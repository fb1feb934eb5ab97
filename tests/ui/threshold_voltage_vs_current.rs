// Mistake: the threshold compares a voltage with a current.
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms, R: 100 Mohm }
    state { v: -70 mV }
    inputs { I: 0 pA }
    equations { dv/dt = (R * I - v) / tau }
    threshold { v >= 30 pA }
    reset { v = -70 mV }
}

fn main() {}
