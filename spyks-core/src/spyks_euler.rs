//! spyks' own integrator for models with a reset: the "resetting" forward Euler, reproduced
//! step for step so that results can be compared with the Python spyks 0.7 number for number.
//!
//! # What spyks does
//!
//! The project's description of the spyks 0.7 file format and runtime (`spyks-yaml-format.md`,
//! section "What spyks generates and offers") states it as: *"reset models use forward Euler
//! that resets first and skips the update on the step the predicate holds, then clips"*; the
//! notes that came with spyks' recorded adex steps (`tests/data/spyks-reference/adex.json`,
//! field `reset[*].state_after_euler_step`, checked by `tests/spyks_parity.rs`) as: *"if the
//! predicate holds, apply the reset and skip the Euler update; otherwise do x + dt·f(x) and
//! then clip"*. Forcing is read (same format description, section "Inputs (forcing) in
//! spyks") *"by nearest neighbour (index `round(t/dt)`, half away from zero, clamped to the
//! array), so a step written at sample k takes effect at (k - 0.5)·dt"*.
//!
//! Precisely, with t_k = k·dt (computed as a product, never accumulated) and
//! u_k = F[clamp(round(t_k / forcing_dt), 0, N - 1)] for a forcing array F of N rows, one step
//! from x_k is:
//!
//! 1. if the reset predicate (the model's [`threshold`](NeuronModel::threshold)) holds at
//!    (t_k, x_k, u_k): x_{k+1} = reset(x_k), a spike is recorded at t_k, and nothing else
//!    happens in this step (no derivative, no clip);
//! 2. otherwise x_{k+1} = x_k + dt·f(t_k, x_k, u_k), then the clip rules are applied.
//!
//! So a spike shows in the output as one sample at the clipped value (adex: V = h) at t_k,
//! followed by the reset state at t_{k+1}. The first sample is x0, unchanged, even if it
//! satisfies the predicate (its reset is the first step).
//!
//! # Differences from `Simulation::run_fixed` with `Euler`
//!
//! [`Simulation::run_fixed`](crate::Simulation::run_fixed) tests the threshold *after* each
//! update and resets in the same step, so the over-threshold value is never recorded and no
//! step is skipped; it also honours the model's refractory period. spyks' scheme spends one
//! whole step on the reset and has no refractory period; this module ignores the model's
//! `refractory` section (spyks files cannot declare one).
//!
//! # Relation to spyks' output arrays
//!
//! The functions here return n_steps + 1 samples, t_0 = 0 to t_n = n_steps·dt; sample 0 is x0.
//! spyks' `integrate(params, x0, forcing, forcing_dt, dt)` runs over T = N·forcing_dt and
//! returns floor(T/dt) rows, which are samples 0 to floor(T/dt) - 1 of ours (call with
//! `n_steps = floor(T/dt) - 1` to get exactly those rows).
//!
//! Unlike spyks, every state variable is checked after each step: a NaN or infinity is a
//! [`SimError::NonFinite`] naming the variable and time, not a silently poisoned array.

use crate::error::SimError;
use crate::model::NeuronModel;
use crate::record::{RecordSpec, Trajectory};
use crate::simulate::{check_state, validate_params};
use crate::stimulus::Stimulus;
use crate::vector::Vector;

/// The forcing row spyks reads at time `t` (ms) from an array of `len` rows sampled every
/// `forcing_dt` ms: `round(t / forcing_dt)` with halves rounded away from zero, clamped to
/// `0..len` (negative times read row 0). `len` must be at least 1.
///
/// ```
/// use spyks_core::spyks_euler::forcing_index;
/// assert_eq!(forcing_index(0.024, 0.05, 10), 0);
/// assert_eq!(forcing_index(0.025, 0.05, 10), 1); // half away from zero
/// assert_eq!(forcing_index(99.0, 0.05, 10), 9);  // clamped
/// ```
#[inline]
pub fn forcing_index(t: f64, forcing_dt: f64, len: usize) -> usize {
    let k = (t / forcing_dt).round(); // f64::round: half away from zero, like std::round
    if k <= 0.0 || k.is_nan() { 0 } else { (k as usize).min(len.saturating_sub(1)) }
}

