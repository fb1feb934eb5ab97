//! Delays and synapse kinds against closed forms: a spike source drives test neurons whose
//! response to one input is known exactly.

use spyks::integrate::Rk4;
use spyks::network::{Delays, Network, Population, Projection, Rule, SpikeTimes, Target, Values};

spyks::neuron_model! {
    /// An integrator: dq/dt = I, with a fixed potential v (for conductance inputs).
    pub model Integrator;
    state { q: 0 mV, v: -60 mV }
    inputs { I: 0 mV/ms }
    equations { dq/dt = I, dv/dt = 0 mV/ms }
}

spyks::neuron_model! {
    /// A passive membrane: τ_m dv/dt = −v + I (I in mV).
    pub model Passive;
    parameters { tau_m: 10 ms }
    state { v: 0 mV }
    inputs { I: 0 mV }
    equations { dv/dt = (I - v) / tau_m }
}

const DT: f64 = 1.0 / 64.0;

/// The error bound of the input's linear interpolation within a step (the trapezoidal rule):
/// |∫ error| ≤ t·h²/12·max|I''| over a time t.
fn trapezoid_bound(t: f64, max_second_derivative: f64) -> f64 {
    1.5 * t * DT * DT / 12.0 * max_second_derivative + 1e-12
}

/// One presynaptic spike at `ts` into neuron 0 of a population of `n`, recording `var` every step.
fn run_one<M: spyks::NeuronModel>(
    model: M,
    target: Target,
    w: f64,
    delays: Values,
    n: usize,
    var: &str,
    t_end: f64,
) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut net = Network::new(DT, 1).unwrap();
    let src = net.add_source(SpikeTimes::new("src", vec![vec![1.0]])).unwrap();
    let p = net.add_population(Population::new("post", n, model, |_| Rk4)).unwrap();
    net.connect(Projection::new(src, p, Rule::AllToAll, target).weight(w).delay(delays)).unwrap();
    let neurons: Vec<usize> = (0..n).collect();
    let m = net.record_state(p, &[var], &neurons, DT).unwrap();
    net.run(t_end).unwrap();
    let st = net.states(m).unwrap();
    (st.times().to_vec(), (0..n).map(|k| st.values(var, k).unwrap().to_vec()).collect())
}

#[test]
fn a_spike_arrives_after_its_delay_and_spread_delays_each_at_their_step() {
    // Delays 0, 0.5, 1 and 2.25 ms to four integrator neurons (a jump in q).
    let delays = vec![0.0, 0.5, 1.0, 2.25];
    let (t, q) = run_one(Integrator::new(), Target::state("q"), 1.0, Values::Array(delays.clone()), 4, "q", 5.0);
    for (k, d) in delays.iter().enumerate() {
        // The spike ends the step at 1 ms and acts at 1 ms + d: q jumps there (the sample at
        // 1 + d sees it), the sample before still has q = 0.
        let at = t.iter().position(|&s| s == 1.0 + d).unwrap();
        assert_eq!(q[k][at - 1], 0.0, "delay {d}");
        assert_eq!(q[k][at], 1.0, "delay {d}");
        assert!(q[k][..at].iter().all(|&x| x == 0.0) && q[k][at..].iter().all(|&x| x == 1.0));
    }
}

#[test]
fn spikes_just_after_zero_end_the_first_step() {
    // Times in (0, 1e-9 steps] are the end of the first step, within the grid's tolerance.
    // Their step number once wrapped below zero: an overflow panic in a debug build, a spike
    // that never came in a release build.
    let mut net = Network::new(DT, 1).unwrap();
    let times = vec![vec![5e-324], vec![1e-300], vec![0.5e-9 * DT], vec![DT], vec![2.0 * DT]];
    let src = net.add_source(SpikeTimes::new("src", times)).unwrap();
    let p = net.add_population(Population::new("post", 1, Integrator::new(), |_| Rk4)).unwrap();
    let w = Values::Array(vec![1.0, 2.0, 4.0, 8.0, 16.0]);
    net.connect(Projection::new(src, p, Rule::AllToAll, Target::state("q")).weight(w)).unwrap();
    let m = net.record_state(p, &["q"], &[0], DT).unwrap();
    net.run(3.0 * DT).unwrap();
    let st = net.states(m).unwrap();
    let expected: Vec<f64> = st
        .times()
        .iter()
        .map(|&t| {
            if t >= 2.0 * DT {
                31.0
            } else if t >= DT {
                15.0
            } else {
                0.0
            }
        })
        .collect();
    assert_eq!(st.values("q", 0).unwrap(), &expected[..], "at {:?}", st.times());
    assert_eq!(st.times().len(), 4);
}

