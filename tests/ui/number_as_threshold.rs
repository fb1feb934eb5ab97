// Mistake: the threshold is a number (a voltage), not a condition such as `v >= v_th`.
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms, v_th: -50 mV }
    state { v: -70 mV }
    equations { dv/dt = -v / tau }
    threshold { v_th }
    reset { v = -70 mV }
}

fn main() {}
