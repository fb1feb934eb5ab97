// Mistakes: `exp` of a voltage, and, independently, a voltage per time plus the (dimensionless)
// `exp(...)`. Both are reported in one compile.
spyks::neuron_model! {
    model M;
    parameters { gl: 0.1 1/ms, El: -70 mV, C: 1 }
    state { v: -70 mV }
    inputs { I: 0 mV/ms }
    equations { dv/dt = (gl*(El - v) + I)/C + exp(v) }
}

fn main() {}
