//! The adaptive driver: Dormand-Prince 5(4) with error control, steps ending exactly on input
//! discontinuities and on the ends of refractory periods, recording by dense output, and spike
//! times located on the dense output by root finding.

use crate::error::SimError;
use crate::integrate::{DenseStep, Dopri5};
use crate::meta::VarInfo;
use crate::model::NeuronModel;
use crate::progress::TimeProgress;
use crate::record::{Source, Trajectory};
use crate::simulate::{Simulation, check_state, hold_variables, validate_run};
use crate::stimulus::Stimulus;
use crate::vector::Vector;

#[cfg(test)]
mod dopri_tests;
mod rhs;

use rhs::{PerStage, PerStep, Rhs, StepInputs};

/// The recording times: the grid t₀ + k·interval, or the requested times.
struct Grid<'t> {
    times: GridTimes<'t>,
    k: u64,
    /// Grid times from here on are recorded at the end, from the final state.
    last: f64,
}

enum GridTimes<'t> {
    Uniform { t0: f64, interval: f64 },
    Requested(&'t [f64]),
}

impl Grid<'_> {
    /// The next time to record (infinite when the requested times are used up).
    fn time(&self) -> f64 {
        self.time_at(self.k)
    }

    /// Whether time `s` is to be recorded from a step that ends at `tb` (before it, and before
    /// the run's end).
    fn before(&self, s: f64, tb: f64) -> bool {
        s < tb && s < self.last
    }

    /// Recording time number `k`.
    fn time_at(&self, k: u64) -> f64 {
        match self.times {
            GridTimes::Uniform { t0, interval } => t0 + k as f64 * interval,
            GridTimes::Requested(ts) => ts.get(k as usize).copied().unwrap_or(f64::INFINITY),
        }
    }
}

/// What a run records and where it goes.
struct Recorder<'r, M: NeuronModel> {
    stimulus: &'r Stimulus<M>,
    grid: Option<Grid<'r>>,
    sink: Sink<'r, M>,
}

/// The recorded variables and the trajectory they go to.
struct Sink<'r, M: NeuronModel> {
    model: &'r M,
    sources: &'r [(Source, &'static VarInfo)],
    /// The sources are every state variable in order ([`Trajectory::all_states`]).
    all_states: bool,
    /// The samples can be written a column at a time ([`record_columns`]): the sources are
    /// state variables only (any of them, in any order) and the model has no clip.
    by_column: bool,
    out: Trajectory,
}

impl<M: NeuronModel> Sink<'_, M> {
    /// Appends a sample: the state's fields directly when every state variable is recorded
    /// in order, else through the sources (named expressions read the inputs `u`).
    #[inline]
    fn push(&mut self, t: f64, x: &M::State, u: &M::Inputs) {
        if self.all_states {
            self.out.push_states::<M>(t, x);
        } else {
            self.out.push(self.model, self.sources, t, x, u);
        }
    }
}

impl<M: NeuronModel> Recorder<'_, M> {
    /// Records a state at time `t`, with inputs `u`, when recording every accepted step.
    fn point(&mut self, t: f64, x: &M::State, u: &M::Inputs) {
        if self.grid.is_none() {
            self.sink.push(t, x, u);
        }
    }

    /// Records the grid times in [step.t0, tb) from the step's dense output, with the held
    /// variables overwritten when `held` is given, and clipped.
    fn dense(&mut self, step: &DenseStep<M::State>, tb: f64, held: Option<&M::State>) {
        let Some(g) = self.grid.as_mut() else { return };
        // Most steps of a tight run hold no grid time, and many one: those go sample by
        // sample, as do held variables.
        if !g.before(g.time(), tb) {
            return;
        }
        if self.sink.by_column && (held.is_none() || M::HELD.is_empty()) && g.before(g.time_at(g.k + 1), tb) {
            return record_columns(g, &mut self.sink.out, self.sink.sources, step, tb);
        }
        loop {
            let s = g.time();
            if !g.before(s, tb) {
                break;
            }
            let mut x = step.at(s);
            if let Some(h) = held {
                hold_variables::<M>(&mut x, h);
            }
            let u = self.stimulus.at(s);
            self.sink.model.clip(s, &mut x, &u);
            self.sink.push(s, &x, &u);
            g.k += 1;
        }
    }
}

