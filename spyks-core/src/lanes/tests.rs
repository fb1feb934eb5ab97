//! Lane results against the scalar functions, bit for bit, lane by lane.

use super::*;
use crate::math;

/// Test points: the special values, the functions' internal thresholds, and a deterministic
/// spread over |x| ≤ 800 (uniform), log-uniform magnitudes down to 1e-300 and raw bit patterns.
pub(super) fn points() -> Vec<f64> {
    let mut v = vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MIN_POSITIVE,
        -f64::MIN_POSITIVE,
        5e-324,
        -5e-324,
        f64::MAX,
        f64::MIN,
        1e-17,
        -1e-17,
        1e-8,
        -1e-8,
        20.0,
        -20.0,
        45.0,
        -45.0,
        -746.0,
        710.0,
        709.8,
        710.5,
        711.0,
    ];
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        // SplitMix64.
        s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for _ in 0..100_000 {
        let u = (next() >> 11) as f64 / (1u64 << 53) as f64;
        v.push(1600.0 * u - 800.0);
        let w = (next() >> 11) as f64 / (1u64 << 53) as f64;
        let sign = if next() & 1 == 0 { 1.0 } else { -1.0 };
        v.push(sign * 10f64.powf(-300.0 + 303.0 * w));
        v.push(f64::from_bits(next()));
    }
    for k in -60..=60 {
        v.push(k as f64 * std::f64::consts::LN_2 / 2.0);
    }
    v
}

fn check(name: &str, lane: impl Fn(F64s<8>) -> F64s<8>, scalar: impl Fn(f64) -> f64) {
    check_width(name, lane, scalar);
}

fn check_width<const L: usize>(name: &str, lane: impl Fn(F64s<L>) -> F64s<L>, scalar: impl Fn(f64) -> f64) {
    let p = points();
    assert!(p.len() > 300_000);
    for block in p.chunks_exact(L) {
        let y = lane(F64s::load(block));
        for (i, &x) in block.iter().enumerate() {
            let (a, b) = (y.0[i], scalar(x));
            assert!(a.to_bits() == b.to_bits(), "{name}({x:e}): lane {a:e}, scalar {b:e}");
        }
    }
}

#[test]
fn transcendental_lanes_match_scalar_bits() {
    check("exp", |x| x.exp(), math::exp);
    check("exp_m1", |x| x.exp_m1(), math::exp_m1);
    // Meaningful below EXP_M1_SMALL only, but lane-wise everywhere.
    check("phi1_small", |x| x.phi1_small(), math::phi1_small);
    check("ln", |x| x.ln(), math::ln);
    check("ln_1p", |x| x.ln_1p(), f64::ln_1p);
    check("tanh", |x| x.tanh(), math::tanh);
    check("cosh", |x| x.cosh(), math::cosh);
    check("sinh", |x| x.sinh(), math::sinh);
    check("sqrt", |x| x.sqrt(), f64::sqrt);
    check("abs", |x| x.abs(), f64::abs);
    // Constant exponents (as generated code has them) and a run-time one (`__powidf2`).
    check("powi3", |x| x.powi(3), |x| x.powi(3));
    check("powi4", |x| x.powi(4), |x| x.powi(4));
    check("powi-2", |x| x.powi(-2), |x| x.powi(-2));
    for n in [-7, -3, -1, 0, 1, 5, 6, 7, 13, i32::MIN] {
        let n = std::hint::black_box(n);
        check("powi", |x| x.powi(n), |x| x.powi(n));
    }
    check("heaviside", |x| x.heaviside(), heaviside);
}

/// `F64s::tanh` takes the short form of expm1(2|x|) only when a lane of the block needs it
/// (2|x| below `EXP_M1_SMALL`): blocks with every lane above, every lane below, and lanes on
/// both sides of the bound, each against the scalar function.
#[test]
fn tanh_lanes_match_scalar_bits_on_each_side_of_the_short_form_bound() {
    let b = math::EXP_M1_SMALL / 2.0;
    let mut edge = vec![b, -b, b.next_down(), -b.next_down(), b.next_up(), -b.next_up()];
    edge.extend([b.next_down().next_down(), -b.next_up().next_up()]);
    let p = points();
    // NaN goes with the large form, as in `tanh`.
    let (small, large): (Vec<f64>, Vec<f64>) = p.iter().partition(|x| 2.0 * x.abs() < math::EXP_M1_SMALL);
    assert!(large.len() > 100_000 && small.len() > 50_000);
    for (what, xs) in [("above", &large), ("below", &small), ("at", &edge)] {
        for block in xs.chunks_exact(8) {
            let y = F64s::<8>::load(block).tanh();
            for (i, &x) in block.iter().enumerate() {
                let (a, s) = (y.0[i], math::tanh(x));
                assert!(a.to_bits() == s.to_bits(), "tanh({x:e}), lanes {what} the bound: lane {a:e}, scalar {s:e}");
            }
        }
    }
}

