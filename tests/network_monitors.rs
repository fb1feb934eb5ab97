//! Monitors against an independent run: a state monitor of unconnected neurons equals
//! single-neuron fixed-step simulations with the same integrator, bit for bit; errors.

use spyks::integrate::{Euler, Rk4};
use spyks::network::{Network, NetworkError, Population, Projection, Rule, Target, Values};
use spyks::presets::integrate_and_fire::{Lif, LifCond};
use spyks::{NeuronModel, RecordSpec, Signal, Simulation, Stimulus, Vector};

#[test]
fn state_monitor_equals_single_neuron_runs() {
    let dt = 0.125; // exact in binary, so both refractory clocks agree
    let currents = vec![150.0, 220.0, 400.0];
    let mut net = Network::new(dt, 3).unwrap();
    let p = net.add_population(Population::new("lif", 3, Lif::new(), |_| Rk4)).unwrap();
    net.set_input(p, "I", Values::Array(currents.clone())).unwrap();
    let sm = net.record_state(p, &["V"], &[0, 1, 2], dt).unwrap();
    let spikes = net.record_spikes(p, None).unwrap();
    let rates = net.record_rate(p, 10.0).unwrap();
    net.run(200.0).unwrap();
    let st = net.states(sm).unwrap();
    let mut total = 0;
    for (k, &i) in currents.iter().enumerate() {
        let lif = Lif::new();
        let stim = Stimulus::new().with("I", Signal::Const(i)).unwrap();
        let single = Simulation::new(&lif, 200.0).stimulus(stim).record(RecordSpec::names(["V"])).run_fixed(&mut Rk4, dt).unwrap();
        assert_eq!(st.times(), single.times.as_slice());
        assert_eq!(st.values("V", k).unwrap(), single.columns[0].as_slice(), "neuron {k}");
        let mine: Vec<f64> = net
            .spikes(spikes)
            .unwrap()
            .times()
            .iter()
            .zip(net.spikes(spikes).unwrap().indices())
            .filter(|(_, j)| **j as usize == k)
            .map(|(t, _)| *t)
            .collect();
        assert_eq!(mine, single.spikes, "neuron {k}");
        total += mine.len();
        assert_eq!(st.trajectory(k).unwrap().columns[0], single.columns[0]);
    }
    assert!(total > 10);
    // The rate monitor counts the same spikes.
    let r = net.rates(rates).unwrap();
    assert_eq!(r.counts().iter().sum::<u64>() as usize, total);
    assert_eq!(r.times().len(), 20);
    // Files.
    let dir = std::env::temp_dir().join(format!("spyks-net-monitor-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    net.spikes(spikes).unwrap().write_csv(dir.join("s.csv")).unwrap();
    net.spikes(spikes).unwrap().write_npy(dir.join("s.npy")).unwrap();
    r.write_csv(dir.join("r.csv")).unwrap();
    let text = std::fs::read_to_string(dir.join("s.csv")).unwrap();
    assert_eq!(text.lines().count(), total + 1);
    assert!(text.starts_with("t (ms),neuron\n"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn per_neuron_refractory_periods_equal_single_neuron_runs() {
    // A parameter with per-neuron values takes the population's general update path; each
    // neuron must still match a single-neuron run of the model with its own t_ref.
    let dt = 0.125;
    let t_ref = vec![2.0, 5.0, 8.0];
    let mut net = Network::new(dt, 3).unwrap();
    let p = net.add_population(Population::new("lif", 3, Lif::new(), |_| Rk4)).unwrap();
    net.set_input(p, "I", 300.0.into()).unwrap();
    net.set_param(p, "t_ref", Values::Array(t_ref.clone())).unwrap();
    let sm = net.record_state(p, &["V"], &[0, 1, 2], dt).unwrap();
    let spikes = net.record_spikes(p, None).unwrap();
    net.run(200.0).unwrap();
    let mut counts = Vec::new();
    for (k, &r) in t_ref.iter().enumerate() {
        let mut lif = Lif::new();
        lif.params_mut().set("t_ref", r).unwrap();
        let stim = Stimulus::new().with("I", Signal::Const(300.0)).unwrap();
        let single = Simulation::new(&lif, 200.0).stimulus(stim).record(RecordSpec::names(["V"])).run_fixed(&mut Rk4, dt).unwrap();
        assert_eq!(net.states(sm).unwrap().values("V", k).unwrap(), single.columns[0].as_slice(), "neuron {k}");
        let s = net.spikes(spikes).unwrap();
        let mine: Vec<f64> = s.times().iter().zip(s.indices()).filter(|(_, j)| **j as usize == k).map(|(t, _)| *t).collect();
        assert_eq!(mine, single.spikes, "neuron {k}");
        counts.push(mine.len());
    }
    // Longer refractory periods, fewer spikes: the periods did differ per neuron.
    assert!(counts[0] > counts[1] && counts[1] > counts[2] && counts[2] > 5, "{counts:?}");
}

/// A refractory period longer than any run ("fire once"), even one whose number of steps
/// does not fit the step counter, holds the neuron for the rest of the run after its first
/// spike, in blocks and one by one alike (a per-neuron value takes the general path).
#[test]
fn a_refractory_period_beyond_any_run_fires_once() {
    for per_neuron in [false, true] {
        let n = 20;
        let mut net = Network::new(0.125, 1).unwrap();
        let p = net.add_population(Population::new("lif", n, Lif::new(), |_| Rk4)).unwrap();
        net.set_input(p, "I", 300.0.into()).unwrap();
        let t_ref = if per_neuron { Values::Array((0..n).map(|i| if i == 3 { 5.0 } else { 1e300 }).collect()) } else { 1e300.into() };
        net.set_param(p, "t_ref", t_ref).unwrap();
        let spikes = net.record_spikes(p, None).unwrap();
        net.run(200.0).unwrap();
        let s = net.spikes(spikes).unwrap();
        for i in 0..n {
            let count = s.indices().iter().filter(|&&j| j as usize == i).count();
            if per_neuron && i == 3 {
                assert!(count > 5, "neuron {i}: {count} spikes");
            } else {
                assert_eq!(count, 1, "neuron {i} (per neuron: {per_neuron})");
            }
        }
    }
}

#[test]
fn subsets_and_errors() {
    let mut net = Network::new(0.1, 1).unwrap();
    let p = net.add_population(Population::new("lif", 10, Lif::new(), |_| Rk4)).unwrap();
    net.set_input(p, "I", 300.0.into()).unwrap();
    let some = net.record_spikes(p, Some(&[2, 5])).unwrap();
    net.run(50.0).unwrap();
    assert!(!net.spikes(some).unwrap().is_empty());
    assert!(net.spikes(some).unwrap().indices().iter().all(|&i| i == 2 || i == 5));

    let msg = |e: NetworkError| e.to_string();
    let e = net.init_state(p, "v", 0.0.into()).unwrap_err();
    assert!(msg(e).contains("unknown name `v`"), "names are listed");
    let e = net.connect(Projection::new(p, p, Rule::FixedProbability(1.5), Target::state("V"))).unwrap_err();
    assert!(msg(e).contains("1.5 is invalid: a connection probability must be in [0, 1]"));
    let e = net.connect(Projection::new(p, p, Rule::AllToAll, Target::state("V")).delay(-1.0)).unwrap_err();
    assert!(msg(e).contains("delays must be finite and not negative"));
    let e = net.connect(Projection::new(p, p, Rule::AllToAll, Target::state("I"))).unwrap_err();
    assert!(msg(e).contains("unknown name `I`"), "a jump needs a state variable");
    let e = net.connect(Projection::new(p, p, Rule::AllToAll, Target::exp_current("V", 5.0))).unwrap_err();
    assert!(msg(e).contains("unknown name `V`"), "a current needs an input");
    let e = net.connect(Projection::new(p, p, Rule::AllToAll, Target::exp_current("I", -5.0))).unwrap_err();
    assert!(msg(e).contains("time constant must be positive"));
    let e = net.connect(Projection::new(p.slice(5..12), p, Rule::AllToAll, Target::state("V"))).unwrap_err();
    assert!(msg(e).contains("out of range for 10 neurons"));
    // An empty selection is said to be empty, not out of range.
    let e = net.connect(Projection::new(p.slice(3..3), p, Rule::AllToAll, Target::state("V"))).unwrap_err();
    assert_eq!(msg(e), "presynaptic selection 3..3 of `lif`: the selection is empty; a projection needs at least one neuron on each side");
    #[allow(clippy::reversed_empty_ranges)]
    let e = msg(net.connect(Projection::new(p, p.slice(7..2), Rule::AllToAll, Target::state("V"))).unwrap_err());
    assert!(e.starts_with("postsynaptic selection 7..2 of `lif`: the selection is empty"), "{e}");
    let e = net.connect(Projection::new(p, p, Rule::AllToAll, Target::state("V")).weight(vec![1.0; 3])).unwrap_err();
    assert!(msg(e).contains("expected 100 values, found 3"));
    let e = net.connect(Projection::new(p, p, Rule::Explicit { pre: vec![0, 10], post: vec![1, 1] }, Target::state("V"))).unwrap_err();
    assert!(msg(e).contains("index 10 is out of range"));
    let e = net.connect(Projection::new(p, p, Rule::FixedInDegree(10), Target::state("V")).allow_self(false)).unwrap_err();
    assert!(msg(e).contains("cannot exceed the 9 available"));
    let e = net.set_param(p, "tau_m", Values::Array(vec![-1.0; 10])).unwrap_err();
    assert!(msg(e).contains("tau_m"));
    let e = net.record_state(p, &["V"], &[10], 0.1).unwrap_err();
    assert!(msg(e).contains("index 10"));
    let e = net.record_state(p, &["V"], &[1], 0.15).unwrap_err();
    assert!(msg(e).contains("whole multiple"));
    assert!(Network::new(0.0, 1).is_err());
    assert!(net.set_input(p, "I", f64::NAN.into()).is_err());
}

spyks::neuron_model! {
    /// dx/dt = k x²: blows up at t = 1/(k x0), so a neuron started at x0 = 2 fails first.
    model Blowup;
    parameters { k: 1 1/ms }
    state { x: 0 }
    equations { dx/dt = k * x^2 }
}

#[test]
fn a_blow_up_names_the_population_neuron_variable_and_time() {
    // Neuron 1500 (in the second chunk) starts highest and blows up near t = 1/2 ms.
    let mut net = Network::new(0.01, 1).unwrap();
    let x0: Vec<f64> = (0..2000).map(|i| if i == 1500 { 2.0 } else { 0.1 }).collect();
    let p = net.add_population(Population::new("blowup", 2000, Blowup::new(), |_| Rk4)).unwrap();
    net.init_state(p, "x", Values::Array(x0)).unwrap();
    let err = net.run(5.0).unwrap_err();
    let NetworkError::NonFinite { population, neuron, var, t, .. } = &err else { panic!("{err}") };
    assert_eq!((population.as_str(), *neuron, *var), ("blowup", 1500, "x"));
    assert!(*t > 0.49 && *t < 0.6, "{err}");
    // The same through the general update path (a per-neuron k): neuron 1500 (k = 1) blows up
    // at 1/(k x0) = 1/2 ms, long before neuron 0 (k = 1/2, x0 = 0.1, at 20 ms).
    let mut net = Network::new(0.01, 1).unwrap();
    let p = net.add_population(Population::new("blowup", 2000, Blowup::new(), |_| Rk4)).unwrap();
    net.init_state(p, "x", Values::Array((0..2000).map(|i| if i == 1500 { 2.0 } else { 0.1 }).collect())).unwrap();
    net.set_param(p, "k", Values::Array((0..2000).map(|i| if i == 0 { 0.5 } else { 1.0 }).collect())).unwrap();
    let err = net.run(5.0).unwrap_err();
    let NetworkError::NonFinite { population, neuron, var, t, .. } = &err else { panic!("{err}") };
    assert_eq!((population.as_str(), *neuron, *var), ("blowup", 1500, "x"));
    assert!(*t > 0.49 && *t < 0.6, "{err}");
}

spyks::neuron_model! {
    /// Two decays.
    model TwoDecays;
    parameters { tau: 10 ms }
    state { x: 0, y: 0 }
    equations {
        dx/dt = -x / tau,
        dy/dt = -y / tau,
    }
}

spyks::neuron_model! {
    /// A decay and a blow-up: y grows as k·y² (a neuron started at y0 = 2 blows up near
    /// t = 1/(k·y0)), x just decays.
    model DecayAndBlowup;
    parameters { tau: 10 ms, k: 1 1/ms }
    state { x: 0, y: 0 }
    equations {
        dx/dt = -x / tau,
        dy/dt = k * y^2,
    }
}

/// The block update tests a whole block for non-finite values through the sum of its
/// variables: states that are finite but whose sum overflows must not be taken for a blow-up
/// (they are looked at lane by lane), and a blow-up in any variable, not only the first, is
/// reported with that variable's name.
#[test]
fn huge_finite_states_are_not_a_blow_up_and_any_variable_can_be() {
    let (n, dt) = (64, 0.01);
    let mut net = Network::new(dt, 1).unwrap();
    let p = net.add_population(Population::new("huge", n, TwoDecays::new(), |_| Euler::new())).unwrap();
    net.init_state(p, "x", Values::Const(1.5e308)).unwrap();
    net.init_state(p, "y", Values::Const(1.5e308)).unwrap();
    net.run(0.1).unwrap();
    // Ten Euler steps of a decay: x ← x·(1 − dt/τ), to rounding.
    let expected = 1.5e308 * (1.0 - dt / 10.0f64).powi(10);
    for i in [0, 13, n - 1] {
        for var in ["x", "y"] {
            let got = net.get(p, var, i).unwrap();
            assert!(got.is_finite() && (got - expected).abs() <= 1e-12 * expected, "{var}[{i}] = {got}");
        }
    }
    // Neuron 37's y blows up near 1/(k·y0) = 1/2 ms; its x and every other neuron stay finite.
    let mut net = Network::new(dt, 1).unwrap();
    let p = net.add_population(Population::new("blowup", n, DecayAndBlowup::new(), |_| Euler::new())).unwrap();
    net.init_state(p, "x", Values::Const(1.0)).unwrap();
    net.init_state(p, "y", Values::Array((0..n).map(|i| if i == 37 { 2.0 } else { 0.01 }).collect())).unwrap();
    let err = net.run(5.0).unwrap_err();
    let NetworkError::NonFinite { population, neuron, var, t, .. } = &err else { panic!("{err}") };
    assert_eq!((population.as_str(), *neuron, *var), ("blowup", 37, "y"));
    assert!(*t > 0.45 && *t < 0.7, "{err}");
}

/// A rate bin or recording interval must be a finite number of steps that a run can hold:
/// an infinite one saturated the step count (a rate monitor then reported time NaN and rate
/// 0), a huge finite one gave nonsense rates.
#[test]
fn infinite_and_huge_intervals_are_refused() {
    let dt = 0.125;
    let mut net = Network::new(dt, 1).unwrap();
    let p = net.add_population(Population::new("lif", 2, Lif::new(), |_| Rk4)).unwrap();
    let msg = |e: NetworkError| e.to_string();
    for bad in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
        let e = msg(net.record_rate(p, bad).unwrap_err());
        assert!(e.starts_with(&format!("rate bin: {bad} is invalid: must be a finite whole multiple")), "{e}");
        let e = msg(net.record_state(p, &["V"], &[0], bad).unwrap_err());
        assert!(e.starts_with(&format!("recording interval: {bad} is invalid: must be a finite")), "{e}");
    }
    // 2^52 steps is the most a run can take; one more step's worth is refused.
    let most = (1u64 << 52) as f64 * dt;
    assert!(net.record_rate(p, most).is_ok());
    for huge in [most + dt, 1e30] {
        let e = msg(net.record_rate(p, huge).unwrap_err());
        assert!(e.contains("is invalid: is more than 2^52 time steps"), "{e}");
        let e = msg(net.record_state(p, &["V"], &[0], huge).unwrap_err());
        assert!(e.contains("is invalid: is more than 2^52 time steps"), "{e}");
    }
}

/// The neurons of [`driven_lifs`].
const DRIVEN: usize = 10;

/// Ten LIF neurons driven by 300, 350, ... 750 pA, every one firing, at dt = 0.125 ms.
fn driven_lifs() -> (Network, spyks::network::PopId) {
    let n = DRIVEN;
    let mut net = Network::new(0.125, 1).unwrap();
    let p = net.add_population(Population::new("lif", n, Lif::new(), |_| Rk4)).unwrap();
    net.set_input(p, "I", Values::Array((0..n).map(|i| 300.0 + 50.0 * i as f64).collect())).unwrap();
    (net, p)
}

/// A rate monitor added after a run bins from the time it was added: its bins once started
/// at 0 and reported 0 Hz for the time before it existed.
#[test]
fn a_rate_monitor_added_after_a_run_starts_its_bins_then() {
    let (mut net, p) = driven_lifs();
    let n = DRIVEN;
    net.run(50.0).unwrap();
    let rates = net.record_rate(p, 10.0).unwrap();
    let spikes = net.record_spikes(p, None).unwrap();
    net.run(50.0).unwrap();
    let r = net.rates(rates).unwrap();
    assert_eq!(r.times(), vec![50.0, 60.0, 70.0, 80.0, 90.0]);
    // Bin b holds the spikes at times in (50 + 10 b, 60 + 10 b] (spikes end their step).
    let s = net.spikes(spikes).unwrap();
    let expected: Vec<u64> =
        (0..5).map(|b| s.times().iter().filter(|&&t| t > 50.0 + 10.0 * b as f64 && t <= 60.0 + 10.0 * b as f64).count() as u64).collect();
    assert!(expected.iter().all(|&c| c > 0), "{expected:?}");
    assert_eq!(r.counts(), expected.as_slice());
    let hz: Vec<f64> = expected.iter().map(|&c| c as f64 / (n as f64 * 0.010)).collect();
    assert_eq!(r.rates(), hz);
}

/// A state monitor made after a run starts with the state at that time, then samples every
/// interval from there: one made after a run once took no sample until the next multiple of
/// the interval counted from 0.
#[test]
fn a_state_monitor_added_after_a_run_starts_with_the_current_state() {
    let dt = 0.125;
    let mut net = Network::new(dt, 1).unwrap();
    let p = net.add_population(Population::new("lif", 2, Lif::new(), |_| Rk4)).unwrap();
    net.set_input(p, "I", Values::Array(vec![300.0, 500.0])).unwrap();
    let every_step = net.record_state(p, &["V"], &[0, 1], dt).unwrap();
    net.run(20.125).unwrap();
    let now = [net.get(p, "V", 0).unwrap(), net.get(p, "V", 1).unwrap()];
    let later = net.record_state(p, &["V"], &[0, 1], 1.0).unwrap();
    // A population added now starts its first step from its initial state at 20.125 ms.
    let q = net.add_population(Population::new("new", 1, Lif::new(), |_| Rk4)).unwrap();
    let fresh = net.record_state(q, &["V"], &[0], dt).unwrap();
    net.run(5.0).unwrap();
    let all = net.states(every_step).unwrap();
    let st = net.states(later).unwrap();
    assert_eq!(st.times(), &[20.125, 21.125, 22.125, 23.125, 24.125, 25.125]);
    for (k, &v) in now.iter().enumerate() {
        assert_eq!(st.values("V", k).unwrap()[0], v);
        // The same samples as the monitor that recorded every step since 0.
        let same: Vec<f64> = st.times().iter().map(|&t| all.values("V", k).unwrap()[(t / dt) as usize]).collect();
        assert_eq!(st.values("V", k).unwrap(), same.as_slice(), "neuron {k}");
    }
    let st = net.states(fresh).unwrap();
    assert_eq!(st.times().len(), 41);
    assert_eq!(st.times()[0], 20.125);
    assert_eq!(st.values("V", 0).unwrap()[0], Lif::new().initial_state().get("V").unwrap());
}

/// `set_input` takes only inputs and `set_param` only parameters: they once set any name,
/// so a threshold given as an input moved silently, and a state variable given as a
/// parameter was set.
#[test]
fn setters_take_only_their_kind_of_name() {
    let mut net = Network::new(0.125, 1).unwrap();
    let p = net.add_population(Population::new("lif", 2, Lif::new(), |_| Rk4)).unwrap();
    net.set_input(p, "I", 300.0.into()).unwrap();
    let params = "the valid names are: tau_m, E_L, R_m, V_th, V_reset, t_ref";
    for name in ["V_th", "V"] {
        let e = net.set_input(p, name, 1000.0.into()).unwrap_err().to_string();
        assert_eq!(e, format!("population `lif`: unknown name `{name}`; the valid names are: I"));
    }
    for name in ["V", "I"] {
        let e = net.set_param(p, name, 1000.0.into()).unwrap_err().to_string();
        assert_eq!(e, format!("population `lif`: unknown name `{name}`; {params}"));
    }
    // A named expression is not a state variable, nor a parameter: init_state lists the
    // state variables only (before, it took `I_L` and failed later listing every kind, and
    // named expressions among the valid names for `tau_m`).
    let c = net.add_population(Population::new("cond", 2, LifCond::new(), |_| Rk4)).unwrap();
    for name in ["I_L", "tau_e", "I"] {
        let e = net.init_state(c, name, 1.0.into()).unwrap_err().to_string();
        assert_eq!(e, format!("population `cond`: unknown name `{name}`; the valid names are: V, g_e, g_i"));
    }
    // Nothing was set: V starts where the model starts it, and the threshold still lets
    // 300 pA through 100 MΩ (30 mV above rest, 10 mV to threshold) make spikes.
    let v0 = Lif::new().initial_state().get("V").unwrap();
    assert_eq!(net.get(p, "V", 0).unwrap(), v0);
    let spikes = net.record_spikes(p, None).unwrap();
    net.run(100.0).unwrap();
    assert!(net.spikes(spikes).unwrap().len() > 2);
}

/// A run that ends inside a bin leaves it partly covered: its rate is over the time run, and
/// a later run fills it up. The last bin once divided the spikes of 5 ms by 10 ms, reporting
/// half the rate.
#[test]
fn a_last_bin_cut_short_by_the_run_counts_only_its_time() {
    let (mut net, p) = driven_lifs();
    let n = DRIVEN;
    let rates = net.record_rate(p, 10.0).unwrap();
    let spikes = net.record_spikes(p, None).unwrap();
    // Spike count of the whole population at times in (a, b], spikes ending their step.
    let count = |net: &Network, a: f64, b: f64| net.spikes(spikes).unwrap().times().iter().filter(|&&t| t > a && t <= b).count() as f64;
    net.run(25.0).unwrap();
    let r = net.rates(rates).unwrap().rates();
    assert_eq!(r.len(), 3);
    // Hz = spikes / (neurons × seconds).
    let last = count(&net, 20.0, 25.0) / (n as f64 * 0.005);
    assert!(last > 0.0);
    assert!((r[2] - last).abs() < 1e-9 * last, "{} Hz against {last} Hz", r[2]);
    let first = count(&net, 0.0, 10.0) / (n as f64 * 0.010);
    assert!((r[0] - first).abs() < 1e-9 * first, "{} Hz against {first} Hz", r[0]);
    net.run(5.0).unwrap();
    let r = net.rates(rates).unwrap().rates();
    let full = count(&net, 20.0, 30.0) / (n as f64 * 0.010);
    assert_eq!(r.len(), 3);
    assert!((r[2] - full).abs() < 1e-9 * full, "{} Hz against {full} Hz", r[2]);
}

/// The mean rate of a range counts only the neurons a monitor records: with a subset, the
/// rate of neuron 1 alone was its spikes divided among all four neurons of `0..4`. A range
/// beyond the population, one without recorded neurons and a duration that is not positive
/// are errors (they gave 0 Hz, a diluted rate, or NaN).
#[test]
fn mean_rates_are_over_the_recorded_neurons_and_bad_ranges_are_errors() {
    let (dt, t) = (0.125, 100.0);
    let mut net = Network::new(dt, 1).unwrap();
    let p = net.add_population(Population::new("lif", 4, Lif::new(), |_| Rk4)).unwrap();
    net.set_input(p, "I", Values::Array(vec![0.0, 300.0, 0.0, 400.0])).unwrap();
    let all = net.record_spikes(p, None).unwrap();
    let one = net.record_spikes(p, Some(&[1])).unwrap();
    net.run(t).unwrap();
    let (all, one) = (net.spikes(all).unwrap(), net.spikes(one).unwrap());
    // Hz = spikes / (neurons × seconds), counted from the full monitor's list.
    let spikes_of = |i: u32| all.indices().iter().filter(|&&j| j == i).count() as f64;
    let rate_1 = spikes_of(1) / (t / 1000.0);
    assert!(spikes_of(1) > 3.0);
    assert_eq!(one.mean_rate(0..4, t).unwrap(), rate_1);
    assert_eq!(one.mean_rate(1..2, t).unwrap(), rate_1);
    assert_eq!(all.mean_rate(0..4, t).unwrap(), (spikes_of(1) + spikes_of(3)) / (4.0 * t / 1000.0));
    assert!(matches!(all.mean_rate(0..5, t), Err(NetworkError::Index { index: 4, len: 4, .. })));
    #[allow(clippy::reversed_empty_ranges)]
    for r in [2..4, 3..3, 3..1] {
        let e = one.mean_rate(r.clone(), t).unwrap_err();
        assert!(e.to_string().contains("holds no neuron this monitor records"), "{r:?}: {e}");
    }
    for d in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(all.mean_rate(0..4, d), Err(NetworkError::Invalid { .. })), "{d}");
    }
}
