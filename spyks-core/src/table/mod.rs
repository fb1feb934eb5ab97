//! Lookup tables for rate functions of one variable (α_m(V), τ_n(V), x_∞(V), ...).
//!
//! A conductance-based model spends most of its time in `exp` calls inside rate functions
//! that depend on the membrane potential only. Tabulating them once per parameter set over a
//! uniform grid turns each evaluation into an index computation and a few multiply-adds.
//!
//! - [`TableSet`] tabulates K functions of the same variable at once, interleaved per grid
//!   point, so one lookup reads one contiguous block for all K values (Hodgkin-Huxley: the six
//!   α and β of V). [`Table1D`] is the one-function case.
//! - [`Interp::Linear`] has error at most h²/8·max|f''|; [`Interp::CubicHermite`] (values and
//!   derivatives at the grid points, stored as each cell's polynomial) at most
//!   h⁴/384·max|f''''|, at four times the memory.
//! - [`OutOfRange`] says what happens outside the grid: extend, clamp, or call the exact
//!   function, which the table keeps.
//! - [`TableSet::max_error`] measures the interpolation error against a reference function
//!   and estimates the a-priori bound from the table itself, so a step can be chosen knowingly.
//! - [`ParamCache`] rebuilds a table only when the parameters it depends on change.
//! - [`ModelTables`] is what a model with a `tables { .. }` block carries: the macro finds the
//!   rate functions itself, and the drivers bring the tables up to date ([`prepared`]).
//!
//! ```
//! use spyks_core::table::{Interp, OutOfRange, Table1D, TableSpec};
//! let spec = TableSpec::new(-100.0, 50.0, 0.1).interp(Interp::Linear).out_of_range(OutOfRange::Exact);
//! let beta_m = |v: f64| 4.0 * (-(v + 65.0) / 18.0).exp();
//! let table = Table1D::new(beta_m, spec)?;
//! assert!((table.eval(-63.27) - beta_m(-63.27)).abs() < 1e-4);
//! let report = table.max_error(beta_m, 16);
//! assert!(report.max_abs <= report.bound + 1e-12);
//! # Ok::<(), spyks_core::table::TableError>(())
//! ```

mod cache;
mod model_tables;
mod one;
mod report;
mod set;
#[cfg(test)]
mod tests;

pub use cache::ParamCache;
pub use model_tables::{ModelTables, prepared, prepared_for_step, refresh_for_step};
pub use one::{Scalar, Table1D};
pub use report::ErrorReport;
pub use set::TableSet;

/// The largest number of grid points a table may have (2²⁰ ≈ 10⁶). A six-function cubic
/// table of that size takes 192 MiB; a finer grid than that brings nothing a table is for.
pub const MAX_POINTS: usize = 1 << 20;

/// How values between grid points are computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Interp {
    /// Straight line between neighbouring points; error ≤ h²/8·max|f''|.
    #[default]
    Linear,
    /// Cubic Hermite from values and first derivatives at both ends of the cell;
    /// error ≤ h⁴/384·max|f''''|. The derivatives come from the function (a fourth-order
    /// central difference with step h/16 at build) or are given.
    CubicHermite,
}

/// What a lookup outside the grid returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OutOfRange {
    /// Linear extrapolation from the last two grid points (for both interpolations).
    /// Dangerous for exponential rates: the extrapolated line can go negative or grow far
    /// slower than the function, so only use it when the state cannot leave the range by much.
    Extend,
    /// The value at the nearest end of the grid.
    Clamp,
    /// Calls the exact function the table was built from: correct everywhere, slow outside.
    #[default]
    Exact,
}

/// Where and how to tabulate: the range [lo, hi], the step, the interpolation and the
/// out-of-range policy. If (hi − lo)/step is not a whole number, the grid extends past `hi`
/// to the next grid point, so the range is always covered.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TableSpec {
    /// Lower end of the range.
    pub lo: f64,
    /// Upper end of the range.
    pub hi: f64,
    /// Grid step.
    pub step: f64,
    /// Interpolation between grid points.
    pub interp: Interp,
    /// Behaviour outside the grid.
    pub out_of_range: OutOfRange,
}

impl TableSpec {
    /// A linear table over [lo, hi] with the given step that calls the exact function
    /// outside the range.
    pub fn new(lo: f64, hi: f64, step: f64) -> Self {
        TableSpec { lo, hi, step, interp: Interp::Linear, out_of_range: OutOfRange::Exact }
    }

