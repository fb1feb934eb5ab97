// Mistake: no step.
spyks::neuron_model! {
    model Gate;
    parameters { tau: 5 ms, k: 10 mV }
    state { v: -65 mV, m: 0.1 }
    equations { dv/dt = -v / tau, m: inf = 1 / (1 + exp(-v / k)), tau = tau }
    tables { v: -100 mV .. 60 mV }
}

fn main() {}
