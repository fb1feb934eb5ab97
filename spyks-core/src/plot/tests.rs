//! Figures written and decoded, pixels where lines were drawn, errors for bad input.

use super::clip::Rect;
use super::*;

const RED: (u8, u8, u8) = (255, 0, 0);
const BLUE: (u8, u8, u8) = (0, 0, 255);

fn tmp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("spyks-plot-tests-{}", std::process::id())).join(name)
}

/// Width, height, bit depth and colour type from a PNG's signature and IHDR chunk (PNG
/// specification, sections 5.2 and 11.2.2).
fn png_header(bytes: &[u8]) -> (u32, u32, u8, u8) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR", "first chunk is IHDR");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    assert_eq!(be(8), 13, "IHDR length");
    (be(16), be(20), bytes[24], bytes[25])
}

fn pixel(buf: &[u8], w: u32, x: u32, y: u32) -> (u8, u8, u8) {
    let i = 3 * (y * w + x) as usize;
    (buf[i], buf[i + 1], buf[i + 2])
}

/// Rows of column `x` whose pixel is exactly `c`.
fn rows_with(buf: &[u8], (w, h): (u32, u32), x: u32, c: (u8, u8, u8)) -> Vec<u32> {
    (0..h).filter(|&y| pixel(buf, w, x, y) == c).collect()
}

fn count(buf: &[u8], c: (u8, u8, u8)) -> usize {
    buf.chunks_exact(3).filter(|p| (p[0], p[1], p[2]) == c).count()
}

fn flat(y: f64, c: (u8, u8, u8), label: &str, p: Panel) -> Panel {
    p.line_with(&[0.0, 10.0], &[y, y], label, Style::rgb(c.0, c.1, c.2).width(3))
}

fn boxed() -> Panel {
    Panel::new("box").x_range(0.0, 10.0).y_range(0.0, 10.0)
}