/// Three source channels firing at given times into three integrator neurons (a jump in q,
/// weights that add exactly), recorded every step; with `buffered`, a silent delayed
/// projection onto the same target makes the network buffer every arrival.
fn jumps_into_integrators(buffered: bool) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut net = Network::new(DT, 1).unwrap();
    let times = vec![vec![1.0, 2.5, 2.5 + DT], vec![2.5, 4.0], vec![0.5]];
    let src = net.add_source(SpikeTimes::new("src", times)).unwrap();
    let silent = net.add_source(SpikeTimes::new("silent", vec![vec![]])).unwrap();
    let p = net.add_population(Population::new("post", 3, Integrator::new(), |_| Rk4)).unwrap();
    let w = Values::Array(vec![1.0, 0.5, 0.25, 2.0, 4.0, 8.0, 0.125, 16.0, 32.0]);
    net.connect(Projection::new(src, p, Rule::AllToAll, Target::state("q")).weight(w)).unwrap();
    if buffered {
        net.connect(Projection::new(silent, p, Rule::AllToAll, Target::state("q")).weight(1.0).delay(1.0)).unwrap();
    }
    let m = net.record_state(p, &["q"], &[0, 1, 2], DT).unwrap();
    net.run(5.0).unwrap();
    let st = net.states(m).unwrap();
    (st.times().to_vec(), (0..3).map(|k| st.values("q", k).unwrap().to_vec()).collect())
}

#[test]
fn undelayed_jumps_go_straight_into_the_state_as_through_the_buffer() {
    // Weights w[channel][neuron] (row-major); q_j(t) = Σ over spikes at or before t of
    // w[channel][j], exactly (the sums are exact in binary).
    let w = [[1.0, 0.5, 0.25], [2.0, 4.0, 8.0], [0.125, 16.0, 32.0]];
    let times: [&[f64]; 3] = [&[1.0, 2.5, 2.5 + DT], &[2.5, 4.0], &[0.5]];
    let (t, direct) = jumps_into_integrators(false);
    let (t_buffered, buffered) = jumps_into_integrators(true);
    assert_eq!(t, t_buffered);
    for j in 0..3 {
        for (i, &ti) in t.iter().enumerate() {
            let expected: f64 = (0..3).map(|c| times[c].iter().filter(|&&s| s <= ti + 1e-12).count() as f64 * w[c][j]).sum();
            assert_eq!(direct[j][i], expected, "direct, neuron {j}, t {ti}");
            assert_eq!(buffered[j][i].to_bits(), direct[j][i].to_bits(), "buffered, neuron {j}, t {ti}");
        }
    }
}

/// A source spike at `t_spike` through explicit pairs (source 0 to each of `post`, weights
/// 2^k) onto `p.slice(first..n)` of integrator neurons; each neuron's q must be the exact sum
/// of the weights that reach it, and its v (the other variable, in the same chunks) untouched.
fn scattered_jumps(n: usize, first: usize, post: Vec<u32>, t_spike: f64, t_run: f64) {
    let pre = vec![0; post.len()];
    let w: Vec<f64> = (0..post.len()).map(|k| 2f64.powi(k as i32)).collect();
    let mut net = Network::new(DT, 1).unwrap();
    let src = net.add_source(SpikeTimes::new("src", vec![vec![t_spike]])).unwrap();
    let p = net.add_population(Population::new("post", n, Integrator::new(), |_| Rk4)).unwrap();
    let rule = Rule::Explicit { pre, post: post.clone() };
    net.connect(Projection::new(src, p.slice(first..n), rule, Target::state("q")).weight(Values::Array(w.clone()))).unwrap();
    net.run(t_run).unwrap();
    let mut expected = vec![0.0; n];
    for (&tg, &wk) in post.iter().zip(&w) {
        expected[first + tg as usize] += wk;
    }
    for (i, &e) in expected.iter().enumerate() {
        assert_eq!(net.get(p, "q", i).unwrap(), e, "neuron {i} of {n}");
        assert_eq!(net.get(p, "v", i).unwrap(), -60.0, "v of neuron {i} of {n}");
    }
}

