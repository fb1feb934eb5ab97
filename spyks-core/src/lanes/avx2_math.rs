//! [`crate::math`]'s `exp`, `exp_m1`, `phi1_small`, `tanh` and `cosh` on [`F64x4`]: the same
//! operations in the same order with the same constants (see `math.rs` for the method and
//! the error bounds), so that each lane has the scalar function's bits. Where the scalar code
//! works on the integer bits of a double, so does this, with AVX2's 64-bit integer
//! instructions; AVX2 has no arithmetic right shift of 64-bit lanes, and the logical one
//! gives the same bits where the shifted value is used ([`shr`]), for every input, NaN's
//! garbage bits included.
//!
//! Safety: as the [`F64x4`] module: only reached on processors with AVX2.

use super::Real;
use super::avx2::F64x4;
use crate::math::{E, EXP_M1_SMALL, EXP_T, EXP_TAIL, G, LN2_HI, LN2_LO, LOG2E, SHIFT};
use core::arch::x86_64::*;

/// `exp`'s table as pairs (2^(j/64), its relative rounding error): one 16-byte load per lane
/// gives both.
#[repr(align(64))]
struct Pairs([[f64; 2]; 64]);

static EXP_PAIRS: Pairs = {
    let mut t = [[0.0; 2]; 64];
    let mut j = 0;
    while j < 64 {
        t[j] = [f64::from_bits(EXP_T[j]), EXP_TAIL[j]];
        j += 1;
    }
    Pairs(t)
};

#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn c(v: f64) -> F64x4 {
    F64x4::splat(v)
}

#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn to_bits(x: F64x4) -> __m256i {
    // SAFETY: AVX (module docs).
    unsafe { _mm256_castpd_si256(x.0) }
}

#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn from_bits(i: __m256i) -> F64x4 {
    // SAFETY: AVX (module docs).
    F64x4(unsafe { _mm256_castsi256_pd(i) })
}

/// Wrapping 64-bit addition lane by lane.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn add(a: __m256i, b: __m256i) -> __m256i {
    // SAFETY: AVX2 (module docs).
    unsafe { _mm256_add_epi64(a, b) }
}

/// Wrapping 64-bit subtraction lane by lane.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn sub(a: __m256i, b: __m256i) -> __m256i {
    // SAFETY: AVX2 (module docs).
    unsafe { _mm256_sub_epi64(a, b) }
}

#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn int(v: i64) -> __m256i {
    // SAFETY: AVX (module docs).
    unsafe { _mm256_set1_epi64x(v) }
}

/// `a << 52` lane by lane (wrapping, as the scalar `(k as u64) << 52`).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn shl52(a: __m256i) -> __m256i {
    // SAFETY: AVX2 (module docs).
    unsafe { _mm256_slli_epi64::<52>(a) }
}

/// `a >> N` of 64-bit lanes, logical where the scalar code shifts arithmetically: the two
/// differ only in the top N bits, and the shifted k only ever enters a result through
/// `k << 52` (and sums and differences before it), which keeps its low 12 bits.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn shr<const N: i32>(a: __m256i) -> __m256i {
    // SAFETY: AVX2 (module docs).
    unsafe { _mm256_srli_epi64::<N>(a) }
}

/// 2^k (`math::pow2i`).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn pow2i(k: __m256i) -> F64x4 {
    from_bits(shl52(add(k, int(1023))))
}

/// |x|: the sign bit cleared.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(super) fn abs(x: F64x4) -> F64x4 {
    // SAFETY: AVX (module docs).
    F64x4(unsafe { _mm256_andnot_pd(_mm256_set1_pd(-0.0), x.0) })
}

/// |v| with the sign of x (`f64::copysign`).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn copysign(v: F64x4, x: F64x4) -> F64x4 {
    // SAFETY: AVX (module docs).
    unsafe {
        let sign = _mm256_set1_pd(-0.0);
        F64x4(_mm256_or_pd(_mm256_andnot_pd(sign, v.0), _mm256_and_pd(sign, x.0)))
    }
}

/// `math::clamp_keep_nan`: `vminpd(hi, x)` is `hi < x ? hi : x`, i.e. `x > hi ? hi : x`
/// (NaN x kept), and `vmaxpd(lo, x)` is `x < lo ? lo : x`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn clamp_keep_nan(x: F64x4, lo: f64, hi: f64) -> F64x4 {
    // SAFETY: AVX (module docs).
    F64x4(unsafe { _mm256_max_pd(_mm256_set1_pd(lo), _mm256_min_pd(_mm256_set1_pd(hi), x.0)) })
}

/// `math::g_poly`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn g_poly(r: F64x4) -> F64x4 {
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let g01 = c(G[0]) + c(G[1]) * r;
    let g23 = c(G[2]) + c(G[3]) * r;
    let g45 = c(G[4]) + c(G[5]) * r;
    let g67 = c(G[6]) + c(G[7]) * r;
    let g89 = c(G[8]) + c(G[9]) * r;
    (g01 + r2 * g23) + r4 * (g45 + r2 * g67) + r8 * (g89 + r2 * c(G[10]))
}

