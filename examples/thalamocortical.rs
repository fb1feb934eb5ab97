//! A thalamocortical loop with STDP, in the spirit of pyN's thalamocortical example: a
//! thalamus-like population of Izhikevich (2003) thalamo-cortical (TC) neurons driven by
//! Poisson "retinal" input, projecting with a 5 ms delay onto a cortex-like population of
//! regular-spiking (RS) neurons, which projects back onto the thalamus with an 8 ms delay.
//! The thalamocortical synapses learn by pair-based STDP (Song, Miller & Abbott 2000:
//! τ± = 20 ms, A₋ = 1.05·A₊, hard bounds [0, w_max]).
//!
//! Run with `cargo run --release --example thalamocortical [seed]`; prints the rates and the
//! distribution of the thalamocortical weights before and after learning, and writes
//! `output/thalamocortical.png` (raster of both populations and the weight histograms).

use spyks::NeuronModel;
use spyks::integrate::Rk4;
use spyks::network::{Bounds, Network, PoissonSource, PopId, Population, ProjId, Projection, Rule, SpikeMonitorId, Stdp, Target, Values};
use spyks::presets::izhikevich::{Izhikevich, RS, TC};

/// Thalamic and cortical population sizes.
pub const N_THAL: usize = 100;
/// Cortical neurons.
pub const N_CTX: usize = 200;
/// The upper bound of the thalamocortical weights (mV/ms of peak current).
pub const W_MAX: f64 = 4.0;
/// The time step (ms).
pub const DT: f64 = 0.1;

/// The built network and the handles the example and its test read.
pub struct Loop {
    /// The network.
    pub net: Network,
    /// Thalamus and cortex.
    pub thalamus: PopId,
    /// Cortex.
    pub cortex: PopId,
    /// The plastic thalamocortical projection.
    pub tc: ProjId,
    /// Spikes of the thalamus and the cortex.
    pub spikes: (SpikeMonitorId, SpikeMonitorId),
}

/// Builds the loop; `a_plus` is the STDP potentiation amplitude (mV/ms), A₋ = 1.05·A₊.
pub fn build(seed: u64, a_plus: f64) -> Result<Loop, spyks::network::NetworkError> {
    let mut net = Network::new(DT, seed)?;
    let retina = net.add_source(PoissonSource::new("retina", N_THAL, 30.0))?;
    let thalamus = net.add_population(Population::new("thalamus", N_THAL, Izhikevich::with_params(TC), |_| Rk4))?;
    let cortex = net.add_population(Population::new("cortex", N_CTX, Izhikevich::with_params(RS), |_| Rk4))?;
    net.init_state(thalamus, "v", Values::uniform(-70.0, -60.0))?;
    net.init_state(cortex, "v", Values::uniform(-70.0, -60.0))?;
    net.init_state(thalamus, "u", (-65.0 * TC.b).into())?;
    net.init_state(cortex, "u", (-65.0 * RS.b).into())?;
    // Currents (mV/ms) decaying with 5 ms; a single retinal spike makes a TC neuron fire.
    let syn = Target::exp_current("I", 5.0);
    net.connect(Projection::new(retina, thalamus, Rule::OneToOne, syn.clone()).weight(5.0))?;
    let tc = net.connect(
        Projection::new(thalamus, cortex, Rule::FixedProbability(0.2), syn.clone())
            .weight(Values::uniform(0.3 * W_MAX, 0.7 * W_MAX))
            .delay(5.0),
    )?;
    net.connect(Projection::new(cortex, thalamus, Rule::FixedProbability(0.1), syn).weight(0.5).delay(8.0))?;
    let stdp = Stdp::new(20.0, 20.0, a_plus, 1.05 * a_plus).bounds(0.0, W_MAX, Bounds::Hard);
    net.set_plasticity(tc, stdp)?;
    let spikes = (net.record_spikes(thalamus, None)?, net.record_spikes(cortex, None)?);
    Ok(Loop { net, thalamus, cortex, tc, spikes })
}

/// Mean, standard deviation, minimum and maximum.
pub fn describe(w: &[f64]) -> (f64, f64, f64, f64) {
    let n = w.len() as f64;
    let m = w.iter().sum::<f64>() / n;
    let sd = (w.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    (m, sd, w.iter().copied().fold(f64::INFINITY, f64::min), w.iter().copied().fold(f64::NEG_INFINITY, f64::max))
}

#[allow(dead_code)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    use spyks::plot::{Figure, Panel};
    let seed: u64 = std::env::args().nth(1).map(|s| s.parse()).transpose()?.unwrap_or(1);
    let duration = 5000.0;
    let mut l = build(seed, 0.02 * W_MAX)?;
    let before = l.net.projection(l.tc)?.weights().to_vec();
    let start = std::time::Instant::now();
    l.net.run(duration)?;
    let elapsed = start.elapsed().as_secs_f64();
    let after = l.net.projection(l.tc)?.weights().to_vec();
    let (st, sc) = (l.net.spikes(l.spikes.0)?, l.net.spikes(l.spikes.1)?);
    println!("thalamocortical loop, seed {seed}: {} synapses, {duration} ms in {elapsed:.2} s", l.net.synapse_count());
    println!("rates: thalamus {:.2} Hz, cortex {:.2} Hz", st.mean_rate(0..N_THAL, duration)?, sc.mean_rate(0..N_CTX, duration)?);
    for (name, w) in [("before", &before), ("after", &after)] {
        let (m, sd, lo, hi) = describe(w);
        let at_max = w.iter().filter(|&&x| x >= W_MAX).count();
        let at_min = w.iter().filter(|&&x| x <= 0.0).count();
        println!(
            "thalamocortical weights {name}: mean {m:.3}, sd {sd:.3}, min {lo:.3}, max {hi:.3} (w_max {W_MAX}); at 0: {at_min}, at w_max: {at_max} of {}",
            w.len()
        );
    }
    let histogram = |w: &[f64]| -> (Vec<f64>, Vec<f64>) {
        let bins = 40;
        let mut c = vec![0.0; bins];
        for &x in w {
            c[((x / W_MAX * bins as f64) as usize).min(bins - 1)] += 1.0;
        }
        ((0..bins).map(|k| (k as f64 + 0.5) * W_MAX / bins as f64).collect(), c)
    };
    let (x0, c0) = histogram(&before);
    let (x1, c1) = histogram(&after);
    let show = 1000.0;
    let mut trains = st.trains();
    trains.extend(sc.trains());
    let trains: Vec<Vec<f64>> = trains.into_iter().map(|t| t.into_iter().filter(|&s| s > duration - show).collect()).collect();
    std::fs::create_dir_all("output")?;
    Figure::new(2)
        .title(&format!("Thalamocortical loop with STDP (seed {seed})"))
        .panel_size(640, 400)
        .panel(
            Panel::new(&format!("last {show} ms: thalamus 0-{}, cortex {}-{}", N_THAL - 1, N_THAL, N_THAL + N_CTX - 1))
                .x_label("time (ms)")
                .y_label("neuron")
                .x_range(duration - show, duration)
                .raster(&trains),
        )
        .panel(
            Panel::new("thalamocortical weights")
                .x_label("weight (mV/ms)")
                .y_label("synapses")
                .x_range(0.0, W_MAX)
                .line(&x0, &c0, "before")
                .line(&x1, &c1, "after STDP"),
        )
        .save_png("output/thalamocortical.png")?;
    println!("wrote output/thalamocortical.png");
    Ok(())
}
