//! `F64x4`: four f64 lanes in one 256-bit AVX register, the lanes of the blocks' AVX2 path.
//!
//! Why a type of its own beside [`F64s`](super::F64s): `F64s<8>` leaves the packing to the
//! compiler, which builds each packed instruction from the lane loops after unrolling them,
//! and where several variables go through the same arithmetic (exponential Euler's update of
//! four gating variables) it packed the *variables* of one lane instead of the lanes of one
//! variable, transposing every value in and out through the stack (a third of the update's
//! instructions on Hodgkin-Huxley). Here each operation is one AVX instruction on one
//! register (`vaddpd`, `vmulpd`, `vblendvpd`, ...), so there is no such choice to get wrong,
//! and a block value takes one register instead of two.
//!
//! Each operation is the scalar operation on each lane, in the same order, so lane `i` has
//! the bits of the scalar result (the tests compare every function lane by lane): the four
//! arithmetic operations and `sqrt` are IEEE on both sides, `exp`, `exp_m1`, `phi1_small`,
//! `tanh` and `cosh` are [`crate::math`]'s operation sequences ([`super::packed_math`], over
//! the integer operations of [`Bits`] written here with AVX2 intrinsics), and the rest
//! (`min`, `max`, `powf`, `ln`, `ln_1p`, `sinh`, the table gather) call the scalar function
//! lane by lane, which is exact by construction.
//!
//! `F64x4<true>` is the same but for [`Real::mul_add`], one fused multiply-add (one rounding),
//! for the blocks of [`Fused`](crate::integrate::Fused) methods; [`packed_math`] writes its
//! multiply-adds with `mul_add`, so its functions are then fused too (the tests bound their
//! error against std as for the scalar functions).
//!
//! # Safety
//!
//! The intrinsics need AVX2 at run time (and FMA for `F64x4<true>`'s `mul_add`: only the
//! block update compiled for AVX2 and FMA, chosen after detecting both, creates those). The type is crate-private and only the AVX2
//! instance of the block update, chosen after `is_x86_feature_detected!("avx2")`, creates its
//! values (tests check the feature first); every `unsafe` block below relies on that.

use super::packed_math::{self, Bits, EXP_PAIRS};
use super::{Mask, Real};
use core::arch::x86_64::*;
use core::ops::{Add, Div, Mul, Neg, Sub};

/// Four f64 lanes in one AVX register. See the [module docs](self) for when it may be used.
#[derive(Clone, Copy)]
pub(crate) struct F64x4<const FUSED: bool = false>(pub(super) __m256d);

/// The lanes of a comparison of [`F64x4`]: each lane all ones (true) or all zeros (false), as
/// `vcmppd` gives them, so that `vblendvpd` selects with them directly.
#[derive(Clone, Copy)]
pub(crate) struct M64x4(pub(super) __m256d);

impl<const FUSED: bool> core::fmt::Debug for F64x4<FUSED> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("F64x4").field(&self.to_array()).finish()
    }
}

impl core::fmt::Debug for M64x4 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("M64x4").field(&[self.lane(0), self.lane(1), self.lane(2), self.lane(3)]).finish()
    }
}

impl<const FUSED: bool> F64x4<FUSED> {
    /// The lanes as an array.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn to_array(self) -> [f64; 4] {
        let mut a = [0.0; 4];
        // SAFETY: AVX (module docs); `a` holds four f64.
        unsafe { _mm256_storeu_pd(a.as_mut_ptr(), self.0) };
        a
    }

    /// The lanes of an array.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn from_array(a: [f64; 4]) -> Self {
        // SAFETY: AVX (module docs); `a` holds four f64.
        Self(unsafe { _mm256_loadu_pd(a.as_ptr()) })
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
        Self::from_array([f(a[0], b[0]), f(a[1], b[1]), f(a[2], b[2]), f(a[3], b[3])])
    }

    /// `lanes::index_u31` packed (hi ≤ 2³¹ − 1): each lane clamped to [0, hi], NaN and
    /// negatives to 0 (`vminpd(x, hi)` is f64::min for the non-NaN lanes it keeps), and
    /// truncated to i32.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn index_u31(self, hi: f64) -> __m128i {
        debug_assert!(hi <= super::I31);
        let nonneg = self.ge(Self::splat(0.0));
        // SAFETY: AVX (module docs).
        let c = Self::select(nonneg, Self(unsafe { _mm256_min_pd(self.0, _mm256_set1_pd(hi)) }), Self::splat(0.0));
        // SAFETY: as above; every lane is in [0, 2³¹ − 1], where the truncation is defined.
        unsafe { _mm256_cvttpd_epi32(c.0) }
    }

    /// Lane-wise comparison with predicate `P` (an `_CMP_*` constant).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn cmp<const P: i32>(self, o: Self) -> M64x4 {
        // SAFETY: AVX (module docs).
        M64x4(unsafe { _mm256_cmp_pd::<P>(self.0, o.0) })
    }
}

impl M64x4 {
    /// One bit per lane (lane i in bit i).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn bits(self) -> i32 {
        // SAFETY: AVX (module docs).
        unsafe { _mm256_movemask_pd(self.0) }
    }
}

