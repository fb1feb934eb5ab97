//! Levenberg-Marquardt least squares, with multiple seeded starts, and the fit of a model to a
//! recording with standard errors.
//!
//! The method is Marquardt's: the step h solves (JᵀJ + λ D) h = −Jᵀr with D the running
//! maximum of diag(JᵀJ) (Moré's scaling, which makes the steps invariant to the units of the
//! coordinates), accepted when the gain ratio ρ = actual / predicted reduction of the cost is
//! positive, with Nielsen's update of λ (H. B. Nielsen, "Damping parameter in Marquardt's
//! method", IMM-REP-1999-05, DTU). Coordinates with bounds are clamped into them after
//! each step (a projected step); a coordinate on its bound whose descent direction points
//! out of the box is held there, the step solved for the others alone, and left out of the
//! gradient test, so that a fit stopped by a bound converges to the minimum on it. A trial
//! point whose run fails (a NaN, a step-size or input error) counts as an infinite cost: the
//! step is rejected and λ raised.
//!
//! Our own implementation rather than the `levenberg-marquardt` crate: its 0.15 release
//! depends on nalgebra 0.34, and spyks uses nalgebra 0.35.
//!
//! ```
//! use spyks_core::estimate::{Free, LevenbergMarquardt, Recording, TraceCost};
//! use spyks_core::presets::hodgkin_huxley::{HodgkinHuxley, UA_PER_CM2};
//! use spyks_core::{Interp, RecordSpec, Signal, Simulation, Stimulus};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let model = HodgkinHuxley::new();
//! let current: Vec<f64> = (0..=1500).map(|k| if k < 100 { 0.0 } else { 10.0 * UA_PER_CM2 }).collect();
//! let stim = Stimulus::new().with("I", Signal::sampled(0.02, current.clone(), Interp::Linear))?;
//! let run = Simulation::new(&model, 30.0).stimulus(stim).record(RecordSpec::names(["v"])).run_fixed(&mut spyks_core::integrate::Rk4, 0.02)?;
//! let rec = Recording::new(0.02, run.column("v").unwrap().to_vec(), "mV", current, "pA/um^2")?;
//!
//! // g_Na and E_K from guesses off by a factor of two, through the spikes.
//! let free = vec![Free::param("g_Na").log().guess(0.6), Free::param("E_K").bounds(-150.0, 0.0).guess(-38.5)];
//! let mut cost = TraceCost::new(&model, &rec, "I", "v", free)?;
//! let fit = LevenbergMarquardt::default().fit_synchronised(&mut cost, &[2.0, 0.5, 0.1])?;
//! assert!((fit.estimates[0] - 1.2).abs() < 1e-6 && (fit.estimates[1] + 77.0).abs() < 1e-4);
//! println!("{fit}"); // a table of estimates with standard errors
//! # Ok(())
//! # }
//! ```

use super::cost::{FitError, TraceCost, half_sum_sq};
use crate::model::NeuronModel;
use nalgebra::{DMatrix, DVector};
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;

/// A least-squares problem: residuals and their Jacobian at a point z.
pub trait LeastSquaresProblem {
    /// Number of coordinates.
    fn n_params(&self) -> usize;
    /// The residuals into `r` and the Jacobian ∂r/∂z into `jac`, column-major (column j is
    /// `jac[j*m .. (j+1)*m]` for m residuals).
    fn residuals_and_jacobian(&mut self, z: &[f64], r: &mut Vec<f64>, jac: &mut Vec<f64>) -> Result<(), FitError>;
    /// The range of each coordinate (unbounded by default).
    fn z_bounds(&self) -> Vec<(f64, f64)> {
        vec![(f64::NEG_INFINITY, f64::INFINITY); self.n_params()]
    }
}

impl<M: NeuronModel> LeastSquaresProblem for TraceCost<'_, M> {
    fn n_params(&self) -> usize {
        self.n_free()
    }
    fn residuals_and_jacobian(&mut self, z: &[f64], r: &mut Vec<f64>, jac: &mut Vec<f64>) -> Result<(), FitError> {
        TraceCost::residuals_and_jacobian(self, z, r, jac)
    }
    fn z_bounds(&self) -> Vec<(f64, f64)> {
        TraceCost::z_bounds(self)
    }
}

