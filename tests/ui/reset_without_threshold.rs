// Mistake: a reset and a refractory period but no threshold, so neither can ever happen.
spyks::neuron_model! {
    model M;
    parameters { tau: 1 ms }
    state { v: 1 mV }
    equations { dv/dt = -v/tau }
    reset { v = 0 mV }
    refractory { period = 2 ms, hold = [v] }
}

// The same with only a refractory period.
mod only_refractory {
    spyks::neuron_model! {
        model R;
        parameters { tau: 1 ms }
        state { v: 1 mV }
        equations { dv/dt = -v/tau }
        refractory { period = 2 ms, hold = [v] }
    }
}

// In a YAML file: `refractory` without `reset`.
mod yaml {
    spyks::include_model!("models/refractory_without_reset.yml");
}

fn main() {}
