//! Running a single neuron: the loop around a stepper that handles thresholds, resets,
//! refractory periods, clipping, recording and errors.

use crate::error::SimError;
use crate::integrate::Stepper;
use crate::meta::VarInfo;
use crate::model::NeuronModel;
use crate::progress::TimeProgress;
use crate::record::{RecordSpec, Trajectory};
use crate::stimulus::Stimulus;
use crate::vector::Vector;

/// When a fixed-step run places a spike inside the step in which the threshold was crossed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SpikeTiming {
    /// At the end of the step (as Brian2 and NEST do by default).
    #[default]
    StepEnd,
    /// Linearly interpolated between the threshold function's values at both ends of the step.
    Interpolated,
}

/// A single-neuron simulation: model, initial state, stimulus, duration and what to record.
#[derive(Clone, Debug)]
pub struct Simulation<'a, M: NeuronModel> {
    /// The model (with its parameters).
    pub model: &'a M,
    /// The initial state.
    pub x0: M::State,
    /// The inputs over time.
    pub stimulus: Stimulus<M>,
    /// Start time (ms).
    pub t0: f64,
    /// End time (ms).
    pub t_end: f64,
    /// What to record.
    pub record: RecordSpec,
    /// Spike time placement for fixed-step methods.
    pub spike_timing: SpikeTiming,
    /// Whether to show a progress bar over model time (see [`crate::progress`]; off by
    /// default, and hidden anyway when stderr is not a terminal or `SPYKS_PROGRESS=0`).
    pub progress: bool,
}

impl<'a, M: NeuronModel> Simulation<'a, M> {
    /// A run of `model` from its initial state, inputs at their defaults, from 0 to `t_end` ms,
    /// recording every state variable at every step.
    pub fn new(model: &'a M, t_end: f64) -> Self {
        Simulation {
            model,
            x0: model.initial_state(),
            stimulus: Stimulus::new(),
            t0: 0.0,
            t_end,
            record: RecordSpec::all(),
            spike_timing: SpikeTiming::StepEnd,
            progress: false,
        }
    }

    /// Sets the initial state.
    pub fn state(mut self, x0: M::State) -> Self {
        self.x0 = x0;
        self
    }

    /// Sets the stimulus.
    pub fn stimulus(mut self, s: Stimulus<M>) -> Self {
        self.stimulus = s;
        self
    }

    /// Sets what to record.
    pub fn record(mut self, r: RecordSpec) -> Self {
        self.record = r;
        self
    }

    /// Sets spike time placement for fixed-step methods.
    pub fn spike_timing(mut self, s: SpikeTiming) -> Self {
        self.spike_timing = s;
        self
    }

    /// Shows a progress bar over model time while running (for long runs). The bar is updated
    /// at most every 0.1% of the run, at the cost of one comparison per step; results do not
    /// change.
    pub fn progress(mut self, show: bool) -> Self {
        self.progress = show;
        self
    }

    /// Integrates with a fixed-step method and step `dt` (ms).
    pub fn run_fixed<S: Stepper<M>>(&self, stepper: &mut S, dt: f64) -> Result<Trajectory, SimError> {
        self.run_fixed_with(stepper, dt, Trajectory::default())
    }

    /// [`run_fixed`](Self::run_fixed) into `out`, replacing what it held and reusing its
    /// memory; on an error `out` is left empty. See
    /// [`run_adaptive_into`](Self::run_adaptive_into) for why.
    pub fn run_fixed_into<S: Stepper<M>>(&self, stepper: &mut S, dt: f64, out: &mut Trajectory) -> Result<(), SimError> {
        *out = self.run_fixed_with(stepper, dt, std::mem::take(out))?;
        Ok(())
    }