#[test]
fn scattered_jumps_reach_their_targets_across_chunks() {
    // Explicit pairs, unsorted, onto a slice of a population that spans three of its chunks of
    // 1024 neurons: targets on both sides of the chunk boundaries, back and forth, and one
    // target twice.
    scattered_jumps(2500, 100, vec![2000, 5, 923, 924, 1947, 1948, 7, 2399, 923, 0, 1948], 1.0, 2.0);
    // The same over a population of 40 chunks, where jumps are delivered one synapse at a time
    // rather than in runs within a chunk: targets on both sides of chunk boundaries, in the
    // first and the last chunk, out of order and repeated.
    let post = vec![0, 1023, 1024, 1025, 5000, 20479, 20480, 39000, 39899, 17, 39899, 30000, 2048, 0];
    scattered_jumps(40_000, 100, post.clone(), 0.25, 0.5);
    // Slices that start a chunk (the whole population, and from its second chunk on): targets
    // on both sides of chunk boundaries counted from a boundary.
    scattered_jumps(2500, 0, vec![2000, 5, 923, 1023, 1024, 2047, 2048, 2499, 7, 1024], 1.0, 2.0);
    let from_second: Vec<u32> = post.iter().map(|&tg| tg.min(38_975)).collect();
    scattered_jumps(40_000, 1024, from_second, 0.25, 0.5);
}

#[test]
fn a_delayed_projection_added_between_runs_buffers_a_direct_target() {
    // Run 1: an undelayed jump (delivered straight into q). Run 2: a projection with a
    // 1 ms delay onto the same target is added; both then arrive, each at its time.
    let mut net = Network::new(DT, 1).unwrap();
    let src = net.add_source(SpikeTimes::new("src", vec![vec![1.0, 3.0]])).unwrap();
    let p = net.add_population(Population::new("post", 1, Integrator::new(), |_| Rk4)).unwrap();
    net.connect(Projection::new(src, p, Rule::AllToAll, Target::state("q")).weight(1.0)).unwrap();
    net.run(2.0).unwrap();
    assert_eq!(net.get(p, "q", 0).unwrap(), 1.0);
    net.connect(Projection::new(src, p, Rule::AllToAll, Target::state("q")).weight(10.0).delay(1.0)).unwrap();
    let m = net.record_state(p, &["q"], &[0], DT).unwrap();
    net.run(3.0).unwrap();
    let st = net.states(m).unwrap();
    let q = st.values("q", 0).unwrap();
    for (i, &t) in st.times().iter().enumerate() {
        // The spike at 3 ms arrives at once (1) and 1 ms later (10).
        let expected = 1.0 + if t >= 3.0 { 1.0 } else { 0.0 } + if t >= 4.0 { 10.0 } else { 0.0 };
        assert_eq!(q[i], expected, "t {t}");
    }
}

#[test]
fn exponential_current_into_an_integrator_and_a_passive_membrane() {
    let (tau, w) = (5.0, 2.0);
    let (t, q) = run_one(Integrator::new(), Target::exp_current("I", tau), w, 0.0.into(), 1, "q", 30.0);
    for (s, &qs) in t.iter().zip(&q[0]) {
        let u = (s - 1.0).max(0.0);
        let exact = w * tau * (1.0 - (-u / tau).exp());
        assert!((qs - exact).abs() <= trapezoid_bound(u, w / (tau * tau)), "t {s}: {qs} vs {exact}");
    }
    // τ_m dv/dt = −v + w e^{−t/τ_s}: v = w τ_s/(τ_s − τ_m) (e^{−t/τ_s} − e^{−t/τ_m}).
    let tau_m = 10.0;
    let (t, v) = run_one(Passive::new(), Target::exp_current("I", tau), w, 0.0.into(), 1, "v", 40.0);
    let mut peak: f64 = 0.0;
    for (s, &vs) in t.iter().zip(&v[0]) {
        let u = (s - 1.0).max(0.0);
        let exact = w * tau / (tau - tau_m) * ((-u / tau).exp() - (-u / tau_m).exp());
        peak = peak.max(exact);
        // The membrane filters the input: its error is at most the integrator's over τ_m.
        assert!((vs - exact).abs() <= trapezoid_bound(u, w / (tau * tau)) / tau_m + 1e-9, "t {s}: {vs} vs {exact}");
    }
    assert!((peak - 0.5).abs() < 1e-3, "{peak}"); // w·τ_s/(τ_m − τ_s)·max(e^{−t/τ_m} − e^{−t/τ_s}) = 2·1/4, at t = 10 ln 2 ms
}