/// [`Recorder::dense`] when only state variables are recorded and nothing is held or clipped:
/// the samples are the dense output itself, written a column at a time, up to BATCH samples
/// per pass (for steps holding two or more: a pass per column costs more for one). The same
/// bits as the general path. On nakl and HH recording every 0.01 ms, about 3.5 ns per sample
/// of four variables instead of 6.5 (whole runs 1.15-1.4x faster; V alone, 1.13-1.39x).
fn record_columns<S: Vector>(g: &mut Grid<'_>, out: &mut Trajectory, sources: &[(Source, &'static VarInfo)], step: &DenseStep<S>, tb: f64) {
    const BATCH: usize = 16;
    // Two grid times in [t0, tb): the step has a length to divide by.
    debug_assert!(step.h() > 0.0);
    let (mut times, mut thetas) = ([0.0; BATCH], [0.0; BATCH]);
    loop {
        let mut n = 0;
        while n < BATCH {
            let s = g.time();
            if !g.before(s, tb) {
                break;
            }
            times[n] = s;
            thetas[n] = step.theta(s);
            n += 1;
            g.k += 1;
        }
        if n == 0 {
            return;
        }
        out.times.extend_from_slice(&times[..n]);
        for (col, (source, _)) in out.columns.iter_mut().zip(sources) {
            if let Source::State(i) = *source {
                step.extend_entry(i, &thetas[..n], col);
            }
        }
        if n < BATCH {
            return;
        }
    }
}

/// The first spike in an accepted step of a model with a threshold: the first time the
/// threshold function crosses from below zero to zero or above, bracketed by sampling it on
/// the dense output at the quarters of the step and located to `tol` ms by the Illinois
/// method; otherwise the step's end if the threshold condition holds there. Returns the spike
/// time and the state there.
fn find_spike<'s, M: NeuronModel, I: StepInputs<'s, M>>(
    rhs: &Rhs<'s, M, I>,
    step: &DenseStep<M::State>,
    x0: &M::State,
    x1: &M::State,
    tol: f64,
) -> Option<(f64, M::State)> {
    const PROBES: usize = 4;
    let m = rhs.model;
    let (t0, t1) = (step.t0(), step.t1());
    let g = |s: f64, x: &M::State| m.threshold_function(s, x, &rhs.inputs(s));
    let (mut a, mut ga) = (t0, g(t0, x0));
    for j in 1..=PROBES {
        let (b, xb) = if j == PROBES {
            (t1, *x1)
        } else {
            let s = t0 + (t1 - t0) * j as f64 / PROBES as f64;
            (s, step.at(s))
        };
        let gb = g(b, &xb);
        if ga < 0.0 && gb >= 0.0 {
            let ts = illinois(|s| g(s, &step.at(s)), a, ga, b, gb, tol);
            let xs = if ts == t1 { *x1 } else { step.at(ts) };
            return Some((ts, xs));
        }
        (a, ga) = (b, gb);
    }
    m.threshold(t1, x1, &rhs.inputs(t1)).then_some((t1, *x1))
}

/// A root of `g` in [a, b] with g(a) < 0 ≤ g(b), by the Illinois variant of regula falsi
/// (bisection as a fallback). Returns the right end of a bracket at most `tol` wide, where g
/// is not negative.
fn illinois(g: impl Fn(f64) -> f64, mut a: f64, mut ga: f64, mut b: f64, mut gb: f64, tol: f64) -> f64 {
    let mut side = 0i8;
    for it in 0..200 {
        if b - a <= tol {
            break;
        }
        let mut c = if it < 100 { b - gb * (b - a) / (gb - ga) } else { 0.5 * (a + b) };
        if !(c > a && c < b) {
            c = 0.5 * (a + b);
            if !(c > a && c < b) {
                break;
            }
        }
        let gc = g(c);
        if gc < 0.0 {
            (a, ga) = (c, gc);
            if side == -1 {
                gb *= 0.5;
            }
            side = -1;
        } else {
            if gc == 0.0 {
                return c;
            }
            (b, gb) = (c, gc);
            if side == 1 {
                ga *= 0.5;
            }
            side = 1;
        }
    }
    b
}

