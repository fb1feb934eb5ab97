//! Connectivity rules: counts against the binomial distribution, exact degrees, self
//! exclusion, explicit pairs.

use spyks::integrate::Rk4;
use spyks::network::{Network, PopId, Projection, Rule, Target, Values};
use spyks::presets::integrate_and_fire::LifCond;

fn net_with(n: &[usize]) -> (Network, Vec<PopId>) {
    let mut net = Network::new(0.1, 7).unwrap();
    let ids = n
        .iter()
        .enumerate()
        .map(|(k, &n)| net.add_population(spyks::network::Population::new(&format!("p{k}"), n, LifCond::new(), |_| Rk4)).unwrap())
        .collect();
    (net, ids)
}

fn ge() -> Target {
    Target::state("g_e")
}

#[test]
fn fixed_probability_count_is_binomial_and_rows_are_sorted() {
    let (mut net, p) = net_with(&[2000, 3000]);
    let (n_pre, n_post, prob) = (2000.0, 3000.0, 0.05);
    let id = net.connect(Projection::new(p[0], p[1], Rule::FixedProbability(prob), ge())).unwrap();
    let c = net.projection(id).unwrap();
    let mean = n_pre * n_post * prob;
    let sd = (mean * (1.0 - prob)).sqrt();
    assert!((c.len() as f64 - mean).abs() < 4.0 * sd, "{} synapses, expected {mean} ± {sd}", c.len());
    let t = c.table();
    for i in 0..2000 {
        let row = &t.target[t.row(i)];
        assert!(row.windows(2).all(|w| w[0] < w[1]));
        assert!(row.iter().all(|&j| j < 3000));
    }
    // In-degrees are binomial(2000, 0.05): their variance is close to n p (1 - p).
    let mut indeg = vec![0f64; 3000];
    for &j in &t.target {
        indeg[j as usize] += 1.0;
    }
    let m = indeg.iter().sum::<f64>() / 3000.0;
    let var = indeg.iter().map(|d| (d - m).powi(2)).sum::<f64>() / 2999.0;
    let expected = n_pre * prob * (1.0 - prob);
    // The sample variance of 3000 values has a relative sd of about sqrt(2/3000) = 2.6%.
    assert!((var / expected - 1.0).abs() < 0.12, "variance {var}, expected {expected}");
}

#[test]
fn probabilities_too_small_for_one_minus_p_make_no_synapses() {
    // 1 − p rounds to 1 for these: the gaps between connections once came out −∞ and the
    // index ran backwards until it overflowed. The expected count is below 1e-10 for each.
    let (mut net, p) = net_with(&[300, 400]);
    for prob in [5e-324, 1e-300, 1e-17] {
        let id = net.connect(Projection::new(p[0], p[1], Rule::FixedProbability(prob), ge())).unwrap();
        assert_eq!(net.projection(id).unwrap().len(), 0, "p = {prob}");
    }
    // An ordinary small p takes the usual path (12 synapses expected).
    let id = net.connect(Projection::new(p[0], p[1], Rule::FixedProbability(1e-4), ge())).unwrap();
    assert!((1..40).contains(&net.projection(id).unwrap().len()));
}

#[test]
fn a_projection_too_large_to_hold_is_an_error() {
    // 10⁸ Poisson channels onto 400 000 neurons, all to all: 4·10¹³ synapses, more bytes
    // than a process can address. Building it aborted the process before; in-degrees whose
    // count overflows are refused as well.
    let (mut net, p) = net_with(&[400_000]);
    let src = net.add_source(spyks::network::PoissonSource::new("many", 100_000_000, 1.0)).unwrap();
    let e = net.connect(Projection::new(src, p[0], Rule::AllToAll, ge())).unwrap_err();
    assert!(e.to_string().contains("40000000000000 is invalid: that many synapses do not fit in the memory"), "{e}");
    let e = net.connect(Projection::new(p[0], p[0], Rule::FixedInDegree(usize::MAX / 2), ge())).unwrap_err();
    assert!(e.to_string().contains("that many synapses do not fit"), "{e}");
    // Other projections still build.
    net.connect(Projection::new(p[0], p[0], Rule::FixedOutDegree(2), ge())).unwrap();
}

