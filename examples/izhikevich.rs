//! The twenty neuro-computational features of Izhikevich (2004), "Which model to use for
//! cortical spiking neurons?", Fig. 1, each in the protocol and numerical scheme of the
//! author's `figure1.m`, and the eight panels of Izhikevich (2003), "Simple model of spiking
//! neurons", Fig. 2.
//!
//! Writes `output/izhikevich.png` (one panel per feature: V, with the stimulus scaled below
//! it), `output/izhikevich_traces.csv` and `output/izhikevich_traces.npy` (columns t, panel
//! index 0-19 for A-T, V, I), and prints the spike counts.
//!
//! Run with `cargo run --release --example izhikevich`.

use spyks::Trajectory;
use spyks::plot::{Figure, Panel, Style};
use spyks::presets::izhikevich::{CLASSES, FEATURES, ProtocolRun};

/// The stimulus scaled into the band [-90, -80] mV below the voltage, as in the figure.
fn stimulus_trace(run: &ProtocolRun) -> Vec<f64> {
    let lo = run.input.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = run.input.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    run.input.iter().map(|i| -90.0 + 10.0 * (i - lo) / span).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all("output")?;
    let mut figure = Figure::new(4).title("Izhikevich (2004), Fig. 1: twenty neuro-computational features").panel_size(360, 220);
    let mut all =
        Trajectory { names: vec!["panel", "v", "I"], units: vec!["1", "mV", "mV/ms"], columns: vec![Vec::new(); 3], ..Default::default() };

    println!("Izhikevich (2004), Fig. 1, in the scheme of figure1.m (Euler, V then u)");
    println!("{:<4} {:<30} {:>7} {:>7} {:>15}", "", "feature", "dt (ms)", "spikes", "first spike (ms)");
    for (k, p) in FEATURES.iter().enumerate() {
        let run = p.run()?;
        let first = run.spikes.first().map_or("-".to_string(), |s| format!("{s:.2}"));
        println!("{:<4} {:<30} {:>7} {:>7} {:>15}", p.letter, p.name, p.tau, run.spikes.len(), first);
        let t_end = run.times[run.times.len() - 1];
        figure = figure.panel(
            Panel::new(p.title)
                .x_label("t (ms)")
                .x_range(0.0, t_end)
                .y_range(-95.0, 35.0)
                .line_with(&run.times, &run.v, "", Style::rgb(31, 119, 180).width(1))
                .line_with(&run.times, &stimulus_trace(&run), "", Style::rgb(214, 39, 40).width(1)),
        );
        all.times.extend_from_slice(&run.times);
        all.columns[0].extend(std::iter::repeat_n(k as f64, run.times.len()));
        all.columns[1].extend_from_slice(&run.v);
        all.columns[2].extend_from_slice(&run.input);
    }
    all.write_csv("output/izhikevich_traces.csv")?;
    all.write_npy("output/izhikevich_traces.npy")?;
    figure.save_png("output/izhikevich.png")?;

    println!("\nIzhikevich (2003), Fig. 2: figure scheme (0.25 ms) and the paper's net.m scheme (1 ms, v in two half steps)");
    println!("{:<30} {:>6} {:>6} {:>7} {:>6} {:>14} {:>12}", "class", "a", "b", "c", "d", "spikes (0.25)", "spikes (1)");
    for p in &CLASSES {
        let q = p.params;
        let (fine, net) = (p.run()?, p.run_net()?);
        println!("{:<30} {:>6} {:>6} {:>7} {:>6} {:>14} {:>12}", p.name, q.a, q.b, q.c, q.d, fine.spikes.len(), net.spikes.len());
    }
    println!("\nwrote output/izhikevich.png, output/izhikevich_traces.csv, output/izhikevich_traces.npy");
    Ok(())
}
