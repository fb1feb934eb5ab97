// Mistakes: expressions that stop short. Each error points at where the item ends (the
// comma after it), not at the section's closing brace.
spyks::neuron_model! {
    model M;
    parameters { tau: 1 ms }
    state { v: 1 mV, w: 1, m: 0.1, h: 0.5 }
    expressions { a = v + , b = 2 * v, c = 3 * v }
    equations {
        dv/dt = v/tau + , dw/dt = -w / tau,
        m: inf = 0.5, h: inf = 0.5, tau = tau,
    }
}

fn main() {}
