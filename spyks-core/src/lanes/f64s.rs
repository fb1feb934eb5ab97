//! `F64s<L>`: L f64 lanes, every operation a loop over the lanes that the compiler vectorises.

// Indexed loops over the lanes are the form the vectoriser is known to handle here.
#![allow(clippy::needless_range_loop)]

use super::{Mask, Real};
use core::ops::{Add, Div, Mul, Neg, Sub};

/// `L` f64 values operated on together. Each operation applies the `f64` operation (or the
/// [`crate::math`] function) to every lane, so lane `i` of a result is bit for bit the scalar
/// result; the loops have no branches and compile to packed instructions.
///
/// ```
/// use spyks_core::lanes::{F64s, Real};
/// let x = F64s([0.5, -1.0, 2.0, 0.0]);
/// let y = (x * F64s::splat(2.0)).exp_m1();
/// for i in 0..4 {
///     assert_eq!(y.0[i].to_bits(), spyks_core::math::exp_m1(x.0[i] * 2.0).to_bits());
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct F64s<const L: usize>(pub [f64; L]);

/// The lanes of a comparison of [`F64s`]: each lane all ones (true) or all zeros (false), as
/// the packed compare instructions give them, so that masks combine and select with packed
/// bitwise instructions also where the processor has no mask registers (AVX2: an array of
/// `bool` there compiled to one compare and one byte per lane, assembled with shifts). Built
/// only by comparisons and the [`Mask`] methods, which keep every lane one or the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct M64s<const L: usize>(pub(super) [u64; L]);

/// All ones for true, zero for false.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn lane_bits(b: bool) -> u64 {
    u64::from(b).wrapping_neg()
}

impl<const L: usize> F64s<L> {
    /// Applies `f` to every lane.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn map(self, f: impl Fn(f64) -> f64) -> Self {
        let mut o = [0.0; L];
        for i in 0..L {
            o[i] = f(self.0[i]);
        }
        F64s(o)
    }

    /// Combines two blocks lane by lane.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn zip(self, b: Self, f: impl Fn(f64, f64) -> f64) -> Self {
        let mut o = [0.0; L];
        for i in 0..L {
            o[i] = f(self.0[i], b.0[i]);
        }
        F64s(o)
    }

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn cmp(self, b: Self, f: impl Fn(f64, f64) -> bool) -> M64s<L> {
        let mut o = [0; L];
        for i in 0..L {
            o[i] = lane_bits(f(self.0[i], b.0[i]));
        }
        M64s(o)
    }
}

