//! Exact integration of linear models by a cached propagator (Brian2's `linear` method).

use nalgebra::DMatrix;

use super::{Stepper, Work};
use crate::error::SimError;
use crate::lanes::{Real, gather_lane};
use crate::model::NeuronModel;
use crate::vector::Vector;

/// The exact solution of a linear model, dx/dt = A·x + b, over one step:
/// x(t + h) = P·x(t) + Φ·b with P = e^{A·h} and Φ = ∫₀ʰ e^{A·s} ds, both read off one matrix
/// exponential of the block matrix [[A·h, h·I], [0, 0]] = exp → [[P, Φ], [0, I]].
///
/// Only for models the macro proved linear with state-free coefficients
/// ([`NeuronModel::LINEAR_SYSTEM`]: every right-hand side affine in the state, its Jacobian
/// free of the state, no noise); any other model gives [`SimError::Unsupported`]. A is the
/// model's Jacobian and b = f(t, 0, u), both taken at the start of the step, where the drivers'
/// inputs are right-continuous: the step is exact (to round-off, at any step size) for
/// inputs that are constant over each step, such as step currents switching at step
/// boundaries or synaptic jumps applied between steps. Inputs that vary within a step, and
/// coefficients that depend on time, are frozen at the start of the step (order 1 in them).
///
/// This is Brian2's `linear` state updater, and the reason to use it: the CUBA benchmark
/// neuron and the leaky integrate-and-fire family are linear, and for them a matrix-vector
/// product per step gives the exact answer at any step size, where RK4 is only accurate at
/// small ones. P and Φ are cached and recomputed (one (2n)×(2n) matrix exponential, a few
/// microseconds for small n) only when A changes (compared bit for bit) or h does (by more
/// than [`Linear::H_TOLERANCE`] relative: a fixed-step driver computes h = t_{k+1} − t_k on
/// the grid t_0 + k·dt, whose round-off makes h wobble in its last bits; those wobbles are
/// errors of the grid, not step changes). b enters only through Φ·b, so inputs that change
/// every step, or differ from neuron to neuron, cost no exponential; coefficients that do
/// (a time constant set per neuron in a population, a coefficient depending on an input
/// that changes every step) cost one exponential per change, which is far slower than RK4.
/// The cached path allocates nothing: its buffers are sized for the model on first use.
///
/// Cost per step: one Jacobian and one derivative evaluation, n² comparisons and an n×2n
/// matrix-vector product. For the three-variable CUBA neuron this is about as fast as RK4's
/// four derivative evaluations (measured 10-30% slower in the network benchmark, with the
/// same spikes): the gain is exactness, and steps as large as the dynamics allow.
///
/// ```
/// use spyks_core::integrate::Linear;
/// use spyks_core::presets::integrate_and_fire::Lif;
/// use spyks_core::{NeuronModel, Signal, Simulation, Stimulus};
///
/// let lif = Lif::new();
/// assert!(Lif::LINEAR_SYSTEM);
/// let stim = Stimulus::new().with("I", Signal::Const(150.0)).unwrap();
/// let run = Simulation::new(&lif, 100.0).stimulus(stim).run_fixed(&mut Linear::new(), 0.5).unwrap();
/// assert!(!run.spikes.is_empty());
/// ```
#[derive(Clone, Debug, Default)]
pub struct Linear {
    /// The A (column-major) and h the propagator was computed for; empty before first use.
    a_key: Vec<f64>,
    h_key: f64,
    /// The Jacobian of the current step.
    a: Vec<f64>,
    /// [P Φ], row-major (n rows of 2n), so that x ← [P Φ]·[x; b] is n dot products.
    rows: Vec<f64>,
    /// [x; b] of the current step.
    z: Vec<f64>,
    exponentials: u64,
    steps: u64,
}

impl Linear {
    /// The relative change of the step below which the propagator is reused: above the
    /// round-off of a time grid t_0 + k·dt up to t ≈ 10⁷·dt, far below any intended change.
    pub const H_TOLERANCE: f64 = 1e-9;

    /// A stepper with an empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many matrix exponentials this stepper has computed: one per change of the
    /// Jacobian or of the step, so one in all for a model with constant coefficients.
    pub fn exponentials(&self) -> u64 {
        self.exponentials
    }

    /// Sizes the buffers for `n` state variables (forgetting the cached propagator if `n`
    /// changed).
    fn size_for(&mut self, n: usize) {
        if self.a.len() != n * n {
            *self = Linear { exponentials: self.exponentials, steps: self.steps, ..Linear::default() };
            self.a_key.resize(n * n, f64::NAN);
            self.a.resize(n * n, f64::NAN);
            self.rows.resize(2 * n * n, f64::NAN);
            self.z.resize(2 * n, 0.0);
        }
    }

    /// Recomputes the propagator unless A (bit for bit) and h (to `H_TOLERANCE`) are those it
    /// was computed for.
    fn refresh_if_changed(&mut self, n: usize, h: f64) {
        let same = (h - self.h_key).abs() <= Self::H_TOLERANCE * self.h_key
            && self.a.iter().zip(&self.a_key).all(|(a, k)| a.to_bits() == k.to_bits());
        if !same {
            self.refresh(n, h);
        }
    }

