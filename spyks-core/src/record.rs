//! What a run returns: sampled traces, spike times and integrator statistics.

use crate::error::SimError;
use crate::meta::VarInfo;
use crate::model::NeuronModel;
use crate::vector::Vector;

/// Integrator statistics of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Steps taken (accepted, for adaptive methods).
    pub steps: u64,
    /// Steps rejected by the error control (adaptive methods).
    pub rejected: u64,
    /// Evaluations of the model's derivative.
    pub evaluations: u64,
    /// Evaluations of the model's Jacobian (implicit methods).
    pub jacobians: u64,
    /// Spikes detected.
    pub spikes: u64,
}

/// Which variables to record, and how often.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordSpec {
    /// Names of state variables or named expressions; empty means every state variable.
    pub names: Vec<String>,
    /// Recording interval (ms); `None` records every step (fixed-step methods) or every
    /// accepted step (adaptive methods).
    pub interval: Option<f64>,
    /// Requested sample times (ms, non-decreasing, inside the run), read from the dense output
    /// of an adaptive run; they replace `interval`.
    pub times: Option<Vec<f64>>,
}

/// A variable chosen for recording.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Source {
    State(usize),
    Expr(usize),
}

impl RecordSpec {
    /// Records every state variable at every step.
    pub fn all() -> Self {
        RecordSpec::default()
    }

    /// Records the named variables (state variables or named expressions).
    pub fn names<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Self {
        RecordSpec { names: names.into_iter().map(|s| s.as_ref().to_string()).collect(), interval: None, times: None }
    }

    /// Sets the recording interval (ms).
    pub fn every(mut self, interval: f64) -> Self {
        self.interval = Some(interval);
        self
    }

    /// Records at the given times (ms) instead of on a grid, from the dense output of an
    /// adaptive run (the times of a recorded data trace, say). They must be finite,
    /// non-decreasing and inside the run's time span; fixed-step runs reject them (record
    /// every k-th step with [`RecordSpec::every`] instead).
    pub fn at(mut self, times: impl Into<Vec<f64>>) -> Self {
        self.times = Some(times.into());
        self
    }

    /// Checks the requested times against the run's time span.
    pub(crate) fn validate_times(&self, t0: f64, t_end: f64) -> Result<(), SimError> {
        let Some(ts) = &self.times else { return Ok(()) };
        let mut prev = f64::NEG_INFINITY;
        for (k, &t) in ts.iter().enumerate() {
            let reason = if !t.is_finite() {
                "must be finite"
            } else if t < t0 || t > t_end {
                "must lie inside the run's time span"
            } else if t < prev {
                "must not come before the previous requested time"
            } else {
                prev = t;
                continue;
            };
            return Err(SimError::InvalidSetting {
                name: "requested recording time",
                value: t,
                reason: format!("{reason} (time number {k}, span [{t0}, {t_end}] ms)"),
            });
        }
        Ok(())
    }

    /// Resolves the names against the model.
    pub(crate) fn resolve<M: NeuronModel>(&self) -> Result<Vec<(Source, &'static VarInfo)>, SimError> {
        if let Some(dt) = self.interval
            && !(dt > 0.0 && dt.is_finite())
        {
            return Err(SimError::InvalidSetting { name: "recording interval", value: dt, reason: "must be positive and finite".into() });
        }
        if self.names.is_empty() {
            return Ok(M::State::INFO.iter().enumerate().map(|(i, v)| (Source::State(i), v)).collect());
        }
        self.names
            .iter()
            .map(|n| {
                if let Ok(i) = M::State::index_of(n) {
                    Ok((Source::State(i), &M::State::INFO[i]))
                } else if let Ok(i) = M::Exprs::index_of(n) {
                    Ok((Source::Expr(i), &M::Exprs::INFO[i]))
                } else {
                    let valid: Vec<&'static str> = M::State::INFO.iter().chain(M::Exprs::INFO).map(|v| v.name).collect();
                    Err(SimError::Name(crate::error::NameError { name: n.clone(), valid }))
                }
            })
            .collect()
    }
}

/// The result of a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trajectory {
    /// Sample times (ms).
    pub times: Vec<f64>,
    /// Names of the recorded variables, in column order.
    pub names: Vec<&'static str>,
    /// Units of the recorded variables (internal units).
    pub units: Vec<&'static str>,
    /// One column of samples per recorded variable.
    pub columns: Vec<Vec<f64>>,
    /// Spike times (ms).
    pub spikes: Vec<f64>,
    /// Integrator statistics.
    pub stats: Stats,
}

