//! The CUBA network: Brette et al. (2007), *J Comput Neurosci* 23:349, Benchmark 2, as
//! written in Brian2's `examples/CUBA.py`: 4000 leaky integrate-and-fire neurons (3200
//! excitatory, 800 inhibitory), each pair connected with probability 0.02, exponential
//! current synapses written as jumps in the decaying variables `ge` and `gi` (in mV), no
//! external input: the activity is self-sustained from random initial potentials.
//!
//! Run with `cargo run --release --example cuba [seed]`; prints the rates and writes
//! `output/cuba.png` (raster and population rate) and `output/cuba_spikes.csv`.

use std::time::Instant;

use spyks::integrate::Linear;
use spyks::network::{Network, Population, Projection, Rule, Target, Values};
use spyks::plot::{Figure, Panel};
use spyks::presets::integrate_and_fire::LifCuba as Cuba;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seed: u64 = std::env::args().nth(1).map(|s| s.parse()).transpose()?.unwrap_or(1);
    let (n_e, n) = (3200, 4000);
    let duration = 1000.0;
    let start = Instant::now();
    let mut net = Network::new(0.1, seed)?.progress(true);
    let p = net.add_population(Population::new("CUBA", n, Cuba::new(), |_| Linear::new()))?; // exact, as Brian2's `linear`
    // Brian2: P.v = 'Vr + rand() * (Vt - Vr)'.
    net.init_state(p, "v", Values::uniform(-60.0, -50.0))?;
    let we = 60.0 * 0.27 / 10.0; // mV
    let wi = -20.0 * 4.5 / 10.0; // mV
    net.connect(Projection::new(p.slice(0..n_e), p, Rule::FixedProbability(0.02), Target::state("ge")).weight(we))?;
    net.connect(Projection::new(p.slice(n_e..n), p, Rule::FixedProbability(0.02), Target::state("gi")).weight(wi))?;
    let spikes = net.record_spikes(p, None)?;
    let rate = net.record_rate(p, 1.0)?;
    let build = start.elapsed();
    let start = Instant::now();
    net.run(duration)?;
    let sim = start.elapsed();
    let sm = net.spikes(spikes)?;
    println!("CUBA (Brette et al. 2007, benchmark 2), seed {seed}: {n} neurons, {} synapses", net.synapse_count());
    println!("build {:.3} s, simulation of {duration} ms {:.3} s", build.as_secs_f64(), sim.as_secs_f64());
    println!(
        "mean rates: excitatory {:.2} Hz, inhibitory {:.2} Hz, all {:.2} Hz ({} spikes)",
        sm.mean_rate(0..n_e, duration)?,
        sm.mean_rate(n_e..n, duration)?,
        sm.mean_rate(0..n, duration)?,
        sm.len()
    );
    std::fs::create_dir_all("output")?;
    sm.write_csv("output/cuba_spikes.csv")?;
    let trains = sm.trains();
    let r = net.rates(rate)?;
    Figure::new(1)
        .title("CUBA: 4000 LIF neurons, exponential current synapses (Brette et al. 2007, benchmark 2)")
        .panel_size(900, 380)
        .panel(
            Panel::new("spikes of neurons 0-399 (excitatory 0-319)")
                .x_label("t (ms)")
                .y_label("neuron")
                .x_range(0.0, duration)
                .raster(&trains[..400]),
        )
        .panel(Panel::new("population rate, 1 ms bins").x_label("t (ms)").y_label("rate (Hz)").x_range(0.0, duration).line(
            &r.times(),
            &r.rates(),
            "",
        ))
        .save_png("output/cuba.png")?;
    println!("wrote output/cuba.png, output/cuba_spikes.csv");
    Ok(())
}
