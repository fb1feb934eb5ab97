//! The Hodgkin & Huxley (1952) preset against published analyses of its dynamics.
//!
//! Sources:
//! - J. Rinzel and R. N. Miller, "Numerical calculation of stable and unstable periodic
//!   solutions to the Hodgkin-Huxley equations", Math. Biosci. 49:27-59 (1980), and
//!   B. Hassard, "Bifurcation of periodic solutions of the Hodgkin-Huxley model for the squid
//!   giant axon", J. Theor. Biol. 71:401-420 (1978): at 6.3 °C the rest state loses stability
//!   in a subcritical Hopf bifurcation at I ≈ 9.78 µA/cm², and the branch of periodic orbits
//!   born there turns back in a saddle-node (limit point) of periodic orbits at I ≈ 6.26
//!   µA/cm², the lowest current with repetitive firing. Between the two, rest and repetitive
//!   firing coexist.
//! - A. Balti, V. Lanza and M. A. Aziz-Alaoui, "A multi-base harmonic balance method applied
//!   to Hodgkin-Huxley model", Math. Biosci. Eng. 15(3):807-825 (2018), Fig. 6: the stable and
//!   unstable limit cycles almost coincide at I = 6.2649 µA/cm² and are distinct at 6.2716.
//! - Brian2 2.11 (`tests/data/reference/brian2/hh_classic_rk4.json`, an independent
//!   implementation of the same equations, RK4 at dt = 0.01 ms): at 10 µA/cm² from rest the
//!   spikes settle to an interval of 14.63 ms (68.4 Hz).
//!
//! Bifurcations of the rest state come from the model's analytic Jacobian at its equilibrium
//! (Newton on dX/dt = 0). Everything else is integrated with Dormand-Prince at rtol = atol =
//! 1e-9, so that the numbers are the model's, not the method's (`f_i_curve` checks that
//! rtol = 1e-11 moves the rate by less than 1e-4 of itself).
//!
//! Measured (printed with `--nocapture`): lower Hopf 9.7754 µA/cm², upper Hopf 154.52,
//! saddle-node of cycles 6.2601, repetitive firing from rest from 6.258, one spike from
//! 2.241; rates 52.4 Hz at 6.3 µA/cm², 68.3 at 10, 86.5 at 20, 117.0 at 50, 134.1 at 75.

use spyks::integrate::Dopri5;
use spyks::presets::hodgkin_huxley::{HodgkinHuxley, HodgkinHuxleyInputs, HodgkinHuxleyState, UA_PER_CM2};
use spyks::{NeuronModel, RecordSpec, Signal, Simulation, Stimulus, Vector};

type State = HodgkinHuxleyState;

/// The inputs for an injected current in µA/cm².
fn inputs(i: f64) -> HodgkinHuxleyInputs {
    HodgkinHuxleyInputs { I: i * UA_PER_CM2 }
}

/// The equilibrium at constant current `i` (µA/cm²), by Newton's method on dX/dt = 0 with
/// the model's analytic Jacobian, started from the declared initial state.
fn equilibrium(m: &HodgkinHuxley, i: f64) -> State {
    equilibrium_from(m, i, m.initial_state())
}

/// The same, started from `guess`.
fn equilibrium_from(m: &HodgkinHuxley, i: f64, guess: State) -> State {
    let u = inputs(i);
    let mut x = guess;
    for _ in 0..100 {
        let f = m.derivative(0.0, &x, &u).to_dvector();
        let dx = m.jacobian_matrix(0.0, &x, &u).lu().solve(&f).expect("singular Jacobian");
        let next = x.to_dvector() - &dx;
        x = State::from_slice(next.as_slice()).unwrap();
        if dx.norm() <= 1e-12 * (1.0 + next.norm()) {
            return x;
        }
    }
    panic!("Newton did not converge at I = {i} µA/cm²");
}

/// Spike times from `x0` under constant current `i` (µA/cm²) for `t_end` ms.
fn spikes(m: &HodgkinHuxley, x0: State, i: f64, t_end: f64, rtol: f64) -> (Vec<f64>, State) {
    let stim = Stimulus::new().with("I", Signal::Const(i * UA_PER_CM2)).unwrap();
    let tr = Simulation::new(m, t_end)
        .state(x0)
        .stimulus(stim)
        .record(RecordSpec::all().every(t_end))
        .run_adaptive(&Dopri5::new().tolerances(rtol, rtol))
        .unwrap();
    let last =
        State::from_slice(&(0..State::LEN).map(|k| tr.column(State::INFO[k].name).unwrap().last().copied().unwrap()).collect::<Vec<_>>())
            .unwrap();
    (tr.spikes, last)
}

/// Whether the neuron still fires in the last `window` ms of the run.
fn sustained(s: &[f64], t_end: f64, window: f64) -> bool {
    s.iter().filter(|&&t| t > t_end - window).count() >= 2
}

/// Steady firing rate (Hz) from the mean of the last five interspike intervals.
fn rate(s: &[f64]) -> f64 {
    if s.len() < 7 {
        return 0.0;
    }
    let k = s.len();
    1000.0 * 5.0 / (s[k - 1] - s[k - 6])
}

