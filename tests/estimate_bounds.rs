//! Bounds in Levenberg-Marquardt: a fit whose unconstrained minimum lies outside the box
//! converges to the minimum on the bound, checked against closed forms.

mod common;

use spyks_core::NeuronModel;
use spyks_core::estimate::{FitError, Free, LeastSquaresProblem, LevenbergMarquardt, Recording, TraceCost};

spyks_core::neuron_model! {
    model Passive;
    parameters { C: 200 pF, gL: 10 nS, EL: -70 mV }
    state { V: -70 mV }
    inputs { I: 0 pA }
    equations { dV/dt = (gL * (EL - V) + I) / C }
}

/// y = a + b t, fitted for (a, b) with the bound a ≤ 1 below the unconstrained optimum.
#[derive(Clone)]
struct Line {
    t: Vec<f64>,
    y: Vec<f64>,
    bounds: Vec<(f64, f64)>,
}

impl LeastSquaresProblem for Line {
    fn n_params(&self) -> usize {
        2
    }
    fn residuals_and_jacobian(&mut self, z: &[f64], r: &mut Vec<f64>, jac: &mut Vec<f64>) -> Result<(), FitError> {
        r.clear();
        jac.clear();
        r.extend(self.t.iter().zip(&self.y).map(|(t, y)| z[0] + z[1] * t - y));
        jac.extend(self.t.iter().map(|_| 1.0));
        jac.extend(self.t.iter().copied());
        Ok(())
    }
    fn z_bounds(&self) -> Vec<(f64, f64)> {
        self.bounds.clone()
    }
}

#[test]
fn a_bound_that_holds_converges_to_the_constrained_minimum() {
    // y = 3 + 2t on [1, 2], with a ≤ 1 (or b ≥ 4): the minimum on the bound is the
    // one-dimensional least squares of the other coordinate, in closed form.
    let t: Vec<f64> = (0..=20).map(|i| 1.0 + 0.05 * i as f64).collect();
    let y: Vec<f64> = t.iter().map(|t| 3.0 + 2.0 * t).collect();
    let free = (f64::NEG_INFINITY, f64::INFINITY);
    let stt: f64 = t.iter().map(|t| t * t).sum();
    let b_exact = t.iter().zip(&y).map(|(t, y)| t * (y - 1.0)).sum::<f64>() / stt;
    let mut p = Line { t: t.clone(), y: y.clone(), bounds: vec![(f64::NEG_INFINITY, 1.0), free] };
    let s = LevenbergMarquardt::default().minimize(&mut p, &[0.0, 0.0]).unwrap();
    assert!(s.stop.converged(), "{:?} after {} iterations at {:?}", s.stop, s.iterations, s.z);
    assert_eq!(s.z[0], 1.0);
    assert!((s.z[1] - b_exact).abs() < 1e-9 * b_exact, "{} vs {b_exact}", s.z[1]);
    let a_exact = y.iter().zip(&t).map(|(y, t)| y - 4.0 * t).sum::<f64>() / t.len() as f64;
    let mut p = Line { t, y, bounds: vec![free, (4.0, f64::INFINITY)] };
    let s = LevenbergMarquardt::default().minimize(&mut p, &[0.0, 5.0]).unwrap();
    assert!(s.stop.converged(), "{:?} after {} iterations at {:?}", s.stop, s.iterations, s.z);
    assert_eq!(s.z[1], 4.0);
    // a = mean(y − 4t) = 3 − 2·1.5 = 0.
    assert!(a_exact.abs() < 1e-12 && s.z[0].abs() < 1e-9, "{} vs {a_exact}", s.z[0]);
}

/// A passive membrane's noise-free trace under current steps (dt 0.1 ms, 150 ms).
fn passive_recording(model: &Passive) -> Recording {
    let current: Vec<f64> = (0..=1500).map(|k| [0.0, 100.0, -50.0][(k / 500).min(2)]).collect();
    Recording::new(0.1, common::driven_voltage(model, &current, 0.1, 0.1), "mV", current, "pA").unwrap()
}