/// `math::r2g`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn r2g(r: F64x4) -> F64x4 {
    (r * r) * g_poly(r)
}

/// `math::phi1_small`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(super) fn phi1_small(x: F64x4) -> F64x4 {
    c(1.0) + x * g_poly(x)
}

/// `math::table_reduce`: (k, the bits of T, τ + (e^r − 1)).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn table_reduce(x: F64x4) -> (__m256i, __m256i, F64x4) {
    let y = x * c(64.0 * LOG2E) + c(SHIFT);
    let kd = y - c(SHIFT);
    let ki = sub(to_bits(y), int(SHIFT.to_bits() as i64));
    let r = (x - kd * c(LN2_HI / 64.0)) - kd * c(LN2_LO / 64.0);
    // The table row of each lane (j = ki & 63), as pairs: a = (T0, τ0, T2, τ2) and
    // b = (T1, τ1, T3, τ3), interleaved into (T0..T3) and (τ0..τ3).
    // SAFETY: AVX (module docs); each row index is below 64.
    let (t, tail) = unsafe {
        let row = |i: i64| _mm_loadu_pd(EXP_PAIRS.0[(i & 63) as usize].as_ptr());
        let (j0, j1) = (_mm256_extract_epi64::<0>(ki), _mm256_extract_epi64::<1>(ki));
        let (j2, j3) = (_mm256_extract_epi64::<2>(ki), _mm256_extract_epi64::<3>(ki));
        let a = _mm256_insertf128_pd::<1>(_mm256_castpd128_pd256(row(j0)), row(j2));
        let b = _mm256_insertf128_pd::<1>(_mm256_castpd128_pd256(row(j1)), row(j3));
        (_mm256_unpacklo_pd(a, b), F64x4(_mm256_unpackhi_pd(a, b)))
    };
    let r2 = r * r;
    let tmp = ((tail + r) + r2 * (c(E[0]) + r * c(E[1]))) + (r2 * r2) * (c(E[2]) + r * c(E[3]));
    // SAFETY: AVX (module docs).
    (shr::<6>(ki), unsafe { _mm256_castpd_si256(t) }, tmp)
}

/// `math::exp_scaled`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn exp_scaled(x: F64x4, s: i64) -> F64x4 {
    let (k, t, tmp) = table_reduce(x);
    let k = add(k, int(s));
    let k1 = shr::<1>(k);
    let sc = from_bits(add(t, shl52(k1)));
    (sc + sc * tmp) * pow2i(sub(k, k1))
}

/// `math::exp`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(super) fn exp(x: F64x4) -> F64x4 {
    exp_scaled(clamp_keep_nan(x, -746.0, 710.0), 0)
}

/// `math::expm1_scaled`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn expm1_scaled(x: F64x4, s: i64) -> F64x4 {
    // `math::reduce`.
    let y = x * c(LOG2E) + c(SHIFT);
    let kf = y - c(SHIFT);
    let k = sub(to_bits(y), int(SHIFT.to_bits() as i64));
    let hi = x - kf * c(LN2_HI);
    let lo = kf * c(LN2_LO);
    let r = hi - lo;
    let cr = (hi - r) - lo;
    let q = r2g(r);
    let t = pow2i(add(k, int(s)));
    let a = t - c(f64::from_bits(((s + 1023) as u64) << 52));
    let b = t * r;
    let hi = a + b;
    let e = (a - hi) + b;
    hi + (t * (q + cr * (c(1.0) + r)) + e)
}

/// `math::tiny_is_x`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn tiny_is_x(x: F64x4, y: F64x4) -> F64x4 {
    F64x4::select(abs(x).lt(c(1e-17)), x, y)
}

/// `math::exp_m1_any`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(super) fn exp_m1_any(x: F64x4) -> F64x4 {
    tiny_is_x(x, c(2.0) * expm1_scaled(clamp_keep_nan(x, -45.0, 709.8), -1))
}

/// `math::expm1_table`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn expm1_table(x: F64x4) -> F64x4 {
    let (k, t, tmp) = table_reduce(x);
    let half = from_bits(add(t, shl52(sub(k, int(1)))));
    c(2.0) * ((half - c(0.5)) + half * tmp)
}

/// `math::tanh`, with the short form of expm1(2|x|) only when a lane needs it (as
/// `F64s::tanh`).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(super) fn tanh(x: F64x4) -> F64x4 {
    use super::Mask;
    let y = c(2.0) * clamp_keep_nan(abs(x), 0.0, 20.0);
    let large = expm1_table(y);
    let small = y.lt(c(EXP_M1_SMALL));
    let u = if small.any() { F64x4::select(small, y + r2g(y), large) } else { large };
    copysign(u / (u + c(2.0)), x)
}

/// `math::cosh`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(super) fn cosh(x: F64x4) -> F64x4 {
    let e = exp_scaled(clamp_keep_nan(abs(x), 0.0, 711.0), -1);
    e + c(0.25) / e
}
