// Mistake: a tabulated function with a singularity inside the range (log(0) at v = 0).
spyks::neuron_model! {
    model Gate;
    parameters { tau: 5 ms, k: 10 mV }
    state { v: -65 mV, m: 0.1 }
    equations { dv/dt = -v / tau, m: inf = 0.5, tau = tau * log(-v / k + 2) }
    tables { v: -10 mV .. 30 mV step 1 mV }
}

fn main() {}
