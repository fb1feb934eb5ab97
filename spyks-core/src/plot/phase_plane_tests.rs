//! Nullclines against the analytic ones of the FitzHugh-Nagumo model (FitzHugh 1961):
//! dv/dt = v - v³/3 - w + I, dw/dt = eps (v + a - b w), so the v-nullcline is
//! w = v - v³/3 + I and the w-nullcline is w = (v + a)/b.

use super::*;

crate::neuron_model! {
    /// FitzHugh-Nagumo, dimensionless, with time in ms.
    model Fhn;
    parameters { a: 0.7, b: 0.8, eps: 0.08 1/ms, k: 1 1/ms }
    state { v: -1, w: 1 }
    inputs { I: 0.5 }
    equations {
        dv/dt = k * (v - v*v*v/3 - w + I),
        dw/dt = eps * (v + a - b*w),
    }
}

crate::neuron_model! {
    /// FitzHugh-Nagumo with a third variable z that shifts the v-nullcline by z.
    model Fhn3;
    parameters { a: 0.7, b: 0.8, eps: 0.08 1/ms, k: 1 1/ms }
    state { v: -1, w: 1, z: 0.3 }
    inputs { I: 0.5 }
    equations {
        dv/dt = k * (v - v*v*v/3 - w + I + z),
        dw/dt = eps * (v + a - b*w),
        dz/dt = -k * z,
    }
}

const XR: (f64, f64) = (-2.5, 2.5);
const YR: (f64, f64) = (-1.5, 2.5);
const N: usize = 100;

fn cubic(v: f64, shift: f64) -> f64 {
    v - v * v * v / 3.0 + 0.5 + shift
}

fn points(s: &[Segment]) -> Vec<(f64, f64)> {
    s.iter().flat_map(|&(p, q)| [p, q]).collect()
}

/// Every point (v, w) has a true zero on the grid edge it lies on: some v* within one cell
/// width with cubic(v*) = w (bracketed by the cubic's values over [v - h, v + h]).
fn assert_on_cubic(pts: &[(f64, f64)], shift: f64) {
    let h = (XR.1 - XR.0) / N as f64;
    assert!(pts.len() > 50, "{} points", pts.len());
    for &(v, w) in pts {
        let vals: Vec<f64> = (0..=200).map(|k| cubic(v - h + 2.0 * h * k as f64 / 200.0, shift)).collect();
        let (lo, hi) = vals.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
        assert!(lo - 1e-12 <= w && w <= hi + 1e-12, "({v}, {w}) is off the v-nullcline: cubic in [{lo}, {hi}] within {h}");
    }
}

/// Every point of the true curve inside the box has a computed point within one cell diagonal.
fn assert_complete(pts: &[(f64, f64)], curve: impl Fn(f64) -> f64) {
    let diag = ((XR.1 - XR.0) / N as f64).hypot((YR.1 - YR.0) / N as f64);
    for k in 0..=1000 {
        let v = XR.0 + (XR.1 - XR.0) * k as f64 / 1000.0;
        let w = curve(v);
        if w <= YR.0 || w >= YR.1 {
            continue;
        }
        let d = pts.iter().map(|&(a, b)| (a - v).hypot(b - w)).fold(f64::INFINITY, f64::min);
        assert!(d <= diag, "no nullcline point near ({v}, {w}): nearest at {d}");
    }
}

#[test]
fn fitzhugh_nagumo_nullclines_match_the_analytic_curves() {
    let m = Fhn::new();
    let n = nullclines(&m, &FhnInputs::default(), "v", "w", XR, YR, N).unwrap();
    let (px, py) = (points(&n.x), points(&n.y));
    assert_on_cubic(&px, 0.0);
    assert_complete(&px, |v| cubic(v, 0.0));
    // dw/dt is linear in v and w, so the interpolated crossings are exact.
    assert!(py.len() > 50);
    for &(v, w) in &py {
        assert!((w - (v + 0.7) / 0.8).abs() < 1e-9, "({v}, {w}) is off the w-nullcline");
    }
    assert_complete(&py, |v| (v + 0.7) / 0.8);
}

#[test]
fn swapped_axes_swap_the_coordinates() {
    let m = Fhn::new();
    // x = w, y = v: the first set is dw/dt = 0 written as (w, v), so v = b w - a.
    let n = nullclines(&m, &FhnInputs::default(), "w", "v", YR, XR, N).unwrap();
    assert!(!n.x.is_empty());
    for (w, v) in points(&n.x) {
        assert!((v - (0.8 * w - 0.7)).abs() < 1e-9);
    }
}

#[test]
fn other_state_variables_stay_at_their_initial_values() {
    let m = Fhn3::new();
    let n = nullclines(&m, &Fhn3Inputs::default(), "v", "w", XR, YR, N).unwrap();
    // z = 0.3 shifts the v-nullcline up by 0.3.
    let px = points(&n.x);
    assert_on_cubic(&px, 0.3);
    assert_complete(&px, |v| cubic(v, 0.3));
    // The input enters too: with I = -0.5 the cubic moves down by 1.
    let n = nullclines(&m, &Fhn3Inputs { I: -0.5 }, "v", "w", XR, YR, N).unwrap();
    assert_on_cubic(&points(&n.x), -0.7);
}