impl Trajectory {
    /// The samples of the variable called `name`.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        self.names.iter().position(|n| *n == name).map(|i| self.columns[i].as_slice())
    }

    /// Whether `sources` are every state variable in state order (what [`RecordSpec::all`]
    /// records of a model without named expressions), so that [`push_states`](Self::push_states)
    /// may append the samples.
    pub(crate) fn all_states<M: NeuronModel>(sources: &[(Source, &'static VarInfo)]) -> bool {
        sources.len() == M::State::LEN && sources.iter().enumerate().all(|(i, (s, _))| matches!(s, Source::State(j) if *j == i))
    }

    /// [`push`](Self::push) when the columns are every state variable in order
    /// ([`all_states`](Self::all_states)): with the number of variables a constant, the loop
    /// unrolls into one push per field, without a match per column (a dense-output run
    /// records tens of thousands of samples).
    #[inline]
    pub(crate) fn push_states<M: NeuronModel>(&mut self, t: f64, x: &M::State) {
        self.times.push(t);
        for i in 0..M::State::LEN {
            self.columns[i].push(x.get_index(i).unwrap_or(f64::NAN));
        }
    }

    /// Appends one sample of the chosen variables.
    pub(crate) fn push<M: NeuronModel>(&mut self, m: &M, sources: &[(Source, &'static VarInfo)], t: f64, x: &M::State, u: &M::Inputs) {
        self.times.push(t);
        let exprs = if sources.iter().any(|(s, _)| matches!(s, Source::Expr(_))) { Some(m.expressions(t, x, u)) } else { None };
        for (col, (s, _)) in self.columns.iter_mut().zip(sources) {
            let v = match s {
                Source::State(i) => x.get_index(*i),
                Source::Expr(i) => exprs.as_ref().and_then(|e| e.get_index(*i)),
            };
            col.push(v.unwrap_or(f64::NAN));
        }
    }

    /// [`SimError::UndefinedExpression`] for the earliest sample at which a recorded named
    /// expression is NaN. Run once at the end of a run: the state itself is checked at every
    /// step, so such a NaN comes from the expression alone.
    pub(crate) fn check_expressions(&self, sources: &[(Source, &'static VarInfo)]) -> Result<(), SimError> {
        let first = self
            .columns
            .iter()
            .zip(sources)
            .filter(|(_, (s, _))| matches!(s, Source::Expr(_)))
            .filter_map(|(col, (_, info))| Some((col.iter().position(|v| v.is_nan())?, info.name)))
            .min_by_key(|&(k, _)| k);
        match first {
            Some((k, name)) => Err(SimError::UndefinedExpression { t: self.times[k], name }),
            None => Ok(()),
        }
    }

    /// Reserves room for `n` samples, so that recording does not reallocate as it goes, or
    /// fails naming `setting` (what sets their number) when `n` is more than 2⁵² or the memory
    /// cannot be had: a recording that cannot fit is an error before the run, not an abort
    /// when it has filled the memory. (The memory is the system's only once written.)
    pub(crate) fn reserve_samples(&mut self, n: f64, setting: &'static str, value: f64) -> Result<(), SimError> {
        let columns = self.columns.len() + 1;
        let fail = || SimError::InvalidSetting {
            name: setting,
            value,
            reason: format!(
                "the recording would hold {n:.3e} samples of {columns} columns, more than the memory can: record less often or fewer variables"
            ),
        };
        // n comes from validated times and intervals: finite or +∞, never NaN.
        if n > crate::simulate::MAX_COUNT {
            return Err(fail());
        }
        let n = n as usize;
        self.times.try_reserve_exact(n).map_err(|_| fail())?;
        for c in &mut self.columns {
            c.try_reserve_exact(n).map_err(|_| fail())?;
        }
        Ok(())
    }

    /// `old` emptied, with the chosen columns and statistics zero, keeping the memory of its
    /// vectors (for the `*_into` runs).
    pub(crate) fn recycled(mut old: Trajectory, sources: &[(Source, &'static VarInfo)]) -> Self {
        old.times.clear();
        old.spikes.clear();
        old.names.clear();
        old.names.extend(sources.iter().map(|(_, v)| v.name));
        old.units.clear();
        old.units.extend(sources.iter().map(|(_, v)| v.unit));
        old.columns.truncate(sources.len());
        old.columns.iter_mut().for_each(Vec::clear);
        old.columns.resize_with(sources.len(), Vec::new);
        old.stats = Stats::default();
        old
    }
}
