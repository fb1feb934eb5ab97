// Mistakes whose messages name exactly what is wrong.

// An exponent that is a fraction with a large denominator.
mod fraction_power {
    spyks::neuron_model! {
        model A;
        parameters { tau: 1 ms }
        state { v: 1 mV }
        equations { dv/dt = v^(1/27) * 1 mV / tau }
    }
}

// `==` where `=` is meant.
mod double_equals {
    spyks::neuron_model! {
        model B;
        parameters { tau: 1 ms }
        state { v: 1 mV }
        equations { dv/dt == -v/tau }
    }
}

// A space inside `dv`.
mod spaced_derivative {
    spyks::neuron_model! {
        model C;
        parameters { tau: 1 ms }
        state { v: 1 mV }
        equations { d v/dt = -v/tau }
    }
}

// A name declared twice: "an input", "an expression".
mod articles {
    spyks::neuron_model! {
        model D;
        parameters { tau: 1 ms, I: 1 mV, a: 1 mV }
        state { v: 1 mV }
        inputs { I: 0 mV }
        expressions { a = v * 2 }
        equations { dv/dt = -v/tau }
    }
}

// A dimensionless value where a voltage per time is expected.
mod dimensionless {
    spyks::neuron_model! {
        model E;
        parameters { tau: 1 ms }
        state { v: 1 mV }
        equations { dv/dt = v / (1 mV) }
    }
}

// A noise term with the wrong dimension shows a fractional power in parentheses.
mod noise {
    spyks::neuron_model! {
        model F;
        parameters { tau: 1 ms, sigma: 1 mV }
        state { v: 1 mV }
        equations { dv/dt = -v/tau + sigma * xi / tau }
    }
}

// A nonzero number too small for a float.
mod underflow {
    spyks::neuron_model! {
        model G;
        parameters { tau: 1 ms, g: 1e-400 nS }
        state { v: 1 mV }
        equations { dv/dt = -v/tau }
    }
}

// An expression that uses a later one.
mod later_expression {
    spyks::neuron_model! {
        model H;
        parameters { tau: 1 ms }
        state { v: 1 mV }
        expressions { a = b + v, b = v * 2 }
        equations { dv/dt = -a/tau }
    }
}

fn main() {}
