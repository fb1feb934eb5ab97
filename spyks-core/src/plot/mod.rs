//! PNG figures: voltage traces, spike rasters, F-I curves and phase planes with nullclines.
//!
//! Built on plotters' bitmap backend; text is drawn with a bundled font (DejaVu Sans), so no
//! system font library is needed. A [`Figure`] lays out [`Panel`]s in rows; each panel holds
//! lines, markers and spike rasters, coloured in order from a fixed palette, with a legend for
//! the labelled ones. Bad data (lengths that differ, nothing finite to draw, an empty range)
//! is a [`PlotError`] naming the panel.
//!
//! ```
//! use spyks_core::plot::{Figure, Panel};
//! let t: Vec<f64> = (0..200).map(|i| i as f64 * 0.5).collect();
//! let v: Vec<f64> = t.iter().map(|t| -65.0 + 20.0 * (t / 10.0).sin()).collect();
//! let trains = vec![vec![5.0, 20.0, 41.0], vec![], vec![12.5, 60.0]];
//! let trace = Panel::new("(A) a trace").x_label("t (ms)").y_label("V (mV)").line(&t, &v, "V").hline(-50.0, "threshold");
//! let raster = Panel::new("(B) a raster").x_label("t (ms)").y_label("neuron").x_range(0.0, 100.0).raster(&trains);
//! let path = std::env::temp_dir().join("spyks-plot-doc").join("figure.png");
//! Figure::new(2).title("Example").panel_size(400, 250).panel(trace).panel(raster).save_png(&path)?;
//! assert!(path.exists());
//! # Ok::<(), spyks_core::plot::PlotError>(())
//! ```

mod clip;
mod contour;
mod draw;
mod error;
mod figure;
mod font;
mod panel;
mod phase_plane;

pub use contour::Segment;
pub use error::PlotError;
pub use figure::{Figure, MIN_PANEL_SIZE, TITLE_HEIGHT};
pub use panel::{MAX_STYLE_SIZE, Panel, Style};
pub use phase_plane::{NULLCLINE_GRID, Nullclines, nullclines, phase_plane};

/// Series colours in order (the Tableau 10 palette): the i-th series of a panel takes
/// `PALETTE[i % 10]` unless its [`Style`] fixes a colour.
pub const PALETTE: [(u8, u8, u8); 10] = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
];

/// An F-I curve: firing rate (Hz) against injected current (pA), as markers joined by a line.
pub fn fi_curve(currents: &[f64], rates: &[f64]) -> Panel {
    Panel::new("F-I curve").x_label("I (pA)").y_label("rate (Hz)").line(currents, rates, "").points_with(
        currents,
        rates,
        "",
        Style { color: Some(PALETTE[0]), ..Style::default() },
    )
}

/// A spike raster of a population: one row per neuron, time in ms.
pub fn raster_panel(title: &str, trains: &[Vec<f64>]) -> Panel {
    Panel::new(title).x_label("t (ms)").y_label("neuron").raster(trains)
}

#[cfg(test)]
mod phase_plane_tests;
#[cfg(test)]
mod tests;
