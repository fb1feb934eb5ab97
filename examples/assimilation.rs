//! Data assimilation, as a twin experiment: a recording is made from spyks' `nakl` model
//! (with C = 1 pF, as spyks' own tests run it: with the shipped 250 pF it does not fire
//! repetitively) under a multi-level noisy current, with 0.5 mV of measurement noise, and
//! written to CSV.
//! Then, as with a real recording:
//!
//! 1. the CSV is read back with its units declared ([`Recording::from_csv`]);
//! 2. the three maximal conductances and three reversal potentials are fitted by
//!    Levenberg-Marquardt from guesses all off by a factor of two, synchronised to the data
//!    first and then free ([`LevenbergMarquardt::fit_synchronised`]); the estimates come with
//!    standard errors;
//! 3. an unscented Kalman filter ([`Ukf`]) recovers the unmeasured gating variables m, h, n
//!    from the voltage alone (and the conductances once more, from the same wrong start);
//! 4. the fitted model predicts the voltage under a current it was not fitted on.
//!
//! Writes `output/assimilation/recording.csv`, `fit.csv`, `fit.png` and the summary figure
//! `output/assimilation.png`. Run with `cargo run --release --example assimilation`.

use rand::SeedableRng;
use rand_distr::{Distribution, Normal};
use spyks::estimate::{Free, LevenbergMarquardt, Recording, TraceCost, Ukf};
use spyks::integrate::Rk4;
use spyks::plot::{Figure, Panel, Style};
use spyks::presets::spyks::{Nakl, NaklState};
use spyks::{Interp, NeuronModel, RecordSpec, Signal, Simulation, Stimulus, Trajectory, Vector};
use std::io::Write;
use std::time::Instant;

/// Sampling interval of the recording (ms): 50 kHz.
const DT: f64 = 0.02;

/// A current protocol (pA): `levels` held `hold` ms each, plus an Ornstein-Uhlenbeck
/// fluctuation (σ `sigma` pA, τ 5 ms) from `seed`, sampled every DT.
fn protocol(levels: &[f64], hold: f64, sigma: f64, seed: u64) -> Vec<f64> {
    let t_end = levels.len() as f64 * hold;
    let ou = Signal::ornstein_uhlenbeck(0.0, sigma, 5.0, DT, t_end, seed).expect("valid OU settings");
    (0..=(t_end / DT).round() as usize)
        .map(|k| {
            let t = k as f64 * DT;
            levels[((t / hold) as usize).min(levels.len() - 1)] + ou.at(t)
        })
        .collect()
}

/// The true model's run under `current`: RK4 at DT/5 (finer than the fit's DT, so the data do
/// not share its discretisation), every state variable recorded every DT.
fn truth(model: &Nakl, current: &[f64]) -> Result<Trajectory, Box<dyn std::error::Error>> {
    let t_end = (current.len() - 1) as f64 * DT;
    let stim = Stimulus::new().with("Iinj", Signal::sampled(DT, current.to_vec(), Interp::Linear))?;
    Ok(Simulation::new(model, t_end).stimulus(stim).record(RecordSpec::all().every(DT)).run_fixed(&mut Rk4, DT / 5.0)?)
}

