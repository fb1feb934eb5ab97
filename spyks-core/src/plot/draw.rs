//! Drawing one panel into a region of a figure.

use plotters::chart::SeriesAnno;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::clip::{P, Rect};
use super::font::FAMILY;
use super::panel::{Kind, Panel, Series};
use super::{PALETTE, PlotError};

/// Legend swatch length in pixels.
const SWATCH: i32 = 18;

/// Draws `panel` (title, axes, series, legend) into `area`.
pub(crate) fn draw_panel<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, panel: &Panel) -> Result<(), PlotError> {
    let (xr, yr) = panel.ranges()?;
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| PlotError::backend(&panel.title, e);
    let mut builder = ChartBuilder::on(area);
    builder.margin(8).margin_right(18).x_label_area_size(42).y_label_area_size(60);
    if !panel.title.is_empty() {
        builder.caption(&panel.title, (FAMILY, 16));
    }
    let mut chart = builder.build_cartesian_2d(axis(xr), axis(yr)).map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(panel.x_label.as_str())
        .y_desc(panel.y_label.as_str())
        .x_labels(6)
        .y_labels(6)
        .label_style((FAMILY, 12))
        .axis_desc_style((FAMILY, 13))
        .bold_line_style(RGBColor(228, 228, 228))
        .light_line_style(TRANSPARENT)
        .x_label_formatter(&|v| tick(*v, xr.1 - xr.0))
        .y_label_formatter(&|v| tick(*v, yr.1 - yr.0))
        .draw()
        .map_err(err)?;
    let rect = Rect { x: xr, y: yr };
    let mut labelled = false;
    for (i, s) in panel.series.iter().enumerate() {
        let (r, g, b) = s.style.color.unwrap_or(PALETTE[i % PALETTE.len()]);
        let color = RGBColor(r, g, b);
        let line = color.stroke_width(s.style.width.max(1));
        let anno = draw_series(&mut chart, s, rect, color, line).map_err(err)?;
        if let Some(anno) = anno.filter(|_| !s.label.is_empty()) {
            labelled = true;
            let (kind, marker) = (s.kind.clone(), s.style.marker_size);
            anno.label(s.label.as_str()).legend(move |(x, y)| -> DynElement<'static, _, _> {
                match kind {
                    Kind::Points => Circle::new((x + SWATCH / 2, y), marker as i32, color.filled()).into_dyn(),
                    Kind::Raster(_) => PathElement::new(vec![(x + SWATCH / 2, y - 5), (x + SWATCH / 2, y + 5)], line).into_dyn(),
                    _ => PathElement::new(vec![(x, y), (x + SWATCH, y)], line).into_dyn(),
                }
            });
        }
    }
    if labelled {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font((FAMILY, 12))
            .legend_area_size(SWATCH + 6)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(180, 180, 180))
            .draw()
            .map_err(err)?;
    }
    Ok(())
}

type Chart<'a, 'b, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

/// plotters' f64 axis with its ticks from [`key_points`].
struct Axis(RangedCoordf64);

fn axis((lo, hi): (f64, f64)) -> Axis {
    Axis((lo..hi).into())
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;
    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.0.map(value, limit)
    }
    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let r = self.0.range();
        key_points(r.start, r.end, hint.max_num_points())
    }
    fn range(&self) -> std::ops::Range<f64> {
        self.0.range()
    }
}

/// At most `n` tick positions in [lo, hi]: plotters' own, unless it finds fewer than two (it
/// gives only the lower end for any span below f64::EPSILON, as [1e-300, 2e-300] or the
/// differences of two runs), then the multiples in the span of the smallest step of 1, 2 or
/// 5 times a power of ten that leaves at most `n`.
pub(crate) fn key_points(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let theirs = RangedCoordf64::from(lo..hi).key_points(n);
    if theirs.len() >= 2 || n < 2 {
        return theirs;
    }
    let span = hi - lo;
    let magnitude = 10f64.powf((span / n as f64).log10().floor());
    let Some(step) = [1.0, 2.0, 5.0, 10.0, 20.0].iter().map(|m| m * magnitude).find(|&s| (span / s).floor() + 1.0 <= n as f64) else {
        return theirs;
    };
    if !(step > 0.0 && step.is_finite()) {
        return theirs;
    }
    let first = (lo / step).ceil();
    (0..=n).map(|k| (first + k as f64) * step).filter(|&v| v >= lo && v <= hi).collect()
}

