//! Tests of Levenberg-Marquardt: closed-form problems, bounds, settings and reports.

use super::*;

/// y = A e^(−k t), fitted for (A, k): the residuals and Jacobian by hand.
#[derive(Clone)]
struct Decay {
    t: Vec<f64>,
    y: Vec<f64>,
}

impl LeastSquaresProblem for Decay {
    fn n_params(&self) -> usize {
        2
    }
    fn residuals_and_jacobian(&mut self, z: &[f64], r: &mut Vec<f64>, jac: &mut Vec<f64>) -> Result<(), FitError> {
        let (a, k) = (z[0], z[1]);
        r.clear();
        jac.clear();
        r.extend(self.t.iter().zip(&self.y).map(|(t, y)| a * (-k * t).exp() - y));
        jac.extend(self.t.iter().map(|t| (-k * t).exp()));
        jac.extend(self.t.iter().map(|t| -a * t * (-k * t).exp()));
        Ok(())
    }
}

#[test]
fn exponential_decay_exact_data() {
    let t: Vec<f64> = (0..50).map(|i| i as f64 * 0.1).collect();
    let y = t.iter().map(|t| 3.0 * (-1.5 * t).exp()).collect();
    let mut p = Decay { t, y };
    let s = LevenbergMarquardt::default().minimize(&mut p, &[1.0, 0.2]).unwrap();
    assert!(s.stop.converged(), "{:?}", s.stop);
    assert!((s.z[0] - 3.0).abs() < 1e-8 && (s.z[1] - 1.5).abs() < 1e-8, "{:?}", s.z);
    assert!(s.cost < 1e-18);
}

#[test]
fn exponential_decay_with_noise_against_the_linearised_covariance() {
    // Independent check: with noise, the minimum satisfies Jᵀr = 0, and the residual
    // variance estimate σ² = Σr²/(m − 2) is close to the true noise variance.
    use rand_distr::{Distribution, Normal};
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
    let noise = Normal::new(0.0, 0.01).unwrap();
    let t: Vec<f64> = (0..400).map(|i| i as f64 * 0.01).collect();
    let y = t.iter().map(|t| 2.0 * (-0.7 * t).exp() + noise.sample(&mut rng)).collect();
    let mut p = Decay { t, y };
    let lm = LevenbergMarquardt { starts: 4, seed: 3, ..Default::default() };
    let (s, costs) = lm.minimize_multi(&mut p, &[0.5, 3.0], &[(0.1, 5.0), (0.1, 5.0)]).unwrap();
    assert_eq!(costs.len(), 4);
    let m = s.residuals.len();
    for j in 0..2 {
        let g: f64 = (0..m).map(|k| s.jacobian[j * m + k] * s.residuals[k]).sum();
        assert!(g.abs() < 1e-7, "gradient {g}");
    }
    let c = s.covariance().unwrap();
    let sigma2 = 2.0 * s.cost / (m - 2) as f64;
    assert!((sigma2.sqrt() - 0.01).abs() < 0.001, "σ = {}", sigma2.sqrt());
    // The estimates lie within 4 standard errors of the truth.
    assert!((s.z[0] - 2.0).abs() < 4.0 * c[0].sqrt() && (s.z[1] - 0.7).abs() < 4.0 * c[3].sqrt(), "{:?} {c:?}", s.z);
}

#[test]
fn bounds_clamp_and_failures_are_rejected_steps() {
    // The unconstrained optimum k = 1.5 lies outside k ≤ 1: the fit stops on the bound.
    struct Bounded(Decay);
    impl LeastSquaresProblem for Bounded {
        fn n_params(&self) -> usize {
            2
        }
        fn residuals_and_jacobian(&mut self, z: &[f64], r: &mut Vec<f64>, j: &mut Vec<f64>) -> Result<(), FitError> {
            if z[0] > 10.0 {
                return Err(FitError::Spec("diverged".into()));
            }
            self.0.residuals_and_jacobian(z, r, j)
        }
        fn z_bounds(&self) -> Vec<(f64, f64)> {
            vec![(f64::NEG_INFINITY, f64::INFINITY), (0.0, 1.0)]
        }
    }
    let t: Vec<f64> = (0..50).map(|i| i as f64 * 0.1).collect();
    let y = t.iter().map(|t| 3.0 * (-1.5 * t).exp()).collect();
    let mut p = Bounded(Decay { t, y });
    let s = LevenbergMarquardt::default().minimize(&mut p, &[1.0, 0.2]).unwrap();
    assert_eq!(s.z[1], 1.0);
    assert!(s.z[0] < 10.0);
    // A start that fails outright is an error of that start, not a panic.
    let e = LevenbergMarquardt::default().minimize(&mut p, &[20.0, 0.2]).unwrap_err();
    assert_eq!(e, FitError::Spec("diverged".into()));
    let e = LevenbergMarquardt::default().minimize(&mut p, &[1.0]).unwrap_err();
    assert_eq!(e, FitError::Length { expected: 2, found: 1 });
}

