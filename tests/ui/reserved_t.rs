// Mistake: `t` declared as a parameter; `t` is reserved for time.
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms, t: 5 ms }
    state { v: -70 mV }
    equations { dv/dt = -v / tau }
}

fn main() {}