/// Integrates `model` from `x0` with spyks' resetting forward Euler (see the [module
/// documentation](self) for the exact rule), reading the inputs from `forcing`, one row per
/// sample every `forcing_dt` ms, by nearest neighbour. Takes `n_steps` steps of `dt` ms and
/// records every state variable at t = k·dt for k = 0..=n_steps; spikes are the times of
/// the steps spent on a reset.
///
/// # Errors
/// [`SimError::InvalidSetting`] for a non-positive or non-finite `dt` or `forcing_dt`, and
/// for `n_steps + 1` samples that do not fit in the memory;
/// [`SimError::InvalidInput`] for an empty or non-finite forcing array;
/// [`SimError::InvalidParameter`] as in [`validate_params`];
/// [`SimError::NonFinite`] when a state variable becomes NaN or infinite.
///
/// ```
/// use spyks_core::presets::spyks::{Adex, AdexInputs};
/// use spyks_core::spyks_euler::integrate_spyks_euler;
/// use spyks_core::NeuronModel;
///
/// let m = Adex::new();
/// // 1 nA from sample 400 (20 ms) on, as a spyks forcing array with forcing_dt = 0.05 ms.
/// let forcing: Vec<AdexInputs> =
///     (0..4000).map(|k| AdexInputs { Iinj: if k >= 400 { 1000.0 } else { 0.0 } }).collect();
/// let tr = integrate_spyks_euler(&m, m.initial_state(), &forcing, 0.05, 0.05, 3999).unwrap();
/// assert_eq!(tr.times.len(), 4000);
/// assert!(!tr.spikes.is_empty());
/// // The sample at a spike is the clipped peak; the next one is the reset state.
/// let k = (tr.spikes[0] / 0.05).round() as usize;
/// assert_eq!(tr.columns[0][k], m.params.h);
/// assert_eq!(tr.columns[0][k + 1], m.params.vr);
/// ```
pub fn integrate_spyks_euler<M: NeuronModel>(
    model: &M,
    x0: M::State,
    forcing: &[M::Inputs],
    forcing_dt: f64,
    dt: f64,
    n_steps: usize,
) -> Result<Trajectory, SimError> {
    if !(forcing_dt > 0.0 && forcing_dt.is_finite()) {
        return Err(SimError::InvalidSetting {
            name: "forcing_dt",
            value: forcing_dt,
            reason: "the forcing interval must be positive".into(),
        });
    }
    if forcing.is_empty() {
        let input = M::Inputs::INFO.first().map_or("forcing", |v| v.name).to_string();
        return Err(SimError::InvalidInput { input, what: "number of forcing samples".into(), value: 0.0 });
    }
    for (k, row) in forcing.iter().enumerate() {
        for (i, info) in M::Inputs::INFO.iter().enumerate() {
            let v = row.get_index(i).unwrap_or(0.0);
            if !v.is_finite() {
                return Err(SimError::InvalidInput { input: info.name.to_string(), what: format!("sample {k}"), value: v });
            }
        }
    }
    let n = forcing.len();
    run(model, x0, dt, n_steps, |t| forcing[forcing_index(t, forcing_dt, n)])
}

/// Like [`integrate_spyks_euler`], with the inputs given by a [`Stimulus`] read at t_k = k·dt.
/// Use [`Signal::sampled`](crate::Signal::sampled) with [`Interp::Nearest`](crate::Interp::Nearest)
/// for spyks' nearest-neighbour forcing rule; any other signal is read at the start of each
/// step.
///
/// # Errors
/// As [`integrate_spyks_euler`] (except the forcing-array checks: a [`Stimulus`] was
/// validated when it was built).
pub fn integrate_spyks_euler_stimulus<M: NeuronModel>(
    model: &M,
    x0: M::State,
    stimulus: &Stimulus<M>,
    dt: f64,
    n_steps: usize,
) -> Result<Trajectory, SimError> {
    run(model, x0, dt, n_steps, |t| stimulus.at(t))
}

