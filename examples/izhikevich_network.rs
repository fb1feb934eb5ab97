//! The network of Izhikevich (2003), "Simple model of spiking neurons", IEEE Trans. Neural
//! Netw. 14:1569, Fig. 3 and its script `net.m`: 800 excitatory and 200 inhibitory neurons of
//! the simple model, connected all to all (self-connections included, as the full matrix S
//! of `net.m`), driven by a random thalamic input drawn afresh each millisecond.
//!
//! Transcription of `net.m`:
//! - r uniform on [0, 1) per neuron; excitatory a = 0.02, b = 0.2, c = −65 + 15r², d = 8 − 6r²;
//!   inhibitory a = 0.02 + 0.08r, b = 0.25 − 0.05r, c = −65, d = 2; v = −65, u = b·v.
//! - S = [0.5·rand(N, Ne), −rand(N, Ni)]: weights U(0, 0.5) from excitatory, U(−1, 0) from
//!   inhibitory neurons, added to the input I (mV/ms) of the step.
//! - I = [5·randn(Ne, 1); 2·randn(Ni, 1)] each step: [`NoiseCurrent::per_step`].
//! - v in two half steps of 0.5 ms, then u, dt = 1 ms: the preset's [`NetScheme`].
//! - Timing: `net.m` finds the neurons with v ≥ 30 at the start of step t (after the update
//!   of step t − 1), resets them and adds their column of S to the I of step t. Here the
//!   threshold and reset close step t − 1 and a delay of 0 delivers the spike before step t,
//!   the same order. The synapses are current synapses with τ = 10⁻⁶ ms: the weight enters
//!   the input at the start of the next step (which is all that `NetScheme` reads) and has
//!   decayed to 0 one step later, i.e. it lasts exactly the step, as `I` in `net.m`.
//!
//! Run with `cargo run --release --example izhikevich_network [seed]`; prints the rates and
//! the dominant rhythm, writes `output/izhikevich_network.png` (the raster of Fig. 3).

use spyks::network::seed::{Purpose, splitmix64, stream_seed};
use spyks::network::{Network, NoiseCurrent, PopId, Population, Projection, Rule, SpikeMonitorId, Target, Values};
use spyks::presets::izhikevich::{Izhikevich, NetScheme};

/// Excitatory and total neuron counts of `net.m`.
pub const NE: usize = 800;
/// All neurons.
pub const N: usize = 1000;

/// One uniform draw on [0, 1) per neuron from the network seed (counter-based SplitMix64).
fn uniforms(seed: u64, n: usize) -> Vec<f64> {
    let base = stream_seed(seed, Purpose::User, 0, 0);
    (0..n as u64).map(|i| (splitmix64(base.wrapping_add(i)) >> 11) as f64 / (1u64 << 53) as f64).collect()
}

/// Builds the network of `net.m` with the given seed; returns it with the population and a
/// spike monitor of every neuron.
pub fn build(seed: u64) -> Result<(Network, PopId, SpikeMonitorId), spyks::network::NetworkError> {
    let mut net = Network::new(1.0, seed)?;
    let p = net.add_population(Population::new("cortex", N, Izhikevich::new(), |_| NetScheme { dt: 1.0 }))?;
    let r = uniforms(seed, N);
    let exc = |i: usize| i < NE;
    let a: Vec<f64> = (0..N).map(|i| if exc(i) { 0.02 } else { 0.02 + 0.08 * r[i] }).collect();
    let b: Vec<f64> = (0..N).map(|i| if exc(i) { 0.2 } else { 0.25 - 0.05 * r[i] }).collect();
    let c: Vec<f64> = (0..N).map(|i| if exc(i) { -65.0 + 15.0 * r[i] * r[i] } else { -65.0 }).collect();
    let d: Vec<f64> = (0..N).map(|i| if exc(i) { 8.0 - 6.0 * r[i] * r[i] } else { 2.0 }).collect();
    let u: Vec<f64> = b.iter().map(|b| -65.0 * b).collect();
    net.set_param(p, "a", a.into())?;
    net.set_param(p, "b", b.into())?;
    net.set_param(p, "c", c.into())?;
    net.set_param(p, "d", d.into())?;
    net.init_state(p, "v", (-65.0).into())?;
    net.init_state(p, "u", u.into())?;
    // A current that lasts exactly one step (see the module documentation).
    let syn = Target::exp_current("I", 1e-6);
    net.connect(Projection::new(p.slice(0..NE), p, Rule::AllToAll, syn.clone()).weight(Values::uniform(0.0, 0.5)))?;
    net.connect(Projection::new(p.slice(NE..N), p, Rule::AllToAll, syn).weight(Values::uniform(-1.0, 0.0)))?;
    let sd: Vec<f64> = (0..N).map(|i| if exc(i) { 5.0 } else { 2.0 }).collect();
    net.add_drive(p, "I", NoiseCurrent::per_step(sd).named("thalamic input"))?;
    let spikes = net.record_spikes(p, None)?;
    Ok((net, p, spikes))
}

