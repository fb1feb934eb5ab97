//! [`crate::math`]'s `exp`, `exp_m1`, `phi1_small`, `tanh` and `cosh`, written once for the
//! lane types whose operations are packed instructions ([`F64x4`](super::F64x4) with AVX2,
//! [`F64x8`](super::F64x8) with AVX-512): the same operations in the same order with the same
//! constants (see `math.rs` for the method and the error bounds), so that each lane has the
//! scalar function's bits. Where the scalar code works on the integer bits of a double, so
//! does this, through [`Bits`]' 64-bit integer lanes. One generic copy instead of one per
//! lane type: what the tests pin bit for bit for one type holds for the other by
//! construction, but for the few primitives each type implements. Multiply-adds are written
//! as [`Real::mul_add`]: the scalar bits in these types, one rounding in their fused variants.
//! The fused AVX-512 type also reduces `exp`'s argument its own way ([`scalef_reduce`]),
//! which its instructions make cheaper; its bits were not the scalar ones anyway.

use super::{Mask, Real};
use crate::math::{E, EXP_M1_SMALL, EXP_T, EXP_TAIL, G, LN2_HI, LN2_LO, LOG2E, SHIFT};

/// The [`Real`] methods that the intrinsic lane types implement alike, inside their `impl
/// Real`: the `exp` family from this module, a packed `heaviside`, and
/// [`lane_by_lane_methods`](super::lane_by_lane_methods).
macro_rules! same_real_methods {
    () => {
        $crate::lanes::lane_by_lane_methods!();
        #[cfg_attr(debug_assertions, inline)]
        #[cfg_attr(not(debug_assertions), inline(always))]
        fn exp(self) -> Self {
            $crate::lanes::packed_math::exp(self)
        }
        #[cfg_attr(debug_assertions, inline)]
        #[cfg_attr(not(debug_assertions), inline(always))]
        fn exp_m1(self) -> Self {
            $crate::lanes::packed_math::exp_m1_any(self)
        }
        #[cfg_attr(debug_assertions, inline)]
        #[cfg_attr(not(debug_assertions), inline(always))]
        fn phi1_small(self) -> Self {
            $crate::lanes::packed_math::phi1_small(self)
        }
        #[cfg_attr(debug_assertions, inline)]
        #[cfg_attr(not(debug_assertions), inline(always))]
        fn tanh(self) -> Self {
            $crate::lanes::packed_math::tanh(self)
        }
        #[cfg_attr(debug_assertions, inline)]
        #[cfg_attr(not(debug_assertions), inline(always))]
        fn cosh(self) -> Self {
            $crate::lanes::packed_math::cosh(self)
        }
        #[cfg_attr(debug_assertions, inline)]
        #[cfg_attr(not(debug_assertions), inline(always))]
        fn heaviside(self) -> Self {
            let (zero, one) = (Self::splat(0.0), Self::splat(1.0));
            Self::select(self.gt(zero), one, Self::select(self.lt(zero), zero, Self::splat(0.5)))
        }
    };
}
pub(super) use same_real_methods;

/// The integer operations on the bits of each lane that `math.rs`'s reductions use, and
/// `exp`'s table read, as one lane type's packed instructions.
pub(super) trait Bits: Real {
    /// 64-bit integer lanes.
    type I: Copy;
    /// The bits of each lane.
    fn to_bits(self) -> Self::I;
    /// The doubles with these bits.
    fn from_bits(i: Self::I) -> Self;
    /// Every lane `v`.
    fn int(v: i64) -> Self::I;
    /// Wrapping 64-bit addition lane by lane.
    fn add_i(a: Self::I, b: Self::I) -> Self::I;
    /// Wrapping 64-bit subtraction lane by lane.
    fn sub_i(a: Self::I, b: Self::I) -> Self::I;
    /// `a << 52` lane by lane (wrapping, as the scalar `(k as u64) << 52`).
    fn shl52(a: Self::I) -> Self::I;
    /// `a >> 1`, logical where the scalar code shifts arithmetically: the two differ only in
    /// the top bit, and the shifted k only ever enters a result through `k << 52` (and sums
    /// and differences before it), which keeps its low 12 bits. (AVX2 has no arithmetic
    /// shift of 64-bit lanes; AVX-512 has, and takes the logical one too, for one behaviour.)
    fn shr1(a: Self::I) -> Self::I;
    /// `a >> 6`, logical, as [`Bits::shr1`].
    fn shr6(a: Self::I) -> Self::I;
    /// Whether `exp` takes [`scalef_reduce`] (an 8-row table read by one in-register permute,
    /// the power of two applied by [`Bits::scalef`]) instead of [`table_reduce`]: only for
    /// fused types, which need not give the scalar `exp`'s bits.
    const SCALEF_EXP: bool = false;
    /// v·2^⌊e⌋ lane by lane, rounded once (AVX-512F's `vscalefpd`). Only the types with
    /// [`Bits::SCALEF_EXP`] have it; no other type's functions call it.
    fn scalef(self, _e: Self) -> Self {
        unreachable!("Bits::scalef is only called for types with SCALEF_EXP")
    }
    /// `math::clamp_keep_nan`: `x > hi ? hi : x`, then `x < lo ? lo : x` (NaN kept).
    fn clamp_keep_nan(self, lo: f64, hi: f64) -> Self;
    /// |v| with the sign of x (`f64::copysign`).
    fn copysign(self, x: Self) -> Self;
    /// `exp`'s table row of each lane, j = the lane's `ki & 63`: (2^(j/64), its relative
    /// rounding error), from [`EXP_PAIRS`]; with [`Bits::SCALEF_EXP`], j = `ki & 7` and
    /// (2^(j/8), its error), which is [`EXP_PAIRS`]' row 8j.
    fn exp_row(ki: Self::I) -> (Self, Self);
}

