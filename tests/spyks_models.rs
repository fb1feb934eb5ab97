//! Every shipped spyks model compiles through `include_model!` and gives spyks' own numbers:
//! dX/dt at the 30 reference points computed by spyks 0.7.0 (tests/data/spyks-reference), and
//! hand-computed values at the initial state. Jacobians are checked by finite differences.

mod common;

use common::*;
use spyks_core::{NeuronModel, Vector};

spyks_core::include_model!("../spyks-core/models/spyks/adex.yml");
spyks_core::include_model!("../spyks-core/models/spyks/biocm.yml");
spyks_core::include_model!("../spyks-core/models/spyks/nakl.yml");
spyks_core::include_model!("../spyks-core/models/spyks/passive.yml");
spyks_core::include_model!("../spyks-core/models/spyks/passive_ei.yml");
spyks_core::include_model!("../spyks-core/models/spyks/pospischil.yml");

/// Relative agreement with spyks' compiled derivatives (spyks vs SymPy differ by up to 1.9e-14
/// from cancellation, so 1e-12 of the size of the terms is a strict bound).
const REL_TOL: f64 = 1e-12;

fn check<M: NeuronModel>(name: &str) {
    let r = reference::<M>(name);
    assert_eq!(r.points.len(), 30);
    let e = max_rel_error::<M>(&r);
    assert!(e < REL_TOL, "{name}: worst relative difference from spyks {e:e}");
    let mut rng = Rng::new(7);
    let states = random_states::<M>(&mut rng, 50);
    let model = M::with_params(M::Params::default());
    let mut u = M::Inputs::default();
    for k in 0..M::Inputs::LEN {
        u.set_index(k, 100.0 + 10.0 * k as f64);
    }
    let je = jacobian_fd_error(&model, &states, &u);
    assert!(je < 1e-5, "{name}: Jacobian differs from finite differences by {je:e}");
}

#[test]
fn adex_matches_spyks() {
    check::<Adex>("adex");
}
#[test]
fn biocm_matches_spyks() {
    check::<Biocm>("biocm");
}
#[test]
fn nakl_matches_spyks() {
    check::<Nakl>("nakl");
}
#[test]
fn passive_matches_spyks() {
    check::<Passive>("passive");
}
#[test]
fn passive_ei_matches_spyks() {
    check::<PassiveEi>("passive_ei");
}
#[test]
fn pospischil_matches_spyks() {
    check::<Pospischil>("pospischil");
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

/// dX/dt at the declared initial state, computed by hand from the YAML text.
#[test]
fn initial_state_derivatives_by_hand() {
    // nakl: V = -70, m = h = n = 0, no input: only the leak current acts on V.
    let m = Nakl::new();
    let d = m.derivative(0.0, &m.initial_state(), &NaklInputs::default());
    assert!(rel(d.V, 0.3 * (-54.4 - -70.0) / 250.0) < 1e-12);
    let minf = (1.0 + f64::tanh((-70.0 - -40.0) / 15.0)) / 2.0;
    let taum = 0.1 + 0.4 * (1.0 - f64::tanh((-70.0 - -40.0) / 15.0).powi(2));
    assert!(rel(d.m, minf / taum) < 1e-12);
    let hinf = (1.0 + f64::tanh((-70.0 - -60.0) / -15.0)) / 2.0;
    let tauh = 1.0 + 7.0 * (1.0 - f64::tanh((-70.0 - -60.0) / -15.0).powi(2));
    assert!(rel(d.h, hinf / tauh) < 1e-12);

    // passive: V at rest.
    let p = Passive::new();
    let d = p.derivative(0.0, &p.initial_state(), &PassiveInputs::default());
    assert_eq!(d.V, 0.0);
    let d = p.derivative(0.0, &p.initial_state(), &PassiveInputs { Iinj: 57.0 });
    assert!(rel(d.V, 1.0) < 1e-12);

    // passive_ei with 2 nS of excitation: 2 nS * 70 mV / 57 pF.
    let p = PassiveEi::new();
    let d = p.derivative(0.0, &p.initial_state(), &PassiveEiInputs { g_ex: 2.0, g_inh: 0.0 });
    assert!(rel(d.V, (5.5 * 0.0 + 2.0 * 70.0) / 57.0 - 5.5 * (-70.0 - -70.0) / 57.0) < 1e-12);

    // adex at V = -70, w = 0.
    let a = Adex::new();
    let d = a.derivative(0.0, &a.initial_state(), &AdexInputs::default());
    let dv = (-30.0 * (-70.0 - -70.6) + 30.0 * 2.0 * f64::exp((-70.0 - -55.0) / 2.0)) / 250.0;
    assert!(rel(d.V, dv) < 1e-12);
    assert!(rel(d.w, 4.0 * (-70.0 - -70.6) / 144.0) < 1e-12);

    // pospischil: na_h uses alpha/beta.
    let p = Pospischil::new();
    let x = p.initial_state();
    let d = p.derivative(0.0, &x, &PospischilInputs::default());
    let alpha = 0.128 * f64::exp(-(-70.4 - -44.0) / 18.0);
    let beta = 4.0 / (1.0 + f64::exp(-(-70.4 - -21.0) / 5.0));
    assert!(rel(d.na_h, alpha * (1.0 - 0.999) - beta * 0.999) < 1e-12);
}

/// spyks' reset, clip and threshold at the recorded adex states.
#[test]
fn adex_reset_and_clip_match_spyks() {
    let r = reference::<Adex>("adex");
    let records = r.json["reset"].as_array().unwrap();
    assert_eq!(records.len(), 8);
    let f = |v: &serde_json::Value| -> Vec<f64> { v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect() };
    for rec in records {
        let m = Adex::with_params(AdexParams::from_slice(&f(&rec["params"])).unwrap());
        let x = AdexState::from_slice(&f(&rec["state"])).unwrap();
        let u = AdexInputs::from_slice(&f(&rec["forcing"])).unwrap();
        assert_eq!(m.threshold(0.0, &x, &u), rec["predicate"].as_bool().unwrap());
        let mut after = x;
        if m.threshold(0.0, &x, &u) {
            m.reset(0.0, &mut after, &u);
        }
        assert_eq!(after.to_vec(), f(&rec["state_after_reset"]));
        let mut clipped = x;
        m.clip(0.0, &mut clipped, &u);
        assert_eq!(clipped.to_vec(), f(&rec["state_after_clip"]));
    }
}
