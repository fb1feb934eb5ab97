//! Twin experiments: data simulated from a known model with seeded noise, fitted back by
//! Levenberg-Marquardt from distant guesses; the estimates, their standard errors and a
//! prediction under a current not used in the fit are checked against the known truth.

mod common;

use common::{rms, spike_count};

use spyks_core::estimate::{Free, LevenbergMarquardt, Recording, TraceCost};
use spyks_core::integrate::Rk4;
use spyks_core::presets::hodgkin_huxley::{HodgkinHuxley, UA_PER_CM2};
use spyks_core::presets::spyks::Nakl;
use spyks_core::{NeuronModel, RecordSpec, Signal, Simulation, Stimulus, Vector};

const DT: f64 = 0.02;

/// A step sequence through `levels` (each held `hold` ms) plus a seeded OU component, sampled
/// every DT up to `t_end`: the injected current, in internal units.
fn protocol(levels: &[f64], hold: f64, ou_sigma: f64, t_end: f64, seed: u64) -> Vec<f64> {
    let ou = Signal::ornstein_uhlenbeck(0.0, ou_sigma, 5.0, DT, t_end, seed).expect("valid OU settings");
    let n = (t_end / DT).round() as usize + 1;
    (0..n)
        .map(|k| {
            let t = k as f64 * DT;
            let level = levels[((t / hold) as usize).min(levels.len() - 1)];
            level + ou.at(t)
        })
        .collect()
}

/// The voltage of `model` driven through `input` by `current` (sampled every DT, read
/// linearly), plus Gaussian noise of `noise` mV from `seed`. RK4 at DT/5, so the data do not
/// share the fit's discretisation (which integrates at DT).
fn simulate<M: NeuronModel>(model: &M, input: &str, v: &str, current: &[f64], noise: f64, seed: u64) -> Vec<f64> {
    let t_end = (current.len() - 1) as f64 * DT;
    let stim = Stimulus::new().with(input, Signal::sampled(DT, current.to_vec(), spyks_core::Interp::Linear)).unwrap();
    let tr = Simulation::new(model, t_end).stimulus(stim).record(RecordSpec::names([v]).every(DT)).run_fixed(&mut Rk4, DT / 5.0).unwrap();
    let v = tr.column(v).unwrap();
    let z = white_noise(noise, v.len(), seed);
    v.iter().zip(z).map(|(x, z)| x + z).collect()
}

/// `n` independent N(0, sigma²) samples from a seed.
fn white_noise(sigma: f64, n: usize, seed: u64) -> Vec<f64> {
    let mut rng = common::Rng::new(seed);
    (0..n).map(|_| sigma * rng.normal()).collect()
}

/// The fitted quantities: conductances (names starting with `g`) in log space, reversal
/// potentials within [−150, 150] mV, from `guesses`.
fn free(names: &[&str], guesses: &[f64]) -> Vec<Free> {
    let one = |(n, &g): (&&str, &f64)| {
        if n.starts_with('g') { Free::param(n).log().guess(g) } else { Free::param(n).bounds(-150.0, 150.0).guess(g) }
    };
    names.iter().zip(guesses).map(one).collect()
}

/// Coupling gains (1/ms) of the synchronised stages, strongest first.
const GAINS: [f64; 3] = [2.0, 0.5, 0.1];

/// Fits `names` (conductances log-transformed, reversal potentials within [−150, 150] mV)
/// from `guesses`, synchronised to the data and then free; checks recovery to `tol`
/// (relative), coverage by 4 standard errors and the noise estimate, and returns the
/// estimates.
#[allow(clippy::too_many_arguments)]
fn twin<M: NeuronModel>(
    model: &M,
    input: &str,
    v: &str,
    unit: &str,
    fit_current: &[f64],
    names: &[&str],
    guesses: &[f64],
    tol: f64,
) -> Vec<f64> {
    let data = simulate(model, input, v, fit_current, 0.5, 11);
    let spikes = spike_count(&data);
    eprintln!("{}: {spikes} spikes in the data", M::NAME);
    assert!(spikes >= 5, "the fit protocol must make the model fire");
    let rec = Recording::new(DT, data, "mV", fit_current.to_vec(), unit).unwrap();
    let mut cost = TraceCost::new(model, &rec, input, v, free(names, guesses)).unwrap();
    let fit = LevenbergMarquardt::default().fit_synchronised(&mut cost, &GAINS).unwrap();
    eprintln!("{}: {:?} after {} iterations, rms {:.3} mV", M::NAME, fit.solution.stop, fit.solution.iterations, fit.rms);
    let se = fit.std_errors.clone().expect("identifiable");
    let truth: Vec<f64> = names.iter().map(|n| model.params().get(n).unwrap()).collect();
    for j in 0..names.len() {
        let err = fit.estimates[j] - truth[j];
        eprintln!(
            "  {:5} true {:9.4} guess {:9.4} est {:9.4} se {:.2e} rel err {:.2e} ({:.1} se)",
            names[j],
            truth[j],
            guesses[j],
            fit.estimates[j],
            se[j],
            (err / truth[j]).abs(),
            err.abs() / se[j]
        );
    }
    assert!(fit.solution.stop.converged(), "{:?}", fit.solution.stop);
    for j in 0..names.len() {
        let rel = (fit.estimates[j] / truth[j] - 1.0).abs();
        assert!(rel < tol, "{}: relative error {rel:.2e}", names[j]);
        assert!((fit.estimates[j] - truth[j]).abs() < 4.0 * se[j], "{}: error {} vs se {}", names[j], fit.estimates[j] - truth[j], se[j]);
    }
    // The residual is the noise that was added.
    assert!((fit.rms - 0.5).abs() < 0.05, "rms {}", fit.rms);
    fit.estimates
}