/// `exp`'s table as pairs (2^(j/64), its relative rounding error): one 16-byte load per lane
/// gives both.
#[repr(align(64))]
pub(super) struct Pairs(pub(super) [[f64; 2]; 64]);

/// See [`Pairs`].
pub(super) static EXP_PAIRS: Pairs = {
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
fn c<T: Real>(v: f64) -> T {
    T::splat(v)
}

/// 2^k (`math::pow2i`).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn pow2i<T: Bits>(k: T::I) -> T {
    T::from_bits(T::shl52(T::add_i(k, T::int(1023))))
}

/// `math::g_poly`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn g_poly<T: Real>(r: T) -> T {
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let g01 = c::<T>(G[1]).mul_add(r, c(G[0]));
    let g23 = c::<T>(G[3]).mul_add(r, c(G[2]));
    let g45 = c::<T>(G[5]).mul_add(r, c(G[4]));
    let g67 = c::<T>(G[7]).mul_add(r, c(G[6]));
    let g89 = c::<T>(G[9]).mul_add(r, c(G[8]));
    r8.mul_add(r2.mul_add(c(G[10]), g89), r4.mul_add(r2.mul_add(g67, g45), r2.mul_add(g23, g01)))
}

/// `math::r2g`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn r2g<T: Real>(r: T) -> T {
    (r * r) * g_poly(r)
}

/// `math::phi1_small`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(super) fn phi1_small<T: Real>(x: T) -> T {
    x.mul_add(g_poly(x), c(1.0))
}

/// `math::table_reduce`: (k, the bits of T, τ + (e^r − 1)).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn table_reduce<T: Bits>(x: T) -> (T::I, T::I, T) {
    let y = x.mul_add(c(64.0 * LOG2E), c(SHIFT));
    let kd = y - c(SHIFT);
    let ki = T::sub_i(y.to_bits(), T::int(SHIFT.to_bits() as i64));
    let r = (-kd).mul_add(c(LN2_LO / 64.0), (-kd).mul_add(c(LN2_HI / 64.0), x));
    let (t, tail) = T::exp_row(ki);
    let r2 = r * r;
    let r4 = r2 * r2;
    (T::shr6(ki), t.to_bits(), r4.mul_add(r.mul_add(c(E[3]), c(E[2])), r2.mul_add(r.mul_add(c(E[1]), c(E[0])), tail + r)))
}

/// Taylor's coefficients c of e^r − 1 ≈ r + r²·(c₀ + c₁·r + ... + c₆·r⁶), 1/(i + 2)!, for
/// |r| ≤ ln 2/16 ([`scalef_reduce`]): the first term left out, r⁹/9!, is below 1.5·10⁻¹⁸.
const E8: [f64; 7] = [1.0 / 2.0, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0, 1.0 / 5040.0, 1.0 / 40320.0];

