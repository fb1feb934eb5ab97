//! Lanes: one numeric type for a single neuron (`f64`) and for a block of neurons ([`F64s`]).
//!
//! Generated models write their derivative, exponential-Euler coefficients and threshold a
//! second time generic over [`Real`] (`derivative_lanes` and friends of
//! [`NeuronModel`](crate::NeuronModel)); a population instantiates them with `F64s<8>` on
//! the baseline instructions, with a pair of the crate's own `F64x4` (AVX2 intrinsics) under
//! AVX2, and with its own `F64x8` (AVX-512F intrinsics), alone or in a pair, under AVX-512, so
//! that eight or sixteen neurons are integrated by the same packed instructions. The two
//! intrinsic types share one generic copy of `math.rs`'s `exp` family (`packed_math.rs`).
//!
//! Every lane operation is the scalar operation applied to each lane, in the same order: the
//! transcendental functions of [`F64s`] call the branch-free [`crate::math`] functions lane by
//! lane, in a loop the compiler vectorises. Compiled alone on x86-64 with eight lanes, `exp`,
//! `exp_m1`, `tanh`, `cosh` and `ln` become packed `mulpd`/`addpd` with SSE2 and
//! `vmulpd`/`vaddpd` on 256-bit registers with AVX2 (`exp`'s table read lane by lane); `sinh`
//! stays mostly scalar. With four lanes the loops are unrolled before the vectoriser sees
//! them and only partly vectorised, hence eight. So lane `i` of a result has exactly the bits
//! of the scalar result for lane `i`'s inputs, and a population gives the same spikes as
//! single-neuron runs.
//!
//! The one exception is [`Real::mul_add`] in the fused variants of the intrinsic types
//! (`F64x4<true>` and `F64x8<true>`), used only by the blocks of a
//! [`Fused`](crate::integrate::Fused) method: one rounding where the scalar code has two
//! (and `F64x8<true>`'s `exp` family reduces its argument its own way, within the same
//! error bounds).
//! Everywhere else `mul_add` is the scalar `a * b + c`, so writing the library's and the
//! generated code's multiply-adds with it changes no bits (other than a NaN's sign or payload,
//! which Rust leaves unspecified: `c + a·b` as `mul_add` adds in the other order).
//!
//! As in [`crate::math`], every operation is `#[inline(always)]` in optimised builds only: in
//! unoptimised ones each inlined operation would add its own stack slots to the caller, and
//! a large model's block derivative could overflow a thread's stack.

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
mod f64s;
#[cfg(target_arch = "x86_64")]
mod packed_math;
#[cfg(test)]
mod tests;
#[cfg(all(test, target_arch = "x86_64"))]
mod tests_fused;
#[cfg(all(test, target_arch = "x86_64"))]
mod tests_packed;
mod two;

#[cfg(target_arch = "x86_64")]
pub(crate) use avx2::F64x4;
#[cfg(target_arch = "x86_64")]
pub(crate) use avx512::F64x8;
pub use f64s::{F64s, M64s};
pub(crate) use two::Two;

use core::ops::{Add, Div, Mul, Neg, Sub};

/// The lanes of a comparison: `bool` for `f64`, one `bool` per lane for [`F64s`].
pub trait Mask: Copy {
    /// Number of lanes.
    const LANES: usize;
    /// Every lane `b`.
    fn splat(b: bool) -> Self;
    /// Lane `i` is `f(i)`.
    fn from_lanes(f: impl Fn(usize) -> bool) -> Self;
    /// Lane `i` in bit `i` (at most 64 lanes).
    fn bitmask(self) -> u64;
    /// Lane `i` is bit `i` of `bits` (the bits from [`Mask::LANES`] on are ignored): the
    /// refractory lanes of a block, from a population's bit per neuron. A move to a mask
    /// register where the lanes have them, instead of a mask assembled lane by lane.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn from_bits(bits: u64) -> Self {
        Self::from_lanes(|i| bits >> i & 1 != 0)
    }
    /// Lane-wise `&&`.
    fn and(self, other: Self) -> Self;
    /// Lane-wise `||`.
    fn or(self, other: Self) -> Self;
    /// Lane-wise `!`.
    #[allow(clippy::should_implement_trait)]
    fn not(self) -> Self;
    /// Lane `i`.
    fn lane(self, i: usize) -> bool;
    /// Sets lane `i`.
    fn set_lane(&mut self, i: usize, b: bool);
    /// Whether any lane is set.
    fn any(self) -> bool;
    /// Whether every lane is set.
    fn all(self) -> bool;
}

