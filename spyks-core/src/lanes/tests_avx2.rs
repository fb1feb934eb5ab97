//! [`F64x4`] against the scalar functions, bit for bit, lane by lane (on processors with
//! AVX2; elsewhere the type is never used and these tests return at once).

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

fn check(name: &str, lane: impl Fn(F64x4) -> F64x4, scalar: impl Fn(f64) -> f64) {
    check_points(name, &points(), lane, scalar);
}

fn check_points(name: &str, p: &[f64], lane: impl Fn(F64x4) -> F64x4, scalar: impl Fn(f64) -> f64) {
    for block in p.chunks_exact(4) {
        let y = lane(F64x4::load(block)).to_array();
        for (i, &x) in block.iter().enumerate() {
            let (a, b) = (y[i], scalar(x));
            assert!(a.to_bits() == b.to_bits(), "{name}({x:e}) = {x:?}: lane {a:e} ({a:?}), scalar {b:e} ({b:?})");
        }
    }
}

#[test]
fn four_lane_transcendentals_match_scalar_bits() {
    if !avx2() {
        return;
    }
    check("exp", |x| x.exp(), math::exp);
    check("exp_m1", |x| x.exp_m1(), math::exp_m1);
    check("phi1_small", |x| x.phi1_small(), math::phi1_small);
    check("tanh", |x| x.tanh(), math::tanh);
    check("cosh", |x| x.cosh(), math::cosh);
    check("sinh", |x| x.sinh(), math::sinh);
    check("ln", |x| x.ln(), math::ln);
    check("ln_1p", |x| x.ln_1p(), f64::ln_1p);
    check("sqrt", |x| x.sqrt(), f64::sqrt);
    check("abs", |x| x.abs(), f64::abs);
    check("neg", |x| -x, |x| -x);
    check("heaviside", |x| x.heaviside(), heaviside);
    check("powi3", |x| x.powi(3), |x| x.powi(3));
    check("powi4", |x| x.powi(4), |x| x.powi(4));
    for n in [-7, -2, -1, 0, 1, 5, 13, i32::MIN] {
        let n = std::hint::black_box(n);
        check("powi", |x| x.powi(n), |x| x.powi(n));
    }
}

/// The integer steps of the reductions (k, the power-of-two scaling, the arithmetic shifts
/// built from logical ones) at every multiple of ln 2/64 over `exp`'s whole range and at its
/// neighbours, where k changes.
#[test]
fn four_lane_reductions_match_scalar_bits_at_every_table_boundary() {
    if !avx2() {
        return;
    }
    let step = std::f64::consts::LN_2 / 64.0;
    let mut p = Vec::new();
    for k in -68_900..=65_600 {
        let x = k as f64 * step;
        p.extend([x, x.next_up(), x.next_down(), x + 0.5 * step]);
    }
    check_points("exp", &p, |x| x.exp(), math::exp);
    check_points("exp_m1", &p, |x| x.exp_m1(), math::exp_m1);
    check_points("cosh", &p, |x| x.cosh(), math::cosh);
    let q: Vec<f64> = p.iter().map(|x| x / 32.0).collect();
    check_points("tanh", &q, |x| x.tanh(), math::tanh);
}

/// `tanh` takes the short form only when a lane needs it: blocks wholly above, wholly below
/// and across the bound.
#[test]
fn four_lane_tanh_matches_scalar_bits_on_each_side_of_the_short_form_bound() {
    if !avx2() {
        return;
    }
    let b = math::EXP_M1_SMALL / 2.0;
    let p = points();
    let (small, large): (Vec<f64>, Vec<f64>) = p.iter().partition(|x| 2.0 * x.abs() < math::EXP_M1_SMALL);
    let edge = [b, -b.next_down(), b.next_up(), -b.next_up().next_up(), b.next_down(), -b, 0.1, 3.0];
    for xs in [&small[..], &large[..], &edge[..]] {
        check_points("tanh", xs, |x| x.tanh(), math::tanh);
    }
}

