//! Two parameters that only appear as a product: the fit says that neither is determined,
//! and gives the others the standard errors of a fit that keeps the product alone.

mod common;

use rand::SeedableRng;
use rand_distr::{Distribution, Normal};
use spyks_core::estimate::{Free, LevenbergMarquardt, Recording, TraceCost};

spyks_core::neuron_model! {
    /// A passive membrane whose input resistance is written as R·k.
    model Product;
    parameters { tau: 10 ms, E: -70 mV, R: 100 Mohm, k: 1 }
    state { V: -70 mV }
    inputs { I: 0 pA }
    equations { dV/dt = (E - V + k * R * I) / tau }
}

spyks_core::neuron_model! {
    /// A membrane with an adaptation current.
    model Adapt;
    parameters { C: 200 pF, gL: 10 nS, EL: -70 mV, a: 4 nS, tau_w: 50 ms }
    state { V: -70 mV, w: 0 pA }
    inputs { I: 0 pA }
    equations {
        dV/dt = (gL * (EL - V) - w + I) / C,
        dw/dt = (a * (V - EL) - w) / tau_w,
    }
}

#[test]
fn a_product_of_two_parameters_is_not_determined_and_the_rest_is() {
    let model = Product::new();
    let current: Vec<f64> = (0..=2000).map(|i| [0.0, 150.0, -80.0, 60.0][(i / 500).min(3)]).collect();
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
    let noise = Normal::new(0.0, 0.5).unwrap();
    let v: Vec<f64> = common::driven_voltage(&model, &current, 0.1, 0.02).iter().map(|v| v + noise.sample(&mut rng)).collect();
    let rec = Recording::new(0.1, v, "mV", current, "pA").unwrap();
    let lm = LevenbergMarquardt::default();
    // The reference: k held at 1, R (0.1 GΩ = 100 MΩ) and τ fitted.
    let free = vec![Free::param("R").log().guess(0.05), Free::param("tau").log().guess(5.0)];
    let reference = lm.fit(&mut TraceCost::new(&model, &rec, "I", "V", free).unwrap()).unwrap();
    let (r_ref, tau_ref, se_ref) = (reference.estimates[0], reference.estimates[1], reference.std_errors.as_ref().unwrap()[1]);
    assert!((tau_ref - 10.0).abs() < 3.0 * se_ref && (r_ref - 0.1).abs() < 3.0 * reference.std_errors.as_ref().unwrap()[0], "{reference}");
    // Both in log space (identical columns of J) and as they are (proportional columns).
    let logs = vec![Free::param("R").log().guess(0.05), Free::param("k").log().guess(1.5), Free::param("tau").log().guess(5.0)];
    let plain = vec![Free::param("R").guess(0.05), Free::param("k").guess(1.5), Free::param("tau").log().guess(5.0)];
    for free in [logs, plain] {
        let fit = lm.fit(&mut TraceCost::new(&model, &rec, "I", "V", free).unwrap()).unwrap();
        let (r, k, tau) = (fit.estimates[0], fit.estimates[1], fit.estimates[2]);
        assert!((r * k / r_ref - 1.0).abs() < 1e-5 && (tau / tau_ref - 1.0).abs() < 1e-5, "{fit}");
        assert!(fit.get("R").unwrap().1.is_nan() && fit.get("k").unwrap().1.is_nan(), "{fit}");
        let se_tau = fit.get("tau").unwrap().1;
        assert!((se_tau / se_ref - 1.0).abs() < 1e-3, "{se_tau} vs {se_ref}\n{fit}");
        assert!(fit.covariance.is_none());
        let table = fit.to_string();
        let rows: Vec<&str> = table.lines().skip(1).take(3).collect();
        assert!(rows[0].ends_with("(not determined)") && rows[1].ends_with("(not determined)"), "{table}");
        assert!(rows[2].starts_with("tau") && !rows[2].contains("not determined"), "{table}");
    }
}

#[test]
fn with_fewer_samples_than_quantities_none_is_determined_alone() {
    // Three samples of a membrane with adaptation, five quantities: the first sample is the
    // fixed initial state, so two informative residuals meet five quantities, and no one
    // of them is determined alone (the rows of J span no axis).
    let model = Adapt::new();
    let v = vec![-70.0, -69.91223970458334, -69.82491746522243];
    let rec = Recording::new(0.1, v, "mV", vec![175.95987522599586; 3], "pA").unwrap();
    let names = ["C", "gL", "EL", "a", "tau_w"];
    let free = vec![
        Free::param("C").log().guess(300.0),
        Free::param("gL").log().guess(5.0),
        Free::param("EL").guess(-60.0),
        Free::param("a").log().guess(8.0),
        Free::param("tau_w").log().guess(100.0),
    ];
    let fit = LevenbergMarquardt::default().fit(&mut TraceCost::new(&model, &rec, "I", "V", free).unwrap()).unwrap();
    for name in names {
        assert!(fit.get(name).unwrap().1.is_nan(), "{name}\n{fit}");
    }
}
