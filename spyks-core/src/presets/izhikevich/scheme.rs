//! The numerical schemes of Izhikevich's own scripts, as [`Stepper`]s for the library's
//! fixed-step driver ([`crate::Simulation::run_fixed`]), which applies threshold and reset
//! after each step as the scripts do.

use super::{Izhikevich, IzhikevichInputs, IzhikevichParams, IzhikevichState};
use crate::error::SimError;
use crate::integrate::Stepper;
use crate::lanes::Real;
use crate::model::NeuronModel;
use crate::vector::Vector;

/// The step the scheme takes: the scripts advance by a constant `tau`, while the driver's
/// h = t_{k+1} − t_k equals `tau` only to rounding when `tau` is not a power of two (0.2 ms,
/// 0.1 ms). A step within 1e-9 of `tau` is taken as `tau`; a shorter one (the last step of a
/// run whose length is not a multiple of `tau`) as itself.
fn nominal(h: f64, tau: f64) -> f64 {
    if (h - tau).abs() <= 1e-9 * tau { tau } else { h }
}

/// The u half of both scripts' step: forward Euler from the new v, in the scripts' order of
/// operations (τ·a first), so that runs agree with them to the last bit.
fn advance_u(m: &Izhikevich, x: &mut IzhikevichState, h: f64) {
    let p = &m.params;
    x.u += h * p.a * (p.b * (x.v - p.v_u) - p.k_u * x.u);
}

/// The scheme of `figure1.m` (Izhikevich 2004) and of the 2003 figure script: forward Euler
/// for v, then u from the new v, with the input read at the step's start:
///
/// V ← V + τ·(q2·V² + q1·V + q0 − u + I(t)),  u ← u + τ·a·(b·(V − v_u) − k_u·u).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FigureScheme {
    /// The script's step τ (ms).
    pub tau: f64,
}

impl Stepper<Izhikevich> for FigureScheme {
    fn name(&self) -> &'static str {
        "izhikevich-figure1"
    }

    fn order(&self) -> u32 {
        1
    }

    fn step<U: Fn(f64) -> IzhikevichInputs>(
        &mut self,
        m: &Izhikevich,
        t: f64,
        h: f64,
        x: &mut IzhikevichState,
        inputs: &U,
    ) -> Result<(), SimError> {
        let h = nominal(h, self.tau);
        let i = inputs(t);
        x.v += h * m.derivative(t, x, &i).v;
        advance_u(m, x, h);
        Ok(())
    }
}

/// The scheme of `net.m` (Izhikevich 2003): v advanced in two half steps, then u from the
/// new v, with the input read at the step's start (the paper uses a 1 ms step).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NetScheme {
    /// The full step (ms); the paper's is 1 ms.
    pub dt: f64,
}

impl Stepper<Izhikevich> for NetScheme {
    fn name(&self) -> &'static str {
        "izhikevich-net2003"
    }

    fn order(&self) -> u32 {
        1
    }

    fn work(&self, steps: u64) -> crate::integrate::Work {
        crate::integrate::Work { evaluations: 2 * steps, jacobians: 0 }
    }

    fn step<U: Fn(f64) -> IzhikevichInputs>(
        &mut self,
        m: &Izhikevich,
        t: f64,
        h: f64,
        x: &mut IzhikevichState,
        inputs: &U,
    ) -> Result<(), SimError> {
        let h = nominal(h, self.dt);
        let i = inputs(t);
        for _ in 0..2 {
            x.v += 0.5 * h * m.derivative(t, x, &i).v;
        }
        advance_u(m, x, h);
        Ok(())
    }

    fn reads_inputs_at_start(&self) -> bool {
        true
    }

    fn supports_lanes(&self) -> bool {
        true
    }

    /// The same step for a block of neurons, lane `l` bit for bit [`step`](Stepper::step);
    /// the parameters of u's update come from the lanes when the block carries them (neurons
    /// with their own a, b, as in `net.m`).
    #[inline(always)]
    fn step_lanes<T: Real>(&mut self, m: &Izhikevich, t: f64, h: f64, x: &mut [T], u: &[T], scratch: &mut [T]) -> Result<(), SimError> {
        let h = nominal(h, self.dt);
        let (ni, (v, w)) = (IzhikevichInputs::LEN, (0, 1));
        let d = &mut scratch[..IzhikevichState::LEN];
        for _ in 0..2 {
            m.derivative_lanes(t, x, u, d);
            x[v] = x[v] + T::splat(0.5 * h) * d[v];
        }
        // advance_u, parameter by parameter from the lanes or the model.
        let p = &m.params;
        let param = |name: &str, shared: f64| -> T {
            match IzhikevichParams::index_of(name) {
                Ok(k) if u.len() > ni => u[ni + k],
                _ => T::splat(shared),
            }
        };
        let (a, b, v_u, k_u) = (param("a", p.a), param("b", p.b), param("v_u", p.v_u), param("k_u", p.k_u));
        x[w] = x[w] + T::splat(h) * a * (b * (x[v] - v_u) - k_u * x[w]);
        Ok(())
    }
}
