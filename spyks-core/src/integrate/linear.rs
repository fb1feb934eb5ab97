//! Exact integration of linear models by a cached propagator (Brian2's `linear` method).

use nalgebra::DMatrix;

use super::{Stepper, Work};
use crate::error::SimError;
use crate::lanes::{Mask, Real, gather_lane};
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
/// Cost per step: one Jacobian and one derivative evaluation, n² comparisons, Φ·b and P·x.
/// Populations step blocks of neurons that share their inputs (as the CUBA network's do):
/// A, b and Φ·b are then computed once per time step (once per run while the inputs stay,
/// when the model's equations leave time out: [`NeuronModel::AUTONOMOUS`]), and each neuron
/// costs P·x + Φ·b (five multiply-adds for the three-variable CUBA neuron, whose synaptic
/// variables decay on their own, against about sixty operations for RK4's four derivative
/// evaluations): the CUBA benchmark runs about 1.5 times faster than with RK4, with the same
/// spikes. P's entries that the model's equations make zero
/// ([`NeuronModel::PROPAGATOR_PATTERN`]) are left out at compile time. (Skipping them by
/// testing P's values at run time was tried: the branches made the compiler's code for the
/// block loop fragile, 0.06 to 0.12 s from one build to the next.)
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
    /// P (row-major, n² entries) followed by c = Φ·b of the current step (for the block
    /// step: of the block's shared inputs), in one array so that the block step checks one
    /// length per block.
    pc: Vec<f64>,
    /// Φ, row-major.
    phi: Vec<f64>,
    /// For models of up to four variables, the block step's P and c (as `pc`), inside the
    /// stepper at a constant size: the block loop reads them without loading `pc`'s address
    /// and checking its length per block (CUBA's block loop 78.9 to 75.9 instructions per
    /// block, `callgrind`; 6-10 % faster in interleaved runs).
    inline_pc: [f64; INLINE_PC],
    /// b of the current step.
    b: Vec<f64>,
    /// The state of the current (scalar) step.
    xs: Vec<f64>,
    /// The bits of (t, inputs, parameters) that `a`, `b` and Φ·b were computed for by the
    /// block step (t as [`key_time`] gives it); empty when they were not. The step is not in
    /// it: they hold for every h that reuses the propagator (`h_close`).
    lanes_key: Vec<u64>,
    /// Between [`Stepper::begin_lanes`] and [`Stepper::end_lanes`].
    in_pass: bool,
    /// In a pass, and `lanes_key` holds the pass's t and parameters (and its h reuses the
    /// propagator): only the inputs are compared per block.
    pass_fresh: bool,
    exponentials: u64,
    preparations: u64,
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

    /// How many times the block step computed A, b and Φ·b for a block's shared inputs (a
    /// measure of its cache: once per change of the inputs, parameters or step, and of the
    /// time unless the model is [`AUTONOMOUS`](NeuronModel::AUTONOMOUS)).
    pub fn preparations(&self) -> u64 {
        self.preparations
    }

    /// Sizes the buffers for `n` state variables (forgetting the cached propagator if `n`
    /// changed).
    fn size_for(&mut self, n: usize) {
        if self.a.len() != n * n {
            *self = Linear {
                exponentials: self.exponentials,
                preparations: self.preparations,
                steps: self.steps,
                in_pass: self.in_pass,
                ..Linear::default()
            };
            self.a_key.resize(n * n, f64::NAN);
            self.a.resize(n * n, f64::NAN);
            self.pc.resize(n * n + n, 0.0);
            self.pc[..n * n].fill(f64::NAN);
            self.phi.resize(n * n, f64::NAN);
            self.b.resize(n, 0.0);
            self.xs.resize(n, 0.0);
        }
    }

    /// Recomputes the propagator unless A (bit for bit) and h (to `H_TOLERANCE`) are those it
    /// was computed for.
    fn refresh_if_changed(&mut self, n: usize, h: f64) {
        let same = self.h_close(h) && self.a.iter().zip(&self.a_key).all(|(a, k)| a.to_bits() == k.to_bits());
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
            for j in 0..n {
                self.pc[i * n + j] = e[(i, j)];
                self.phi[i * n + j] = e[(i, n + j)];
            }
        }
        self.a_key.copy_from_slice(&self.a);
        self.h_key = h;
        self.exponentials += 1;
    }

    /// c = Φ·b, each row summed left to right from its first product.
    fn input_term(&mut self, n: usize) {
        for (i, ci) in self.pc[n * n..].iter_mut().enumerate() {
            let row = &self.phi[i * n..(i + 1) * n];
            *ci = row[1..].iter().zip(&self.b[1..]).fold(row[0] * self.b[0], |s, (r, b)| s + r * b);
        }
    }

    /// x′ᵢ = Σⱼ Pᵢⱼ·xⱼ + cᵢ: the row's products summed left to right, then c (the same
    /// order in the scalar and the block step), over the entries that
    /// [`NeuronModel::PROPAGATOR_PATTERN`] says can be nonzero. The pattern is a constant of
    /// the model, so once the loop over the row is unrolled each test is decided at compile
    /// time and the code holds only the needed products (CUBA: five of nine, so ten
    /// arithmetic operations per neuron instead of eighteen), and c only where
    /// [`NeuronModel::STATE_FREE_TERMS`] says it can be nonzero (CUBA: in v's row). Skipping
    /// an exact zero changes no finite result but the sign of a zero sum, and keeps a
    /// non-finite variable from reaching variables that do not depend on it.
    #[inline(always)]
    fn propagate<M: NeuronModel, T: Real>(pc: &[f64], i: usize, n: usize, x: &[T]) -> T {
        let row = &pc[i * n..(i + 1) * n];
        let pattern = M::PROPAGATOR_PATTERN;
        let needed = |j: usize| pattern.len() != n * n || pattern[i * n + j];
        let mut s: Option<T> = None;
        for (j, (&r, &xj)) in row.iter().zip(&x[..n]).enumerate() {
            if needed(j) {
                let r = T::splat(r);
                s = Some(match s {
                    Some(s) => r.mul_add(xj, s),
                    None => r * xj,
                });
            }
        }
        // c_i = Σ_j Φ_ij·b_j, exactly zero when every b_j that row i reaches is (Φ has P's
        // pattern): then not added (a constant test, decided at compile time).
        let free = M::STATE_FREE_TERMS;
        let input_term = free.len() != n || (0..n).any(|j| needed(j) && free[j]);
        let s = s.unwrap_or(T::splat(0.0));
        if input_term { s + T::splat(pc[n * n + i]) } else { s }
    }
}