impl<'a, M: NeuronModel> Simulation<'a, M> {
    /// Integrates with the adaptive Dormand-Prince 5(4) method from `t0` to `t_end`.
    ///
    /// - Steps end exactly on the discontinuities of the stimulus (the stages at a step's end
    ///   see the input's value just before the jump) and on the end of each refractory period;
    ///   the integration restarts after each (the first-same-as-last stage is re-evaluated).
    /// - Spikes: after each accepted step outside the refractory period, the threshold
    ///   function is sampled on the step's dense output (start, quarters, end); at the first
    ///   change from below zero to zero or above, the crossing is located to
    ///   [`Dopri5::event_tol`] by the Illinois method. The state there is taken from the dense
    ///   output, the spike time recorded, `reset` applied at the spike time, and the
    ///   integration restarted from there. If the threshold function does not change sign but
    ///   the threshold condition holds at the step's end, the spike is at the step's end.
    /// - Refractory period: until spike + `refractory_period()`, the derivatives of the
    ///   variables in `M::HELD` are zero, so they stay at their post-reset values, and no
    ///   spike is detected.
    /// - `clip` is applied after each accepted step (and after each reset); the integration
    ///   restarts when it changed the state.
    /// - Recording: with an interval, at t₀ + k·interval from the dense output (held variables
    ///   and clipping applied), plus the final state at `t_end`; with requested times
    ///   ([`RecordSpec::at`](crate::RecordSpec::at)), at exactly those times, from the dense output likewise; without one, the initial state,
    ///   the state after every accepted step, and the post-reset state at every spike.
    /// - Statistics: accepted and rejected steps, derivative evaluations (including the
    ///   automatic first-step selection and the restarts) and spikes.
    ///
    /// Errors: [`SimError::Unsupported`] for a model with noise, [`SimError::InvalidSetting`]
    /// for invalid solver settings or time span, [`SimError::StepSizeCollapse`] when the step
    /// size falls below `h_min` (a blow-up, or extreme stiffness), [`SimError::NonFinite`]
    /// when a state variable becomes NaN or infinite (also when its derivative does, so that
    /// no step is short enough), [`SimError::InvalidInput`] naming the input and the time
    /// when an input is NaN or infinite where the run reads it (a [`Signal::func`](crate::Signal::func)
    /// that returns NaN).
    ///
    /// ```
    /// use spyks_core::integrate::Dopri5;
    /// use spyks_core::{NeuronModel, Signal, Simulation, Stimulus};
    /// spyks_core::neuron_model! {
    ///     model Lif;
    ///     parameters { tau: 10 ms, E_l: -70 mV, v_th: -50 mV, v_r: -70 mV, R: 100 Mohm }
    ///     state { v: -70 mV }
    ///     inputs { I: 0 pA }
    ///     equations { dv/dt = (E_l - v + R*I) / tau }
    ///     threshold { v >= v_th }
    ///     reset { v = v_r }
    /// }
    /// let m = Lif::with_params(LifParams::default());
    /// let stim = Stimulus::new().with("I", Signal::Const(300.0)).unwrap();
    /// let traj = Simulation::new(&m, 50.0).stimulus(stim).run_adaptive(&Dopri5::new().tolerances(1e-10, 1e-10)).unwrap();
    /// // V∞ = -40 mV: spikes every 10·ln 3 ms.
    /// let period = 10.0 * 3f64.ln();
    /// assert!((traj.spikes[0] - period).abs() < 1e-7);
    /// assert_eq!(traj.spikes.len(), 4);
    /// ```
    pub fn run_adaptive(&self, solver: &Dopri5) -> Result<Trajectory, SimError> {
        let mut out = Trajectory::default();
        self.run_adaptive_into(solver, &mut out)?;
        Ok(out)
    }

