//! The error bounds of `spyks_core::math`, against std (glibc's, itself within about half an
//! ulp), at random points over the whole range, densely where neuron models use the
//! functions (|x| ≤ 50), around the thresholds of each function, and at special values.

use super::*;
use rand::{RngExt, SeedableRng};

/// Distance in representable doubles between `a` and `b` (0 when equal, both NaN, or
/// infinities of the same sign), through the ordered integer image of the bit patterns.
pub(crate) fn ulps(a: f64, b: f64) -> u64 {
    if a == b || (a.is_nan() && b.is_nan()) {
        return 0;
    }
    if a.is_nan() || b.is_nan() {
        return u64::MAX;
    }
    let ord = |x: f64| {
        let i = x.to_bits() as i64;
        if i < 0 { i64::MIN - i } else { i }
    };
    ord(a).abs_diff(ord(b))
}

/// Random points: log-uniform magnitudes in [2^-1074, hi] of both signs, and uniform ones in
/// [-dense, dense].
fn points(seed: u64, n: usize, hi: f64, dense: f64) -> Vec<f64> {
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    let lmax = hi.log2();
    let mut v = Vec::with_capacity(2 * n);
    for _ in 0..n {
        let l: f64 = rng.random_range(-1074.0..lmax);
        let s = if rng.random::<bool>() { 1.0 } else { -1.0 };
        v.push(s * l.exp2());
        v.push(rng.random_range(-dense..dense));
    }
    v
}

/// Points on either side of each of `marks`, a few ulps apart and further out.
fn around(marks: &[f64]) -> Vec<f64> {
    let mut v = Vec::new();
    for &m in marks {
        for s in [1.0, -1.0] {
            let c = s * m;
            let mut x = c;
            let mut y = c;
            for _ in 0..64 {
                v.push(x);
                v.push(y);
                x = x.next_up();
                y = y.next_down();
            }
            for d in [1e-12, 1e-9, 1e-6, 1e-3] {
                v.push(c + d * c.abs().max(1e-300));
                v.push(c - d * c.abs().max(1e-300));
            }
        }
    }
    v
}

/// The largest distance from std over `xs`, with the worst argument.
fn worst(ours: impl Fn(f64) -> f64, std: impl Fn(f64) -> f64, xs: &[f64]) -> (u64, f64) {
    xs.iter().map(|&x| (ulps(ours(x), std(x)), x)).fold((0, 0.0), |a, b| if b.0 > a.0 { b } else { a })
}

fn check(name: &str, bound: u64, ours: impl Fn(f64) -> f64 + Copy, std: impl Fn(f64) -> f64 + Copy, hi: f64, marks: &[f64]) {
    let mut xs = points(name.len() as u64 * 7919, 150_000, hi, 50.0);
    xs.extend(around(marks));
    // Multiples of ln2/2, where the reduction's k changes.
    xs.extend((-60..=60).flat_map(|j| around(&[j as f64 * std::f64::consts::LN_2 / 2.0])));
    let (e, x) = worst(ours, std, &xs);
    println!("{name}: largest distance from std {e} ulp (at x = {x:e}) over {} points", xs.len());
    assert!(e <= bound, "{name}({x:e}) = {:e}, std {:e}: {e} ulp", ours(x), std(x));
}

#[test]
fn math_exp_is_within_1_ulp() {
    let marks = [0.0, 1e-300, 1e-17, 1e-8, 1.0, 700.0, 708.4, 709.0, 709.782712893384, 709.79, 745.1332191019412, 745.2];
    check("exp", 1, exp, f64::exp, 1e4, &marks);
    // Subnormal results are rounded once, like std's.
    let sub = (0..20_000).map(|i| -708.4 - i as f64 * 0.00184).collect::<Vec<_>>();
    let (e, x) = worst(exp, f64::exp, &sub);
    assert!(e <= 1, "exp({x:e}): {e} ulp in the subnormal range");
}

#[test]
fn math_exp_m1_is_within_2_ulp() {
    let marks = [0.0, 1e-300, 1e-17, 1e-8, 0.3, 0.5, 1.0, 36.0, 37.5, 45.0, 709.0, 709.782712893384, 709.79];
    check("exp_m1", 2, exp_m1, f64::exp_m1, 1e4, &marks);
}

/// Points for the functions' short forms: `points` up to `EXP_M1_SMALL`, the `last` doubles
/// below the bound of both signs, and points around 0 and a few small marks.
fn below_small(seed: u64, n: usize, last: usize) -> Vec<f64> {
    let mut xs = points(seed, n, EXP_M1_SMALL, EXP_M1_SMALL);
    let mut x = EXP_M1_SMALL;
    for _ in 0..last {
        x = x.next_down();
        xs.extend([x, -x]);
    }
    xs.extend(around(&[0.0, 1e-300, 1e-17, 1e-8, 0.1, 0.3]));
    xs
}

/// `exp_m1` takes its short form below `EXP_M1_SMALL` and blocks of lanes take it for whole
/// blocks, which is sound only if it has the bits of the general form everywhere there: at
/// random points (log-uniform down to the subnormals, and uniform), at the last 10 000 doubles
/// below the bound, and around the thresholds.
#[test]
fn math_exp_m1_short_form_has_the_bits_of_the_general_form() {
    let mut xs = below_small(42, 200_000, 10_000);
    xs.extend([f64::MIN_POSITIVE, -f64::MIN_POSITIVE, 5e-324, -5e-324, -0.0]);
    let mut checked = 0;
    for &x in xs.iter().filter(|x| x.abs() < EXP_M1_SMALL) {
        assert_eq!(
            exp_m1_small(x).to_bits(),
            exp_m1_any(x).to_bits(),
            "exp_m1 at x = {x:e}: short form {:e}, general {:e}",
            exp_m1_small(x),
            exp_m1_any(x)
        );
        assert_eq!(exp_m1(x).to_bits(), exp_m1_any(x).to_bits());
        checked += 1;
    }
    assert!(checked > 400_000, "only {checked} points below the bound");
}

