//! spyks' resetting forward Euler (`spyks_core::spyks_euler`) against spyks 0.7.0 itself.
//!
//! `tests/data/spyks-reference/adex.json` records, at 8 adex states, the second row of spyks'
//! `integrate` over two forcing samples of `step_dt` = 0.05 ms (forcing_dt = step_dt), i.e.
//! one step of spyks' resetting Euler: the state at t = 0.05 ms. Our integrator must give the
//! same state: exactly where the step is a reset or ends in the clip, and to the rounding of
//! dX/dt otherwise (our derivative matches spyks' compiled one to ~1e-15 relative).

use spyks_core::presets::spyks::{Adex, AdexInputs, AdexParams, AdexState};
use spyks_core::spyks_euler::{integrate_spyks_euler, integrate_spyks_euler_stimulus};
use spyks_core::{Interp, NeuronModel, Signal, Stimulus, Vector};

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

fn adex_reference() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/spyks-reference/adex.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn one_resetting_euler_step_matches_spyks_at_every_recorded_state() {
    let json = adex_reference();
    let records = json["reset"].as_array().unwrap();
    assert_eq!(records.len(), 8);
    let mut worst: f64 = 0.0;
    for (i, rec) in records.iter().enumerate() {
        let m = Adex::with_params(AdexParams::from_slice(&floats(&rec["params"])).unwrap());
        let x0 = AdexState::from_slice(&floats(&rec["state"])).unwrap();
        let u = AdexInputs::from_slice(&floats(&rec["forcing"])).unwrap();
        let dt = rec["step_dt"].as_f64().unwrap();
        assert_eq!(dt, 0.05);
        let expected = floats(&rec["state_after_euler_step"]);
        // Two forcing samples of step_dt, as spyks was called; sample 1 is its second row.
        let tr = integrate_spyks_euler(&m, x0, &[u, u], dt, dt, 1).unwrap();
        assert_eq!(tr.times, vec![0.0, dt]);
        let got: Vec<f64> = tr.columns.iter().map(|c| c[1]).collect();
        let fired = rec["predicate"].as_bool().unwrap();
        assert_eq!(tr.spikes, if fired { vec![0.0] } else { vec![] }, "record {i}");
        let clipped = !fired && got[0] == m.params.h;
        for (k, (a, b)) in got.iter().zip(&expected).enumerate() {
            if fired || (clipped && k == 0) {
                // Reset and clip assign values: bit for bit.
                assert_eq!(a, b, "record {i}, {}", AdexState::INFO[k].name);
            } else {
                let e = (a - b).abs() / b.abs().max(1.0);
                worst = worst.max(e);
                assert!(e < 1e-13, "record {i}, {}: {a} vs spyks {b}", AdexState::INFO[k].name);
            }
        }
        // The same run with the forcing as a nearest-neighbour stimulus.
        let mut s = Stimulus::<Adex>::new();
        for (j, info) in AdexInputs::INFO.iter().enumerate() {
            let v = u.get_index(j).unwrap();
            s = s.with(info.name, Signal::sampled(dt, vec![v, v], Interp::Nearest)).unwrap();
        }
        assert_eq!(integrate_spyks_euler_stimulus(&m, x0, &s, dt, 1).unwrap(), tr);
    }
    eprintln!("largest relative difference from spyks over the Euler updates: {worst:e}");
}

/// A whole spiking run shows spyks' pattern: each spike is one sample at exactly V = h (the
/// clip), the next sample is the reset state, and the step after the reset is an Euler step.
#[test]
fn spikes_appear_as_one_clipped_sample_then_the_reset() {
    let m = Adex::new();
    let p = m.params;
    let forcing: Vec<AdexInputs> = (0..6000).map(|k| AdexInputs { Iinj: if k >= 400 { 800.0 } else { 0.0 } }).collect();
    let tr = integrate_spyks_euler(&m, m.initial_state(), &forcing, 0.05, 0.05, 5999).unwrap();
    assert!(tr.spikes.len() >= 3, "{:?}", tr.spikes);
    let v = &tr.columns[0];
    let w = &tr.columns[1];
    for &s in &tr.spikes {
        let k = (s / 0.05).round() as usize;
        assert_eq!(tr.times[k], s);
        assert_eq!(v[k], p.h);
        assert_eq!(v[k + 1], p.vr);
        assert_eq!(w[k + 1], w[k] + p.b);
    }
    // Every other sample is below the threshold.
    let peaks = v.iter().filter(|&&x| x >= p.h).count();
    assert_eq!(peaks, tr.spikes.len());
    // The forcing step written at sample 400 takes effect at (400 - 0.5)·dt: the step at
    // t = 19.95 ms (sample 399, index round(399) = 399) still sees 0 pA, t = 20 ms sees 800 pA.
    let u = |t: f64| forcing[spyks_core::spyks_euler::forcing_index(t, 0.05, forcing.len())].Iinj;
    assert_eq!((u(19.95), u(19.975), u(20.0)), (0.0, 800.0, 800.0));
}
