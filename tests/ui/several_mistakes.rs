// Mistake: several independent mistakes in one model; all of them are reported in one compile:
// an unknown unit (`mv`), an unknown symbol (`tua`), a threshold comparing a voltage with a
// current, a reset of the wrong dimension, and a clip written with `<` instead of `<=`.
spyks::neuron_model! {
    model Many;
    parameters { tau: 20 ms, e_l: -70 mv, R: 100 Mohm }
    state { v: -70 mV }
    inputs { I: 0 pA }
    equations { dv/dt = (e_l - v + R * I) / tua }
    threshold { v >= 30 pA }
    reset { v = 2 ms }
    clip { v < 30 mV }
}

fn main() {}
