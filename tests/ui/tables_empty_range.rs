// Mistake: the range is written backwards.
spyks::neuron_model! {
    model Gate;
    parameters { tau: 5 ms, k: 10 mV }
    state { v: -65 mV, m: 0.1 }
    equations { dv/dt = -v / tau, m: inf = 1 / (1 + exp(-v / k)), tau = tau }
    tables { v: 60 mV .. -100 mV step 0.1 mV }
}

fn main() {}
