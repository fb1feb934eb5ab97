//! Units and dimensions.
//!
//! Dimensions are vectors of rational exponents over six SI base dimensions (time, length,
//! mass, current, temperature, amount); rational so that a noise intensity in mV/sqrt(ms) is
//! expressible. Every quantity is converted at compile time into one coherent internal system
//! whose units are ms, mV, pA, nS, pF, µm and mM (pF·mV/ms = pA, nS·mV = pA). Its base scales
//! (SI value of one internal unit) are: time 1e-3 s, length 1e-6 m, mass 1e-12 kg,
//! current 1e-12 A, temperature 1 K, amount 1e-18 mol (so mol/µm³·1e-18 = 1 mM).

use crate::ast::{Quantity, UnitExpr};
use crate::diag::Diagnostic;

/// A rational number in lowest terms with a positive denominator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rational {
    /// Numerator.
    pub num: i32,
    /// Denominator, > 0.
    pub den: i32,
}

/// A physical dimension: exponents of time, length, mass, current, temperature, amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Dim(pub [Rational; 6]);

/// A unit after evaluation: its dimension and how to convert a number written in it into
/// internal units: `internal = written × factor × 10^pow10`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnitValue {
    /// The dimension.
    pub dim: Dim,
    /// Power-of-ten part of the conversion factor (exact).
    pub pow10: Rational,
    /// Remaining factor (1.0 for all SI-prefixed units; 60 for `min`, ...).
    pub factor: f64,
}
