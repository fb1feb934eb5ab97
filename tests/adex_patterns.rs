//! The AdEx preset: spike-frequency adaptation with the defaults of Brette & Gerstner (2005),
//! and the eight firing patterns of Naud et al. (2008) told apart by the classifier of
//! `spyks_core::analysis::firing_pattern`, which is first checked on synthetic trains whose
//! pattern is known by construction.

use spyks_core::analysis::firing_pattern::{Criteria, FiringPattern, PatternError, classify, features};
use spyks_core::integrate::Dopri5;
use spyks_core::presets::integrate_and_fire::naud2008::PATTERNS;
use spyks_core::presets::integrate_and_fire::{Adex, AdexParams};
use spyks_core::{NeuronModel, RecordSpec, Signal, Simulation, Stimulus};

/// Spike times from a first spike and a list of intervals.
fn train(first: f64, isis: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut t = vec![first];
    for d in isis {
        t.push(t[t.len() - 1] + d);
    }
    t
}

/// `n` bursts of `k` spikes `intra` ms apart, one every `period` ms, from `first`.
fn bursts(first: f64, n: usize, k: usize, intra: f64, period: f64) -> Vec<f64> {
    (0..n).flat_map(|b| (0..k).map(move |j| first + b as f64 * period + j as f64 * intra)).collect()
}

fn class(spikes: &[f64], end: f64) -> FiringPattern {
    classify(spikes, 0.0, end, &Criteria::default()).unwrap()
}

#[test]
fn classifier_on_synthetic_trains() {
    use FiringPattern::*;
    // Regular, with a ±0.5 % alternation.
    let tonic = train(12.0, (0..40).map(|i| 10.0 * (1.0 + 0.005 * if i % 2 == 0 { 1.0 } else { -1.0 })));
    assert_eq!(class(&tonic, 420.0), TonicSpiking);
    // Intervals relaxing from 10 to 60 ms with a time constant of 2 intervals.
    let adapting = train(10.0, (0..10).map(|i| 60.0 - 50.0 * (-(i as f64) / 2.0).exp()));
    assert_eq!(class(&adapting, 500.0), Adapting);
    // ... and from 25 ms down to 10 ms after a 40 ms delay.
    let accelerating = train(40.0, (0..40).map(|i| 10.0 + 15.0 * (-(i as f64) / 8.0).exp()));
    assert_eq!(class(&accelerating, 500.0), DelayedAccelerating);
    // Three spikes 4 ms apart, then every 50 ms.
    let initial = train(5.0, [4.0, 4.0].into_iter().chain(std::iter::repeat_n(50.0, 9)));
    assert_eq!(class(&initial, 500.0), InitialBurst);
    // Bursts of 3 every 100 ms from 10 ms, and the same from 80 ms.
    assert_eq!(class(&bursts(10.0, 5, 3, 4.0, 100.0), 500.0), RegularBursting);
    assert_eq!(class(&bursts(80.0, 5, 3, 4.0, 80.0), 500.0), DelayedRegularBursting);
    // Bursts at irregular periods (alternating 60 and 140 ms).
    let irregular_bursts: Vec<f64> =
        (0..6).flat_map(|b| (0..3).map(move |j| 10.0 + 100.0 * b as f64 + if b % 2 == 1 { 40.0 } else { 0.0 } + 4.0 * j as f64)).collect();
    assert_eq!(class(&irregular_bursts, 620.0), IrregularSpiking);
    // Intervals from the chaotic logistic map x → 4x(1 − x), 5 to 35 ms.
    let mut x = 0.3;
    let chaotic = train(
        10.0,
        (0..40).map(|_| {
            x = 4.0 * x * (1.0 - x);
            5.0 + 30.0 * x
        }),
    );
    assert_eq!(class(&chaotic, chaotic[40] + 20.0), IrregularSpiking);
    // Three spikes, then silence for the rest of 500 ms; a single spike; none.
    assert_eq!(class(&[20.0, 30.0, 45.0], 500.0), TransientSpiking);
    assert_eq!(class(&[30.0], 500.0), TransientSpiking);
    assert_eq!(class(&[], 500.0), Silent);
    // Spikes outside the window are ignored.
    assert_eq!(classify(&[-5.0, 600.0], 0.0, 500.0, &Criteria::default()).unwrap(), Silent);
}

#[test]
fn classifier_rejects_bad_input() {
    let c = Criteria::default();
    assert!(matches!(classify(&[1.0, 2.0], 10.0, 5.0, &c), Err(PatternError::Window { .. })));
    assert!(matches!(classify(&[1.0, f64::NAN], 0.0, 5.0, &c), Err(PatternError::Spikes { index: 1, .. })));
    assert!(matches!(classify(&[3.0, 2.0], 0.0, 5.0, &c), Err(PatternError::Spikes { index: 1, .. })));
    // Sustained, but only two intervals: too few.
    let e = classify(&[100.0, 200.0, 300.0], 0.0, 350.0, &c).unwrap_err();
    assert_eq!(e, PatternError::TooFewSpikes { isis: 2, needed: 3 });
    assert!(e.to_string().contains("at least 3"), "{e}");
}

