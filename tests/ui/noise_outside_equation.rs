// Mistake: the noise term `xi` used in a named expression (it is only allowed in equations).
spyks::neuron_model! {
    model Lif;
    parameters { tau: 20 ms, sigma: 1 mV }
    state { v: -70 mV }
    expressions { noise = sigma * xi }
    equations { dv/dt = -v / tau + noise }
}

fn main() {}
