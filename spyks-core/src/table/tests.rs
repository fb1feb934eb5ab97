//! Checks against analytic facts: interpolation is exact at grid points, linear interpolation
//! reproduces affine functions and cubic Hermite reproduces cubics, the error falls as h² and
//! h⁴ and stays below the classical bounds. The Hodgkin-Huxley rates are written here
//! independently from the preset, from Dayan & Abbott (2001), ch. 5.6 (modern -65 mV convention).

use super::*;

/// x/(e^x − 1) with its limit 1 at 0, via expm1 (no cancellation near 0).
fn x_over_expm1(x: f64) -> f64 {
    if x == 0.0 { 1.0 } else { x / x.exp_m1() }
}

/// α_m, β_m, α_h, β_h, α_n, β_n (1/ms) of V (mV).
fn hh_rates(v: f64) -> [f64; 6] {
    [
        x_over_expm1(-(v + 40.0) / 10.0),
        4.0 * (-(v + 65.0) / 18.0).exp(),
        0.07 * (-(v + 65.0) / 20.0).exp(),
        1.0 / (1.0 + (-(v + 35.0) / 10.0).exp()),
        0.1 * x_over_expm1(-(v + 55.0) / 10.0),
        0.125 * (-(v + 65.0) / 80.0).exp(),
    ]
}

fn alpha_m(v: f64) -> f64 {
    // The form 0.1(V+40)/(1 − e^{−(V+40)/10}), equal to x/(e^x − 1) at x = −(V+40)/10.
    x_over_expm1(-(v + 40.0) / 10.0)
}

fn exp10(x: f64) -> f64 {
    (x / 10.0).exp()
}

fn spec(lo: f64, hi: f64, h: f64, interp: Interp) -> TableSpec {
    TableSpec::new(lo, hi, h).interp(interp)
}

#[test]
fn alpha_m_matches_the_textbook_form_away_from_the_singularity() {
    for v in [-90.0, -41.0, -39.0, 0.0, 30.0] {
        let textbook = 0.1 * (v + 40.0) / (1.0 - (-(v + 40.0) / 10.0f64).exp());
        assert!((alpha_m(v) - textbook).abs() <= 1e-13 * textbook.abs(), "{v}");
    }
    assert_eq!(alpha_m(-40.0), 1.0);
}

#[test]
fn grid_points_are_reproduced() {
    for interp in [Interp::Linear, Interp::CubicHermite] {
        let t = Table1D::new(exp10, spec(-100.0, 50.0, 0.1, interp)).unwrap();
        assert_eq!(t.as_set().points(), 1501);
        for i in 0..=1500 {
            let x = -100.0 + i as f64 * 0.1;
            // x and the cell position u = (x − lo)/h round independently: |Δu| ≤ 1500 ulp
            // moves the value by at most |Δu|·|f1 − f0| = 1500·2.2e-16·0.01·f.
            assert!((t.eval(x) - exp10(x)).abs() <= 1e-14 * exp10(x), "{interp:?} at {x}");
        }
    }
}

#[test]
fn linear_is_exact_for_affine_and_cubic_hermite_for_cubic_functions() {
    let affine = |x: f64| 3.0 * x - 2.0;
    let cubic = |x: f64| ((x - 2.0) * x + 0.5) * x - 1.0;
    let lin = Table1D::new(affine, spec(-7.0, 5.0, 0.3, Interp::Linear)).unwrap();
    let cub = Table1D::new(cubic, spec(-3.0, 4.0, 0.25, Interp::CubicHermite)).unwrap();
    for j in 0..=1000 {
        let s = j as f64 / 1000.0;
        let (xa, xc) = (-7.0 + 12.0 * s, -3.0 + 7.0 * s);
        assert!((lin.eval(xa) - affine(xa)).abs() < 1e-13, "{xa}");
        // Max |cubic| on [-3, 4] is 46: a few ulp of it, plus the derivative's rounding.
        assert!((cub.eval(xc) - cubic(xc)).abs() < 1e-12, "{xc}: {} vs {}", cub.eval(xc), cubic(xc));
    }
}

