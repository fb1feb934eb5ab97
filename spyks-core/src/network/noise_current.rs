//! Per-neuron noise currents: a fresh Gaussian value every step (the thalamic input of
//! Izhikevich 2003), the step average of a white noise, or an Ornstein-Uhlenbeck process.

use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use super::drive::Drive;
use super::error::NetworkError;
use super::population::CHUNK;
use super::seed::{Purpose, stream};
use super::values::Values;

/// How the noise evolves from step to step.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    PerStep,
    White,
    Ou { tau: f64 },
}

/// A Gaussian noise current per neuron, added to an input with
/// [`super::Network::add_drive`]; constant over each step.
///
/// * [`NoiseCurrent::per_step`]: mean + sd·N(0, 1), drawn afresh every step, whatever dt is:
///   the thalamic input `I = [5*randn(Ne,1); 2*randn(Ni,1)]` of Izhikevich (2003), `net.m`.
///   Its effect depends on dt (the variance of the integrated current is sd²·dt²).
/// * [`NoiseCurrent::white`]: mean + σ·N(0, 1)/√dt, the step average of a white noise of
///   intensity σ (unit of the input times √ms): the integrated current has variance σ²·dt
///   as for dW, so the effect does not depend on dt.
/// * [`NoiseCurrent::ornstein_uhlenbeck`]: τ dη = −η dt + sd·√(2τ) dW, updated exactly
///   (η ← η·e^{−dt/τ} + sd·√(1 − e^{−2dt/τ})·N(0, 1)), started from its stationary
///   distribution; the input gets mean + η, a coloured noise with standard deviation sd.
///
/// The draws come from one stream per chunk of [`CHUNK`] neurons, keyed by the network's
/// seed, the population, the drive's number and the chunk: the same seed gives the same
/// noise with any number of threads. The stream continues across runs. Means and standard
/// deviations are per neuron ([`Values`]; random ones are drawn once, from the drive's
/// stream).
///
/// ```
/// use spyks_core::network::{Network, NoiseCurrent, Population};
/// use spyks_core::presets::izhikevich::{Izhikevich, NetScheme};
///
/// let mut net = Network::new(1.0, 1)?;
/// let p = net.add_population(Population::new("cortex", 1000, Izhikevich::new(), |_| NetScheme { dt: 1.0 }))?;
/// // net.m: 5·randn for the 800 excitatory neurons, 2·randn for the 200 inhibitory ones.
/// let sd: Vec<f64> = (0..1000).map(|i| if i < 800 { 5.0 } else { 2.0 }).collect();
/// net.add_drive(p, "I", NoiseCurrent::per_step(sd))?;
/// net.run(10.0)?;
/// # Ok::<(), spyks_core::network::NetworkError>(())
/// ```
#[derive(Clone, Debug)]
pub struct NoiseCurrent {
    name: String,
    kind: Kind,
    mean: Values,
    sd: Values,
    /// Per neuron, after `prepare`.
    means: Vec<f64>,
    sds: Vec<f64>,
    /// OU state per neuron.
    eta: Vec<f64>,
    rngs: Vec<Xoshiro256PlusPlus>,
    /// The step's normal deviates, one per neuron (a buffer, filled every step).
    z: Vec<f64>,
    dt: f64,
}

impl NoiseCurrent {
    fn with(kind: Kind, sd: Values) -> Self {
        NoiseCurrent {
            name: "noise".to_string(),
            kind,
            mean: Values::Const(0.0),
            sd,
            means: Vec::new(),
            sds: Vec::new(),
            eta: Vec::new(),
            rngs: Vec::new(),
            z: Vec::new(),
            dt: f64::NAN,
        }
    }

    /// sd·N(0, 1) drawn afresh every step (Izhikevich 2003, `net.m`).
    pub fn per_step(sd: impl Into<Values>) -> Self {
        Self::with(Kind::PerStep, sd.into())
    }

    /// A white noise of intensity `sigma` (input unit × √ms), averaged over each step:
    /// sigma·N(0, 1)/√dt.
    pub fn white(sigma: impl Into<Values>) -> Self {
        Self::with(Kind::White, sigma.into())
    }