#[test]
fn alpha_current_peaks_at_tau() {
    // dq/dt = w (t/τ) e^{1 − t/τ}: q = w e τ (1 − (1 + t/τ) e^{−t/τ}).
    let (tau, w) = (2.0, 3.0);
    let (t, q) = run_one(Integrator::new(), Target::alpha_current("I", tau), w, 0.0.into(), 1, "q", 20.0);
    for (s, &qs) in t.iter().zip(&q[0]) {
        let u = (s - 1.0).max(0.0);
        let exact = w * std::f64::consts::E * tau * (1.0 - (1.0 + u / tau) * (-u / tau).exp());
        assert!((qs - exact).abs() <= trapezoid_bound(u, 2.0 * w * std::f64::consts::E / (tau * tau)), "t {s}: {qs} vs {exact}");
    }
    // The current (the slope of q) is largest at τ after the arrival, and equals w there.
    let slopes: Vec<f64> = q[0].windows(2).map(|p| (p[1] - p[0]) / DT).collect();
    let (k, max) = slopes.iter().enumerate().fold((0, 0.0), |a, (k, &s)| if s > a.1 { (k, s) } else { a });
    let t_peak = 0.5 * (t[k] + t[k + 1]) - 1.0;
    assert!((t_peak - tau).abs() <= DT, "peak at {t_peak}");
    assert!((max - w).abs() < 1e-3 * w, "{max}");
}

#[test]
fn conductances_drive_with_the_distance_to_the_reversal_potential() {
    // v is fixed at −60 mV: the input is g (E − v) with g = w e^{−t/τ}.
    let (tau, w) = (5.0, 0.5);
    for (e_rev, alpha) in [(0.0, false), (-80.0, false), (0.0, true)] {
        let target = if alpha { Target::alpha_conductance("I", tau, e_rev, "v") } else { Target::exp_conductance("I", tau, e_rev, "v") };
        let (t, q) = run_one(Integrator::new(), target, w, 0.0.into(), 1, "q", 30.0);
        let drive = e_rev + 60.0;
        for (s, &qs) in t.iter().zip(&q[0]) {
            let u = (s - 1.0).max(0.0);
            let g_int = if alpha {
                w * std::f64::consts::E * tau * (1.0 - (1.0 + u / tau) * (-u / tau).exp())
            } else {
                w * tau * (1.0 - (-u / tau).exp())
            };
            let m2 = if alpha { 2.0 * w * std::f64::consts::E / (tau * tau) } else { w / (tau * tau) };
            assert!((qs - drive * g_int).abs() <= drive.abs() * trapezoid_bound(u, m2), "E {e_rev}, t {s}: {qs} vs {}", drive * g_int);
        }
    }
}

#[test]
fn equal_targets_share_a_receptor_and_add() {
    // Two projections onto the same exponential current add like one of double weight.
    let mut net = Network::new(DT, 1).unwrap();
    let src = net.add_source(SpikeTimes::new("src", vec![vec![1.0]])).unwrap();
    let p = net.add_population(Population::new("post", 1, Integrator::new(), |_| Rk4)).unwrap();
    for _ in 0..2 {
        net.connect(Projection::new(src, p, Rule::AllToAll, Target::exp_current("I", 5.0)).weight(1.0)).unwrap();
    }
    net.run(30.0).unwrap();
    let exact = 2.0 * 5.0 * (1.0 - (-29.0f64 / 5.0).exp());
    assert!((net.get(p, "q", 0).unwrap() - exact).abs() <= trapezoid_bound(29.0, 2.0 / 25.0));
}