#[test]
fn a_population_too_large_to_hold_is_an_error() {
    // 2^32 neurons (128 GiB of state for LifCond) were allocated by `Population::new`, which
    // aborted the process before `add_population` could refuse the count; a population that
    // cannot be held is made without its neurons and refused when added.
    let (mut net, _) = net_with(&[10]);
    let e = net.add_population(spyks::network::Population::new("huge", 1 << 32, LifCond::new(), |_| Rk4)).unwrap_err();
    assert!(e.to_string().contains("at most 2^32 - 1 neurons"), "{e}");
    net.run(0.2).unwrap();
}

#[test]
fn ten_million_synapses_build() {
    let (mut net, p) = net_with(&[10_000]);
    let id = net.connect(Projection::new(p[0], p[0], Rule::FixedProbability(0.1), ge())).unwrap();
    let n = net.projection(id).unwrap().len() as f64;
    let (mean, sd) = (1e7, (1e7f64 * 0.9).sqrt());
    assert!((n - mean).abs() < 4.0 * sd, "{n}");
}

#[test]
fn degrees_are_exact_and_self_connections_excluded() {
    let (mut net, p) = net_with(&[500]);
    let id = net.connect(Projection::new(p[0], p[0], Rule::FixedInDegree(40), ge()).allow_self(false)).unwrap();
    let t = net.projection(id).unwrap().table().clone();
    let mut indeg = vec![0; 500];
    for (i, &j) in t.sources().iter().zip(&t.target) {
        assert_ne!(*i, j, "self-connection");
        indeg[j as usize] += 1;
    }
    assert!(indeg.iter().all(|&d| d == 40));
    // Distinct sources per target.
    let mut pairs: Vec<(u32, u32)> = t.sources().into_iter().zip(t.target.iter().copied()).collect();
    pairs.sort_unstable();
    pairs.dedup();
    assert_eq!(pairs.len(), 500 * 40);

    let id = net.connect(Projection::new(p[0], p[0], Rule::FixedOutDegree(499), ge()).allow_self(false)).unwrap();
    let t = net.projection(id).unwrap().table();
    for i in 0..500 {
        let row = &t.target[t.row(i)];
        assert_eq!(row.len(), 499);
        assert!(!row.contains(&(i as u32)));
    }
    // Views: pre 0..100 onto post 50..150 of the same population; self means the same neuron.
    let id = net.connect(Projection::new(p[0].slice(0..100), p[0].slice(50..150), Rule::AllToAll, ge()).allow_self(false)).unwrap();
    let c = net.projection(id).unwrap();
    assert_eq!(c.len(), 100 * 100 - 50);
    let t = c.table();
    for i in 50..100 {
        assert!(!t.target[t.row(i)].contains(&((i - 50) as u32)));
    }
    // With self-connections allowed, all-to-all is complete.
    let id = net.connect(Projection::new(p[0], p[0], Rule::AllToAll, ge())).unwrap();
    assert_eq!(net.projection(id).unwrap().len(), 250_000);
}

