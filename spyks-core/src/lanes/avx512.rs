//! `F64x8`: eight f64 lanes in one 512-bit register, the lanes of the blocks' AVX-512 path.
//!
//! The AVX-512 counterpart of [`F64x4`](super::F64x4), for the same reason: with `F64s<16>`
//! the compiler built the packed instructions from unrolled lane loops itself, and the
//! comparisons and masks of the integrate-and-fire blocks came out lane by lane (a `kshiftrw`
//! and a `kmovw` per lane, every value of the block spilled to the stack), twice as slow as the
//! AVX2 path's `Two<F64x4>` on CUBA and COBA on the same Intel processor. Here each operation
//! is one AVX-512F instruction on one register and a comparison is one mask register
//! (`__mmask8`), whose bits are the block's flag bits directly.
//!
//! Each operation is the scalar operation on each lane, in the same order, so lane `i` has
//! the bits of the scalar result (the tests compare every function lane by lane): the four
//! arithmetic operations and `sqrt` are IEEE on both sides, `exp`, `exp_m1`, `phi1_small`,
//! `tanh` and `cosh` are [`crate::math`]'s operation sequences ([`super::packed_math`], over
//! the integer operations of [`Bits`] written here with AVX-512F intrinsics), and the rest
//! (`min`, `max`, `powf`, `ln`, `ln_1p`, `sinh`) call the scalar function lane by lane, which
//! is exact by construction. Only AVX-512F is used (the bitwise operations on doubles are
//! done on their integer bits, since `vandpd` and friends need AVX-512DQ).
//!
//! `F64x8<true>` is the same but for [`Real::mul_add`], one fused multiply-add (one
//! rounding), and `exp`'s reduction (an 8-row table read by a permute, the power of two
//! applied by `vscalefpd`: `packed_math`'s `scalef_reduce`), for the blocks of
//! [`Fused`](crate::integrate::Fused) methods; [`packed_math`] writes its multiply-adds with
//! `mul_add`, so its functions are then fused too (the tests bound their error against std as
//! for the scalar functions).
//!
//! # Safety
//!
//! The intrinsics need AVX-512F at run time. The type is crate-private and only the AVX-512
//! instance of the block update, chosen after `is_x86_feature_detected!("avx512f")`, creates
//! its values (tests check the feature first); every `unsafe` block below relies on that.

use super::packed_math::{self, Bits, EXP_PAIRS};
use super::{Mask, Real};
use core::arch::x86_64::*;
use core::ops::{Add, Div, Mul, Neg, Sub};

/// Eight f64 lanes in one AVX-512 register. See the [module docs](self) for when it may be
/// used.
#[derive(Clone, Copy)]
pub(crate) struct F64x8<const FUSED: bool = false>(pub(super) __m512d);

/// The lanes of a comparison of [`F64x8`]: lane i in bit i, as `vcmppd` writes a mask
/// register, so that `vblendmpd` selects with it directly.
#[derive(Clone, Copy)]
pub(crate) struct M64x8(pub(super) __mmask8);

impl<const FUSED: bool> core::fmt::Debug for F64x8<FUSED> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("F64x8").field(&self.to_array()).finish()
    }
}

impl core::fmt::Debug for M64x8 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("M64x8").field(&format_args!("{:08b}", self.0)).finish()
    }
}

/// The bits of each lane of a double vector.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn bits(x: __m512d) -> __m512i {
    // SAFETY: AVX-512F (module docs).
    unsafe { _mm512_castpd_si512(x) }
}

/// The doubles with the bits of each lane.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn doubles(i: __m512i) -> __m512d {
    // SAFETY: AVX-512F (module docs).
    unsafe { _mm512_castsi512_pd(i) }
}

/// The sign bit of every lane.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn sign_bits() -> __m512i {
    // SAFETY: AVX-512F (module docs).
    unsafe { _mm512_set1_epi64(i64::MIN) }
}

