// Mistake: a unit with the wrong case (`mv` instead of `mV`).
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms, v_rest: -65 mv }
    state { v: -70 mV }
    equations { dv/dt = (v_rest - v) / tau }
}

fn main() {}
