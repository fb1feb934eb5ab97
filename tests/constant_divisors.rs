//! Divisions by constants, which the generated code writes as products with the constant's
//! reciprocal (folded at compile time) wherever that reciprocal is a normal number.

use spyks_core::NeuronModel;

spyks_core::neuron_model! {
    /// One dimensionless variable divided by constants of each kind.
    model Divisions;
    state { x: 1 }
    expressions {
        by_ten = x/10,
        by_minus_three = x/(-3),
        by_four = x/4,
        by_tiny = x/1e-310,
        by_large = x/1e300,
        by_huge = x/1e308,
        by_zero = x/0,
    }
    equations { dx/dt = -x/(7 ms) }
}

fn divided(x: f64) -> DivisionsExprs {
    Divisions::new().expressions(0.0, &DivisionsState { x }, &DivisionsInputs::default())
}

/// Points spread over many binades, both signs.
fn points() -> impl Iterator<Item = f64> {
    (0..=4000).flat_map(|i| {
        let x = (2.0f64).powf(-40.0 + 80.0 * i as f64 / 4000.0) * (1.0 + (i % 7) as f64 / 7.0);
        [x, -x]
    })
}

#[test]
fn constant_divisors_with_normal_reciprocals_are_products() {
    let mut differs = 0;
    for x in points() {
        let d = divided(x);
        assert_eq!(d.by_ten.to_bits(), (x * (1.0 / 10.0)).to_bits(), "x/10 at {x:e}");
        assert_eq!(d.by_minus_three.to_bits(), (x * (1.0 / -3.0)).to_bits(), "x/(-3) at {x:e}");
        assert_eq!(d.by_large.to_bits(), (x * (1.0 / 1e300)).to_bits(), "x/1e300 at {x:e}");
        // Within one ulp of the quotient.
        for (got, want) in [(d.by_ten, x / 10.0), (d.by_minus_three, x / -3.0)] {
            assert!((got.to_bits() as i64 - want.to_bits() as i64).abs() <= 1, "{got:e} against {want:e}");
        }
        differs += usize::from(d.by_ten != x / 10.0);
        // A power of two: the product is the quotient.
        assert_eq!(d.by_four.to_bits(), (x / 4.0).to_bits());
    }
    // The product is not the quotient everywhere (so the points tell the two apart).
    assert!(differs > 100, "{differs}");
}

#[test]
fn constant_divisors_without_normal_reciprocals_stay_divisions() {
    for x in points().chain([0.0, -0.0, f64::INFINITY, f64::NAN]) {
        let d = divided(x);
        // 1/1e-310 overflows: x·(1/1e-310) would be ±∞ where x/1e-310 is finite.
        assert_eq!(d.by_tiny.to_bits(), (x / 1e-310).to_bits(), "x/1e-310 at {x:e}");
        // 1/1e308 is subnormal, with fewer significant bits than a double.
        assert_eq!(d.by_huge.to_bits(), (x / 1e308).to_bits(), "x/1e308 at {x:e}");
        assert_eq!(d.by_zero.to_bits(), (x / 0.0).to_bits(), "x/0 at {x:e}");
    }
    assert!(divided(1e-300).by_tiny.is_finite());
    // Where the two forms differ.
    assert_ne!(divided(5.526730519311473e-2).by_huge, 5.526730519311473e-2 * (1.0 / 1e308));
}

#[test]
fn a_constant_divisor_in_an_equation_is_a_product_too() {
    let m = Divisions::new();
    for x in points() {
        let dx = m.derivative(0.0, &DivisionsState { x }, &DivisionsInputs::default());
        assert_eq!(dx.x.to_bits(), (-x * (1.0 / 7.0)).to_bits(), "at {x:e}");
    }
}
