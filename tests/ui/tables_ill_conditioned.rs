// Mistake: α_m written without its limit at v = -40 mV, tabulated on a grid with a point
// 1.4e-14 mV from it (-100.1 + 601·0.1 = -39.99999999999999 in floating point). There
// 1 - exp(-(v + 40)/10) cancels to one digit: α_m is 1.0667 instead of 1, and the table would
// read that value over -40.1 to -39.9 mV (1.031 at -40.05 mV against 0.9975).
spyks::neuron_model! {
    model Gate;
    parameters { tau: 5 ms }
    state { v: -65 mV, m: 0.3 }
    equations {
        dv/dt = -v / tau,
        m: alpha = 0.1 1/ms * (v + 40 mV)/(1 mV) / (1 - exp(-(v + 40 mV)/(10 mV))),
           beta = 4 1/ms * exp(-(v + 65 mV)/(18 mV)),
    }
    tables { v: -100.1 mV .. 60 mV step 0.1 mV }
}

fn main() {}
