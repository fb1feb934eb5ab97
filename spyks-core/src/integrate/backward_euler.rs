//! Backward (implicit) Euler solved by Newton's method, and the dense linear-algebra workspace
//! shared with the Rosenbrock methods.

use super::Stepper;
use crate::error::SimError;
use crate::model::NeuronModel;
use crate::vector::Vector;
use nalgebra::{DMatrix, DVector};

/// The iteration matrix `diag·I - scale·J` of an implicit method, factored in place (LU with
/// partial pivoting, rows swapped as LAPACK's `getrf` does), with a right-hand side and the
/// pivots. Sized on the first step and reused, so steps do not allocate.
#[derive(Clone, Debug)]
pub(super) struct IterationMatrix {
    lu: DMatrix<f64>,
    rhs: DVector<f64>,
    piv: Vec<usize>,
    /// Jacobian evaluations so far.
    pub(super) jacobians: u64,
}

impl Default for IterationMatrix {
    fn default() -> Self {
        IterationMatrix { lu: DMatrix::zeros(0, 0), rhs: DVector::zeros(0), piv: Vec::new(), jacobians: 0 }
    }
}

impl IterationMatrix {
    /// Evaluates the model's Jacobian J at (t, x, u), forms `diag·I - scale·J` and factors it.
    /// Returns `false` when a pivot is zero or negligible (relative to the largest entry) or
    /// the matrix is not finite.
    pub(super) fn factor<M: NeuronModel>(&mut self, m: &M, t: f64, x: &M::State, u: &M::Inputs, diag: f64, scale: f64) -> bool {
        let n = M::State::LEN;
        if self.lu.nrows() != n {
            self.lu = DMatrix::zeros(n, n);
            self.rhs = DVector::zeros(n);
            self.piv = vec![0; n];
        }
        m.jacobian(t, x, u, self.lu.as_mut_slice());
        self.jacobians += 1;
        self.lu *= -scale;
        for i in 0..n {
            self.lu[(i, i)] += diag;
        }
        let tiny = f64::EPSILON * n as f64 * self.lu.amax();
        let a = &mut self.lu;
        for i in 0..n {
            let p = i + a.view_range(i.., i).iamax();
            let d = a[(p, i)];
            // Also false for NaN.
            if !(d.abs() > tiny && d.is_finite()) {
                return false;
            }
            self.piv[i] = p;
            if p != i {
                a.swap_rows(i, p);
            }
            for r in i + 1..n {
                a[(r, i)] /= d;
            }
            for c in i + 1..n {
                let aic = a[(i, c)];
                if aic != 0.0 {
                    for r in i + 1..n {
                        let l = a[(r, i)];
                        a[(r, c)] -= l * aic;
                    }
                }
            }
        }
        true
    }

    /// Solves `(diag·I - scale·J)·y = b` with the last factorisation.
    pub(super) fn solve<V: Vector>(&mut self, b: &V) -> V {
        let n = self.piv.len();
        b.write_to(self.rhs.as_mut_slice());
        for (i, &p) in self.piv.iter().enumerate() {
            if p != i {
                self.rhs.swap_rows(i, p);
            }
        }
        if n > 0 {
            // Both return `false` only for a zero diagonal, which `factor` has excluded.
            self.lu.solve_lower_triangular_with_diag_mut(&mut self.rhs, 1.0);
            self.lu.solve_upper_triangular_mut(&mut self.rhs);
        }
        let mut y = V::default();
        for (i, v) in self.rhs.iter().enumerate() {
            y.set_index(i, *v);
        }
        y
    }
}

/// Backward Euler: x₁ = x₀ + h·f(t + h, x₁), for stiff models (fast gating, large
/// conductances) where explicit methods need tiny steps. Order 1, L-stable: stiff components
/// are damped at any step, never amplified.
///
/// The implicit equation is solved by Newton's method with the model's analytic Jacobian,
/// from an explicit Euler predictor: (I - h·J)·Δ = -(x₁ - x₀ - h·f(t + h, x₁)), x₁ ← x₁ + Δ,
/// until max |Δᵢ| / (atol + rtol·|x₁ᵢ|) ≤ 1. Each step costs 1 + k derivative evaluations and
/// k Jacobian evaluations and LU factorisations, where k is the number of Newton iterations
/// (2 for a linear model, typically 2–4 otherwise).
#[derive(Clone, Debug)]
pub struct BackwardEuler {
    rtol: f64,
    atol: f64,
    max_iter: usize,
    mat: IterationMatrix,
    /// Derivative evaluations so far.
    evaluations: u64,
}