impl Linear {
    /// Whether `lanes_key` is a key of `M` and holds these t and parameters (the bit
    /// differences or-ed together and tested once: one branch, not one per entry), and h
    /// reuses the cached propagator.
    #[inline(always)]
    fn key_matches<M: NeuronModel>(&self, m: &M, t: f64, h: f64) -> bool {
        let ni = M::Inputs::LEN;
        let key = &self.lanes_key[..];
        if key.len() != 1 + ni + M::Params::LEN {
            return false;
        }
        let params = m.params();
        let mut d = key[0] ^ key_time::<M>(t);
        for k in 0..M::Params::LEN {
            d |= key[1 + ni + k] ^ params.get_index(k).unwrap_or(f64::NAN).to_bits();
        }
        d == 0 && self.h_close(h)
    }

    /// Whether the cached propagator serves a step of `h`: within [`Self::H_TOLERANCE`] of
    /// the step it was computed for, as [`refresh_if_changed`](Self::refresh_if_changed)
    /// decides. A and b being the same, Φ·b is then the same too, bit for bit: a network's
    /// steps t_{k+1} − t_k, which take a dozen values differing in their last bits, reuse the
    /// block step's A, b and Φ·b.
    #[inline(always)]
    fn h_close(&self, h: f64) -> bool {
        (h - self.h_key).abs() <= Self::H_TOLERANCE * self.h_key
    }

    /// A, b and Φ·b for a block step from the block's shared inputs `u0`, and the key they are
    /// cached under.
    #[cold]
    #[inline(never)]
    fn prepare_lanes<M: NeuronModel>(&mut self, m: &M, t: f64, h: f64, u0: &M::Inputs) -> Result<(), SimError> {
        let n = M::State::LEN;
        self.size_for(n);
        let zeros = M::State::zeros();
        m.jacobian(t, &zeros, u0, &mut self.a);
        m.derivative(t, &zeros, u0).write_to(&mut self.b);
        self.lanes_key.clear();
        self.pass_fresh = false;
        if !self.b.iter().all(|v| v.is_finite()) {
            return Err(SimError::Unsupported("a block's b is not finite: the scalar step handles it".into()));
        }
        self.refresh_if_changed(n, h);
        self.input_term(n);
        if n * n + n <= INLINE_PC {
            self.inline_pc[..n * n + n].copy_from_slice(&self.pc[..n * n + n]);
        }
        self.preparations += 1;
        self.lanes_key.push(key_time::<M>(t));
        self.lanes_key.extend(u0.to_vec().iter().map(|u| u.to_bits()));
        let params = m.params();
        self.lanes_key.extend((0..M::Params::LEN).map(|k| params.get_index(k).unwrap_or(f64::NAN).to_bits()));
        // Within a pass every block has the pass's t, h and model.
        self.pass_fresh = self.in_pass;
        Ok(())
    }
}

/// The size of [`Linear`]'s inline copy of a small model's P and c (n² + n for n = 4).
const INLINE_PC: usize = 20;

/// The time as the block step's cache key holds it: its bits, or 0 for a model whose
/// equations leave time out ([`NeuronModel::AUTONOMOUS`]), whose A, b and Φ·b for given
/// inputs, parameters and step are then reused from one time step to the next (one
/// computation per run for the CUBA network instead of one per chunk and step).
#[inline(always)]
fn key_time<M: NeuronModel>(t: f64) -> u64 {
    if M::AUTONOMOUS { 0 } else { t.to_bits() }
}

#[cold]
fn lanes_differ() -> SimError {
    SimError::Unsupported("the inputs differ between the lanes of a block".into())
}