#[test]
fn brette_gerstner_defaults_adapt_under_a_1_na_step() {
    // Brette & Gerstner (2005), Fig. 2 and Brian2's example: 1 nA from 20 ms.
    let adex = Adex::new();
    let stim = Stimulus::new().with("I", Signal::Step { at: 20.0, before: 0.0, after: 1000.0 }).unwrap();
    let run = Simulation::new(&adex, 520.0).stimulus(stim).run_adaptive(&Dopri5::new().tolerances(1e-8, 1e-8)).unwrap();
    let isi: Vec<f64> = run.spikes.windows(2).map(|s| s[1] - s[0]).collect();
    eprintln!("ISIs (ms): {:.2?}", isi);
    // Lengthening intervals for the first five, towards a steady state.
    assert!(isi.len() >= 8);
    assert!(isi[..6].windows(2).all(|d| d[1] > d[0]), "{isi:?}");
    assert!(isi[isi.len() - 1] > 1.5 * isi[0]);
    let c = Criteria::default();
    let f = features(&run.spikes, 20.0, 520.0, &c).unwrap();
    assert!(f.adaptation_index.unwrap() > c.adaptation);
    assert_eq!(classify(&run.spikes, 20.0, 520.0, &c).unwrap(), FiringPattern::Adapting);
    // w only grows while firing: each reset adds b = 80.5 pA.
    assert_eq!(adex.params.b, 80.5);
    // Across each of the first spikes, w jumps by b: sampled 1 µs either side, the continuous
    // drift |dw/dt| ≤ (a·|V − E_L| + |w|)/τ_w stays below 10 pA/ms, 0.02 pA over 2 µs.
    let eps = 1e-3;
    let around: Vec<f64> = run.spikes[..4].iter().flat_map(|&s| [s - eps, s + eps]).collect();
    let stim = Stimulus::new().with("I", Signal::Step { at: 20.0, before: 0.0, after: 1000.0 }).unwrap();
    let sampled = Simulation::new(&adex, 520.0)
        .stimulus(stim)
        .record(RecordSpec::names(["w"]).at(around))
        .run_adaptive(&Dopri5::new().tolerances(1e-8, 1e-8))
        .unwrap();
    let w = sampled.column("w").unwrap();
    assert_eq!(w.len(), 8);
    for k in 0..4 {
        let jump = w[2 * k + 1] - w[2 * k];
        assert!((jump - adex.params.b).abs() < 0.05, "w jumps by {jump} pA at spike {k}, b = {} pA", adex.params.b);
    }
}

#[test]
fn the_cut_off_moves_spikes_by_the_remaining_upswing() {
    // From V_T + 5Δ_T the membrane diverges within about τ_m·e⁻⁵ = 0.063 ms, from V_T + 10Δ_T
    // within τ_m·e⁻¹⁰ (the exponential term alone; there the leak, the input and w add up
    // to under 2 % of it under 1 nA, so the estimate holds to 2 %).
    let first_spike = |v_peak: f64| {
        let m = Adex::with_params(AdexParams { V_peak: v_peak, ..AdexParams::default() });
        let stim = Stimulus::new().with("I", Signal::Const(1000.0)).unwrap();
        Simulation::new(&m, 30.0).stimulus(stim).run_adaptive(&Dopri5::new().tolerances(1e-10, 1e-10)).unwrap().spikes[0]
    };
    let p = AdexParams::default();
    let tau_m = p.C / p.g_L;
    let moved = first_spike(p.V_T + 10.0 * p.Delta_T) - first_spike(p.V_T + 5.0 * p.Delta_T);
    let estimate = tau_m * ((-5f64).exp() - (-10f64).exp());
    assert!((moved / estimate - 1.0).abs() < 0.02, "moved {moved} ms, estimate {estimate} ms");
}

#[test]
fn naud_patterns_are_classified_as_their_own() {
    let c = Criteria::default();
    let end = 500.0;
    eprintln!("{:<26} {:>6} {:>9} {:>9} {:>7} {:>7}  class", "set", "spikes", "lat (ms)", "A", "LV", "bursts");
    for rtol in [1e-6, 1e-9] {
        for p in PATTERNS {
            let m = p.model();
            let stim = Stimulus::new().with("I", Signal::Const(p.current)).unwrap();
            let run = Simulation::new(&m, end)
                .state(p.initial_state())
                .stimulus(stim)
                .run_adaptive(&Dopri5::new().tolerances(rtol, rtol))
                .unwrap();
            let f = features(&run.spikes, 0.0, end, &c).unwrap();
            let got = classify(&run.spikes, 0.0, end, &c).unwrap();
            eprintln!(
                "{:<26} {:>6} {:>9.1} {:>9.4} {:>7.3} {:>7}  {got}",
                p.name,
                f.spikes,
                f.latency.unwrap_or(f64::NAN),
                f.adaptation_index.unwrap_or(f64::NAN),
                f.local_variation.unwrap_or(f64::NAN),
                f.bursts.len()
            );
            assert_eq!(got, p.pattern, "{} at rtol {rtol}", p.name);
        }
    }
    // Eight different patterns.
    let distinct: std::collections::HashSet<_> = PATTERNS.iter().map(|p| p.pattern).collect();
    assert_eq!(distinct.len(), 8);
}
