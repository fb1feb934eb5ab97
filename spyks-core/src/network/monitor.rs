//! Monitors: spikes, sampled state variables and population rates, with file output.

use std::path::Path;

use super::error::NetworkError;
use super::node::Node;
use super::projection::PopId;
use super::tag::NetTag;
use crate::output::number;
use crate::record::Trajectory;

/// A spike monitor (returned by [`super::Network::record_spikes`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpikeMonitorId(pub(crate) usize, pub(crate) NetTag);
/// A state monitor (returned by [`super::Network::record_state`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateMonitorId(pub(crate) usize, pub(crate) NetTag);
/// A rate monitor (returned by [`super::Network::record_rate`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateMonitorId(pub(crate) usize, pub(crate) NetTag);

/// The spikes of a population (all neurons or a subset): time (ms, the end of the step) and
/// neuron index (in the population), in time order and, within a step, in index order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpikeMonitor {
    pub(crate) pop: usize,
    pub(crate) n: usize,
    /// Recorded neurons, when a subset.
    pub(crate) mask: Option<Vec<bool>>,
    times: Vec<f64>,
    indices: Vec<u32>,
}

impl SpikeMonitor {
    pub(crate) fn new(pop: PopId, n: usize, subset: Option<&[usize]>) -> Result<Self, NetworkError> {
        let mask = match subset {
            None => None,
            Some(s) => {
                let mut m = vec![false; n];
                for &i in s {
                    if i >= n {
                        return Err(NetworkError::Index { context: "spike monitor subset".into(), index: i, len: n });
                    }
                    m[i] = true;
                }
                Some(m)
            }
        };
        Ok(SpikeMonitor { pop: pop.0, n, mask, times: Vec::new(), indices: Vec::new() })
    }

    pub(crate) fn push(&mut self, t: f64, spikes: &[u32]) {
        for &i in spikes {
            if self.mask.as_ref().is_none_or(|m| m[i as usize]) {
                self.times.push(t);
                self.indices.push(i);
            }
        }
    }

    /// Spike times (ms).
    pub fn times(&self) -> &[f64] {
        &self.times
    }
    /// Neuron indices, one per spike.
    pub fn indices(&self) -> &[u32] {
        &self.indices
    }
    /// The number of spikes.
    pub fn len(&self) -> usize {
        self.times.len()
    }
    /// Whether no spike was recorded.
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }
    /// One spike-time list per neuron of the population (for rasters).
    pub fn trains(&self) -> Vec<Vec<f64>> {
        let mut out = vec![Vec::new(); self.n];
        for (&t, &i) in self.times.iter().zip(&self.indices) {
            out[i as usize].push(t);
        }
        out
    }
    /// The spike counts of neurons `range` (indices in the population).
    pub fn count_in(&self, range: std::ops::Range<usize>) -> usize {
        self.indices.iter().filter(|&&i| range.contains(&(i as usize))).count()
    }
    /// The mean rate (Hz) of the recorded neurons among `range` (indices in the population)
    /// over `duration` ms: their spikes over their number times the duration (for a monitor
    /// of a subset, the neurons of the subset in `range`).
    ///
    /// # Errors
    /// [`NetworkError::Index`] for a range that reaches beyond the population,
    /// [`NetworkError::Rejected`] for a range that holds no recorded neuron (empty, reversed,
    /// or only neurons outside the subset), and [`NetworkError::Invalid`] for a duration that
    /// is not positive and finite: none of these has a rate.
    pub fn mean_rate(&self, range: std::ops::Range<usize>, duration: f64) -> Result<f64, NetworkError> {
        if range.end > self.n {
            return Err(NetworkError::Index { context: "mean rate range".into(), index: range.end - 1, len: self.n });
        }
        if !(duration > 0.0 && duration.is_finite()) {
            return Err(NetworkError::invalid("mean rate duration", duration, "must be positive and finite (ms)"));
        }
        let recorded = match &self.mask {
            Some(m) => m.get(range.clone()).map_or(0, |s| s.iter().filter(|&&r| r).count()),
            None => range.len(),
        };
        if recorded == 0 {
            return Err(NetworkError::rejected(
                "mean rate range",
                format!("{}..{} holds no neuron this monitor records", range.start, range.end),
            ));
        }
        Ok(1000.0 * self.count_in(range) as f64 / (recorded as f64 * duration))
    }

    /// Writes `t (ms),neuron` rows to a CSV file.
    pub fn write_csv(&self, path: impl AsRef<Path>) -> Result<(), NetworkError> {
        let path = path.as_ref();
        let f = std::fs::File::create(path).map_err(|e| NetworkError::io(path, e))?;
        let mut w = csv::Writer::from_writer(std::io::BufWriter::new(f));
        w.write_record(["t (ms)", "neuron"]).map_err(|e| NetworkError::io(path, e))?;
        for (t, i) in self.times.iter().zip(&self.indices) {
            w.write_record([number(*t), i.to_string()]).map_err(|e| NetworkError::io(path, e))?;
        }
        w.flush().map_err(|e| NetworkError::io(path, e))
    }

    /// Writes a 2-D float64 `.npy` array of shape (spikes, 2): time (ms), neuron index.
    pub fn write_npy(&self, path: impl AsRef<Path>) -> Result<(), NetworkError> {
        let flat: Vec<f64> = self.times.iter().zip(&self.indices).flat_map(|(&t, &i)| [t, i as f64]).collect();
        write_npy(path.as_ref(), &[self.times.len() as u64, 2], &flat)
    }
}

