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
    /// Linearly interpolated between the threshold function's values at both ends of the step
    /// (or from the end of a refractory period that ends inside it). A model that resets or
    /// holds variables then restarts from the spike: its state there (the cubic through the
    /// step's ends and slopes; the straight line for models with noise or clip) is reset, and
    /// the rest of the step is integrated, with the refractory period starting at the spike.
    /// A model that only counts spikes (no reset, nothing held) keeps its trajectory.
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
        // Derivatives evaluated here (to place a spike's state inside a step), not counted by
        // the stepper.
        let mut own_evaluations = 0;
        // Calls of the method's step: a step is split where a refractory period ends inside
        // it, and its rest integrated again after a spike placed inside it.
        let mut calls = 0;
        out.push(m, &sources, t, &x, &inputs(t));
        let mut bar = TimeProgress::new(self.progress, self.t0, self.t_end, M::NAME);
        for k in 0..steps {
            let t_next = (self.t0 + (k + 1) as f64 * dt).min(self.t_end);
            // Inside the step the inputs are right-continuous at its start and read as their
            // left limit at its end: a step current that switches on exactly at `t_next`
            // belongs to the next step, not (through the last stage) to this one.
            let before_end = t_next.next_down();
            let step_inputs = |s: f64| self.stimulus.at(s.min(before_end));
            let u = inputs(t_next);
            let free = advance(m, stepper, (t, t_next), &mut x, (refractory_until, &held), (&step_inputs, &u), &mut calls)?;
            out.stats.steps += 1;
            if M::HAS_THRESHOLD
                && let Some((t_free, x_free)) = free
                && m.threshold(t_next, &x, &u)
            {
                let ts = match self.spike_timing {
                    SpikeTiming::StepEnd => t_next,
                    SpikeTiming::Interpolated => {
                        let g0 = m.threshold_function(t_free, &x_free, &inputs(t_free));
                        let g1 = m.threshold_function(t_next, &x, &u);
                        let at = if g0 < 0.0 && g1 >= 0.0 && g1 > g0 { t_free + (t_next - t_free) * (-g0) / (g1 - g0) } else { t_next };
                        // Not inside a dead time that ends in this step.
                        at.max(refractory_until).min(t_next)
                    }
                };
                out.spikes.push(ts);
                out.stats.spikes += 1;
                if ts < t_next && (M::HAS_RESET || (t_ref > 0.0 && !M::HELD.is_empty())) {
                    // The reset happens at `ts`, inside the step: reset the state there (so
                    // that `u += d` adds to u(ts)), then advance over the rest of the step so
                    // that the next interval, and the refractory period, start at the spike.
                    let mut x_ts = state_between::<M>(m, (t_free, &x_free), (t_next, &x), ts, &step_inputs, &mut own_evaluations);
                    m.reset(ts, &mut x_ts, &self.stimulus.at(ts));
                    held = x_ts;
                    refractory_until = ts + t_ref;
                    x = x_ts;
                    advance(m, stepper, (ts, t_next), &mut x, (refractory_until, &held), (&step_inputs, &u), &mut calls)?;
                } else {
                    // At the step's end, or a model that neither resets nor holds anything (a
                    // dead time only stops spikes from being counted): the trajectory goes on
                    // unchanged.
                    m.reset(t_next, &mut x, &u);
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
        // Methods of a fixed cost per step count their work from the steps they made.
        let after = stepper.work(calls);
        out.stats.evaluations = after.evaluations - before.evaluations.min(after.evaluations) + own_evaluations;
        out.stats.jacobians = after.jacobians - before.jacobians.min(after.jacobians);
        out.check_expressions(&sources)?;
        Ok(out)
    }
}

/// Advances `x` over the step `span` = (from, to) with one step of the method, holding the
/// refractory variables at their values in `held` until `hold.0`. When the period ends inside
/// the step, the step is split there: the part before it is held, the rest is free (as the
/// adaptive driver ends a step at the period's end). An end within 1e-9 of the step of a bound
/// counts as at the bound, so that a period of whole steps holds exactly its steps whatever
/// the rounding of `ts + t_ref`. A model that holds nothing is never split. Returns from when
/// the spike detector may place a spike in this step and the state then (the step's start
/// when nothing is held), or `None` when the whole step is refractory. Adds the number of
/// steps of the method it made (1 or 2) to `calls`. Then clips the state at `to` with the
/// inputs there (`inputs.1`) and checks it: a failure whose cause is an input that is not
/// finite where the step read it (`inputs.0`) names that input.
#[inline(always)]
fn advance<M: NeuronModel, S: Stepper<M>, I: Fn(f64) -> M::Inputs>(
    m: &M,
    stepper: &mut S,
    span: (f64, f64),
    x: &mut M::State,
    hold: (f64, &M::State),
    inputs: (&I, &M::Inputs),
    calls: &mut u64,
) -> Result<Option<(f64, M::State)>, SimError> {
    let ((from, to), (step_inputs, u_end)) = (span, inputs);
    let free = step_held(m, stepper, span, x, hold, step_inputs, calls).map_err(|e| input_fault::<M>(e, step_inputs, from, to))?;
    m.clip(to, x, u_end);
    check_state::<M>(to, x).map_err(|e| input_fault::<M>(e, step_inputs, from, to))?;
    Ok(free)
}

/// [`advance`]'s steps of the method, before the clip and the check.
#[inline(always)]
fn step_held<M: NeuronModel, S: Stepper<M>, I: Fn(f64) -> M::Inputs>(
    m: &M,
    stepper: &mut S,
    span: (f64, f64),
    x: &mut M::State,
    hold: (f64, &M::State),
    inputs: &I,
    calls: &mut u64,
) -> Result<Option<(f64, M::State)>, SimError> {
    let ((from, to), (until, held)) = (span, hold);
    let eps = 1e-9 * (to - from);
    // Free from the start, or a dead time that holds nothing (it only stops spikes from being
    // counted): one step, not split, so that the trajectory does not depend on when a spike
    // was placed.
    if M::HELD.is_empty() || until <= from + eps {
        *calls += 1;
        let x_from = *x;
        stepper.step(m, from, to - from, x, inputs)?;
        Ok((until < to - eps).then_some((from, x_from)))
    } else if until >= to - eps {
        *calls += 1;
        stepper.step(m, from, to - from, x, inputs)?;
        hold_variables::<M>(x, held);
        Ok(None)
    } else {
        *calls += 2;
        stepper.step(m, from, until - from, x, inputs)?;
        hold_variables::<M>(x, held);
        let x_until = *x;
        stepper.step(m, until, to - until, x, inputs)?;
        Ok(Some((until, x_until)))
    }
}

/// Overwrites the held variables of `x` (the model's [`NeuronModel::HELD`]) with their values
/// in `held`: a refractory period's hold, in fixed-step and adaptive runs.
#[inline]
pub(crate) fn hold_variables<M: NeuronModel>(x: &mut M::State, held: &M::State) {
    for &i in M::HELD {
        x.set_index(i, held.get_index(i).unwrap_or(0.0));
    }
}

/// The error to report for a fixed step from `t0` to `t1` that failed with `e`: when the
/// failure is one a non-finite input causes (a state gone NaN or infinite, an implicit
/// method's singular matrix, non-finite Jacobian or diverged Newton iteration) and an input
/// was not finite at a time the step read it (its start, middle or end; the stage times of
/// the methods up to RK4), the error naming that input rather than what it poisoned; else
/// `e`. Asked only on the error path.
#[cold]
#[inline(never)]
fn input_fault<M: NeuronModel>(e: SimError, inputs: &impl Fn(f64) -> M::Inputs, t0: f64, t1: f64) -> SimError {
    match e {
        SimError::NonFinite { .. } | SimError::Singular { .. } | SimError::NonFiniteJacobian { .. } | SimError::NoConvergence { .. } => {
            [t0, 0.5 * (t0 + t1), t1].into_iter().find_map(|s| check_inputs::<M>(s, &inputs(s)).err()).unwrap_or(e)
        }
        e => e,
    }
}

/// The state at `ts` inside a step from (t0, x0) to (t1, x1): the cubic Hermite interpolant of
/// the ends and their derivatives (error O(h⁴), as high as the fixed-step methods' orders
/// need), or, for a model with noise or clip, whose step is not smooth, the straight line.
/// Adds the derivatives it evaluates to `evaluations`.
fn state_between<M: NeuronModel>(
    m: &M,
    a: (f64, &M::State),
    b: (f64, &M::State),
    ts: f64,
    inputs: &dyn Fn(f64) -> M::Inputs,
    evaluations: &mut u64,
) -> M::State {
    let ((t0, x0), (t1, x1)) = (a, b);
    let h = t1 - t0;
    let s = (ts - t0) / h;
    if M::HAS_NOISE || M::HAS_CLIP {
        return x0.zip_map(x1, |p, q| p + s * (q - p));
    }
    let (f0, f1) = (m.derivative(t0, x0, &inputs(t0)), m.derivative(t1, x1, &inputs(t1)));
    *evaluations += 2;
    let (h00, h10) = ((1.0 + 2.0 * s) * (1.0 - s) * (1.0 - s), s * (1.0 - s) * (1.0 - s));
    let (h01, h11) = (s * s * (3.0 - 2.0 * s), s * s * (s - 1.0));
    let ends = x0.zip_map(x1, |p, q| h00 * p + h01 * q);
    let slopes = f0.zip_map(&f1, |p, q| h * (h10 * p + h11 * q));
    ends.zip_map(&slopes, |p, q| p + q)
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
    whole_steps(iv, dt).map_err(|reason| SimError::InvalidSetting {
        name: "recording interval",
        value: iv,
        reason: format!("{reason} with a fixed-step method"),
    })
}

/// The number of steps of `dt` in `interval`: a whole number (to 1e-9 relative), at least
/// one and at most [`MAX_COUNT`] (an infinite or huge interval would saturate the count), or
/// why not, for the caller's error. For recording intervals and network monitors' bins.
pub(crate) fn whole_steps(interval: f64, dt: f64) -> Result<u64, String> {
    let k = (interval / dt).round();
    if !interval.is_finite() || k < 1.0 || (k * dt - interval).abs() > 1e-9 * interval.max(dt) {
        return Err(format!("must be a finite whole multiple of the time step {dt} ms"));
    }
    if k > MAX_COUNT {
        return Err("is more than 2^52 time steps".into());
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

/// [`SimError::InvalidInput`] for the first input in `u`, read at time `t`, that is NaN or
/// infinite: the error a run reports when such an input poisoned its state.
pub(crate) fn check_inputs<M: NeuronModel>(t: f64, u: &M::Inputs) -> Result<(), SimError> {
    for (i, info) in M::Inputs::INFO.iter().enumerate() {
        let value = u.get_index(i).unwrap_or(0.0);
        if !value.is_finite() {
            return Err(SimError::InvalidInput { input: info.name.to_string(), what: format!("value at t = {t} ms"), value });
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
        if v == 0.0 && M::DIVISOR_PARAMS.contains(&i) {
            return bad("the model divides by it");
        }
    }
    Ok(())
}

/// Capacitance (L^-2 M^-1 T^4 I^2) or capacitance per area (L^-4 M^-1 T^4 I^2).
fn is_capacitance(info: &VarInfo) -> bool {
    matches!(info.dimension, Some([-2, -1, 4, 2, 0, 0, 0]) | Some([-4, -1, 4, 2, 0, 0, 0]))
}
