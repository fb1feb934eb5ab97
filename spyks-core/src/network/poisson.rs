//! Poisson spike sources: independent trains with a fixed or time-varying rate.

use std::sync::Arc;

use rand::SeedableRng;
use rand_distr::{Distribution, StandardUniform};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::error::NetworkError;
use super::node::SpikeSource;

type RateFn = Arc<dyn Fn(f64) -> f64 + Send + Sync>;
type RateFnPerNeuron = Arc<dyn Fn(usize, f64) -> f64 + Send + Sync>;

/// The rate (Hz) of a [`PoissonSource`].
#[derive(Clone)]
pub enum Rate {
    /// The same rate for every train.
    Const(f64),
    /// One rate per train.
    PerNeuron(Vec<f64>),
    /// A function of time (ms), the same for every train.
    Func(RateFn),
    /// A function of (train, time in ms).
    FuncPerNeuron(RateFnPerNeuron),
}

impl std::fmt::Debug for Rate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rate::Const(r) => write!(f, "Const({r} Hz)"),
            Rate::PerNeuron(r) => write!(f, "PerNeuron(len {})", r.len()),
            Rate::Func(_) => write!(f, "Func"),
            Rate::FuncPerNeuron(_) => write!(f, "FuncPerNeuron"),
        }
    }
}

/// `n` independent Poisson spike trains (rates in Hz, times in ms), added to a network with
/// [`super::Network::add_source`].
///
/// Each step of length dt, train i spikes with probability 1 − exp(−r·dt), the probability
/// that a Poisson process of rate r has at least one event in the step (a spike is placed at
/// the step's end; two events in one step count once, which matters only when r·dt is not
/// small). Brian2's `PoissonGroup` uses r·dt, equal to first order. A time-varying rate is
/// evaluated at the middle of the step; negative or NaN values count as 0 (a rectified
/// rate), +∞ as a spike every step.
///
/// The uniform draws (one per train and step, in train order) come from the source's
/// stream, seeded from the network's seed and the source's number on the first run and
/// continued by later runs: the same seed gives the same trains with any number of threads,
/// and two runs of 500 ms the same as one of 1000 ms.
///
/// ```
/// use spyks_core::network::{Network, PoissonSource};
/// let mut net = Network::new(0.1, 7)?;
/// let fixed = net.add_source(PoissonSource::new("background", 100, 20.0))?;
/// let rising = net.add_source(PoissonSource::varying("ramp", 100, |t| 0.1 * t))?; // Hz at t ms
/// let spikes = net.record_spikes(fixed, None)?;
/// net.run(1000.0)?;
/// let rate = net.spikes(spikes)?.mean_rate(0..100, 1000.0)?;
/// assert!((rate - 20.0).abs() < 2.0);
/// # let _ = rising;
/// # Ok::<(), spyks_core::network::NetworkError>(())
/// ```
#[derive(Clone, Debug)]
pub struct PoissonSource {
    name: String,
    n: usize,
    rate: Rate,
    /// The probability per step: one value for a constant rate (however many trains), one per
    /// train for rates per train, none for rates that are functions.
    p: Vec<f64>,
    dt: f64,
    rng: Option<Xoshiro256PlusPlus>,
}

impl PoissonSource {
    /// `n` trains with the rate `rate` (Hz).
    pub fn new(name: &str, n: usize, rate: f64) -> Self {
        Self::with_rate(name, n, Rate::Const(rate))
    }

    /// One train per rate (Hz).
    pub fn per_neuron(name: &str, rates: Vec<f64>) -> Self {
        let n = rates.len();
        Self::with_rate(name, n, Rate::PerNeuron(rates))
    }

    /// `n` trains with the rate `rate(t)` (Hz, t in ms).
    pub fn varying(name: &str, n: usize, rate: impl Fn(f64) -> f64 + Send + Sync + 'static) -> Self {
        Self::with_rate(name, n, Rate::Func(Arc::new(rate)))
    }

