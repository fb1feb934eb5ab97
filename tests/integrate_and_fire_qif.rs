//! The quadratic integrate-and-fire preset against its closed-form period and fixed points.
//!
//! C dV/dt = k(V − V_rest)(V − V_c) + I = k((V − V_m)² + β²) with V_m = (V_rest + V_c)/2 and
//! β² = (I − I_rh)/k, I_rh = k(V_c − V_rest)²/4, so the time from V_a to V_b is
//! C/(kβ)·[atan((V_b − V_m)/β) − atan((V_a − V_m)/β)] (Latham et al. 2000; Izhikevich 2007,
//! ch. 3). Dormand-Prince at rtol 1e-10: the time lost in the bottleneck near V_m, where V
//! crawls, carries the error, which grows with the interval (measured: at most 7e-10 of the
//! interval, at 75 pA); each interval is asserted within 2e-9 of itself plus 1e-9 ms.

use spyks_core::integrate::Dopri5;
use spyks_core::presets::integrate_and_fire::{Qif, QifParams};
use spyks_core::{NeuronModel, Signal, Simulation, Stimulus};

fn passage(p: &QifParams, i: f64, from: f64, to: f64) -> f64 {
    let v_m = 0.5 * (p.V_rest + p.V_c);
    let i_rh = p.k * (p.V_c - p.V_rest).powi(2) / 4.0;
    let beta = ((i - i_rh) / p.k).sqrt();
    p.C / (p.k * beta) * (((to - v_m) / beta).atan() - ((from - v_m) / beta).atan())
}

#[test]
fn period_matches_the_closed_form() {
    // The defaults (reset at V_m), and a reset below V_m with a refractory period.
    let variants = [QifParams::default(), QifParams { V_reset: -55.0, t_ref: 2.0, ..QifParams::default() }];
    for p in variants {
        let m = Qif::with_params(p);
        for i in [75.0, 100.0, 200.0, 600.0] {
            let stim = Stimulus::new().with("I", Signal::Const(i)).unwrap();
            let r = Simulation::new(&m, 500.0).stimulus(stim).run_adaptive(&Dopri5::new().tolerances(1e-10, 1e-10)).unwrap();
            let first = passage(&p, i, p.V_rest, p.V_peak);
            let period = p.t_ref + passage(&p, i, p.V_reset, p.V_peak);
            assert!(r.spikes.len() >= 2, "I = {i}");
            let tol = |d: f64| 2e-9 * d + 1e-9;
            assert!((r.spikes[0] - first).abs() < tol(first), "I = {i}: first {} vs {first}", r.spikes[0]);
            for w in r.spikes.windows(2) {
                assert!((w[1] - w[0] - period).abs() < tol(period), "I = {i}: {} vs {period}", w[1] - w[0]);
            }
        }
    }
}

#[test]
fn below_rheobase_it_rests_at_the_lower_root() {
    let m = Qif::new();
    let p = m.params;
    let i_rh = p.k * (p.V_c - p.V_rest).powi(2) / 4.0;
    assert!((i_rh - 70.0).abs() < 1e-12);
    let i = 60.0;
    // k(V − V_m)² = k d² − I with d = (V_c − V_rest)/2.
    let v_m = 0.5 * (p.V_rest + p.V_c);
    let d = 0.5 * (p.V_c - p.V_rest);
    let v_star = v_m - (d * d - i / p.k).sqrt();
    let stim = Stimulus::new().with("I", Signal::Const(i)).unwrap();
    let r = Simulation::new(&m, 1000.0).stimulus(stim).run_adaptive(&Dopri5::new().tolerances(1e-10, 1e-10)).unwrap();
    assert!(r.spikes.is_empty());
    let v = *r.column("V").unwrap().last().unwrap();
    assert!((v - v_star).abs() < 1e-7, "{v} vs {v_star}");
}
