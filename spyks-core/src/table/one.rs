//! One function of one variable: a [`TableSet`] with a single column.

use super::{Columns, ErrorReport, TableError, TableSet, TableSpec};

/// Adapts a scalar function `Fn(f64) -> f64` to a one-column [`Columns`].
#[derive(Clone, Copy)]
pub struct Scalar<F>(pub F);

impl<F: Fn(f64) -> f64> Columns<1> for Scalar<F> {
    #[inline]
    fn values(&self, x: f64) -> [f64; 1] {
        [(self.0)(x)]
    }
}

impl<F> std::fmt::Debug for Scalar<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Scalar(..)")
    }
}

/// One function of one variable tabulated on a uniform grid (see the [module docs](super)).
///
/// ```
/// use spyks_core::table::{Table1D, TableSpec};
/// let tau = |v: f64| 1.0 + 4.0 / (1.0 + ((v + 40.0) / 8.0).powi(2));
/// let t = Table1D::new(tau, TableSpec::new(-100.0, 50.0, 0.05))?;
/// assert!((t.eval(-40.0) - 5.0).abs() < 1e-12);
/// # Ok::<(), spyks_core::table::TableError>(())
/// ```
#[derive(Clone)]
pub struct Table1D<F> {
    set: TableSet<1, Scalar<F>>,
}

impl<F> std::fmt::Debug for Table1D<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Table1D").field(&self.set).finish()
    }
}

impl<F: Fn(f64) -> f64> Table1D<F> {
    /// Tabulates `f`; see [`TableSet::new`] for derivatives and errors.
    pub fn new(f: F, spec: TableSpec) -> Result<Self, TableError> {
        Ok(Table1D { set: TableSet::new(Scalar(f), spec)? })
    }

    /// Tabulates `f` with its derivative `df` (used by cubic Hermite only).
    pub fn with_derivative(f: F, df: impl Fn(f64) -> f64, spec: TableSpec) -> Result<Self, TableError> {
        Ok(Table1D { set: TableSet::with_derivatives(Scalar(f), |x| [df(x)], spec)? })
    }

    /// The interpolated value at `x` (see [`TableSet::eval`]).
    #[inline]
    pub fn eval(&self, x: f64) -> f64 {
        self.set.eval(x)[0]
    }

    /// The measured interpolation error against `f` and the a-priori bound (see
    /// [`TableSet::max_error`]).
    pub fn max_error(&self, f: impl Fn(f64) -> f64, per_cell: usize) -> ErrorReport {
        let [r] = self.set.max_error(|x| [f(x)], per_cell);
        r
    }

    /// The underlying one-column set.
    pub fn as_set(&self) -> &TableSet<1, Scalar<F>> {
        &self.set
    }
}