#[test]
fn a_twin_fit_with_the_truth_outside_the_bounds_says_so() {
    // The truth gL = 10 nS lies below the bounds [12, 20]: the fit ends on 12, converged,
    // and the report marks it; C is then the one-dimensional fit with gL = 12 in the model.
    let model = Passive::new();
    let rec = passive_recording(&model);
    // The two fits of C below stop on ftol = 1e-10 of a cost that is not zero on the bound:
    // they agree to about √ftol (measured 1.5e-7).
    let lm = LevenbergMarquardt::default();
    let mut on_12 = model.clone();
    on_12.params_mut().gL = 12.0;
    let mut alone = TraceCost::new(&on_12, &rec, "I", "V", vec![Free::param("C").log().guess(250.0)]).unwrap();
    let c_on_12 = lm.fit(&mut alone).unwrap().estimates[0];
    for gl in [Free::param("gL").bounds(12.0, 20.0).guess(15.0), Free::param("gL").log().bounds(12.0, 20.0).guess(15.0)] {
        let free = vec![gl, Free::param("C").log().guess(250.0)];
        let fit = lm.fit(&mut TraceCost::new(&model, &rec, "I", "V", free).unwrap()).unwrap();
        assert!(fit.solution.stop.converged(), "{fit}");
        assert_eq!((fit.estimates[0], &fit.at_bound[..]), (12.0, &[true, false][..]), "{fit}");
        assert!((fit.estimates[1] / c_on_12 - 1.0).abs() < 1e-6, "{} vs {c_on_12}", fit.estimates[1]);
        let table = fit.to_string();
        assert!(table.lines().nth(1).unwrap().starts_with("gL") && table.lines().nth(1).unwrap().ends_with(" at its bound"), "{table}");
        assert!(!table.lines().nth(2).unwrap().contains("bound"), "{table}");
    }
    // Through the logistic map the bound is approached, never reached.
    let free = vec![Free::param("gL").logistic(12.0, 20.0).guess(15.0), Free::param("C").log().guess(250.0)];
    let fit = lm.fit(&mut TraceCost::new(&model, &rec, "I", "V", free).unwrap()).unwrap();
    assert_eq!(fit.at_bound, [true, false], "{fit}");
    // With the truth inside, nothing is marked, and the noise-free data give it back.
    let free = vec![Free::param("gL").bounds(5.0, 20.0).guess(15.0), Free::param("C").log().guess(250.0)];
    let fit = lm.fit(&mut TraceCost::new(&model, &rec, "I", "V", free).unwrap()).unwrap();
    assert_eq!(fit.at_bound, [false, false], "{fit}");
    assert!((fit.estimates[0] - 10.0).abs() < 1e-9 && (fit.estimates[1] - 200.0).abs() < 1e-7, "{fit}");
    assert!(!fit.to_string().contains("bound"), "{fit}");
}

#[test]
fn bounds_that_hold_no_interval_are_refused_with_the_reason() {
    let model = Passive::new();
    let rec = passive_recording(&model);
    let message = |f: Free| TraceCost::new(&model, &rec, "I", "V", vec![f]).unwrap_err().to_string();
    assert_eq!(message(Free::param("gL").bounds(20.0, 5.0).guess(10.0)), "invalid fit setup: `gL`: the bounds [20, 5] are empty");
    assert_eq!(message(Free::param("gL").bounds(f64::NAN, 5.0)), "invalid fit setup: `gL`: the bounds [NaN, 5] are empty");
    // A single point is not empty, but leaves nothing to fit.
    assert_eq!(
        message(Free::param("gL").bounds(10.0, 10.0)),
        "invalid fit setup: `gL`: the bounds [10, 10] leave nothing to fit: set the value in the model and leave it out of the free list"
    );
    // The truth outside the bounds, as the start: refused with both.
    assert_eq!(
        message(Free::param("gL").bounds(12.0, 20.0)),
        "invalid fit setup: `gL`: the starting value 10 is outside the bounds [12, 20]"
    );
}