/// Why the iteration stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The relative reduction of the cost (actual and predicted) fell below `ftol`.
    Cost,
    /// The step fell below `xtol` relative to z.
    Step,
    /// Every column of J is within `gtol` of orthogonal to r (cosine).
    Gradient,
    /// `max_iter` iterations.
    MaxIterations,
    /// λ grew beyond 1e16 without an acceptable step.
    NoProgress,
}

impl Stop {
    /// Whether the stop is a convergence test rather than a limit.
    pub fn converged(self) -> bool {
        matches!(self, Stop::Cost | Stop::Step | Stop::Gradient)
    }
}

/// Settings of the Levenberg-Marquardt iteration and of the multi-start design.
#[derive(Clone, Debug, PartialEq)]
pub struct LevenbergMarquardt {
    /// Relative cost tolerance (finite, not negative).
    pub ftol: f64,
    /// Relative step tolerance (finite, not negative).
    pub xtol: f64,
    /// Gradient (cosine) tolerance (finite, not negative).
    pub gtol: f64,
    /// Maximum number of iterations (trial steps) per start.
    pub max_iter: usize,
    /// Initial damping, relative to D (finite, not negative).
    pub lambda0: f64,
    /// Number of starts: the guess, then `starts − 1` points of a Latin hypercube (at
    /// least 1).
    pub starts: usize,
    /// Seed of the Latin hypercube.
    pub seed: u64,
}

impl Default for LevenbergMarquardt {
    fn default() -> Self {
        LevenbergMarquardt { ftol: 1e-10, xtol: 1e-8, gtol: 1e-8, max_iter: 100, lambda0: 1e-3, starts: 1, seed: 0 }
    }
}

/// A local minimum found from one start.
#[derive(Clone, Debug, PartialEq)]
pub struct Solution {
    /// The point.
    pub z: Vec<f64>,
    /// F = ½ Σ r² there.
    pub cost: f64,
    /// The residuals there.
    pub residuals: Vec<f64>,
    /// The Jacobian there (column-major).
    pub jacobian: Vec<f64>,
    /// Iterations (trial steps).
    pub iterations: usize,
    /// Why it stopped.
    pub stop: Stop,
}

impl Solution {
    /// The covariance of z, σ² (JᵀJ)⁻¹ with σ² = Σr²/(m − p) (row-major p×p), or `None` if
    /// JᵀJ is singular or there are no more residuals than coordinates.
    pub fn covariance(&self) -> Option<Vec<f64>> {
        let m = self.residuals.len();
        let p = self.jacobian.len().checked_div(m).unwrap_or(0);
        if m <= p {
            return None;
        }
        let j = DMatrix::from_column_slice(m, p, &self.jacobian);
        let inv = (j.transpose() * &j).cholesky()?.inverse();
        let s2 = 2.0 * self.cost / (m - p) as f64;
        let c: Vec<f64> = (0..p * p).map(|k| s2 * inv[(k / p, k % p)]).collect();
        c.iter().all(|v| v.is_finite()).then_some(c)
    }

    /// Standard errors of z when JᵀJ is singular, quantity by quantity: for a coordinate the
    /// data determine (orthogonal to every direction in which the residuals do not change, as
    /// τ is beside two parameters that only appear as a product), σ·√((JᵀJ)⁺)_jj with
    /// σ² = Σr²/(m − rank), as for any parametrisation of the model that keeps it; NaN for a
    /// coordinate they do not determine. Directions are null when their singular value of J
    /// (columns scaled to unit norm) is below 10⁻⁸ of the largest, where a Cholesky
    /// factorisation of JᵀJ fails. `None` when there are no more residuals than that rank.
    pub fn determined_std_errors(&self) -> Option<Vec<f64>> {
        let m = self.residuals.len();
        let p = self.jacobian.len().checked_div(m).unwrap_or(0);
        let mut j = nalgebra::DMatrix::from_column_slice(m, p, &self.jacobian);
        let norms: Vec<f64> = (0..p).map(|c| j.column(c).norm()).collect();
        for (c, &n) in norms.iter().enumerate() {
            if n > 0.0 && n.is_finite() {
                j.column_mut(c).scale_mut(1.0 / n);
            }
        }
        let svd = j.try_svd(false, true, f64::EPSILON, 0)?;
        let (s, v_t) = (svd.singular_values, svd.v_t?);
        let tol = 1e-8 * s.max();
        let rank = s.iter().filter(|&&x| x > tol).count();
        if m <= rank || tol.is_nan() || tol <= 0.0 {
            return None;
        }
        let s2 = 2.0 * self.cost / (m - rank) as f64;
        let se = (0..p).map(|c| {
            // The part of the axis outside the range directions: with fewer residuals than
            // coordinates the thin SVD lists only some of the null directions.
            let null = 1.0 - (0..s.len()).filter(|&i| s[i] > tol).map(|i| v_t[(i, c)].powi(2)).sum::<f64>();
            if !(norms[c] > 0.0 && norms[c].is_finite()) || null > 1e-6 {
                return f64::NAN;
            }
            let var: f64 = (0..s.len()).filter(|&i| s[i] > tol).map(|i| (v_t[(i, c)] / s[i]).powi(2)).sum();
            (s2 * var).sqrt() / norms[c]
        });
        Some(se.collect())
    }
}

