//! The Hodgkin & Huxley (1952) squid axon preset: a voltage trace under a 10 µA/cm² step and
//! the F-I curve (steady firing rate against constant current, each run from rest), written
//! to `output/hodgkin_huxley.png`.
//!
//! The model is class 2: firing starts abruptly at about 50 Hz near 6.26 µA/cm² (the
//! saddle-node of limit cycles of Rinzel & Miller 1980). Spikes are upward crossings of
//! -20 mV; above about 80 µA/cm² the oscillation's peaks fall below that level.
//!
//! Run with `cargo run --release --example hodgkin_huxley`.

use spyks::integrate::Dopri5;
use spyks::plot::{Figure, Panel};
use spyks::presets::hodgkin_huxley::{HodgkinHuxley, UA_PER_CM2};
use spyks::progress::Progress;
use spyks::{RecordSpec, Signal, Simulation, Stimulus};

/// Steady firing rate (Hz): the mean of the last five interspike intervals, 0 without them.
fn rate(spikes: &[f64]) -> f64 {
    let k = spikes.len();
    if k < 7 { 0.0 } else { 5000.0 / (spikes[k - 1] - spikes[k - 6]) }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let model = HodgkinHuxley::new();
    let solver = Dopri5::new().tolerances(1e-8, 1e-8);

    // Voltage trace: 10 µA/cm² from 10 ms on.
    let step = Signal::Step { at: 10.0, before: 0.0, after: 10.0 * UA_PER_CM2 };
    let trace = Simulation::new(&model, 100.0)
        .stimulus(Stimulus::new().with("I", step)?)
        .record(RecordSpec::names(["v"]).every(0.05))
        .run_adaptive(&solver)?;
    let v = trace.column("v").ok_or("no v column")?;
    println!("Hodgkin-Huxley (1952), 6.3 °C: 10 µA/cm² from 10 ms");
    println!("  {} spikes at {:?} ms", trace.spikes.len(), trace.spikes.iter().map(|t| (t * 100.0).round() / 100.0).collect::<Vec<_>>());

    // F-I curve: 1 s runs from rest, rate from the last intervals.
    let mut currents: Vec<f64> = (0..=20).map(f64::from).chain((5..=15).map(|k| 5.0 * f64::from(k))).collect();
    // Just above the onset of repetitive firing.
    currents.insert(7, 6.3);
    let mut rates = Vec::with_capacity(currents.len());
    let progress = Progress::new(currents.len() as u64, "F-I curve");
    println!("\n{:>14} {:>10}", "I (µA/cm²)", "rate (Hz)");
    for &i in &currents {
        let stim = Stimulus::new().with("I", Signal::Const(i * UA_PER_CM2))?;
        let run = Simulation::new(&model, 1000.0).stimulus(stim).record(RecordSpec::names(["v"]).every(1000.0)).run_adaptive(&solver)?;
        let r = rate(&run.spikes);
        println!("{i:>14.1} {r:>10.1}");
        rates.push(r);
        progress.inc(1);
    }
    progress.finish();
    let trace_panel =
        Panel::new("(A) 10 µA/cm² from 10 ms").x_label("t (ms)").y_label("V (mV)").y_range(-80.0, 50.0).line(&trace.times, v, "");
    let fi_panel = Panel::new("(B) F-I curve, 1 s steps from rest")
        .x_label("I (µA/cm²)")
        .y_label("rate (Hz)")
        .line(&currents, &rates, "")
        .points(&currents, &rates, "");
    std::fs::create_dir_all("output")?;
    Figure::new(2)
        .title("Hodgkin & Huxley (1952), 6.3 °C")
        .panel_size(480, 300)
        .panel(trace_panel)
        .panel(fi_panel)
        .save_png("output/hodgkin_huxley.png")?;
    println!("\nwrote output/hodgkin_huxley.png");
    Ok(())
}