impl<const FUSED: bool> F64x8<FUSED> {
    /// The lanes as an array.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn to_array(self) -> [f64; 8] {
        let mut a = [0.0; 8];
        // SAFETY: AVX-512F (module docs); `a` holds eight f64.
        unsafe { _mm512_storeu_pd(a.as_mut_ptr(), self.0) };
        a
    }

    /// The lanes of an array.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn from_array(a: [f64; 8]) -> Self {
        // SAFETY: AVX-512F (module docs); `a` holds eight f64.
        Self(unsafe { _mm512_loadu_pd(a.as_ptr()) })
    }

    /// `f` applied to each lane: for the functions without a packed form here.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn map(self, f: impl Fn(f64) -> f64) -> Self {
        Self::from_array(self.to_array().map(f))
    }

    /// `f` applied to each pair of lanes.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn zip(self, o: Self, f: impl Fn(f64, f64) -> f64) -> Self {
        let (a, b) = (self.to_array(), o.to_array());
        Self::from_array(core::array::from_fn(|i| f(a[i], b[i])))
    }

    /// `lanes::index_u31` packed (hi ≤ 2³¹ − 1): each lane clamped to [0, hi], NaN and
    /// negatives to 0 (`vminpd(x, hi)` is f64::min for the non-NaN lanes it keeps), and
    /// truncated to i32.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn index_u31(self, hi: f64) -> __m256i {
        debug_assert!(hi <= super::I31);
        let nonneg = self.ge(Self::splat(0.0));
        // SAFETY: AVX-512F (module docs).
        let c = Self::select(nonneg, Self(unsafe { _mm512_min_pd(self.0, _mm512_set1_pd(hi)) }), Self::splat(0.0));
        // SAFETY: as above; every lane is in [0, 2³¹ − 1], where the truncation is defined.
        unsafe { _mm512_cvttpd_epi32(c.0) }
    }

    /// Lane-wise comparison with predicate `P` (an `_CMP_*` constant).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn cmp<const P: i32>(self, o: Self) -> M64x8 {
        // SAFETY: AVX-512F (module docs).
        M64x8(unsafe { _mm512_cmp_pd_mask::<P>(self.0, o.0) })
    }
}

