//! Powers ±1/2 and ±1/4, which the generated code computes with square roots instead of
//! `powf` (the Rothman & Manis gates of the spyks `biocm` model), against `f64::powf`.

use spyks_core::NeuronModel;

spyks_core::neuron_model! {
    /// One dimensionless variable and its four root powers.
    model Roots;
    state { x: 1 }
    expressions {
        half = x^0.5,
        minus_half = x^(-1/2),
        quarter = x^(1/4),
        minus_quarter = x^-0.25,
        three_halves = x^1.5,
    }
    equations { dx/dt = 0 1/ms }
}

fn powers(x: f64) -> RootsExprs {
    Roots::new().expressions(0.0, &RootsState { x }, &RootsInputs::default())
}

/// Distance in units in the last place, for finite values of the same sign.
fn ulps(a: f64, b: f64) -> u64 {
    (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
}

#[test]
fn root_powers_are_within_two_ulp_of_powf() {
    // Log-uniform over 2^-60 .. 2^60 plus the Boltzmann range 1 .. 1 + e^30.
    let mut worst = [0u64; 4];
    for i in 0..=20000 {
        for x in [(2.0f64).powf(-60.0 + 120.0 * i as f64 / 20000.0), 1.0 + (30.0 * i as f64 / 20000.0).exp()] {
            let p = powers(x);
            for (k, (got, y)) in [(p.half, 0.5), (p.minus_half, -0.5), (p.quarter, 0.25), (p.minus_quarter, -0.25)].into_iter().enumerate()
            {
                worst[k] = worst[k].max(ulps(got, x.powf(y)));
            }
            // Other exponents stay with powf, bit for bit.
            assert_eq!(p.three_halves.to_bits(), x.powf(1.5).to_bits());
        }
    }
    assert!(worst.iter().all(|&w| w <= 2), "largest distances from powf (ulp): {worst:?}");
    // The square root itself is exact to the rounding: x^0.5 is powf's value within one ulp.
    assert!(worst[0] <= 1, "{worst:?}");
}

#[test]
fn special_values_are_those_of_powf() {
    for x in [0.0, -0.0, f64::INFINITY, 1.0] {
        let p = powers(x);
        for (got, y) in [(p.half, 0.5), (p.minus_half, -0.5), (p.quarter, 0.25), (p.minus_quarter, -0.25)] {
            let want = x.powf(y);
            assert_eq!(got.to_bits(), want.to_bits(), "{x}^{y}: {got} against powf's {want}");
        }
    }
    for x in [-1.0, f64::NAN] {
        let p = powers(x);
        assert!(p.half.is_nan() && p.minus_half.is_nan() && p.quarter.is_nan() && p.minus_quarter.is_nan());
    }
}
