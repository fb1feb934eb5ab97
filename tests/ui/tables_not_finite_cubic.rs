// Mistake: a cubic table over a range that ends where a tabulated function stops being
// defined: τ = tau·sqrt((vmax - v)/mV) is finite at every grid point up to 60 mV, but the
// cubic table's derivative at 60 mV is a difference over 60 ± 0.5/16 and ± 0.5/8 mV, and
// sqrt of a negative number is NaN at 60.03125 mV.
spyks::neuron_model! {
    model Gate;
    parameters { tau: 5 ms, k: 10 mV, vmax: 60.01 mV }
    state { v: -65 mV, m: 0.1 }
    equations { dv/dt = -v / tau, m: inf = 1/(1 + exp(-v/k)), tau = tau * sqrt((vmax - v)/(1 mV)) }
    tables { v: -100 mV .. 60 mV step 0.5 mV, cubic }
}

fn main() {}