    /// An Ornstein-Uhlenbeck current with correlation time `tau` (ms) and stationary
    /// standard deviation `sd`.
    pub fn ornstein_uhlenbeck(tau: f64, sd: impl Into<Values>) -> Self {
        Self::with(Kind::Ou { tau }, sd.into())
    }

    /// The mean current (default 0).
    pub fn mean(mut self, mean: impl Into<Values>) -> Self {
        self.mean = mean.into();
        self
    }

    /// A name for messages.
    pub fn named(mut self, name: &str) -> Self {
        self.name = name.to_string();
        self
    }
}

impl Drive for NoiseCurrent {
    fn name(&self) -> &str {
        &self.name
    }

    fn prepare(&mut self, n: usize, dt: f64, seed: u64) -> Result<(), NetworkError> {
        if let Kind::Ou { tau } = self.kind
            && !(tau > 0.0 && tau.is_finite())
        {
            return Err(NetworkError::invalid(format!("noise current `{}`: tau", self.name), tau, "must be positive and finite"));
        }
        if self.rngs.len() == n.div_ceil(CHUNK) && self.means.len() == n {
            // A later run continues the streams and the OU state.
            self.dt = dt;
            return Ok(());
        }
        let mut rng = stream(seed, Purpose::Drive, u64::MAX, 0);
        self.means = self.mean.materialize(n, &mut rng, &format!("noise current `{}`: mean", self.name))?;
        self.sds = self.sd.materialize(n, &mut rng, &format!("noise current `{}`: sd", self.name))?;
        if let Some(&bad) = self.sds.iter().find(|&&s| s < 0.0) {
            return Err(NetworkError::invalid(format!("noise current `{}`: sd", self.name), bad, "must not be negative"));
        }
        self.rngs = (0..n.div_ceil(CHUNK)).map(|c| stream(seed, Purpose::Drive, c as u64, 1)).collect();
        self.eta = vec![0.0; n];
        self.z = vec![0.0; n];
        if let Kind::Ou { .. } = self.kind {
            for ((eta, sd), rng) in self.eta.chunks_mut(CHUNK).zip(self.sds.chunks(CHUNK)).zip(&mut self.rngs) {
                for (e, s) in eta.iter_mut().zip(sd) {
                    let z: f64 = StandardNormal.sample(rng);
                    *e = s * z;
                }
            }
        }
        self.dt = dt;
        Ok(())
    }

    fn add(&mut self, _step: u64, _t: f64, h: f64, input: &mut [f64]) {
        let kind = self.kind;
        let (scale, decay) = match kind {
            Kind::PerStep => (1.0, 0.0),
            Kind::White => (1.0 / h.sqrt(), 0.0),
            Kind::Ou { tau } => {
                let a = (-h / tau).exp();
                ((1.0 - a * a).sqrt(), a)
            }
        };
        input
            .par_chunks_mut(CHUNK)
            .zip(self.rngs.par_iter_mut())
            .zip(self.means.par_chunks(CHUNK))
            .zip(self.sds.par_chunks(CHUNK))
            .zip(self.eta.par_chunks_mut(CHUNK))
            .zip(self.z.par_chunks_mut(CHUNK))
            .for_each(|(((((inp, rng), mean), sd), eta), z)| {
                // The draws first, in a tight loop with the generator's state in a local, then
                // the arithmetic in loops the compiler vectorises (the same values in the
                // same order as drawing inside the arithmetic: 1.1x on the Izhikevich network).
                let len = inp.len();
                let mut r = rng.clone();
                for zj in z.iter_mut() {
                    *zj = StandardNormal.sample(&mut r);
                }
                *rng = r;
                let (z, mean, sd) = (&z[..len], &mean[..len], &sd[..len]);
                match kind {
                    Kind::Ou { .. } => {
                        for j in 0..len {
                            eta[j] = decay * eta[j] + sd[j] * scale * z[j];
                            inp[j] += mean[j] + eta[j];
                        }
                    }
                    _ => {
                        for j in 0..len {
                            inp[j] += mean[j] + sd[j] * scale * z[j];
                        }
                    }
                }
            });
    }
}
