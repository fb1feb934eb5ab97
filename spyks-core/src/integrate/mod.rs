//! Integrators. Every method works with every generated model, monomorphised and inlined.
//!
//! The integrators are our own rather than an ODE crate's: the workload is many small,
//! resettable systems whose state jumps at spikes, with inputs that are functions of time, and
//! the step must inline the model's generated code. A [`Stepper`] advances one step; the
//! drivers in [`crate::simulate`] handle thresholds, resets, refractory periods, clipping and
//! recording around any stepper, including one a user writes:
//!
//! ```
//! use spyks_core::integrate::{Stepper, Work};
//! use spyks_core::{NeuronModel, SimError, Simulation};
//!
//! /// Izhikevich's own scheme (2003): v in two half steps, then u with the new v.
//! struct IzhikevichScheme;
//!
//! impl<M: NeuronModel> Stepper<M> for IzhikevichScheme {
//!     fn name(&self) -> &'static str { "izhikevich-2003" }
//!     fn order(&self) -> u32 { 1 }
//!     // Three evaluations of the derivative per step, for the run's statistics (the default
//!     // counts one).
//!     fn work(&self, steps: u64) -> Work { Work { evaluations: 3 * steps, jacobians: 0 } }
//!     fn step<U: Fn(f64) -> M::Inputs>(&mut self, m: &M, t: f64, h: f64, x: &mut M::State, u: &U) -> Result<(), SimError> {
//!         use spyks_core::Vector;
//!         let inputs = u(t);
//!         for _ in 0..2 {
//!             let dv = m.derivative(t, x, &inputs).get_index(0).unwrap();
//!             let v = x.get_index(0).unwrap();
//!             x.set_index(0, v + 0.5 * h * dv);
//!         }
//!         let du = m.derivative(t, x, &inputs).get_index(1).unwrap();
//!         let w = x.get_index(1).unwrap();
//!         x.set_index(1, w + h * du);
//!         Ok(())
//!     }
//! }
//!
//! spyks_core::neuron_model! {
//!     /// Izhikevich (2003), regular spiking.
//!     model Izh;
//!     parameters { a: 0.02 1/ms, b: 0.2 1/ms, c: -65 mV, d: 8 mV/ms }
//!     state { v: -65 mV, u: -13 mV/ms }
//!     inputs { I: 10 mV/ms }
//!     equations {
//!         dv/dt = 0.04 1/(ms*mV) * v^2 + 5 1/ms * v + 140 mV/ms - u + I,
//!         du/dt = a * (b * v - u),
//!     }
//!     threshold { v >= 30 mV }
//!     reset { v = c, u = u + d }
//! }
//!
//! // The driver applies threshold, reset and recording around the scheme, as for its own.
//! let run = Simulation::new(&Izh::new(), 100.0).run_fixed(&mut IzhikevichScheme, 1.0)?;
//! assert!(!run.spikes.is_empty());
//! assert_eq!(run.stats.evaluations, 3 * run.stats.steps);
//! # Ok::<(), SimError>(())
//! ```

mod backward_euler;
mod dopri;
mod euler;
mod exp_euler;
mod exp_midpoint;
mod fused;
mod heun;
mod linear;
mod rk4;
mod rosenbrock;
#[cfg(test)]
pub(crate) mod test_problems;

pub use backward_euler::BackwardEuler;
pub(crate) use dopri::RightHandSide;
pub use dopri::{Atol, DenseStep, Dopri5};
pub use euler::Euler;
pub use exp_euler::ExpEuler;
pub use exp_midpoint::ExpMidpoint;
pub use fused::Fused;
pub use heun::Heun;
pub use linear::Linear;
pub use rk4::Rk4;
pub use rosenbrock::Rosenbrock;

use crate::error::SimError;
use crate::lanes::Real;
use crate::model::NeuronModel;

/// The scratch a [`Stepper::step_lanes`] may use: this many blocks per state variable.
pub const LANE_SCRATCH: usize = 5;

/// Evaluations an integrator has made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Evaluations of the model's derivative.
    pub evaluations: u64,
    /// Evaluations of the model's Jacobian.
    pub jacobians: u64,
}

/// One fixed step of an integration method.
pub trait Stepper<M: NeuronModel> {
    /// The method's name, for reports.
    fn name(&self) -> &'static str;

    /// Whether a population's blocks may round `a·b + c` once ([`Real::mul_add`] fused) where
    /// the processor has fused multiply-adds. `false`: every block gives the bits of the
    /// scalar [`step`](Self::step). [`Fused`] says yes.
    const FUSED: bool = false;