/// Least-squares slope of log(error) against log(h).
fn slope(hs: &[f64], errs: &[f64]) -> f64 {
    let (x, y): (Vec<f64>, Vec<f64>) = hs.iter().zip(errs).map(|(h, e)| (h.ln(), e.ln())).unzip();
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxy: f64 = x.iter().zip(&y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    sxy / sxx
}

fn check_order(f: fn(f64) -> f64, interp: Interp, hs: &[f64], expected: f64) {
    let mut errs = Vec::new();
    for &h in hs {
        let t = Table1D::new(f, spec(-100.0, 50.0, h, interp)).unwrap();
        let r = t.max_error(f, 16);
        let scale = (-100..=50).map(|v| f(v as f64).abs()).fold(0.0, f64::max);
        assert!(r.max_abs <= r.bound + 8.0 * f64::EPSILON * scale, "{interp:?} h = {h}: {r:?}");
        errs.push(r.max_abs);
    }
    let p = slope(hs, &errs);
    eprintln!("{interp:?}: errors {errs:?} at h = {hs:?}, slope {p:.3}");
    assert!((p - expected).abs() < 0.15, "{interp:?}: slope {p}, errors {errs:?}");
}

#[test]
fn linear_error_falls_as_h_squared_within_the_bound() {
    check_order(exp10, Interp::Linear, &[1.0, 0.5, 0.25, 0.125], 2.0);
    check_order(alpha_m, Interp::Linear, &[1.0, 0.5, 0.25, 0.125], 2.0);
}

#[test]
fn cubic_hermite_error_falls_as_h_to_the_fourth_within_the_bound() {
    check_order(exp10, Interp::CubicHermite, &[4.0, 2.0, 1.0, 0.5], 4.0);
    check_order(alpha_m, Interp::CubicHermite, &[4.0, 2.0, 1.0, 0.5], 4.0);
}

#[test]
fn hodgkin_huxley_rates_error_at_fine_steps() {
    for interp in [Interp::Linear, Interp::CubicHermite] {
        for h in [0.1, 0.05, 0.01] {
            let t = TableSet::new(hh_rates, spec(-100.0, 50.0, h, interp)).unwrap();
            let reports = t.max_error(hh_rates, 16);
            let worst = reports.iter().fold(0.0f64, |m, r| m.max(r.max_abs));
            let worst_rel = reports.iter().fold(0.0f64, |m, r| m.max(r.max_rel));
            let bound = reports.iter().fold(0.0f64, |m, r| m.max(r.bound));
            eprintln!("HH {interp:?} h = {h}: max abs {worst:.3e} 1/ms (bound {bound:.3e}), max rel {worst_rel:.3e}");
            for (k, r) in reports.iter().enumerate() {
                // Rounding: the cell position u < 15000 is off by up to 15000 ulp = 3.3e-12,
                // which moves the value by that times h·|f'| (≤ 0.05 for beta_m), plus a few
                // ulp of the rates themselves (up to 9 1/ms).
                assert!(r.max_abs <= r.bound + 1e-13, "{interp:?} h = {h}, column {k}: {r:?}");
            }
            // Linear: h²/8·max|f''| with max|f''| = 4/18² = 0.0123 (beta_m at -100 mV).
            let expected = match interp {
                Interp::Linear => h * h / 8.0 * 4.0 / 324.0 * (35.0f64 / 18.0).exp(),
                Interp::CubicHermite => h.powi(4) / 384.0 * 4.0 / 18f64.powi(4) * (35.0f64 / 18.0).exp(),
            };
            // (Only where the interpolation error stands out of the rounding.)
            assert!(expected < 1e-12 || (worst / expected - 1.0).abs() < 0.05, "{interp:?} h = {h}: {worst} vs {expected}");
        }
    }
}

#[test]
fn out_of_range_policies() {
    let base = spec(-10.0, 10.0, 0.5, Interp::Linear);
    for interp in [Interp::Linear, Interp::CubicHermite] {
        let s = base.interp(interp);
        let exact = Table1D::new(exp10, s.out_of_range(OutOfRange::Exact)).unwrap();
        let clamp = Table1D::new(exp10, s.out_of_range(OutOfRange::Clamp)).unwrap();
        let extend = Table1D::new(exp10, s.out_of_range(OutOfRange::Extend)).unwrap();
        for x in [-30.0, -10.25, 10.5, 40.0] {
            assert_eq!(exact.eval(x), exp10(x));
            let end = if x < 0.0 { -10.0 } else { 10.0 };
            assert!((clamp.eval(x) - exp10(end)).abs() <= 4.0 * f64::EPSILON * exp10(end), "{x}");
            // The line through the last two grid points.
            let (a, b) = if x < 0.0 { (-10.0, -9.5) } else { (9.5, 10.0) };
            let line = exp10(a) + (x - a) / (b - a) * (exp10(b) - exp10(a));
            assert!((extend.eval(x) - line).abs() <= 1e-12 * exp10(b), "{interp:?} {x}: {} vs {line}", extend.eval(x));
        }
        for t in [&exact, &clamp, &extend] {
            assert!(t.eval(f64::NAN).is_nan());
        }
    }
    // The range is covered: a step that does not divide it extends the grid past hi.
    let t = Table1D::new(exp10, TableSpec::new(0.0, 1.0, 0.3)).unwrap();
    assert!((t.as_set().top() - 1.2).abs() < 1e-15 && t.as_set().points() == 5);
}

#[test]
fn bad_settings_are_refused() {
    let f = |x: f64| x;
    let err = |s: TableSpec| Table1D::new(f, s).unwrap_err();
    assert!(matches!(err(TableSpec::new(1.0, 1.0, 0.1)), TableError::Setting { what: "hi", .. }));
    assert!(matches!(err(TableSpec::new(2.0, 1.0, 0.1)), TableError::Setting { what: "hi", .. }));
    assert!(matches!(err(TableSpec::new(0.0, 1.0, 0.0)), TableError::Setting { what: "step", .. }));
    assert!(matches!(err(TableSpec::new(0.0, 1.0, -0.1)), TableError::Setting { what: "step", .. }));
    assert!(matches!(err(TableSpec::new(0.0, 1.0, f64::NAN)), TableError::Setting { what: "step", .. }));
    assert!(matches!(err(TableSpec::new(f64::NEG_INFINITY, 1.0, 0.1)), TableError::Setting { what: "lo", .. }));
    assert!(matches!(err(TableSpec::new(0.0, f64::NAN, 0.1)), TableError::Setting { what: "hi", .. }));
    // 2^20 cells is one point too many; 2^20 − 1 cells is the maximum.
    let n = MAX_POINTS as f64;
    assert!(matches!(err(TableSpec::new(0.0, n, 1.0)), TableError::Setting { what: "step", .. }));
    assert_eq!(Table1D::new(f, TableSpec::new(0.0, n - 1.0, 1.0)).unwrap().as_set().points(), MAX_POINTS);
    // A pole on the grid, named by its x.
    let e = Table1D::new(|x: f64| 1.0 / (x - 1.0), TableSpec::new(0.0, 2.0, 0.5)).unwrap_err();
    assert_eq!(e, TableError::NonFinite { what: "value", column: 0, x: 1.0, value: f64::INFINITY });
    assert!(e.to_string().contains("x = 1"), "{e}");
    // sqrt is finite on [0, 1] but its difference stencil at 0 reaches below 0.
    let e = Table1D::new(f64::sqrt, TableSpec::new(0.0, 1.0, 0.5).interp(Interp::CubicHermite)).unwrap_err();
    assert!(matches!(e, TableError::NonFinite { what: "derivative", column: 0, x: 0.0, .. }), "{e}");
    // The column is named too.
    let e = TableSet::new(|x: f64| [1.0, x.ln()], TableSpec::new(0.0, 1.0, 0.5)).unwrap_err();
    assert!(matches!(e, TableError::NonFinite { column: 1, x: 0.0, .. }), "{e}");
}

#[test]
fn a_set_gives_the_same_values_as_separate_tables() {
    for interp in [Interp::Linear, Interp::CubicHermite] {
        let s = spec(-100.0, 50.0, 0.05, interp);
        let set = TableSet::new(hh_rates, s).unwrap();
        let singles: Vec<_> = (0..6).map(|k| Table1D::new(move |v| hh_rates(v)[k], s).unwrap()).collect();
        for j in 0..=3000 {
            let v = -110.0 + j as f64 * 0.0537;
            let all = set.eval(v);
            for (k, t) in singles.iter().enumerate() {
                assert_eq!(all[k].to_bits(), t.eval(v).to_bits(), "{interp:?} column {k} at {v}");
            }
        }
    }
}

#[test]
fn given_derivatives_agree_with_the_difference_stencil() {
    let s = spec(-100.0, 50.0, 0.5, Interp::CubicHermite);
    let a = Table1D::new(exp10, s).unwrap();
    let b = Table1D::with_derivative(exp10, |x| exp10(x) / 10.0, s).unwrap();
    for j in 0..=1000 {
        let x = -100.0 + j as f64 * 0.15;
        assert!((a.eval(x) - b.eval(x)).abs() <= 1e-13 * exp10(x), "{x}");
    }
}

#[test]
fn the_cache_rebuilds_only_when_parameters_change() {
    let mut cache = ParamCache::new();
    let build = |phi: f64| move || TableSet::new(move |v: f64| hh_rates(v).map(|r| phi * r), TableSpec::new(-100.0, 50.0, 0.1));
    for (phi, builds) in [(1.0, 1), (1.0, 1), (3.0, 2), (3.0, 2), (1.0, 3)] {
        cache.get_or_build(&[phi], build(phi)).unwrap();
        assert_eq!(cache.builds(), builds);
        let t = cache.get_or_build(&[phi], build(phi)).unwrap();
        assert!((t.eval(-65.0)[1] - phi * 4.0).abs() < 1e-12, "{phi}");
    }
    // A failed build leaves nothing stale behind.
    let r = cache.get_or_build(&[2.0], || TableSet::new(|_: f64| [f64::NAN], TableSpec::new(0.0, 1.0, 0.5)).map(|_| unreachable!()));
    assert!(r.is_err());
}

/// Spike times (upward crossings of −20 mV, linearly interpolated) of the Hodgkin-Huxley
/// equations (Dayan & Abbott 2001, ch. 5.6; the preset's parameters) under `i_ext` µA/cm² for
/// `t_end` ms, by classical RK4 with step 0.01 ms, with the six rates from `rates`.
fn hh_spike_times(rates: &dyn Fn(f64) -> [f64; 6], i_ext: f64, t_end: f64) -> Vec<f64> {
    let deriv = |y: [f64; 4]| {
        let [v, m, h, n] = y;
        let [am, bm, ah, bh, an, bn] = rates(v);
        let i_ion = 120.0 * m.powi(3) * h * (50.0 - v) + 36.0 * n.powi(4) * (-77.0 - v) + 0.3 * (-54.387 - v);
        [i_ion + i_ext, am * (1.0 - m) - bm * m, ah * (1.0 - h) - bh * h, an * (1.0 - n) - bn * n]
    };
    let dt = 0.01;
    let mut y = [-65.0, 0.05293248525724958, 0.5961207535084603, 0.31767691406069737];
    let mut spikes = Vec::new();
    for step in 0..(t_end / dt) as usize {
        let add = |a: [f64; 4], b: [f64; 4], c: f64| std::array::from_fn::<f64, 4, _>(|j| a[j] + c * b[j]);
        let k1 = deriv(y);
        let k2 = deriv(add(y, k1, dt / 2.0));
        let k3 = deriv(add(y, k2, dt / 2.0));
        let k4 = deriv(add(y, k3, dt));
        let next = std::array::from_fn(|j| y[j] + dt / 6.0 * (k1[j] + 2.0 * k2[j] + 2.0 * k3[j] + k4[j]));
        if y[0] < -20.0 && next[0] >= -20.0 {
            spikes.push((step as f64 + (-20.0 - y[0]) / (next[0] - y[0])) * dt);
        }
        y = next;
    }
    spikes
}

#[test]
fn hodgkin_huxley_spike_times_move_by_the_square_of_the_linear_step() {
    let exact = hh_spike_times(&hh_rates, 10.0, 200.0);
    // Repetitive firing at 10 µA/cm² (above the Hopf point 9.78): period about 14.6 ms.
    assert!(exact.len() >= 12, "{exact:?}");
    let shift = |interp: Interp, h: f64| {
        let t = TableSet::new(hh_rates, spec(-100.0, 50.0, h, interp)).unwrap();
        let s = hh_spike_times(&|v| t.eval(v), 10.0, 200.0);
        assert_eq!(s.len(), exact.len(), "{interp:?} h = {h}");
        s.iter().zip(&exact).fold(0.0f64, |m, (a, b)| m.max((a - b).abs()))
    };
    let hs = [0.4, 0.2, 0.1, 0.05, 0.01];
    let lin: Vec<f64> = hs.iter().map(|&h| shift(Interp::Linear, h)).collect();
    let cub = shift(Interp::CubicHermite, 0.1);
    eprintln!("HH spike-time shift over 200 ms (ms): linear h = {hs:?}: {lin:?}; cubic h = 0.1: {cub:e}");
    let p = slope(&hs, &lin);
    assert!((p - 2.0).abs() < 0.15, "slope {p}: {lin:?}");
    assert!(cub < lin[4], "{cub} vs {lin:?}");
}

#[test]
fn the_error_report_matches_closed_forms() {
    // Linear interpolation of x² errs by (x − x_i)(x_{i+1} − x), h²/4 at each midpoint, which is
    // the bound h²/8·max|f''| with f'' = 2. The relative error (1 − x)/x in the first cell is
    // largest at the first sample where x² ≥ 1e-6·100, x = 1/16: 15.
    let sq = |x: f64| x * x;
    let r = Table1D::new(sq, spec(0.0, 10.0, 1.0, Interp::Linear)).unwrap().max_error(sq, 16);
    assert!((r.max_abs - 0.25).abs() < 1e-14 && r.at_abs == 0.5, "{r:?}");
    assert!((r.bound - 0.25).abs() < 1e-14, "{r:?}");
    assert!((r.max_rel - 15.0).abs() < 1e-12 && r.at_rel == 1.0 / 16.0, "{r:?}");
    // Cubic Hermite of x⁴ errs by (t(1 − t))²h⁴ = h⁴/16 at midpoints, the bound h⁴/384·24.
    let quartic = |x: f64| x.powi(4);
    let r = Table1D::new(quartic, spec(-2.0, 2.0, 0.5, Interp::CubicHermite)).unwrap().max_error(quartic, 16);
    assert!((r.max_abs - 0.5f64.powi(4) / 16.0).abs() < 1e-13, "{r:?}");
    assert!((r.bound - 0.5f64.powi(4) / 16.0).abs() < 1e-13, "{r:?}");
    // A reference that differs from the table shows up, NaN included.
    let r = Table1D::new(sq, spec(0.0, 10.0, 1.0, Interp::Linear)).unwrap().max_error(|x| if x > 9.0 { f64::NAN } else { sq(x) }, 4);
    assert!(r.max_abs.is_nan(), "{r:?}");
}

#[test]
fn slopes_follow_the_interpolant_and_converge_to_the_derivative() {
    // d/dx exp(x/10) = exp(x/10)/10. Linear tables: the slope is the chord's, error O(h);
    // cubic Hermite: continuous across cells, error O(h³).
    let df = |x: f64| (x / 10.0).exp() / 10.0;
    let worst = |interp: Interp, h: f64| -> f64 {
        let t = Table1D::new(exp10, spec(-50.0, 50.0, h, interp)).unwrap();
        let set = t.as_set();
        (0..4000).map(|k| -49.9 + 99.8 * k as f64 / 3999.0).map(|x| (set.eval_with_slope(x).1[0] - df(x)).abs()).fold(0.0, f64::max)
    };
    let (l1, l2) = (worst(Interp::Linear, 0.5), worst(Interp::Linear, 0.25));
    let (c1, c2) = (worst(Interp::CubicHermite, 2.0), worst(Interp::CubicHermite, 1.0));
    assert!((l1 / l2).log2() > 0.85 && (l1 / l2).log2() < 1.15, "linear slope order {}", (l1 / l2).log2());
    assert!((c1 / c2).log2() > 2.85 && (c1 / c2).log2() < 3.15, "cubic slope order {}", (c1 / c2).log2());
    // The values equal `eval`'s, and the slope is the derivative of the interpolant: a
    // difference quotient of `eval` inside a cell.
    for interp in [Interp::Linear, Interp::CubicHermite] {
        let t = Table1D::new(alpha_m, spec(-100.0, 50.0, 0.5, interp)).unwrap();
        let set = t.as_set();
        for x in [-99.7, -40.2, -12.3, 49.6] {
            let (v, d) = set.eval_with_slope(x);
            assert_eq!(v[0], set.eval(x)[0]);
            let e = 1e-6;
            let q = (set.eval(x + e)[0] - set.eval(x - e)[0]) / (2.0 * e);
            assert!((d[0] - q).abs() <= 1e-6 * (1.0 + q.abs()), "{interp:?} at {x}: {} vs {q}", d[0]);
        }
    }
    // Cubic Hermite slopes are continuous at the grid points.
    let t = Table1D::new(alpha_m, spec(-100.0, 50.0, 0.5, Interp::CubicHermite)).unwrap();
    let set = t.as_set();
    for x in [-60.0, -40.0, 0.0] {
        let (l, r) = (set.eval_with_slope(x - 1e-12).1[0], set.eval_with_slope(x + 1e-12).1[0]);
        assert!((l - r).abs() < 1e-9, "slope jumps at {x}: {l} vs {r}");
    }
    // Outside the range: Clamp is flat, Extend follows its line, Exact differentiates f.
    let mk = |o: OutOfRange| Table1D::new(exp10, spec(0.0, 10.0, 0.5, Interp::Linear).out_of_range(o)).unwrap();
    assert_eq!(mk(OutOfRange::Clamp).as_set().eval_with_slope(12.0).1[0], 0.0);
    let ext = mk(OutOfRange::Extend);
    let chord = (exp10(10.0) - exp10(9.5)) / 0.5;
    assert!((ext.as_set().eval_with_slope(12.0).1[0] - chord).abs() < 1e-12);
    assert!((mk(OutOfRange::Exact).as_set().eval_with_slope(12.0).1[0] - df(12.0)).abs() < 1e-8);
}

#[test]
fn table_errors_become_run_errors_with_their_message() {
    let e: crate::SimError = Table1D::new(|x: f64| x, TableSpec::new(2.0, 1.0, 0.1)).unwrap_err().into();
    assert!(matches!(&e, crate::SimError::InvalidSetting { name: "hi", value: 1.0, .. }), "{e}");
    let pole = Table1D::new(|x: f64| 1.0 / (x - 1.0), spec(0.0, 2.0, 0.5, Interp::Linear)).unwrap_err();
    let e: crate::SimError = pole.into();
    assert!(e.to_string().contains("x = 1"), "{e}");
}

/// `eval_lanes` has its own packed arithmetic for linear tables (cell positions for a whole
/// block, extrapolation under `Extend`, the exact function under `Exact`); each lane must be
/// `eval` of it bit for bit, for every policy and interpolation, inside the range, outside it on
/// both sides, at the grid's ends and for NaN.
#[test]
fn eval_lanes_is_eval_lane_by_lane() {
    use crate::lanes::F64s;
    let xs =
        [-130.0, -100.0, -99.97, -65.0, -40.0, -12.345, 0.0, 49.99, 50.0, 50.001, 80.0, f64::NAN, -100.0 - 1e-12, 23.4567, -71.2, 12.0];
    for interp in [Interp::Linear, Interp::CubicHermite] {
        for policy in [OutOfRange::Extend, OutOfRange::Clamp, OutOfRange::Exact] {
            let t = TableSet::new(hh_rates, TableSpec::new(-100.0, 50.0, 0.1).interp(interp).out_of_range(policy)).unwrap();
            let lanes = t.eval_lanes(F64s::<16>(xs));
            for (l, &x) in xs.iter().enumerate() {
                let scalar = t.eval(x);
                for k in 0..6 {
                    assert_eq!(lanes[k].0[l].to_bits(), scalar[k].to_bits(), "{interp:?} {policy:?} x = {x} column {k}");
                }
            }
        }
    }
}

/// α_m of Hodgkin-Huxley written without its limit, 0.1·(v + 40)/(1 − exp(−(v + 40)/10)) (1/ms):
/// at v = −40 + ε it cancels to about 2e-16/ε relative, which the exact function meets only
/// there. On [−100.1, 60] at 0.1 a grid point lies at −39.99999999999999 (ε = 1.4e-14), where
/// it is 1.0667 instead of its limit 1; the table is refused, naming that point, instead of
/// reading 1.031 at −40.05 (closed form 0.9975). With the grid moved by half a step the
/// function is accurate at every point and the table within h²/8·max|α''| of the closed form:
/// with u = (v + 40)/10, α = u + B(u), B(u) = u/(e^u − 1), so α'' = B''(u)/100, at most
/// B''(0)/100 = 1/600.
#[test]
fn a_value_lost_to_rounding_at_a_grid_point_is_refused() {
    let alpha = |v: f64| 0.1 * (v + 40.0) / (1.0 - (-(v + 40.0) / 10.0).exp());
    let e = Table1D::new(alpha, TableSpec::new(-100.1, 60.0, 0.1)).unwrap_err();
    let TableError::Inaccurate { column: 0, x, value, smooth, .. } = e else { panic!("{e}") };
    assert!((x + 40.0).abs() < 1e-12, "{x}");
    assert!((value - 1.0).abs() > 0.05, "{value}");
    // The closed form's limit at -40 is 1 (α = 0.1·10·u/(1 − e^{−u}) → 1 as u → 0).
    assert!((smooth - 1.0).abs() < 1e-6, "{smooth}");
    assert!(e.to_string().contains("loses its accuracy"), "{e}");
    // Cubic too.
    assert!(matches!(
        Table1D::new(alpha, TableSpec::new(-100.1, 60.0, 0.1).interp(Interp::CubicHermite)),
        Err(TableError::Inaccurate { .. })
    ));
    // Half a step on, the nearest grid point is 0.05 from the singularity: accepted, and
    // within the a-priori bound of the closed form over the cells around it.
    let t = Table1D::new(alpha, TableSpec::new(-100.05, 60.0, 0.1)).unwrap();
    let bound = 0.01 / 8.0 / 600.0 + 1e-15;
    for j in 0..=2000 {
        let v = -41.0 + j as f64 * 1e-3 + 1e-7;
        assert!((t.eval(v) - alpha(v)).abs() <= bound, "{v}: {} against {}", t.eval(v), alpha(v));
    }
}
