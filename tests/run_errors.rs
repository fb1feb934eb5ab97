//! Bad input at run time gives a precise error, never a panic or a silent NaN.

use spyks_core::integrate::{Dopri5, Euler, Heun, Rk4};
use spyks_core::network::{Network, NetworkError, Population, Values};
use spyks_core::{RecordSpec, Signal, SimError, Simulation, Stimulus};

spyks_core::neuron_model! {
    /// A leaky membrane with a capacitance and a time constant.
    model Membrane;
    parameters { C: 200 pF, g: 10 nS, E: -70 mV, tau_w: 50 ms }
    state { v: -70 mV, w: 0 pA }
    inputs { I: 0 pA }
    expressions { I_leak = g * (E - v) }
    equations {
        dv/dt = (I_leak - w + I) / C,
        dw/dt = -w / tau_w,
    }
}

spyks_core::neuron_model! {
    /// dx/dt = k x²: blows up at t = 1/(k x0).
    model Blowup;
    parameters { k: 1 1/ms }
    state { x: 1 }
    equations { dx/dt = k * x^2 }
}

spyks_core::neuron_model! {
    /// An Ornstein-Uhlenbeck membrane: white noise through `xi`.
    model Noisy;
    parameters { tau: 10 ms, sigma: 2 mV/ms^(1/2) }
    state { v: 0 mV }
    equations { dv/dt = -v / tau + sigma * xi }
}

#[test]
fn non_finite_state_names_time_variable_and_value() {
    let m = Blowup::new();
    let err = Simulation::new(&m, 2.0).run_fixed(&mut Rk4, 0.01).unwrap_err();
    let SimError::NonFinite { t, var, value } = err.clone() else { panic!("{err}") };
    assert_eq!(var, "x");
    assert!(t > 0.9 && t < 1.2, "{t}");
    assert!(!value.is_finite());
    assert!(err.to_string().starts_with("state variable `x` became"), "{err}");
}

spyks_core::neuron_model! {
    /// x = 1 - t, and y' = ln x: NaN once x is negative, after t = 1.
    model LogOfLine;
    parameters { k: 1 1/ms }
    state { x: 1, y: 0 }
    equations {
        dx/dt = -k,
        dy/dt = k * log(x),
    }
}

#[test]
fn adaptive_run_names_an_input_that_becomes_nan() {
    let m = Membrane::new();
    let stim = Stimulus::new().with("I", Signal::func(|t| if t < 5.0 { 100.0 } else { f64::NAN })).unwrap();
    let err = Simulation::new(&m, 10.0).stimulus(stim).run_adaptive(&Dopri5::new()).unwrap_err();
    let SimError::InvalidInput { input, what, value } = &err else { panic!("{err}") };
    assert_eq!(input, "I");
    assert!(value.is_nan());
    let t: f64 = what.strip_prefix("value at t = ").and_then(|w| w.strip_suffix(" ms")).and_then(|w| w.parse().ok()).expect(what);
    assert!((5.0..5.0 + 1e-9).contains(&t), "{err}");
    assert!(err.to_string().starts_with("the stimulus of input `I` has an invalid value at t = 5"), "{err}");
}

/// The same with a fixed step: the input that made the state NaN is named, not the state
/// variable it poisoned.
#[test]
fn fixed_step_run_names_an_input_that_becomes_nan() {
    let m = Membrane::new();
    let stim = Stimulus::new().with("I", Signal::func(|t| if t < 5.0 { 100.0 } else { f64::NAN })).unwrap();
    let err = Simulation::new(&m, 10.0).stimulus(stim).run_fixed(&mut Rk4, 0.1).unwrap_err();
    let SimError::InvalidInput { input, value, .. } = &err else { panic!("{err}") };
    assert_eq!(input, "I");
    assert!(value.is_nan());
    assert!(err.to_string().starts_with("the stimulus of input `I` has an invalid value at t = 5"), "{err}");
}