/// The fit of a [`TraceCost`]: estimates in the original units and their standard errors.
#[derive(Clone, Debug, PartialEq)]
pub struct FitResult {
    /// Names of the fitted quantities.
    pub names: Vec<String>,
    /// The estimates θ, in the model's internal units (as [`Free`](super::Free) guesses are).
    pub estimates: Vec<f64>,
    /// Standard errors of θ (delta method through the transforms). When JᵀJ is singular,
    /// NaN for each quantity the data do not determine (two parameters that only appear as
    /// a product) and the error of each one they do (see
    /// [`Solution::determined_std_errors`]); `None` when there are no more samples than
    /// determined quantities. [`FitResult::get`] gives NaN for both.
    pub std_errors: Option<Vec<f64>>,
    /// Covariance of θ, row-major, `None` when JᵀJ is singular or there are no more samples
    /// than fitted quantities.
    pub covariance: Option<Vec<f64>>,
    /// The best solution (in z).
    pub solution: Solution,
    /// Root-mean-square residual (mV): the estimated noise level.
    pub rms: f64,
    /// The fitted voltage at every sample (mV).
    pub predicted: Vec<f64>,
    /// The final cost of each start (infinite for a start that failed).
    pub start_costs: Vec<f64>,
    /// Whether each estimate ended on one of its bounds (for a logistic quantity, within
    /// 10⁻⁶ of the range from one): the data pull it outside them, and its standard error
    /// describes the cost on the bound, not the uncertainty of a free estimate. The table
    /// marks it "at its bound".
    pub at_bound: Vec<bool>,
}

impl LevenbergMarquardt {
    /// Checks the settings of the iteration: the tolerances and the initial damping must be
    /// finite and not negative (a NaN tolerance never stops the iteration, and a NaN damping
    /// makes every step NaN).
    fn check(&self) -> Result<(), FitError> {
        let settings =
            [("ftol", self.ftol, "cost tolerance"), ("xtol", self.xtol, "step tolerance"), ("gtol", self.gtol, "gradient tolerance")];
        for (name, value, what) in settings.into_iter().chain([("lambda0", self.lambda0, "initial damping")]) {
            if !(value >= 0.0 && value.is_finite()) {
                return Err(FitError::Spec(format!("{name} = {value}: the {what} must be finite and not negative")));
            }
        }
        Ok(())
    }