#[test]
fn bad_phase_plane_settings_are_errors() {
    let m = Fhn::new();
    let u = FhnInputs::default();
    let e = nullclines(&m, &u, "v", "u", XR, YR, N).unwrap_err();
    assert!(matches!(&e, PlotError::InvalidSetting { reason, .. } if reason.contains("`u`")), "{e}");
    assert!(matches!(nullclines(&m, &u, "v", "v", XR, YR, N), Err(PlotError::InvalidSetting { .. })));
    assert!(matches!(nullclines(&m, &u, "v", "w", (1.0, 1.0), YR, N), Err(PlotError::InvalidSetting { .. })));
    assert!(matches!(nullclines(&m, &u, "v", "w", XR, (0.0, f64::NAN), N), Err(PlotError::InvalidSetting { .. })));
    assert!(matches!(nullclines(&m, &u, "v", "w", XR, YR, 1), Err(PlotError::InvalidSetting { .. })));
    // Finite ends whose width overflows: the grid's spacing would be infinite and its points
    // not finite (this was accepted).
    let e = nullclines(&m, &u, "v", "w", (-1e308, 1e308), YR, N).unwrap_err();
    assert!(
        matches!(&e, PlotError::InvalidSetting { what, reason } if what == "phase plane x range" && reason.ends_with("a finite width")),
        "{e}"
    );
    assert!(matches!(phase_plane(&m, &u, "v", "w", XR, (-f64::MAX, f64::MAX)), Err(PlotError::InvalidSetting { .. })));
}

#[test]
fn a_phase_plane_panel_draws_both_nullclines() {
    let m = Fhn::new();
    let p = phase_plane(&m, &FhnInputs::default(), "v", "w", XR, YR).unwrap().trajectory(&[-1.0, 0.0, 1.0], &[1.0, 0.5, 0.0]);
    assert_eq!(p.title(), "Fhn phase plane");
    let buf = Figure::new(1).panel_size(400, 300).panel(p).render_rgb().unwrap();
    let has = |c: (u8, u8, u8)| buf.chunks_exact(3).any(|p| (p[0], p[1], p[2]) == c);
    assert!(has(PALETTE[0]) && has(PALETTE[1]));
}

/// A window that a nullcline misses draws the other one, or none: the empty series of a
/// missing nullcline once made the panel an error ("has no finite point to draw").
#[test]
fn a_window_without_a_nullcline_still_draws() {
    let m = Fhn::new();
    let draw = |xr, yr| {
        let p = phase_plane(&m, &FhnInputs::default(), "v", "w", xr, yr).unwrap();
        Figure::new(1).panel_size(400, 300).panel(p).render_rgb().unwrap()
    };
    let has = |buf: &[u8], c: (u8, u8, u8)| buf.chunks_exact(3).any(|p| (p[0], p[1], p[2]) == c);
    // On v in [2, 3], w = (v + a)/b runs from 3.375 to 4.625, through w in [3, 4]; the
    // v-nullcline w = v - v³/3 + I stays below -0.1 there.
    let buf = draw((2.0, 3.0), (3.0, 4.0));
    assert!(has(&buf, PALETTE[1]) && !has(&buf, PALETTE[0]));
    // On v in [10, 11] both are outside w in [10, 11] (w = 13.4 to 14.6 and below -300).
    let buf = draw((10.0, 11.0), (10.0, 11.0));
    assert!(!has(&buf, PALETTE[1]) && !has(&buf, PALETTE[0]));
}

#[test]
fn saddle_cells_follow_the_centre_value() {
    use super::contour::zero_contour;
    // One cell over [-1, 1]²; x y = c has its two branches in the quadrants where x y has the
    // sign of c, so each segment cuts off the corners of those quadrants.
    let corners_cut = |c: f64| {
        let segs = zero_contour(|x, y| x * y - c, (-1.0, 1.0), (-1.0, 1.0), 1);
        assert_eq!(segs.len(), 2);
        // The corner each segment separates: the sign of x and y at its midpoint.
        let mut cut: Vec<(bool, bool)> = segs.iter().map(|&((a, b), (p, q))| (a + p > 0.0, b + q > 0.0)).collect();
        cut.sort();
        cut
    };
    assert_eq!(corners_cut(0.01), vec![(false, false), (true, true)]);
    assert_eq!(corners_cut(-0.01), vec![(false, true), (true, false)]);
}

/// Renders a phase plane to look at: `SPYKS_PLOT_SAMPLE=dir cargo test -p spyks-core --lib sample`.
#[test]
fn sample_phase_plane() {
    let Some(dir) = std::env::var_os("SPYKS_PLOT_SAMPLE") else { return };
    let m = Fhn::new();
    let run = crate::Simulation::new(&m, 100.0).run_adaptive(&crate::integrate::Dopri5::new()).unwrap();
    let (v, w) = (run.column("v").unwrap(), run.column("w").unwrap());
    let p = phase_plane(&m, &FhnInputs::default(), "v", "w", XR, YR).unwrap().trajectory(v, w);
    let trace = Panel::new("(B) time course").x_label("t (ms)").y_label("v, w").line(&run.times, v, "v").line(&run.times, w, "w");
    Figure::new(2).panel(p).panel(trace).save_png(std::path::Path::new(&dir).join("phase.png")).unwrap();
}