/// Upward crossings of 0 mV.
fn spikes(v: &[f64]) -> usize {
    v.windows(2).filter(|w| w[0] < 0.0 && w[1] >= 0.0).count()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let dir = std::path::Path::new("output/assimilation");
    std::fs::create_dir_all(dir)?;

    // --- The experiment: 800 ms of nakl, 0.5 mV of noise, written as a lab would. ---
    let mut model = Nakl::new();
    model.params_mut().C = 1.0;
    let current = protocol(&[0.0, 15.0, -3.0, 25.0, 5.0, -5.0, 10.0, 20.0], 100.0, 3.0, 3);
    let true_run = truth(&model, &current)?;
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(11);
    let noise = Normal::new(0.0, 0.5)?;
    let mut csv = std::io::BufWriter::new(std::fs::File::create(dir.join("recording.csv"))?);
    writeln!(csv, "t,Vm,I")?;
    for (k, (v, i)) in true_run.column("V").ok_or("V")?.iter().zip(&current).enumerate() {
        // Volts and nanoamps, as an acquisition system might save them.
        writeln!(csv, "{},{},{}", k as f64 * DT, (v + noise.sample(&mut rng)) * 1e-3, i * 1e-3)?;
    }
    csv.flush()?;

    // --- 1. The data, with their units. ---
    let rec = Recording::from_csv(dir.join("recording.csv"), ("Vm", "V"), ("I", "nA"), DT)?;
    println!("recording: {} samples at {} ms ({} ms), {} spikes", rec.len(), rec.dt(), rec.duration(), spikes(rec.voltage()));

    // --- 2. Least squares from guesses off by a factor of two. ---
    let names = ["gna", "gk", "gl", "Ena", "Ek", "El"];
    let guesses = [60.0, 40.0, 0.6, 100.0, -38.5, -108.8];
    let free: Vec<Free> = names
        .iter()
        .zip(guesses)
        .map(|(n, g)| if n.starts_with('g') { Free::param(n).log().guess(g) } else { Free::param(n).bounds(-150.0, 150.0).guess(g) })
        .collect();
    let mut cost = TraceCost::new(&model, &rec, "Iinj", "V", free)?;
    let t = Instant::now();
    let fit = LevenbergMarquardt::default().fit_synchronised(&mut cost, &[2.0, 0.5, 0.1])?;
    println!("\nLevenberg-Marquardt, synchronised then free ({:.2?}):\n{fit}", t.elapsed());
    println!("\n{:<6} {:>10} {:>10} {:>12}", "", "truth", "guess", "error");
    for (n, g) in names.iter().zip(guesses) {
        let (est, _) = fit.get(n).ok_or("estimate")?;
        let truth = model.params().get(n)?;
        println!("{n:<6} {truth:>10.4} {g:>10.4} {:>11.3}%", 100.0 * (est / truth - 1.0));
    }
    fit.write_csv(&rec, dir.join("fit.csv"))?;
    fit.save_png(&rec, dir.join("fit.png"))?;

    // --- 3. Hidden states: the unscented Kalman filter on the voltage alone. ---
    let mut wrong = model.clone();
    for (n, g) in names.iter().zip(guesses).take(3) {
        wrong.params_mut().set(n, g)?;
    }
    let t = Instant::now();
    let ukf = Ukf::new(&wrong, &names[..3])?
        .initial_state(NaklState { V: -70.0, m: 0.5, h: 0.5, n: 0.5 })
        .positive(&names[..3])?
        .measurement_noise(0.5)?
        .run_recording(&rec, "Iinj", Interp::Linear)?;
    println!("\nunscented Kalman filter ({:.2?}), after the first 200 ms:", t.elapsed());
    let from = (200.0 / DT) as usize;
    for g in ["m", "h", "n"] {
        let (est, tr) = (ukf.state(g)?, true_run.column(g).ok_or("gate")?);
        let rms = ((from..est.len()).map(|k| (est[k] - tr[k]).powi(2)).sum::<f64>() / (est.len() - from) as f64).sqrt();
        println!("  {g}: RMS error {rms:.4}");
    }
    for (n, mean, sd) in ukf.final_params() {
        println!("  {n}: {mean:.4} ± {sd:.4} (truth {})", model.params().get(n)?);
    }

    // --- 4. Prediction under a new current. ---
    let mut fitted = model.clone();
    for (n, e) in fit.names.iter().zip(&fit.estimates) {
        fitted.params_mut().set(n, *e)?;
    }
    let new_current = protocol(&[8.0, 18.0, 0.0, 30.0], 100.0, 5.0, 17);
    let (tv, pv) = (truth(&model, &new_current)?, truth(&fitted, &new_current)?);
    let (tv, pv) = (tv.column("V").ok_or("V")?, pv.column("V").ok_or("V")?);
    let rms = (tv.iter().zip(pv).map(|(a, b)| (a - b).powi(2)).sum::<f64>() / tv.len() as f64).sqrt();
    println!(
        "\nprediction under a new current: RMS difference {rms:.4} mV, spikes {} (truth) and {} (fitted model)",
        spikes(tv),
        spikes(pv)
    );

    // --- The figure. ---
    let times = rec.times();
    let grey = Style::rgb(160, 160, 160).width(1);
    let win = |x: &[f64], a: f64, b: f64| -> (Vec<f64>, Vec<f64>) {
        let (i, j) = ((a / DT) as usize, ((b / DT) as usize).min(x.len()));
        (times[i..j].to_vec(), x[i..j].to_vec())
    };
    let (td, vd) = win(rec.voltage(), 250.0, 450.0);
    let (_, vf) = win(&fit.predicted, 250.0, 450.0);
    let a = Panel::new("(A) recording (grey) and least-squares fit")
        .x_label("t (ms)")
        .y_label("V (mV)")
        .line_with(&td, &vd, "data", grey)
        .line_with(&td, &vf, "fit", Style::rgb(214, 39, 40).width(1));
    let mut b = Panel::new("(B) hidden gates: UKF estimate (solid) and truth (dashed)").x_label("t (ms)").y_label("gate");
    for (k, g) in ["m", "h", "n"].iter().enumerate() {
        let c = spyks::plot::PALETTE[k];
        let (tg, eg) = win(&ukf.state(g)?, 250.0, 450.0);
        let (_, xg) = win(true_run.column(g).ok_or("gate")?, 250.0, 450.0);
        b = b.line_with(&tg, &eg, g, Style::rgb(c.0, c.1, c.2).width(2)).line_with(&tg, &xg, "", Style::rgb(0, 0, 0).width(1).dashed());
    }
    let mut c = Panel::new("(C) UKF conductances, relative to the truth").x_label("t (ms)").y_label("estimate / truth");
    for n in &names[..3] {
        let est = ukf.param(n)?;
        let truth = model.params().get(n)?;
        c = c.line(&ukf.times, &est.iter().map(|e| e / truth).collect::<Vec<_>>(), n);
    }
    let c = c.y_range(0.0, 2.5).hline(1.0, "");
    let tn: Vec<f64> = (0..tv.len()).map(|k| k as f64 * DT).collect();
    let d = Panel::new("(D) prediction under a new current: truth (grey) and fitted model")
        .x_label("t (ms)")
        .y_label("V (mV)")
        .line_with(&tn, tv, "truth", Style::rgb(160, 160, 160).width(3))
        .line_with(&tn, pv, "fitted", Style::rgb(214, 39, 40).width(1));
    Figure::new(2)
        .title("Data assimilation with nakl: a twin experiment")
        .panel_size(640, 320)
        .panels([a, b, c, d])
        .save_png("output/assimilation.png")?;
    println!("\nwrote output/assimilation.png and output/assimilation/{{recording.csv, fit.csv, fit.png}} in {:.2?}", started.elapsed());
    Ok(())
}