/// All ones for true, zero for false, as an f64 lane.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn lane_bits(b: bool) -> f64 {
    f64::from_bits(u64::from(b).wrapping_neg())
}

impl Mask for M64x4 {
    const LANES: usize = 4;
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn from_lanes(f: impl Fn(usize) -> bool) -> Self {
        M64x4(F64x4::<false>::from_array([lane_bits(f(0)), lane_bits(f(1)), lane_bits(f(2)), lane_bits(f(3))]).0)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn bitmask(self) -> u64 {
        self.bits() as u64
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn from_bits(bits: u64) -> Self {
        // Lane i all ones where bit i is set: the bits picked out lane by lane and compared.
        // SAFETY: AVX2 (module docs).
        unsafe {
            let pick = _mm256_setr_epi64x(1, 2, 4, 8);
            let set = _mm256_cmpeq_epi64(_mm256_and_si256(_mm256_set1_epi64x(bits as i64), pick), pick);
            M64x4(_mm256_castsi256_pd(set))
        }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn splat(b: bool) -> Self {
        // SAFETY: AVX (module docs).
        M64x4(unsafe { _mm256_set1_pd(lane_bits(b)) })
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn and(self, other: Self) -> Self {
        // SAFETY: AVX (module docs).
        M64x4(unsafe { _mm256_and_pd(self.0, other.0) })
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn or(self, other: Self) -> Self {
        // SAFETY: AVX (module docs).
        M64x4(unsafe { _mm256_or_pd(self.0, other.0) })
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn not(self) -> Self {
        // SAFETY: AVX (module docs).
        M64x4(unsafe { _mm256_xor_pd(self.0, _mm256_set1_pd(lane_bits(true))) })
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn lane(self, i: usize) -> bool {
        (self.bits() >> i) & 1 != 0
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn set_lane(&mut self, i: usize, b: bool) {
        let mut a = F64x4::<false>(self.0).to_array();
        a[i] = lane_bits(b);
        self.0 = F64x4::<false>::from_array(a).0;
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn any(self) -> bool {
        self.bits() != 0
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn all(self) -> bool {
        self.bits() == 0b1111
    }
}

macro_rules! binop {
    ($tr:ident, $f:ident, $intrinsic:ident) => {
        impl<const FUSED: bool> $tr for F64x4<FUSED> {
            type Output = Self;
            #[cfg_attr(debug_assertions, inline)]
            #[cfg_attr(not(debug_assertions), inline(always))]
            fn $f(self, b: Self) -> Self {
                // SAFETY: AVX (module docs).
                Self(unsafe { $intrinsic(self.0, b.0) })
            }
        }
    };
}
binop!(Add, add, _mm256_add_pd);
binop!(Sub, sub, _mm256_sub_pd);
binop!(Mul, mul, _mm256_mul_pd);
binop!(Div, div, _mm256_div_pd);

impl<const FUSED: bool> Neg for F64x4<FUSED> {
    type Output = Self;
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn neg(self) -> Self {
        // The sign bit flipped, as scalar negation does (also for NaN and zeros).
        // SAFETY: AVX (module docs).
        Self(unsafe { _mm256_xor_pd(self.0, _mm256_set1_pd(-0.0)) })
    }
}

impl<const FUSED: bool> Real for F64x4<FUSED> {
    type Mask = M64x4;
    const LANES: usize = 4;
    const FMA_ANY: bool = FUSED;

    /// Fused if `FUSED` (only those blocks are compiled with FMA), else two instructions.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn mul_add_any(self, a: Self, b: Self) -> Self {
        self.mul_add(a, b)
    }

    /// Fused (one rounding) in `F64x4<true>`, the scalar bits (two roundings) otherwise.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn mul_add(self, a: Self, b: Self) -> Self {
        if FUSED {
            // SAFETY: FMA (module docs): only blocks compiled for AVX2 and FMA, chosen after detecting both, create `F64x4<true>`.
            Self(unsafe { _mm256_fmadd_pd(self.0, a.0, b.0) })
        } else {
            self * a + b
        }
    }

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn splat(v: f64) -> Self {
        // SAFETY: AVX (module docs).
        Self(unsafe { _mm256_set1_pd(v) })
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
        let data = &data[..4];
        // SAFETY: AVX (module docs); `data` holds four f64.
        Self(unsafe { _mm256_loadu_pd(data.as_ptr()) })
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn store(self, data: &mut [f64]) {
        let data = &mut data[..4];
        // SAFETY: AVX (module docs); `data` holds four f64.
        unsafe { _mm256_storeu_pd(data.as_mut_ptr(), self.0) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn gather(data: &[f64], idx: Self) -> Self {
        let last = data.len().checked_sub(1).expect("a gather from an empty slice");
        // Beyond i32, every index is already at most `last`.
        let last32 = last.min(i32::MAX as usize) as i32;
        // SAFETY: AVX2 (module docs); every index is at most `last`, so in bounds.
        unsafe {
            let i = _mm_min_epi32(idx.index_u31(super::I31), _mm_set1_epi32(last32));
            let at = |k: i32| *data.get_unchecked(k as usize);
            let (i0, i1) = (_mm_extract_epi32::<0>(i), _mm_extract_epi32::<1>(i));
            let (i2, i3) = (_mm_extract_epi32::<2>(i), _mm_extract_epi32::<3>(i));
            Self(_mm256_set_pd(at(i3), at(i2), at(i1), at(i0)))
        }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn cell_index(self, hi: f64) -> Self {
        // `cell_u31`: through i32 as the scalar path goes (which also turns -0 into +0).
        // SAFETY: AVX (module docs).
        Self(unsafe { _mm256_cvtepi32_pd(self.index_u31(hi.min(super::I31))) })
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn select(m: M64x4, a: Self, b: Self) -> Self {
        // SAFETY: AVX (module docs). Lane i is a's where the mask's sign bit is set.
        Self(unsafe { _mm256_blendv_pd(b.0, a.0, m.0) })
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn lt(self, o: Self) -> M64x4 {
        self.cmp::<_CMP_LT_OQ>(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn le(self, o: Self) -> M64x4 {
        self.cmp::<_CMP_LE_OQ>(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn gt(self, o: Self) -> M64x4 {
        self.cmp::<_CMP_GT_OQ>(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn ge(self, o: Self) -> M64x4 {
        self.cmp::<_CMP_GE_OQ>(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn eq(self, o: Self) -> M64x4 {
        self.cmp::<_CMP_EQ_OQ>(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn ne(self, o: Self) -> M64x4 {
        // Unordered: NaN != anything, as in Rust.
        self.cmp::<_CMP_NEQ_UQ>(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn abs(self) -> Self {
        // SAFETY: AVX (module docs). The sign bit cleared.
        Self(unsafe { _mm256_andnot_pd(_mm256_set1_pd(-0.0), self.0) })
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn sqrt(self) -> Self {
        // SAFETY: AVX (module docs). Correctly rounded, as f64::sqrt.
        Self(unsafe { _mm256_sqrt_pd(self.0) })
    }
    packed_math::same_real_methods!();
}

impl<const FUSED: bool> Bits for F64x4<FUSED> {
    type I = __m256i;
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn to_bits(self) -> __m256i {
        // SAFETY: AVX (module docs).
        unsafe { _mm256_castpd_si256(self.0) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn from_bits(i: __m256i) -> Self {
        // SAFETY: AVX (module docs).
        Self(unsafe { _mm256_castsi256_pd(i) })
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn int(v: i64) -> __m256i {
        // SAFETY: AVX (module docs).
        unsafe { _mm256_set1_epi64x(v) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn add_i(a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: AVX2 (module docs).
        unsafe { _mm256_add_epi64(a, b) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn sub_i(a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: AVX2 (module docs).
        unsafe { _mm256_sub_epi64(a, b) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn shl52(a: __m256i) -> __m256i {
        // SAFETY: AVX2 (module docs).
        unsafe { _mm256_slli_epi64::<52>(a) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn shr1(a: __m256i) -> __m256i {
        // SAFETY: AVX2 (module docs).
        unsafe { _mm256_srli_epi64::<1>(a) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn shr6(a: __m256i) -> __m256i {
        // SAFETY: AVX2 (module docs).
        unsafe { _mm256_srli_epi64::<6>(a) }
    }
    /// `vminpd(hi, x)` is `hi < x ? hi : x`, i.e. `x > hi ? hi : x` (NaN x kept), and
    /// `vmaxpd(lo, x)` is `x < lo ? lo : x`.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn clamp_keep_nan(self, lo: f64, hi: f64) -> Self {
        // SAFETY: AVX (module docs).
        Self(unsafe { _mm256_max_pd(_mm256_set1_pd(lo), _mm256_min_pd(_mm256_set1_pd(hi), self.0)) })
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn copysign(self, x: Self) -> Self {
        // SAFETY: AVX (module docs).
        unsafe {
            let sign = _mm256_set1_pd(-0.0);
            Self(_mm256_or_pd(_mm256_andnot_pd(sign, self.0), _mm256_and_pd(sign, x.0)))
        }
    }
    /// The rows as pairs: a = (T0, τ0, T2, τ2) and b = (T1, τ1, T3, τ3), interleaved into
    /// (T0..T3) and (τ0..τ3).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn exp_row(ki: __m256i) -> (Self, Self) {
        // SAFETY: AVX (module docs); each row index is below 64.
        unsafe {
            let row = |i: i64| _mm_loadu_pd(EXP_PAIRS.0[(i & 63) as usize].as_ptr());
            let (j0, j1) = (_mm256_extract_epi64::<0>(ki), _mm256_extract_epi64::<1>(ki));
            let (j2, j3) = (_mm256_extract_epi64::<2>(ki), _mm256_extract_epi64::<3>(ki));
            let a = _mm256_insertf128_pd::<1>(_mm256_castpd128_pd256(row(j0)), row(j2));
            let b = _mm256_insertf128_pd::<1>(_mm256_castpd128_pd256(row(j1)), row(j3));
            (Self(_mm256_unpacklo_pd(a, b)), Self(_mm256_unpackhi_pd(a, b)))
        }
    }
}