#[test]
fn sixteen_lanes_match_scalar_bits() {
    // The block width of populations with AVX-512.
    check_width::<16>("exp", |x| x.exp(), math::exp);
    check_width::<16>("exp_m1", |x| x.exp_m1(), math::exp_m1);
    check_width::<16>("tanh", |x| x.tanh(), math::tanh);
    check_width::<16>("powi4", |x| x.powi(4), |x| x.powi(4));
}

#[test]
fn f64_real_is_the_math_module() {
    for &x in points().iter().step_by(7) {
        assert_eq!(Real::exp(x).to_bits(), math::exp(x).to_bits());
        assert_eq!(Real::exp_m1(x).to_bits(), math::exp_m1(x).to_bits());
        assert_eq!(Real::tanh(x).to_bits(), math::tanh(x).to_bits());
        assert_eq!(Real::ln(x).to_bits(), math::ln(x).to_bits());
    }
}

#[test]
fn arithmetic_comparisons_and_select_are_lane_wise() {
    let p = points();
    for (a, b) in p.chunks_exact(8).zip(p.chunks_exact(8).skip(1)) {
        let (x, y) = (F64s::<8>::load(a), F64s::<8>::load(b));
        let s = Real::select(x.lt(y), x * y + x / y, (x - y).min(-x).max(y.powf(x)));
        for i in 0..8 {
            let (p, q) = (a[i], b[i]);
            let r = if p < q { p * q + p / q } else { (p - q).min(-p).max(q.powf(p)) };
            assert_eq!(s.0[i].to_bits(), r.to_bits(), "lane {i}: {p:e}, {q:e}");
            assert_eq!(x.ge(y).lane(i), p >= q);
            assert_eq!(x.ne(y).lane(i), p != q);
            assert_eq!(x.eq(x).lane(i), p == p);
            let nan = x.le(y).or(x.gt(y)).not();
            assert_eq!(nan.lane(i), p.is_nan() || q.is_nan());
            // Each lane all ones or all zeros, which the bitwise select relies on.
            assert_eq!(nan.0[i], if p.is_nan() || q.is_nan() { u64::MAX } else { 0 });
            assert_eq!(x.lt(y).and(x.ge(y)).0[i], 0);
        }
    }
}

#[test]
fn lanes_gather_and_scatter_round_trip() {
    use crate::presets::hodgkin_huxley::HodgkinHuxley;
    use crate::{NeuronModel, Vector};
    type St = <HodgkinHuxley as NeuronModel>::State;
    let mut x = vec![F64s::<8>::splat(0.0); St::LEN];
    for l in 0..8 {
        let mut s = St::default();
        for v in 0..St::LEN {
            s.set_index(v, (10 * l + v) as f64);
        }
        scatter_lane(&s, &mut x, l);
    }
    for l in 0..8 {
        let s: St = gather_lane(&x, l);
        for (v, xv) in x.iter().enumerate() {
            assert_eq!(s.get_index(v), Some((10 * l + v) as f64));
            assert_eq!(xv.0[l], (10 * l + v) as f64);
        }
    }
}

#[test]
fn table_cell_index_and_gather_lane_by_lane() {
    // The cell index is the scalar tables' `clamp` then truncation, NaN giving 0.
    let x = F64s([-3.5, 0.0, 0.999, 2.5, 7.0, 99.0, f64::NAN, 6.0]);
    let i = x.cell_index(6.0);
    assert_eq!(i.0, [0.0, 0.0, 0.0, 2.0, 6.0, 6.0, 0.0, 6.0]);
    for l in 0..8 {
        assert_eq!(i.0[l].to_bits(), x.0[l].cell_index(6.0).to_bits());
    }
    // A gather reads data[idx] per lane; an index past the end reads the last element.
    let data: Vec<f64> = (0..10).map(|k| 100.0 + k as f64).collect();
    let g = F64s::gather(&data, F64s([0.0, 9.0, 3.0, 3.0, 12.0, 1.0, 5.0, 8.0]));
    assert_eq!(g.0, [100.0, 109.0, 103.0, 103.0, 109.0, 101.0, 105.0, 108.0]);
    assert_eq!(f64::gather(&data[4..], 2.0), 106.0);
}

#[test]
fn gather_clamps_out_of_range_indices() {
    let data = [1.0, 2.0, 3.0];
    let g = F64s::gather(&data, F64s([-5.0, f64::NAN, 1.9, 2.0, 3.0, 1e300, f64::INFINITY, -0.5]));
    assert_eq!(g.0, [1.0, 1.0, 2.0, 3.0, 3.0, 3.0, 3.0, 1.0]);
    assert_eq!(f64::gather(&data, f64::NEG_INFINITY), 1.0);
}
