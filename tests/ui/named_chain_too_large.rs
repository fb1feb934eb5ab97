// Mistake: a chain of named expressions, each using the one before three times, so that the
// last one written out has 36 000 terms; the Jacobian derived from it would not compile in
// any reasonable time or memory.
spyks::neuron_model! {
    model Chain;
    parameters { k: 1 1/ms, s: 0.5 }
    state { x: 1, y: 1 }
    expressions {
        e0 = x / 2,
        e1 = tanh(e0) * e0 + s * e0,
        e2 = tanh(e1) * e1 + s * e1,
        e3 = tanh(e2) * e2 + s * e2,
        e4 = tanh(e3) * e3 + s * e3,
        e5 = tanh(e4) * e4 + s * e4,
        e6 = tanh(e5) * e5 + s * e5,
        e7 = tanh(e6) * e6 + s * e6,
        e8 = tanh(e7) * e7 + s * e7,
    }
    equations {
        dx/dt = k * (e7 - x),
        dy/dt = k * e8 * y,
    }
}

fn main() {}
