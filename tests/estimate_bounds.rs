//! Bounds in Levenberg-Marquardt: a fit whose unconstrained minimum lies outside the box
//! converges to the minimum on the bound, checked against closed forms.

use spyks_core::estimate::{FitError, LeastSquaresProblem, LevenbergMarquardt};

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
