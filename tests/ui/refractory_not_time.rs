// Mistake: the refractory period is a voltage, not a time.
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms, v_th: -50 mV }
    state { v: -70 mV }
    equations { dv/dt = -v / tau }
    threshold { v >= v_th }
    reset { v = -70 mV }
    refractory { period = 2 mV, hold = [v] }
}

fn main() {}
