//! Inputs of networks: Poisson sources against the binomial/geometric statistics of a
//! Bernoulli process with p = 1 − exp(−r·dt), current schedules against the closed-form
//! response of a passive membrane, noise currents against their prescribed moments.

use spyks::integrate::{Euler, Rk4};
use spyks::network::{CurrentSchedule, Network, NoiseCurrent, PoissonSource, Population, Projection, Rule, SpikeTimes, Target};
use spyks::presets::integrate_and_fire::Lif;

spyks::neuron_model! {
    /// A probe that integrates its input: with forward Euler, q(t + h) − q(t) = h·I exactly.
    pub model Integrator;
    parameters { k: 1 1/ms }
    state { q: 0 }
    inputs { I: 0 }
    equations { dq/dt = k * I }
}

/// (spike times per train) of a Poisson source run for `t_end` ms.
fn poisson_trains(source: PoissonSource, dt: f64, seed: u64, t_end: f64) -> Vec<Vec<f64>> {
    let mut net = Network::new(dt, seed).unwrap();
    let s = net.add_source(source).unwrap();
    let m = net.record_spikes(s, None).unwrap();
    net.run(t_end).unwrap();
    net.spikes(m).unwrap().trains()
}

#[test]
fn poisson_counts_and_intervals_follow_the_bernoulli_process() {
    let (n, r, dt, t_end) = (100, 20.0, 0.5, 20_000.0);
    let trains = poisson_trains(PoissonSource::new("p", n, r), dt, 3, t_end);
    let steps = t_end / dt;
    let p = 1.0 - (-r * dt * 1e-3f64).exp();
    // Counts: binomial with n·steps trials.
    let count: usize = trains.iter().map(|t| t.len()).sum();
    let (mean, sd) = (n as f64 * steps * p, (n as f64 * steps * p * (1.0 - p)).sqrt());
    assert!((count as f64 - mean).abs() < 4.0 * sd, "count {count}, expected {mean:.0} ± {sd:.0}");
    // Intervals: geometric in steps (the exponential on the grid), mean dt/p, CV √(1 − p).
    let isi: Vec<f64> = trains.iter().flat_map(|t| t.windows(2).map(|w| ((w[1] - w[0]) / dt).round())).collect();
    let m = isi.iter().sum::<f64>() / isi.len() as f64;
    let v = isi.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (isi.len() - 1) as f64;
    let cv = v.sqrt() / m;
    let se = (1.0 - p).sqrt() / p / (isi.len() as f64).sqrt();
    assert!((m - 1.0 / p).abs() < 4.0 * se, "mean ISI {m} steps, expected {}", 1.0 / p);
    assert!((cv - (1.0 - p).sqrt()).abs() < 0.03, "CV {cv}");
    // Kolmogorov-Smirnov distance to the geometric CDF 1 − (1 − p)^k (conservative for a
    // discrete law): below the 1 % critical value 1.63/√n.
    let mut sorted = isi.clone();
    sorted.sort_by(f64::total_cmp);
    let len = sorted.len() as f64;
    let mut d: f64 = 0.0;
    let mut i = 0;
    for k in 1..=(sorted[sorted.len() - 1] as usize) {
        while i < sorted.len() && sorted[i] <= k as f64 {
            i += 1;
        }
        d = d.max((i as f64 / len - (1.0 - (1.0 - p).powi(k as i32))).abs());
    }
    assert!(d * len.sqrt() < 1.63, "KS statistic {}", d * len.sqrt());
}

#[test]
fn poisson_time_varying_rate_follows_the_function() {
    let rate = |t: f64| 20.0 * (1.0 + (2.0 * std::f64::consts::PI * t / 200.0).sin());
    let (n, dt, t_end, bin) = (500, 0.1, 2000.0, 20.0);
    let trains = poisson_trains(PoissonSource::varying("sine", n, rate), dt, 5, t_end);
    let bins = (t_end / bin) as usize;
    let mut observed = vec![0.0; bins];
    for t in trains.iter().flatten() {
        observed[(((t - 1e-9) / bin) as usize).min(bins - 1)] += 1.0;
    }
    // Expected: the sum over the steps of the bin of n·p at the step's middle.
    let steps_per_bin = (bin / dt).round() as usize;
    let expected: Vec<f64> = (0..bins)
        .map(|b| {
            (0..steps_per_bin).map(|s| n as f64 * (1.0 - (-rate(((b * steps_per_bin + s) as f64 + 0.5) * dt) * dt * 1e-3).exp())).sum()
        })
        .collect();
    let chi2: f64 = observed.iter().zip(&expected).filter(|(_, e)| **e > 5.0).map(|(o, e)| (o - e).powi(2) / e).sum();
    let dof = expected.iter().filter(|e| **e > 5.0).count() as f64;
    assert!(chi2 < dof + 4.0 * (2.0 * dof).sqrt(), "chi2 {chi2} with {dof} bins");
    // A constant rate with the same mean would not fit.
    let flat: f64 = observed.iter().map(|o| (o - 200.0).powi(2) / 200.0).sum();
    assert!(flat > 10.0 * dof, "a flat rate fits too: {flat}");
}

