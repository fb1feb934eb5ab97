//! Ensembles of parameter sets: results identical to running the members one by one, with one
//! thread or two, for deterministic and noisy models; and multi-start fits that do not depend on
//! the number of threads.

use spyks_core::estimate::{Free, LevenbergMarquardt, Recording, TraceCost, run_ensemble};
use spyks_core::integrate::{Euler, Rk4};
use spyks_core::network::with_threads;
use spyks_core::presets::spyks::Nakl;
use spyks_core::{NeuronModel, RecordSpec, Signal, Simulation, Stimulus, Trajectory, Vector};

spyks_core::neuron_model! {
    /// An Ornstein-Uhlenbeck membrane: white noise through `xi`.
    model Noisy;
    parameters { tau: 10 ms, sigma: 2 mV/ms^(1/2) }
    state { v: 0 mV }
    equations { dv/dt = -v / tau + sigma * xi }
}

fn nakl_params(n: usize) -> Vec<<Nakl as NeuronModel>::Params> {
    let base = *Nakl::new().params();
    (0..n)
        .map(|k| {
            let mut p = base;
            p.set("gna", 80.0 + 10.0 * k as f64).unwrap();
            p.set("gk", 30.0 - 1.5 * k as f64).unwrap();
            p
        })
        .collect()
}

#[test]
fn members_equal_single_runs_with_one_and_two_threads() {
    let model = Nakl::new();
    let stim = Stimulus::new().with("Iinj", Signal::window(5.0, 80.0, 2500.0)).unwrap();
    let sim = Simulation::new(&model, 100.0).stimulus(stim);
    let params = nakl_params(12);
    let run = |s: &Simulation<'_, Nakl>| s.run_fixed(&mut Rk4, 0.02);
    let one: Vec<Trajectory> = with_threads(1, || run_ensemble(&sim, &params, run)).unwrap().into_iter().map(Result::unwrap).collect();
    let two: Vec<Trajectory> = with_threads(2, || run_ensemble(&sim, &params, run)).unwrap().into_iter().map(Result::unwrap).collect();
    assert_eq!(one, two);
    for (p, tr) in params.iter().zip(&one) {
        let alone = Simulation { model: &Nakl::with_params(*p), ..sim.clone() }.run_fixed(&mut Rk4, 0.02).unwrap();
        assert_eq!(&alone, tr);
    }
    // The members differ: the parameters did reach them.
    assert_ne!(one[0].column("V"), one[11].column("V"));
}

#[test]
fn noisy_members_are_reproducible() {
    let model = Noisy::new();
    let sim = Simulation::new(&model, 50.0).record(RecordSpec::names(["v"]));
    let params: Vec<_> = (1..=6)
        .map(|k| {
            let mut p = *model.params();
            p.set("sigma", k as f64).unwrap();
            p
        })
        .collect();
    let run = |s: &Simulation<'_, Noisy>| s.run_fixed(&mut Euler::with_seed(7), 0.1).unwrap();
    let one = with_threads(1, || run_ensemble(&sim, &params, run)).unwrap();
    let two = with_threads(2, || run_ensemble(&sim, &params, run)).unwrap();
    assert_eq!(one, two);
    // Same stream for every member: the paths are scaled copies of one another (v is linear
    // in sigma from v(0) = 0).
    let (a, b) = (one[0].column("v").unwrap(), one[2].column("v").unwrap());
    for (x, y) in a.iter().zip(b) {
        assert!((3.0 * x - y).abs() < 1e-9 * (1.0 + y.abs()), "{x} {y}");
    }
    assert_eq!(members(&[]), 0);
}

/// The number of results of an ensemble of `params` (none for none, not an error).
fn members(params: &[<Noisy as NeuronModel>::Params]) -> usize {
    let model = Noisy::new();
    let sim = Simulation::new(&model, 1.0);
    run_ensemble(&sim, params, |s| s.run_fixed(&mut Euler::new(), 0.1)).len()
}

#[test]
fn a_failing_member_fails_alone() {
    let model = Nakl::new();
    let sim = Simulation::new(&model, 10.0);
    let mut params = nakl_params(3);
    params[1].set("C", -1.0).unwrap();
    let runs = run_ensemble(&sim, &params, |s| s.run_fixed(&mut Rk4, 0.02));
    assert!(runs[0].is_ok() && runs[2].is_ok());
    let e = runs[1].as_ref().unwrap_err().to_string();
    assert!(e.contains("`C` = -1"), "{e}");
}

#[test]
fn multi_start_fits_do_not_depend_on_the_thread_count() {
    let model = Nakl::new();
    let current: Vec<f64> = (0..=1500).map(|k| if k < 250 { 0.0 } else { 2000.0 }).collect();
    let stim = Stimulus::new().with("Iinj", Signal::sampled(0.02, current.clone(), spyks_core::Interp::Linear)).unwrap();
    let tr = Simulation::new(&model, 30.0).stimulus(stim).record(RecordSpec::names(["V"])).run_fixed(&mut Rk4, 0.02).unwrap();
    let rec = Recording::new(0.02, tr.column("V").unwrap().to_vec(), "mV", current, "pA").unwrap();
    let free = vec![Free::param("gk").logistic(5.0, 80.0).guess(30.0), Free::param("Ek").bounds(-95.0, -60.0).guess(-70.0)];
    let lm = LevenbergMarquardt { starts: 4, seed: 3, max_iter: 30, ..Default::default() };
    let fit = |threads| {
        with_threads(threads, || {
            let mut cost = TraceCost::new(&model, &rec, "Iinj", "V", free.clone()).unwrap();
            lm.fit(&mut cost).unwrap()
        })
        .unwrap()
    };
    let (one, two) = (fit(1), fit(2));
    assert_eq!(one, two);
    assert_eq!(one.start_costs.len(), 4);
    assert!((one.estimates[0] / 20.0 - 1.0).abs() < 1e-6 && (one.estimates[1] / -77.0 - 1.0).abs() < 1e-6, "{:?}", one.estimates);
}
