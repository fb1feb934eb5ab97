//! Heun's method (explicit trapezoid, RK2).

use super::Stepper;
use crate::error::SimError;
use crate::lanes::Real;
use crate::model::NeuronModel;
use crate::vector::Vector;

/// Heun's method: k1 = f(t, x), k2 = f(t + h, x + h·k1), x ← x + h/2·(k1 + k2). Order 2.
#[derive(Clone, Copy, Debug, Default)]
pub struct Heun;

impl<M: NeuronModel> Stepper<M> for Heun {
    fn name(&self) -> &'static str {
        "heun"
    }
    fn order(&self) -> u32 {
        2
    }
    fn work(&self, steps: u64) -> super::Work {
        super::Work { evaluations: 2 * steps, jacobians: 0 }
    }
    #[inline]
    fn step<U: Fn(f64) -> M::Inputs>(&mut self, m: &M, t: f64, h: f64, x: &mut M::State, inputs: &U) -> Result<(), SimError> {
        let k1 = m.derivative(t, x, &inputs(t));
        let x1 = x.zip_map(&k1, |x, k| x + h * k);
        let k2 = m.derivative(t + h, &x1, &inputs(t + h));
        *x = x.zip3_map(&k1, &k2, |x, a, b| x + 0.5 * h * (a + b));
        Ok(())
    }
    fn supports_lanes(&self) -> bool {
        true
    }
    fn supports_param_lanes(&self) -> bool {
        true
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn step_lanes<T: Real>(&mut self, m: &M, t: f64, h: f64, x: &mut [T], u: &[T], scratch: &mut [T]) -> Result<(), SimError> {
        let n = M::State::LEN;
        let (k1, rest) = scratch[..3 * n].split_at_mut(n);
        let (k2, x1) = rest.split_at_mut(n);
        m.derivative_lanes(t, x, u, k1);
        let hs = T::splat(h);
        for ((x1, &x), &k) in x1.iter_mut().zip(x[..n].iter()).zip(k1.iter()) {
            *x1 = hs.mul_add(k, x);
        }
        m.derivative_lanes(t + h, x1, u, k2);
        let half = T::splat(0.5 * h);
        for ((x, &a), &b) in x[..n].iter_mut().zip(k1.iter()).zip(k2.iter()) {
            *x = half.mul_add(a + b, *x);
        }
        Ok(())
    }
}
