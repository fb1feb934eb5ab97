//! The numerical schemes of Izhikevich's own scripts, as [`Stepper`]s for the library's
//! fixed-step driver ([`crate::Simulation::run_fixed`]), which applies threshold and reset
//! after each step as the scripts do.

use super::{Izhikevich, IzhikevichInputs, IzhikevichState};
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
/// operations (τ·a first), so that runs agree with them to the last bit. For one neuron
/// (`f64`) or a block of lanes.
#[inline(always)]
fn advance_u<T: Real>(h: f64, a: T, b: T, v_u: T, k_u: T, v: T, u: T) -> T {
    u + T::splat(h) * a * (b * (v - v_u) - k_u * u)
}

/// [`advance_u`] of one neuron with the model's parameters.
fn advance_u_of(m: &Izhikevich, x: &mut IzhikevichState, h: f64) {
    let p = &m.params;
    x.u = advance_u(h, p.a, p.b, p.v_u, p.k_u, x.v, x.u);
}

/// Positions of v and u in the state, and of a, b, v_u and k_u in the parameters (checked
/// against the names in a test).
const V: usize = 0;
const U: usize = 1;
const A: usize = 0;
const B: usize = 1;
const V_U: usize = 7;
const K_U: usize = 8;

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
        advance_u_of(m, x, h);
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
        advance_u_of(m, x, h);
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

    /// The same step for a block of neurons, lane `l` bit for bit [`step`](Stepper::step);
    /// the parameters of u's update come from the lanes when the block carries them (neurons
    /// with their own a, b, as in `net.m`).
    #[inline(always)]
    fn step_lanes<T: Real>(&mut self, m: &Izhikevich, t: f64, h: f64, x: &mut [T], u: &[T], scratch: &mut [T]) -> Result<(), SimError> {
        let h = nominal(h, self.dt);
        let d = &mut scratch[..IzhikevichState::LEN];
        for _ in 0..2 {
            m.derivative_lanes(t, x, u, d);
            x[V] = x[V] + T::splat(0.5 * h) * d[V];
        }
        let ni = IzhikevichInputs::LEN;
        let (a, b, v_u, k_u) = if u.len() > ni {
            let p = &u[ni..];
            (p[A], p[B], p[V_U], p[K_U])
        } else {
            let p = &m.params;
            (T::splat(p.a), T::splat(p.b), T::splat(p.v_u), T::splat(p.k_u))
        };
        x[U] = advance_u(h, a, b, v_u, k_u, x[V], x[U]);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::izhikevich::IzhikevichParams;

    #[test]
    fn the_positions_of_the_block_step_are_those_of_the_names() {
        assert_eq!([IzhikevichState::index_of("v").ok(), IzhikevichState::index_of("u").ok()], [Some(V), Some(U)]);
        let params = ["a", "b", "v_u", "k_u"].map(|n| IzhikevichParams::index_of(n).ok());
        assert_eq!(params, [Some(A), Some(B), Some(V_U), Some(K_U)]);
    }
}