impl Default for BackwardEuler {
    fn default() -> Self {
        BackwardEuler::new()
    }
}

impl BackwardEuler {
    /// Backward Euler with Newton tolerances 1e-10 relative and 1e-12 absolute, and at most 20
    /// iterations per step.
    pub fn new() -> Self {
        BackwardEuler { rtol: 1e-10, atol: 1e-12, max_iter: 20, mat: IterationMatrix::default(), evaluations: 0 }
    }

    /// Sets the Newton convergence test: the update must satisfy |Δᵢ| ≤ atol + rtol·|xᵢ| for
    /// every state variable (in internal units).
    pub fn tolerance(mut self, rtol: f64, atol: f64) -> Self {
        self.rtol = rtol;
        self.atol = atol;
        self
    }

    /// Sets the most Newton iterations per step before [`SimError::NoConvergence`].
    pub fn max_iterations(mut self, n: usize) -> Self {
        self.max_iter = n;
        self
    }

    /// Checks the settings (at each step, as they are plain fields set by the builder).
    fn validate(&self) -> Result<(), SimError> {
        let bad = |name, value, reason: &str| Err(SimError::InvalidSetting { name, value, reason: reason.into() });
        if !(self.rtol >= 0.0 && self.rtol.is_finite()) {
            return bad("rtol", self.rtol, "the relative tolerance must be finite and not negative");
        }
        if !(self.atol >= 0.0 && self.atol.is_finite()) || self.rtol + self.atol == 0.0 {
            return bad("atol", self.atol, "the absolute tolerance must be finite, not negative, and not zero with rtol");
        }
        if self.max_iter == 0 {
            return bad("max_iterations", 0.0, "at least one Newton iteration is needed");
        }
        Ok(())
    }
}

