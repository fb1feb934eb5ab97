//! Heun's method (explicit trapezoid, RK2).

use super::Stepper;
use crate::error::SimError;
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
}