impl Mask for M64x8 {
    const LANES: usize = 8;
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn from_lanes(f: impl Fn(usize) -> bool) -> Self {
        let mut m = 0u8;
        for i in 0..8 {
            m |= u8::from(f(i)) << i;
        }
        M64x8(m)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn bitmask(self) -> u64 {
        u64::from(self.0)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn from_bits(bits: u64) -> Self {
        M64x8(bits as u8)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn splat(b: bool) -> Self {
        M64x8(u8::from(b).wrapping_neg())
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn and(self, other: Self) -> Self {
        M64x8(self.0 & other.0)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn or(self, other: Self) -> Self {
        M64x8(self.0 | other.0)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn not(self) -> Self {
        M64x8(!self.0)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn lane(self, i: usize) -> bool {
        (self.0 >> i) & 1 != 0
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn set_lane(&mut self, i: usize, b: bool) {
        self.0 = (self.0 & !(1 << i)) | (u8::from(b) << i);
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn any(self) -> bool {
        self.0 != 0
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn all(self) -> bool {
        self.0 == u8::MAX
    }
}

macro_rules! binop {
    ($tr:ident, $f:ident, $intrinsic:ident) => {
        impl<const FUSED: bool> $tr for F64x8<FUSED> {
            type Output = Self;
            #[cfg_attr(debug_assertions, inline)]
            #[cfg_attr(not(debug_assertions), inline(always))]
            fn $f(self, b: Self) -> Self {
                // SAFETY: AVX-512F (module docs).
                Self(unsafe { $intrinsic(self.0, b.0) })
            }
        }
    };
}
binop!(Add, add, _mm512_add_pd);
binop!(Sub, sub, _mm512_sub_pd);
binop!(Mul, mul, _mm512_mul_pd);
binop!(Div, div, _mm512_div_pd);

impl<const FUSED: bool> Neg for F64x8<FUSED> {
    type Output = Self;
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn neg(self) -> Self {
        // The sign bit flipped, as scalar negation does (also for NaN and zeros).
        // SAFETY: AVX-512F (module docs).
        Self(doubles(unsafe { _mm512_xor_si512(bits(self.0), sign_bits()) }))
    }
}

impl<const FUSED: bool> Real for F64x8<FUSED> {
    type Mask = M64x8;
    const LANES: usize = 8;
    const FMA_ANY: bool = true;

    /// Fused, whatever `FUSED` is (AVX-512F has the instruction).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn mul_add_any(self, a: Self, b: Self) -> Self {
        // SAFETY: AVX-512F (module docs).
        Self(unsafe { _mm512_fmadd_pd(self.0, a.0, b.0) })
    }

    /// Fused (one rounding) if `FUSED`, else the scalar bits (two roundings).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn mul_add(self, a: Self, b: Self) -> Self {
        if FUSED {
            // SAFETY: AVX-512F (module docs), whose fused multiply-add this is.
            Self(unsafe { _mm512_fmadd_pd(self.0, a.0, b.0) })
        } else {
            self * a + b
        }
    }

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn splat(v: f64) -> Self {
        // SAFETY: AVX-512F (module docs).
        Self(unsafe { _mm512_set1_pd(v) })
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn lane(self, i: usize) -> f64 {
        self.to_array()[i]
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn set_lane(&mut self, i: usize, v: f64) {
        let mut a = self.to_array();
        a[i] = v;
        *self = Self::from_array(a);
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn load(data: &[f64]) -> Self {
        let data = &data[..8];
        // SAFETY: AVX-512F (module docs); `data` holds eight f64.
        Self(unsafe { _mm512_loadu_pd(data.as_ptr()) })
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn store(self, data: &mut [f64]) {
        let data = &mut data[..8];
        // SAFETY: AVX-512F (module docs); `data` holds eight f64.
        unsafe { _mm512_storeu_pd(data.as_mut_ptr(), self.0) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn gather(data: &[f64], idx: Self) -> Self {
        let last = data.len().checked_sub(1).expect("a gather from an empty slice");
        // Beyond i32, every index is already at most `last`.
        let last32 = last.min(i32::MAX as usize) as i32;
        // SAFETY: AVX-512F (module docs); every index is at most `last`, so in bounds.
        unsafe {
            let i = _mm256_min_epi32(idx.index_u31(super::I31), _mm256_set1_epi32(last32));
            Self(_mm512_i32gather_pd::<8>(i, data.as_ptr()))
        }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn cell_index(self, hi: f64) -> Self {
        // `cell_u31`: through i32 as the scalar path goes (which also turns -0 into +0).
        // SAFETY: AVX-512F (module docs).
        Self(unsafe { _mm512_cvtepi32_pd(self.index_u31(hi.min(super::I31))) })
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn select(m: M64x8, a: Self, b: Self) -> Self {
        // SAFETY: AVX-512F (module docs). Lane i is a's where bit i is set.
        Self(unsafe { _mm512_mask_blend_pd(m.0, b.0, a.0) })
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn lt(self, o: Self) -> M64x8 {
        self.cmp::<_CMP_LT_OQ>(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn le(self, o: Self) -> M64x8 {
        self.cmp::<_CMP_LE_OQ>(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn gt(self, o: Self) -> M64x8 {
        self.cmp::<_CMP_GT_OQ>(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn ge(self, o: Self) -> M64x8 {
        self.cmp::<_CMP_GE_OQ>(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn eq(self, o: Self) -> M64x8 {
        self.cmp::<_CMP_EQ_OQ>(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn ne(self, o: Self) -> M64x8 {
        // Unordered: NaN != anything, as in Rust.
        self.cmp::<_CMP_NEQ_UQ>(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn abs(self) -> Self {
        // SAFETY: AVX-512F (module docs). The sign bit cleared.
        Self(doubles(unsafe { _mm512_andnot_si512(sign_bits(), bits(self.0)) }))
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn sqrt(self) -> Self {
        // SAFETY: AVX-512F (module docs). Correctly rounded, as f64::sqrt.
        Self(unsafe { _mm512_sqrt_pd(self.0) })
    }
    packed_math::same_real_methods!();
}

impl<const FUSED: bool> Bits for F64x8<FUSED> {
    type I = __m512i;
    const SCALEF_EXP: bool = FUSED;
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn scalef(self, e: Self) -> Self {
        // SAFETY: AVX-512F (module docs).
        Self(unsafe { _mm512_scalef_pd(self.0, e.0) })
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn to_bits(self) -> __m512i {
        bits(self.0)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn from_bits(i: __m512i) -> Self {
        Self(doubles(i))
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn int(v: i64) -> __m512i {
        // SAFETY: AVX-512F (module docs).
        unsafe { _mm512_set1_epi64(v) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn add_i(a: __m512i, b: __m512i) -> __m512i {
        // SAFETY: AVX-512F (module docs).
        unsafe { _mm512_add_epi64(a, b) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn sub_i(a: __m512i, b: __m512i) -> __m512i {
        // SAFETY: AVX-512F (module docs).
        unsafe { _mm512_sub_epi64(a, b) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn shl52(a: __m512i) -> __m512i {
        // SAFETY: AVX-512F (module docs).
        unsafe { _mm512_slli_epi64::<52>(a) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn shr1(a: __m512i) -> __m512i {
        // SAFETY: AVX-512F (module docs).
        unsafe { _mm512_srli_epi64::<1>(a) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn shr6(a: __m512i) -> __m512i {
        // SAFETY: AVX-512F (module docs).
        unsafe { _mm512_srli_epi64::<6>(a) }
    }
    /// `vminpd(hi, x)` is `hi < x ? hi : x`, i.e. `x > hi ? hi : x` (NaN x kept), and
    /// `vmaxpd(lo, x)` is `x < lo ? lo : x`.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn clamp_keep_nan(self, lo: f64, hi: f64) -> Self {
        // SAFETY: AVX-512F (module docs).
        Self(unsafe { _mm512_max_pd(_mm512_set1_pd(lo), _mm512_min_pd(_mm512_set1_pd(hi), self.0)) })
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn copysign(self, x: Self) -> Self {
        // SAFETY: AVX-512F (module docs).
        let b = unsafe { _mm512_or_si512(_mm512_andnot_si512(sign_bits(), bits(self.0)), _mm512_and_si512(sign_bits(), bits(x.0))) };
        Self(doubles(b))
    }
    /// When `FUSED`, the 8-row table by one permute per column ([`EXP_ROWS8`], `vpermpd`
    /// reads the index's low three bits); otherwise two gathers from the pairs' flat array:
    /// 2^(j/64) at 2j, its error at 2j + 1. (Reading each column of 64 with four two-register
    /// permutes and three blends instead was no faster on HH and 5-7 % slower on Pospischil
    /// and biocm, measured on an Intel Xeon. Smaller tables, read by permutes, need a longer
    /// polynomial for the same accuracy, in the scalar `exp` too, whose bits the lanes must
    /// keep: with 32 rows (two permutes and a blend per column, one degree more) biocm was 9 %
    /// and Pospischil 7 % faster here, HH no faster, but single neurons 2-7 % slower (the
    /// longer polynomial lies on the path of each evaluation) and the AVX2 path no faster;
    /// with 16 rows (one permute, two degrees more) the AVX2 and SSE2 paths were also 2-8 %
    /// slower. Neither was kept for the exact mode.)
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn exp_row(ki: __m512i) -> (Self, Self) {
        if FUSED {
            // SAFETY: AVX-512F (module docs); each load reads one column's eight values.
            return unsafe {
                let column = |c: &[f64; 8]| Self(_mm512_permutexvar_pd(ki, _mm512_load_pd(c.as_ptr())));
                (column(&EXP_ROWS8.0[0]), column(&EXP_ROWS8.0[1]))
            };
        }
        // SAFETY: AVX-512F (module docs); each index 2·(ki & 63) + 1 is below 128, in bounds.
        unsafe {
            let at = _mm512_slli_epi64::<1>(_mm512_and_si512(ki, _mm512_set1_epi64(63)));
            let base = EXP_PAIRS.0.as_flattened().as_ptr();
            (Self(_mm512_i64gather_pd::<8>(at, base)), Self(_mm512_i64gather_pd::<8>(at, base.add(1))))
        }
    }
}

/// The 8-row table of the fused type: row j is [`EXP_PAIRS`]' row 8j, 2^(j/8) and its
/// relative rounding error, one aligned register per column.
#[repr(align(64))]
struct Rows8([[f64; 8]; 2]);

static EXP_ROWS8: Rows8 = {
    let mut t = [[0.0; 8]; 2];
    let mut j = 0;
    while j < 8 {
        t[0][j] = EXP_PAIRS.0[8 * j][0];
        t[1][j] = EXP_PAIRS.0[8 * j][1];
        j += 1;
    }
    Rows8(t)
};
