//! How far a table is from its function: measured error and a-priori bound.

use super::{Columns, Interp, TableSet};

/// Interpolation error of one tabulated function over the grid's range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ErrorReport {
    /// Largest |table − f| found.
    pub max_abs: f64,
    /// Where it was found.
    pub at_abs: f64,
    /// Largest |table − f| / |f|, over the samples where |f| ≥ 10⁻⁶·max|f| (near a zero of f
    /// the relative error means nothing).
    pub max_rel: f64,
    /// Where it was found.
    pub at_rel: f64,
    /// The a-priori bound h²/8·max|f''| (linear) or h⁴/384·max|f''''| (cubic Hermite), with
    /// the derivative estimated from the table's own grid values by second (fourth)
    /// differences, plus a margin of the largest change of that estimate between neighbouring
    /// points (three for cubic) to cover the maxima between and beyond the stencils. It does not
    /// include rounding (a few ulp of |f|). NaN if the grid has too few points (3 for linear,
    /// 5 for cubic).
    pub bound: f64,
}

impl<const K: usize, F: Columns<K>> TableSet<K, F> {
    /// Measures the interpolation error of each column against `f` (usually the exact
    /// function, or an independent implementation of it) at `per_cell` equally spaced points
    /// per cell plus each cell's midpoint (where linear interpolation errs most) and the top
    /// of the grid, and estimates the a-priori bound from the table ([`ErrorReport::bound`]).
    pub fn max_error(&self, f: impl Fn(f64) -> [f64; K], per_cell: usize) -> [ErrorReport; K] {
        let h = self.spec.step;
        let per_cell = per_cell.max(1);
        let mut xs = Vec::with_capacity(self.cells * (per_cell + 1) + 1);
        for i in 0..self.cells {
            let x0 = self.spec.lo + i as f64 * h;
            xs.extend((0..per_cell).map(|j| x0 + j as f64 / per_cell as f64 * h));
            xs.push(x0 + 0.5 * h);
        }
        xs.push(self.top);
        let exact: Vec<[f64; K]> = xs.iter().map(|&x| f(x)).collect();
        std::array::from_fn(|k| {
            let scale = exact.iter().fold(0.0f64, |m, v| m.max(v[k].abs()));
            let mut r = ErrorReport { max_abs: 0.0, at_abs: xs[0], max_rel: 0.0, at_rel: xs[0], bound: self.bound(k) };
            for (&x, e) in xs.iter().zip(&exact) {
                let err = (self.eval(x)[k] - e[k]).abs();
                // A NaN error is reported, not skipped.
                if err > r.max_abs || err.is_nan() {
                    (r.max_abs, r.at_abs) = (err, x);
                }
                let rel = err / e[k].abs();
                if e[k].abs() >= 1e-6 * scale && (rel > r.max_rel || rel.is_nan()) {
                    (r.max_rel, r.at_rel) = (rel, x);
                }
            }
            r
        })
    }

    /// The a-priori bound of column `k` (see [`ErrorReport::bound`]).
    fn bound(&self, k: usize) -> f64 {
        let v: Vec<f64> = self.grid_values(k).collect();
        let (order, divisor, margin) = match self.spec.interp {
            Interp::Linear => (2, 8.0, 1.0),
            Interp::CubicHermite => (4, 384.0, 3.0),
        };
        if v.len() <= order {
            return f64::NAN;
        }
        // Differences of the given order: h^order times the derivative somewhere in the stencil.
        let mut d = v;
        for _ in 0..order {
            d = d.windows(2).map(|w| w[1] - w[0]).collect();
        }
        let largest = d.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        let change = d.windows(2).fold(0.0f64, |m, w| m.max((w[1] - w[0]).abs()));
        (largest + margin * change) / divisor
    }
}