#[test]
fn one_to_one_and_explicit_pairs_round_trip() {
    let (mut net, p) = net_with(&[10, 10]);
    let id = net.connect(Projection::new(p[0], p[1], Rule::OneToOne, ge())).unwrap();
    let t = net.projection(id).unwrap().table();
    assert_eq!(t.target, (0..10).collect::<Vec<u32>>());
    assert_eq!(t.sources(), (0..10).collect::<Vec<u32>>());

    let pre = vec![3, 1, 3, 0, 9];
    let post = vec![2, 2, 7, 5, 0];
    let w = vec![0.1, 0.2, 0.3, 0.4, 0.5];
    let d = vec![1.0, 2.0, 3.0, 4.0, 5.0];
    let id = net
        .connect(
            Projection::new(p[0], p[1], Rule::Explicit { pre: pre.clone(), post: post.clone() }, ge()).weight(w.clone()).delay(d.clone()),
        )
        .unwrap();
    let c = net.projection(id).unwrap();
    let src = c.table().sources();
    let mut got: Vec<(u32, u32, f64, u16)> =
        (0..c.len()).map(|s| (src[s], c.table().target[s], c.weights()[s], c.delays().at(s))).collect();
    let mut want: Vec<(u32, u32, f64, u16)> = (0..5).map(|s| (pre[s], post[s], w[s], (d[s] / 0.1).round() as u16)).collect();
    got.sort_by(|a, b| a.partial_cmp(b).unwrap());
    want.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(got, want);
}

#[test]
fn weights_and_delays_from_distributions() {
    let (mut net, p) = net_with(&[1000]);
    let id = net
        .connect(
            Projection::new(p[0], p[0], Rule::FixedOutDegree(100), ge()).weight(Values::normal(2.0, 0.5)).delay(Values::uniform(1.0, 3.0)),
        )
        .unwrap();
    let c = net.projection(id).unwrap();
    let n = c.len() as f64;
    let m = c.weights().iter().sum::<f64>() / n;
    let sd = (c.weights().iter().map(|w| (w - m).powi(2)).sum::<f64>() / n).sqrt();
    // 10^5 draws: the mean's sd is 0.5/316 = 0.0016.
    assert!((m - 2.0).abs() < 0.01 && (sd - 0.5).abs() < 0.01, "{m} {sd}");
    let steps: Vec<u16> = (0..c.len()).map(|s| c.delays().at(s)).collect();
    assert!(steps.iter().all(|&d| (10..=30).contains(&d)));
    assert_eq!(c.delays().max(), 30);
}

/// All-to-all rows (consecutive targets) are delivered as one packed addition per row; the same
/// synapses given as explicit pairs with every row reversed take the scatter path. Each spike
/// adds each weight to its own target once either way, so the runs agree bit for bit.
#[test]
fn contiguous_rows_deliver_as_the_scatter_does() {
    let n = 120;
    let weights: Vec<f64> = (0..n * n).map(|k| 0.05 + 0.4 * ((k * 7919 % 1000) as f64 / 1000.0)).collect();
    let run = |explicit: bool| {
        let (mut net, p) = net_with(&[n]);
        net.init_state(p[0], "V", Values::Array((0..n).map(|i| -60.0 + 9.9 * i as f64 / n as f64).collect())).unwrap();
        net.set_input(p[0], "I", 180.0.into()).unwrap();
        let projection = if explicit {
            // Row by row, targets in reverse; weights follow their synapse.
            let (mut pre, mut post, mut w) = (Vec::new(), Vec::new(), Vec::new());
            for i in 0..n {
                for j in (0..n).rev() {
                    pre.push(i as u32);
                    post.push(j as u32);
                    w.push(weights[i * n + j]);
                }
            }
            Projection::new(p[0], p[0], Rule::Explicit { pre, post }, ge()).weight(w)
        } else {
            Projection::new(p[0], p[0], Rule::AllToAll, ge()).weight(weights.clone())
        };
        net.connect(projection.delay(1.0)).unwrap();
        let s = net.record_spikes(p[0], None).unwrap();
        let m = net.record_state(p[0], &["V", "g_e"], &[0, 57, 119], 0.1).unwrap();
        net.run(200.0).unwrap();
        let sm = net.spikes(s).unwrap();
        (sm.times().to_vec(), sm.indices().to_vec(), format!("{:?}", net.states(m).unwrap()))
    };
    let (a, b) = (run(false), run(true));
    assert!(a.0.len() > 300, "{} spikes", a.0.len());
    assert_eq!(a, b);
}
