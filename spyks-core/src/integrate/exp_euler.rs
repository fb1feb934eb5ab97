//! Exponential Euler (Rush-Larsen).

use super::Stepper;
use crate::error::SimError;
use crate::model::NeuronModel;
use crate::vector::Vector;

/// Exponential Euler: each variable whose equation is linear in itself, dX/dt = A + B·X (the
/// macro finds A and B symbolically, as Brian2's `exponential_euler` and NEURON's `cnexp`
/// do), is advanced exactly for A and B frozen at the start of the step:
/// X ← X + (A + B·X)·expm1(B·h)/B. The others (B = 0, listed in the model's docs) take an
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
            if bh.abs() < 1e-10 { x + h * (a + b * x) } else { x + (a + b * x) * bh.exp_m1() / b }
        });
        Ok(())
    }
}
