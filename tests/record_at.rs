//! Dense output at requested times: an adaptive run samples its interpolant exactly where the
//! user asks (the sample times of a recorded trace, say), checked against closed forms.

use spyks_core::integrate::{Dopri5, Rk4};
use spyks_core::{RecordSpec, Signal, SimError, Simulation, Stimulus};

spyks_core::neuron_model! {
    /// Leaky integrate-and-fire: V∞ = E_l + R I.
    model Lif;
    parameters { tau: 10 ms, E_l: -70 mV, v_th: -50 mV, v_r: -70 mV, R: 100 Mohm }
    state { v: -70 mV }
    inputs { I: 0 pA }
    equations { dv/dt = (E_l - v + R*I) / tau }
    threshold { v >= v_th }
    reset { v = v_r }
}

/// Irregular times, including the run's start and end and a repeated time.
fn times() -> Vec<f64> {
    let mut ts = vec![0.0, 0.013, 0.5, 1.0, 1.0, 2.7, 7.3, 9.99, 12.5, 19.0, 23.456, 29.9, 30.0];
    ts.sort_by(f64::total_cmp);
    ts
}

#[test]
fn subthreshold_samples_match_the_exponential_relaxation() {
    // 150 pA: V∞ = -55 mV, below threshold; V(t) = V∞ + (V0 - V∞) e^{-t/τ}.
    let m = Lif::new();
    let stim = Stimulus::new().with("I", Signal::Const(150.0)).unwrap();
    let ts = times();
    let traj = Simulation::new(&m, 30.0)
        .stimulus(stim)
        .record(RecordSpec::all().at(ts.clone()))
        .run_adaptive(&Dopri5::new().tolerances(1e-11, 1e-11))
        .unwrap();
    assert_eq!(traj.times, ts);
    let v = traj.column("v").unwrap();
    for (t, v) in ts.iter().zip(v) {
        let exact = -55.0 + (-70.0 + 55.0) * (-t / 10.0f64).exp();
        assert!((v - exact).abs() < 1e-8, "t = {t}: {v} vs {exact}");
    }
}

#[test]
fn samples_after_a_spike_follow_the_reset() {
    // 300 pA: V∞ = -40 mV, spikes every τ ln 3; between spikes V restarts from v_r.
    let m = Lif::new();
    let stim = Stimulus::new().with("I", Signal::Const(300.0)).unwrap();
    let ts = times();
    let traj = Simulation::new(&m, 30.0)
        .stimulus(stim)
        .record(RecordSpec::names(["v"]).at(ts.clone()))
        .run_adaptive(&Dopri5::new().tolerances(1e-11, 1e-11))
        .unwrap();
    let period = 10.0 * 3f64.ln();
    assert_eq!(traj.spikes.len(), (30.0 / period) as usize);
    for (t, v) in ts.iter().zip(traj.column("v").unwrap()) {
        let since = t - (t / period).floor() * period;
        let exact = -40.0 + (-70.0 + 40.0) * (-since / 10.0f64).exp();
        assert!((v - exact).abs() < 1e-7, "t = {t}: {v} vs {exact}");
    }
}

#[test]
fn bad_requested_times_are_errors_naming_the_time() {
    let m = Lif::new();
    let solver = Dopri5::new();
    for (ts, what) in [(vec![1.0, 0.5], "previous"), (vec![1.0, 31.0], "time span"), (vec![-1.0], "time span"), (vec![f64::NAN], "finite")]
    {
        let err = Simulation::new(&m, 30.0).record(RecordSpec::all().at(ts)).run_adaptive(&solver).unwrap_err();
        let SimError::InvalidSetting { name, reason, .. } = &err else { panic!("{err}") };
        assert_eq!(*name, "requested recording time");
        assert!(reason.contains(what), "{err}");
    }
    // Fixed steps have no dense output: a clear error rather than a silent resampling.
    let err = Simulation::new(&m, 30.0).record(RecordSpec::all().at(vec![1.0])).run_fixed(&mut Rk4, 0.1).unwrap_err();
    assert!(matches!(err, SimError::Unsupported(_)), "{err}");
    assert!(err.to_string().contains("every"), "{err}");
}

/// A recording interval that is not a positive finite number is refused by both drivers with
/// what it must be (an infinite one was told only that it "must be positive").
#[test]
fn bad_recording_intervals_say_what_they_must_be() {
    let m = Lif::new();
    for iv in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let sim = Simulation::new(&m, 30.0).record(RecordSpec::all().every(iv));
        for err in [sim.run_adaptive(&Dopri5::new()).unwrap_err(), sim.run_fixed(&mut Rk4, 0.1).unwrap_err()] {
            let SimError::InvalidSetting { name, reason, .. } = &err else { panic!("{err}") };
            assert_eq!((*name, reason.as_str()), ("recording interval", "must be positive and finite"), "{iv}: {err}");
        }
    }
}