#[test]
fn poisson_runs_are_reproducible_and_continue_their_stream() {
    let one = poisson_trains(PoissonSource::per_neuron("p", vec![5.0, 50.0, 500.0]), 0.1, 9, 1000.0);
    let mut net = Network::new(0.1, 9).unwrap();
    let s = net.add_source(PoissonSource::per_neuron("p", vec![5.0, 50.0, 500.0])).unwrap();
    let m = net.record_spikes(s, None).unwrap();
    net.run(400.0).unwrap();
    net.run(600.0).unwrap();
    assert_eq!(one, net.spikes(m).unwrap().trains());
    let other = poisson_trains(PoissonSource::per_neuron("p", vec![5.0, 50.0, 500.0]), 0.1, 10, 1000.0);
    assert_ne!(one, other);
    // Per-neuron rates: 500 Hz gives about 500 spikes in 1 s (binomial sd ≈ 22).
    assert!((one[2].len() as f64 - 1e4 * (1.0 - (-0.05f64).exp())).abs() < 100.0, "{}", one[2].len());
    // Bad rates are errors.
    let mut net = Network::new(0.1, 9).unwrap();
    net.add_source(PoissonSource::new("bad", 3, -1.0)).unwrap();
    assert!(net.run(1.0).is_err());
}

/// A Poisson source at one constant rate needs one probability per step, not one per train:
/// 4·10⁹ trains (fewer than the 2^32 - 1 a source may have) allocated and filled 32 GB of
/// equal probabilities before the first step, which aborted the process where that much
/// memory could not be had. The run's preparation (a run of no steps) now allocates nothing
/// per train; the trains' spikes are what they were (the other tests of this file).
#[test]
fn a_constant_rate_source_of_many_trains_prepares_without_memory_per_train() {
    let mut net = Network::new(0.1, 9).unwrap();
    net.add_source(PoissonSource::new("many", 4_000_000_000, 10.0)).unwrap();
    net.run(0.0).unwrap();
    assert_eq!(net.time(), 0.0);
}

/// Errors about a drive's input or synapses onto a source have no value at fault, and say
/// so: they once printed "NaN is invalid".
#[test]
fn errors_without_a_value_print_none() {
    let mut net = Network::new(0.1, 1).unwrap();
    let p = net.add_population(Population::new("lif", 4, Lif::new(), |_| Rk4)).unwrap();
    let s = net.add_source(PoissonSource::new("s", 4, 10.0)).unwrap();
    let e = net.add_drive(p, "foo", CurrentSchedule::new("c")).unwrap_err().to_string();
    assert_eq!(e, "drive `c` of `lif`: `foo` is not an input of the population (inputs: I)");
    let e = net.connect(Projection::new(p, s, Rule::OneToOne, Target::state("V"))).unwrap_err().to_string();
    assert_eq!(e, "spike source `s`: a spike source cannot receive synapses");
}

/// Errors about a spike source call it a spike source, with channels: they once called it
/// a population ("population `p`: 0 is invalid: a population needs at least one neuron").
#[test]
fn spike_sources_are_named_as_sources_in_errors() {
    let mut net = Network::new(0.1, 1).unwrap();
    let e = net.add_source(PoissonSource::new("p", 0, 10.0)).unwrap_err().to_string();
    assert_eq!(e, "spike source `p`: 0 is invalid: a spike source needs at least one channel");
    let e = net.add_source(SpikeTimes::new("s", vec![])).unwrap_err().to_string();
    assert_eq!(e, "spike source `s`: 0 is invalid: a spike source needs at least one channel");
    let e = net.add_population(Population::new("lif", 0, Lif::new(), |_| Rk4)).unwrap_err().to_string();
    assert_eq!(e, "population `lif`: 0 is invalid: a population needs at least one neuron");
    let src = net.add_source(PoissonSource::new("src", 2, 10.0)).unwrap();
    let none = "spike source `src`: `I` is not a variable: a spike source has no state variables, parameters or inputs";
    assert_eq!(net.set_input(src, "I", 1.0.into()).unwrap_err().to_string(), none);
    assert_eq!(net.record_state(src, &["I"], &[0], 0.1).unwrap_err().to_string(), none);
    let e = net.add_drive(src, "I", CurrentSchedule::new("c")).unwrap_err().to_string();
    assert_eq!(e, "drive `c` of `src`: `I` is not an input of the spike source (inputs: none)");
}

