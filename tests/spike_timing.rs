//! Fixed-step runs with interpolated spike times (`SpikeTiming::Interpolated`) against
//! closed forms and an accurate adaptive run: a refractory period that ends inside a step,
//! and a model that counts spikes without resetting.

mod common;

use common::lif_period;
use spyks_core::integrate::{Dopri5, ExpEuler, Rk4};
use spyks_core::presets::hodgkin_huxley::{HodgkinHuxley, UA_PER_CM2};
use spyks_core::presets::integrate_and_fire::Lif;
use spyks_core::{RecordSpec, Signal, Simulation, SpikeTiming, Stimulus};

/// Exponential Euler is exact for the LIF between spikes, so an interpolated spike time is off
/// only by the straight line through the threshold function at the step's ends: at most
/// h²/8 · |v''| / v' at the threshold (0.1² / 8 · 0.05 / 1 ≈ 6e-5 ms at 300 pA). Each spike
/// starts a refractory period of 5 ms that ends off the grid, inside a step. Before, that step
/// was integrated whole from the reset value, so every interval was short by up to a step
/// (−0.09 ms each at dt = 0.1 in a similar run).
#[test]
fn refractory_periods_ending_inside_a_step_keep_the_closed_form_intervals() {
    let lif = Lif::new();
    let p = lif.params;
    let i = 300.0;
    let period = lif_period(&p, i);
    let first = period - p.t_ref;
    let stim = Stimulus::new().with("I", Signal::Const(i)).unwrap();
    let sim = Simulation::new(&lif, 500.0).stimulus(stim).spike_timing(SpikeTiming::Interpolated);
    for dt in [0.1, 0.07] {
        let tr = sim.run_fixed(&mut ExpEuler, dt).unwrap();
        let expected = ((500.0 - first) / period).floor() as usize + 1;
        assert_eq!(tr.spikes.len(), expected, "dt {dt}");
        let bound = dt * dt / 8.0 * (1.0 / p.tau_m) + 1e-9;
        // The first spike, then every interval: each spike restarts the exact solution at its
        // own (interpolated) time, so the errors of spike times add up and those of intervals
        // do not.
        assert!((tr.spikes[0] - first).abs() < bound, "dt {dt}: first spike at {} ms, closed form {first} ms", tr.spikes[0]);
        for (k, w) in tr.spikes.windows(2).enumerate() {
            let err = w[1] - w[0] - period;
            assert!(err.abs() < bound, "dt {dt}: interval {k} is {err:e} ms off the closed form {period} ms (bound {bound:e})");
        }
    }
}

/// The Hodgkin-Huxley preset counts spikes at a detection level and does not reset (its dead
/// time holds nothing), so an interpolated spike time must leave the trajectory as it is: the
/// same bits as a run with spikes at the steps' ends. Before, the state was replaced at each
/// spike by the straight line between the step's ends and integrated again from there, which
/// put 0.05 mV of error into an RK4 trace at dt = 0.01 ms (800 times its own). The spike times
/// themselves get closer to an accurate adaptive run.
#[test]
fn interpolated_spike_times_leave_a_model_without_reset_unchanged() {
    let hh = HodgkinHuxley::new();
    let stim = Stimulus::new().with("I", Signal::Const(10.0 * UA_PER_CM2)).unwrap();
    let sim = Simulation::new(&hh, 100.0).stimulus(stim).record(RecordSpec::all().every(0.5));
    let at_end = sim.run_fixed(&mut Rk4, 0.01).unwrap();
    let interpolated = sim.clone().spike_timing(SpikeTiming::Interpolated).run_fixed(&mut Rk4, 0.01).unwrap();
    assert!(at_end.columns == interpolated.columns, "the trajectories differ");
    let reference = sim.run_adaptive(&Dopri5::new().tolerances(1e-11, 1e-11)).unwrap();
    assert!(reference.spikes.len() >= 5);
    assert_eq!(at_end.spikes.len(), reference.spikes.len());
    assert_eq!(interpolated.spikes.len(), reference.spikes.len());
    let worst = |s: &[f64]| s.iter().zip(&reference.spikes).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    let (e_end, e_interp) = (worst(&at_end.spikes), worst(&interpolated.spikes));
    // At the step's end a spike is late by up to a step; the line through the detection
    // function is far closer on the fast upstroke.
    assert!(e_end > 1e-3 && e_interp < 1e-3 && e_interp < e_end / 10.0, "step end {e_end:e} ms, interpolated {e_interp:e} ms");
}

spyks_core::neuron_model! {
    /// v climbs at 1 mV/ms and is reset at 1.05 mV (spikes at 1.05, 2.10, ... ms, inside the
    /// steps); w grows as c·t²/2 and is not reset.
    model Ramp;
    parameters { c: 1 mV/ms^2 }
    state { v: 0 mV, w: 0 mV }
    equations { dv/dt = 1 mV/ms, dw/dt = c * t }
    threshold { v >= 1.05 mV }
    reset { v = 0 mV }
}

/// A spike inside a step restarts the step from the state at the spike: the variables the
/// reset does not touch must keep their trajectory. RK4 integrates w = t²/2 exactly, and the
/// state at the spike comes from the cubic through the step's ends and slopes, exact for it.
/// The straight line used before put w off by up to h²/8 · w'' = 1.25e-3 mV at each spike.
#[test]
fn variables_the_reset_leaves_alone_keep_their_trajectory_through_interpolated_spikes() {
    let m = Ramp::new();
    let sim = Simulation::new(&m, 20.0).spike_timing(SpikeTiming::Interpolated);
    let tr = sim.run_fixed(&mut Rk4, 0.1).unwrap();
    assert_eq!(tr.spikes.len(), 19);
    for (k, &ts) in tr.spikes.iter().enumerate() {
        let exact = 1.05 * (k + 1) as f64;
        assert!((ts - exact).abs() < 1e-9, "spike {k} at {ts} ms, expected {exact} ms");
    }
    let w = tr.column("w").unwrap();
    for (&t, &w) in tr.times.iter().zip(w) {
        assert!((w - t * t / 2.0).abs() < 1e-11, "w({t}) = {w}, closed form {}", t * t / 2.0);
    }
}
