//! The COBA network: Brette et al. (2007), *J Comput Neurosci* 23:349, Benchmark 1 (after
//! Vogels & Abbott 2005): 4000 leaky integrate-and-fire neurons (3200 excitatory, 800
//! inhibitory), each pair connected with probability 0.02, exponentially decaying
//! conductances with reversal potentials, in the form of Brian2's COBA benchmark scripts
//! (the network `benches/compare/network/` runs in Brian2 and NEST).
//!
//! Neuron: the preset `LifCond` (C_m 200 pF, g_L 10 nS, E_L −60 mV, V_th −50 mV, V_reset
//! −60 mV, t_ref 5 ms, E_e 0 mV, E_i −80 mV, τ_e 5 ms, τ_i 10 ms) with a constant drive of
//! 20 mV·g_L = 200 pA; weights w_e = 0.6·g_L = 6 nS, w_i = 6.7·g_L = 67 nS; V ~ N(−55, 5²) mV,
//! g_e = g_i = 0 at the start; forward Euler at 0.1 ms, as Brian2's scripts integrate it.
//!
//! Run with `cargo run --release --example coba [seed]`; prints the rates and writes
//! `output/coba.png` and `output/coba_spikes.csv`.

use std::time::Instant;

use spyks::integrate::Euler;
use spyks::network::{Network, Population, Projection, Rule, Target, Values};
use spyks::plot::{Figure, Panel};
use spyks::presets::integrate_and_fire::LifCond;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seed: u64 = std::env::args().nth(1).map(|s| s.parse()).transpose()?.unwrap_or(1);
    let (n_e, n) = (3200, 4000);
    let duration = 1000.0;
    let g_l = 10.0; // nS
    let start = Instant::now();
    let mut net = Network::new(0.1, seed)?.progress(true);
    let p = net.add_population(Population::new("COBA", n, LifCond::new(), |_| Euler::new()))?;
    net.init_state(p, "V", Values::normal(-55.0, 5.0))?;
    net.set_input(p, "I", Values::Const(20.0 * g_l))?;
    net.connect(Projection::new(p.slice(0..n_e), p, Rule::FixedProbability(0.02), Target::state("g_e")).weight(0.6 * g_l))?;
    net.connect(Projection::new(p.slice(n_e..n), p, Rule::FixedProbability(0.02), Target::state("g_i")).weight(6.7 * g_l))?;
    let spikes = net.record_spikes(p, None)?;
    let rate = net.record_rate(p, 1.0)?;
    let build = start.elapsed();
    let start = Instant::now();
    net.run(duration)?;
    let sim = start.elapsed();
    let sm = net.spikes(spikes)?;
    println!("COBA (Brette et al. 2007, benchmark 1), seed {seed}: {n} neurons, {} synapses", net.synapse_count());
    println!("build {:.3} s, simulation of {duration} ms {:.3} s", build.as_secs_f64(), sim.as_secs_f64());
    println!(
        "mean rates: excitatory {:.2} Hz, inhibitory {:.2} Hz, all {:.2} Hz ({} spikes)",
        sm.mean_rate(0..n_e, duration)?,
        sm.mean_rate(n_e..n, duration)?,
        sm.mean_rate(0..n, duration)?,
        sm.len()
    );
    std::fs::create_dir_all("output")?;
    sm.write_csv("output/coba_spikes.csv")?;
    let trains = sm.trains();
    let r = net.rates(rate)?;
    Figure::new(1)
        .title("COBA: 4000 LIF neurons, exponential conductance synapses (Brette et al. 2007, benchmark 1)")
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
        .save_png("output/coba.png")?;
    println!("wrote output/coba.png, output/coba_spikes.csv");
    Ok(())
}
