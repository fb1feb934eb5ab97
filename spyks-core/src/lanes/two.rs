//! `Two<T>`: two blocks of lanes operated on as one, twice the lanes of `T`.
//!
//! The blocks' AVX2 path uses `Two<F64x4>`: eight neurons per block as before (the loads,
//! stores, refractory and threshold bookkeeping of a block are paid once per eight neurons,
//! which matters for small models such as the integrate-and-fire ones: with four-neuron
//! blocks CUBA and COBA ran slower, in one interleaved measurement made while the mask was
//! still built lane by lane), with every operation the `F64x4` instruction on each half. The
//! AVX-512 path uses `Two<F64x8>` (sixteen neurons) for models of up to eight variables, for
//! the same reason (see the blocks' `AVX512_TWO_MAX_VARS`). Lane `i` is lane `i` of the first
//! half for `i < T::LANES`, else lane `i - T::LANES` of the second; each operation applies
//! `T`'s to both halves, so each lane keeps `T`'s bits, which are the scalar ones.

use super::{Mask, Real};
use core::ops::{Add, Div, Mul, Neg, Sub};

/// Two blocks of lanes, `2 · T::LANES` lanes in all.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Two<T>(pub(crate) T, pub(crate) T);

impl<M: Mask> Mask for Two<M> {
    const LANES: usize = 2 * M::LANES;
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn from_lanes(f: impl Fn(usize) -> bool) -> Self {
        Two(M::from_lanes(&f), M::from_lanes(|i| f(i + M::LANES)))
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn bitmask(self) -> u64 {
        self.0.bitmask() | (self.1.bitmask() << M::LANES)
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn from_bits(bits: u64) -> Self {
        Two(M::from_bits(bits), M::from_bits(bits >> M::LANES))
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn splat(b: bool) -> Self {
        Two(M::splat(b), M::splat(b))
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn and(self, o: Self) -> Self {
        Two(self.0.and(o.0), self.1.and(o.1))
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn or(self, o: Self) -> Self {
        Two(self.0.or(o.0), self.1.or(o.1))
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn not(self) -> Self {
        Two(self.0.not(), self.1.not())
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn lane(self, i: usize) -> bool {
        if i < M::LANES { self.0.lane(i) } else { self.1.lane(i - M::LANES) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn set_lane(&mut self, i: usize, b: bool) {
        if i < M::LANES { self.0.set_lane(i, b) } else { self.1.set_lane(i - M::LANES, b) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn any(self) -> bool {
        self.0.or(self.1).any()
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn all(self) -> bool {
        self.0.and(self.1).all()
    }
}

macro_rules! binop {
    ($tr:ident, $f:ident) => {
        impl<T: Real> $tr for Two<T> {
            type Output = Self;
            #[cfg_attr(debug_assertions, inline)]
            #[cfg_attr(not(debug_assertions), inline(always))]
            fn $f(self, b: Self) -> Self {
                Two(self.0.$f(b.0), self.1.$f(b.1))
            }
        }
    };
}
binop!(Add, add);
binop!(Sub, sub);
binop!(Mul, mul);
binop!(Div, div);

impl<T: Real> Neg for Two<T> {
    type Output = Self;
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn neg(self) -> Self {
        Two(-self.0, -self.1)
    }
}

/// Methods of one block applied to each half.
macro_rules! halves {
    ($($f:ident),*) => {
        $(
            #[cfg_attr(debug_assertions, inline)]
            #[cfg_attr(not(debug_assertions), inline(always))]
            fn $f(self) -> Self {
                Two(self.0.$f(), self.1.$f())
            }
        )*
    };
}

/// Comparisons of one block applied to each half.
macro_rules! compare {
    ($($f:ident),*) => {
        $(
            #[cfg_attr(debug_assertions, inline)]
            #[cfg_attr(not(debug_assertions), inline(always))]
            fn $f(self, o: Self) -> Self::Mask {
                Two(self.0.$f(o.0), self.1.$f(o.1))
            }
        )*
    };
}

impl<T: Real> Real for Two<T> {
    type Mask = Two<T::Mask>;
    const LANES: usize = 2 * T::LANES;

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn mul_add(self, a: Self, b: Self) -> Self {
        Two(self.0.mul_add(a.0, b.0), self.1.mul_add(a.1, b.1))
    }

    const FMA_ANY: bool = T::FMA_ANY;

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn mul_add_any(self, a: Self, b: Self) -> Self {
        Two(self.0.mul_add_any(a.0, b.0), self.1.mul_add_any(a.1, b.1))
    }

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn splat(v: f64) -> Self {
        Two(T::splat(v), T::splat(v))
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn lane(self, i: usize) -> f64 {
        if i < T::LANES { self.0.lane(i) } else { self.1.lane(i - T::LANES) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn set_lane(&mut self, i: usize, v: f64) {
        if i < T::LANES { self.0.set_lane(i, v) } else { self.1.set_lane(i - T::LANES, v) }
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn load(data: &[f64]) -> Self {
        let data = &data[..2 * T::LANES];
        Two(T::load(data), T::load(&data[T::LANES..]))
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn store(self, data: &mut [f64]) {
        let data = &mut data[..2 * T::LANES];
        self.0.store(data);
        self.1.store(&mut data[T::LANES..]);
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn gather(data: &[f64], idx: Self) -> Self {
        Two(T::gather(data, idx.0), T::gather(data, idx.1))
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn cell_index(self, hi: f64) -> Self {
        Two(self.0.cell_index(hi), self.1.cell_index(hi))
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn select(m: Self::Mask, a: Self, b: Self) -> Self {
        Two(T::select(m.0, a.0, b.0), T::select(m.1, a.1, b.1))
    }
    compare!(lt, le, gt, ge, eq, ne);
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn min(self, o: Self) -> Self {
        Two(self.0.min(o.0), self.1.min(o.1))
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn max(self, o: Self) -> Self {
        Two(self.0.max(o.0), self.1.max(o.1))
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn powi(self, n: i32) -> Self {
        Two(self.0.powi(n), self.1.powi(n))
    }
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn powf(self, o: Self) -> Self {
        Two(self.0.powf(o.0), self.1.powf(o.1))
    }
    halves!(abs, sqrt, exp, exp_m1, phi1_small, ln, ln_1p, tanh, cosh, sinh, heaviside);
}