    #[cold]
    #[inline(never)]
    fn refresh(&mut self, n: usize, h: f64) {
        let m = 2 * n;
        let mut big = DMatrix::<f64>::zeros(m, m);
        for j in 0..n {
            for i in 0..n {
                big[(i, j)] = self.a[i + n * j] * h;
            }
            big[(j, n + j)] = h;
        }
        let e = big.exp();
        for i in 0..n {
            for j in 0..m {
                self.rows[i * m + j] = e[(i, j)];
            }
        }
        self.a_key.copy_from_slice(&self.a);
        self.h_key = h;
        self.exponentials += 1;
    }
}

#[cold]
fn not_linear(name: &str) -> SimError {
    SimError::Unsupported(format!(
        "the model `{name}` is not a linear system with state-free coefficients (and without noise); \
         `linear` integrates only such models: use Rk4, ExpEuler or Dopri5"
    ))
}

impl<M: NeuronModel> Stepper<M> for Linear {
    fn name(&self) -> &'static str {
        "linear"
    }
    /// Exact for the model class it accepts; reported as order 1 in inputs varying within a
    /// step.
    fn order(&self) -> u32 {
        1
    }
    fn work(&self, _steps: u64) -> Work {
        Work { evaluations: self.steps, jacobians: self.steps }
    }
    #[inline]
    fn step<U: Fn(f64) -> M::Inputs>(&mut self, m: &M, t: f64, h: f64, x: &mut M::State, inputs: &U) -> Result<(), SimError> {
        if !M::LINEAR_SYSTEM {
            return Err(not_linear(M::NAME));
        }
        let n = M::State::LEN;
        self.size_for(n);
        self.steps += 1;
        let u = inputs(t);
        m.jacobian(t, x, &u, &mut self.a);
        let (xs, b) = self.z.split_at_mut(n);
        x.write_to(xs);
        // b from the state 0 rather than f(x) − A·x: no cancellation, so its bits do not
        // depend on x.
        m.derivative(t, &M::State::zeros(), &u).write_to(b);
        if !b.iter().all(|v| v.is_finite()) {
            let f = m.derivative(t, x, &u);
            for (i, bi) in b.iter_mut().enumerate() {
                let ax: f64 = (0..n).map(|j| self.a[i + n * j] * xs[j]).sum();
                *bi = f.get_index(i).unwrap_or(f64::NAN) - ax;
            }
        }
        self.refresh_if_changed(n, h);
        for (i, row) in self.rows.chunks_exact(2 * n).enumerate() {
            // Left to right from the first product, as the block step sums.
            let s = row[1..].iter().zip(&self.z[1..]).fold(row[0] * self.z[0], |s, (r, z)| s + r * z);
            x.set_index(i, s);
        }
        Ok(())
    }

    fn supports_lanes(&self) -> bool {
        M::LINEAR_SYSTEM
    }

    /// The same propagator for a block whose neurons share A (the model's coefficients are
    /// state-free, so A differs between lanes only through the inputs): A from lane 0, checked
    /// against the other lanes' inputs, which must equal lane 0's bit for bit, else the block
    /// is refused (and its neurons go one by one); b = f(t, 0, u) per lane; x ← [P Φ]·[x; b]
    /// with the scalar step's sums in the scalar step's order. Lane `l` is bit for bit
    /// [`step`](Stepper::step) of that neuron.
    #[inline]
    fn step_lanes<T: Real>(&mut self, m: &M, t: f64, h: f64, x: &mut [T], u: &[T], scratch: &mut [T]) -> Result<(), SimError> {
        if !M::LINEAR_SYSTEM {
            return Err(not_linear(M::NAME));
        }
        let (n, ni) = (M::State::LEN, M::Inputs::LEN);
        for ui in &u[..ni] {
            let first = ui.lane(0).to_bits();
            if (1..T::LANES).any(|l| ui.lane(l).to_bits() != first) {
                return Err(SimError::Unsupported("the inputs differ between the lanes of a block".into()));
            }
        }
        self.size_for(n);
        let x0: M::State = gather_lane(x, 0);
        let u0: M::Inputs = gather_lane(u, 0);
        m.jacobian(t, &x0, &u0, &mut self.a);
        // b for every lane, from the state 0 (as the scalar step).
        let (b, rest) = scratch[..3 * n].split_at_mut(n);
        let (zeros, next) = rest.split_at_mut(n);
        zeros.fill(T::splat(0.0));
        m.derivative_lanes(t, zeros, u, b);
        for bv in b.iter() {
            if (0..T::LANES).any(|l| !bv.lane(l).is_finite()) {
                return Err(SimError::Unsupported("a block's b is not finite: the scalar step handles it".into()));
            }
        }
        self.refresh_if_changed(n, h);
        self.steps += T::LANES as u64;
        for (i, row) in self.rows.chunks_exact(2 * n).enumerate() {
            let mut s = T::splat(row[0]) * x[0];
            for (j, &r) in row.iter().enumerate().skip(1) {
                let z = if j < n { x[j] } else { b[j - n] };
                s = s + T::splat(r) * z;
            }
            next[i] = s;
        }
        x[..n].copy_from_slice(&next[..n]);
        Ok(())
    }
}