#[test]
fn adaptive_run_names_a_variable_whose_derivative_becomes_nan() {
    let err = Simulation::new(&LogOfLine::new(), 2.0).run_adaptive(&Dopri5::new()).unwrap_err();
    let SimError::NonFinite { t, var, value } = err else { panic!("{err}") };
    assert_eq!(var, "y");
    assert!(value.is_nan());
    assert!((1.0 - 1e-9..1.0 + 1e-9).contains(&t), "{t}");
}

#[test]
fn meaningless_parameters_are_rejected() {
    let mut m = Membrane::new();
    m.params.C = 0.0;
    let err = Simulation::new(&m, 10.0).run_fixed(&mut Euler::new(), 0.1).unwrap_err();
    assert!(matches!(err, SimError::InvalidParameter { name: "C", .. }), "{err}");
    assert_eq!(err.to_string(), "parameter `C` = 0 is invalid: a capacitance must be positive");
    let mut m = Membrane::new();
    m.params.tau_w = -5.0;
    let err = Simulation::new(&m, 10.0).run_fixed(&mut Euler::new(), 0.1).unwrap_err();
    assert!(err.to_string().contains("`tau_w` = -5 is invalid: a time"), "{err}");
    let mut m = Membrane::new();
    m.params.g = f64::NAN;
    assert!(Simulation::new(&m, 10.0).run_fixed(&mut Euler::new(), 0.1).is_err());
}

spyks_core::neuron_model! {
    /// Divides by `tau` only where the condition allows it: `tau` = 0 means "no decay".
    model Guarded;
    parameters { tau: 0 ms }
    state { v: 1 mV }
    equations { dv/dt = if tau > 0 ms { -v / tau } else { 0 mV/ms } }
}

/// A parameter the equations divide by cannot be zero: before, `tau_w` = 0 passed the checks
/// (a time may be zero: a refractory period) and the run failed later with "`w` became NaN"
/// (fixed step) or "the step size collapsed to 0 ms" (adaptive), naming neither the parameter
/// nor the cause.
#[test]
fn a_parameter_the_model_divides_by_cannot_be_zero() {
    let mut m = Membrane::new();
    m.params.tau_w = 0.0;
    let expected = "parameter `tau_w` = 0 is invalid: the model divides by it";
    let err = Simulation::new(&m, 10.0).run_fixed(&mut Rk4, 0.1).unwrap_err();
    assert_eq!(err.to_string(), expected);
    let err = Simulation::new(&m, 10.0).run_adaptive(&spyks_core::integrate::Dopri5::new()).unwrap_err();
    assert_eq!(err.to_string(), expected);
    // A division inside a branch may be guarded by its condition: zero is allowed there.
    let g = Guarded::new();
    let tr = Simulation::new(&g, 10.0).run_fixed(&mut Rk4, 0.1).unwrap();
    assert_eq!(tr.column("v").unwrap().last(), Some(&1.0));
}

#[test]
fn bad_settings_and_names_are_errors() {
    let m = Membrane::new();
    let sim = Simulation::new(&m, 10.0);
    assert!(matches!(sim.run_fixed(&mut Euler::new(), 0.0), Err(SimError::InvalidSetting { name: "dt", .. })));
    assert!(matches!(sim.run_fixed(&mut Euler::new(), -1.0), Err(SimError::InvalidSetting { .. })));
    let bad = Simulation::new(&m, 10.0).record(RecordSpec::names(["v", "I_lek"]));
    let err = bad.run_fixed(&mut Euler::new(), 0.1).unwrap_err();
    assert!(err.to_string().contains("unknown name `I_lek`; the valid names are: v, w, I_leak"), "{err}");
    let err = Stimulus::<Membrane>::new().with("J", Signal::Const(1.0)).unwrap_err();
    assert!(err.to_string().contains("the valid names are: I"), "{err}");
    let err = Stimulus::<Membrane>::new().with("I", Signal::sampled(0.0, vec![1.0], spyks_core::Interp::Linear)).unwrap_err();
    assert!(err.to_string().contains("sampling interval"), "{err}");
    let odd = Simulation::new(&m, 10.0).record(RecordSpec::all().every(0.15));
    assert!(odd.run_fixed(&mut Euler::new(), 0.1).is_err());
}