    /// [`run_adaptive`](Self::run_adaptive) into `out`, replacing what it held and reusing
    /// its memory; on an error `out` is left empty.
    ///
    /// Why: a run's recording is fresh memory, and the operating system maps fresh memory
    /// page by page as it is first written. In a loop of runs (a parameter sweep, a fit)
    /// whose freed recordings the allocator has handed back to the system, that is paid at
    /// every run. 1 s of spyks' nakl or of Hodgkin-Huxley with lookup tables, recorded every
    /// 0.05 ms (5 columns of 20 000 samples), took about 0.23 ms more per run in a plain
    /// loop than into one reused trajectory: 1.13-1.35x as long, at tolerances from 1e-7 to
    /// 1e-4.
    ///
    /// ```
    /// use spyks_core::integrate::Dopri5;
    /// use spyks_core::presets::integrate_and_fire::Lif;
    /// use spyks_core::{NeuronModel, RecordSpec, Signal, Simulation, Stimulus, Trajectory};
    /// let model = Lif::with_params(Default::default());
    /// let mut out = Trajectory::default();
    /// for i_ext in [300.0, 400.0, 500.0] {
    ///     let stim = Stimulus::new().with("I", Signal::Const(i_ext)).unwrap();
    ///     let sim = Simulation::new(&model, 100.0).stimulus(stim).record(RecordSpec::all().every(0.1));
    ///     sim.run_adaptive_into(&Dopri5::new(), &mut out).unwrap();
    ///     assert_eq!(out.times.len(), 1001);
    /// }
    /// ```
    pub fn run_adaptive_into(&self, solver: &Dopri5, out: &mut Trajectory) -> Result<(), SimError> {
        let buf = std::mem::take(out);
        let prepared = crate::table::prepared(self.model)?;
        // One instance of the loop per way of reading the inputs (see `rhs::PerStep`).
        *out = if self.stimulus.piecewise_constant() {
            self.run_adaptive_with::<PerStep<M>>(&prepared, solver, buf)
        } else {
            self.run_adaptive_with::<PerStage<'_, M>>(&prepared, solver, buf)
        }?;
        Ok(())
    }

