//! The leaky integrate-and-fire presets against their closed-form solutions.
//!
//! Tolerances: the adaptive Dormand-Prince method at rtol = atol = 1e-10 keeps V within about
//! 1e-9 mV of the exact solution (measured below on the relaxation), and a spike time is off
//! by that error divided by the slope of V at the threshold, (E_L + R_m·I − V_th)/τ_m, which
//! near the rheobase is small (0.005 mV/ms at 101 pA). So the first spike and every interval
//! are asserted within 1e-8 mV / slope + 1e-9 ms (10 times the V error, plus the location
//! tolerance of the spike-finding); the measured errors are printed (at most 2e-7 ms, at
//! 101 pA). Exponential Euler is exact for a linear
//! equation with constant coefficients, so it meets the exponential solutions to round-off.

mod common;

use common::lif_period;
use spyks_core::integrate::{Dopri5, ExpEuler};
use spyks_core::presets::integrate_and_fire::{Lif, LifCond, LifCondParams, LifCondState, LifParams};
use spyks_core::{NeuronModel, Signal, Simulation, Stimulus};

fn accurate() -> Dopri5 {
    Dopri5::new().tolerances(1e-10, 1e-10)
}

#[test]
fn defaults_are_the_benchmark_membrane() {
    let p = LifParams::default();
    // Brette et al. (2007): τ_m 20 ms, R_m = 1/(10 nS) = 100 MΩ, here in mV/pA (GΩ).
    assert_eq!((p.tau_m, p.R_m, p.E_L, p.V_th, p.V_reset, p.t_ref), (20.0, 0.1, -60.0, -50.0, -60.0, 5.0));
    let q = LifCondParams::default();
    assert_eq!((q.C_m, q.g_L, q.E_e, q.E_i, q.tau_e, q.tau_i), (200.0, 10.0, 0.0, -80.0, 5.0, 10.0));
    assert_eq!(q.C_m / q.g_L, p.tau_m);
}

#[test]
fn firing_rate_matches_the_closed_form_across_currents() {
    let lif = Lif::new();
    let p = lif.params;
    // Rheobase (V_th − E_L)/R_m = 100 pA.
    for i in [101.0, 110.0, 150.0, 200.0, 400.0, 1000.0, 3000.0] {
        let stim = Stimulus::new().with("I", Signal::Const(i)).unwrap();
        let run = Simulation::new(&lif, 1000.0).stimulus(stim).run_adaptive(&accurate()).unwrap();
        let period = lif_period(&p, i);
        let slope = (p.E_L + p.R_m * i - p.V_th) / p.tau_m;
        let tol = 1e-8 / slope + 1e-9;
        // From rest (= V_reset) the first spike has no refractory period before it; then one
        // spike every period.
        let first = period - p.t_ref;
        let expected = ((1000.0 - first) / period).floor() as usize + 1;
        assert_eq!(run.spikes.len(), expected, "I = {i} pA");
        let mut worst: f64 = 0.0;
        // The first spike, then every interval (errors of successive spike times add up,
        // those of intervals do not).
        let errors = std::iter::once(run.spikes[0] - first).chain(run.spikes.windows(2).map(|w| w[1] - w[0] - period));
        for (k, err) in errors.enumerate() {
            assert!(err.abs() < tol, "I = {i} pA: interval {k} is {err:e} ms off the closed form (tolerance {tol:e})");
            worst = worst.max(err.abs());
        }
        let rate = 1000.0 * (run.spikes.len() - 1) as f64 / (run.spikes[run.spikes.len() - 1] - run.spikes[0]);
        eprintln!("I = {i:6} pA: {rate:9.4} Hz (closed form {:9.4} Hz), largest spike-time error {worst:.1e} ms", 1000.0 / period);
    }
}

#[test]
fn no_spike_below_rheobase() {
    let lif = Lif::new();
    let stim = Stimulus::new().with("I", Signal::Const(99.0)).unwrap();
    let run = Simulation::new(&lif, 2000.0).stimulus(stim).run_adaptive(&accurate()).unwrap();
    assert!(run.spikes.is_empty());
    // It settles at E_L + R_m I = -50.1 mV.
    let v = *run.column("V").unwrap().last().unwrap();
    assert!((v + 50.1).abs() < 1e-9, "{v}");
}

#[test]
fn subthreshold_relaxation_is_exponential() {
    let lif = Lif::new();
    let p = lif.params;
    let i = 50.0;
    let v_inf = p.E_L + p.R_m * i;
    let v0 = -70.0;
    let stim = Stimulus::new().with("I", Signal::Const(i)).unwrap();
    let sim = Simulation::new(&lif, 100.0).state(spyks_core::presets::integrate_and_fire::LifState { V: v0 }).stimulus(stim);
    let exact = |t: f64| v_inf + (v0 - v_inf) * (-t / p.tau_m).exp();
    for (run, tol) in [(sim.run_fixed(&mut ExpEuler, 0.1).unwrap(), 1e-11), (sim.run_adaptive(&accurate()).unwrap(), 1e-8)] {
        for (t, v) in run.times.iter().zip(run.column("V").unwrap()) {
            assert!((v - exact(*t)).abs() < tol, "t = {t}: {v} vs {}", exact(*t));
        }
    }
}