    /// `n` trains, train i with the rate `rate(i, t)` (Hz, t in ms).
    pub fn varying_per_neuron(name: &str, n: usize, rate: impl Fn(usize, f64) -> f64 + Send + Sync + 'static) -> Self {
        Self::with_rate(name, n, Rate::FuncPerNeuron(Arc::new(rate)))
    }

    /// `n` trains with any [`Rate`].
    pub fn with_rate(name: &str, n: usize, rate: Rate) -> Self {
        PoissonSource { name: name.to_string(), n, rate, p: Vec::new(), dt: f64::NAN, rng: None }
    }

    /// The probability of a spike in a step of `h` ms at rate `r` Hz.
    #[inline]
    fn prob(r: f64, h: f64) -> f64 {
        if r > 0.0 { -(-r * h * 1e-3).exp_m1() } else { 0.0 }
    }
}

impl SpikeSource for PoissonSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn len(&self) -> usize {
        self.n
    }

    fn prepare(&mut self, dt: f64, seed: u64) -> Result<(), NetworkError> {
        let check = |i: usize, r: f64| {
            if r.is_finite() && r >= 0.0 {
                Ok(())
            } else {
                Err(NetworkError::invalid(format!("Poisson source `{}`, train {i}: rate", self.name), r, "must be finite and not negative"))
            }
        };
        self.p = match &self.rate {
            Rate::Const(r) => {
                check(0, *r)?;
                vec![Self::prob(*r, dt)]
            }
            Rate::PerNeuron(rs) => {
                rs.iter().enumerate().try_for_each(|(i, &r)| check(i, r))?;
                rs.iter().map(|&r| Self::prob(r, dt)).collect()
            }
            Rate::Func(_) | Rate::FuncPerNeuron(_) => Vec::new(),
        };
        self.dt = dt;
        if self.rng.is_none() {
            self.rng = Some(Xoshiro256PlusPlus::seed_from_u64(seed));
        }
        Ok(())
    }

    fn spikes(&mut self, _step: u64, t: f64, h: f64, out: &mut Vec<u32>) {
        let rng = self.rng.as_mut().expect("prepare seeds the stream");
        // Steps shorter than dt (the last of a run) get their own probability.
        let exact = (h - self.dt).abs() <= 1e-9 * self.dt;
        let mid = t + 0.5 * h;
        match &self.rate {
            Rate::Const(r) => {
                let p = if exact { self.p.first().copied().unwrap_or(0.0) } else { Self::prob(*r, h) };
                for i in 0..self.n {
                    if uniform(rng) < p {
                        out.push(i as u32);
                    }
                }
            }
            Rate::PerNeuron(rs) => {
                for (i, (&r, &p_dt)) in rs.iter().zip(&self.p).enumerate() {
                    let p = if exact { p_dt } else { Self::prob(r, h) };
                    if uniform(rng) < p {
                        out.push(i as u32);
                    }
                }
            }
            Rate::Func(f) => {
                let p = Self::prob(f(mid), h);
                for i in 0..self.n {
                    if uniform(rng) < p {
                        out.push(i as u32);
                    }
                }
            }
            Rate::FuncPerNeuron(f) => {
                for i in 0..self.n {
                    let p = Self::prob(f(i, mid), h);
                    if uniform(rng) < p {
                        out.push(i as u32);
                    }
                }
            }
        }
    }
}

/// A uniform draw on [0, 1).
#[inline]
fn uniform(rng: &mut Xoshiro256PlusPlus) -> f64 {
    StandardUniform.sample(rng)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One constant rate needs one probability per step, 1 − e^(−r·dt), whatever the number
    /// of trains: a vector of one per train had made 4·10⁹ trains allocate 32 GB.
    #[test]
    fn a_constant_rate_keeps_one_probability() {
        let mut s = PoissonSource::new("c", 1000, 10.0);
        s.prepare(0.1, 1).unwrap();
        assert_eq!(s.p.len(), 1);
        assert!((s.p[0] - (1.0 - (-10.0 * 0.1e-3_f64).exp())).abs() < 1e-16, "{}", s.p[0]);
    }
}
