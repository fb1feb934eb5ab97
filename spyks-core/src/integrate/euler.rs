//! Forward Euler, and Euler-Maruyama for models with a white-noise term.

use super::Stepper;
use crate::error::SimError;
use crate::lanes::Real;
use crate::model::NeuronModel;
use crate::vector::Vector;
use rand::SeedableRng;
use rand_distr::Distribution;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Forward Euler: x ← x + h·f(t, x). For models with `xi`, Euler-Maruyama:
/// x ← x + h·f + sqrt(h)·g·N(0, 1), the normal numbers drawn from one portable seeded stream
/// that the stepper holds.
///
/// The stream continues across runs made with the same stepper, as Brian2's and NEST's do
/// across their runs: a second run is a new sample path, not a repeat. A fresh stepper with
/// the same seed repeats a run.
///
/// ```
/// use spyks_core::integrate::Euler;
/// use spyks_core::{Simulation, neuron_model};
/// neuron_model! {
///     model Ou;
///     parameters { tau: 10 ms, sigma: 2 mV/ms^(1/2) }
///     state { v: 0 mV }
///     equations { dv/dt = -v / tau + sigma * xi }
/// }
/// let m = Ou::new();
/// let sim = Simulation::new(&m, 10.0);
/// let mut euler = Euler::with_seed(3);
/// let first = sim.run_fixed(&mut euler, 0.1).unwrap();
/// let second = sim.run_fixed(&mut euler, 0.1).unwrap();
/// let again = sim.run_fixed(&mut Euler::with_seed(3), 0.1).unwrap();
/// assert_ne!(first.columns, second.columns);
/// assert_eq!(first.columns, again.columns);
/// ```
#[derive(Clone, Debug)]
pub struct Euler {
    rng: Xoshiro256PlusPlus,
}

impl Default for Euler {
    fn default() -> Self {
        Euler::new()
    }
}

impl Euler {
    /// Forward Euler (noise stream seeded with 0).
    pub fn new() -> Self {
        Euler::with_seed(0)
    }

    /// Euler-Maruyama with the noise stream seeded by `seed` (Xoshiro256++, the same on every
    /// platform); the stream continues across the runs made with this stepper.
    pub fn with_seed(seed: u64) -> Self {
        Euler { rng: Xoshiro256PlusPlus::seed_from_u64(seed) }
    }
}

impl<M: NeuronModel> Stepper<M> for Euler {
    fn name(&self) -> &'static str {
        "euler"
    }
    fn order(&self) -> u32 {
        1
    }
    fn supports_noise(&self) -> bool {
        true
    }
    #[inline]
    fn step<U: Fn(f64) -> M::Inputs>(&mut self, m: &M, t: f64, h: f64, x: &mut M::State, inputs: &U) -> Result<(), SimError> {
        let u = inputs(t);
        let f = m.derivative(t, x, &u);
        if M::HAS_NOISE {
            let g = m.noise(t, x, &u);
            let sq = h.sqrt();
            let rng = &mut self.rng;
            *x = x.zip3_map(&f, &g, |x, f, g| {
                if g == 0.0 {
                    x + h * f
                } else {
                    let z: f64 = rand_distr::StandardNormal.sample(rng);
                    x + h * f + sq * g * z
                }
            });
        } else {
            *x = x.zip_map(&f, |x, f| x + h * f);
        }
        Ok(())
    }
    fn reads_inputs_at_start(&self) -> bool {
        true
    }
    /// Deterministic models only: the noise streams are drawn neuron by neuron.
    fn supports_lanes(&self) -> bool {
        !M::HAS_NOISE
    }
    fn supports_param_lanes(&self) -> bool {
        !M::HAS_NOISE
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn step_lanes<T: Real>(&mut self, m: &M, t: f64, h: f64, x: &mut [T], u: &[T], scratch: &mut [T]) -> Result<(), SimError> {
        if M::HAS_NOISE {
            return Err(SimError::Unsupported("Euler-Maruyama has no block step".into()));
        }
        let n = M::State::LEN;
        let f = &mut scratch[..n];
        m.derivative_lanes(t, x, u, f);
        let hs = T::splat(h);
        for (x, &f) in x[..n].iter_mut().zip(f.iter()) {
            *x = hs.mul_add(f, *x);
        }
        Ok(())
    }
}
