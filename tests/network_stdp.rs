//! Pair-based STDP against the textbook window (Bi & Poo 1998, in the exponential form of
//! Song, Miller & Abbott 2000): presynaptic spikes from a `SpikeTimes` source, postsynaptic
//! spikes forced at chosen times by a strong input, one independent pair per neuron.

use spyks::integrate::Rk4;
use spyks::network::{Bounds, Network, Pairing, Population, Projection, Rule, SpikeTimes, Stdp, Target};
use spyks::presets::integrate_and_fire::Lif;

const DT: f64 = 0.1;

/// Runs pairs: neuron k gets presynaptic spikes `pre[k]` and postsynaptic spikes at
/// `post[k]` (each forced by a 100 mV jump one step earlier). Returns (initial weights,
/// final weights, measured pre spike times, measured post spike times).
fn pairs(pre: Vec<Vec<f64>>, post: &[Vec<f64>], w0: f64, stdp: Stdp) -> (Vec<f64>, Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let n = pre.len();
    let pre_end = pre.iter().flatten().fold(0.0f64, |a, &b| a.max(b));
    let mut net = Network::new(DT, 1).unwrap();
    let src = net.add_source(SpikeTimes::new("pre", pre)).unwrap();
    let force = net.add_source(SpikeTimes::new("force", post.iter().map(|ts| ts.iter().map(|t| t - DT).collect()).collect())).unwrap();
    let p = net.add_population(Population::new("post", n, Lif::new(), |_| Rk4)).unwrap();
    net.connect(Projection::new(force, p, Rule::OneToOne, Target::state("V")).weight(100.0)).unwrap();
    // The plastic synapses inject a negligible current (w pA ≈ 0.1·w mV at most).
    let plastic = net.connect(Projection::new(src, p, Rule::OneToOne, Target::exp_current("I", 5.0)).weight(w0)).unwrap();
    net.set_plasticity(plastic, stdp).unwrap();
    let ms = net.record_spikes(src, None).unwrap();
    let mp = net.record_spikes(p, None).unwrap();
    let t_end = pre_end.max(post.iter().flatten().fold(0.0f64, |a, &b| a.max(b)));
    net.run(t_end + 50.0).unwrap();
    (net.projection(plastic).unwrap().weights().to_vec(), net.spikes(ms).unwrap().trains(), net.spikes(mp).unwrap().trains())
}

/// Least-squares slope of y against x.
fn slope(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum::<f64>() / x.iter().map(|a| (a - mx).powi(2)).sum::<f64>()
}

#[test]
fn stdp_reproduces_the_exponential_window() {
    // Bi & Poo (1998) fitted by τ₊ = 16.8 ms, τ₋ = 33.7 ms (Bi & Poo 2001, Annu Rev Neurosci).
    let (tau_p, tau_m, a_p, a_m, w0) = (16.8, 33.7, 0.01, 0.0075, 0.5);
    let lags: Vec<f64> = (-50..=50).map(|k| 2.0 * k as f64).collect();
    let t0 = 150.0;
    let pre: Vec<Vec<f64>> = lags.iter().map(|_| vec![t0]).collect();
    let post: Vec<Vec<f64>> = lags.iter().map(|d| vec![t0 + d]).collect();
    let (w, pre_sp, post_sp) = pairs(pre, &post, w0, Stdp::new(tau_p, tau_m, a_p, a_m).bounds(0.0, 1.0, Bounds::Hard));
    let (mut xp, mut yp, mut xm, mut ym) = (vec![], vec![], vec![], vec![]);
    for k in 0..lags.len() {
        assert_eq!((pre_sp[k].len(), post_sp[k].len()), (1, 1), "pair {k}: one spike each");
        let d = post_sp[k][0] - pre_sp[k][0];
        assert!((d - lags[k]).abs() < 1e-9, "pair {k}: measured lag {d}");
        let expected = if d >= -1e-9 { a_p * (-d.max(0.0) / tau_p).exp() } else { -a_m * (d / tau_m).exp() };
        let dw = w[k] - w0;
        assert!((dw - expected).abs() < 1e-12, "Δt = {d}: Δw = {dw}, expected {expected}");
        if d > 0.5 {
            xp.push(d);
            yp.push((dw / a_p).ln());
        } else if d < -0.5 {
            xm.push(d);
            ym.push((-dw / a_m).ln());
        }
    }
    // The time constants fitted from the measured window.
    let (fit_p, fit_m) = (-1.0 / slope(&xp, &yp), 1.0 / slope(&xm, &ym));
    println!("fitted τ₊ = {fit_p} ms, τ₋ = {fit_m} ms");
    assert!((fit_p / tau_p - 1.0).abs() < 0.01, "fitted τ₊ {fit_p}");
    assert!((fit_m / tau_m - 1.0).abs() < 0.01, "fitted τ₋ {fit_m}");
    // Potentiation before, depression after, largest near 0.
    assert!((w[50] - w0 - a_p).abs() < 1e-15 && w[51] > w0 && w[49] < w0);
}