/// The fitted model's voltage under `current` against the true model's (both noise-free):
/// returns the RMS difference (mV) and the spike counts (upward crossings of 0 mV).
fn predict<M: NeuronModel>(model: &M, input: &str, v: &str, names: &[&str], estimates: &[f64], current: &[f64]) -> (f64, usize, usize) {
    let mut p = *model.params();
    for (n, &e) in names.iter().zip(estimates) {
        p.set(n, e).unwrap();
    }
    let fitted = M::with_params(p);
    let truth = simulate(model, input, v, current, 0.0, 0);
    let pred = simulate(&fitted, input, v, current, 0.0, 0);
    (rms(&truth, &pred), spike_count(&truth), spike_count(&pred))
}

/// spyks' nakl with C = 1 pF, as spyks' own tests run it (per-area scaling: with the shipped
/// 250 pF it does not fire repetitively at any current), under steps of −5 to 25 pA.
#[test]
fn nakl_twin() {
    let mut model = Nakl::new();
    model.params_mut().C = 1.0;
    let cur = protocol(&[0.0, 15.0, -3.0, 25.0, 5.0, -5.0, 10.0, 20.0], 50.0, 3.0, 400.0, 3);
    let names = ["gna", "gk", "gl", "Ena", "Ek", "El"];
    // Every guess off by a factor of two.
    let guesses = [60.0, 40.0, 0.6, 100.0, -38.5, -108.8];
    let est = twin(&model, "Iinj", "V", "pA", &cur, &names, &guesses, 0.03);
    let new = protocol(&[8.0, 18.0, 0.0, 30.0], 50.0, 5.0, 200.0, 17);
    let (e, n_true, n_pred) = predict(&model, "Iinj", "V", &names, &est, &new);
    eprintln!("prediction under a new current: rms {e:.3} mV, spikes {n_true} (true) and {n_pred} (fitted)");
    assert!(n_true >= 5 && n_pred == n_true, "{n_true} {n_pred}");
    assert!(e < 1.0, "rms {e}");
}

/// The Hodgkin-Huxley problem: the model, the fitting protocol (current density), the six
/// fitted parameters, their true values and guesses a factor of two off.
fn hh_problem() -> (HodgkinHuxley, Vec<f64>, [&'static str; 6], Vec<f64>, [f64; 6]) {
    let model = HodgkinHuxley::new();
    let u = UA_PER_CM2;
    let cur = protocol(&[0.0, 5.0 * u, 12.0 * u, -3.0 * u, 25.0 * u, 8.0 * u], 40.0, 3.0 * u, 240.0, 5);
    let names = ["g_Na", "g_K", "g_L", "E_Na", "E_K", "E_L"];
    let truth: Vec<f64> = names.iter().map(|n| model.params().get(n).unwrap()).collect();
    let guesses = [truth[0] / 2.0, truth[1] * 2.0, truth[2] * 2.0, truth[3] * 2.0, truth[4] / 2.0, truth[5] * 2.0];
    (model, cur, names, truth, guesses)
}

#[test]
fn hodgkin_huxley_twin() {
    let (model, cur, names, _, guesses) = hh_problem();
    let u = UA_PER_CM2;
    let est = twin(&model, "I", "v", "pA/um^2", &cur, &names, &guesses, 0.03);
    let new = protocol(&[10.0 * u, 2.0 * u, 18.0 * u, 6.0 * u], 50.0, 4.0 * u, 200.0, 19);
    let (e, n_true, n_pred) = predict(&model, "I", "v", &names, &est, &new);
    eprintln!("prediction under a new current: rms {e:.3} mV, spikes {n_true} (true) and {n_pred} (fitted)");
    assert!(n_true >= 5 && n_pred == n_true, "{n_true} {n_pred}");
    assert!(e < 1.0, "rms {e}");
}

/// Why the fit is synchronised: from the same guesses and protocol, the plain fit (no
/// coupling) usually ends far from the truth, stuck among the narrow valleys that misplaced
/// spikes make. Over noise seeds 1 to 20 it stopped about 21 mV off in 19 (at MaxIterations or
/// in a wrong minimum) and converged only with seed 11, the one the twin test above happens to
/// use; nakl's plain fit failed with all twelve seeds tried. This test runs seed 1.
#[test]
fn the_plain_fit_from_the_same_guesses_does_not_recover_hh() {
    let (model, cur, names, truth, guesses) = hh_problem();
    let data = simulate(&model, "I", "v", &cur, 0.5, 1);
    let rec = Recording::new(DT, data, "mV", cur, "pA/um^2").unwrap();
    let mut cost = TraceCost::new(&model, &rec, "I", "v", free(&names, &guesses)).unwrap();
    let fit = LevenbergMarquardt::default().fit(&mut cost).unwrap();
    let worst = fit.estimates.iter().zip(&truth).map(|(e, t)| (e / t - 1.0).abs()).fold(0.0, f64::max);
    eprintln!("plain fit: {:?}, rms {:.2} mV, worst relative error {worst:.2}", fit.solution.stop, fit.rms);
    assert!(worst > 0.1 && fit.rms > 2.0, "the plain fit recovered the truth: {:?}", fit.estimates);
}
