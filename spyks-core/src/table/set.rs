//! K functions of one variable tabulated on one grid, interleaved per grid point.

use crate::lanes::Real;

use super::{Columns, Interp, OutOfRange, TableError, TableSpec};

/// K functions of the same variable tabulated together (see the [module docs](super)).
///
/// Storage is interleaved, so that a lookup reads one contiguous block: per grid point
/// `[f_0..f_K]` (linear; a lookup reads two points), or per cell the coefficients of the cubic
/// Hermite polynomial in the cell's position t ∈ [0, 1], `[c0_0..c0_K, c1_.., c2_.., c3_..]`
/// with f(t) = c0 + t·(c1 + t·(c2 + t·c3)) (a last row for the last grid point holds its value
/// and scaled derivative). Horner's rule on stored coefficients takes half the instructions of
/// the Hermite basis on values and derivatives (Dormand-Prince on spyks' nakl with six tabulated
/// functions: 1.02-1.05x), at twice the memory. The table keeps the function for
/// [`OutOfRange::Exact`] and for error reports.
///
/// ```
/// use spyks_core::table::{Interp, TableSet, TableSpec};
/// let rates = |v: f64| [0.07 * (-(v + 65.0) / 20.0).exp(), 1.0 / (1.0 + (-(v + 35.0) / 10.0).exp())];
/// let t = TableSet::new(rates, TableSpec::new(-100.0, 50.0, 0.5).interp(Interp::CubicHermite))?;
/// let [alpha_h, beta_h] = t.eval(-52.3);
/// assert!((alpha_h - rates(-52.3)[0]).abs() < 1e-7 && (beta_h - rates(-52.3)[1]).abs() < 1e-7);
/// # Ok::<(), spyks_core::table::TableError>(())
/// ```
#[derive(Clone)]
pub struct TableSet<const K: usize, F> {
    pub(super) spec: TableSpec,
    /// Grid points minus one.
    pub(super) cells: usize,
    pub(super) inv_h: f64,
    /// Upper end of the grid (≥ `spec.hi`).
    pub(super) top: f64,
    /// Values per row: K (linear: a row per grid point) or 4K (cubic: a row per cell, and
    /// one for the last grid point).
    stride: usize,
    pub(super) data: Vec<f64>,
    pub(super) f: F,
}

impl<const K: usize, F: Columns<K>> TableSet<K, F> {
    /// Tabulates `f`; cubic Hermite derivatives come from a fourth-order central difference
    /// with step h/16 (error far below the interpolation error; the model compiler's table
    /// check, `spyks-lang`'s `check/tables.rs`, assumes this step), so `f` must be finite up to
    /// h/8 beyond the range. Errors: bad range or step, too many points, or a non-finite
    /// value or derivative (the error names x and the column).
    pub fn new(f: F, spec: TableSpec) -> Result<Self, TableError> {
        Self::build(spec, None, f)
    }

    /// Tabulates `f` with the given derivatives `df` (used by [`Interp::CubicHermite`] only).
    pub fn with_derivatives(f: F, df: impl Fn(f64) -> [f64; K], spec: TableSpec) -> Result<Self, TableError> {
        Self::build(spec, Some(&df), f)
    }