spyks::neuron_model! {
    /// A membrane with its synaptic current and its driving force as named expressions.
    pub model Observed;
    parameters { tau_m: 10 ms, E_syn: 0 mV }
    state { v: -60 mV }
    inputs { I: 0 mV }
    expressions { I_seen = I, drive = E_syn - v }
    equations { dv/dt = (I - (v + 60 mV)) / tau_m }
}

#[test]
fn recorded_expressions_see_the_synaptic_inputs() {
    // One spike at 1 ms into an exponential current synapse (τ = 5 ms, w = 2 mV): at the end
    // of the k-th step after its arrival the input is w·e^{−k·dt/τ}, and the named expression
    // `I_seen = I` must show it (the model's own input, without synapses, is 0).
    let (tau, w) = (5.0, 2.0);
    let (t, seen) = run_one(Observed::new(), Target::exp_current("I", tau), w, 0.0.into(), 1, "I_seen", 20.0);
    let arrival = t.iter().position(|&s| s > 1.0 + 1e-9).unwrap();
    assert_eq!(seen[0][..arrival].iter().copied().fold(0.0, f64::max), 0.0);
    for (k, (&s, &i)) in t.iter().zip(&seen[0]).enumerate().skip(arrival) {
        let expected = w * (-(s - t[arrival - 1]) / tau).exp();
        assert!((i - expected).abs() < 1e-12, "step {k}, t = {s}: {i} vs {expected}");
    }
    // A conductance synapse: the input is g·(E − v) with the recorded v.
    let mut net = Network::new(DT, 1).unwrap();
    let src = net.add_source(SpikeTimes::new("src", vec![vec![1.0]])).unwrap();
    let p = net.add_population(Population::new("post", 1, Observed::new(), |_| Rk4)).unwrap();
    net.connect(Projection::new(src, p, Rule::AllToAll, Target::exp_conductance("I", tau, 0.0, "v")).weight(0.5)).unwrap();
    let m = net.record_state(p, &["I_seen", "drive", "v"], &[0], DT).unwrap();
    net.run(10.0).unwrap();
    let st = net.states(m).unwrap();
    let (times, i, v) = (st.times(), st.values("I_seen", 0).unwrap(), st.values("v", 0).unwrap());
    let k = times.iter().position(|&s| s > 2.0).unwrap();
    let g = 0.5 * (-(times[k] - times[arrival - 1]) / tau).exp();
    assert!((i[k] - g * (0.0 - v[k])).abs() < 1e-12, "{} vs {}", i[k], g * (0.0 - v[k]));
}

/// q of every neuron of `n` integrators after `spikes` of one source neuron (row 0) and of a
/// second one (row 1) through `rule`, with weights `weight` and delays `delay`, run to 6 ms,
/// and the projection's weights.
fn jumps_with(n: usize, rule: Rule, weight: Values, delay: Values) -> (Vec<f64>, Vec<f64>) {
    let mut net = Network::new(DT, 1).unwrap();
    let src = net.add_source(SpikeTimes::new("src", vec![vec![1.0, 2.0, 2.0 + DT], vec![2.0, 3.5]])).unwrap();
    let p = net.add_population(Population::new("post", n, Integrator::new(), |_| Rk4)).unwrap();
    let proj = net.connect(Projection::new(src, p, rule, Target::state("q")).weight(weight).delay(delay)).unwrap();
    net.run(6.0).unwrap();
    ((0..n).map(|i| net.get(p, "q", i).unwrap()).collect(), net.projection(proj).unwrap().weights().to_vec())
}

