//! Runs too long to end or too large to record fail before they start, or at a step budget,
//! with an error that says which setting to change: never an endless loop or an abort when
//! the recording has filled the memory. The Ornstein-Uhlenbeck input, which is sampled
//! whole when it is made, checks its settings the same way.

use spyks::estimate::ForwardSensitivity;
use spyks::integrate::{Dopri5, Euler, Rk4};
use spyks::network::{Network, Population};
use spyks::presets::hodgkin_huxley::{HodgkinHuxley, UA_PER_CM2};
use spyks::presets::spyks::Passive;
use spyks::spyks_euler::integrate_spyks_euler_stimulus;
use spyks::{NeuronModel, RecordSpec, Signal, SimError, Simulation, Stimulus, Trajectory};

fn setting_name(e: &SimError) -> &'static str {
    match e {
        SimError::InvalidSetting { name, .. } => name,
        other => panic!("not an invalid setting: {other}"),
    }
}

#[test]
fn fixed_step_runs_of_more_than_2_52_steps_are_refused() {
    let m = Passive::new();
    // 3e300 and 1e300 steps: t0 + k·dt stops telling steps apart long before.
    for (t_end, dt) in [(1e300, 0.1), (10.0, 1e-299)] {
        let e = Simulation::new(&m, t_end).run_fixed(&mut Rk4, dt).unwrap_err();
        assert_eq!(setting_name(&e), "dt", "{e}");
        assert!(e.to_string().contains("more than 2^52"), "{e}");
    }
    // 2^52 steps of 1 ms is the largest count allowed; one step more is refused. (The first
    // fails on its recording of every step, which cannot fit: it does not start either.)
    let at_limit = Simulation::new(&m, (1u64 << 52) as f64).run_fixed(&mut Rk4, 1.0).unwrap_err();
    assert_eq!(setting_name(&at_limit), "recording interval", "{at_limit}");
    let beyond = Simulation::new(&m, (1u64 << 52) as f64 + 4.0).run_fixed(&mut Rk4, 1.0).unwrap_err();
    assert_eq!(setting_name(&beyond), "dt", "{beyond}");
}

#[test]
fn a_recording_that_cannot_fit_is_refused_before_the_run() {
    let m = Passive::new();
    // 1e15 samples of two columns (16 PB), adaptive and fixed-step.
    let sim = Simulation::new(&m, 1e14).record(RecordSpec::all().every(0.1));
    let e = sim.run_adaptive(&Dopri5::new()).unwrap_err();
    assert_eq!(setting_name(&e), "recording interval", "{e}");
    assert!(e.to_string().contains("1.000e15 samples of 2 columns"), "{e}");
    let e = sim.run_fixed(&mut Euler::new(), 0.1).unwrap_err();
    assert_eq!(setting_name(&e), "recording interval", "{e}");
    // More samples than 2^52 (t_end at the largest double).
    let e = Simulation::new(&m, f64::MAX).record(RecordSpec::all().every(1.0)).run_adaptive(&Dopri5::new()).unwrap_err();
    assert_eq!(setting_name(&e), "recording interval", "{e}");
    // A trajectory handed in for reuse is left empty, as after any failed run.
    let mut out = Simulation::new(&m, 10.0).run_adaptive(&Dopri5::new()).unwrap();
    assert!(!out.times.is_empty());
    assert!(sim.run_adaptive_into(&Dopri5::new(), &mut out).is_err());
    assert!(out.times.is_empty() && out.columns.iter().all(Vec::is_empty));
    // The same long run recording only its end is accepted (and stops at its step budget).
    let e = Simulation::new(&m, 1e14)
        .record(RecordSpec::all().at(vec![1e14]))
        .stimulus(
            Stimulus::new()
                .with("Iinj", Signal::Pulses { start: 0.0, width: 1.0, period: 2.0, count: usize::MAX, amplitude: 100.0 })
                .unwrap(),
        )
        .run_adaptive(&Dopri5::new().max_steps(1000))
        .unwrap_err();
    assert!(matches!(e, SimError::TooManySteps { steps: 1000, .. }), "{e}");
}

/// `m` firing at 10 µA/cm² for 200 ms, recorded every 0.1 ms.
fn hh_run(m: &HodgkinHuxley) -> Simulation<'_, HodgkinHuxley> {
    let stim = Stimulus::new().with("I", Signal::Const(10.0 * UA_PER_CM2)).unwrap();
    Simulation::new(m, 200.0).stimulus(stim).record(RecordSpec::all().every(0.1))
}