impl Mask for bool {
    const LANES: usize = 1;
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn from_lanes(f: impl Fn(usize) -> bool) -> Self {
        f(0)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn bitmask(self) -> u64 {
        u64::from(self)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn splat(b: bool) -> Self {
        b
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn and(self, other: Self) -> Self {
        self && other
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn or(self, other: Self) -> Self {
        self || other
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn not(self) -> Self {
        !self
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn lane(self, _i: usize) -> bool {
        self
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn set_lane(&mut self, _i: usize, b: bool) {
        *self = b;
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn any(self) -> bool {
        self
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn all(self) -> bool {
        self
    }
}

/// A number or a block of numbers, with the operations generated model code uses. Each
/// operation on a block is the `f64` operation on each lane (see the [module docs](self)).
pub trait Real:
    Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Div<Output = Self> + Neg<Output = Self> + core::fmt::Debug
{
    /// The result of comparisons.
    type Mask: Mask;
    /// Number of lanes.
    const LANES: usize;

    /// Every lane `v`.
    fn splat(v: f64) -> Self;
    /// Lane `i`.
    fn lane(self, i: usize) -> f64;
    /// Sets lane `i`.
    fn set_lane(&mut self, i: usize, v: f64);
    /// Reads `LANES` consecutive values.
    ///
    /// # Panics
    /// If `data` is shorter than `LANES` (a programming error).
    fn load(data: &[f64]) -> Self;
    /// Writes `LANES` consecutive values.
    ///
    /// # Panics
    /// If `data` is shorter than `LANES`.
    fn store(self, data: &mut [f64]);
    /// Lane `l` is `data[i]` with i the whole part of `idx.lane(l)`: a gather (lookup tables
    /// read one grid row per lane). Out-of-range indices are clamped, without a branch, so
    /// that the lanes compile to a packed gather: a negative or NaN index reads the first
    /// element, one past the end (or beyond 2³¹ − 1) the last.
    ///
    /// # Panics
    /// If `data` is empty.
    fn gather(data: &[f64], idx: Self) -> Self;
    /// The whole part of the value clamped to [0, hi] (hi < 2³¹), NaN giving 0: a table's
    /// cell index, computed without leaving the lanes.
    fn cell_index(self, hi: f64) -> Self;

    /// `a` where `m` holds, else `b` (both are evaluated).
    fn select(m: Self::Mask, a: Self, b: Self) -> Self;
    /// `<`.
    fn lt(self, o: Self) -> Self::Mask;
    /// `<=`.
    fn le(self, o: Self) -> Self::Mask;
    /// `>`.
    fn gt(self, o: Self) -> Self::Mask;
    /// `>=`.
    fn ge(self, o: Self) -> Self::Mask;
    /// `==`.
    fn eq(self, o: Self) -> Self::Mask;
    /// `!=`.
    fn ne(self, o: Self) -> Self::Mask;

    /// [`f64::min`].
    fn min(self, o: Self) -> Self;
    /// [`f64::max`].
    fn max(self, o: Self) -> Self;
    /// [`f64::abs`].
    fn abs(self) -> Self;
    /// [`f64::sqrt`].
    fn sqrt(self) -> Self;
    /// [`f64::powi`].
    fn powi(self, n: i32) -> Self;
    /// [`f64::powf`].
    fn powf(self, o: Self) -> Self;
    /// [`crate::math::exp`].
    fn exp(self) -> Self;
    /// [`crate::math::exp_m1`].
    fn exp_m1(self) -> Self;
    /// [`crate::math::phi1_small`], (e^x - 1)/x where every lane is below
    /// [`EXP_M1_SMALL`](crate::math::EXP_M1_SMALL) in magnitude; elsewhere not that (a
    /// polynomial of x). For callers that test a whole block once and then take this form for
    /// many values (the exponential-Euler update of every variable): a test per value would
    /// split a block's straight-line code at each call (measured: 13 % more instructions on
    /// HH, not fewer).
    fn phi1_small(self) -> Self;
    /// [`crate::math::ln`].
    fn ln(self) -> Self;
    /// [`f64::ln_1p`].
    fn ln_1p(self) -> Self;
    /// [`crate::math::tanh`].
    fn tanh(self) -> Self;
    /// [`crate::math::cosh`].
    fn cosh(self) -> Self;
    /// [`crate::math::sinh`].
    fn sinh(self) -> Self;
    /// 1 for x > 0, 0 for x < 0, ½ otherwise (at 0 and for NaN), as the model language's
    /// `heaviside`.
    fn heaviside(self) -> Self;
    /// `self·a + b`. Rounded twice, the bits of the scalar `self * a + b`, unless the type
    /// fuses it (one rounding, one instruction): only the lane types of
    /// [`Fused`](crate::integrate::Fused) blocks do, on processors with fused multiply-adds.
    /// Generated lane code and the library's lane arithmetic write `a*b + c` this way, so
    /// that those blocks fuse it and every other type keeps the scalar bits.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn mul_add(self, a: Self, b: Self) -> Self {
        self * a + b
    }
    /// Whether [`Real::mul_add_any`] is one instruction.
    const FMA_ANY: bool = false;
    /// `self·a + b` by the type's cheapest means, fused or not, for a value whose rounding
    /// does not matter (the block pass's test for values that are not finite: NaN or ±∞ in
    /// an operand makes the result NaN or ±∞ either way). One instruction where
    /// [`Real::FMA_ANY`].
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn mul_add_any(self, a: Self, b: Self) -> Self {
        self * a + b
    }
}

/// The [`Real`] methods that every lane type of f64 lanes computes lane by lane through the
/// scalar functions, with its own `map` and `zip` (packed instructions would not give their
/// bits: `f64::min`'s handling of NaN and of ±0 is not `vminpd`'s), and binary powering;
/// inside the type's `impl Real`.
macro_rules! lane_by_lane_methods {
    () => {
        #[cfg_attr(debug_assertions, inline)]
        #[cfg_attr(not(debug_assertions), inline(always))]
        fn min(self, o: Self) -> Self {
            self.zip(o, f64::min)
        }
        #[cfg_attr(debug_assertions, inline)]
        #[cfg_attr(not(debug_assertions), inline(always))]
        fn max(self, o: Self) -> Self {
            self.zip(o, f64::max)
        }
        /// Binary powering, the products of `f64::powi` (see `powi_by_squaring`).
        #[cfg_attr(debug_assertions, inline)]
        #[cfg_attr(not(debug_assertions), inline(always))]
        fn powi(self, n: i32) -> Self {
            $crate::lanes::powi_by_squaring(self, n)
        }
        #[cfg_attr(debug_assertions, inline)]
        #[cfg_attr(not(debug_assertions), inline(always))]
        fn powf(self, o: Self) -> Self {
            self.zip(o, f64::powf)
        }
        #[cfg_attr(debug_assertions, inline)]
        #[cfg_attr(not(debug_assertions), inline(always))]
        fn ln(self) -> Self {
            self.map($crate::math::ln)
        }
        #[cfg_attr(debug_assertions, inline)]
        #[cfg_attr(not(debug_assertions), inline(always))]
        fn ln_1p(self) -> Self {
            self.map(f64::ln_1p)
        }
        #[cfg_attr(debug_assertions, inline)]
        #[cfg_attr(not(debug_assertions), inline(always))]
        fn sinh(self) -> Self {
            self.map($crate::math::sinh)
        }
    };
}
pub(crate) use lane_by_lane_methods;

/// The Heaviside step of the model language (½ at 0 and for NaN).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn heaviside(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        0.0
    } else {
        0.5
    }
}

/// `x`ⁿ by binary powering with lane-wise products, for blocks of lanes (a per-lane
/// `f64::powi` is expanded after vectorisation, so it would stay scalar): the squarings and
/// products of `f64::powi` itself (LLVM's expansion for a constant exponent and
/// compiler-rt's `__powidf2` agree), in an order that does not matter since each product is
/// commutative; then 1/r for n < 0.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn powi_by_squaring<T: Real>(x: T, n: i32) -> T {
    let mut e = n.unsigned_abs();
    let mut r: Option<T> = None;
    let mut sq = x;
    while e != 0 {
        if e & 1 != 0 {
            r = Some(match r {
                Some(r) => r * sq,
                None => sq,
            });
        }
        e >>= 1;
        if e != 0 {
            sq = sq * sq;
        }
    }
    let r = r.unwrap_or(T::splat(1.0));
    if n < 0 { T::splat(1.0) / r } else { r }
}

/// The largest index [`index_u31`] returns.
pub(crate) const I31: f64 = i32::MAX as f64;

/// `x` clamped to [0, hi] (NaN to 0; hi ≤ 2³¹ − 1) and truncated. Written so that a loop over
/// lanes compiles to packed instructions: a compare and a minimum, then the plain f64 → i32
/// conversion (`as` saturates, which the compiler did not vectorise: one conversion per
/// lane with fix-ups for NaN and overflow, in the lookup-table gathers).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn index_u31(x: f64, hi: f64) -> u32 {
    let c = if x >= 0.0 { x.min(hi) } else { 0.0 };
    debug_assert!(hi <= I31);
    // SAFETY: c is in [0, hi] ⊂ [0, 2³¹ − 1] (NaN fails `x >= 0`), where the conversion to
    // i32 is defined; non-negative, so the cast to u32 keeps the value.
    (unsafe { c.to_int_unchecked::<i32>() }) as u32
}

/// A table's cell index: `x` clamped to [0, hi] (NaN to 0) and truncated, as a u32 (what
/// [`Real::cell_index`] gives as f64, for every kind of lanes; the scalar table lookup uses it
/// directly, since f64 ↔ usize conversions take several instructions on the x86-64 baseline
/// and f64 ↔ u32 one each).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn cell_u31(x: f64, hi: f64) -> u32 {
    index_u31(x, hi.min(I31))
}

impl Real for f64 {
    type Mask = bool;
    const LANES: usize = 1;

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn splat(v: f64) -> Self {
        v
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn lane(self, _i: usize) -> f64 {
        self
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn set_lane(&mut self, _i: usize, v: f64) {
        *self = v;
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn load(data: &[f64]) -> Self {
        data[0]
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn gather(data: &[f64], idx: Self) -> Self {
        data[(index_u31(idx, I31) as usize).min(data.len() - 1)]
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn cell_index(self, hi: f64) -> Self {
        cell_u31(self, hi) as f64
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn store(self, data: &mut [f64]) {
        data[0] = self;
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn select(m: bool, a: Self, b: Self) -> Self {
        if m { a } else { b }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn lt(self, o: Self) -> bool {
        self < o
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn le(self, o: Self) -> bool {
        self <= o
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn gt(self, o: Self) -> bool {
        self > o
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn ge(self, o: Self) -> bool {
        self >= o
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn eq(self, o: Self) -> bool {
        self == o
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn ne(self, o: Self) -> bool {
        self != o
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn min(self, o: Self) -> Self {
        f64::min(self, o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn max(self, o: Self) -> Self {
        f64::max(self, o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn abs(self) -> Self {
        f64::abs(self)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn powi(self, n: i32) -> Self {
        f64::powi(self, n)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn powf(self, o: Self) -> Self {
        f64::powf(self, o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn exp(self) -> Self {
        crate::math::exp(self)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn exp_m1(self) -> Self {
        crate::math::exp_m1(self)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn phi1_small(self) -> Self {
        crate::math::phi1_small(self)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn ln(self) -> Self {
        crate::math::ln(self)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn ln_1p(self) -> Self {
        f64::ln_1p(self)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn tanh(self) -> Self {
        crate::math::tanh(self)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn cosh(self) -> Self {
        crate::math::cosh(self)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn sinh(self) -> Self {
        crate::math::sinh(self)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn heaviside(self) -> Self {
        heaviside(self)
    }
}

/// Lane `l` of per-variable lanes `x` (`x[v]` holds variable v of every lane) as a vector.
///
/// Always inlined in optimised builds, as every lane operation is: called from the blocks'
/// AVX-512 loop, a copy compiled on its own would lack the loop's target features, and each
/// of its lane reads and writes would become a call to the intrinsic (a model with `clip`,
/// whose blocks clip lane by lane, ran ten times slower there than on the AVX2 path).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn gather_lane<V: crate::Vector, T: Real>(x: &[T], l: usize) -> V {
    let mut v = V::default();
    for (i, xi) in x[..V::LEN].iter().enumerate() {
        v.set_index(i, xi.lane(l));
    }
    v
}

/// Writes the vector `v` into lane `l` of per-variable lanes `x`, the inverse of
/// [`gather_lane`] (and inlined as it is).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn scatter_lane<V: crate::Vector, T: Real>(v: &V, x: &mut [T], l: usize) {
    for (i, xi) in x[..V::LEN].iter_mut().enumerate() {
        xi.set_lane(l, v.get_index(i).unwrap_or(0.0));
    }
}