    /// Whether [`step_lanes`](Self::step_lanes) reads values kept in the stepper on every
    /// block ([`Linear`]'s propagator). A population's block pass then finds the neurons that
    /// fired by a branch per block; otherwise it keeps the blocks that fired in a list without
    /// a branch, which is faster (COBA 1.09-1.12x) unless the block step's loads from the
    /// stepper wait behind the list's stores (CUBA with `Linear` 0.75-0.80x). The same
    /// neurons are listed either way.
    const BLOCK_STEP_READS_SELF: bool = false;

    /// The order of the global error (error ∝ h^order).
    fn order(&self) -> u32;

    /// Derivative and Jacobian evaluations, for statistics. Methods with a fixed cost per step
    /// compute it from `steps`; methods whose cost varies (Newton iterations) return their own
    /// running counts and ignore `steps`. Drivers take the difference over a run. The default
    /// counts one derivative evaluation per step (Euler's cost): a method that evaluates more
    /// says so here, or its runs under-report their work.
    fn work(&self, steps: u64) -> Work {
        Work { evaluations: steps, jacobians: 0 }
    }

    /// Whether the method integrates the white-noise term (Euler-Maruyama).
    fn supports_noise(&self) -> bool {
        false
    }

    /// Advances `x` from `t` to `t + h`. `inputs(s)` gives the model's inputs at any time `s`
    /// in the step.
    fn step<U: Fn(f64) -> M::Inputs>(&mut self, model: &M, t: f64, h: f64, x: &mut M::State, inputs: &U) -> Result<(), SimError>;

    /// Whether [`step`](Self::step) reads the inputs only at the step's start (`inputs(t)`):
    /// then a population can hand it, and its block step, the synaptic currents and
    /// conductances of the step's start as constants, and step neurons with such synapses in
    /// blocks. `false` by default (the safe answer).
    fn reads_inputs_at_start(&self) -> bool {
        false
    }

    /// Whether [`step_lanes`](Self::step_lanes) also steps blocks whose lanes have their own
    /// parameter values (carried in `u` after the inputs, [`NeuronModel::HAS_PARAM_LANES`]),
    /// passing `u` whole to the model's lane methods. `false` by default (the safe answer: a
    /// block step that reads `m.params()` or only the inputs of `u` would use the shared
    /// parameters); the library's explicit methods say yes, `Linear` (one set of coefficients
    /// per block) no.
    fn supports_param_lanes(&self) -> bool {
        false
    }

    /// Whether the method reads a model's step table ([`NeuronModel::step_factors`]), so that
    /// fixed-step drivers build one for the run's step. `false` by default: only
    /// [`ExpEuler`] does.
    fn uses_step_factors(&self) -> bool {
        false
    }

    /// Whether [`step_lanes`](Self::step_lanes) integrates blocks of neurons of `M`. `false`
    /// by default, so that a custom method keeps working neuron by neuron.
    fn supports_lanes(&self) -> bool {
        false
    }

    /// Begins a pass of [`step_lanes`](Self::step_lanes) over the blocks of one chunk of
    /// neurons: until [`end_lanes`](Self::end_lanes), every call of `step_lanes` has this
    /// `model`, `t` and `h` (the populations' block loop keeps this promise; a caller that
    /// breaks it may get a stepper's work cached for the pass, such as [`Linear`]'s
    /// propagator), so that what depends on them alone is checked once per pass rather than
    /// per block. Nothing by default.
    fn begin_lanes(&mut self, model: &M, t: f64, h: f64) {
        let _ = (model, t, h);
    }

    /// Ends the pass begun by [`begin_lanes`](Self::begin_lanes). Nothing by default.
    fn end_lanes(&mut self) {}

    /// One step of a block of neurons with inputs constant over the step, laid out as in
    /// [`NeuronModel::derivative_lanes`] (`x[v]` is variable v of every lane). Lane `l` ends
    /// bit for bit where [`step`](Self::step) takes that neuron, when `T`'s
    /// [`Real::mul_add`] rounds twice (every lane type but those of [`Fused`] blocks, which
    /// round once: then within rounding of it). `scratch` holds at least
    /// [`LANE_SCRATCH`] blocks per state variable. The default refuses.
    ///
    /// # Panics
    /// If a slice is too short (a programming error).
    fn step_lanes<T: Real>(&mut self, model: &M, t: f64, h: f64, x: &mut [T], u: &[T], scratch: &mut [T]) -> Result<(), SimError> {
        let _ = (model, t, h, x, u, scratch);
        Err(SimError::Unsupported(format!("`{}` has no block step", self.name())))
    }
}
