//! The network of Izhikevich (2003), Fig. 3 (`net.m`), built by `examples/izhikevich_network.rs`:
//! the mean rate against Brian2's over 10 seeds (`tests/data/network/brian2_rates.json`,
//! produced by `benches/compare/network/brian2_izhikevich.py`), and the paper's description
//! of the raster: "episodes of alpha and gamma band rhythms" (Fig. 3 caption).

#[allow(dead_code)]
#[path = "../examples/izhikevich_network.rs"]
mod example;

use example::{N, NE, build, peak, population_rate, spectrum};

const SEEDS: [u64; 5] = [1, 2, 3, 4, 5];

/// (rate of all neurons, population rate in 1 ms bins) of one seed's 1 s run.
fn run(seed: u64) -> (f64, f64, f64, Vec<f64>) {
    let (mut net, _, m) = build(seed).unwrap();
    net.run(1000.0).unwrap();
    let sm = net.spikes(m).unwrap();
    let rate = |r| sm.mean_rate(r, 1000.0).unwrap();
    (rate(0..NE), rate(NE..N), rate(0..N), population_rate(sm.times(), 1000.0))
}

#[test]
fn rates_agree_with_brian2_and_the_rhythm_is_in_the_alpha_band() {
    let runs: Vec<_> = SEEDS.iter().map(|&s| run(s)).collect();
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/network/brian2_rates.json")).unwrap(),
    )
    .unwrap();
    let reference = &json["workloads"]["izhikevich"];
    for (k, key) in ["rate_exc", "rate_inh", "rate_all"].iter().enumerate() {
        let (mean_b, sd_b) = (reference[key]["mean"].as_f64().unwrap(), reference[key]["sd"].as_f64().unwrap());
        let ours: Vec<f64> = runs.iter().map(|r| [r.0, r.1, r.2][k]).collect();
        let mean = ours.iter().sum::<f64>() / ours.len() as f64;
        // Both means estimate the same expectation if the networks agree: their difference
        // has the standard error sd·√(1/10 + 1/5), with Brian2's seed-to-seed sd.
        let se = sd_b * (1.0 / 10.0 + 1.0 / SEEDS.len() as f64).sqrt();
        println!("{key}: ours {mean:.3} Hz over {} seeds {ours:.2?}, Brian2 {mean_b:.3} ± {sd_b:.3} Hz", SEEDS.len());
        assert!((mean - mean_b).abs() < 3.0 * se, "{key}: {mean} Hz against Brian2's {mean_b} ± {sd_b} (se {se})");
    }
    // The rhythm: the seed-averaged periodogram of the population rate (1 Hz resolution)
    // peaks in the alpha band (8-13 Hz, ±1 Hz for the resolution) between 4 and 100 Hz, and
    // the peak stands out. Without a rhythm, each value of a 5-periodogram average is about
    // χ²₁₀/10 times the mean, so the largest of 97 exceeds 5 times the median with a
    // probability below 10⁻⁵; the measured ratio is about 20.
    let mut avg = vec![0.0; 100];
    for r in &runs {
        for (k, (_, p)) in spectrum(&r.3, 100).into_iter().enumerate() {
            avg[k] += p / runs.len() as f64;
        }
    }
    let spec: Vec<(f64, f64)> = avg.iter().enumerate().map(|(k, &p)| ((k + 1) as f64, p)).collect();
    let f = peak(&spec, 4.0, 100.0);
    let mut band: Vec<f64> = spec.iter().filter(|(f, _)| (4.0..=100.0).contains(f)).map(|x| x.1).collect();
    band.sort_by(f64::total_cmp);
    let (median, top) = (band[band.len() / 2], band[band.len() - 1]);
    println!("dominant rhythm {f} Hz, peak/median power {:.1}", top / median);
    assert!((7.0..=14.0).contains(&f), "dominant rhythm at {f} Hz");
    assert!(top > 5.0 * median, "peak {top} against median {median}");
}

#[test]
fn the_run_is_reproducible() {
    let a = run(3);
    let b = spyks::network::with_threads(2, || run(3)).unwrap();
    assert_eq!(a.3, b.3);
    assert_ne!(a.3, run(4).3);
}