    fn build(spec: TableSpec, df: Option<&dyn Fn(f64) -> [f64; K]>, f: F) -> Result<Self, TableError> {
        let d = spec.step / 16.0;
        let difference = |x: f64| -> [f64; K] {
            let (a, b, c, e) = (f.values(x - 2.0 * d), f.values(x - d), f.values(x + d), f.values(x + 2.0 * d));
            std::array::from_fn(|k| (a[k] - 8.0 * b[k] + 8.0 * c[k] - e[k]) / (12.0 * d))
        };
        let cells = spec.cells()?;
        let h = spec.step;
        let stride = match spec.interp {
            Interp::Linear => K,
            Interp::CubicHermite => 4 * K,
        };
        let mut data = Vec::with_capacity(stride * (cells + 1));
        // Values and derivatives scaled by h (the derivative in t) at each grid point.
        let mut last: Option<([f64; K], [f64; K])> = None;
        for i in 0..=cells {
            let x = spec.lo + i as f64 * h;
            let v = f.values(x);
            check(&v, x, "value")?;
            if spec.interp == Interp::Linear {
                data.extend_from_slice(&v);
                continue;
            }
            let dv = match df {
                Some(df) => df(x),
                None => difference(x),
            };
            check(&dv, x, "derivative")?;
            let d = dv.map(|d| d * h);
            if let Some((f0, d0)) = last {
                // The cell from the last point to this one.
                data.extend_from_slice(&f0);
                data.extend_from_slice(&d0);
                data.extend((0..K).map(|k| 3.0 * (v[k] - f0[k]) - 2.0 * d0[k] - d[k]));
                data.extend((0..K).map(|k| 2.0 * (f0[k] - v[k]) + d0[k] + d[k]));
            }
            last = Some((v, d));
        }
        if let Some((f_end, d_end)) = last {
            data.extend_from_slice(&f_end);
            data.extend_from_slice(&d_end);
            data.extend(std::iter::repeat_n(0.0, 2 * K));
        }
        let set = TableSet { spec, cells, inv_h: 1.0 / h, top: spec.lo + cells as f64 * h, stride, data, f };
        set.check_accuracy()?;
        Ok(set)
    }

    /// Refuses a grid value that is off its neighbours by rounding (see
    /// [`TableError::Inaccurate`]). Each interior value is first compared with the
    /// interpolation from its grid neighbours (error h⁴/6·|f''''|); only where they disagree by
    /// more than 10⁻⁶, and at the two points at each end, is the function evaluated near it.
    fn check_accuracy(&self) -> Result<(), TableError> {
        let n = self.cells + 1;
        let grid = |i: usize, k: usize| self.data[i * self.stride + k];
        let delta = self.spec.step / 1024.0;
        for i in 0..n {
            let x = self.spec.lo + i as f64 * self.spec.step;
            let interior = i >= 2 && i + 2 < n;
            // Every column's values at x + m·δ, m = -4, -2, -1, 1, 2, 4: evaluated once, when
            // the first column needs them.
            let mut near: Option<[[f64; K]; 6]> = None;
            for k in 0..K {
                let v = grid(i, k);
                if interior && off_smooth(v, [grid(i - 2, k), grid(i - 1, k), grid(i + 1, k), grid(i + 2, k)]).is_none() {
                    continue;
                }
                let near = near.get_or_insert_with(|| [-4.0, -2.0, -1.0, 1.0, 2.0, 4.0].map(|m| self.f.values(x + m * delta)));
                let [a4, a2, a1, b1, b2, b4] = std::array::from_fn(|j| near[j][k]);
                let Some(s1) = off_smooth(v, [a2, a1, b1, b2]) else { continue };
                let s2 = (4.0 * (a2 + b2) - (a4 + b4)) / 6.0;
                if s2.is_finite() && (s2 - s1).abs() < (v - s1).abs() / 4.0 {
                    return Err(TableError::Inaccurate { column: k, x, value: v, smooth: s1, delta });
                }
            }
        }
        Ok(())
    }

    /// The cell holding `x`: whether `x` is inside [lo, top], the position t in the cell (clamped
    /// to [0, 1] under `Clamp`) and its rows: the cell's two grid points (linear), or its
    /// coefficients followed by the values at its right end (cubic). `None` outside the range
    /// under `Exact`, where the function itself is called.
    #[inline(always)]
    fn cell(&self, x: f64) -> Option<(bool, f64, &[f64])> {
        let u = (x - self.spec.lo) * self.inv_h;
        let last = self.cells as f64;
        // False for NaN too, so a NaN x goes to the out-of-range path and stays NaN.
        let inside = u >= 0.0 && u <= last;
        if self.spec.out_of_range == OutOfRange::Exact && !inside {
            return None;
        }
        // Cell index clamped to the grid (NaN to 0), the lanes' own (so that `eval_lanes`
        // reads the same cells). t is the position in the cell.
        let i = crate::lanes::cell_u31(u, last - 1.0);
        let mut t = u - f64::from(i);
        let i = i as usize;
        if self.spec.out_of_range == OutOfRange::Clamp {
            t = t.clamp(0.0, 1.0);
        }
        // Rows i and i + 1; for cubic, only the values (c0) of row i + 1, the cell's right end.
        // Either way the values at the right end start one row (`stride`) on.
        let s = self.stride;
        let end = match self.spec.interp {
            Interp::Linear => (i + 2) * s,
            Interp::CubicHermite => (i + 1) * s + K,
        };
        Some((inside, t, &self.data[i * s..end]))
    }