/// A constant weight is stored once and delivered on every path as the same weight stored per
/// synapse: undelayed jumps onto consecutive targets, onto scattered targets in a few chunks
/// and in many (where each synapse looks its chunk up), delayed ones through the buffer
/// (consecutive and scattered targets), and delays per synapse. The states are the same bit
/// for bit, and q is the weight times the spikes that reached each neuron; `weights()` gives
/// the weight once per synapse, and changing one through `weights_mut` changes only its
/// synapse.
#[test]
fn a_constant_weight_acts_as_the_same_weight_per_synapse() {
    let w = 0.3;
    // (population size, rule, synapse count, delays)
    let scattered = |n: usize| {
        let post: Vec<u32> = (0..60).map(|k| ((k * 7919 + 13) % n) as u32).collect();
        let pre = (0..60).map(|k| k % 2).collect::<Vec<u32>>();
        Rule::Explicit { pre, post }
    };
    let per_synapse: Vec<f64> = (0..60).map(|k| (k % 5) as f64 * 0.25).collect();
    let cases: Vec<(&str, usize, Rule, usize, Values)> = vec![
        ("all-to-all, undelayed", 2500, Rule::AllToAll, 5000, Values::Const(0.0)),
        ("scattered in 3 chunks, undelayed", 2500, scattered(2500), 60, Values::Const(0.0)),
        ("scattered in 40 chunks, undelayed", 40_000, scattered(40_000), 60, Values::Const(0.0)),
        ("all-to-all, delayed", 2500, Rule::AllToAll, 5000, Values::Const(0.5)),
        ("scattered, delayed", 2500, scattered(2500), 60, Values::Const(0.5)),
        ("scattered, delays per synapse", 2500, scattered(2500), 60, Values::Array(per_synapse)),
    ];
    for (what, n, rule, synapses, delay) in cases {
        let (q_const, w_const) = jumps_with(n, rule.clone(), Values::Const(w), delay.clone());
        let (q_each, w_each) = jumps_with(n, rule.clone(), Values::Array(vec![w; synapses]), delay.clone());
        assert_eq!(w_const, vec![w; synapses], "{what}");
        assert_eq!(w_each, w_const, "{what}");
        let differ = q_const.iter().zip(&q_each).position(|(a, b)| a.to_bits() != b.to_bits());
        assert_eq!(differ, None, "{what}: the first neuron whose q differs");
        // Row 0 fires 3 times, row 1 twice, all before 6 ms less the longest delay.
        let mut expected = vec![0.0; n];
        match &rule {
            Rule::Explicit { pre, post } => {
                for (&r, &tg) in pre.iter().zip(post) {
                    expected[tg as usize] += w * [3.0, 2.0][r as usize];
                }
            }
            _ => expected.iter_mut().for_each(|e| *e = 5.0 * w),
        }
        for (i, (q, e)) in q_const.iter().zip(&expected).enumerate() {
            assert!((q - e).abs() <= 1e-12, "{what}: neuron {i}: {q} against {e}");
        }
        assert!(expected.iter().any(|&e| e > 0.0), "{what}: nothing delivered");
    }

    // One weight changed after the build: only its synapse's target gets it.
    let mut net = Network::new(DT, 1).unwrap();
    let src = net.add_source(SpikeTimes::new("src", vec![vec![1.0]])).unwrap();
    let p = net.add_population(Population::new("post", 4, Integrator::new(), |_| Rk4)).unwrap();
    let proj = net.connect(Projection::new(src, p, Rule::AllToAll, Target::state("q")).weight(w)).unwrap();
    net.weights_mut(proj).unwrap()[2] = 2.0;
    assert_eq!(net.projection(proj).unwrap().weights().to_vec(), vec![w, w, 2.0, w]);
    net.run(2.0).unwrap();
    assert_eq!((0..4).map(|i| net.get(p, "q", i).unwrap()).collect::<Vec<_>>(), vec![w, w, 2.0, w]);
}