const TOL: f64 = 1e-9;

/// The eigenvalue with the largest real part at the equilibrium for current `i`, Newton
/// started from `guess`; returns it with the equilibrium.
fn leading(m: &HodgkinHuxley, i: f64, guess: State) -> ((f64, f64), State) {
    let x = equilibrium_from(m, i, guess);
    let ev = m.jacobian_matrix(0.0, &x, &inputs(i)).complex_eigenvalues();
    let l = ev.iter().max_by(|a, b| a.re.total_cmp(&b.re)).unwrap();
    ((l.re, l.im.abs()), x)
}

/// Bisection for the current in [lo, hi] where `pred` switches (false at lo, true at hi).
fn bisect(mut lo: f64, mut hi: f64, tol: f64, mut pred: impl FnMut(f64) -> bool) -> (f64, f64) {
    assert!(!pred(lo) && pred(hi), "no switch in [{lo}, {hi}]");
    while hi - lo > tol {
        let mid = 0.5 * (lo + hi);
        if pred(mid) { hi = mid } else { lo = mid }
    }
    (lo, hi)
}

#[test]
fn rest_state_is_minus_65_mv() {
    // HH chose the leak reversal so that the total current vanishes at rest; shifted to the
    // modern convention the rest is -65 mV (E_L = -54.387 mV is that choice, rounded).
    let m = HodgkinHuxley::new();
    let x = equilibrium(&m, 0.0);
    assert!((x.v + 65.0).abs() < 0.01, "rest at {} mV", x.v);
    // The declared initial state is the gates' steady state at -65 mV: nearly at rest.
    let d = m.derivative(0.0, &m.initial_state(), &inputs(0.0));
    assert!(d.v.abs() < 1e-2 && d.m.abs() < 1e-12 && d.h.abs() < 1e-12 && d.n.abs() < 1e-12, "{d:?}");
}

#[test]
fn hopf_bifurcations_of_the_rest_state() {
    let m = HodgkinHuxley::new();
    let rest = equilibrium(&m, 0.0);
    // Stable at rest: every eigenvalue in the left half-plane.
    assert!(leading(&m, 0.0, rest).0.0 < 0.0);
    // Lower Hopf: the leading pair crosses into the right half-plane (Rinzel & Miller 1980:
    // 9.78 µA/cm²).
    let (lo, hi) = bisect(5.0, 15.0, 1e-8, |i| leading(&m, i, rest).0.0 > 0.0);
    let ((re, im), _) = leading(&m, hi, rest);
    let i_hopf = 0.5 * (lo + hi);
    println!("lower Hopf at {i_hopf:.5} µA/cm², Re {re:.2e}, Im {im:.4}/ms ({:.1} Hz)", im / std::f64::consts::TAU * 1e3);
    assert!((i_hopf - 9.78).abs() / 9.78 < 0.01, "lower Hopf at {i_hopf} µA/cm², literature 9.78");
    assert!(im > 0.1, "a complex pair crosses, not a real eigenvalue (Im = {im})");
    // Upper Hopf, where the rest state regains stability (Rinzel & Miller 1980: 154.5
    // µA/cm²), followed along the branch of equilibria from the lower one.
    let mut guess = rest;
    for i in (10..=100).step_by(10) {
        guess = equilibrium_from(&m, i as f64, guess);
    }
    let (lo, hi) = bisect(100.0, 200.0, 1e-6, |i| leading(&m, i, guess).0.0 < 0.0);
    let i_upper = 0.5 * (lo + hi);
    println!("upper Hopf at {i_upper:.4} µA/cm²");
    assert!((i_upper - 154.5).abs() / 154.5 < 0.01, "upper Hopf at {i_upper} µA/cm², literature 154.5");
}

/// The state at the last spike (an upward crossing of V_th, on the limit cycle) of a run
/// from `x0` under current `i`, or `None` if the neuron has stopped firing by `t_end`.
fn on_cycle(m: &HodgkinHuxley, x0: State, i: f64, t_end: f64) -> Option<State> {
    let (s, _) = spikes(m, x0, i, t_end, TOL);
    if !sustained(&s, t_end, 0.2 * t_end) {
        return None;
    }
    Some(spikes(m, x0, i, *s.last().unwrap(), TOL).1)
}

