//! A model from a spyks YAML file, run as spyks' own README runs it: `nakl.yml` (minimal Na,
//! K and leak conductances), a forcing array of 10000 samples at 0.05 ms that is 0 for the
//! first 2000 samples and 50 pA after, integrated by Dormand-Prince at spyks' tolerance (1e-5)
//! from V = -70 mV with all gates at 0. With the file's C = 250 pF the response stays below
//! threshold, as in spyks; the same step on a 1 pF membrane (20 pA) fires, as in the
//! reference data `tests/data/reference/spyks/nakl_C1_spiking.json`. Writes
//! `output/spyks_yaml.png`.
//!
//! Run with `cargo run --release --example spyks_yaml`.

use spyks::integrate::Dopri5;
use spyks::plot::{Figure, Panel};
use spyks::{Interp, RecordSpec, Signal, Simulation, Stimulus, Trajectory};

// The path is relative to this file, as for include_str!.
spyks::include_model!("../spyks-core/models/spyks/nakl.yml");

/// spyks' forcing: `Iinj = zeros(10000); Iinj[2000:] = amplitude`, sampled every 0.05 ms and
/// read by nearest neighbour (so the step takes effect at 99.975 ms).
fn readme_forcing(amplitude: f64) -> Signal {
    let values: Vec<f64> = (0..10_000).map(|k| if k >= 2000 { amplitude } else { 0.0 }).collect();
    Signal::sampled(0.05, values, Interp::Nearest)
}

/// Spike times as spyks' reference data counts them (the file has no threshold): the first
/// recorded sample at or above 0 mV after one below.
fn crossings(t: &[f64], v: &[f64]) -> Vec<f64> {
    (1..v.len()).filter(|&k| v[k - 1] < 0.0 && v[k] >= 0.0).map(|k| t[k]).collect()
}

fn run(model: &Nakl, amplitude: f64) -> Result<Trajectory, Box<dyn std::error::Error>> {
    let x0 = NaklState { V: -70.0, m: 0.0, h: 0.0, n: 0.0 };
    let stim = Stimulus::new().with("Iinj", readme_forcing(amplitude))?;
    let sim = Simulation::new(model, 500.0).state(x0).stimulus(stim).record(RecordSpec::names(["V"]).every(0.05));
    Ok(sim.run_adaptive(&Dopri5::new().tolerances(1e-5, 1e-5))?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let readme = Nakl::new();
    let mut small = Nakl::new();
    small.params.C = 1.0;
    println!("spyks nakl.yml, step at 99.975 ms, 500 ms, Dormand-Prince at 1e-5");
    println!("{:<28} {:>7} {:>14} {:>14} {:>14}", "case", "spikes", "V(99 ms)", "V(500 ms)", "first spikes (ms)");
    let mut runs = Vec::new();
    for (name, model, amplitude) in [("README: C = 250 pF, 50 pA", &readme, 50.0), ("C = 1 pF, 20 pA", &small, 20.0)] {
        let tr = run(model, amplitude)?;
        let v = tr.column("V").ok_or("no V column")?;
        let spikes = crossings(&tr.times, v);
        let first: Vec<String> = spikes.iter().take(3).map(|t| format!("{t:.2}")).collect();
        println!("{:<28} {:>7} {:>14.3} {:>14.3}   {}", name, spikes.len(), v[1980], v[v.len() - 1], first.join(", "));
        runs.push((name, tr, spikes));
    }
    let panels = runs.iter().map(|(name, tr, _)| {
        let v = tr.column("V").unwrap_or(&[]);
        Panel::new(name).x_label("t (ms)").y_label("V (mV)").y_range(-80.0, 50.0).line(&tr.times, v, "")
    });
    std::fs::create_dir_all("output")?;
    Figure::new(2).title("spyks nakl.yml, step current at 100 ms").panel_size(480, 300).panels(panels).save_png("output/spyks_yaml.png")?;
    println!("\nwrote output/spyks_yaml.png");
    Ok(())
}
