// Mistakes: keyword names. Each is reported once, at its declaration; its uses (and the
// equation of a state variable named `fn`) are not reported again.
spyks::neuron_model! {
    model Kw;
    parameters { self: 1 1/ms, crate: 2 }
    state { x: 1, fn: 1 }
    equations { dx/dt = -self * x * crate, dfn/dt = -self * fn }
}

// Mistake: a misspelt section (`params`): the section is reported with a suggestion, and
// the names it declares are not reported again at their uses.
mod unknown_section {
    spyks::neuron_model! {
        model Lif;
        params { tau: 1 ms }
        state { v: -70 mV }
        equations { dv/dt = -v / tau }
    }
}

// Mistakes in a YAML file: a keyword name and a malformed unit, reported once each.
mod yaml {
    spyks::include_model!("models/rejected_names.yml");
}

fn main() {}