    /// Minimises ½‖r(z)‖² from `z0`. Errors: invalid settings, a `z0` of the wrong length, a
    /// malformed problem, or a start point where the problem fails or the cost is not finite.
    pub fn minimize<P: LeastSquaresProblem>(&self, problem: &mut P, z0: &[f64]) -> Result<Solution, FitError> {
        self.check()?;
        let p = problem.n_params();
        if z0.len() != p {
            return Err(FitError::Length { expected: p, found: z0.len() });
        }
        let bounds = problem.z_bounds();
        if bounds.len() != p {
            return Err(FitError::Spec(format!("the problem gives {} bounds for {p} coordinates", bounds.len())));
        }
        if let Some((j, (lo, hi))) = bounds.iter().enumerate().find(|(_, (lo, hi))| lo.is_nan() || hi.is_nan() || lo > hi) {
            return Err(FitError::Spec(format!("the bounds of coordinate {j}, [{lo}, {hi}], are empty")));
        }
        let mut z: Vec<f64> = z0.iter().zip(&bounds).map(|(z, (lo, hi))| z.clamp(*lo, *hi)).collect();
        let (mut r, mut jac) = (Vec::new(), Vec::new());
        problem.residuals_and_jacobian(&z, &mut r, &mut jac)?;
        check_shape(&r, &jac, p)?;
        let mut cost = half_sum_sq(&r);
        if !cost.is_finite() {
            return Err(FitError::Spec(format!("the cost at the start point is {cost}")));
        }
        let m = r.len();
        let (mut rt, mut jt) = (Vec::new(), Vec::new());
        let mut d = vec![0.0f64; p];
        let (mut lambda, mut nu) = (self.lambda0, 2.0);
        let mut stop = Stop::MaxIterations;
        let mut iterations = 0;
        while iterations < self.max_iter {
            iterations += 1;
            let jm = DMatrix::from_column_slice(m, p, &jac);
            let a = jm.transpose() * &jm;
            let g = jm.transpose() * DVector::from_column_slice(&r);
            // A coordinate on its bound with the descent direction −g pointing out of the box
            // is held there: it takes no part in the step (which solves for the others alone)
            // or in the gradient test.
            let held: Vec<bool> = (0..p).map(|j| (z[j] <= bounds[j].0 && g[j] > 0.0) || (z[j] >= bounds[j].1 && g[j] < 0.0)).collect();
            // Gradient test: the cosine between r and each column of J.
            let rn = (2.0 * cost).sqrt();
            let cos =
                (0..p).map(|j| if a[(j, j)] > 0.0 && !held[j] { g[j].abs() / (a[(j, j)].sqrt() * rn) } else { 0.0 }).fold(0.0, f64::max);
            if rn == 0.0 || cos <= self.gtol {
                stop = Stop::Gradient;
                break;
            }
            let dmax = (0..p).map(|j| a[(j, j)]).fold(0.0, f64::max);
            for (j, dj) in d.iter_mut().enumerate() {
                *dj = dj.max(a[(j, j)]).max(1e-12 * dmax);
            }
            let (mut lhs, mut rhs) = (a.clone(), -&g);
            for j in 0..p {
                lhs[(j, j)] += lambda * d[j];
            }
            for j in (0..p).filter(|&j| held[j]) {
                lhs.row_mut(j).fill(0.0);
                lhs.column_mut(j).fill(0.0);
                lhs[(j, j)] = 1.0;
                rhs[j] = 0.0;
            }
            let Some(ch) = lhs.cholesky() else {
                lambda *= nu;
                nu *= 2.0;
                continue;
            };
            let h = ch.solve(&rhs);
            let zt: Vec<f64> = (0..p).map(|j| (z[j] + h[j]).clamp(bounds[j].0, bounds[j].1)).collect();
            let step = DVector::from_iterator(p, (0..p).map(|j| zt[j] - z[j]));
            // Predicted reduction of the linear model for the (clamped) step.
            let jh = &jm * &step;
            let pred = -g.dot(&step) - 0.5 * jh.norm_squared();
            let trial = match problem.residuals_and_jacobian(&zt, &mut rt, &mut jt) {
                Ok(()) if rt.len() == m => check_shape(&rt, &jt, p).map(|_| half_sum_sq(&rt)).map(Some)?.filter(|c| c.is_finite()),
                Ok(()) => return Err(FitError::Spec(format!("the number of residuals changed from {m} to {}", rt.len()))),
                Err(_) => None,
            };
            let actual = trial.map_or(f64::NEG_INFINITY, |c| cost - c);
            let rho = if pred > 0.0 { actual / pred } else { f64::NEG_INFINITY };
            if rho > 0.0 {
                let (old, znorm) = (cost, z.iter().map(|v| v * v).sum::<f64>().sqrt());
                cost = trial.unwrap_or(cost);
                z = zt;
                std::mem::swap(&mut r, &mut rt);
                std::mem::swap(&mut jac, &mut jt);
                lambda *= f64::max(1.0 / 3.0, 1.0 - (2.0 * rho - 1.0).powi(3));
                nu = 2.0;
                if actual <= self.ftol * old && pred <= self.ftol * old {
                    stop = Stop::Cost;
                    break;
                }
                if step.norm() <= self.xtol * (znorm + self.xtol) {
                    stop = Stop::Step;
                    break;
                }
            } else {
                lambda *= nu;
                nu *= 2.0;
                if lambda > 1e16 {
                    stop = Stop::NoProgress;
                    break;
                }
            }
        }
        Ok(Solution { z, cost, residuals: r, jacobian: jac, iterations, stop })
    }

