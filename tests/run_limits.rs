//! Adaptive runs stop at a step budget with an error that says which setting to change:
//! never an endless run that records until the memory is full.

use spyks::integrate::Dopri5;
use spyks::presets::hodgkin_huxley::{HodgkinHuxley, UA_PER_CM2};
use spyks::{RecordSpec, Signal, SimError, Simulation, Stimulus, Trajectory};

fn setting_name(e: &SimError) -> &'static str {
    match e {
        SimError::InvalidSetting { name, .. } => name,
        other => panic!("not an invalid setting: {other}"),
    }
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
