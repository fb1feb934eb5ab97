//! The eight firing patterns of the adaptive exponential integrate-and-fire neuron (Naud et
//! al. 2008, Fig. 4), each under its step current for 500 ms, classified from the spike
//! train alone by `analysis::firing_pattern`.
//!
//! Run with `cargo run --release --example adex`; writes `output/adex.png` (V and w of every
//! pattern) and `output/adex_phase.png` (three patterns in the (V, w) phase plane, with the
//! nullclines and the trajectory, resets included, as in the paper's Figs. 5-7).

use spyks::analysis::firing_pattern::{Criteria, classify_features, features};
use spyks::integrate::Dopri5;
use spyks::plot::{Figure, Panel, phase_plane};
use spyks::presets::integrate_and_fire::Adex;
use spyks::presets::integrate_and_fire::naud2008::PATTERNS;
use spyks::{RecordSpec, Signal, Simulation, Stimulus, Trajectory};

const T_END: f64 = 500.0;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let criteria = Criteria::default();
    let mut runs: Vec<Trajectory> = Vec::new();
    println!("Naud et al. (2008) AdEx firing patterns, step current from 0 ms, {T_END} ms");
    println!(
        "{:<26} {:>4} {:>7} {:>7} {:>10} {:>9} {:>7} {:>7}  {:<26}",
        "pattern", "fig", "I (pA)", "spikes", "first (ms)", "A", "LV", "bursts", "classified as"
    );
    for p in PATTERNS {
        let model = p.model();
        let stim = Stimulus::new().with("I", Signal::Const(p.current))?;
        let run = Simulation::new(&model, T_END)
            .state(p.initial_state())
            .stimulus(stim)
            .record(RecordSpec::all().every(0.1))
            .run_adaptive(&Dopri5::new().tolerances(1e-8, 1e-8))?;
        let f = features(&run.spikes, 0.0, T_END, &criteria)?;
        let class = classify_features(&f, &criteria)?;
        let fmt = |x: Option<f64>, d: usize| x.map_or("-".to_string(), |v| format!("{v:.d$}"));
        println!(
            "{:<26} {:>4} {:>7} {:>7} {:>10} {:>9} {:>7} {:>7}  {:<26}{}",
            p.name,
            p.figure,
            p.current,
            f.spikes,
            fmt(f.latency, 1),
            fmt(f.adaptation_index, 4),
            fmt(f.local_variation, 3),
            f.bursts.len(),
            class.name(),
            if class == p.pattern { "" } else { "  (MISMATCH)" }
        );
        runs.push(run);
    }
    std::fs::create_dir_all("output")?;
    plot(&runs)?;
    phase_planes(&runs)?;
    Ok(())
}

/// The (V, w) phase plane of three patterns: the V-nullcline (where the exponential upswing
/// balances the leak, w and the current) and the w-nullcline w = a(V − E_L) under the
/// pattern's current, and the trajectory, whose resets jump to (V_r, w + b).
fn phase_planes(runs: &[Trajectory]) -> Result<(), Box<dyn std::error::Error>> {
    let mut fig = Figure::new(3).title("AdEx in the (V, w) plane: nullclines and trajectory (Naud et al. 2008)").panel_size(460, 360);
    for k in [2, 3, 7] {
        let (p, run) = (&PATTERNS[k], &runs[k]);
        let model = p.model();
        let inputs = Stimulus::<Adex>::new().with("I", Signal::Const(p.current))?.at(0.0);
        let w = run.column("w").unwrap_or(&[]);
        let (w_lo, w_hi) = w.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
        let pad = 0.15 * (w_hi - w_lo).max(10.0);
        let (v_range, w_range) = ((-75.0, -40.0), (w_lo - pad, w_hi + pad));
        let panel = phase_plane(&model, &inputs, "V", "w", v_range, w_range)?
            .with_title(&format!("({}) {}, I = {} pA", &p.figure[1..], p.name, p.current))
            .x_range(v_range.0, v_range.1)
            .y_range(w_range.0, w_range.1)
            .trajectory(run.column("V").unwrap_or(&[]), w);
        fig = fig.panel(panel);
    }
    fig.save_png("output/adex_phase.png")?;
    println!("wrote output/adex_phase.png");
    Ok(())
}

/// Two panels per pattern: V (the spikes drawn up to the cut-off, 0 mV, as in the paper's
/// figure) and the adaptation current w; four patterns per pair of rows.
fn plot(runs: &[Trajectory]) -> Result<(), Box<dyn std::error::Error>> {
    let mut fig =
        Figure::new(4).title("AdEx firing patterns (Naud et al. 2008, Fig. 4): V and w under a step current").panel_size(420, 230);
    for half in PATTERNS.chunks(4).zip(runs.chunks(4)) {
        let (patterns, runs) = half;
        let mut w_panels = Vec::new();
        for (p, run) in patterns.iter().zip(runs) {
            let (t, v) = with_spikes(run, p.params.V_peak, p.params.V_r);
            let title = format!("({}) {}", &p.figure[1..], p.name);
            fig =
                fig.panel(Panel::new(&title).x_label("t (ms)").y_label("V (mV)").x_range(0.0, T_END).y_range(-75.0, 5.0).line(&t, &v, ""));
            w_panels.push(
                Panel::new(&format!("({}) w, I = {} pA", &p.figure[1..], p.current))
                    .x_label("t (ms)")
                    .y_label("w (pA)")
                    .x_range(0.0, T_END)
                    .line(&run.times, run.column("w").unwrap_or(&[]), ""),
            );
        }
        for w in w_panels {
            fig = fig.panel(w);
        }
    }
    fig.save_png("output/adex.png")?;
    println!("wrote output/adex.png");
    Ok(())
}

/// The recorded V with each spike drawn as a vertical line from the sampled trace up to the
/// cut-off and down to the reset.
fn with_spikes(run: &Trajectory, v_peak: f64, v_r: f64) -> (Vec<f64>, Vec<f64>) {
    let v = run.column("V").unwrap_or(&[]);
    let (mut ts, mut vs) = (Vec::with_capacity(v.len()), Vec::with_capacity(v.len()));
    let mut spikes = run.spikes.iter().peekable();
    for (&t, &x) in run.times.iter().zip(v) {
        while let Some(&&s) = spikes.peek() {
            if s > t {
                break;
            }
            ts.extend([s, s]);
            vs.extend([v_peak, v_r]);
            spikes.next();
        }
        ts.push(t);
        vs.push(x);
    }
    (ts, vs)
}
