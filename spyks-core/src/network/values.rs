//! Per-neuron or per-synapse values: a constant, an array, or draws from a distribution.

use rand_distr::Distribution;
use rand_xoshiro::Xoshiro256PlusPlus;
use std::sync::Arc;

use super::error::NetworkError;

type Draw = Arc<dyn Fn(&mut Xoshiro256PlusPlus) -> f64 + Send + Sync>;

/// Values for a set of neurons or synapses, in internal units (ms, mV, pA, nS, pF).
///
/// Random values are drawn, one per element in order, from a stream determined by the
/// network's seed and by what they are for (see [`super::seed`]): the same seed gives the
/// same values whatever the number of threads.
///
/// ```
/// use spyks_core::network::Values;
/// let v = Values::uniform(-60.0, -50.0);      // U[-60, -50)
/// let w = Values::normal(1.0, 0.1);            // N(1, 0.1²)
/// let c = Values::from(0.5);                   // constant
/// let a = Values::from(vec![1.0, 2.0, 3.0]);   // one per element
/// # let _ = (v, w, c, a);
/// ```
#[derive(Clone)]
pub enum Values {
    /// The same value everywhere.
    Const(f64),
    /// One value per element.
    Array(Vec<f64>),
    /// Independent draws.
    Random(Draw),
}

impl std::fmt::Debug for Values {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Values::Const(v) => write!(f, "Const({v})"),
            Values::Array(a) => write!(f, "Array(len {})", a.len()),
            Values::Random(_) => write!(f, "Random"),
        }
    }
}

impl From<f64> for Values {
    fn from(v: f64) -> Self {
        Values::Const(v)
    }
}

impl From<Vec<f64>> for Values {
    fn from(v: Vec<f64>) -> Self {
        Values::Array(v)
    }
}

impl From<&[f64]> for Values {
    fn from(v: &[f64]) -> Self {
        Values::Array(v.to_vec())
    }
}

impl Values {
    /// Draws from any `rand_distr` distribution of f64 (Normal, LogNormal, Exp, ...).
    pub fn distribution<D: Distribution<f64> + Send + Sync + 'static>(d: D) -> Self {
        Values::Random(Arc::new(move |rng| d.sample(rng)))
    }

    /// Uniform on [lo, hi) (`lo == hi` gives the constant).
    pub fn uniform(lo: f64, hi: f64) -> Self {
        Values::Random(Arc::new(move |rng| {
            let u: f64 = rand_distr::StandardUniform.sample(rng);
            lo + u * (hi - lo)
        }))
    }

    /// Normal with mean `mean` and standard deviation `sd`.
    pub fn normal(mean: f64, sd: f64) -> Self {
        Values::Random(Arc::new(move |rng| {
            let z: f64 = rand_distr::StandardNormal.sample(rng);
            mean + sd * z
        }))
    }

    /// Any function of a random stream (for example `|r| if r.random::<f64>() < 0.8 { 1.0 } else { 2.0 }`).
    pub fn func(f: impl Fn(&mut Xoshiro256PlusPlus) -> f64 + Send + Sync + 'static) -> Self {
        Values::Random(Arc::new(f))
    }

    /// The `n` values, checked finite, drawing random ones from `rng`.
    pub(crate) fn materialize(&self, n: usize, rng: &mut Xoshiro256PlusPlus, context: &str) -> Result<Vec<f64>, NetworkError> {
        self.materialize_into(n, rng, context)
    }

    /// The `n` values of a projection's synapses in the table's order: drawn in the order the
    /// synapses were made, then reordered by `perm` (the table's k-th synapse was made
    /// `perm[k]`-th) when the table's build reordered them; made straight into `C` when it
    /// did not (a projection's weights, into their aligned array with no copy).
    pub(crate) fn materialize_in_order<C>(
        &self,
        n: usize,
        perm: Option<&[usize]>,
        rng: &mut Xoshiro256PlusPlus,
        context: &str,
    ) -> Result<C, NetworkError>
    where
        C: FromIterator<f64> + std::ops::Deref<Target = [f64]>,
    {
        match perm {
            Some(p) => {
                let made: Vec<f64> = self.materialize(n, rng, context)?;
                Ok(p.iter().map(|&k| made[k]).collect())
            }
            None => self.materialize_into(n, rng, context),
        }
    }

    /// [`materialize`](Self::materialize) into any container of `f64`s, made in one pass.
    pub(crate) fn materialize_into<C>(&self, n: usize, rng: &mut Xoshiro256PlusPlus, context: &str) -> Result<C, NetworkError>
    where
        C: FromIterator<f64> + std::ops::Deref<Target = [f64]>,
    {
        let v: C = match self {
            Values::Const(c) => std::iter::repeat_n(*c, n).collect(),
            Values::Array(a) => {
                if a.len() != n {
                    return Err(NetworkError::Length { context: context.to_string(), expected: n, found: a.len() });
                }
                a.iter().copied().collect()
            }
            Values::Random(f) => (0..n).map(|_| f(rng)).collect(),
        };
        if let Some(bad) = v.iter().find(|x| !x.is_finite()) {
            return Err(NetworkError::invalid(context, *bad, "values must be finite"));
        }
        Ok(v)
    }
}