#[test]
fn four_lane_arithmetic_comparisons_and_select_are_lane_wise() {
    if !avx2() {
        return;
    }
    let p = points();
    for (a, b) in p.chunks_exact(4).zip(p.chunks_exact(4).skip(1)) {
        let (x, y) = (F64x4::load(a), F64x4::load(b));
        let s = Real::select(x.lt(y), x * y + x / y, (x - y).min(-x).max(y.powf(x))).to_array();
        for i in 0..4 {
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
        assert_eq!(m.any(), (0..4).any(|i| a[i] < b[i]));
        assert_eq!(m.all(), (0..4).all(|i| a[i] < b[i]));
    }
    let mut m = M64x4::splat(false);
    m.set_lane(2, true);
    assert_eq!([m.lane(0), m.lane(1), m.lane(2), m.lane(3)], [false, false, true, false]);
    let mut v = F64x4::splat(1.0);
    v.set_lane(3, -2.5);
    assert_eq!(v.to_array(), [1.0, 1.0, 1.0, -2.5]);
    assert_eq!(v.lane(3), -2.5);
}

#[test]
fn four_lane_table_cell_index_and_gather() {
    if !avx2() {
        return;
    }
    for xs in [[-3.5, 0.0, 0.999, 2.5], [7.0, 99.0, f64::NAN, -0.0], [6.0, 1e300, f64::INFINITY, f64::NEG_INFINITY]] {
        let i = F64x4::from_array(xs).cell_index(6.0).to_array();
        for l in 0..4 {
            assert_eq!(i[l].to_bits(), xs[l].cell_index(6.0).to_bits(), "cell_index({})", xs[l]);
        }
        // A huge bound is limited to 2³¹ − 1, as in the scalar path.
        let j = F64x4::from_array(xs).cell_index(1e300).to_array();
        for l in 0..4 {
            assert_eq!(j[l].to_bits(), xs[l].cell_index(1e300).to_bits(), "cell_index({}, 1e300)", xs[l]);
        }
    }
    let data = [1.0, 2.0, 3.0];
    let g = F64x4::gather(&data, F64x4::from_array([-5.0, f64::NAN, 1.9, 1e300])).to_array();
    assert_eq!(g, [1.0, 1.0, 2.0, 3.0]);
}

/// `Two<F64x4>`, the AVX2 blocks' lanes: lane i is the first half's for i < 4, else the
/// second's, in loads, stores, lane access, masks and every function.
#[test]
fn two_halves_keep_the_lane_order() {
    if !avx2() {
        return;
    }
    let data: Vec<f64> = (0..8).map(|i| 0.25 + i as f64).collect();
    let x = Two::<F64x4>::load(&data);
    let mut out = [0.0; 8];
    x.store(&mut out);
    assert_eq!(out.to_vec(), data);
    for (l, &d) in data.iter().enumerate() {
        assert_eq!(x.lane(l), d);
    }
    let mut y = x;
    y.set_lane(6, -1.0);
    assert_eq!((y.1.to_array()[2], y.lane(6), y.lane(2)), (-1.0, -1.0, 2.25));
    let m = x.gt(<Two<F64x4> as Real>::splat(4.0));
    assert_eq!(m.bitmask(), 0b1111_0000);
    assert_eq!((m.lane(3), m.lane(4)), (false, true));
    let f = <Two<M64x4> as Mask>::from_lanes(|l| l % 3 == 0);
    assert_eq!(f.bitmask(), 0b0100_1001);
    let mut g = <Two<M64x4> as Mask>::splat(false);
    g.set_lane(5, true);
    assert_eq!(g.bitmask(), 1 << 5);
    assert!(g.any() && !g.all() && <Two<M64x4> as Mask>::splat(true).all());
    let p = points();
    for block in p.chunks_exact(8) {
        let v = Two::<F64x4>::load(block);
        let (e, t, q) = (v.exp(), v.tanh(), (v * v).sqrt() - v.abs());
        for (l, &b) in block.iter().enumerate() {
            assert_eq!(e.lane(l).to_bits(), math::exp(b).to_bits(), "exp({b:e})");
            assert_eq!(t.lane(l).to_bits(), math::tanh(b).to_bits(), "tanh({b:e})");
            assert_eq!(q.lane(l).to_bits(), ((b * b).sqrt() - b.abs()).to_bits(), "{b:e}");
        }
    }
}
