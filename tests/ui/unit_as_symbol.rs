// Mistake: a unit used on its own as if it were a variable (`v / ms` instead of `v / 1 ms`).
spyks::neuron_model! {
    model Lif;
    state { v: -70 mV }
    equations { dv/dt = -v / ms }
}

fn main() {}