    /// [`run_adaptive`](Self::run_adaptive) on the prepared model `m`, the stages reading the
    /// inputs through `I`, recording into the memory of `buf`.
    fn run_adaptive_with<'s, I: StepInputs<'s, M>>(&'s self, m: &'s M, solver: &Dopri5, buf: Trajectory) -> Result<Trajectory, SimError> {
        let (t0, t_end) = (self.t0, self.t_end);
        validate_run::<M>(m, t0, t_end)?;
        if M::HAS_NOISE {
            return Err(SimError::Unsupported(format!(
                "the model `{}` has a white-noise term; the adaptive Dormand-Prince method is deterministic: use Euler (Euler-Maruyama) with run_fixed",
                M::NAME
            )));
        }
        let atol = solver.validate::<M::State>()?;
        let tau = solver.timing_tolerances::<M::State>()?;
        check_state::<M>(t0, &self.x0)?;
        let sources = self.record.resolve::<M>()?;
        let stim = &self.stimulus;
        self.record.validate_times(t0, t_end)?;
        let grid = match (&self.record.times, self.record.interval) {
            // Requested times before t_end from the dense output, those at t_end from the final state.
            (Some(ts), _) => Some(Grid { times: GridTimes::Requested(ts), k: 0, last: t_end }),
            (None, Some(iv)) => Some(Grid { times: GridTimes::Uniform { t0, interval: iv }, k: 0, last: t_end - 1e-9 * iv }),
            (None, None) => None,
        };
        let mut out = Trajectory::recycled(buf, &sources);
        if let Some(ts) = &self.record.times {
            out.reserve_samples(ts.len() as f64, "recording times", ts.len() as f64)?;
        } else if let Some(iv) = self.record.interval {
            // The grid's samples and the final state.
            out.reserve_samples(((t_end - t0) / iv).ceil() + 2.0, "recording interval", iv)?;
        }
        let all_states = Trajectory::all_states::<M>(&sources);
        let by_column = !M::HAS_CLIP && sources.iter().all(|(s, _)| matches!(s, Source::State(_)));
        let mut rec = Recorder { stimulus: stim, grid, sink: Sink { model: m, sources: &sources, all_states, by_column, out } };
        let t_ref = m.refractory_period();
        let mut refractory_until = f64::NEG_INFINITY;
        let mut held = self.x0;

        // The end of the next step's range and the right-hand side over it.
        let plan = |t: f64, refractory_until: f64| {
            let refractory = t < refractory_until;
            let mut t_lim = if refractory { refractory_until.min(t_end) } else { t_end };
            let mut clamp = f64::INFINITY;
            if let Some(j) = stim.next_jump(t, t_lim) {
                t_lim = j;
                clamp = j.next_down();
            }
            (t_lim, Rhs { model: m, inputs: I::for_step(stim, t, t_lim), clamp, refractory })
        };

        rec.point(t0, &self.x0, &stim.at(t0));
        let (_, rhs) = plan(t0, refractory_until);
        let mut eng = solver.engine(atol, tau, t0, self.x0, &rhs, t_end - t0);
        // The state at `eng.t()` after holding, clipping and resets.
        let mut x_now = self.x0;
        let mut bar = TimeProgress::new(self.progress, t0, t_end, M::NAME);
        while eng.t() < t_end {
            bar.at(eng.t());
            let (t, x0) = (eng.t(), eng.x());
            let (t_lim, rhs) = plan(t, refractory_until);
            let step = eng.step(&rhs, t_lim)?;
            let (t1, mut x1) = (step.t1(), eng.x());
            let spike = if M::HAS_THRESHOLD && !rhs.refractory { find_spike(&rhs, &step, &x0, &x1, solver.event_tol) } else { None };
            if let Some((ts, mut x)) = spike {
                rec.dense(&step, ts, None);
                let u = stim.at(ts);
                rec.sink.out.spikes.push(ts);
                rec.sink.out.stats.spikes += 1;
                m.reset(ts, &mut x, &u);
                m.clip(ts, &mut x, &u);
                check_state::<M>(ts, &x)?;
                held = x;
                refractory_until = ts + t_ref;
                rec.point(ts, &x, &u);
                x_now = x;
                let (_, next) = plan(ts, refractory_until);
                eng.restart(ts, x, &next);
                continue;
            }
            rec.dense(&step, t1, rhs.refractory.then_some(&held));
            if rhs.refractory {
                hold_variables::<M>(&mut x1, &held);
            }
            let u1 = stim.at(t1);
            m.clip(t1, &mut x1, &u1);
            check_state::<M>(t1, &x1)?;
            rec.point(t1, &x1, &u1);
            x_now = x1;
            // A jump of the input, the end of a refractory period, or a clipped state: the
            // last stage (reused as the next step's first) is stale.
            let changed = t1 == t_lim && (rhs.clamp.is_finite() || t1 == refractory_until);
            if t1 < t_end && (changed || x1 != eng.x()) {
                let (_, next) = plan(t1, refractory_until);
                eng.restart(t1, x1, &next);
            }
        }
        bar.finish();
        if let Some(g) = rec.grid.as_mut() {
            let u = stim.at(t_end);
            match g.times {
                GridTimes::Uniform { .. } => rec.sink.push(t_end, &x_now, &u),
                GridTimes::Requested(ts) => {
                    for _ in (g.k as usize)..ts.len() {
                        rec.sink.push(t_end, &x_now, &u);
                    }
                }
            }
        }
        let mut out = rec.sink.out;
        out.stats.steps = eng.accepted;
        out.stats.rejected = eng.rejected;
        out.stats.evaluations = eng.evaluations;
        out.check_expressions(&sources)?;
        Ok(out)
    }
}