#[test]
fn the_step_budget_stops_a_run_at_exactly_max_steps() {
    let m = HodgkinHuxley::new();
    let sim = hh_run(&m);
    let full = sim.run_adaptive(&Dopri5::new()).unwrap();
    let trials = full.stats.steps + full.stats.rejected;
    assert!(full.stats.rejected > 0 && full.spikes.len() > 5, "{:?}", full.stats);
    // A budget of exactly the steps taken is enough, and changes nothing.
    let same = sim.run_adaptive(&Dopri5::new().max_steps(trials)).unwrap();
    assert_eq!((same.times.len(), same.spikes.clone(), same.stats), (full.times.len(), full.spikes.clone(), full.stats));
    assert_eq!(same.columns, full.columns);
    // One fewer fails at the last step's start, naming the budget and the time reached.
    let e = sim.run_adaptive(&Dopri5::new().max_steps(trials - 1)).unwrap_err();
    let SimError::TooManySteps { t, steps } = e else { panic!("{e}") };
    assert_eq!(steps, trials - 1);
    assert!(t > 199.0 && t < 200.0, "{t}");
    assert!(e.to_string().contains("raise Dopri5::max_steps"), "{e}");
    // A budget of none is a setting error.
    let e = sim.run_adaptive(&Dopri5::new().max_steps(0)).unwrap_err();
    assert_eq!(setting_name(&e), "max_steps", "{e}");
}

#[test]
fn a_solution_that_runs_away_without_becoming_infinite_meets_the_budget() {
    // A sodium reversal potential of 5·10¹³ mV: V climbs towards it for ever, each step
    // shorter than the last, without overflowing. Before the step budget this run recorded
    // every step until the memory was full.
    let mut m = HodgkinHuxley::new();
    m.params.E_Na = 5e13;
    let stim = Stimulus::new().with("I", Signal::Const(0.0)).unwrap();
    let mut out = Trajectory::default();
    let e = Simulation::new(&m, 110.0).stimulus(stim).run_adaptive_into(&Dopri5::new().max_steps(200_000), &mut out).unwrap_err();
    assert!(matches!(e, SimError::TooManySteps { steps: 200_000, t } if t < 110.0), "{e}");
}

#[test]
fn ornstein_uhlenbeck_settings_are_checked() {
    let ou = |mean, sigma, tau, dt, t_end| Signal::ornstein_uhlenbeck(mean, sigma, tau, dt, t_end, 1);
    for (args, name) in [
        ((f64::NAN, 1.0, 5.0, 0.1, 10.0), "mean"),
        ((0.0, -1.0, 5.0, 0.1, 10.0), "sigma"),
        ((0.0, 1.0, 0.0, 0.1, 10.0), "tau"),
        ((0.0, 1.0, f64::INFINITY, 0.1, 10.0), "tau"),
        ((0.0, 1.0, 5.0, f64::NAN, 10.0), "dt"),
        ((0.0, 1.0, 5.0, 0.1, -1.0), "t_end"),
        // More than 2^52 samples, and 10^15 samples (8 PB) that cannot be allocated.
        ((0.0, 1.0, 5.0, 0.1, 1e300), "dt"),
        ((0.0, 1.0, 5.0, 1.0, 1e15), "dt"),
    ] {
        let (mean, sigma, tau, dt, t_end) = args;
        let e = ou(mean, sigma, tau, dt, t_end).unwrap_err();
        assert_eq!(setting_name(&e), name, "{e}");
    }
    // σ = 0 is the constant mean.
    let flat = ou(2.0, 0.0, 5.0, 0.1, 10.0).unwrap();
    assert!((0..100).all(|k| flat.at(k as f64 * 0.1) == 2.0));
}

#[test]
fn sensitivity_runs_check_their_steps_and_recording_too() {
    let m = Passive::new();
    let mut fs = ForwardSensitivity::<Passive>::new(&["gl", "El"], &["V"]).unwrap();
    let e = fs.run(&Simulation::new(&m, 1e300), 0.1).unwrap_err();
    assert_eq!(setting_name(&e), "dt", "{e}");
    // 1e15 samples of one state and three sensitivities.
    let e = fs.run(&Simulation::new(&m, 1e14).record(RecordSpec::all().every(0.1)), 0.1).unwrap_err();
    assert_eq!(setting_name(&e), "recording interval", "{e}");
    assert!(e.to_string().contains("1000000000000002 samples of 4 values"), "{e}");
    assert!(fs.run(&Simulation::new(&m, 10.0), 0.1).is_ok());
}

#[test]
fn a_spyks_euler_run_too_long_to_record_is_refused() {
    let m = Passive::new();
    let e = integrate_spyks_euler_stimulus(&m, m.initial_state(), &Stimulus::new(), 0.05, usize::MAX).unwrap_err();
    assert_eq!(setting_name(&e), "n_steps", "{e}");
    assert_eq!(integrate_spyks_euler_stimulus(&m, m.initial_state(), &Stimulus::new(), 0.05, 10).unwrap().times.len(), 11);
}

#[test]
fn a_network_run_of_more_than_2_52_steps_is_refused() {
    let mut net = Network::new(0.1, 1).unwrap();
    net.add_population(Population::new("passive", 4, Passive::new(), |_| Euler::new())).unwrap();
    let e = net.run(1e300).unwrap_err();
    assert!(e.to_string().contains("more than 2^52 time steps"), "{e}");
    net.run(1.0).unwrap();
}
