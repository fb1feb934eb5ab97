//! The intrinsic lane types, [`F64x4`] (AVX2) and [`F64x8`] (AVX-512F), against the scalar
//! functions, bit for bit (NaN for NaN), lane by lane. Each check runs for each type the processor has;
//! elsewhere a type is never used and its checks return at once.

use super::tests::points;
use super::*;
use crate::math;

fn avx2() -> bool {
    let has = std::arch::is_x86_feature_detected!("avx2");
    if !has {
        eprintln!("no AVX2 on this processor: F64x4 is not used here, nothing to test");
    }
    has
}

fn avx512() -> bool {
    let has = std::arch::is_x86_feature_detected!("avx512f");
    if !has {
        eprintln!("no AVX-512F on this processor: F64x8 is not used here, nothing to test");
    }
    has
}

/// Runs `$body` (generic over a lanes type `T`) for `F64x4` and `F64x8` where the processor
/// has them.
macro_rules! for_each_type {
    (fn $name:ident<$t:ident>() $body:block) => {
        #[test]
        fn $name() {
            fn body<$t: Real>() $body
            if avx2() {
                body::<F64x4>();
            }
            if avx512() {
                body::<F64x8>();
            }
        }
    };
}

fn lanes<T: Real>(x: T) -> Vec<f64> {
    (0..T::LANES).map(|i| x.lane(i)).collect()
}

fn check<T: Real>(name: &str, lane: impl Fn(T) -> T, scalar: impl Fn(f64) -> f64) {
    check_points(name, &points(), lane, scalar);
}

/// The same bits, or both NaN: a NaN's sign and payload are not part of a result (Rust
/// leaves them unspecified, and `c + a·b` written as `mul_add` adds in the other order, which
/// on x86 picks the other operand's NaN when both are).
fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fn check_points<T: Real>(name: &str, p: &[f64], lane: impl Fn(T) -> T, scalar: impl Fn(f64) -> f64) {
    for block in p.chunks_exact(T::LANES) {
        let y = lane(T::load(block));
        for (i, &x) in block.iter().enumerate() {
            let (a, b) = (y.lane(i), scalar(x));
            assert!(same(a, b), "{name}({x:e}), {} lanes: lane {a:e} ({a:?}), scalar {b:e} ({b:?})", T::LANES);
        }
    }
}

for_each_type! {
    fn transcendentals_match_scalar_bits<T>() {
        check::<T>("exp", |x| x.exp(), math::exp);
        check::<T>("exp_m1", |x| x.exp_m1(), math::exp_m1);
        check::<T>("phi1_small", |x| x.phi1_small(), math::phi1_small);
        check::<T>("tanh", |x| x.tanh(), math::tanh);
        check::<T>("cosh", |x| x.cosh(), math::cosh);
        check::<T>("sinh", |x| x.sinh(), math::sinh);
        check::<T>("ln", |x| x.ln(), math::ln);
        check::<T>("ln_1p", |x| x.ln_1p(), f64::ln_1p);
        check::<T>("sqrt", |x| x.sqrt(), f64::sqrt);
        check::<T>("abs", |x| x.abs(), f64::abs);
        check::<T>("neg", |x| -x, |x| -x);
        check::<T>("heaviside", |x| x.heaviside(), heaviside);
        check::<T>("powi3", |x| x.powi(3), |x| x.powi(3));
        check::<T>("powi4", |x| x.powi(4), |x| x.powi(4));
        for n in [-7, -2, -1, 0, 1, 5, 13, i32::MIN] {
            let n = std::hint::black_box(n);
            check::<T>("powi", |x| x.powi(n), |x| x.powi(n));
        }
    }
}