/// The loop shared by both entry points; `inputs(t)` gives the forcing at time t.
fn run<M: NeuronModel>(m: &M, x0: M::State, dt: f64, n_steps: usize, inputs: impl Fn(f64) -> M::Inputs) -> Result<Trajectory, SimError> {
    if !(dt > 0.0 && dt.is_finite()) {
        return Err(SimError::InvalidSetting { name: "dt", value: dt, reason: "the time step must be positive".into() });
    }
    validate_params(m)?;
    check_state::<M>(0.0, &x0)?;
    let sources = RecordSpec::all().resolve::<M>()?;
    let mut out = Trajectory::recycled(Trajectory::default(), &sources);
    out.reserve_samples(n_steps as f64 + 1.0, "n_steps", n_steps as f64)?;
    let mut x = x0;
    out.push(m, &sources, 0.0, &x, &inputs(0.0));
    for k in 0..n_steps {
        let t = k as f64 * dt;
        let t_next = (k + 1) as f64 * dt;
        let u = inputs(t);
        if M::HAS_THRESHOLD && m.threshold(t, &x, &u) {
            // Reset first, and spend the whole step on it.
            m.reset(t, &mut x, &u);
            out.spikes.push(t);
            out.stats.spikes += 1;
        } else {
            let f = m.derivative(t, &x, &u);
            x = x.zip_map(&f, |x, f| x + dt * f);
            out.stats.evaluations += 1;
            m.clip(t_next, &mut x, &inputs(t_next));
        }
        check_state::<M>(t_next, &x)?;
        out.stats.steps += 1;
        out.push(m, &sources, t_next, &x, &inputs(t_next));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::spyks::{Adex, AdexInputs, AdexState, Passive, PassiveInputs};
    use crate::stimulus::{Interp, Signal};

    #[test]
    fn forcing_index_rounds_half_away_from_zero_and_clamps() {
        assert_eq!(forcing_index(-3.0, 0.5, 4), 0);
        assert_eq!(forcing_index(0.24, 0.5, 4), 0);
        assert_eq!(forcing_index(0.25, 0.5, 4), 1);
        assert_eq!(forcing_index(0.75, 0.5, 4), 2);
        assert_eq!(forcing_index(1e9, 0.5, 4), 3);
        assert_eq!(forcing_index(1.0, 0.5, 1), 0);
    }

    #[test]
    fn reset_step_skips_the_update_and_is_recorded() {
        let m = Adex::new();
        let u = [AdexInputs { Iinj: 300.0 }];
        // Starting at the threshold: step 1 is the reset, step 2 an Euler step from it.
        let x0 = AdexState { V: 30.0, w: 120.0 };
        let tr = integrate_spyks_euler(&m, x0, &u, 1.0, 0.05, 2).unwrap();
        assert_eq!(tr.times, vec![0.0, 0.05, 0.1]);
        assert_eq!(tr.spikes, vec![0.0]);
        assert_eq!((tr.columns[0][1], tr.columns[1][1]), (-70.6, 200.5));
        let x1 = AdexState { V: -70.6, w: 200.5 };
        let f = m.derivative(0.05, &x1, &u[0]);
        assert_eq!(tr.columns[0][2], -70.6 + 0.05 * f.V);
        assert_eq!(tr.stats.evaluations, 1);
        assert_eq!(tr.stats.spikes, 1);
    }

    #[test]
    fn array_and_stimulus_forms_agree() {
        let m = Passive::new();
        let values: Vec<f64> = (0..40).map(|k| if k >= 10 { 100.0 } else { 0.0 }).collect();
        let rows: Vec<PassiveInputs> = values.iter().map(|&v| PassiveInputs { Iinj: v }).collect();
        let a = integrate_spyks_euler(&m, m.initial_state(), &rows, 0.1, 0.025, 200).unwrap();
        let s = Stimulus::<Passive>::new().with("Iinj", Signal::sampled(0.1, values, Interp::Nearest)).unwrap();
        let b = integrate_spyks_euler_stimulus(&m, m.initial_state(), &s, 0.025, 200).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.times.len(), 201);
    }

    #[test]
    fn bad_settings_are_errors() {
        let m = Passive::new();
        let u = [PassiveInputs::default()];
        assert!(matches!(integrate_spyks_euler(&m, m.initial_state(), &u, 0.05, 0.0, 1), Err(SimError::InvalidSetting { name: "dt", .. })));
        assert!(matches!(
            integrate_spyks_euler(&m, m.initial_state(), &u, -1.0, 0.05, 1),
            Err(SimError::InvalidSetting { name: "forcing_dt", .. })
        ));
        assert!(matches!(integrate_spyks_euler(&m, m.initial_state(), &[], 0.05, 0.05, 1), Err(SimError::InvalidInput { .. })));
        let nan = [PassiveInputs { Iinj: f64::NAN }];
        assert!(matches!(integrate_spyks_euler(&m, m.initial_state(), &nan, 0.05, 0.05, 1), Err(SimError::InvalidInput { .. })));
    }
}