#[test]
fn named_expressions_are_recorded() {
    let m = Membrane::new();
    let stim = Stimulus::<Membrane>::new().with("I", Signal::Const(100.0)).unwrap();
    let tr =
        Simulation::new(&m, 10.0).stimulus(stim).record(RecordSpec::names(["v", "I_leak"]).every(1.0)).run_fixed(&mut Heun, 0.1).unwrap();
    assert_eq!(tr.times.len(), 11);
    assert_eq!(tr.units, vec!["mV", "pA"]);
    let (v, il) = (tr.column("v").unwrap(), tr.column("I_leak").unwrap());
    for (v, il) in v.iter().zip(il) {
        assert!((il - 10.0 * (-70.0 - v)).abs() < 1e-9);
    }
}

#[test]
fn noise_needs_euler_maruyama_and_is_reproducible() {
    let m = Noisy::new();
    let sim = Simulation::new(&m, 20000.0).record(RecordSpec::all().every(1.0));
    assert!(matches!(sim.run_fixed(&mut Rk4, 0.1), Err(SimError::Unsupported(_))));
    let a = sim.run_fixed(&mut Euler::with_seed(3), 0.1).unwrap();
    let b = sim.run_fixed(&mut Euler::with_seed(3), 0.1).unwrap();
    assert_eq!(a.columns, b.columns);
    let c = sim.run_fixed(&mut Euler::with_seed(4), 0.1).unwrap();
    assert_ne!(a.columns, c.columns);
    // A reused stepper continues its stream: its second run is a new path, and a fresh
    // stepper with the same seed repeats the first.
    let mut reused = Euler::with_seed(3);
    let first = sim.run_fixed(&mut reused, 0.1).unwrap();
    let second = sim.run_fixed(&mut reused, 0.1).unwrap();
    assert_eq!(first.columns, a.columns);
    assert_ne!(second.columns, a.columns);
    // Stationary OU: variance sigma² tau / 2 = 4·10/2 = 20 mV².
    let v = &a.columns[0][200..];
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / v.len() as f64;
    // About 2000 independent samples: the variance is within 3 standard errors (±2 mV²).
    assert!((var - 20.0).abs() < 2.0, "variance {var}");
    assert!(mean.abs() < 0.5, "mean {mean}");
}

/// spyks' AdEx cuts its spikes at 30 mV, far up the exponential's blow-up, which an adaptive
/// method follows until its step size collapses. The error names the variable that held the
/// step down and its rate of change, so that a blow-up (a huge rate) is told from stiffness.
/// Before, it said only "the model is too stiff or discontinuous there".
#[test]
fn a_collapsed_step_names_the_variable_that_held_it_down() {
    let m = spyks_core::presets::spyks::Adex::new();
    let stim = Stimulus::new().with("Iinj", Signal::Const(1000.0)).unwrap();
    let err = Simulation::new(&m, 100.0).stimulus(stim).run_adaptive(&spyks_core::integrate::Dopri5::new()).unwrap_err();
    let SimError::StepSizeCollapse { var, value, rate, unit, .. } = err.clone() else { panic!("{err}") };
    assert_eq!((var, unit), ("V", "mV"));
    // Above the exponential's threshold (vt = -55 mV) and below the cut, rising at more than
    // a million mV/ms: gl·delt·exp((V - vt)/delt)/C is 1e6 mV/ms at V ≈ -25 mV.
    assert!(value > -55.0 && value < 30.0 && rate > 1e6, "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("held back by `V` = ")
            && msg.contains(" mV/ms: the model is too stiff or discontinuous there, or its solution blows up"),
        "{msg}"
    );
}