    /// Minimises from `z0` and from `starts − 1` further points of a seeded Latin hypercube
    /// over `design` (one (low, high) range per coordinate), and returns the best solution
    /// (the first of equal costs) with the final cost of every start (infinite for a start
    /// that failed). The starts run in parallel on rayon's threads, each on its own clone of
    /// `problem`; the result does not depend on the number of threads.
    pub fn minimize_multi<P: LeastSquaresProblem + Clone + Send + Sync>(
        &self,
        problem: &mut P,
        z0: &[f64],
        design: &[(f64, f64)],
    ) -> Result<(Solution, Vec<f64>), FitError> {
        // Checked here too, so that a bad setting is one error, not one per start.
        self.check()?;
        if self.starts == 0 {
            return Err(FitError::Spec("starts = 0: a fit needs at least one start (the guess)".into()));
        }
        let mut points = vec![z0.to_vec()];
        points.extend(latin_hypercube(design, self.starts - 1, self.seed));
        let results: Vec<Result<Solution, FitError>> = if points.len() == 1 {
            vec![self.minimize(problem, z0)]
        } else {
            let shared: &P = problem;
            points.par_iter().map(|z| self.minimize(&mut shared.clone(), z)).collect()
        };
        let (mut best, mut costs, mut last_err): (Option<Solution>, Vec<f64>, Option<FitError>) = (None, Vec::new(), None);
        for result in results {
            match result {
                Ok(s) => {
                    costs.push(s.cost);
                    if best.as_ref().is_none_or(|b| s.cost < b.cost) {
                        best = Some(s);
                    }
                }
                Err(e) => {
                    costs.push(f64::INFINITY);
                    last_err = Some(e);
                }
            }
        }
        match best {
            Some(s) => Ok((s, costs)),
            None => Err(FitError::NoValidStart(last_err.map_or_else(String::new, |e| e.to_string()))),
        }
    }

    /// Fits the free quantities of `cost`: from their guesses, then (if `starts` > 1) from
    /// points of a Latin hypercube over their bounds in z (coordinates without finite
    /// bounds vary around the guess: a factor e either way for log-transformed ones,
    /// ±50 % or ±1 for the others).
    pub fn fit<M: NeuronModel>(&self, cost: &mut TraceCost<'_, M>) -> Result<FitResult, FitError> {
        let z0 = cost.z0();
        self.fit_from(cost, &z0)
    }

    /// Fits with the model synchronised to the data, then free: one fit for each coupling
    /// gain in `gains` (1/ms, see [`TraceCost::synchronise`]), each starting from the
    /// previous estimates, and a last one uncoupled; returns the last. Only the first stage
    /// uses the multi-start design.
    ///
    /// A spiking model fitted from distant guesses fires at the wrong times, and the cost of
    /// a trace with misplaced spikes is a landscape of narrow valleys in which a local method
    /// stalls. Coupled to the data, the model fires when the data fire, so the cost is
    /// smooth; as the gain falls to zero the estimates move to the minimum of the plain cost,
    /// whose standard errors the result reports. Gains around the inverse membrane time
    /// constant and a few times above it work for conductance-based models; the coupling gain
    /// of `cost` is left at zero.
    pub fn fit_synchronised<M: NeuronModel>(&self, cost: &mut TraceCost<'_, M>, gains: &[f64]) -> Result<FitResult, FitError> {
        if let Some(g) = gains.iter().find(|g| !(g.is_finite() && **g > 0.0)) {
            return Err(FitError::Spec(format!("coupling gains must be positive and finite, found {g}")));
        }
        let mut z = cost.z0();
        let mut stage = self.clone();
        for &g in gains {
            cost.synchronise(g)?;
            let r = stage.fit_from(cost, &z);
            cost.synchronise(0.0)?;
            z = r?.solution.z;
            stage.starts = 1;
        }
        stage.fit_from(cost, &z)
    }