    /// The K interpolated values at `x`, or the [`OutOfRange`] policy's values outside
    /// [lo, top]. A NaN `x` gives NaN values.
    ///
    /// Inlined into the caller (a model's derivative), with the exact function behind a cold
    /// call: with the exact function inlined too, `eval` was too large to inline, and
    /// Dormand-Prince on spyks' `nakl` with cubic tables was 1-2 % slower.
    #[inline(always)]
    pub fn eval(&self, x: f64) -> [f64; K] {
        let Some((inside, t, p)) = self.cell(x) else {
            return self.exact_cold(x);
        };
        // Fixed-size views: one length check here, none per column.
        let block = |at: usize| -> &[f64; K] { p[at..at + K].try_into().expect("K values") };
        let (f0, f1) = (block(0), block(self.stride));
        let linear = |k: usize| f0[k] + t * (f1[k] - f0[k]);
        // Extend for cubic Hermite: a straight line outside (rare, so a branch).
        if self.spec.interp == Interp::Linear || !inside {
            return std::array::from_fn(linear);
        }
        let (c1, c2, c3) = (block(K), block(2 * K), block(3 * K));
        std::array::from_fn(|k| f0[k] + t * (c1[k] + t * (c2[k] + t * c3[k])))
    }

    /// [`eval`](Self::eval) for a block of lanes, lane `l` bit for bit `eval(x.lane(l))`: the
    /// cell positions and the interpolation are computed on whole blocks, and each column's two
    /// grid values are read with one gather per row ([`Real::gather`]). Cubic tables and
    /// `Clamp` go lane by lane through `eval`; lanes outside the range under `Exact` call the
    /// exact function.
    #[inline(always)]
    pub fn eval_lanes<T: Real>(&self, x: T) -> [T; K] {
        let zero = T::splat(0.0);
        if self.spec.interp != Interp::Linear || self.spec.out_of_range == OutOfRange::Clamp {
            let mut out = [zero; K];
            for l in 0..T::LANES {
                let v = self.eval(x.lane(l));
                for (o, v) in out.iter_mut().zip(v) {
                    o.set_lane(l, v);
                }
            }
            return out;
        }
        // As `cell`: u, the cell index, t = u - i; the two grid rows are read by gathers,
        // column by column.
        let u = (x - T::splat(self.spec.lo)) * T::splat(self.inv_h);
        let last = self.cells as f64;
        let s = self.stride;
        let fi = u.cell_index(last - 1.0);
        let row = fi * T::splat(s as f64);
        // Row i + 1 of column k is at i·s + s + k < data.len(): every read is in bounds.
        // (Loops, not `array::from_fn`, whose closures the compiler did not inline here.)
        let t = u - fi;
        let mut out = [zero; K];
        for (k, o) in out.iter_mut().enumerate() {
            let f0 = T::gather(&self.data[k..], row);
            let f1 = T::gather(&self.data[s + k..], row);
            *o = f0 + t * (f1 - f0);
        }
        let outside = crate::lanes::Mask::any(crate::lanes::Mask::not(crate::lanes::Mask::and(u.ge(zero), u.le(T::splat(last)))));
        if outside && self.spec.out_of_range == OutOfRange::Exact {
            for l in 0..T::LANES {
                let ul = u.lane(l);
                if !(ul >= 0.0 && ul <= last) {
                    for (o, v) in out.iter_mut().zip(self.f.values(x.lane(l))) {
                        o.set_lane(l, v);
                    }
                }
            }
        }
        out
    }

