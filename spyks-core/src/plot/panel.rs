//! One plot: title, axis labels and ranges, and the data series drawn in it.

use super::PlotError;
use super::contour::Segment;

/// An axis range (min, max).
type Range = (f64, f64);

/// The widest line and the largest marker radius a [`Style`] may ask for, in pixels: more is
/// a [`PlotError::InvalidSetting`] when the figure is drawn (plotters takes time in proportion
/// to the width, and a width of 2³¹ px did not end).
pub const MAX_STYLE_SIZE: u32 = 1000;

/// How a series is drawn; [`Style::default`] takes the next colour of the palette.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    /// RGB colour; `None` takes the palette colour of the series' position in the panel.
    pub color: Option<(u8, u8, u8)>,
    /// Line width (or raster tick width) in pixels, at most [`MAX_STYLE_SIZE`].
    pub width: u32,
    /// Marker radius in pixels for points, at most [`MAX_STYLE_SIZE`].
    pub marker_size: u32,
    /// Whether a line is dashed.
    pub dashed: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style { color: None, width: 2, marker_size: 3, dashed: false }
    }
}

impl Style {
    /// The default style with a fixed colour.
    pub fn rgb(r: u8, g: u8, b: u8) -> Self {
        Style { color: Some((r, g, b)), ..Style::default() }
    }

    /// Sets the line width in pixels.
    pub fn width(mut self, w: u32) -> Self {
        self.width = w;
        self
    }

    /// Sets the marker radius in pixels.
    pub fn marker_size(mut self, r: u32) -> Self {
        self.marker_size = r;
        self
    }

    /// Draws lines dashed.
    pub fn dashed(mut self) -> Self {
        self.dashed = true;
        self
    }
}

/// What a series is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kind {
    /// A polyline through the points in order (non-finite points break it).
    Line,
    /// A marker at each point.
    Points,
    /// Spike ticks: x = spike time, y = neuron index; the number of neurons.
    Raster(usize),
    /// Separate segments: points 2k and 2k+1 are joined.
    Segments,
    /// A horizontal line across the panel at `y[0]`.
    HLine,
    /// A vertical line across the panel at `x[0]`.
    VLine,
}

/// One data series of a panel (data copied in).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Series {
    pub kind: Kind,
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub label: String,
    pub style: Style,
}

/// One plot of a [`Figure`](super::Figure): a title, axis labels, optional axis ranges and
/// data series (lines, markers, spike rasters), coloured in order from a fixed palette.
///
/// The builder methods copy the data and never fail; inconsistencies (different lengths, no
/// finite data, an empty range) are reported as a [`PlotError`] naming the panel when the
/// figure is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    pub(crate) title: String,
    pub(crate) x_label: String,
    pub(crate) y_label: String,
    pub(crate) x_range: Option<(f64, f64)>,
    pub(crate) y_range: Option<(f64, f64)>,
    pub(crate) series: Vec<Series>,
}