/// φ₁(x) = (e^x − 1)/x by its series 1 + x/2 + Σ_{k≥2} x^k/(k+1)!, the tail summed smallest
/// term first, so that only the last two additions round at the size of the result (an
/// independent reference to about half an ulp).
fn phi1_series(x: f64) -> f64 {
    let mut terms = Vec::with_capacity(40);
    let mut t = x / 2.0;
    for k in 2..40 {
        t = t * x / (k + 1) as f64;
        terms.push(t);
    }
    let tail: f64 = terms.iter().rev().sum();
    1.0 + (x / 2.0 + tail)
}

/// Exponential Euler's factor (e^x − 1)/x below `EXP_M1_SMALL`, against its series: at
/// random points (log-uniform down to the subnormals, and uniform), at the last doubles below
/// the bound and around 0.
#[test]
fn math_phi1_small_is_within_2_ulp_of_its_series() {
    let mut xs = below_small(7, 100_000, 2_000);
    xs.retain(|x| x.abs() < EXP_M1_SMALL);
    let (e, x) = worst(phi1_small, phi1_series, &xs);
    println!("phi1_small: largest distance from the series {e} ulp (at x = {x:e}) over {} points", xs.len());
    assert!(e <= 2, "phi1_small({x:e}) = {:e}, series {:e}: {e} ulp", phi1_small(x), phi1_series(x));
    assert_eq!(phi1_small(0.0), 1.0);
    assert_eq!(phi1_small(-0.0), 1.0);
    // Where e^x - 1 is far from x, the same as the quotient of std's expm1 and x, to a few ulp.
    for x in [-0.3, -0.1, -0.01, 0.01, 0.1, 0.3] {
        assert!(ulps(phi1_small(x), f64::exp_m1(x) / x) <= 3, "phi1_small({x})");
    }
}

#[test]
fn math_tanh_is_within_2_ulp() {
    // EXP_M1_SMALL/2: where u = expm1(2|x|) changes from the short form to the table form.
    let marks = [0.0, 1e-300, 1e-17, 1e-8, 0.17, EXP_M1_SMALL / 2.0, 0.35, 0.55, 1.0, 19.0, 19.06, 20.0];
    check("tanh", 2, tanh, f64::tanh, 1e4, &marks);
}

#[test]
fn math_cosh_and_sinh_are_within_2_ulp() {
    let marks = [0.0, 1e-300, 1e-8, 0.35, 1.0, 22.0, 709.0, 710.0, 710.4758600739439, 711.0];
    check("cosh", 2, cosh, f64::cosh, 1e4, &marks);
    check("sinh", 2, sinh, f64::sinh, 1e4, &marks);
}

#[test]
fn math_ln_is_within_1_ulp() {
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
    // Positive arguments over every binade (subnormals included) and around 1.
    let mut xs: Vec<f64> = (0..300_000).map(|_| rng.random_range(-1074.0..1024.0f64).exp2()).collect();
    xs.extend((0..100_000).map(|_| rng.random_range(0.5..2.0f64)));
    xs.extend(around(&[1.0, std::f64::consts::FRAC_1_SQRT_2, std::f64::consts::SQRT_2, f64::MIN_POSITIVE, 5e-324, f64::MAX]));
    let xs: Vec<f64> = xs.into_iter().filter(|x| *x > 0.0).collect();
    let (e, x) = worst(ln, f64::ln, &xs);
    println!("ln: largest distance from std {e} ulp (at x = {x:e}) over {} points", xs.len());
    assert!(e <= 1, "ln({x:e}) = {:e}, std {:e}: {e} ulp", ln(x), x.ln());
}

#[test]
fn math_special_values_are_those_of_std() {
    let specials = [0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, f64::MAX, -f64::MAX, f64::MIN_POSITIVE, 5e-324, -5e-324];
    type Case = (&'static str, fn(f64) -> f64, fn(f64) -> f64);
    let funcs: [Case; 6] = [
        ("exp", exp, f64::exp),
        ("exp_m1", exp_m1, f64::exp_m1),
        ("tanh", tanh, f64::tanh),
        ("cosh", cosh, f64::cosh),
        ("sinh", sinh, f64::sinh),
        ("ln", ln, f64::ln),
    ];
    for (name, ours, std) in funcs {
        for x in specials {
            let (a, b) = (ours(x), std(x));
            let same = (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
            assert!(same, "{name}({x:e}) = {a:e}, std gives {b:e}");
        }
    }
    // Overflow and underflow at the same places as std.
    assert_eq!(exp(709.782712893384), f64::exp(709.782712893384));
    assert_eq!(exp(709.7827128933841), f64::INFINITY);
    assert_eq!(exp(-745.2), 0.0);
    assert_eq!(exp_m1(-50.0), -1.0);
    assert_eq!(sinh(-711.0), f64::NEG_INFINITY);
    assert_eq!((tanh(19.5), tanh(-25.0)), (1.0, -1.0));
}
