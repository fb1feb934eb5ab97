//! The classic fourth-order Runge-Kutta method.

use super::Stepper;
use crate::error::SimError;
use crate::lanes::Real;
use crate::model::NeuronModel;
use crate::vector::Vector;

/// Classic RK4. Order 4.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rk4;

impl<M: NeuronModel> Stepper<M> for Rk4 {
    fn name(&self) -> &'static str {
        "rk4"
    }
    fn order(&self) -> u32 {
        4
    }
    fn work(&self, steps: u64) -> super::Work {
        super::Work { evaluations: 4 * steps, jacobians: 0 }
    }
    #[inline]
    fn step<U: Fn(f64) -> M::Inputs>(&mut self, m: &M, t: f64, h: f64, x: &mut M::State, inputs: &U) -> Result<(), SimError> {
        let half = t + 0.5 * h;
        let u_half = inputs(half);
        let k1 = m.derivative(t, x, &inputs(t));
        let k2 = m.derivative(half, &x.zip_map(&k1, |x, k| x + 0.5 * h * k), &u_half);
        let k3 = m.derivative(half, &x.zip_map(&k2, |x, k| x + 0.5 * h * k), &u_half);
        let k4 = m.derivative(t + h, &x.zip_map(&k3, |x, k| x + h * k), &inputs(t + h));
        let s = k1.zip3_map(&k2, &k3, |a, b, c| a + 2.0 * b + 2.0 * c);
        *x = x.zip3_map(&s, &k4, |x, s, d| x + h / 6.0 * (s + d));
        Ok(())
    }
    fn supports_lanes(&self) -> bool {
        true
    }
    fn supports_param_lanes(&self) -> bool {
        true
    }
    /// The same stages with inputs constant over the step (so `inputs(t + h/2)` is `u`).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn step_lanes<T: Real>(&mut self, m: &M, t: f64, h: f64, x: &mut [T], u: &[T], scratch: &mut [T]) -> Result<(), SimError> {
        let n = M::State::LEN;
        let x = &mut x[..n];
        let (k1, rest) = scratch[..5 * n].split_at_mut(n);
        let (k2, rest) = rest.split_at_mut(n);
        let (k3, rest) = rest.split_at_mut(n);
        let (k4, y) = rest.split_at_mut(n);
        let half = t + 0.5 * h;
        let (hh, hs) = (T::splat(0.5 * h), T::splat(h));
        m.derivative_lanes(t, x, u, k1);
        for v in 0..n {
            y[v] = hh.mul_add(k1[v], x[v]);
        }
        m.derivative_lanes(half, y, u, k2);
        for v in 0..n {
            y[v] = hh.mul_add(k2[v], x[v]);
        }
        m.derivative_lanes(half, y, u, k3);
        for v in 0..n {
            y[v] = hs.mul_add(k3[v], x[v]);
        }
        m.derivative_lanes(t + h, y, u, k4);
        let two = T::splat(2.0);
        let sixth = T::splat(h / 6.0);
        for v in 0..n {
            let s = two.mul_add(k3[v], two.mul_add(k2[v], k1[v]));
            x[v] = sixth.mul_add(s + k4[v], x[v]);
        }
        Ok(())
    }
}