#[test]
fn hard_bounds_clip_and_soft_bounds_scale() {
    let tau = 20.0;
    // Ten pre→post pairs 5 ms apart, 20 ms between pairs; A₊ = 0.3 drives w to w_max = 1.
    let pre = vec![(0..10).map(|k| 50.0 + 20.0 * k as f64).collect::<Vec<_>>()];
    let post = vec![(0..10).map(|k| 55.0 + 20.0 * k as f64).collect::<Vec<_>>()];
    let (w, _, _) = pairs(pre.clone(), &post, 0.6, Stdp::new(tau, tau, 0.3, 0.0).bounds(0.0, 1.0, Bounds::Hard));
    assert_eq!(w[0], 1.0);
    // Post→pre pairs drive it to w_min = 0.
    let (w, _, _) = pairs(post.clone(), &pre, 0.6, Stdp::new(tau, tau, 0.0, 0.3).bounds(0.0, 1.0, Bounds::Hard));
    assert_eq!(w[0], 0.0);
    // Soft bounds: one pair at +5 ms changes w by A₊·e^{−5/τ}·(w_max − w); pairs 100 ms
    // apart (traces negligible: e^{−95/20} < 0.01 contributes below 1e-4 relative) give the
    // geometric approach w_max − (w_max − w0)·(1 − A₊e^{−5/τ})^n, never reaching w_max.
    let (w, _, _) = pairs(vec![vec![50.0]], &[vec![55.0]], 0.2, Stdp::new(tau, tau, 0.5, 0.5).bounds(0.0, 1.0, Bounds::Soft));
    assert!((w[0] - (0.2 + 0.5 * (-0.25f64).exp() * 0.8)).abs() < 1e-12, "{}", w[0]);
    let (w, _, _) = pairs(vec![vec![55.0]], &[vec![50.0]], 0.8, Stdp::new(tau, tau, 0.5, 0.5).bounds(0.0, 1.0, Bounds::Soft));
    assert!((w[0] - (0.8 - 0.5 * (-0.25f64).exp() * 0.8)).abs() < 1e-12, "{}", w[0]);
    let pre = vec![(0..30).map(|k| 50.0 + 300.0 * k as f64).collect::<Vec<_>>()];
    let post = vec![(0..30).map(|k| 55.0 + 300.0 * k as f64).collect::<Vec<_>>()];
    let (w, _, _) = pairs(pre, &post, 0.2, Stdp::new(tau, tau, 0.5, 0.0).bounds(0.0, 1.0, Bounds::Soft));
    let expected = 1.0 - 0.8 * (1.0 - 0.5 * (-0.25f64).exp()).powi(30);
    assert!(w[0] < 1.0 && (w[0] - expected).abs() < 1e-9, "{} vs {expected}", w[0]);
}

#[test]
fn all_to_all_and_nearest_pairing_differ_as_defined() {
    // Two presynaptic spikes (0 and 10 ms after 50 ms), one postsynaptic spike 10 ms later.
    let tau = 20.0;
    let pre = vec![vec![50.0, 60.0]];
    let post = vec![vec![70.0]];
    let rule = || Stdp::new(tau, tau, 0.01, 0.0).bounds(0.0, 1.0, Bounds::Hard);
    let (all, _, _) = pairs(pre.clone(), &post, 0.5, rule());
    let (near, _, _) = pairs(pre, &post, 0.5, rule().pairing(Pairing::Nearest));
    let e = |d: f64| 0.01 * (-d / tau).exp();
    assert!((all[0] - 0.5 - (e(20.0) + e(10.0))).abs() < 1e-12, "all-to-all {}", all[0]);
    assert!((near[0] - 0.5 - e(10.0)).abs() < 1e-12, "nearest {}", near[0]);
}

#[test]
fn stdp_can_be_switched_off_per_run() {
    let pre = vec![vec![50.0], vec![50.0]];
    let post = vec![vec![55.0], vec![45.0]];
    let rule = Stdp::new(20.0, 20.0, 0.01, 0.01).bounds(0.0, 1.0, Bounds::Hard);
    let (w, _, _) = pairs(pre.clone(), &post, 0.5, rule.clone().enabled(false));
    assert_eq!(w, vec![0.5, 0.5]);
    let (w, _, _) = pairs(pre, &post, 0.5, rule.enabled(true));
    assert!(w[0] > 0.5 && w[1] < 0.5);
    // The switch from outside, and detaching the rule.
    let mut net = Network::new(DT, 1).unwrap();
    let src = net.add_source(SpikeTimes::new("pre", vec![vec![10.0, 110.0, 210.0]])).unwrap();
    let force = net.add_source(SpikeTimes::new("force", vec![vec![15.0 - DT, 115.0 - DT, 215.0 - DT]])).unwrap();
    let p = net.add_population(Population::new("post", 1, Lif::new(), |_| Rk4)).unwrap();
    net.connect(Projection::new(force, p, Rule::OneToOne, Target::state("V")).weight(100.0)).unwrap();
    let proj = net.connect(Projection::new(src, p, Rule::OneToOne, Target::exp_current("I", 5.0)).weight(0.5)).unwrap();
    let stdp = Stdp::new(20.0, 20.0, 0.01, 0.01).bounds(0.0, 1.0, Bounds::Hard);
    let switch = stdp.switch();
    net.set_plasticity(proj, stdp).unwrap();
    switch.set(false);
    net.run(100.0).unwrap();
    assert_eq!(net.projection(proj).unwrap().weights()[0], 0.5);
    switch.set(true);
    net.run(100.0).unwrap();
    let w1 = net.projection(proj).unwrap().weights()[0];
    // The traces followed the spikes at 10 and 15 ms while the switch was off: the pre spike
    // at 110 ms pairs with the post spike at 15 ms (−95 ms), the post spike at 115 ms with
    // the pre spikes at 10 ms (+105 ms) and 110 ms (+5 ms).
    let e = |d: f64| 0.01 * (-d / 20.0f64).exp();
    assert!((w1 - (0.5 - e(95.0) + e(105.0) + e(5.0))).abs() < 1e-12, "{w1}");
    net.clear_plasticity(proj).unwrap();
    net.run(100.0).unwrap();
    assert_eq!(net.projection(proj).unwrap().weights()[0], w1);
    // Invalid parameters are reported when the network runs.
    net.set_plasticity(proj, Stdp::new(-1.0, 20.0, 0.01, 0.01)).unwrap();
    assert!(net.run(1.0).is_err());
}