/// Variables of chosen neurons, sampled every `interval` (a whole number of steps), starting
/// with the state when the monitor was made.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StateMonitor {
    pub(crate) pop: usize,
    pub(crate) vars: Vec<usize>,
    pub(crate) names: Vec<&'static str>,
    pub(crate) units: Vec<&'static str>,
    pub(crate) neurons: Vec<usize>,
    pub(crate) every: u64,
    /// The step at which the monitor was made: samples are `every` steps apart from it.
    pub(crate) start: u64,
    times: Vec<f64>,
    /// values[var][neuron position] = samples.
    values: Vec<Vec<Vec<f64>>>,
}

impl StateMonitor {
    pub(crate) fn new(pop: usize, vars: Vec<(usize, &'static str, &'static str)>, neurons: Vec<usize>, every: u64, start: u64) -> Self {
        let values = vec![vec![Vec::new(); neurons.len()]; vars.len()];
        StateMonitor {
            pop,
            names: vars.iter().map(|v| v.1).collect(),
            units: vars.iter().map(|v| v.2).collect(),
            vars: vars.into_iter().map(|v| v.0).collect(),
            neurons,
            every,
            start,
            times: Vec::new(),
            values,
        }
    }

    /// Takes a sample of `node` at time `t`. Errors: [`NetworkError::UndefinedExpression`]
    /// for the first variable and neuron whose value is NaN (the runs check every state at
    /// every step, so such a NaN is a named expression's); the sample is kept.
    pub(crate) fn sample(&mut self, node: &dyn Node, t: f64) -> Result<(), NetworkError> {
        self.times.push(t);
        let mut nan = None;
        for (k, &v) in self.vars.iter().enumerate() {
            for (p, &i) in self.neurons.iter().enumerate() {
                let value = node.read(v, i, t);
                if value.is_nan() && nan.is_none() {
                    nan = Some((self.names[k], i));
                }
                self.values[k][p].push(value);
            }
        }
        match nan {
            Some((name, neuron)) => Err(NetworkError::UndefinedExpression { population: node.name().to_string(), neuron, name, t }),
            None => Ok(()),
        }
    }

    /// Sample times (ms).
    pub fn times(&self) -> &[f64] {
        &self.times
    }
    /// The recorded neurons (indices in the population).
    pub fn neurons(&self) -> &[usize] {
        &self.neurons
    }
    /// The samples of variable `name` in the `k`-th recorded neuron.
    pub fn values(&self, name: &str, k: usize) -> Option<&[f64]> {
        let v = self.names.iter().position(|n| *n == name)?;
        self.values[v].get(k).map(|s| s.as_slice())
    }
    /// The `k`-th recorded neuron as a [`Trajectory`] (every recorded variable), to write with
    /// [`Trajectory::write_csv`] or [`Trajectory::write_npy`] or to plot. Its spike list is
    /// empty, since a state monitor does not record spikes (so `write_npy`'s `_spikes.npy` is
    /// empty too): take them from a [`SpikeMonitor`] of the population and set
    /// `trajectory.spikes` if the files should carry them.
    pub fn trajectory(&self, k: usize) -> Option<Trajectory> {
        if k >= self.neurons.len() {
            return None;
        }
        Some(Trajectory {
            times: self.times.clone(),
            names: self.names.clone(),
            units: self.units.clone(),
            columns: self.values.iter().map(|v| v[k].clone()).collect(),
            ..Default::default()
        })
    }
}