#[test]
fn png_is_written_with_the_layout_size() {
    let t: Vec<f64> = (0..100).map(f64::from).collect();
    let panels = (0..5).map(|k| Panel::new(&format!("({k})")).x_label("t (ms)").y_label("V (mV)").line(&t, &t, "V"));
    let path = tmp("nested/folder/five.png");
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
    Figure::new(2).title("Five panels").panel_size(300, 200).panels(panels).save_png(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    // 2 columns × 300 px; 3 rows × 200 px plus the title band; 8-bit RGB.
    assert_eq!(png_header(&bytes), (600, 3 * 200 + TITLE_HEIGHT, 8, 2));
    // Fewer panels than columns: only as wide as the panels.
    let one = Figure::new(4).panel_size(300, 200).panel(Panel::new("").line(&t, &t, ""));
    assert_eq!(one.size().unwrap(), (300, 200));
    let path = tmp("one.png");
    one.save_png(&path).unwrap();
    assert_eq!(png_header(&std::fs::read(&path).unwrap()), (300, 200, 8, 2));
}

#[test]
fn a_horizontal_line_colours_pixels_at_its_height() {
    let fig = |p: Panel| Figure::new(1).panel_size(400, 300).panel(p);
    let size = (400, 300);
    let base = fig(boxed()).render_rgb().unwrap();
    assert_eq!(base.len(), 3 * 400 * 300);
    assert_eq!(count(&base, RED), 0);
    let buf = fig(flat(7.5, BLUE, "", flat(2.5, RED, "", boxed()))).render_rgb().unwrap();
    let (red, blue) = (rows_with(&buf, size, 200, RED), rows_with(&buf, size, 200, BLUE));
    assert!(!red.is_empty() && !blue.is_empty(), "red rows {red:?}, blue rows {blue:?}");
    // 3 px wide lines; y grows downwards in the image: the upper line is blue.
    assert!(red.len() <= 4 && blue.len() <= 4);
    assert!(blue[0] < red[0]);
    // Linear axis: the line at 5 sits half way between the lines at 2.5 and 7.5.
    let mid = fig(flat(5.0, RED, "", boxed())).render_rgb().unwrap();
    let m = rows_with(&mid, size, 200, RED);
    let centre = |r: &[u32]| r.iter().sum::<u32>() as f64 / r.len() as f64;
    assert!((centre(&m) - 0.5 * (centre(&red) + centre(&blue))).abs() <= 1.0, "{m:?} {red:?} {blue:?}");
}

#[test]
fn data_outside_a_fixed_range_is_clipped() {
    let buf = Figure::new(1).panel_size(400, 300).panel(flat(20.0, RED, "", boxed())).render_rgb().unwrap();
    assert_eq!(count(&buf, RED), 0);
    // A line crossing the box is drawn only inside it: no red in the left axis area.
    let p = boxed().line_with(&[-100.0, 100.0], &[5.0, 5.0], "", Style::rgb(255, 0, 0).width(3));
    let buf = Figure::new(1).panel_size(400, 300).panel(p).render_rgb().unwrap();
    assert!((0..30).all(|x| rows_with(&buf, (400, 300), x, RED).is_empty()));
    assert!(!rows_with(&buf, (400, 300), 200, RED).is_empty());
}

#[test]
fn sharp_spikes_do_not_overshoot() {
    // Thick polylines are joined with miters in plotters; at the corners of a spike sampled
    // finer than a pixel they shot far above the peak. Nothing red may appear above a blue line
    // just over the peak (30).
    let t: Vec<f64> = (0..2000).map(|i| i as f64 * 0.05).collect();
    let v: Vec<f64> = t.iter().map(|t| if (t % 20.0) < 0.5 { 30.0 } else { -70.0 + 2.0 * (t % 20.0) }).collect();
    let p = Panel::new("").y_range(-90.0, 40.0).line_with(&t, &v, "", Style::rgb(255, 0, 0).width(2)).line_with(
        &[0.0, 100.0],
        &[32.0, 32.0],
        "",
        Style::rgb(0, 0, 255).width(1),
    );
    let buf = Figure::new(1).panel_size(480, 300).panel(p).render_rgb().unwrap();
    let blue_row = rows_with(&buf, (480, 300), 300, BLUE)[0];
    let top_red = (0..480).filter_map(|x| rows_with(&buf, (480, 300), x, RED).first().copied()).min().unwrap();
    assert!(top_red > blue_row, "red reaches row {top_red}, above the blue line at {blue_row}");
}

#[test]
fn a_legend_only_for_labelled_series() {
    let render = |label: &str| Figure::new(1).panel_size(400, 300).panel(flat(2.5, RED, label, boxed())).render_rgb().unwrap();
    let (none, some) = (render(""), render("V"));
    // The legend swatch adds red pixels; its box and text change others.
    assert!(count(&some, RED) > count(&none, RED));
    assert_ne!(none, some);
}

#[test]
fn palette_colours_follow_series_order() {
    let p = boxed().line(&[0.0, 10.0], &[2.0, 2.0], "").line(&[0.0, 10.0], &[8.0, 8.0], "");
    let buf = Figure::new(1).panel_size(400, 300).panel(p).render_rgb().unwrap();
    assert!(!rows_with(&buf, (400, 300), 200, PALETTE[0]).is_empty());
    assert!(!rows_with(&buf, (400, 300), 200, PALETTE[1]).is_empty());
    assert!(rows_with(&buf, (400, 300), 200, PALETTE[0])[0] > rows_with(&buf, (400, 300), 200, PALETTE[1])[0]);
}

#[test]
fn the_title_is_drawn_with_the_bundled_font() {
    let p = || Panel::new("").line(&[0.0, 1.0], &[0.0, 1.0], "");
    let with = Figure::new(1).title("Title").panel_size(300, 200).panel(p()).render_rgb().unwrap();
    let band = &with[..3 * 300 * TITLE_HEIGHT as usize];
    let dark = band.chunks_exact(3).filter(|c| c.iter().all(|&v| v < 100)).count();
    assert!(dark > 20, "{dark} dark pixels in the title band");
    let without = Figure::new(1).panel_size(300, 200).panel(p()).render_rgb().unwrap();
    assert_eq!(without.len(), 3 * 300 * 200);
}

#[test]
fn raster_ticks_sit_on_neuron_rows() {
    // Neuron 0 fires at 5 ms, neuron 1 at 15 ms; rows are at y = 0 and 1.
    let p = Panel::new("").x_range(0.0, 20.0).raster_with(&[vec![5.0], vec![15.0]], "", Style::rgb(255, 0, 0).width(1));
    assert_eq!(p.ranges().unwrap().1, (-0.5, 1.5));
    let buf = Figure::new(1).panel_size(400, 300).panel(p).render_rgb().unwrap();
    let cols: Vec<u32> = (0..400).filter(|&x| !rows_with(&buf, (400, 300), x, RED).is_empty()).collect();
    assert!(cols.len() >= 2, "{cols:?}");
    let (left, right) = (cols[0], *cols.last().unwrap());
    let rows = |x| rows_with(&buf, (400, 300), x, RED);
    // The earlier spike is on the lower row (larger image y).
    assert!(rows(left)[0] > *rows(right).last().unwrap());
}

#[test]
fn default_ranges_are_the_data_bounds_with_a_margin() {
    let p = Panel::new("").line(&[0.0, 10.0, f64::NAN], &[-1.0, 1.0, 5.0], "");
    let ((x0, x1), (y0, y1)) = p.ranges().unwrap();
    assert!((x0 + 0.4).abs() < 1e-12 && (x1 - 10.4).abs() < 1e-12);
    assert!((y0 + 1.08).abs() < 1e-12 && (y1 - 1.08).abs() < 1e-12);
    // A constant series still gets a range.
    let c = Panel::new("").line(&[1.0, 2.0], &[3.0, 3.0], "");
    let (lo, hi) = c.ranges().unwrap().1;
    assert!((lo - 2.7).abs() < 1e-12 && (hi - 3.3).abs() < 1e-12);
    assert_eq!(fi_curve(&[0.0, 1.0], &[0.0, 2.0]).with_title("(C) F-I").title(), "(C) F-I");
    // Fixed ranges win.
    assert_eq!(boxed().line(&[-5.0, 50.0], &[0.0, 1.0], "").ranges().unwrap(), ((0.0, 10.0), (0.0, 10.0)));
}

#[test]
fn bad_input_is_an_error_naming_the_panel() {
    let fig = |p: Panel| Figure::new(1).panel(p).render_rgb().unwrap_err();
    let e = fig(Panel::new("(A) lengths").line(&[1.0, 2.0], &[1.0], "V"));
    assert!(matches!(&e, PlotError::LengthMismatch { panel, series, x: 2, y: 1 } if panel == "(A) lengths" && series == "V"), "{e}");
    assert_eq!(e.to_string(), "panel `(A) lengths`: series `V` has 2 x values but 1 y values");
    let e = fig(Panel::new("(B)").line(&[f64::NAN, 1.0], &[1.0, f64::INFINITY], ""));
    assert!(matches!(&e, PlotError::NoFiniteData { panel, series } if panel == "(B)" && series == "#1 (line)"), "{e}");
    assert!(matches!(fig(Panel::new("(C)").points(&[], &[], "p")), PlotError::NoFiniteData { .. }));
    assert!(matches!(fig(Panel::new("(D)")), PlotError::InvalidRange { axis: "x", .. }));
    let e = fig(Panel::new("(E)").line(&[0.0, 1.0], &[0.0, 1.0], "").y_range(1.0, 1.0));
    assert!(matches!(&e, PlotError::InvalidRange { panel, axis: "y", .. } if panel == "(E)"), "{e}");
    assert!(matches!(fig(Panel::new("(F)").x_range(f64::NAN, 1.0).y_range(0.0, 1.0)), PlotError::InvalidRange { axis: "x", .. }));
    // Ranges of infinite width (given, or from data spanning the doubles) once hung the
    // tick placement.
    let e = fig(Panel::new("(H)").line(&[0.0, 1.0], &[0.0, 1.0], "").x_range(-1e308, 1e308));
    assert!(matches!(&e, PlotError::InvalidRange { axis: "x", .. }), "{e}");
    let e = fig(Panel::new("(I)").line(&[0.0, 1.0], &[-1e308, 1e308], ""));
    assert!(matches!(&e, PlotError::InvalidRange { axis: "y", .. }), "{e}");
    assert!(e.to_string().contains("too wide to draw; give y_range"), "{e}");
    // A line from x = 1e300 to 1e9, then into a narrow fixed range, draws (the first
    // segment's clipped ends once came back at x = 1e9, a pixel beyond i32).
    let far = Panel::new("(L)").line(&[1e300, 1e9, 0.1], &[3.23, 19.1, 0.5], "").x_range(5e-324, 0.254);
    Figure::new(1).panel(far).render_rgb().unwrap();
    Figure::new(1).panel(Panel::new("(K)").line(&[0.0, 1.0], &[-1e307, 1e307], "")).render_rgb().unwrap();
    // A constant near the largest double draws, on either axis: its ±10 % padding once
    // overflowed, and the panel was refused as "too wide" for a span of zero.
    for c in [-1.7e308, 1.7e308, f64::MAX, -f64::MAX] {
        let p = Panel::new("(M)").line(&[0.0, 1.0], &[c, c], "");
        let (_, (lo, hi)) = p.ranges().unwrap();
        assert!(lo <= c && c <= hi && lo < hi && (hi - lo).is_finite(), "[{lo:e}, {hi:e}]");
        assert!(Figure::new(1).panel(p).render_rgb().is_ok(), "{c:e}");
        let p = Panel::new("(J)").line(&[c, c], &[0.0, 1.0], "");
        assert!(Figure::new(1).panel(p).render_rgb().is_ok(), "{c:e}");
    }
    // A raster of silent neurons has rows but no time range unless one is given.
    assert!(matches!(fig(Panel::new("(G)").raster(&[vec![], vec![]])), PlotError::InvalidRange { axis: "x", .. }));
    Figure::new(1).panel(Panel::new("(G)").x_range(0.0, 1.0).raster(&[vec![], vec![]])).render_rgb().unwrap();

    let ok = || Panel::new("").line(&[0.0, 1.0], &[0.0, 1.0], "");
    assert!(matches!(Figure::new(0).panel(ok()).render_rgb(), Err(PlotError::InvalidSetting { .. })));
    assert!(matches!(Figure::new(1).render_rgb(), Err(PlotError::InvalidSetting { .. })));
    assert!(matches!(Figure::new(1).panel_size(50, 50).panel(ok()).render_rgb(), Err(PlotError::InvalidSetting { .. })));
    assert!(matches!(Figure::new(1).panel(ok()).save_png(tmp("x.jpg")), Err(PlotError::InvalidSetting { .. })));
    // The parent "folder" is a file: an I/O error with its path.
    let file = tmp("a-file.png");
    Figure::new(1).panel(ok()).save_png(&file).unwrap();
    let e = Figure::new(1).panel(ok()).save_png(file.join("below.png")).unwrap_err();
    assert!(matches!(&e, PlotError::Io { path, .. } if *path == file), "{e}");
    // The file itself cannot be written (a folder has its name): an I/O error too, once a
    // backend error with the encoder's wording.
    let folder = tmp("a-folder.png");
    std::fs::create_dir_all(&folder).unwrap();
    let e = Figure::new(1).panel(ok()).save_png(&folder).unwrap_err();
    assert!(matches!(&e, PlotError::Io { path, source } if *path == folder && source.kind() == std::io::ErrorKind::IsADirectory), "{e:?}");
}

/// Line widths and marker radii beyond any figure are refused: a width of 2³¹ px once kept
/// the drawing busy for good, and a radius of 2³² − 1 px wrapped to −1 and drew nothing.
#[test]
fn oversized_styles_are_an_error_naming_the_series() {
    let t: Vec<f64> = (0..100).map(f64::from).collect();
    let fig = |style: Style| Figure::new(1).panel(Panel::new("(S)").line_with(&t, &t, "V", style)).render_rgb();
    for style in [Style::default().width(MAX_STYLE_SIZE + 1), Style::default().width(u32::MAX), Style::default().marker_size(u32::MAX)] {
        let e = fig(style).unwrap_err();
        assert!(matches!(&e, PlotError::InvalidSetting { what, .. } if what == "panel `(S)`: series `V` style"), "{e}");
        assert!(e.to_string().contains("at most 1000 px"), "{e}");
    }
    let e =
        Figure::new(1).panel(Panel::new("(R)").raster_with(&[vec![1.0]], "", Style::default().width(1 << 31))).render_rgb().unwrap_err();
    assert!(matches!(&e, PlotError::InvalidSetting { what, .. } if what == "panel `(R)`: series `#1 (raster)` style"), "{e}");
    // The largest allowed width draws: the whole plotting area in the line's colour.
    let buf = fig(Style::rgb(255, 0, 0).width(MAX_STYLE_SIZE)).unwrap();
    assert!(count(&buf, RED) > 480 * 320 / 3);
}

/// Renders a sample figure to look at: `SPYKS_PLOT_SAMPLE=dir cargo test -p spyks-core --lib sample`.
#[test]
fn sample_figure() {
    let Some(path) = std::env::var_os("SPYKS_PLOT_SAMPLE") else { return };
    let t: Vec<f64> = (0..2000).map(|i| i as f64 * 0.05).collect();
    let v: Vec<f64> = t.iter().map(|t| if (t % 20.0) < 0.5 { 30.0 } else { -70.0 + 2.0 * (t % 20.0) }).collect();
    let w: Vec<f64> = t.iter().map(|t| -60.0 + 5.0 * (t / 7.0).sin()).collect();
    let trains: Vec<Vec<f64>> = (0..30).map(|i| (0..12).map(|k| (k as f64 * 8.0 + i as f64 * 1.7) % 100.0).collect()).collect();
    let i: Vec<f64> = (0..11).map(|k| k as f64 * 50.0).collect();
    let r: Vec<f64> = i.iter().map(|&i| if i < 120.0 { 0.0 } else { 2.0 * (i - 120.0).sqrt() }).collect();
    Figure::new(2)
        .title("Sample figure")
        .panel_size(480, 300)
        .panel(
            Panel::new("(A) tonic spiking")
                .x_label("t (ms)")
                .y_label("V (mV)")
                .y_range(-90.0, 40.0)
                .line(&t, &v, "V")
                .line(&t, &w, "w")
                .hline(-50.0, "threshold"),
        )
        .panel(raster_panel("(B) raster", &trains))
        .panel(fi_curve(&i, &r))
        .panel(Panel::new("(D) markers").x_label("x").y_label("y").points(&i, &r, "measured").line(
            &i,
            &i.iter().map(|x| x / 20.0).collect::<Vec<_>>(),
            "fit",
        ))
        .save_png(std::path::Path::new(&path).join("sample.png"))
        .unwrap();
}

/// Spans below f64::EPSILON (the difference of two runs, values near 1e-300) get ticks too:
/// plotters gave such an axis a single tick, at its lower end.
#[test]
fn tiny_spans_get_evenly_spaced_ticks() {
    for (lo, hi) in [(1e-300, 2e-300), (0.0, 3e-17), (-2e-20, 5e-21)] {
        let k = super::draw::key_points(lo, hi, 6);
        assert!((3..=6).contains(&k.len()), "[{lo:e}, {hi:e}]: {k:?}");
        assert!(k.iter().all(|&v| lo <= v && v <= hi), "{k:?}");
        let step = k[1] - k[0];
        assert!(k.windows(2).all(|w| ((w[1] - w[0]) - step).abs() <= 1e-9 * step), "{k:?}");
        // A 1-2-5 step: its mantissa is 1, 2 or 5.
        let mantissa = step / 10f64.powf(step.log10().floor());
        assert!([1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-9), "{step:e}");
    }
    // Drawn: horizontal grid lines (rows mostly of the grid's colour) at each tick.
    let (w, h) = (480, 320);
    let grid_rows = |y: &[f64]| {
        let p = Panel::new("").line(&[0.0, 1.0, 2.0], y, "");
        let buf = Figure::new(1).panel_size(w, h).panel(p).render_rgb().unwrap();
        (0..h).filter(|&r| (0..w).filter(|&c| pixel(&buf, w, c, r) == (228, 228, 228)).count() > 200).count()
    };
    assert!(grid_rows(&[1e-300, 2e-300, 1.5e-300]) >= 3);
    assert!(grid_rows(&[0.0, 3e-17, 1e-17]) >= 3);
}

#[test]
fn tick_labels_drop_trailing_zeros() {
    use super::draw::tick;
    assert_eq!(
        [tick(25.0, 100.0), tick(-0.5, 2.0), tick(0.0, 1.0), tick(-0.0, 1.0), tick(0.125, 1.0), tick(2e-6, 1e-5), tick(-70.0, 150.0)],
        ["25", "-0.5", "0", "0", "0.125", "2e-6", "-70"]
    );
}

/// The tick arithmetic leaves residue in the values (the tick at 0 of an axis from -0.1 by
/// 0.05 is 1.4e-17), which was printed in full: "1.3877787807814457e-17", cut off at the
/// panel's edge, and "6.000000000000001e-13" on an axis to 1e-12. Labels are to a thousandth
/// of the axis' span.
#[test]
fn tick_labels_do_not_show_the_tick_arithmetics_residue() {
    use super::draw::tick;
    assert_eq!(tick(-0.1 + 2.0 * 0.05, 0.21), "0");
    assert_eq!(tick(6.000000000000001e-13, 1e-12), "6e-13");
    assert_eq!(tick(0.30000000000000004, 1.0), "0.3");
    assert_eq!(tick(2.5783e-17, 2.0), "0");
    assert_eq!(tick(1.0000000000000002e15, 1e3), "1e15");
    assert_eq!(tick(1e15 + 200.0, 1e3), "1.0000000000002e15");
    assert_eq!(tick(-65.00000000000001, 120.0), "-65");
    assert_eq!(tick(0.0125, 0.05), "0.0125");
}

#[test]
fn clipping_against_the_box() {
    let r = Rect { x: (0.0, 10.0), y: (0.0, 10.0) };
    assert_eq!(r.segment((-10.0, 5.0), (20.0, 5.0)), Some(((0.0, 5.0), (10.0, 5.0))));
    assert_eq!(r.segment((1.0, 1.0), (2.0, 3.0)), Some(((1.0, 1.0), (2.0, 3.0))));
    assert_eq!(r.segment((-5.0, 0.0), (5.0, 20.0)), Some(((0.0, 10.0), (0.0, 10.0))));
    assert_eq!(r.segment((-1.0, 11.0), (11.0, 11.0)), None);
    // Diagonal through a corner region: enters at x = 0 (y = 2), leaves at y = 10 (x = 8).
    let ((a, b), (c, d)) = r.segment((-2.0, 0.0), (12.0, 14.0)).unwrap();
    assert!((a - 0.0).abs() < 1e-12 && (b - 2.0).abs() < 1e-12 && (c - 8.0).abs() < 1e-12 && (d - 10.0).abs() < 1e-12);
    // From far beyond the box, the segment's parameter rounds to 1 and the end it gives is
    // b, outside the box; the ends are clamped into it (unclamped, they once overflowed
    // plotters' pixel arithmetic).
    let thin = Rect { x: (0.0, 0.25), y: (0.0, 1e9) };
    let (c, d) = thin.segment((-1e300, 7.0), (19.0, 14.0)).unwrap();
    assert!(thin.contains(c) && thin.contains(d), "{c:?} {d:?}");
    // A polyline leaving and re-entering becomes two pieces; NaN breaks it too.
    let runs =
        r.polyline([(1.0, 1.0), (2.0, 2.0), (3.0, 20.0), (4.0, 2.0), (5.0, 1.0), (f64::NAN, 0.0), (6.0, 1.0), (7.0, 1.0)].into_iter());
    assert_eq!(runs.len(), 3);
    assert_eq!(runs[0][..2], [(1.0, 1.0), (2.0, 2.0)]);
    assert_eq!(*runs[1].last().unwrap(), (5.0, 1.0));
    assert_eq!(runs[2], vec![(6.0, 1.0), (7.0, 1.0)]);
}