spyks_core::neuron_model! {
    /// x = 1 - k·t, and the expression r = √x: undefined once x is negative, after t = 1/k,
    /// while the state stays finite.
    model RootOfLine;
    parameters { k: 1 1/ms }
    state { x: 1 }
    expressions { r = sqrt(x) }
    equations { dx/dt = -k }
}

#[test]
fn a_recorded_expression_that_is_nan_is_named_with_its_first_time() {
    let m = RootOfLine::new();
    let message = "the named expression `r` is NaN at t = 1.25 ms, where the state is finite: it is undefined there (a square root or logarithm of a negative number, 0/0, ...)";
    // RK4 is exact on a line: x = 0 at t = 1 (r = 0, defined), x = -0.25 at the next sample.
    let sim = Simulation::new(&m, 2.0).record(RecordSpec::names(["x", "r"]).every(0.25));
    let err = sim.run_fixed(&mut Rk4, 0.125).unwrap_err();
    assert_eq!(err, SimError::UndefinedExpression { t: 1.25, name: "r" });
    assert_eq!(err.to_string(), message);
    let sim = Simulation::new(&m, 2.0).record(RecordSpec::names(["r"]).at(vec![0.5, 0.96, 1.25, 1.5]));
    assert_eq!(sim.run_adaptive(&Dopri5::new()).unwrap_err(), SimError::UndefinedExpression { t: 1.25, name: "r" });
    // Before x reaches 0 the expression is defined: √(1 - t).
    let traj = Simulation::new(&m, 0.96).record(RecordSpec::names(["r"]).every(0.24)).run_fixed(&mut Rk4, 0.12).unwrap();
    for (t, r) in traj.times.iter().zip(traj.column("r").unwrap()) {
        assert!((r - (1.0 - t).sqrt()).abs() < 1e-12, "t = {t}: {r}");
    }
}

#[test]
fn a_network_state_monitor_expression_that_is_nan_stops_the_run_naming_it() {
    let mut net = Network::new(0.125, 1).unwrap();
    let p = net.add_population(Population::new("line", 2, RootOfLine::new(), |_| Rk4)).unwrap();
    net.set_param(p, "k", Values::Array(vec![0.5, 1.0])).unwrap();
    let sm = net.record_state(p, &["x", "r"], &[0, 1], 0.25).unwrap();
    // RK4 is exact on a line: neuron 1 reaches x = 0 at t = 1 (r = 0, defined) and -0.25 at
    // the next sample; neuron 0 only at t = 2.
    let err = net.run(3.0).unwrap_err();
    assert_eq!(err, NetworkError::UndefinedExpression { population: "line".into(), neuron: 1, name: "r", t: 1.25 });
    assert_eq!(
        err.to_string(),
        "population `line`, neuron 1: the named expression `r` is NaN at t = 1.25 ms, where the state is finite: it is undefined there (a square root or logarithm of a negative number, 0/0, ...)"
    );
    // Up to t = 1 both are √(1 - k·t).
    let st = net.states(sm).unwrap();
    for (j, k) in [(0, 0.5), (1, 1.0)] {
        for (t, r) in st.times().iter().zip(st.values("r", j).unwrap()).filter(|(t, _)| **t <= 1.0) {
            assert!((r - (1.0 - k * t).sqrt()).abs() < 1e-12, "neuron {j}, t = {t}: {r}");
        }
    }
}

#[test]
fn a_recording_interval_of_more_steps_than_a_run_can_count_is_refused() {
    // 1e30 ms at dt = 0.1 ms is 1e31 steps, beyond 2^52: the stride would saturate.
    let m = Membrane::new();
    let e = Simulation::new(&m, 1.0).record(RecordSpec::all().every(1e30)).run_fixed(&mut Rk4, 0.1).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid setting `recording interval` = 1000000000000000000000000000000: is more than 2^52 time steps with a fixed-step method"
    );
}
