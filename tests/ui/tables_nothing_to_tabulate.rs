// Mistake: a leaky integrate-and-fire neuron has no rate function to tabulate.
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms, E_l: -70 mV }
    state { v: -70 mV }
    equations { dv/dt = (E_l - v) / tau }
    tables { v: -100 mV .. 60 mV step 0.1 mV }
}

fn main() {}