#[test]
fn current_schedule_matches_the_passive_membrane() {
    // Lif: τ_m dV/dt = E_L − V + R_m·I, τ_m = 20 ms, R_m = 100 MΩ (0.1 mV/pA), E_L = −60 mV,
    // threshold −50 mV not reached. Two overlapping windows plus a constant bias of 10 pA.
    let (tau, r, e_l) = (20.0, 0.1, -60.0);
    let windows = [(10.0, 60.0, 50.0, vec![0usize, 1]), (30.0, 80.0, 30.0, vec![1, 2])];
    let mut net = Network::new(0.1, 1).unwrap();
    let p = net.add_population(Population::new("lif", 4, Lif::new(), |_| Rk4)).unwrap();
    net.set_input(p, "I", 10.0.into()).unwrap();
    let mut schedule = CurrentSchedule::new("pulses");
    for (a, b, amp, ns) in &windows {
        schedule = schedule.window(*a, *b, *amp, ns.iter().copied());
    }
    net.add_drive(p, "I", schedule).unwrap();
    let m = net.record_state(p, &["V"], &[0, 1, 2, 3], 0.1).unwrap();
    net.run(150.0).unwrap();
    // Superposition of step responses R·A·(1 − e^{−(t − s)/τ}) switched on at s and off at e.
    let step = |t: f64, s: f64| if t > s { 1.0 - (-(t - s) / tau).exp() } else { 0.0 };
    let closed = |i: usize, t: f64| {
        let mut v = e_l + r * 10.0 * step(t, 0.0);
        for (a, b, amp, ns) in &windows {
            if ns.contains(&i) {
                v += r * amp * (step(t, *a) - step(t, *b));
            }
        }
        v
    };
    let rec = net.states(m).unwrap();
    let mut worst: f64 = 0.0;
    for k in 0..4 {
        let v = rec.values("V", k).unwrap();
        for (t, v) in rec.times().iter().zip(v) {
            worst = worst.max((v - closed(k, *t)).abs());
        }
    }
    assert!(worst < 1e-6, "largest deviation {worst} mV");
    // Neuron 1 gets both windows: at 60 ms it is 10 pA + 50 pA + 30 pA into the membrane.
    let v1 = rec.values("V", 1).unwrap();
    assert!((v1[600] - closed(1, 60.0)).abs() < 1e-6 && v1[600] > -53.0 && v1[600] < -52.0);
    // Errors: a neuron outside the population, a window ending before it starts, an unknown input.
    for bad in [CurrentSchedule::new("x").window(0.0, 10.0, 1.0, [4]), CurrentSchedule::new("y").window(10.0, 5.0, 1.0, [0])] {
        let mut net = Network::new(0.1, 1).unwrap();
        let p = net.add_population(Population::new("lif", 4, Lif::new(), |_| Rk4)).unwrap();
        net.add_drive(p, "I", bad).unwrap();
        assert!(net.run(1.0).is_err());
    }
    let mut net = Network::new(0.1, 1).unwrap();
    let p = net.add_population(Population::new("lif", 4, Lif::new(), |_| Rk4)).unwrap();
    let e = net.add_drive(p, "V", CurrentSchedule::new("z")).unwrap_err().to_string();
    assert!(e.contains("not an input") && e.contains("I"), "{e}");
}

/// The currents injected into `n` probes over `steps` steps: out[k][i] for step k, neuron i.
fn injected(noise: NoiseCurrent, n: usize, steps: usize, dt: f64, seed: u64) -> Vec<Vec<f64>> {
    let mut net = Network::new(dt, seed).unwrap();
    let p = net.add_population(Population::new("probe", n, Integrator::new(), |_| Euler::new())).unwrap();
    net.add_drive(p, "I", noise).unwrap();
    let all: Vec<usize> = (0..n).collect();
    let m = net.record_state(p, &["q"], &all, dt).unwrap();
    net.run(steps as f64 * dt).unwrap();
    let rec = net.states(m).unwrap();
    let q: Vec<&[f64]> = (0..n).map(|i| rec.values("q", i).unwrap()).collect();
    (0..steps).map(|k| (0..n).map(|i| (q[i][k + 1] - q[i][k]) / dt).collect()).collect()
}

fn moments(x: impl Iterator<Item = f64>) -> (f64, f64, usize) {
    let v: Vec<f64> = x.collect();
    let m = v.iter().sum::<f64>() / v.len() as f64;
    (m, v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64, v.len())
}

