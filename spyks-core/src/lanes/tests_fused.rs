//! The fused lane types, `F64x4<true>` (AVX2 with FMA) and `F64x8<true>` (AVX-512F, with
//! `exp` from an 8-row table scaled by `vscalefpd`), alone and in pairs: their `mul_add`
//! rounds once, and the functions built on it stay within the scalar functions'
//! error bounds against std, with std's special values. Each check runs for each type the
//! processor has.

use super::*;
use crate::math;
use crate::math::tests::ulps;
use rand::{RngExt, SeedableRng};

/// Runs `$body` (generic over a lanes type `T`) for the fused types the processor has, with
/// their name.
macro_rules! for_each_fused_type {
    (fn $name:ident<$t:ident>($n:ident) $body:block) => {
        #[test]
        fn $name() {
            fn body<$t: Real>($n: &str) $body
            if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
                body::<F64x4<true>>("F64x4<true>");
            } else {
                eprintln!("no AVX2 with FMA here: F64x4<true> is not used, not tested");
            }
            if std::arch::is_x86_feature_detected!("avx512f") {
                body::<F64x8<true>>("F64x8<true>");
                body::<Two<F64x8<true>>>("Two<F64x8<true>>");
            } else {
                eprintln!("no AVX-512F here: the fused F64x8 are not used, not tested");
            }
        }
    };
}

/// Special values, random points (uniform where neuron models use the functions, log-uniform
/// magnitudes over the whole range), and the multiples of ln 2/64 and their neighbours
/// (where `exp`'s reduction changes row or power of two).
fn fused_points() -> Vec<f64> {
    let mut v = super::tests::points();
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(2026);
    for _ in 0..100_000 {
        v.push(rng.random_range(-50.0..50.0));
        let l: f64 = rng.random_range(-1074.0..13.0);
        v.push(if rng.random::<bool>() { l.exp2() } else { -l.exp2() });
    }
    let step = std::f64::consts::LN_2 / 64.0;
    for k in -64_000..=64_000 {
        let x = k as f64 * step;
        v.extend([x, x.next_up(), x.next_down()]);
    }
    v
}

/// The largest distance of `lane` from `reference` over `p`, asserted at most `bound` ulp;
/// returns how many results differ from `scalar`'s bits (the unfused function).
fn check_bound<T: Real>(
    ty: &str,
    name: &str,
    p: &[f64],
    bound: u64,
    lane: impl Fn(T) -> T,
    reference: impl Fn(f64) -> f64,
    scalar: impl Fn(f64) -> f64,
) -> usize {
    let (mut worst, mut at, mut differ) = (0, 0.0, 0);
    for block in p.chunks_exact(T::LANES) {
        let y = lane(T::load(block));
        for (i, &x) in block.iter().enumerate() {
            let e = ulps(y.lane(i), reference(x));
            if e > worst {
                (worst, at) = (e, x);
            }
            differ += usize::from(y.lane(i).to_bits() != scalar(x).to_bits());
        }
    }
    println!("{ty} {name}: at most {worst} ulp from the reference (x = {at:e}); {differ} of {} not the unfused bits", p.len());
    assert!(worst <= bound, "{ty} {name}({at:e}): {worst} ulp from the reference, bound {bound}");
    differ
}

#[test]
fn only_the_fused_types_round_a_multiply_add_once() {
    // (1 + 2^-30)(1 - 2^-30) - 1 = -2^-60 exactly; the product rounds to 1 first.
    let (a, b, c) = (1.0 + 2f64.powi(-30), 1.0 - 2f64.powi(-30), -1.0);
    let exact = -(2f64.powi(-60));
    fn lanes_of<T: Real>(a: f64, b: f64, c: f64) -> Vec<f64> {
        let y = T::splat(a).mul_add(T::splat(b), T::splat(c));
        (0..T::LANES).map(|i| y.lane(i)).collect()
    }
    assert_eq!(Real::mul_add(a, b, c), 0.0, "f64: the scalar bits");
    assert_eq!(lanes_of::<F64s<8>>(a, b, c), vec![0.0; 8]);
    if std::arch::is_x86_feature_detected!("avx2") {
        assert_eq!(lanes_of::<F64x4>(a, b, c), vec![0.0; 4]);
        if std::arch::is_x86_feature_detected!("fma") {
            assert_eq!(lanes_of::<F64x4<true>>(a, b, c), vec![exact; 4]);
        }
    }
    if std::arch::is_x86_feature_detected!("avx512f") {
        assert_eq!(lanes_of::<F64x8>(a, b, c), vec![0.0; 8]);
        assert_eq!(lanes_of::<F64x8<true>>(a, b, c), vec![exact; 8]);
        assert_eq!(lanes_of::<Two<F64x8<true>>>(a, b, c), vec![exact; 16]);
    }
}

for_each_fused_type! {
    // The scalar functions' bounds against std (`math`'s tests), for the fused forms; φ₁
    // against expm1(x)/x (itself within about one ulp) away from 0, where its polynomial is
    // valid. Fusing must change bits (else the type does not fuse), but not the bounds.
    fn fused_functions_keep_the_error_bounds<T>(ty) {
        let p = fused_points();
        let mut differ = 0;
        differ += check_bound::<T>(ty, "exp", &p, 1, |x| x.exp(), f64::exp, math::exp);
        differ += check_bound::<T>(ty, "exp_m1", &p, 2, |x| x.exp_m1(), f64::exp_m1, math::exp_m1);
        differ += check_bound::<T>(ty, "tanh", &p, 2, |x| x.tanh(), f64::tanh, math::tanh);
        differ += check_bound::<T>(ty, "cosh", &p, 2, |x| x.cosh(), f64::cosh, math::cosh);
        let scale = 0.999 * math::EXP_M1_SMALL / 50.0;
        let small: Vec<f64> = p.iter().filter(|x| x.abs() <= 50.0).map(|x| x * scale).filter(|x| x.abs() > 1e-6).collect();
        differ += check_bound::<T>(ty, "phi1_small", &small, 3, |x| x.phi1_small(), |x| x.exp_m1() / x, math::phi1_small);
        assert!(differ > 1000, "{ty}: only {differ} results differ from the unfused bits");
    }
}
