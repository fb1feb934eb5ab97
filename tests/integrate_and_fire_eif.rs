//! The exponential integrate-and-fire preset against its fixed-point analysis: a resting
//! state exists exactly below the rheobase I_rh = g_L(V_T − E_L − Δ_T)
//! (Fourcaud-Trocmé et al. 2003; Gerstner et al. 2014, *Neuronal Dynamics*, §5.2).

use spyks_core::integrate::Dopri5;
use spyks_core::presets::integrate_and_fire::{Eif, EifParams};
use spyks_core::{Signal, Simulation, Stimulus};

/// The right-hand side C dV/dt without the input.
fn f(p: &EifParams, v: f64) -> f64 {
    -p.g_L * (v - p.E_L) + p.g_L * p.Delta_T * ((v - p.V_T) / p.Delta_T).exp()
}

/// The stable fixed point below V_T for a current `i` < I_rh, by bisection (f + i falls
/// from positive at E_L to its minimum at V_T).
fn resting_potential(p: &EifParams, i: f64) -> f64 {
    let (mut lo, mut hi) = (p.E_L - 1.0, p.V_T);
    assert!(f(p, lo) + i > 0.0 && f(p, hi) + i < 0.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if f(p, mid) + i > 0.0 { lo = mid } else { hi = mid }
    }
    0.5 * (lo + hi)
}

fn run(m: &Eif, i: f64, t_end: f64) -> spyks_core::Trajectory {
    let stim = Stimulus::new().with("I", Signal::Const(i)).unwrap();
    Simulation::new(m, t_end).stimulus(stim).run_adaptive(&Dopri5::new().tolerances(1e-10, 1e-10)).unwrap()
}

#[test]
fn rheobase_separates_rest_from_firing() {
    let m = Eif::new();
    let p = m.params;
    let i_rh = p.g_L * (p.V_T - p.E_L - p.Delta_T);
    assert!((i_rh - 546.0).abs() < 1e-9, "{i_rh}");
    // The minimum of f is at V_T, where f + I_rh = 0: the saddle-node.
    assert!((f(&p, p.V_T) + i_rh).abs() < 1e-9);
    for frac in [0.5, 0.9, 0.995] {
        let i = frac * i_rh;
        let r = run(&m, i, 3000.0);
        assert!(r.spikes.is_empty(), "{frac}·I_rh fired");
        let v = *r.column("V").unwrap().last().unwrap();
        let v_rest = resting_potential(&p, i);
        assert!((v - v_rest).abs() < 1e-6, "{frac}·I_rh: V = {v}, fixed point {v_rest}");
    }
    for frac in [1.005, 1.1, 2.0] {
        let r = run(&m, frac * i_rh, 3000.0);
        assert!(r.spikes.len() >= 3, "{frac}·I_rh: {} spikes", r.spikes.len());
    }
}

#[test]
fn period_near_rheobase_follows_the_saddle_node_scaling() {
    // Near I_rh the EIF is its quadratic normal form around V_T,
    // C dV/dt ≈ (I − I_rh) + g_L (V − V_T)²/(2Δ_T), whose passage takes
    // π·C·√(2Δ_T/(g_L (I − I_rh))): the period grows as (I − I_rh)^(-1/2) and their ratio
    // tends to 1 as I → I_rh.
    let m = Eif::new();
    let p = m.params;
    let i_rh = p.g_L * (p.V_T - p.E_L - p.Delta_T);
    let mut last_gap = f64::INFINITY;
    for di in [20.0, 5.0, 1.25] {
        let r = run(&m, i_rh + di, 4000.0);
        let n = r.spikes.len();
        let period = r.spikes[n - 1] - r.spikes[n - 2];
        let normal_form = std::f64::consts::PI * p.C * (2.0 * p.Delta_T / (p.g_L * di)).sqrt();
        let gap = (period / normal_form - 1.0).abs();
        assert!(gap < 0.2, "ΔI = {di} pA: period {period} ms, normal form {normal_form} ms");
        assert!(gap < last_gap, "the ratio must approach 1 as I → I_rh");
        last_gap = gap;
    }
}