/// Two times of one channel in one step are an error naming the source, the channel, the
/// times and the step: the network carries one spike per neuron and step, and the second
/// was once dropped without a word.
#[test]
fn two_spike_times_of_a_channel_in_one_step_are_an_error() {
    let run = |times: Vec<Vec<f64>>| {
        let mut net = Network::new(0.1, 1).unwrap();
        let s = net.add_source(SpikeTimes::new("s", times)).unwrap();
        let m = net.record_spikes(s, None).unwrap();
        net.run(2.0).map(|()| net.spikes(m).unwrap().len())
    };
    // 1.0 ends the step (0.9, 1.0], 1.05 rounds up to the end of the next one.
    assert_eq!(run(vec![vec![0.5], vec![1.0, 1.05]]), Ok(3));
    let e = run(vec![vec![0.5], vec![1.0, 1.05, 1.0]]).unwrap_err().to_string();
    assert_eq!(
        e,
        "spike source `s`, channel 1: 1 is invalid: the times 1 and 1 ms fall in one step of 0.1 ms; \
         the network carries at most one spike per neuron and step"
    );
    let e = run(vec![vec![1.05, 1.01]]).unwrap_err().to_string();
    assert!(e.starts_with("spike source `s`, channel 0: 1.05 is invalid: the times 1.01 and 1.05 ms fall in one step of 0.1 ms"), "{e}");
}

/// Delays round to the nearest whole step, a half up, whatever the division leaves: at
/// dt = 0.1 ms, 0.15 / 0.1 = 1.4999999999999998 once rounded down to 1 step while 0.05 and
/// 0.25 rounded up; now 0.05, 0.15, 0.25 and 0.35 ms are 1, 2, 3 and 4 steps, constant, per
/// synapse or drawn, and the jumps arrive those steps after the spike.
#[test]
fn half_step_delays_round_up() {
    let dt = 0.1;
    let delays = [0.05, 0.15, 0.25, 0.35];
    let mut net = Network::new(dt, 1).unwrap();
    let src = net.add_source(SpikeTimes::new("src", vec![vec![1.0]])).unwrap();
    let p = net.add_population(Population::new("post", 4, Integrator::new(), |_| Rk4)).unwrap();
    let each = net.connect(Projection::new(src, p, Rule::AllToAll, Target::state("q")).delay(Values::Array(delays.to_vec())));
    let delays_of = |net: &mut Network, d: Values| {
        let id = net.connect(Projection::new(src, p.slice(0..1), Rule::AllToAll, Target::state("v")).delay(d)).unwrap();
        net.projection(id).unwrap().delays().clone()
    };
    for (k, &d) in delays.iter().enumerate() {
        assert_eq!(delays_of(&mut net, Values::Const(d)), Delays::Const(k as u16 + 1), "constant {d} ms");
        assert_eq!(delays_of(&mut net, Values::uniform(d, d)), Delays::Const(k as u16 + 1), "drawn {d} ms");
    }
    let each = each.unwrap();
    assert_eq!(net.projection(each).unwrap().delays(), &Delays::PerSynapse(vec![1, 2, 3, 4]));
    let m = net.record_state(p, &["q"], &[0, 1, 2, 3], dt).unwrap();
    net.run(2.0).unwrap();
    // The spike is at 1 ms (sample 10); a delay of n steps puts the jump in sample 10 + n.
    for (k, d) in delays.iter().enumerate() {
        let q = net.states(m).unwrap().values("q", k).unwrap();
        assert_eq!(q.iter().position(|&x| x == 1.0), Some(11 + k), "delay {d} ms");
    }
}

/// A delay buffer too large to hold is an error of the run, not an abort: 6553.5 ms at
/// dt = 0.1 ms (65 535 steps, the most a delay can be) onto 2·10⁶ neurons needs
/// 65 536 × 2·10⁶ values, 1.05·10¹⁵ bytes, more than a process can address (the run
/// aborted the process allocating it).
#[test]
fn a_delay_buffer_too_large_to_hold_is_an_error() {
    let n = 2_000_000;
    let mut net = Network::new(0.1, 1).unwrap();
    let src = net.add_source(SpikeTimes::new("src", vec![vec![0.5]])).unwrap();
    let p = net.add_population(Population::new("big", n, Integrator::new(), |_| Rk4)).unwrap();
    net.connect(Projection::new(src, p.slice(0..1), Rule::AllToAll, Target::state("q")).delay(6553.5)).unwrap();
    let e = net.run(1.0).unwrap_err().to_string();
    assert!(e.contains("population `big`: delay: 6553.5 is invalid: a delay of 65535 steps onto 2000000 neurons"), "{e}");
    assert!(e.ends_with("does not fit in the memory"), "{e}");
}
