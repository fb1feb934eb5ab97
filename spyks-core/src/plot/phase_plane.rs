//! Phase planes: nullclines of two state variables of a model, drawn as curves, with
//! trajectories overlaid by [`Panel::trajectory`].

use super::contour::{Segment, zero_contour};
use super::{PALETTE, Panel, PlotError, Style};
use crate::model::NeuronModel;
use crate::vector::Vector;

/// Grid cells per axis used by [`phase_plane`].
pub const NULLCLINE_GRID: usize = 300;

/// The nullclines of a phase plane, as straight segments in (x, y).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Nullclines {
    /// Where dx/dt = 0 (x being the horizontal variable).
    pub x: Vec<Segment>,
    /// Where dy/dt = 0.
    pub y: Vec<Segment>,
}

/// The nullclines dx/dt = 0 and dy/dt = 0 of the state variables `x_var` and `y_var` of
/// `model` over `x_range` × `y_range`, with constant `inputs`, every other state variable held
/// at its initial value and time at 0 (the equations are taken as autonomous). Computed on a
/// grid of `grid` × `grid` cells by marching squares: each point lies within one cell of a
/// true zero.
///
/// Errors: an unknown or repeated variable name, a range that is not finite and increasing or
/// whose width overflows (a grid spacing of infinity), a grid of fewer than 2 cells.
pub fn nullclines<M: NeuronModel>(
    model: &M,
    inputs: &M::Inputs,
    x_var: &str,
    y_var: &str,
    x_range: (f64, f64),
    y_range: (f64, f64),
    grid: usize,
) -> Result<Nullclines, PlotError> {
    let setting = |what: &str, reason: String| PlotError::InvalidSetting { what: what.to_string(), reason };
    let ix = M::State::index_of(x_var).map_err(|e| setting("phase plane x variable", e.to_string()))?;
    let iy = M::State::index_of(y_var).map_err(|e| setting("phase plane y variable", e.to_string()))?;
    if ix == iy {
        return Err(setting("phase plane", format!("x and y are both `{x_var}`; give two different state variables")));
    }
    for (axis, (lo, hi)) in [("phase plane x range", x_range), ("phase plane y range", y_range)] {
        if !(lo.is_finite() && hi.is_finite() && lo < hi && (hi - lo).is_finite()) {
            return Err(setting(axis, format!("[{lo}, {hi}] must be finite with min < max and a finite width")));
        }
    }
    if grid < 2 {
        return Err(setting("nullcline grid", format!("{grid} cells per axis; at least 2 are needed")));
    }
    let base = model.initial_state();
    let deriv = |k: usize| {
        move |x: f64, y: f64| {
            let mut s = base;
            s.set_index(ix, x);
            s.set_index(iy, y);
            model.derivative(0.0, &s, inputs).get_index(k).unwrap_or(f64::NAN)
        }
    };
    Ok(Nullclines { x: zero_contour(deriv(ix), x_range, y_range, grid), y: zero_contour(deriv(iy), x_range, y_range, grid) })
}

/// A phase-plane panel of `x_var` against `y_var`: both nullclines (see [`nullclines`], on a
/// [`NULLCLINE_GRID`] grid) over the given ranges, axes labelled with names and units; a
/// nullcline that does not cross the window is not drawn (nor listed in the legend). Overlay
/// a run with [`Panel::trajectory`].
///
/// ```
/// use spyks_core::NeuronModel;
/// spyks_core::neuron_model! {
///     model Fhn;
///     parameters { a: 0.7, b: 0.8, eps: 0.08 1/ms }
///     state { v: 0, w: 0 }
///     inputs { I: 0.5 }
///     equations { dv/dt = (v - v*v*v/3 - w + I) * 1 1/ms, dw/dt = eps * (v + a - b*w) }
/// }
/// let m = Fhn::new();
/// let panel = spyks_core::plot::phase_plane(&m, &FhnInputs::default(), "v", "w", (-2.5, 2.5), (-1.0, 2.5))?;
/// let panel = panel.trajectory(&[0.0, 1.0, 1.8], &[0.0, 0.2, 0.6]);
/// # let _ = panel;
/// # Ok::<(), spyks_core::plot::PlotError>(())
/// ```
pub fn phase_plane<M: NeuronModel>(
    model: &M,
    inputs: &M::Inputs,
    x_var: &str,
    y_var: &str,
    x_range: (f64, f64),
    y_range: (f64, f64),
) -> Result<Panel, PlotError> {
    let n = nullclines(model, inputs, x_var, y_var, x_range, y_range, NULLCLINE_GRID)?;
    let label = |name: &str| {
        let unit = M::State::INFO.iter().find(|i| i.name == name).map_or("", |i| i.unit);
        crate::output::name_with_unit(name, unit)
    };
    let style = |c: (u8, u8, u8)| Style { color: Some(c), ..Style::default() };
    let mut panel = Panel::new(&format!("{} phase plane", M::NAME))
        .x_label(&label(x_var))
        .y_label(&label(y_var))
        .x_range(x_range.0, x_range.1)
        .y_range(y_range.0, y_range.1);
    // A nullcline that does not pass through the window is left out (a series with no point
    // would make the panel an error to draw).
    for (segments, var, color) in [(&n.x, x_var, PALETTE[0]), (&n.y, y_var, PALETTE[1])] {
        if !segments.is_empty() {
            panel = panel.segments(segments, &format!("d{var}/dt = 0"), style(color));
        }
    }
    Ok(panel)
}