    /// The interpolated values and their derivatives d/dx, as a Jacobian through the table
    /// needs them: the slope of the interpolant itself (piecewise constant for linear tables,
    /// continuous for cubic Hermite ones, whose error in the slope falls as h³), so that a
    /// Newton iteration or a sensitivity sees the function the integrator sees. Outside the
    /// range: the slope of the extension line (`Extend`), 0 (`Clamp`), or a fourth-order central
    /// difference of the exact function with step h/16 (`Exact`), as the cubic build uses.
    #[inline]
    pub fn eval_with_slope(&self, x: f64) -> ([f64; K], [f64; K]) {
        let Some((inside, t, p)) = self.cell(x) else {
            let d = self.spec.step / 16.0;
            let (p1, m1, p2, m2) = (self.f.values(x + d), self.f.values(x - d), self.f.values(x + 2.0 * d), self.f.values(x - 2.0 * d));
            return (self.f.values(x), std::array::from_fn(|k| (8.0 * (p1[k] - m1[k]) - (p2[k] - m2[k])) / (12.0 * d)));
        };
        let clamped = self.spec.out_of_range == OutOfRange::Clamp && !inside;
        let block = |at: usize| -> &[f64; K] { p[at..at + K].try_into().expect("K values") };
        let (f0, f1) = (block(0), block(self.stride));
        if self.spec.interp == Interp::Linear || !inside {
            let values = std::array::from_fn(|k| f0[k] + t * (f1[k] - f0[k]));
            let slopes = std::array::from_fn(|k| if clamped { 0.0 } else { (f1[k] - f0[k]) * self.inv_h });
            return (values, slopes);
        }
        let (c1, c2, c3) = (block(K), block(2 * K), block(3 * K));
        let values = std::array::from_fn(|k| f0[k] + t * (c1[k] + t * (c2[k] + t * c3[k])));
        // d/dt of the polynomial; t = (x - x_i)/h, so d/dx = (d/dt)/h.
        let slopes = std::array::from_fn(|k| (c1[k] + t * (2.0 * c2[k] + 3.0 * t * c3[k])) * self.inv_h);
        (values, slopes)
    }

    /// The exact functions the table was built from.
    #[inline]
    pub fn exact(&self, x: f64) -> [f64; K] {
        self.f.values(x)
    }

    /// [`exact`](Self::exact) out of line, for the rare reads outside the range.
    #[cold]
    #[inline(never)]
    fn exact_cold(&self, x: f64) -> [f64; K] {
        self.exact(x)
    }

    /// The function object the table was built from (for a generated model: the values of the
    /// parameters it depends on).
    #[inline]
    pub fn function(&self) -> &F {
        &self.f
    }

    /// The settings the table was built with.
    pub fn spec(&self) -> &TableSpec {
        &self.spec
    }

    /// The upper end of the grid: `hi`, or the next grid point past it.
    pub fn top(&self) -> f64 {
        self.top
    }

    /// The number of grid points.
    pub fn points(&self) -> usize {
        self.cells + 1
    }

    /// The tabulated values of column `k` at the grid points (the i-th at lo + i·step).
    pub fn grid_values(&self, k: usize) -> impl Iterator<Item = f64> + '_ {
        // Each row starts with a grid point's values (cubic: c0, the value at the cell's left end).
        self.data.iter().skip(k).step_by(self.stride).copied()
    }
}

impl<const K: usize, F> std::fmt::Debug for TableSet<K, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableSet").field("columns", &K).field("spec", &self.spec).field("points", &(self.cells + 1)).finish_non_exhaustive()
    }
}

/// The value s = (f(x−δ) + f(x+δ))·4/6 − (f(x−2δ) + f(x+2δ))/6 interpolated from the values at
/// x − 2δ, x − δ, x + δ, x + 2δ (`near`), if f(x) = `value` is off it by more than 10⁻⁶ of the
/// five values (where f is smooth, s errs by δ⁴/6·|f''''|).
fn off_smooth(value: f64, near: [f64; 4]) -> Option<f64> {
    let [a, b, c, e] = near;
    let s = (4.0 * (b + c) - (a + e)) / 6.0;
    let scale = [value, a, b, c, e].iter().fold(0.0f64, |m, y| m.max(y.abs()));
    (s.is_finite() && (value - s).abs() > 1e-6 * scale).then_some(s)
}

fn check<const K: usize>(v: &[f64; K], x: f64, what: &'static str) -> Result<(), TableError> {
    match v.iter().position(|v| !v.is_finite()) {
        Some(column) => Err(TableError::NonFinite { what, column, x, value: v[column] }),
        None => Ok(()),
    }
}