#[test]
fn settings_are_checked_when_the_fit_starts() {
    let t: Vec<f64> = (0..50).map(|i| i as f64 * 0.1).collect();
    let y = t.iter().map(|t| 3.0 * (-1.5 * t).exp()).collect();
    let mut p = Decay { t, y };
    let design = [(0.1, 5.0), (0.1, 5.0)];
    let lm = LevenbergMarquardt::default;
    let cases = [
        (LevenbergMarquardt { ftol: f64::NAN, ..lm() }, "ftol = NaN: the cost tolerance must be finite and not negative"),
        (LevenbergMarquardt { xtol: -1e-8, ..lm() }, "xtol = -0.00000001: the step tolerance must be finite and not negative"),
        (LevenbergMarquardt { gtol: f64::INFINITY, ..lm() }, "gtol = inf: the gradient tolerance must be finite and not negative"),
        (LevenbergMarquardt { lambda0: f64::NAN, ..lm() }, "lambda0 = NaN: the initial damping must be finite and not negative"),
    ];
    for (bad, why) in cases {
        let expected = format!("invalid fit setup: {why}");
        assert_eq!(bad.minimize(&mut p, &[1.0, 0.2]).unwrap_err().to_string(), expected);
        assert_eq!(LevenbergMarquardt { starts: 3, ..bad }.minimize_multi(&mut p, &[1.0, 0.2], &design).unwrap_err().to_string(), expected);
    }
    let none = LevenbergMarquardt { starts: 0, ..lm() }.minimize_multi(&mut p, &[1.0, 0.2], &design).unwrap_err();
    assert_eq!(none.to_string(), "invalid fit setup: starts = 0: a fit needs at least one start (the guess)");
    // Zero tolerances are allowed: the iteration then stops on its other tests.
    let zero = LevenbergMarquardt { ftol: 0.0, xtol: 0.0, gtol: 0.0, lambda0: 0.0, ..lm() };
    assert!(zero.minimize(&mut p, &[1.0, 0.2]).is_ok());
}

#[test]
fn malformed_problems_are_errors() {
    struct Bad {
        jac_len: usize,
        bounds: Vec<(f64, f64)>,
    }
    impl LeastSquaresProblem for Bad {
        fn n_params(&self) -> usize {
            2
        }
        fn residuals_and_jacobian(&mut self, _z: &[f64], r: &mut Vec<f64>, jac: &mut Vec<f64>) -> Result<(), FitError> {
            *r = vec![1.0; 3];
            *jac = vec![1.0; self.jac_len];
            Ok(())
        }
        fn z_bounds(&self) -> Vec<(f64, f64)> {
            self.bounds.clone()
        }
    }
    let lm = LevenbergMarquardt::default();
    let free = vec![(f64::NEG_INFINITY, f64::INFINITY); 2];
    let e = lm.minimize(&mut Bad { jac_len: 5, bounds: free.clone() }, &[0.0, 0.0]).unwrap_err();
    assert_eq!(e.to_string(), "invalid fit setup: the Jacobian has 5 entries; 3 residuals × 2 coordinates need 6");
    let e = lm.minimize(&mut Bad { jac_len: 6, bounds: vec![(0.0, 1.0)] }, &[0.0, 0.0]).unwrap_err();
    assert!(e.to_string().contains("1 bounds for 2"), "{e}");
    let e = lm.minimize(&mut Bad { jac_len: 6, bounds: vec![(0.0, 1.0), (2.0, 1.0)] }, &[0.0, 0.0]).unwrap_err();
    assert!(e.to_string().contains("coordinate 1, [2, 1]"), "{e}");
    assert!(matches!(lm.minimize(&mut Bad { jac_len: 6, bounds: free }, &[0.0]), Err(FitError::Length { expected: 2, found: 1 })));
}

#[test]
fn latin_hypercube_one_point_per_stratum_and_reproducible() {
    let pts = latin_hypercube(&[(0.0, 1.0), (-10.0, 10.0)], 8, 42);
    assert_eq!(pts, latin_hypercube(&[(0.0, 1.0), (-10.0, 10.0)], 8, 42));
    for (j, (lo, hi)) in [(0.0, 1.0), (-10.0, 10.0)].into_iter().enumerate() {
        let mut strata: Vec<usize> = pts.iter().map(|p| ((p[j] - lo) / (hi - lo) * 8.0) as usize).collect();
        strata.sort();
        assert_eq!(strata, (0..8).collect::<Vec<_>>());
    }
}