/// Draws one series clipped to `rect`; returns the annotation handle of its last drawn part
/// (for the legend), `None` when nothing of it is inside the axes.
fn draw_series<'c, 'a, 'b, DB: DrawingBackend + 'a>(
    chart: &'c mut Chart<'a, 'b, DB>,
    s: &Series,
    rect: Rect,
    color: RGBColor,
    line: ShapeStyle,
) -> Result<Option<&'c mut SeriesAnno<'a, DB>>, DrawingAreaErrorKind<DB::ErrorType>> {
    let pts = || s.x.iter().copied().zip(s.y.iter().copied());
    let mut paths: Vec<Vec<P>> = match s.kind {
        Kind::Line => rect.polyline(pts()),
        Kind::Segments => pts()
            .collect::<Vec<_>>()
            .chunks_exact(2)
            .filter_map(|c| finite2(c[0], c[1]).then(|| rect.segment(c[0], c[1])).flatten())
            .map(|(a, b)| vec![a, b])
            .collect(),
        Kind::HLine => rect.segment((rect.x.0, s.y[0]), (rect.x.1, s.y[0])).map(|(a, b)| vec![vec![a, b]]).unwrap_or_default(),
        Kind::VLine => rect.segment((s.x[0], rect.y.0), (s.x[0], rect.y.1)).map(|(a, b)| vec![vec![a, b]]).unwrap_or_default(),
        Kind::Raster(_) => pts()
            .filter_map(|(t, i)| finite2((t, i - 0.4), (t, i + 0.4)).then(|| rect.segment((t, i - 0.4), (t, i + 0.4))).flatten())
            .map(|(a, b)| vec![a, b])
            .collect(),
        Kind::Points => {
            let inside: Vec<P> = pts().filter(|&p| p.0.is_finite() && p.1.is_finite() && rect.contains(p)).collect();
            if inside.is_empty() {
                return Ok(None);
            }
            let r = s.style.marker_size as i32;
            return Ok(Some(chart.draw_series(inside.into_iter().map(|p| Circle::new(p, r, color.filled())))?));
        }
    };
    if paths.is_empty() {
        return Ok(None);
    }
    if line.stroke_width > 1 && !s.style.dashed {
        let px = |p: &P| chart.backend_coord(p);
        paths = paths.into_iter().flat_map(|p| split_sharp_turns(p, px)).collect();
    }
    // Draw all but one path first: the last draw returns the handle that carries the legend
    // entry (plotters hands it out borrowed from the chart).
    let last = paths.pop().expect("not empty");
    if s.style.dashed {
        for p in paths {
            chart.draw_series(DashedLineSeries::new(p, 6, 4, line))?;
        }
        return Ok(Some(chart.draw_series(DashedLineSeries::new(last, 6, 4, line))?));
    }
    chart.draw_series(paths.into_iter().map(|p| PathElement::new(p, line)))?;
    Ok(Some(chart.draw_series(std::iter::once(PathElement::new(last, line)))?))
}

fn finite2(a: P, b: P) -> bool {
    a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite()
}

/// A tick label on an axis spanning `span`, without trailing zeros ("25", "-0.5", "1e-6"),
/// to a thousandth of the span: ticks are the span's tenths or coarser, and the tick
/// arithmetic leaves residue below that (−0.1 + 2·0.05 = 1.4e-17 for the tick at 0, or
/// 6.000000000000001e-13), which the labels should not show.
pub(crate) fn tick(v: f64, span: f64) -> String {
    let resolution = if span.is_finite() && span > 0.0 { span * 1e-3 } else { v.abs() * 1e-6 };
    let v = if v.abs() < resolution { 0.0 } else { v };
    let trim = |s: String| {
        let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
        if s == "-0" { "0".to_string() } else { s }
    };
    if v != 0.0 && (v.abs() < 1e-4 || v.abs() >= 1e7) {
        // Significant digits down to the resolution, at most 15.
        let digits = ((v.abs() / resolution).log10().ceil() as usize).clamp(1, 15);
        let s = format!("{:.*e}", digits - 1, v);
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        return format!("{}e{exponent}", trim(mantissa.to_string()));
    }
    let decimals = (-resolution.log10()).ceil().clamp(0.0, 15.0) as usize;
    trim(format!("{v:.decimals$}"))
}

/// Prepares a polyline for plotters' thick-line drawing, which joins segments with unlimited
/// miters (shooting far out at the sharp turns of a spike) and misbehaves on zero-length
/// segments: drops points that land on the previous one's pixel and splits the line at turns
/// sharper than about 100°.
fn split_sharp_turns(path: Vec<P>, px: impl Fn(&P) -> (i32, i32)) -> Vec<Vec<P>> {
    let mut kept: Vec<(P, (i32, i32))> = Vec::with_capacity(path.len());
    for p in path {
        let q = px(&p);
        if kept.last().is_none_or(|&(_, last)| last != q) {
            kept.push((p, q));
        }
    }
    if kept.len() == 1 {
        return vec![vec![kept[0].0]];
    }
    let mut out = vec![];
    let mut cur = vec![kept[0].0];
    for i in 1..kept.len() {
        cur.push(kept[i].0);
        if let Some(&(_, c)) = kept.get(i + 1) {
            let (a, b) = (kept[i - 1].1, kept[i].1);
            let (d1, d2) = ((b.0 - a.0, b.1 - a.1), (c.0 - b.0, c.1 - b.1));
            let dot = (d1.0 * d2.0 + d1.1 * d2.1) as f64;
            let norms = ((d1.0 * d1.0 + d1.1 * d1.1) as f64 * (d2.0 * d2.0 + d2.1 * d2.1) as f64).sqrt();
            if dot < -0.17 * norms {
                out.push(std::mem::replace(&mut cur, vec![kept[i].0]));
            }
        }
    }
    out.push(cur);
    out
}