/// The population rate (Hz) in 1 ms bins of a run of `duration` ms.
pub fn population_rate(times: &[f64], duration: f64) -> Vec<f64> {
    let bins = duration as usize;
    let mut r = vec![0.0; bins];
    for &t in times {
        // A spike at the end of step k (time k + 1) belongs to bin k.
        let k = ((t - 1e-9).floor().max(0.0) as usize).min(bins - 1);
        r[k] += 1000.0 / N as f64;
    }
    r
}

/// The periodogram of `x` (sampled every 1 ms) at 1, 2, ... Hz up to `f_max`, by a direct
/// discrete Fourier transform of the mean-removed series: (frequency, power).
pub fn spectrum(x: &[f64], f_max: usize) -> Vec<(f64, f64)> {
    let n = x.len();
    let m = x.iter().sum::<f64>() / n as f64;
    (1..=f_max)
        .map(|f| {
            // Frequency f Hz = f/1000 cycles per sample; a whole number of cycles in 1000 ms.
            let w = 2.0 * std::f64::consts::PI * f as f64 / 1000.0;
            let (mut re, mut im) = (0.0, 0.0);
            for (k, v) in x.iter().enumerate() {
                re += (v - m) * (w * k as f64).cos();
                im += (v - m) * (w * k as f64).sin();
            }
            (f as f64, (re * re + im * im) / n as f64)
        })
        .collect()
}

/// The frequency of the largest power between `lo` and `hi` Hz.
pub fn peak(spec: &[(f64, f64)], lo: f64, hi: f64) -> f64 {
    spec.iter().filter(|(f, _)| *f >= lo && *f <= hi).fold((0.0, -1.0), |a, &(f, p)| if p > a.1 { (f, p) } else { a }).0
}

#[allow(dead_code)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    use spyks::plot::{Figure, Panel};
    let seed: u64 = std::env::args().nth(1).map(|s| s.parse()).transpose()?.unwrap_or(1);
    let duration = 1000.0;
    let start = std::time::Instant::now();
    let (mut net, _, spikes) = build(seed)?;
    net.run(duration)?;
    let elapsed = start.elapsed().as_secs_f64();
    let sm = net.spikes(spikes)?;
    println!("Izhikevich (2003) network, seed {seed}: {N} neurons, {} synapses, {duration} ms in {elapsed:.2} s", net.synapse_count());
    println!(
        "mean rates: excitatory {:.2} Hz, inhibitory {:.2} Hz, all {:.2} Hz (Brian2, 10 seeds: 7.53 ± 0.13 Hz)",
        sm.mean_rate(0..NE, duration)?,
        sm.mean_rate(NE..N, duration)?,
        sm.mean_rate(0..N, duration)?
    );
    let rate = population_rate(sm.times(), duration);
    let spec = spectrum(&rate, 100);
    println!("dominant rhythm of the population rate (4-100 Hz): {} Hz", peak(&spec, 4.0, 100.0));
    std::fs::create_dir_all("output")?;
    let t: Vec<f64> = (0..rate.len()).map(|k| k as f64 + 0.5).collect();
    let (f, pw): (Vec<f64>, Vec<f64>) = spec.iter().copied().unzip();
    Figure::new(2)
        .title(&format!("Izhikevich (2003), Fig. 3: 800 excitatory + 200 inhibitory neurons, seed {seed}"))
        .panel_size(700, 420)
        .panel(
            Panel::new("spike raster (excitatory 0-799, inhibitory 800-999)")
                .x_label("time (ms)")
                .y_label("neuron")
                .x_range(0.0, duration)
                .raster(&sm.trains()),
        )
        .panel(
            Panel::new("population rate (1 ms bins)").x_label("time (ms)").y_label("rate (Hz)").x_range(0.0, duration).line(&t, &rate, ""),
        )
        .panel(Panel::new("power spectrum of the population rate").x_label("frequency (Hz)").y_label("power").line(&f, &pw, ""))
        .save_png("output/izhikevich_network.png")?;
    println!("wrote output/izhikevich_network.png");
    Ok(())
}
