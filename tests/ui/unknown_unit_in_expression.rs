// Mistake: a misspelt unit inside an expression (`3 mSS`).
spyks::neuron_model! {
    model Lif;
    parameters { C: 200 pF, e_l: -70 mV }
    state { v: -70 mV }
    equations { dv/dt = 3 mSS * (e_l - v) / C }
}

fn main() {}
