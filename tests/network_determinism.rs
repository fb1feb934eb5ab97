//! Reproducibility: a run is determined by its seed, bit for bit, with 1 and 2 threads.

use spyks::integrate::{Euler, Rk4};
use spyks::network::{Network, Population, Projection, Rule, Target, Values};
use spyks::presets::integrate_and_fire::LifCuba as Cuba;

spyks::neuron_model! {
    /// A LIF neuron with a white-noise current (Euler-Maruyama).
    pub model NoisyLif;
    parameters { tau_m: 20 ms, sigma: 3 mV, v_t: -50 mV, v_r: -60 mV, E_l: -55 mV }
    state { v: -60 mV, g: 0 mV }
    equations { dv/dt = (E_l - v + g) / tau_m + sigma * sqrt(2 / tau_m) * xi, dg/dt = -g / 5 ms }
    threshold { v >= v_t }
    reset { v = v_r }
}

/// (times, indices) of both populations after `t_end` ms.
fn run(seed: u64, t_end: f64) -> Vec<(f64, u32)> {
    let mut net = Network::new(0.1, seed).unwrap();
    let p = net.add_population(Population::new("cuba", 2500, Cuba::new(), |_| Rk4)).unwrap();
    let q = net.add_population(Population::new("noisy", 2100, NoisyLif::new(), Euler::with_seed)).unwrap();
    net.init_state(p, "v", Values::uniform(-60.0, -50.0)).unwrap();
    net.set_param(q, "E_l", Values::normal(-52.0, 2.0)).unwrap();
    net.connect(Projection::new(p.slice(0..2000), p, Rule::FixedProbability(0.03), Target::state("ge")).weight(1.62)).unwrap();
    net.connect(Projection::new(p.slice(2000..2500), p, Rule::FixedProbability(0.03), Target::state("gi")).weight(-9.0)).unwrap();
    net.connect(Projection::new(q, p, Rule::FixedInDegree(10), Target::state("ge")).weight(0.5).delay(Values::uniform(0.0, 2.0))).unwrap();
    net.connect(Projection::new(p, q, Rule::FixedOutDegree(5), Target::state("g")).weight(1.0).delay(1.0)).unwrap();
    let a = net.record_spikes(p, None).unwrap();
    let b = net.record_spikes(q, None).unwrap();
    net.run(t_end).unwrap();
    let (a, b) = (net.spikes(a).unwrap(), net.spikes(b).unwrap());
    let mut out: Vec<(f64, u32)> = a.times().iter().copied().zip(a.indices().iter().copied()).collect();
    out.extend(b.times().iter().copied().zip(b.indices().iter().map(|i| i + 100_000)));
    out
}

fn with_threads<T: Send>(k: usize, f: impl FnOnce() -> T + Send) -> T {
    spyks::network::with_threads(k, f).unwrap()
}

#[test]
fn same_seed_same_spikes_with_one_and_two_threads() {
    let one = with_threads(1, || run(11, 60.0));
    let two = with_threads(2, || run(11, 60.0));
    assert!(one.len() > 1000, "{} spikes", one.len());
    assert!(one.iter().zip(&two).all(|(a, b)| a.0.to_bits() == b.0.to_bits() && a.1 == b.1) && one.len() == two.len());
    let again = with_threads(2, || run(11, 60.0));
    assert_eq!(two, again);
    let other = with_threads(2, || run(12, 60.0));
    assert_ne!(two, other);
}