    fn fit_from<M: NeuronModel>(&self, cost: &mut TraceCost<'_, M>, z0: &[f64]) -> Result<FitResult, FitError> {
        let z0 = z0.to_vec();
        let design: Vec<(f64, f64)> = cost
            .free()
            .iter()
            .zip(&z0)
            .map(|(f, &z)| {
                let (lo, hi) = f.z_bounds();
                if lo.is_finite() && hi.is_finite() {
                    (lo, hi)
                } else if f.transform == super::Transform::Log {
                    (z - 1.0, z + 1.0)
                } else {
                    let w = (0.5 * z.abs()).max(1.0);
                    ((z - w).max(lo), (z + w).min(hi))
                }
            })
            .collect();
        let (solution, start_costs) = self.minimize_multi(cost, &z0, &design)?;
        let p = z0.len();
        let estimates = cost.to_theta(&solution.z);
        let scale: Vec<f64> = cost.free().iter().zip(&solution.z).map(|(f, &z)| f.dtheta_dz(z)).collect();
        // A rank-deficient J (a NaN error: a direction the data do not see) has no covariance,
        // even where rounding lets a Cholesky factorisation of JᵀJ through.
        let determined = solution.determined_std_errors();
        let deficient = determined.as_ref().is_some_and(|se| se.iter().any(|s| s.is_nan()));
        let covariance = solution
            .covariance()
            .filter(|_| !deficient)
            .map(|c| (0..p * p).map(|k| c[k] * scale[k / p] * scale[k % p]).collect::<Vec<f64>>());
        let std_errors = match &covariance {
            Some(c) => Some((0..p).map(|j| c[j * p + j].sqrt()).collect()),
            None => determined.map(|se| se.iter().zip(&scale).map(|(s, d)| s * d.abs()).collect()),
        };
        let at_bound = cost
            .free()
            .iter()
            .zip(&solution.z)
            .zip(&estimates)
            .map(|((f, &z), &theta)| match f.transform {
                super::Transform::Logistic => (theta - f.lower).min(f.upper - theta) <= 1e-6 * (f.upper - f.lower),
                _ => {
                    let (lo, hi) = f.z_bounds();
                    z <= lo || z >= hi
                }
            })
            .collect();
        let m = solution.residuals.len();
        let predicted = solution.residuals.iter().zip(cost.data()).map(|(r, d)| r + d).collect();
        Ok(FitResult {
            names: cost.free().iter().map(|f| f.name.clone()).collect(),
            estimates,
            std_errors,
            covariance,
            rms: (2.0 * solution.cost / m as f64).sqrt(),
            predicted,
            start_costs,
            solution,
            at_bound,
        })
    }
}

/// Checks that a user's problem gave a Jacobian of m×p entries for m > 0 residuals.
fn check_shape(r: &[f64], jac: &[f64], p: usize) -> Result<(), FitError> {
    if r.is_empty() {
        return Err(FitError::Spec("the problem gave no residuals".into()));
    }
    if jac.len() != r.len() * p {
        return Err(FitError::Spec(format!(
            "the Jacobian has {} entries; {} residuals × {p} coordinates need {}",
            jac.len(),
            r.len(),
            r.len() * p
        )));
    }
    Ok(())
}

/// `n` points of a Latin hypercube over `ranges`: each range cut into `n` strata, one point
/// uniform in each stratum, strata shuffled independently per coordinate.
fn latin_hypercube(ranges: &[(f64, f64)], n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut pts = vec![vec![0.0; ranges.len()]; n];
    for (j, &(lo, hi)) in ranges.iter().enumerate() {
        let mut strata: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            strata.swap(i, rng.random_range(0..=i));
        }
        for (pt, s) in pts.iter_mut().zip(strata) {
            let u = (s as f64 + rng.random::<f64>()) / n as f64;
            pt[j] = lo + (hi - lo) * u;
        }
    }
    pts
}

#[cfg(test)]
mod tests;