for_each_type! {
    // The integer steps of the reductions (k, the power-of-two scaling, the arithmetic shifts
    // built from logical ones) at every multiple of ln 2/64 over `exp`'s whole range and at
    // its neighbours, where k changes.
    fn reductions_match_scalar_bits_at_every_table_boundary<T>() {
        let step = std::f64::consts::LN_2 / 64.0;
        let mut p = Vec::new();
        for k in -68_900..=65_600 {
            let x = k as f64 * step;
            p.extend([x, x.next_up(), x.next_down(), x + 0.5 * step]);
        }
        check_points::<T>("exp", &p, |x| x.exp(), math::exp);
        check_points::<T>("exp_m1", &p, |x| x.exp_m1(), math::exp_m1);
        check_points::<T>("cosh", &p, |x| x.cosh(), math::cosh);
        let q: Vec<f64> = p.iter().map(|x| x / 32.0).collect();
        check_points::<T>("tanh", &q, |x| x.tanh(), math::tanh);
    }
}

for_each_type! {
    // `tanh` takes the short form only when a lane needs it: blocks wholly above, wholly
    // below and across the bound.
    fn tanh_matches_scalar_bits_on_each_side_of_the_short_form_bound<T>() {
        let b = math::EXP_M1_SMALL / 2.0;
        let p = points();
        let (small, large): (Vec<f64>, Vec<f64>) = p.iter().partition(|x| 2.0 * x.abs() < math::EXP_M1_SMALL);
        let edge = [b, -b.next_down(), b.next_up(), -b.next_up().next_up(), b.next_down(), -b, 0.1, 3.0];
        for xs in [&small[..], &large[..], &edge[..]] {
            check_points::<T>("tanh", xs, |x| x.tanh(), math::tanh);
        }
    }
}

for_each_type! {
    fn arithmetic_comparisons_and_select_are_lane_wise<T>() {
        let p = points();
        let l = T::LANES;
        for (a, b) in p.chunks_exact(l).zip(p.chunks_exact(l).skip(1)) {
            let (x, y) = (T::load(a), T::load(b));
            let s = lanes(T::select(x.lt(y), x * y + x / y, (x - y).min(-x).max(y.powf(x))));
            for i in 0..l {
                let (p, q) = (a[i], b[i]);
                let r = if p < q { p * q + p / q } else { (p - q).min(-p).max(q.powf(p)) };
                assert_eq!(s[i].to_bits(), r.to_bits(), "lane {i}: {p:e}, {q:e}");
                assert_eq!(x.ge(y).lane(i), p >= q);
                assert_eq!(x.le(y).lane(i), p <= q);
                assert_eq!(x.gt(y).lane(i), p > q);
                assert_eq!(x.ne(y).lane(i), p != q);
                assert_eq!(x.eq(x).lane(i), p == p);
                let nan = x.le(y).or(x.gt(y)).not();
                assert_eq!(nan.lane(i), p.is_nan() || q.is_nan());
                assert!(!x.lt(y).and(x.ge(y)).lane(i));
            }
            let m = x.lt(y);
            assert_eq!(m.any(), (0..l).any(|i| a[i] < b[i]));
            assert_eq!(m.all(), (0..l).all(|i| a[i] < b[i]));
            assert_eq!(m.bitmask(), (0..l).map(|i| u64::from(a[i] < b[i]) << i).sum::<u64>());
        }
        let mut m = T::Mask::splat(false);
        m.set_lane(2, true);
        assert_eq!((0..l).map(|i| m.lane(i)).collect::<Vec<_>>(), (0..l).map(|i| i == 2).collect::<Vec<_>>());
        m.set_lane(2, false);
        assert!(!m.any() && T::Mask::splat(true).all() && !T::Mask::splat(true).not().any());
        let f = T::Mask::from_lanes(|i| i % 3 == 0);
        assert_eq!(f.bitmask(), (0..l).filter(|i| i % 3 == 0).map(|i| 1 << i).sum::<u64>());
        let mut v = T::splat(1.0);
        v.set_lane(3, -2.5);
        assert_eq!(lanes(v), (0..l).map(|i| if i == 3 { -2.5 } else { 1.0 }).collect::<Vec<_>>());
    }
}

for_each_type! {
    // The refractory mask: lane i is bit i, the bits above the lanes ignored.
    fn mask_from_bits_takes_lane_i_from_bit_i<T>() {
        for bits in [0, 1, 0b1010_0110, 0x8000_0000_0000_0001, u64::MAX, 0xdead_beef_f00d_cafe, 1 << (T::LANES - 1), 1 << T::LANES] {
            let m = T::Mask::from_bits(bits);
            for i in 0..T::LANES {
                assert_eq!(m.lane(i), bits >> i & 1 == 1, "lane {i} of {bits:#x}");
            }
            assert_eq!(m.bitmask(), bits & ((1 << T::LANES) - 1), "{bits:#x}");
        }
    }
}