#[test]
fn noise_currents_have_the_prescribed_moments() {
    // net.m: 5·randn for the first neurons, 2·randn for the others, with a mean of 1.
    let (n, steps) = (3000, 100);
    let sd: Vec<f64> = (0..n).map(|i| if i < 2400 { 5.0 } else { 2.0 }).collect();
    let cur = injected(NoiseCurrent::per_step(sd.clone()).mean(1.0), n, steps, 0.5, 2);
    for (range, s) in [(0..2400, 5.0), (2400..n, 2.0)] {
        let (m, v, len) = moments(cur.iter().flat_map(|row| row[range.clone()].iter().copied()));
        assert!((m - 1.0).abs() < 4.0 * s / (len as f64).sqrt(), "mean {m}");
        assert!((v / (s * s) - 1.0).abs() < 4.0 * (2.0 / len as f64).sqrt(), "variance {v}, expected {}", s * s);
    }
    // Fresh every step: no correlation between consecutive steps.
    let lag: f64 =
        (0..steps - 1).flat_map(|k| (0..n).map(move |i| (k, i))).map(|(k, i)| (cur[k][i] - 1.0) * (cur[k + 1][i] - 1.0)).sum::<f64>()
            / ((steps - 1) * n) as f64;
    assert!(lag.abs() / 17.4 < 4.0 / (((steps - 1) * n) as f64).sqrt(), "lag-1 covariance {lag}");
    // White noise: variance σ²/dt.
    let cur = injected(NoiseCurrent::white(2.0), 1000, 100, 0.25, 3);
    let (_, v, len) = moments(cur.iter().flatten().copied());
    assert!((v / 16.0 - 1.0).abs() < 4.0 * (2.0 / len as f64).sqrt(), "white-noise variance {v}, expected 16");
    // Ornstein-Uhlenbeck: stationary variance sd², lag-1 correlation e^{−dt/τ}.
    let (tau, dt) = (5.0, 1.0);
    let cur = injected(NoiseCurrent::ornstein_uhlenbeck(tau, 3.0), 2000, 50, dt, 4);
    let (m, v, len) = moments(cur.iter().flatten().copied());
    // Neighbouring samples are correlated: allow for the effective sample size.
    let n_eff = len as f64 * (1.0 - (-dt / tau).exp()) / (1.0 + (-dt / tau).exp());
    assert!(m.abs() < 4.0 * 3.0 / n_eff.sqrt(), "OU mean {m}");
    assert!((v / 9.0 - 1.0).abs() < 4.0 * (2.0 / n_eff).sqrt(), "OU variance {v}");
    let c: f64 =
        (0..49).flat_map(|k| (0..2000).map(move |i| (k, i))).map(|(k, i)| cur[k][i] * cur[k + 1][i]).sum::<f64>() / (49.0 * 2000.0) / v;
    assert!((c - (-dt / tau).exp()).abs() < 0.02, "lag-1 correlation {c}, expected {}", (-dt / tau).exp());
}

#[test]
fn noise_is_the_same_with_one_and_two_threads() {
    let run = || injected(NoiseCurrent::per_step(1.0), 2500, 20, 0.1, 8);
    let one = spyks::network::with_threads(1, run).unwrap();
    let two = spyks::network::with_threads(2, run).unwrap();
    assert!(one.iter().flatten().zip(two.iter().flatten()).all(|(a, b)| a.to_bits() == b.to_bits()));
    let other = injected(NoiseCurrent::per_step(1.0), 2500, 20, 0.1, 9);
    assert_ne!(one, other);
}

/// Value stability (as rand's tests): the first currents of each kind of noise for a fixed
/// seed, bit for bit, across neurons of two chunks (1024 neurons each, their own streams).
/// A change of the generator, the normal sampler or the order of the draws shows here; the
/// moments test above would not see it.
#[test]
fn noise_values_are_stable_for_a_seed() {
    use spyks::network::Drive;
    let got = |mut noise: NoiseCurrent| {
        let mut input = vec![0.0; 1030];
        noise.prepare(1030, 0.25, 42).unwrap();
        noise.add(0, 0.0, 0.25, &mut input);
        noise.add(1, 0.25, 0.25, &mut input);
        [0, 1, 1023, 1024, 1029].map(|i| input[i].to_bits())
    };
    let per_step = got(NoiseCurrent::per_step(2.0).mean(0.5));
    let ou = got(NoiseCurrent::ornstein_uhlenbeck(5.0, 3.0));
    assert_eq!(per_step, PER_STEP);
    assert_eq!(ou, OU);
}
/// Recorded with the first release of `NoiseCurrent` (seed 42, dt 0.25 ms, two steps).
const PER_STEP: [u64; 5] = [0xc0044e53f1e96f69, 0xc001b161e3faea20, 0x3fd73d2c3f667080, 0x4011859a516879fc, 0x400fcb93f4968d02];
const OU: [u64; 5] = [0xc012e0904632e890, 0xc01450d2ea47d137, 0x4010aa1297fa2768, 0x40256715c1ca36d4, 0x40132e964d790556];
