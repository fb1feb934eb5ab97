//! Language features, each checked against a value computed by hand.

use spyks_core::{NeuronModel, Vector};

spyks_core::neuron_model! {
    /// Exercises every function, constant and construct of the language.
    model Features;
    parameters { k: 2 1/ms, s: 4 mV, sigma: 0.5 mV/ms^(1/2), v_peak: 30mV, v_floor: -90 mV }
    state { v: -65 mV, w: 1 mV, z: 0 }
    inputs { I: 0 mV/ms }
    expressions {
        r = v / s,
        f1 = exp(r) + expm1(r) + log(abs(r)) + log1p(abs(r)) + tanh(r) + cosh(r) + sinh(r),
        f2 = sqrt(s*s) / s + min(v, w)/s + max(v, w)/s + pow(2, 3) + heaviside(v) + e + pi,
        f3 = if v > w { 1 } else if v == w { 2 } else { 3 },
    }
    equations {
        dv/dt = k * (f1 + f2 + f3) * 1 mV + I + sigma * xi,
        dw/dt = -k * w + 1 mV/ms * heaviside(t - 1 ms),
        dz/dt = k * k * t * z + 1 1/ms,
    }
    threshold { v >= v_peak && w > 0 mV }
    reset { v = w, w = v + 1 mV, z = 0 }
    clip { v <= v_peak, v >= v_floor }
}

#[test]
fn functions_and_constants() {
    let m = Features::new();
    let x = FeaturesState { v: -6.0, w: 2.0, z: 0.5 };
    let u = FeaturesInputs { I: 0.25 };
    let r: f64 = -6.0 / 4.0;
    let f1 = r.exp() + r.exp_m1() + r.abs().ln() + r.abs().ln_1p() + r.tanh() + r.cosh() + r.sinh();
    let f2 = 1.0 + (-6.0 / 4.0) + (2.0 / 4.0) + 8.0 + 0.0 + std::f64::consts::E + std::f64::consts::PI;
    let f3 = 3.0;
    let e = m.expressions(3.0, &x, &u);
    assert!((e.f1 - f1).abs() < 1e-14);
    assert!((e.f2 - f2).abs() < 1e-14);
    assert_eq!(e.f3, f3);
    let d = m.derivative(3.0, &x, &u);
    assert!((d.v - (2.0 * (f1 + f2 + f3) + 0.25)).abs() < 1e-12);
    // Time enters the equations; heaviside(t - 1 ms) switches on at 1 ms.
    assert_eq!(d.w, -2.0 * 2.0 + 1.0);
    assert_eq!(m.derivative(0.5, &x, &u).w, -2.0 * 2.0);
    assert_eq!(d.z, 4.0 * 3.0 * 0.5 + 1.0);
    // Equality branch of the conditional.
    let x2 = FeaturesState { v: 2.0, ..x };
    assert_eq!(m.expressions(0.0, &x2, &u).f3, 2.0);
}

#[test]
fn noise_is_separate_from_the_drift() {
    let m = Features::new();
    const { assert!(Features::HAS_NOISE) };
    let x = m.initial_state();
    let g = m.noise(0.0, &x, &FeaturesInputs::default());
    // sigma = 0.5 mV/sqrt(ms) on v only.
    assert_eq!(g.to_vec(), vec![0.5, 0.0, 0.0]);
    // v is not linear in itself (exp, tanh, ...); w and z are (z's coefficient k²t is z-free).
    assert_eq!(Features::LINEAR, &[false, true, true]);
    // sigma has a fractional dimension, so it has no typed setter, but the metadata says so.
    assert_eq!(FeaturesParams::INFO[2].dimension, None);
    assert_eq!(FeaturesParams::INFO[2].unit, "mV/ms^(1/2)");
}

#[test]
fn reset_is_sequential_and_clip_caps_both_ways() {
    let m = Features::new();
    let u = FeaturesInputs::default();
    let mut x = FeaturesState { v: 31.0, w: 5.0, z: 0.7 };
    assert!(m.threshold(0.0, &x, &u));
    // threshold_function is positive exactly when the condition holds: min(v - 30, w - 0).
    assert_eq!(m.threshold_function(0.0, &x, &u), 1.0);
    assert_eq!(m.threshold_function(0.0, &FeaturesState { v: 29.0, ..x }, &u), -1.0);
    m.reset(0.0, &mut x, &u);
    // v = w (5), then w = v + 1 sees the new v: 6.
    assert_eq!((x.v, x.w, x.z), (5.0, 6.0, 0.0));
    let mut y = FeaturesState { v: 45.0, w: 0.0, z: 0.0 };
    m.clip(0.0, &mut y, &u);
    assert_eq!(y.v, 30.0);
    let mut y = FeaturesState { v: -120.0, w: 0.0, z: 0.0 };
    m.clip(0.0, &mut y, &u);
    assert_eq!(y.v, -90.0);
    assert!(!m.threshold(0.0, &y, &u));
}
