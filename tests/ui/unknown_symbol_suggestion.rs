// Mistake: a typo in a parameter name (`g_nq` for `g_na`); the error suggests the right name.
spyks::neuron_model! {
    model Na;
    parameters { C: 1 pF, g_na: 120 nS, e_na: 50 mV }
    state { v: -65 mV }
    equations { dv/dt = g_nq * (e_na - v) / C }
}

fn main() {}
