//! Exponential Euler (Rush-Larsen).

use super::Stepper;
use crate::error::SimError;
use crate::lanes::{Mask, Real};
use crate::model::NeuronModel;
use crate::vector::Vector;

/// Exponential Euler: each variable whose equation is linear in itself, dX/dt = A + B·X (the
/// macro finds A and B symbolically, as Brian2's `exponential_euler` and NEURON's `cnexp`
/// do), is advanced exactly for A and B frozen at the start of the step:
/// X ← X + (A + B·X)·h·φ₁(B·h), φ₁(z) = (e^z − 1)/z. Where |B·h| is below
/// [`EXP_M1_SMALL`](crate::math::EXP_M1_SMALL) (nearly always) φ₁ is a polynomial
/// ([`crate::math::phi1_small`]): no division by B, no cancellation, and φ₁(0) = 1; elsewhere
/// the factor is expm1(B·h)/B ([`crate::math::exp_m1`]). Both vectorise in
/// [`step_lanes`](Stepper::step_lanes). The others (B = 0, listed in the model's docs) take an
/// Euler step, which is the same formula. Order 1, but stable for stiff gating kinetics at any step. Its error constant
/// can be much larger than forward Euler's, because the gates' coefficients are frozen while
/// V moves: on Hodgkin-Huxley (the largest |V| error over 50 ms at steps of 1-10 µs) 2.5
/// times at 5 pA, 9-11 times at 10 and 20 pA. [`ExpMidpoint`](super::ExpMidpoint) is the
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
                    if factored { x + (a * x + b) } else { Self::update_one(x, a, b, h) }
                })
            }
            None => {
                let (a, b) = m.linear_coefficients(t, x, &u);
                x.zip3_map(&a, &b, |x, a, b| Self::update_one(x, a, b, h))
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
        let hs = T::splat(h);
        if m.step_factors_lanes(t, h, x, u, a, b) {
            // No whole-block test here (below): with most variables from the step table, the
            // rest (V) takes both forms and the choice per lane. The test restricted to those
            // variables was measured: 17 % less time on Pospischil's tables, 6 % on biocm's,
            // 12 % more on HH's (where the test alone once cost 20 % more instructions), so
            // no choice that holds for every model.
            Self::update_all::<T, false>(&mut x[..n], a, b, hs, |i| !M::STEP_TABULATED[i]);
            return Ok(());
        }
        m.linear_coefficients_lanes(t, x, u, a, b);
        // One test for the whole block: whether every B·h is small enough for φ₁'s polynomial
        // (see `Real::phi1_small`), so that the updates stay one straight run of code either
        // way, without the other form and the choice per lane (HH: 7 % fewer instructions,
        // 12 % less time, measured with expm1's short form, which this replaced).
        if Self::all_small(b, hs) {
            Self::update_all::<T, true>(&mut x[..n], a, b, hs, |_| true);
        } else {
            Self::update_all::<T, false>(&mut x[..n], a, b, hs, |_| true);
        }
        Ok(())
    }
}

impl ExpEuler {
    /// The block's update: [`update`](Self::update) for the variables with `exact(i)`,
    /// X + (G·X + F) from the step table for the others.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn update_all<T: Real, const SMALL: bool>(x: &mut [T], a: &[T], b: &[T], hs: T, exact: impl Fn(usize) -> bool) {
        for (i, ((x, &a), &b)) in x.iter_mut().zip(a).zip(b).enumerate() {
            *x = if exact(i) { Self::update::<T, SMALL>(*x, a, b, hs) } else { *x + a.mul_add(*x, b) };
        }
    }

    /// Whether |B·h| < [`EXP_M1_SMALL`](crate::math::EXP_M1_SMALL) in every lane of every
    /// variable (B·h computed as in [`update`](Self::update)).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn all_small<T: Real>(b: &[T], hs: T) -> bool {
        let bound = T::splat(crate::math::EXP_M1_SMALL);
        // A loop, not `fold`: the same result, but the fold came out 5 % more instructions on
        // HH's block step (measured with callgrind).
        let mut small = <T::Mask as Mask>::splat(true);
        for &b in b {
            small = small.and((b * hs).abs().lt(bound));
        }
        small.all()
    }

    /// The update of one variable of one neuron from its coefficients A and B:
    /// [`small_form`](Self::small_form) where |B·h| < [`EXP_M1_SMALL`](crate::math::EXP_M1_SMALL),
    /// else [`large_form`](Self::large_form). The bits of [`update`](Self::update) for a
    /// lane, with a branch instead of both forms.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn update_one(x0: f64, a: f64, b: f64, h: f64) -> f64 {
        let bh = b * h;
        if bh.abs() < crate::math::EXP_M1_SMALL { Self::small_form(x0, a, b, h, bh) } else { Self::large_form(x0, a, b, bh) }
    }

    /// [`update_one`](Self::update_one) for a block: both forms and the choice per lane, or,
    /// with SMALL (the caller has checked |B·h| < `EXP_M1_SMALL` in every lane), the
    /// polynomial form alone.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn update<T: Real, const SMALL: bool>(x0: T, a: T, b: T, hs: T) -> T {
        let bh = b * hs;
        let small = Self::small_form(x0, a, b, hs, bh);
        if SMALL {
            return small;
        }
        T::select(bh.abs().lt(T::splat(crate::math::EXP_M1_SMALL)), small, Self::large_form(x0, a, b, bh))
    }

    /// X + (A + B·X)·(h·φ₁(B·h)), φ₁ the polynomial of [`crate::math::phi1_small`]: valid for
    /// |B·h| < `EXP_M1_SMALL`, the Euler step where B·h = 0.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn small_form<T: Real>(x0: T, a: T, b: T, hs: T, bh: T) -> T {
        b.mul_add(x0, a).mul_add(hs * bh.phi1_small(), x0)
    }

    /// X + (A + B·X)·expm1(B·h)/B, for |B·h| ≥ `EXP_M1_SMALL` (0/0 where B = 0).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn large_form<T: Real>(x0: T, a: T, b: T, bh: T) -> T {
        x0 + b.mul_add(x0, a) * bh.exp_m1() / b
    }
}
