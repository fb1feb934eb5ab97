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
    /// Errors: [`SimError::NonFiniteJacobian`] for an entry of J that is NaN or infinite,
    /// [`SimError::Singular`] when a pivot is zero or negligible (relative to the largest
    /// entry), both naming `method` and the time `t_report`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn factor<M: NeuronModel>(
        &mut self,
        method: &'static str,
        t_report: f64,
        m: &M,
        t: f64,
        x: &M::State,
        u: &M::Inputs,
        diag: f64,
        scale: f64,
    ) -> Result<(), SimError> {
        let n = M::State::LEN;
        if self.lu.nrows() != n {
            self.lu = DMatrix::zeros(n, n);
            self.rhs = DVector::zeros(n);
            self.piv = vec![0; n];
        }
        m.jacobian(t, x, u, self.lu.as_mut_slice());
        self.jacobians += 1;
        let name = |i: usize| M::State::INFO.get(i).map_or("?", |v| v.name);
        let value = |i: usize| x.get_index(i).unwrap_or(f64::NAN);
        if let Some(k) = self.lu.iter().position(|v| !v.is_finite()) {
            let (row, col) = (k % n, k / n);
            return Err(SimError::NonFiniteJacobian {
                method,
                t,
                equation: name(row),
                var: name(col),
                entry: self.lu[k],
                value: value(col),
            });
        }
        self.lu *= -scale;
        for i in 0..n {
            self.lu[(i, i)] += diag;
        }
        let tiny = f64::EPSILON * n as f64 * self.lu.amax();
        let a = &mut self.lu;
        for i in 0..n {
            let p = i + a.view_range(i.., i).iamax();
            let d = a[(p, i)];
            // Also for NaN.
            if !(d.abs() > tiny && d.is_finite()) {
                return Err(SimError::Singular { method, t: t_report, var: name(i), value: value(i) });
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
        Ok(())
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
        // The variable with the largest scaled update of the last iteration: (index, iterate,
        // update).
        let (mut iterations, mut worst) = (0, (0, f64::NAN, f64::NAN));
        for _ in 0..self.max_iter {
            let f = m.derivative(t1, &y, &u1);
            self.evaluations += 1;
            self.mat.factor(METHOD, t, m, t1, &y, &u1, 1.0, h)?;
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
                    worst = (i, yi, d);
                }
            }
            iterations += 1;
            // A diverged iterate: no use iterating on.
            if !err.is_finite() {
                break;
            }
            if err <= 1.0 {
                *x = y;
                return Ok(());
            }
        }
        let (i, value, update) = worst;
        let var = M::State::INFO.get(i).map_or("?", |v| v.name);
        Err(SimError::NoConvergence { method: METHOD, t, iterations, var, value, update })
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

    crate::neuron_model! {
        /// dx/dt = -k·√x: x = (1 - kt/2)² from x = 1, reaching 0 at t = 2/k, where ∂f/∂x
        /// = -k/(2√x) is infinite (and NaN below).
        model Drain;
        parameters { k: 1 1/ms }
        state { x: 1 }
        equations { dx/dt = -k * sqrt(x) }
    }

    crate::neuron_model! {
        /// dx/dt = x²: a backward Euler step x₁ = x₀ + h·x₁² has no real solution when
        /// 4·h·x₀ > 1.
        model Square;
        state { x: 1 }
        equations { dx/dt = x^2 / 1 ms }
    }

    #[test]
    fn invalid_settings_and_newton_failure_are_errors() {
        let m = Decay::with_params(DecayParams { k: 2.0 });
        let r = Simulation::new(&m, 1.0).run_fixed(&mut BackwardEuler::new().tolerance(-1.0, 0.0), 0.1);
        assert!(matches!(r, Err(SimError::InvalidSetting { .. })), "{r:?}");
        let r = Simulation::new(&m, 1.0).run_fixed(&mut BackwardEuler::new().max_iterations(1), 0.1);
        assert!(matches!(r, Err(SimError::NoConvergence { iterations: 1, var: "x", .. })), "{r:?}");
        // Growth at rate 1/h makes I - h·J = 1 - h·1 zero; from x = 1 the predictor is 2.
        let g = Decay::with_params(DecayParams { k: -1.0 });
        let r = Simulation::new(&g, 2.0).run_fixed(&mut BackwardEuler::new(), 1.0);
        assert!(matches!(r, Err(SimError::Singular { t: 0.0, var: "x", value: 2.0, .. })), "{r:?}");
        assert!(r.unwrap_err().to_string().contains("in the column of `x` (= 2 there)"));
    }

    #[test]
    fn an_equation_without_a_solution_names_the_variable_newton_could_not_settle() {
        // 4·h·x₀ = 2 > 1: no x₁ solves the step, so Newton cannot converge.
        let r = Simulation::new(&Square::new(), 1.0).run_fixed(&mut BackwardEuler::new(), 0.5);
        let Err(e @ SimError::NoConvergence { t: 0.0, iterations: 20, var: "x", .. }) = r else { panic!("{r:?}") };
        let msg = e.to_string();
        assert!(msg.contains("after 20 iterations `x` = ") && msg.contains("still moved by"), "{msg}");
    }

    #[test]
    fn a_jacobian_that_is_not_finite_is_named_with_its_entry() {
        // The solution reaches 0 at t = 2; the explicit predictor then steps below 0, where
        // the Jacobian -1/(2√x) is NaN.
        let r = Simulation::new(&Drain::new(), 3.0).run_fixed(&mut BackwardEuler::new(), 0.01);
        let Err(e @ SimError::NonFiniteJacobian { t, equation: "x", var: "x", entry, value, .. }) = r else { panic!("{r:?}") };
        assert!((1.95..=2.1).contains(&t) && entry.is_nan() && value < 0.0, "{e}");
        assert!(e.to_string().contains("∂(dx/dt)/∂x is NaN"), "{e}");
    }

    #[test]
    fn an_input_that_is_not_finite_is_named_rather_than_newton() {
        use crate::integrate::test_problems::{Forced, ForcedParams};
        use crate::stimulus::{Signal, Stimulus};
        let m = Forced::with_params(ForcedParams { k: 2.0 });
        let stim = Stimulus::new().with("I", Signal::func(|t| if t > 1.0 { f64::NAN } else { 0.0 })).unwrap();
        let r = Simulation::new(&m, 3.0).stimulus(stim).run_fixed(&mut BackwardEuler::new(), 0.1);
        assert!(matches!(&r, Err(SimError::InvalidInput { input, value, .. }) if input == "I" && value.is_nan()), "{r:?}");
    }
}
