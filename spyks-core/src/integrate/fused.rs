//! A method whose population blocks fuse multiply-adds.

use super::{Stepper, Work};
use crate::error::SimError;
use crate::lanes::Real;
use crate::model::NeuronModel;

/// `S` with fused multiply-adds in a population's blocks: where the processor has them
/// (AVX-512F, or AVX2 with FMA), every `a·b + c` of the block step (the generated model code,
/// the `exp` family and the method's own arithmetic, see [`Real::mul_add`]) is one
/// instruction rounded once instead of two rounded twice, as C++ compilers contract it with
/// `-march=native` (Brian2's default flags). Single neurons, the neurons after a
/// population's last whole block, and processors without the instructions take `S`'s own
/// step, unchanged.
///
/// Faster (measured on an Intel Xeon with AVX-512, 10000 neurons with exponential Euler:
/// Hodgkin-Huxley 1.57x, Pospischil 1.44x, biocm 1.71x; the fused blocks also take `exp`
/// by a shorter reduction, see `packed_math`'s `scalef_reduce`) and at least as accurate at each
/// operation, but no longer bit for bit: a neuron in a block ends its step within a few
/// rounding errors of where [`step`](Stepper::step) takes it, so its trajectory is not the
/// single-neuron run's, nor the same across processors with and without the instructions.
/// A run stays determined by its seed on one processor, with any number of threads (the
/// blocks are the same whatever the chunks).
///
/// ```
/// use spyks_core::integrate::{ExpEuler, Fused, Stepper};
/// use spyks_core::presets::hodgkin_huxley::HodgkinHuxley;
///
/// let fused = Fused(ExpEuler);
/// assert!(<Fused<ExpEuler> as Stepper<HodgkinHuxley>>::FUSED);
/// assert_eq!(Stepper::<HodgkinHuxley>::name(&fused), "exponential-euler");
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Fused<S>(pub S);

impl<M: NeuronModel, S: Stepper<M>> Stepper<M> for Fused<S> {
    const FUSED: bool = true;
    const BLOCK_STEP_READS_SELF: bool = S::BLOCK_STEP_READS_SELF;

    /// `S`'s name: the method is the same.
    fn name(&self) -> &'static str {
        self.0.name()
    }
    fn order(&self) -> u32 {
        self.0.order()
    }
    fn work(&self, steps: u64) -> Work {
        self.0.work(steps)
    }
    fn supports_noise(&self) -> bool {
        self.0.supports_noise()
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn step<U: Fn(f64) -> M::Inputs>(&mut self, model: &M, t: f64, h: f64, x: &mut M::State, inputs: &U) -> Result<(), SimError> {
        self.0.step(model, t, h, x, inputs)
    }
    fn reads_inputs_at_start(&self) -> bool {
        self.0.reads_inputs_at_start()
    }
    fn supports_param_lanes(&self) -> bool {
        self.0.supports_param_lanes()
    }
    fn uses_step_factors(&self) -> bool {
        self.0.uses_step_factors()
    }
    fn supports_lanes(&self) -> bool {
        self.0.supports_lanes()
    }
    fn begin_lanes(&mut self, model: &M, t: f64, h: f64) {
        self.0.begin_lanes(model, t, h)
    }
    fn end_lanes(&mut self) {
        self.0.end_lanes()
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn step_lanes<T: Real>(&mut self, model: &M, t: f64, h: f64, x: &mut [T], u: &[T], scratch: &mut [T]) -> Result<(), SimError> {
        self.0.step_lanes(model, t, h, x, u, scratch)
    }
}
