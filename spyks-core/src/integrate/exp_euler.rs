//! Exponential Euler (Rush-Larsen).

use super::Stepper;
use crate::error::SimError;
use crate::lanes::Real;
use crate::model::NeuronModel;
use crate::vector::Vector;

/// Exponential Euler: each variable whose equation is linear in itself, dX/dt = A + B·X (the
/// macro finds A and B symbolically, as Brian2's `exponential_euler` and NEURON's `cnexp`
/// do), is advanced exactly for A and B frozen at the start of the step:
/// X ← X + (A + B·X)·expm1(B·h)/B (with [`crate::math::exp_m1`], which also vectorises in
/// [`step_lanes`](Stepper::step_lanes)). The others (B = 0, listed in the model's docs) take an
/// Euler step. Order 1, but stable for stiff gating kinetics at any step. Its error constant
/// can be much larger than forward Euler's (7-10 times on Hodgkin-Huxley, because the gates'
/// coefficients are frozen while V moves); [`ExpMidpoint`](super::ExpMidpoint) is the
/// second-order version that removes this.
#[derive(Clone, Copy, Debug, Default)]
pub struct ExpEuler;

impl<M: NeuronModel> Stepper<M> for ExpEuler {
    fn name(&self) -> &'static str {
        "exponential-euler"
    }
    fn order(&self) -> u32 {
        1
    }
    #[inline]
    fn step<U: Fn(f64) -> M::Inputs>(&mut self, m: &M, t: f64, h: f64, x: &mut M::State, inputs: &U) -> Result<(), SimError> {
        let (a, b) = m.linear_coefficients(t, x, &inputs(t));
        *x = x.zip3_map(&a, &b, |x, a, b| {
            let bh = b * h;
            // expm1(bh)/b → h as b → 0; below 1e-10 relative the Euler form is exact to
            // round-off.
            if bh.abs() < 1e-10 { x + h * (a + b * x) } else { x + (a + b * x) * crate::math::exp_m1(bh) / b }
        });
        Ok(())
    }
    fn reads_inputs_at_start(&self) -> bool {
        true
    }
    fn supports_lanes(&self) -> bool {
        true
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn step_lanes<T: Real>(&mut self, m: &M, t: f64, h: f64, x: &mut [T], u: &[T], scratch: &mut [T]) -> Result<(), SimError> {
        let n = M::State::LEN;
        let (a, b) = scratch[..2 * n].split_at_mut(n);
        m.linear_coefficients_lanes(t, x, u, a, b);
        let (hs, tiny) = (T::splat(h), T::splat(1e-10));
        for ((x, &a), &b) in x[..n].iter_mut().zip(a.iter()).zip(b.iter()) {
            let x0 = *x;
            let bh = b * hs;
            // Both forms for every lane (the unused one may be 0/0 where B = 0), then the
            // scalar step's choice.
            let euler = x0 + hs * (a + b * x0);
            let exact = x0 + (a + b * x0) * bh.exp_m1() / b;
            *x = T::select(bh.abs().lt(tiny), euler, exact);
        }
        Ok(())
    }
}