for_each_type! {
    fn table_cell_index_and_gather<T>() {
        let xs = [-3.5, 0.0, 0.999, 2.5, 7.0, 99.0, f64::NAN, -0.0, 6.0, 1e300, f64::INFINITY, f64::NEG_INFINITY, 5.999, 1.0, -1e300, 3.0];
        for block in xs.chunks_exact(T::LANES) {
            let x = T::load(block);
            let (i, j) = (x.cell_index(6.0), x.cell_index(1e300));
            for (l, &b) in block.iter().enumerate() {
                assert_eq!(i.lane(l).to_bits(), b.cell_index(6.0).to_bits(), "cell_index({b})");
                // A huge bound is limited to 2³¹ − 1, as in the scalar path.
                assert_eq!(j.lane(l).to_bits(), b.cell_index(1e300).to_bits(), "cell_index({b}, 1e300)");
            }
        }
        let data = [1.0, 2.0, 3.0];
        let idx = [-5.0, f64::NAN, 1.9, 1e300, 2.0, 0.0, -0.0, f64::INFINITY];
        let g = T::gather(&data, T::load(&idx));
        for (l, &k) in idx[..T::LANES].iter().enumerate() {
            assert_eq!(g.lane(l), f64::gather(&data, k), "gather at {k}");
        }
    }
}

for_each_type! {
    // `Two<T>`, the blocks' lanes: lane i is the first half's for i < T::LANES, else the
    // second's, in loads, stores, lane access, masks and every function.
    fn two_halves_keep_the_lane_order<T>() {
        let l = T::LANES;
        let data: Vec<f64> = (0..2 * l).map(|i| 0.25 + i as f64).collect();
        let x = Two::<T>::load(&data);
        let mut out = vec![0.0; 2 * l];
        x.store(&mut out);
        assert_eq!(out, data);
        for (i, &d) in data.iter().enumerate() {
            assert_eq!(x.lane(i), d);
        }
        let mut y = x;
        y.set_lane(l + 2, -1.0);
        assert_eq!((y.1.lane(2), y.lane(l + 2), y.lane(2)), (-1.0, -1.0, 2.25));
        let m = x.gt(<Two<T> as Real>::splat(l as f64));
        assert_eq!(m.bitmask(), ((1u64 << l) - 1) << l);
        assert_eq!((m.lane(l - 1), m.lane(l)), (false, true));
        let f = <Two<T::Mask> as Mask>::from_lanes(|i| i % 3 == 0);
        assert_eq!(f.bitmask(), (0..2 * l).filter(|i| i % 3 == 0).map(|i| 1 << i).sum::<u64>());
        let bits: u64 = (0..2 * l).filter(|i| i % 3 == 1).map(|i| 1 << i).sum();
        let r = <Two<T::Mask> as Mask>::from_bits(bits | 1 << (2 * l));
        assert_eq!(r.bitmask(), bits);
        let mut g = <Two<T::Mask> as Mask>::splat(false);
        g.set_lane(l + 1, true);
        assert_eq!(g.bitmask(), 1 << (l + 1));
        assert!(g.any() && !g.all() && <Two<T::Mask> as Mask>::splat(true).all());
        let p = points();
        for block in p.chunks_exact(2 * l) {
            let v = Two::<T>::load(block);
            let (e, t, q) = (v.exp(), v.tanh(), (v * v).sqrt() - v.abs());
            for (i, &b) in block.iter().enumerate() {
                assert!(same(e.lane(i), math::exp(b)), "exp({b:e})");
                assert!(same(t.lane(i), math::tanh(b)), "tanh({b:e})");
                assert_eq!(q.lane(i).to_bits(), ((b * b).sqrt() - b.abs()).to_bits(), "{b:e}");
            }
        }
    }
}