#[test]
fn saddle_node_of_limit_cycles() {
    // The lowest current with repetitive firing: followed down from the limit cycle at
    // 10 µA/cm², each trial started at a spike on the cycle of the last current that fired
    // (a sudden drop from a distant cycle can land inside the unstable cycle and go to rest).
    let m = HodgkinHuxley::new();
    let mut x_fire = on_cycle(&m, equilibrium(&m, 0.0), 10.0, 300.0).expect("fires at 10 µA/cm²");
    let (mut lo, mut hi) = (5.0, 10.0);
    while hi - lo > 1e-3 {
        let mid = 0.5 * (lo + hi);
        match on_cycle(&m, x_fire, mid, 1500.0) {
            Some(x) => (hi, x_fire) = (mid, x),
            None => lo = mid,
        }
    }
    let i_sn = 0.5 * (lo + hi);
    println!("saddle-node of cycles at {i_sn:.4} µA/cm²");
    // Rinzel & Miller (1980): 6.26 µA/cm²; Balti et al. (2018), Fig. 6: the two cycles still
    // exist at 6.2649 µA/cm².
    assert!((i_sn - 6.26).abs() / 6.26 < 0.01, "saddle-node of cycles at {i_sn} µA/cm², literature 6.26");
    assert!(i_sn < 6.2649 + 1e-3, "the cycle exists at 6.2649 µA/cm² (Balti et al. 2018), measured onset {i_sn}");
}

#[test]
fn long_step_from_rest() {
    let m = HodgkinHuxley::new();
    let rest = equilibrium(&m, 0.0);
    // Repetitive firing from rest needs a current in the bistable range between the
    // saddle-node of cycles (6.26) and the Hopf bifurcation (9.78), where rest and firing
    // coexist (Rinzel & Miller 1980); with the step from rest it starts at the bottom of it.
    let (lo, hi) = bisect(0.0, 15.0, 1e-3, |i| sustained(&spikes(&m, rest, i, 500.0, TOL).0, 500.0, 200.0));
    let rheobase = 0.5 * (lo + hi);
    // A single spike at the onset of the step needs less.
    let (lo1, hi1) = bisect(0.0, 15.0, 1e-3, |i| !spikes(&m, rest, i, 100.0, TOL).0.is_empty());
    println!("long step from rest: one spike from {:.3}, repetitive from {rheobase:.3} µA/cm²", 0.5 * (lo1 + hi1));
    assert!(rheobase > 6.26 * 0.99 && rheobase < 9.78, "repetitive firing from rest from {rheobase} µA/cm²");
    assert!(hi1 < lo, "a single spike needs less current ({hi1}) than repetitive firing ({lo})");
}

#[test]
fn f_i_curve() {
    let m = HodgkinHuxley::new();
    let rest = equilibrium(&m, 0.0);
    let currents = [6.3, 7.0, 8.0, 10.0, 15.0, 20.0, 30.0, 50.0, 75.0];
    let rates: Vec<f64> = currents.iter().map(|&i| rate(&spikes(&m, rest, i, 500.0, TOL).0)).collect();
    for (i, r) in currents.iter().zip(&rates) {
        println!("{i:6.1} µA/cm²  {r:7.2} Hz");
    }
    // Class 2 (Hodgkin 1948; Rinzel & Ermentrout 1998): firing starts at a nonzero rate
    // (about 50 Hz just above the saddle-node of cycles at 6.26 µA/cm²), never arbitrarily low.
    assert!(rates[0] > 45.0 && rates[0] < 60.0, "rate at onset {} Hz", rates[0]);
    assert!(rates.windows(2).all(|w| w[1] > w[0]), "the rate grows with the current: {rates:?}");
    // Brian2 (hh_classic_rk4.json): intervals of 14.63 ms at 10 µA/cm² (RK4, dt 0.01 ms; its
    // spike times are stamped on the 0.01 ms grid, so ±0.01 ms on one interval).
    let isi = 1000.0 / rates[3];
    assert!((isi - 14.63).abs() < 0.015, "interval at 10 µA/cm²: {isi} ms, Brian2 14.63 ms");
    // The integration does not matter at this tolerance.
    let tight = rate(&spikes(&m, rest, 10.0, 500.0, 1e-11).0);
    assert!((tight - rates[3]).abs() < 1e-4 * rates[3], "{tight} Hz at rtol 1e-11, {} Hz at 1e-9", rates[3]);
}

#[test]
fn each_spike_is_counted_once() {
    // No reset: the 2 ms dead time after a crossing keeps the detector from firing again while
    // v stays above V_th. Both drivers must count exactly the upward crossings of -20 mV of a
    // finely sampled trace.
    let m = HodgkinHuxley::new();
    let stim = Stimulus::new().with("I", Signal::Const(10.0 * UA_PER_CM2)).unwrap();
    let sim = Simulation::new(&m, 200.0).state(equilibrium(&m, 0.0)).stimulus(stim).record(RecordSpec::names(["v"]).every(0.01));
    let fixed = sim.run_fixed(&mut spyks::integrate::Rk4, 0.01).unwrap();
    let adaptive = sim.run_adaptive(&Dopri5::new().tolerances(TOL, TOL)).unwrap();
    let v = fixed.column("v").unwrap();
    let crossings = v.windows(2).filter(|w| w[0] < -20.0 && w[1] >= -20.0).count();
    assert_eq!(crossings, 14);
    assert_eq!(fixed.spikes.len(), crossings);
    assert_eq!(adaptive.spikes.len(), crossings);
    for (a, b) in fixed.spikes.iter().zip(&adaptive.spikes) {
        assert!((a - b).abs() <= 0.01 + 1e-9, "spike at {a} ms (RK4, step end) and {b} ms (located)");
    }
}