/// The fused types' reduction ([`Bits::SCALEF_EXP`]): x = n·ln 2/8 + r with |r| ≤ ln 2/16
/// and e^x = 2^⌊n/8⌋·2^(j/8)·e^r, j = n mod 8. Returns (2^(j/8), τ + (e^r − 1), n/8 + s), τ
/// the row's relative rounding error, for the caller to scale by [`Bits::scalef`] (which also
/// gives the overflows and the gradual underflow that [`table_reduce`]'s callers build from
/// integer bits in two steps).
///
/// Why: an 8-row table fits one register per column, so a row is one permute instead of a
/// gather, and `vscalefpd` is one instruction instead of six integer ones; the polynomial is
/// two degrees longer. On fused blocks (Intel Xeon with AVX-512) biocm's blocks of eight were
/// 1.33 times faster than with the 64-row table by gathers, HH's and Pospischil's blocks of
/// sixteen 1.10 times faster than with a 32-row table by two permutes and a blend, and a
/// 16-row table (one two-register permute, one degree less) was slower on all three (biocm
/// by a quarter).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn scalef_reduce<T: Bits>(x: T, s: f64) -> (T, T, T) {
    let y = x.mul_add(c(8.0 * LOG2E), c(SHIFT));
    let n = y - c(SHIFT);
    let r = (-n).mul_add(c(LN2_LO / 8.0), (-n).mul_add(c(LN2_HI / 8.0), x));
    // n's low bits are y's (SHIFT's are zero there): the row index as it is.
    let (t, tail) = T::exp_row(y.to_bits());
    let r2 = r * r;
    let r4 = r2 * r2;
    let lo = r2.mul_add(r.mul_add(c(E8[3]), c(E8[2])), r.mul_add(c(E8[1]), c(E8[0])));
    let hi = r2.mul_add(c(E8[6]), r.mul_add(c(E8[5]), c(E8[4])));
    // The extra factor 2^s in the same instruction as n/8 (a separate `+ 0.0` would stay).
    (t, r2.mul_add(r4.mul_add(hi, lo), tail + r), n.mul_add(c(0.125), c(s)))
}

/// `math::exp_scaled`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn exp_scaled<T: Bits>(x: T, s: i64) -> T {
    if T::SCALEF_EXP {
        let (t, tmp, e) = scalef_reduce(x, s as f64);
        return t.mul_add(tmp, t).scalef(e);
    }
    let (k, t, tmp) = table_reduce(x);
    let k = T::add_i(k, T::int(s));
    let k1 = T::shr1(k);
    let sc = T::from_bits(T::add_i(t, T::shl52(k1)));
    sc.mul_add(tmp, sc) * pow2i(T::sub_i(k, k1))
}

/// `math::exp`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(super) fn exp<T: Bits>(x: T) -> T {
    exp_scaled(x.clamp_keep_nan(-746.0, 710.0), 0)
}

/// `math::expm1_scaled`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn expm1_scaled<T: Bits>(x: T, s: i64) -> T {
    // `math::reduce`.
    let y = x.mul_add(c(LOG2E), c(SHIFT));
    let kf = y - c(SHIFT);
    let k = T::sub_i(y.to_bits(), T::int(SHIFT.to_bits() as i64));
    let hi = x - kf * c(LN2_HI);
    let lo = kf * c(LN2_LO);
    let r = hi - lo;
    let cr = (hi - r) - lo;
    let q = r2g(r);
    let t: T = pow2i(T::add_i(k, T::int(s)));
    let a = t - c(f64::from_bits(((s + 1023) as u64) << 52));
    let b = t * r;
    let hi = a + b;
    let e = (a - hi) + b;
    hi + t.mul_add(cr.mul_add(c::<T>(1.0) + r, q), e)
}

/// `math::tiny_is_x`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn tiny_is_x<T: Real>(x: T, y: T) -> T {
    T::select(x.abs().lt(c(1e-17)), x, y)
}

/// `math::exp_m1_any`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(super) fn exp_m1_any<T: Bits>(x: T) -> T {
    tiny_is_x(x, c::<T>(2.0) * expm1_scaled(x.clamp_keep_nan(-45.0, 709.8), -1))
}

/// `math::expm1_table`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn expm1_table<T: Bits>(x: T) -> T {
    let (half, tmp) = if T::SCALEF_EXP {
        let (t, tmp, e) = scalef_reduce(x, -1.0);
        (t.scalef(e), tmp)
    } else {
        let (k, t, tmp) = table_reduce(x);
        (T::from_bits(T::add_i(t, T::shl52(T::sub_i(k, T::int(1))))), tmp)
    };
    c::<T>(2.0) * half.mul_add(tmp, half - c(0.5))
}

/// `math::tanh`, with the short form of expm1(2|x|) only when a lane needs it (as
/// `F64s::tanh`).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(super) fn tanh<T: Bits>(x: T) -> T {
    let y = c::<T>(2.0) * x.abs().clamp_keep_nan(0.0, 20.0);
    let large = expm1_table(y);
    let small = y.lt(c(EXP_M1_SMALL));
    let u = if small.any() { T::select(small, y + r2g(y), large) } else { large };
    (u / (u + c(2.0))).copysign(x)
}

/// `math::cosh`.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(super) fn cosh<T: Bits>(x: T) -> T {
    let e = exp_scaled(x.abs().clamp_keep_nan(0.0, 711.0), -1);
    e + c::<T>(0.25) / e
}