#[cold]
fn unsized_block() -> SimError {
    SimError::Unsupported("the block's arrays or the cached propagator are smaller than the model".into())
}

#[cold]
fn not_linear(name: &str) -> SimError {
    SimError::Unsupported(format!(
        "the model `{name}` is not a linear system with state-free coefficients (and without noise); \
         `linear` integrates only such models: use Rk4, ExpEuler or Dopri5"
    ))
}

impl<M: NeuronModel> Stepper<M> for Linear {
    /// The block step reads the propagator and the pass's flags from the stepper.
    const BLOCK_STEP_READS_SELF: bool = true;

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
        x.write_to(&mut self.xs);
        // b from the state 0 rather than f(x) − A·x: no cancellation, so its bits do not
        // depend on x.
        m.derivative(t, &M::State::zeros(), &u).write_to(&mut self.b);
        if !self.b.iter().all(|v| v.is_finite()) {
            let f = m.derivative(t, x, &u);
            for (i, bi) in self.b.iter_mut().enumerate() {
                let ax: f64 = (0..n).map(|j| self.a[i + n * j] * self.xs[j]).sum();
                *bi = f.get_index(i).unwrap_or(f64::NAN) - ax;
            }
        }
        self.refresh_if_changed(n, h);
        self.input_term(n);
        self.lanes_key.clear();
        self.pass_fresh = false;
        for i in 0..n {
            let xi = Self::propagate::<M, f64>(&self.pc, i, n, &self.xs);
            x.set_index(i, xi);
        }
        Ok(())
    }

    fn reads_inputs_at_start(&self) -> bool {
        true
    }
    fn supports_lanes(&self) -> bool {
        M::LINEAR_SYSTEM
    }

    /// Checks the cached propagator's t, h and parameters once for the pass, so that each
    /// block compares only its inputs (CUBA 3-5 % faster than comparing everything per block).
    fn begin_lanes(&mut self, m: &M, t: f64, h: f64) {
        self.in_pass = true;
        self.pass_fresh = self.key_matches::<M>(m, t, h);
    }

    fn end_lanes(&mut self) {
        self.in_pass = false;
        self.pass_fresh = false;
    }

    /// The same propagator for a block whose neurons share their inputs (the model's
    /// coefficients are state-free, so A and b differ between lanes only through the inputs):
    /// A, b and c = Φ·b from the shared inputs, computed once while t, h, the inputs and the
    /// parameters stay the same (bit for bit), so that a step over a population costs one
    /// evaluation of them and then a few multiply-adds per neuron; a block whose lanes' inputs
    /// differ, or that carries parameters per lane, is refused (and its neurons go one by one).
    /// Lane `l` is bit for bit
    /// [`step`](Stepper::step) of that neuron. Always inlined into the block loop, its
    /// computation of A, b and Φ·b kept out of line: when the compiler declined to inline it
    /// whole, the block's values went through memory and CUBA ran 1.6 times slower.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn step_lanes<T: Real>(&mut self, m: &M, t: f64, h: f64, x: &mut [T], u: &[T], scratch: &mut [T]) -> Result<(), SimError> {
        if !M::LINEAR_SYSTEM {
            return Err(not_linear(M::NAME));
        }
        let (n, ni) = (M::State::LEN, M::Inputs::LEN);
        if u.len() > ni {
            return Err(SimError::Unsupported("the parameters differ between the lanes of a block".into()));
        }
        for ui in &u[..ni] {
            if ui.ne(T::splat(ui.lane(0))).any() {
                return Err(lanes_differ());
            }
        }
        // In a pass, the key's t and parameters and the step were checked once (`begin_lanes`)
        // or cached for it, and only the inputs can differ from block to block. The bit
        // differences are or-ed together and tested once (one branch, not one per entry).
        let shared = self.pass_fresh || self.key_matches::<M>(m, t, h);
        let fresh = shared
            && self
                .lanes_key
                .get(1..1 + ni)
                .is_some_and(|key| key.iter().zip(&u[..ni]).fold(0, |d, (k, ui)| d | (k ^ ui.lane(0).to_bits())) == 0);
        if !fresh {
            let u0: M::Inputs = gather_lane(u, 0);
            self.prepare_lanes(m, t, h, &u0)?;
        }
        self.steps += T::LANES as u64;
        if x.len() < n || scratch.len() < n {
            return Err(unsized_block());
        }
        // A small model's P and c from the copy inside the stepper (see `inline_pc`), whose
        // size is a constant: no bounds check and no address to load per block.
        let pc: &[f64] = if n * n + n <= INLINE_PC {
            &self.inline_pc
        } else if self.pc.len() >= n * n + n {
            // One check of the size, so that the rows below are read without a bounds check
            // each (`prepare_lanes` sized the propagator for this model).
            &self.pc
        } else {
            return Err(unsized_block());
        };
        let next = &mut scratch[..n];
        for (i, xi) in next.iter_mut().enumerate() {
            *xi = Self::propagate::<M, T>(pc, i, n, x);
        }
        x[..n].copy_from_slice(next);
        Ok(())
    }
}