    /// Sets the interpolation.
    pub fn interp(mut self, interp: Interp) -> Self {
        self.interp = interp;
        self
    }

    /// Sets the out-of-range policy.
    pub fn out_of_range(mut self, policy: OutOfRange) -> Self {
        self.out_of_range = policy;
        self
    }

    /// The number of cells, after checking the settings.
    fn cells(&self) -> Result<usize, TableError> {
        let bad = |what: &'static str, value: f64, reason: &str| Err(TableError::Setting { what, value, reason: reason.into() });
        if !self.lo.is_finite() {
            return bad("lo", self.lo, "the range must be finite");
        }
        if !self.hi.is_finite() {
            return bad("hi", self.hi, "the range must be finite");
        }
        if self.lo >= self.hi {
            return bad("hi", self.hi, &format!("the upper end must exceed the lower end {}", self.lo));
        }
        if !(self.step > 0.0 && self.step.is_finite()) {
            return bad("step", self.step, "the step must be positive and finite");
        }
        // A relative slack so that e.g. 150/0.1 = 1500.0000000000002 gives 1500 cells.
        let cells = ((self.hi - self.lo) / self.step * (1.0 - 1e-12)).ceil().max(1.0);
        if cells + 1.0 > MAX_POINTS as f64 {
            return bad("step", self.step, &format!("{} grid points exceed the maximum of {MAX_POINTS}", cells + 1.0));
        }
        Ok(cells as usize)
    }
}

/// Why a table could not be built.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TableError {
    /// A range or step that cannot make a table.
    #[error("invalid table setting `{what}` = {value}: {reason}")]
    Setting {
        /// The setting (`lo`, `hi`, `step`).
        what: &'static str,
        /// Its value.
        value: f64,
        /// Why it is invalid.
        reason: String,
    },
    /// The function (or its derivative) is not finite at a grid point.
    #[error("the {what} of column {column} is {value} at x = {x}: a table needs finite values on its whole grid")]
    NonFinite {
        /// `value` or `derivative`.
        what: &'static str,
        /// Which function of the set (0 for a single table).
        column: usize,
        /// Where.
        x: f64,
        /// The value returned.
        value: f64,
    },
    /// The function loses its accuracy at a grid point: its value there is off the value
    /// interpolated from points h/1024 and h/512 to either side by more than 10⁻⁶ of the
    /// values, while the interpolation from twice as far agrees (rounding at that one point,
    /// such as a removable singularity written without its limit a few 10⁻⁹ from the grid
    /// point). A table would read that value over the two cells around it.
    #[error(
        "column {column} is {value} at x = {x} but {smooth} as interpolated from x ± {delta} and x ± {}: it loses its accuracy at this grid point (a removable singularity without its limit?), and a table would spread the error over the cells on both sides",
        2.0 * delta
    )]
    Inaccurate {
        /// Which function of the set.
        column: usize,
        /// The grid point.
        x: f64,
        /// The function's value there.
        value: f64,
        /// The value interpolated from its neighbours at ± `delta` and ± 2·`delta`.
        smooth: f64,
        /// The offset of the nearest neighbours (h/1024).
        delta: f64,
    },
}

/// A table that cannot be built is a setting of the run that cannot work: `?` in code that
/// returns [`crate::SimError`] turns it into [`crate::SimError::InvalidSetting`], keeping the
/// whole message.
impl From<TableError> for crate::SimError {
    fn from(e: TableError) -> Self {
        match e {
            TableError::Setting { what, value, reason } => crate::SimError::InvalidSetting { name: what, value, reason },
            TableError::NonFinite { value, .. } | TableError::Inaccurate { value, .. } => {
                crate::SimError::InvalidSetting { name: "lookup table", value, reason: e.to_string() }
            }
        }
    }
}

/// K functions of one variable, evaluated together. Implemented for every closure
/// `Fn(f64) -> [f64; K]`; generated code can implement it for a named parameter struct.
pub trait Columns<const K: usize> {
    /// The K function values at `x`.
    fn values(&self, x: f64) -> [f64; K];
}

impl<const K: usize, F: Fn(f64) -> [f64; K]> Columns<K> for F {
    #[inline]
    fn values(&self, x: f64) -> [f64; K] {
        self(x)
    }
}
