//! The classic fourth-order Runge-Kutta method.

use super::Stepper;
use crate::error::SimError;
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
}
