//! The unscented Kalman filter and the least-squares cost compare a recording's voltage with
//! one state variable: a variable that is not a voltage is refused rather than fitted or
//! filtered against millivolts.

mod common;

use spyks_core::estimate::{Free, LevenbergMarquardt, Recording, TraceCost, Ukf};
use spyks_core::{Interp, NeuronModel};

spyks_core::neuron_model! {
    /// A membrane with an adaptation current; the current is the first state variable.
    model GateFirst;
    parameters { C: 200 pF, gL: 10 nS, EL: -70 mV, a: 4 nS, tau_w: 50 ms }
    state { w: 0 pA, V: -70 mV }
    inputs { I: 0 pA }
    equations {
        dw/dt = (a * (V - EL) - w) / tau_w,
        dV/dt = (gL * (EL - V) - w + I) / C,
    }
}

/// The model and its noise-free voltage under a 100 pA step at 20 ms, sampled every 0.1 ms.
fn twin() -> (GateFirst, Recording) {
    let model = GateFirst::new();
    let current: Vec<f64> = (0..=1000).map(|k| if k < 200 { 0.0 } else { 100.0 }).collect();
    let rec = Recording::new(0.1, common::driven_voltage(&model, &current, 0.1, 0.1), "mV", current, "pA").unwrap();
    (model, rec)
}

#[test]
fn a_recording_observed_through_a_variable_that_is_not_a_voltage_is_refused() {
    let (model, rec) = twin();
    // The filter starts from twice the true gL.
    let mut wrong = model.clone();
    wrong.params_mut().gL = 20.0;
    let ukf = Ukf::new(&wrong, &["gL"]).unwrap().positive(&["gL"]).unwrap().measurement_noise(0.5).unwrap();
    // The default observed variable is the first, w (pA): the millivolts cannot be it.
    let e = ukf.clone().run_recording(&rec, "I", Interp::Linear).unwrap_err();
    assert_eq!(
        e.to_string(),
        "observed `w`: the recording's voltage (mV) cannot be compared with `w`, in pA; observe the voltage with .observe(\"V\")"
    );
    // Observing V, the noise-free data give the true gL = 10 nS back.
    let fit = ukf.observe("V").unwrap().run_recording(&rec, "I", Interp::Linear).unwrap();
    let (_, gl, sd) = fit.final_params()[0];
    assert!((gl - 10.0).abs() < 3.0 * sd && (gl / 10.0 - 1.0).abs() < 0.02, "{gl} ± {sd}");
}

#[test]
fn a_cost_comparing_the_voltage_with_a_variable_that_is_not_one_is_refused() {
    let (model, rec) = twin();
    let free = || vec![Free::param("gL").log().guess(20.0)];
    let e = TraceCost::new(&model, &rec, "I", "w", free()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid fit setup: the recording's voltage (mV) cannot be compared with `w`, in pA: name the model's voltage"
    );
    // Through V, the noise-free trace gives the true gL = 10 nS back.
    let fit = LevenbergMarquardt::default().fit(&mut TraceCost::new(&model, &rec, "I", "V", free()).unwrap()).unwrap();
    assert!((fit.estimates[0] - 10.0).abs() < 1e-8, "{fit}");
}