impl<M: NeuronModel> Stepper<M> for BackwardEuler {
    fn name(&self) -> &'static str {
        "backward-euler"
    }
    fn order(&self) -> u32 {
        1
    }
    fn work(&self, _steps: u64) -> super::Work {
        super::Work { evaluations: self.evaluations, jacobians: self.mat.jacobians }
    }
    fn step<U: Fn(f64) -> M::Inputs>(&mut self, m: &M, t: f64, h: f64, x: &mut M::State, inputs: &U) -> Result<(), SimError> {
        const METHOD: &str = "backward Euler";
        self.validate()?;
        let t1 = t + h;
        let u1 = inputs(t1);
        let x0 = *x;
        let f0 = m.derivative(t, &x0, &inputs(t));
        self.evaluations += 1;
        let mut y = x0.zip_map(&f0, |x, f| x + h * f);
        for _ in 0..self.max_iter {
            let f = m.derivative(t1, &y, &u1);
            self.evaluations += 1;
            if !self.mat.factor(m, t1, &y, &u1, 1.0, h) {
                return Err(SimError::Singular { method: METHOD, t });
            }
            let minus_r = y.zip3_map(&x0, &f, |y, x0, f| x0 + h * f - y);
            let delta = self.mat.solve(&minus_r);
            y = y.zip_map(&delta, |y, d| y + d);
            let mut err = 0.0_f64;
            for i in 0..M::State::LEN {
                let (d, yi) = (delta.get_index(i).unwrap_or(0.0), y.get_index(i).unwrap_or(0.0));
                // 0 for a zero update even with atol = 0 and yᵢ = 0.
                let e = if d == 0.0 { 0.0 } else { d.abs() / (self.atol + self.rtol * yi.abs()) };
                // Unlike `max`, keeps a NaN.
                if e.is_nan() || e > err {
                    err = e;
                }
            }
            // A diverged iterate: no use iterating on.
            if !err.is_finite() {
                break;
            }
            if err <= 1.0 {
                *x = y;
                return Ok(());
            }
        }
        Err(SimError::NoConvergence { method: METHOD, t })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrate::Rk4;
    use crate::simulate::Simulation;

    use crate::integrate::test_problems::{Decay, DecayParams, Izh, IzhParams, Stiff, StiffParams, last, slope};

    #[test]
    fn decay_matches_exponential() {
        let m = Decay::with_params(DecayParams { k: 2.0 });
        let traj = Simulation::new(&m, 1.0).run_fixed(&mut BackwardEuler::new(), 0.001).unwrap();
        let err = (last(&traj, "x") - (-2.0f64).exp()).abs();
        assert!(err < 4e-4, "error {err}");
    }

    #[test]
    fn observed_order_is_one() {
        let m = Decay::with_params(DecayParams { k: 2.0 });
        let hs = [0.1, 0.05, 0.025, 0.0125, 0.00625];
        let errs: Vec<f64> = hs
            .iter()
            .map(|&h| (last(&Simulation::new(&m, 1.0).run_fixed(&mut BackwardEuler::new(), h).unwrap(), "x") - (-2.0f64).exp()).abs())
            .collect();
        let p = slope(&hs, &errs);
        println!("backward Euler observed order: {p:.3}");
        assert!((p - 1.0).abs() < 0.15, "observed order {p}");
    }

    #[test]
    fn stiff_system_is_stable_where_rk4_blows_up() {
        let m = Stiff::with_params(StiffParams::default());
        let t_end: f64 = 5.0;
        // x = e^-t + e^-1000t, y = e^-t - e^-1000t from (2, 0).
        let (xs, ys) = ((-t_end).exp(), (-t_end).exp());
        let traj = Simulation::new(&m, t_end).run_fixed(&mut BackwardEuler::new(), 0.1).unwrap();
        let (x, y) = (last(&traj, "x"), last(&traj, "y"));
        assert!((x - xs).abs() < 3e-3 && (y - ys).abs() < 3e-3, "x {x}, y {y}, exact {xs}");
        assert!((x - y).abs() < 1e-12, "the fast mode must be damped");
        let rk4 = Simulation::new(&m, t_end).run_fixed(&mut Rk4, 0.1);
        assert!(matches!(rk4, Err(SimError::NonFinite { .. })), "{rk4:?}");
    }

    #[test]
    fn izhikevich_subthreshold_matches_rk4() {
        let m = Izh::with_params(IzhParams::default());
        let reference = Simulation::new(&m, 50.0).run_fixed(&mut Rk4, 0.001).unwrap();
        let traj = Simulation::new(&m, 50.0).run_fixed(&mut BackwardEuler::new(), 0.01).unwrap();
        let (v, v_ref) = (last(&traj, "v"), last(&reference, "v"));
        assert!((v - v_ref).abs() < 1e-2, "v {v}, reference {v_ref}");
        let max_dev = traj
            .column("v")
            .unwrap()
            .iter()
            .zip(reference.column("v").unwrap().iter().step_by(10))
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        println!("backward Euler, Izhikevich: largest deviation {max_dev:.2e} mV");
        assert!(max_dev < 5e-3, "largest deviation {max_dev} mV");
    }

    #[test]
    fn invalid_settings_and_newton_failure_are_errors() {
        let m = Decay::with_params(DecayParams { k: 2.0 });
        let r = Simulation::new(&m, 1.0).run_fixed(&mut BackwardEuler::new().tolerance(-1.0, 0.0), 0.1);
        assert!(matches!(r, Err(SimError::InvalidSetting { .. })), "{r:?}");
        let r = Simulation::new(&m, 1.0).run_fixed(&mut BackwardEuler::new().max_iterations(1), 0.1);
        assert!(matches!(r, Err(SimError::NoConvergence { .. })), "{r:?}");
        // Growth at rate 1/h makes I - h·J = 1 - h·1 zero.
        let g = Decay::with_params(DecayParams { k: -1.0 });
        let r = Simulation::new(&g, 2.0).run_fixed(&mut BackwardEuler::new(), 1.0);
        assert!(matches!(r, Err(SimError::Singular { .. })), "{r:?}");
    }
}