impl Panel {
    /// An empty panel with a title (`""` for none).
    pub fn new(title: &str) -> Self {
        Panel { title: title.to_string(), x_label: String::new(), y_label: String::new(), x_range: None, y_range: None, series: vec![] }
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Replaces the title (for panels made by [`fi_curve`](super::fi_curve) and the like).
    pub fn with_title(mut self, title: &str) -> Self {
        self.title = title.to_string();
        self
    }

    /// Sets the x axis label.
    pub fn x_label(mut self, label: &str) -> Self {
        self.x_label = label.to_string();
        self
    }

    /// Sets the y axis label.
    pub fn y_label(mut self, label: &str) -> Self {
        self.y_label = label.to_string();
        self
    }

    /// Fixes the x axis range (default: the data bounds with a small margin).
    pub fn x_range(mut self, min: f64, max: f64) -> Self {
        self.x_range = Some((min, max));
        self
    }

    /// Fixes the y axis range (default: the data bounds with a small margin).
    pub fn y_range(mut self, min: f64, max: f64) -> Self {
        self.y_range = Some((min, max));
        self
    }

    /// A line through `(x[i], y[i])`; a legend entry when `label` is not empty.
    /// Non-finite points are skipped (the line is broken there).
    pub fn line(self, x: &[f64], y: &[f64], label: &str) -> Self {
        self.line_with(x, y, label, Style::default())
    }

    /// A line with a given style.
    pub fn line_with(self, x: &[f64], y: &[f64], label: &str, style: Style) -> Self {
        self.push(Kind::Line, x.to_vec(), y.to_vec(), label, style)
    }

    /// A marker at each `(x[i], y[i])`; a legend entry when `label` is not empty.
    pub fn points(self, x: &[f64], y: &[f64], label: &str) -> Self {
        self.points_with(x, y, label, Style::default())
    }

    /// Markers with a given style.
    pub fn points_with(self, x: &[f64], y: &[f64], label: &str, style: Style) -> Self {
        self.push(Kind::Points, x.to_vec(), y.to_vec(), label, style)
    }

    /// A spike raster: one row per neuron (y = its index in `trains`), a tick at each spike
    /// time. The y range defaults to the neurons' rows.
    pub fn raster(self, trains: &[Vec<f64>]) -> Self {
        self.raster_with(trains, "", Style { width: 1, ..Style::rgb(0, 0, 0) })
    }

    /// A spike raster with a legend label and style.
    pub fn raster_with(self, trains: &[Vec<f64>], label: &str, style: Style) -> Self {
        let (mut x, mut y) = (vec![], vec![]);
        for (i, train) in trains.iter().enumerate() {
            x.extend_from_slice(train);
            y.extend(std::iter::repeat_n(i as f64, train.len()));
        }
        self.push(Kind::Raster(trains.len()), x, y, label, style)
    }

    /// Separate straight segments `(x0, y0)-(x1, y1)` (contour lines, for instance).
    pub fn segments(self, segments: &[Segment], label: &str, style: Style) -> Self {
        let x = segments.iter().flat_map(|&((x0, _), (x1, _))| [x0, x1]).collect();
        let y = segments.iter().flat_map(|&((_, y0), (_, y1))| [y0, y1]).collect();
        self.push(Kind::Segments, x, y, label, style)
    }

    /// A horizontal dashed grey line across the panel at `y` (a threshold, a rest level).
    pub fn hline(self, y: f64, label: &str) -> Self {
        self.push(Kind::HLine, vec![], vec![y], label, Style::rgb(110, 110, 110).width(1).dashed())
    }

    /// A vertical dashed grey line across the panel at `x` (a stimulus onset).
    pub fn vline(self, x: f64, label: &str) -> Self {
        self.push(Kind::VLine, vec![x], vec![], label, Style::rgb(110, 110, 110).width(1).dashed())
    }

    /// A trajectory (in a phase plane, say): a thin black line labelled `trajectory`, with a
    /// marker at its start.
    pub fn trajectory(self, x: &[f64], y: &[f64]) -> Self {
        let start = x.iter().zip(y).find(|(a, b)| a.is_finite() && b.is_finite());
        let p = self.line_with(x, y, "trajectory", Style::rgb(0, 0, 0).width(1));
        match start {
            Some((&a, &b)) => p.points_with(&[a], &[b], "", Style::rgb(0, 0, 0).marker_size(4)),
            None => p,
        }
    }

    fn push(mut self, kind: Kind, x: Vec<f64>, y: Vec<f64>, label: &str, style: Style) -> Self {
        self.series.push(Series { kind, x, y, label: label.to_string(), style });
        self
    }

    /// The series' name in messages: its label, or its kind and position.
    pub(crate) fn series_name(&self, i: usize) -> String {
        let s = &self.series[i];
        if s.label.is_empty() { format!("#{} ({})", i + 1, kind_name(&s.kind)) } else { s.label.clone() }
    }

    /// Checks the series and works out the axis ranges.
    pub(crate) fn ranges(&self) -> Result<(Range, Range), PlotError> {
        let (mut xb, mut yb) = (Bounds::default(), Bounds::default());
        for (i, s) in self.series.iter().enumerate() {
            let mismatch = match s.kind {
                Kind::HLine | Kind::VLine => false,
                _ => s.x.len() != s.y.len(),
            };
            if mismatch {
                return Err(PlotError::LengthMismatch {
                    panel: self.title.clone(),
                    series: self.series_name(i),
                    x: s.x.len(),
                    y: s.y.len(),
                });
            }
            let (width, marker) = (s.style.width, s.style.marker_size);
            if width > MAX_STYLE_SIZE || marker > MAX_STYLE_SIZE {
                return Err(PlotError::InvalidSetting {
                    what: format!("panel `{}`: series `{}` style", self.title, self.series_name(i)),
                    reason: format!("line width {width} px and marker radius {marker} px must be at most {MAX_STYLE_SIZE} px"),
                });
            }
            let no_data = || PlotError::NoFiniteData { panel: self.title.clone(), series: self.series_name(i) };
            match s.kind {
                Kind::HLine => yb.add(s.y[0]).then_some(()).ok_or_else(no_data)?,
                Kind::VLine => xb.add(s.x[0]).then_some(()).ok_or_else(no_data)?,
                Kind::Raster(n) => {
                    if n == 0 {
                        return Err(no_data());
                    }
                    // A silent neuron is data too: the rows set the y range.
                    yb.add(-0.5);
                    yb.add(n as f64 - 0.5);
                    for &t in s.x.iter().filter(|t| t.is_finite()) {
                        xb.add(t);
                    }
                }
                Kind::Line | Kind::Points | Kind::Segments => {
                    let mut any = false;
                    for (&a, &b) in s.x.iter().zip(&s.y) {
                        if a.is_finite() && b.is_finite() {
                            xb.add(a);
                            yb.add(b);
                            any = true;
                        }
                    }
                    if !any {
                        return Err(no_data());
                    }
                }
            }
        }
        let raster_only = !self.series.is_empty() && self.series.iter().all(|s| matches!(s.kind, Kind::Raster(_) | Kind::VLine));
        let x = self.axis("x", self.x_range, xb, true)?;
        let y = self.axis("y", self.y_range, yb, !raster_only)?;
        Ok((x, y))
    }

    fn axis(&self, axis: &'static str, fixed: Option<(f64, f64)>, b: Bounds, margin: bool) -> Result<(f64, f64), PlotError> {
        let bad = |reason: String| PlotError::InvalidRange { panel: self.title.clone(), axis, reason };
        // The width must be finite too: plotters' tick placement does not end on an infinite
        // one ([-1e308, 1e308] hung the drawing).
        let drawable = |lo: f64, hi: f64| lo.is_finite() && hi.is_finite() && lo < hi && (hi - lo).is_finite();
        if let Some((lo, hi)) = fixed {
            if !drawable(lo, hi) {
                return Err(bad(format!("[{lo}, {hi}] must be finite with min < max and a finite width")));
            }
            return Ok((lo, hi));
        }
        let Some((lo, hi)) = b.get() else {
            return Err(bad(format!("no finite data sets it; give {axis}_range")));
        };
        let (a, z) = if lo == hi {
            // Padding kept within the doubles: a constant near ±f64::MAX is narrow, not wide.
            let d = if lo == 0.0 { 1.0 } else { 0.1 * lo.abs() };
            ((lo - d).max(-f64::MAX), (hi + d).min(f64::MAX))
        } else {
            let m = if margin { 0.04 * (hi - lo) } else { 0.0 };
            (lo - m, hi + m)
        };
        if !drawable(a, z) {
            return Err(bad(format!("the data span [{lo:e}, {hi:e}], too wide to draw; give {axis}_range")));
        }
        Ok((a, z))
    }
}

fn kind_name(k: &Kind) -> &'static str {
    match k {
        Kind::Line => "line",
        Kind::Points => "points",
        Kind::Raster(_) => "raster",
        Kind::Segments => "segments",
        Kind::HLine => "hline",
        Kind::VLine => "vline",
    }
}

/// Running min and max of finite values.
#[derive(Default)]
struct Bounds(Option<(f64, f64)>);

impl Bounds {
    /// Adds `v` if finite; returns whether it was.
    fn add(&mut self, v: f64) -> bool {
        if !v.is_finite() {
            return false;
        }
        self.0 = Some(match self.0 {
            None => (v, v),
            Some((lo, hi)) => (lo.min(v), hi.max(v)),
        });
        true
    }

    fn get(&self) -> Option<(f64, f64)> {
        self.0
    }
}
