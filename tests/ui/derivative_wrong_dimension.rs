// Mistake: the derivative of a voltage is written as a current; the `/ C` is missing.
spyks::neuron_model! {
    model Lif;
    parameters { C: 250 pF, g_l: 10 nS, e_l: -70 mV }
    state { v: -70 mV }
    inputs { I: 0 pA }
    equations { dv/dt = -g_l * (v - e_l) + I }
}

fn main() {}