/// A population's rate: spikes per neuron per second in bins of a whole number of steps,
/// the first starting when the monitor was made (so a monitor added after a run covers only
/// what it saw). When a run ends inside a bin, that last bin covers only the steps run so
/// far, and its rate is over that time (a later run fills it up).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RateMonitor {
    pub(crate) pop: usize,
    pub(crate) n: usize,
    pub(crate) bin_steps: u64,
    pub(crate) bin: f64,
    /// The step and time (ms) at which the first bin starts.
    pub(crate) start: u64,
    pub(crate) t0: f64,
    /// Steps counted since `start`.
    steps: u64,
    counts: Vec<u64>,
}

impl RateMonitor {
    pub(crate) fn new(pop: usize, n: usize, bin_steps: u64, bin: f64, start: u64, t0: f64) -> Self {
        RateMonitor { pop, n, bin_steps, bin, start, t0, steps: 0, counts: Vec::new() }
    }
    pub(crate) fn push(&mut self, step_index: u64, count: usize) {
        self.steps = step_index - self.start + 1;
        let b = ((step_index - self.start) / self.bin_steps) as usize;
        if self.counts.len() <= b {
            self.counts.resize(b + 1, 0);
        }
        self.counts[b] += count as u64;
    }
    /// Start time (ms) of each bin.
    pub fn times(&self) -> Vec<f64> {
        (0..self.counts.len()).map(|b| self.t0 + b as f64 * self.bin).collect()
    }
    /// The rate (Hz) in each bin: its spikes per neuron per second of the time it covers (the
    /// whole bin, or for a last bin that a run ended inside, the steps run so far).
    pub fn rates(&self) -> Vec<f64> {
        (self.counts.iter().enumerate())
            .map(|(b, &c)| {
                let covered = (self.steps - b as u64 * self.bin_steps).min(self.bin_steps);
                let duration = if covered == self.bin_steps { self.bin } else { self.bin * covered as f64 / self.bin_steps as f64 };
                1000.0 * c as f64 / (self.n as f64 * duration)
            })
            .collect()
    }
    /// The spike count in each bin.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }
    /// Writes `t (ms),rate (Hz)` rows (bin start, rate) to a CSV file.
    pub fn write_csv(&self, path: impl AsRef<Path>) -> Result<(), NetworkError> {
        let path = path.as_ref();
        let f = std::fs::File::create(path).map_err(|e| NetworkError::io(path, e))?;
        let mut w = csv::Writer::from_writer(std::io::BufWriter::new(f));
        w.write_record(["t (ms)", "rate (Hz)"]).map_err(|e| NetworkError::io(path, e))?;
        for (t, r) in self.times().iter().zip(self.rates()) {
            w.write_record([number(*t), number(r)]).map_err(|e| NetworkError::io(path, e))?;
        }
        w.flush().map_err(|e| NetworkError::io(path, e))
    }
}

fn write_npy(path: &Path, shape: &[u64], data: &[f64]) -> Result<(), NetworkError> {
    use npyz::WriterBuilder;
    let f = std::fs::File::create(path).map_err(|e| NetworkError::io(path, e))?;
    let mut w = npyz::WriteOptions::<f64>::new()
        .default_dtype()
        .shape(shape)
        .writer(std::io::BufWriter::new(f))
        .begin_nd()
        .map_err(|e| NetworkError::io(path, e))?;
    w.extend(data.iter().copied()).map_err(|e| NetworkError::io(path, e))?;
    w.finish().map_err(|e| NetworkError::io(path, e))
}