    /// [`run_fixed`](Self::run_fixed), recording into the memory of `buf`.
    fn run_fixed_with<S: Stepper<M>>(&self, stepper: &mut S, dt: f64, buf: Trajectory) -> Result<Trajectory, SimError> {
        let prepared = crate::table::prepared_for_step(self.model, stepper.uses_step_factors().then_some(dt))?;
        let m: &M = &prepared;
        validate_run::<M>(m, self.t0, self.t_end)?;
        if !(dt > 0.0 && dt.is_finite()) {
            return Err(SimError::InvalidSetting { name: "dt", value: dt, reason: "the time step must be positive".into() });
        }
        if M::HAS_NOISE && !stepper.supports_noise() {
            return Err(SimError::Unsupported(format!(
                "the model `{}` has a white-noise term; `{}` is deterministic: use Euler (Euler-Maruyama)",
                M::NAME,
                stepper.name()
            )));
        }
        check_state::<M>(self.t0, &self.x0)?;
        let sources = self.record.resolve::<M>()?;
        if self.record.times.is_some() {
            return Err(SimError::Unsupported(format!(
                "recording at requested times needs the dense output of an adaptive run; `{}` records every k-th step (RecordSpec::every)",
                stepper.name()
            )));
        }
        let every = recording_stride(self.record.interval, dt)?;
        let mut out = Trajectory::recycled(buf, &sources);
        let inputs = |s: f64| self.stimulus.at(s);
        let t_ref = m.refractory_period();
        let steps = fixed_steps(self.t_end - self.t0, dt)?;
        // Every `every`-th step, the last one and the initial state.
        out.reserve_samples((steps / every) as f64 + 2.0, "recording interval", self.record.interval.unwrap_or(dt))?;
        // Stateful methods count their work cumulatively: take the difference over this run.
        let before = stepper.work(0);
        let mut x = self.x0;
        let mut t = self.t0;
        let mut refractory_until = f64::NEG_INFINITY;
        let mut held = x;
        out.push(m, &sources, t, &x, &inputs(t));
        let mut bar = TimeProgress::new(self.progress, self.t0, self.t_end, M::NAME);
        for k in 0..steps {
            let t_next = (self.t0 + (k + 1) as f64 * dt).min(self.t_end);
            let h = t_next - t;
            // Inside the step the inputs are right-continuous at its start and read as their
            // left limit at its end: a step current that switches on exactly at `t_next`
            // belongs to the next step, not (through the last stage) to this one.
            let before_end = t_next.next_down();
            let step_inputs = |s: f64| self.stimulus.at(s.min(before_end));
            let x_start = x;
            let g0 = if M::HAS_THRESHOLD && self.spike_timing == SpikeTiming::Interpolated {
                m.threshold_function(t, &x, &inputs(t))
            } else {
                0.0
            };
            stepper.step(m, t, h, &mut x, &step_inputs)?;
            out.stats.steps += 1;
            let refractory = t_next <= refractory_until;
            if refractory {
                for &i in M::HELD {
                    x.set_index(i, held.get_index(i).unwrap_or(0.0));
                }
            }
            let u = inputs(t_next);
            m.clip(t_next, &mut x, &u);
            check_state::<M>(t_next, &x)?;
            if M::HAS_THRESHOLD && !refractory && m.threshold(t_next, &x, &u) {
                let ts = match self.spike_timing {
                    SpikeTiming::StepEnd => t_next,
                    SpikeTiming::Interpolated => {
                        let g1 = m.threshold_function(t_next, &x, &u);
                        if g0 < 0.0 && g1 >= 0.0 && g1 > g0 { t + h * (-g0) / (g1 - g0) } else { t_next }
                    }
                };
                out.spikes.push(ts);
                out.stats.spikes += 1;
                let rest = t_next - ts;
                if rest > 0.0 {
                    // The reset happens at `ts`, inside the step: reset the state interpolated
                    // there (so that `u += d` adds to u(ts), consistent to second order with
                    // the interpolated time), then advance over the rest of the step so that
                    // the next interval starts at the spike, not at the step's end.
                    let theta = (ts - t) / h;
                    x = x_start.zip_map(&x, |a, b| a + theta * (b - a));
                    let u_ts = self.stimulus.at(ts);
                    m.reset(ts, &mut x, &u_ts);
                    held = x;
                    refractory_until = ts + t_ref;
                    stepper.step(m, ts, rest, &mut x, &step_inputs)?;
                    if t_next <= refractory_until {
                        for &i in M::HELD {
                            x.set_index(i, held.get_index(i).unwrap_or(0.0));
                        }
                    }
                    m.clip(t_next, &mut x, &u);
                    check_state::<M>(t_next, &x)?;
                } else {
                    m.reset(ts, &mut x, &u);
                    held = x;
                    refractory_until = ts + t_ref;
                }
            }
            t = t_next;
            if (k + 1) % every == 0 || k + 1 == steps {
                out.push(m, &sources, t, &x, &u);
            }
            bar.at(t);
        }
        bar.finish();
        let after = stepper.work(out.stats.steps);
        out.stats.evaluations = after.evaluations - before.evaluations.min(after.evaluations);
        out.stats.jacobians = after.jacobians - before.jacobians.min(after.jacobians);
        Ok(out)
    }
}

