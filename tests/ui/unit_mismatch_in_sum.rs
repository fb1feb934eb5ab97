// Mistake: adding a voltage to a current (`v + I` with `v` in mV and `I` in pA).
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms, v_rest: -70 mV }
    state { v: -70 mV }
    inputs { I: 0 pA }
    equations { dv/dt = (v_rest - v + I) / tau }
}

fn main() {}
