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
///
/// A model with lookup tables whose step table for h is current
/// ([`NeuronModel::refresh_step`], which fixed-step drivers call) gives its gating variables'
/// factors G = expm1(B·h) and F = A·expm1(B·h)/B from that table instead
/// ([`NeuronModel::step_factors`]): X ← X + (G·X + F), without an `expm1` or a division.
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
        let u = inputs(t);
        // A model with a step table for h gives the gating variables' factors directly.
        *x = match m.step_factors(t, h, x, &u) {
            Some((g, f)) => {
                let mut tabulated = M::STEP_TABULATED.iter();
                x.zip3_map(&g, &f, |x, a, b| {
                    let factored = *tabulated.next().expect("STEP_TABULATED has one flag per variable");
                    if factored { x + (a * x + b) } else { Self::update(x, a, b, h, 1e-10) }
                })
            }
            None => {
                let (a, b) = m.linear_coefficients(t, x, &u);
                x.zip3_map(&a, &b, |x, a, b| Self::update(x, a, b, h, 1e-10))
            }
        };
        Ok(())
    }
    fn reads_inputs_at_start(&self) -> bool {
        true
    }
    fn supports_lanes(&self) -> bool {
        true
    }
    fn supports_param_lanes(&self) -> bool {
        true
    }
    fn uses_step_factors(&self) -> bool {
        true
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn step_lanes<T: Real>(&mut self, m: &M, t: f64, h: f64, x: &mut [T], u: &[T], scratch: &mut [T]) -> Result<(), SimError> {
        let n = M::State::LEN;
        let (a, b) = scratch[..2 * n].split_at_mut(n);
        let (hs, tiny) = (T::splat(h), T::splat(1e-10));
        if m.step_factors_lanes(t, h, x, u, a, b) {
            for (i, ((x, &a), &b)) in x[..n].iter_mut().zip(a.iter()).zip(b.iter()).enumerate() {
                *x = if M::STEP_TABULATED[i] { *x + (a * *x + b) } else { Self::update(*x, a, b, hs, tiny) };
            }
            return Ok(());
        }
        m.linear_coefficients_lanes(t, x, u, a, b);
        for ((x, &a), &b) in x[..n].iter_mut().zip(a.iter()).zip(b.iter()) {
            *x = Self::update(*x, a, b, hs, tiny);
        }
        Ok(())
    }
}

impl ExpEuler {
    /// The update of one variable from its coefficients A and B, for one neuron or a block:
    /// X + (A + B·X)·expm1(B·h)/B, or the Euler step where |B·h| < `tiny` (expm1(B·h)/B → h as
    /// B → 0; below 1e-10 relative the Euler form is exact to round-off).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn update<T: Real>(x0: T, a: T, b: T, hs: T, tiny: T) -> T {
        let bh = b * hs;
        // Both forms (the unused one may be 0/0 where B = 0), then the choice.
        let euler = x0 + hs * (a + b * x0);
        let exact = x0 + (a + b * x0) * bh.exp_m1() / b;
        T::select(bh.abs().lt(tiny), euler, exact)
    }
}
