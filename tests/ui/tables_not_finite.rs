// Mistake: a tabulated function that is not finite inside the range: the time constant
// vanishes at v = 10 mV (log 1 = 0; its reciprocal is tabulated) and log(0) at v = 20 mV.
spyks::neuron_model! {
    model Gate;
    parameters { tau: 5 ms, k: 10 mV }
    state { v: -65 mV, m: 0.1 }
    equations { dv/dt = -v / tau, m: inf = 0.5, tau = tau * log(-v / k + 2) }
    tables { v: -10 mV .. 30 mV step 1 mV }
}

fn main() {}