#[test]
fn frozen_conductances_give_the_weighted_mean_of_reversal_potentials() {
    // τ_e, τ_i = 1e12 ms: over 200 ms the conductances change by 2e-10 of themselves.
    let m = LifCond::with_params(LifCondParams { tau_e: 1e12, tau_i: 1e12, ..LifCondParams::default() });
    let p = m.params;
    let (g_e, g_i, i) = (3.0, 6.0, 20.0);
    let g = p.g_L + g_e + g_i;
    let v_inf = (p.g_L * p.E_L + g_e * p.E_e + g_i * p.E_i + i) / g;
    assert!(v_inf < p.V_th);
    let tau = p.C_m / g;
    let v0 = p.E_L;
    let stim = Stimulus::new().with("I", Signal::Const(i)).unwrap();
    let run = Simulation::new(&m, 200.0).state(LifCondState { V: v0, g_e, g_i }).stimulus(stim).run_adaptive(&accurate()).unwrap();
    assert!(run.spikes.is_empty());
    for (t, v) in run.times.iter().zip(run.column("V").unwrap()) {
        let exact = v_inf + (v0 - v_inf) * (-t / tau).exp();
        assert!((v - exact).abs() < 1e-7, "t = {t}: {v} vs {exact}");
    }
    let v_end = *run.column("V").unwrap().last().unwrap();
    assert!((v_end - v_inf).abs() < 1e-7, "{v_end} vs {v_inf}");
}

#[test]
fn a_conductance_jump_decays_with_its_time_constant() {
    let m = LifCond::new();
    let p = m.params;
    // A synapse event: g_e += 4 nS, g_i += 2 nS at t = 0.
    let x0 = LifCondState { g_e: 4.0, g_i: 2.0, ..m.initial_state() };
    let sim = Simulation::new(&m, 50.0).state(x0);
    for (run, tol) in [(sim.run_fixed(&mut ExpEuler, 0.1).unwrap(), 1e-12), (sim.run_adaptive(&accurate()).unwrap(), 1e-9)] {
        let (ge, gi) = (run.column("g_e").unwrap(), run.column("g_i").unwrap());
        for (k, t) in run.times.iter().enumerate() {
            assert!((ge[k] - 4.0 * (-t / p.tau_e).exp()).abs() < tol, "g_e at {t}");
            assert!((gi[k] - 2.0 * (-t / p.tau_i).exp()).abs() < tol, "g_i at {t}");
        }
        // The excitatory event depolarises (4 nS toward 0 mV beats 2 nS toward -80 mV).
        assert!(run.column("V").unwrap().iter().any(|&v| v > p.E_L + 0.5));
        assert!(run.spikes.is_empty());
    }
}

#[test]
fn conductance_lif_without_synapses_is_the_current_lif() {
    // Same membrane: τ_m = C_m/g_L, R_m = 1/g_L; the same spike times to the integrator's accuracy.
    let cond = LifCond::new();
    let lif = Lif::new();
    for i in [150.0, 500.0] {
        let run_c =
            Simulation::new(&cond, 300.0).stimulus(Stimulus::new().with("I", Signal::Const(i)).unwrap()).run_adaptive(&accurate()).unwrap();
        let run_l =
            Simulation::new(&lif, 300.0).stimulus(Stimulus::new().with("I", Signal::Const(i)).unwrap()).run_adaptive(&accurate()).unwrap();
        assert_eq!(run_c.spikes.len(), run_l.spikes.len());
        for (a, b) in run_c.spikes.iter().zip(&run_l.spikes) {
            assert!((a - b).abs() < 1e-7, "{a} vs {b}");
        }
    }
}

#[test]
fn refractory_period_holds_v_while_the_conductances_decay() {
    let m = LifCond::new();
    let p = m.params;
    let x0 = LifCondState { g_e: 8.0, ..m.initial_state() };
    let stim = Stimulus::new().with("I", Signal::Const(300.0)).unwrap();
    let run = Simulation::new(&m, 40.0)
        .state(x0)
        .stimulus(stim)
        .record(spyks_core::RecordSpec::all().every(0.1))
        .run_adaptive(&accurate())
        .unwrap();
    let ts = run.spikes[0];
    let (v, ge) = (run.column("V").unwrap(), run.column("g_e").unwrap());
    let mut inside = 0;
    for (k, t) in run.times.iter().enumerate() {
        if *t > ts && *t < ts + p.t_ref {
            inside += 1;
            assert_eq!(v[k], p.V_reset, "V moved at {t} ms during the refractory period");
        }
        assert!((ge[k] - 8.0 * (-t / p.tau_e).exp()).abs() < 1e-8, "g_e at {t} ms");
    }
    assert!(inside >= 45, "{inside} samples inside the refractory period");
    // After it, V rises again.
    let after = run.times.iter().position(|t| *t > ts + p.t_ref + 1.0).unwrap();
    assert!(v[after] > p.V_reset);
}