impl<const L: usize> Mask for M64s<L> {
    const LANES: usize = L;
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn from_lanes(f: impl Fn(usize) -> bool) -> Self {
        let mut o = [0; L];
        for i in 0..L {
            o[i] = lane_bits(f(i));
        }
        M64s(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn bitmask(self) -> u64 {
        let mut b = 0;
        for i in 0..L {
            b |= (self.0[i] & 1) << i;
        }
        b
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn splat(b: bool) -> Self {
        M64s([lane_bits(b); L])
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn and(self, other: Self) -> Self {
        let mut o = [0; L];
        for i in 0..L {
            o[i] = self.0[i] & other.0[i];
        }
        M64s(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn or(self, other: Self) -> Self {
        let mut o = [0; L];
        for i in 0..L {
            o[i] = self.0[i] | other.0[i];
        }
        M64s(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn not(self) -> Self {
        let mut o = [0; L];
        for i in 0..L {
            o[i] = !self.0[i];
        }
        M64s(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn lane(self, i: usize) -> bool {
        self.0[i] != 0
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn set_lane(&mut self, i: usize, b: bool) {
        self.0[i] = lane_bits(b);
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn any(self) -> bool {
        // A fold without early exit, so that it vectorises.
        self.0.iter().fold(0, |a, &b| a | b) != 0
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn all(self) -> bool {
        self.0.iter().fold(u64::MAX, |a, &b| a & b) != 0
    }
}

macro_rules! binop {
    ($tr:ident, $f:ident, $op:tt) => {
        impl<const L: usize> $tr for F64s<L> {
            type Output = Self;
            #[cfg_attr(debug_assertions, inline)]
            #[cfg_attr(not(debug_assertions), inline(always))]
            fn $f(self, b: Self) -> Self {
                self.zip(b, |x, y| x $op y)
            }
        }
    };
}
binop!(Add, add, +);
binop!(Sub, sub, -);
binop!(Mul, mul, *);
binop!(Div, div, /);

impl<const L: usize> Neg for F64s<L> {
    type Output = Self;
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn neg(self) -> Self {
        self.map(|x| -x)
    }
}

impl<const L: usize> Real for F64s<L> {
    type Mask = M64s<L>;
    const LANES: usize = L;

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn splat(v: f64) -> Self {
        F64s([v; L])
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn lane(self, i: usize) -> f64 {
        self.0[i]
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn set_lane(&mut self, i: usize, v: f64) {
        self.0[i] = v;
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn load(data: &[f64]) -> Self {
        let mut o = [0.0; L];
        o.copy_from_slice(&data[..L]);
        F64s(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn store(self, data: &mut [f64]) {
        data[..L].copy_from_slice(&self.0);
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn gather(data: &[f64], idx: Self) -> Self {
        let last = data.len() - 1;
        let mut o = [0.0; L];
        for i in 0..L {
            o[i] = data[(super::index_u31(idx.0[i], super::I31) as usize).min(last)];
        }
        F64s(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn cell_index(self, hi: f64) -> Self {
        self.map(|x| super::cell_u31(x, hi) as f64)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn select(m: M64s<L>, a: Self, b: Self) -> Self {
        let mut o = [0.0; L];
        // Bitwise, so that it is packed and/andnot/or (or a blend) on every path; the lanes
        // are all ones or all zeros, so each result lane is exactly a's or b's.
        for i in 0..L {
            o[i] = f64::from_bits((a.0[i].to_bits() & m.0[i]) | (b.0[i].to_bits() & !m.0[i]));
        }
        F64s(o)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn lt(self, o: Self) -> M64s<L> {
        self.cmp(o, |x, y| x < y)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn le(self, o: Self) -> M64s<L> {
        self.cmp(o, |x, y| x <= y)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn gt(self, o: Self) -> M64s<L> {
        self.cmp(o, |x, y| x > y)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn ge(self, o: Self) -> M64s<L> {
        self.cmp(o, |x, y| x >= y)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn eq(self, o: Self) -> M64s<L> {
        self.cmp(o, |x, y| x == y)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn ne(self, o: Self) -> M64s<L> {
        self.cmp(o, |x, y| x != y)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn abs(self) -> Self {
        self.map(f64::abs)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn sqrt(self) -> Self {
        self.map(f64::sqrt)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn exp(self) -> Self {
        self.map(crate::math::exp)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn exp_m1(self) -> Self {
        // The scalar function's branch-free form (the same bits): a branch per call would
        // split the block's code (see `Real::phi1_small`).
        self.map(crate::math::exp_m1_any)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn phi1_small(self) -> Self {
        self.map(crate::math::phi1_small)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn tanh(self) -> Self {
        // The scalar function's pieces (the same bits), the short form of expm1(2|x|) only
        // when a lane needs it: rate functions' arguments are rarely that small, and 4000
        // Pospischil neurons (five `tanh` each) took 5 % less time than with both forms always.
        let y = self.map(crate::math::tanh_y);
        let large = y.map(crate::math::expm1_table);
        let small = y.lt(Self::splat(crate::math::EXP_M1_SMALL));
        let u = if small.any() { Self::select(small, y.map(crate::math::tanh_small_u), large) } else { large };
        self.zip(u, crate::math::tanh_from)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn cosh(self) -> Self {
        self.map(crate::math::cosh)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn heaviside(self) -> Self {
        self.map(super::heaviside)
    }
    super::lane_by_lane_methods!();
}
