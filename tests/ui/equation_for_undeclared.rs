// Mistake: an equation for `w`, which is not declared in `state`.
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms }
    state { v: -70 mV }
    equations {
        dv/dt = -v / tau,
        dw/dt = -w / tau,
    }
}

fn main() {}