/// The most steps, or samples on a grid, a run may count: 2⁵². Beyond that, t0 + k·dt no
/// longer tells neighbouring points apart, and the run would not end in any useful time.
pub(crate) const MAX_COUNT: f64 = (1u64 << 52) as f64;

/// The number of steps of `dt` that span `span` ms (a last step shorter than 1e-9·dt is
/// dropped); more than [`MAX_COUNT`] is an error.
pub(crate) fn fixed_steps(span: f64, dt: f64) -> Result<u64, SimError> {
    let n = (span / dt - 1e-9).ceil().max(0.0);
    if n > MAX_COUNT {
        return Err(SimError::InvalidSetting {
            name: "dt",
            value: dt,
            reason: format!("the run would take {n:.3e} steps of it, more than 2^52: step times would not be distinct"),
        });
    }
    Ok(n as u64)
}

/// How many steps between recorded samples.
pub(crate) fn recording_stride(interval: Option<f64>, dt: f64) -> Result<u64, SimError> {
    let Some(iv) = interval else { return Ok(1) };
    let k = (iv / dt).round();
    if k < 1.0 || ((k * dt - iv).abs() > 1e-9 * iv.max(dt)) {
        return Err(SimError::InvalidSetting {
            name: "recording interval",
            value: iv,
            reason: format!("must be a whole multiple of the time step {dt} ms with a fixed-step method"),
        });
    }
    Ok(k as u64)
}

/// Checks that every state variable is finite.
#[inline]
pub(crate) fn check_state<M: NeuronModel>(t: f64, x: &M::State) -> Result<(), SimError> {
    for (i, info) in M::State::INFO.iter().enumerate() {
        let v = x.get_index(i).unwrap_or(0.0);
        if !v.is_finite() {
            return Err(SimError::NonFinite { t, var: info.name, value: v });
        }
    }
    Ok(())
}

/// Checks the run's time span and the model's parameters: every parameter finite,
/// capacitances (and capacitance densities) positive, times not negative.
pub fn validate_run<M: NeuronModel>(m: &M, t0: f64, t_end: f64) -> Result<(), SimError> {
    if !(t0.is_finite() && t_end.is_finite() && t_end >= t0) {
        return Err(SimError::InvalidSetting {
            name: "t_end",
            value: t_end,
            reason: format!("must be finite and not before the start ({t0} ms)"),
        });
    }
    validate_params(m)
}

/// Checks the model's parameters (see [`validate_run`]).
pub fn validate_params<M: NeuronModel>(m: &M) -> Result<(), SimError> {
    let p = m.params();
    for (i, info) in M::Params::INFO.iter().enumerate() {
        let v = p.get_index(i).unwrap_or(0.0);
        let bad = |reason: &str| Err(SimError::InvalidParameter { name: info.name, value: v, reason: reason.to_string() });
        if !v.is_finite() {
            return bad("it must be finite");
        }
        if is_capacitance(info) && v <= 0.0 {
            return bad("a capacitance must be positive");
        }
        if info.dimension == Some([0, 0, 1, 0, 0, 0, 0]) && v < 0.0 {
            return bad("a time (time constant, period, delay) cannot be negative");
        }
    }
    Ok(())
}

/// Capacitance (L^-2 M^-1 T^4 I^2) or capacitance per area (M^-1 T^4 I^2).
fn is_capacitance(info: &VarInfo) -> bool {
    matches!(info.dimension, Some([-2, -1, 4, 2, 0, 0, 0]) | Some([-4, -1, 4, 2, 0, 0, 0]))
}
