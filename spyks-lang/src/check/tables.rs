//! Checks a `tables` declaration: the variable, the dimensions of range and step, the grid
//! size and the options.

use super::{Checker, sym_kind};
use crate::ast::TablesAst;
use crate::diag::Ctxt;
use crate::diff;
use crate::ir::{Ir, Model, Outside, Sym, TablesIr};
use crate::units;

/// The most grid points a table may have: `spyks_core::table::MAX_POINTS` (2²⁰), which the
/// runtime checks again.
pub const MAX_POINTS: f64 = (1u64 << 20) as f64;

/// The interpolation options.
pub(crate) const INTERP: &[&str] = &["linear", "cubic"];
/// The options for values outside the range.
pub(crate) const OUTSIDE: &[&str] = &["exact", "extend", "clamp"];

impl Checker<'_> {
    pub(super) fn tables(&self, t: &TablesAst) -> Option<TablesIr> {
        let var = match self.scope.get(&t.var.name) {
            Some(&(s @ (Sym::State(_) | Sym::Input(_)), dim)) => Some((s, dim)),
            Some(&(s, _)) => {
                self.cx.error(
                    t.var.span,
                    format!(
                        "`{}` is {}; tables are over a state variable or an input (such as the membrane potential)",
                        t.var.name,
                        sym_kind(s)
                    ),
                );
                None
            }
            None => {
                self.unknown(&t.var);
                None
            }
        };
        let value = |q: &crate::ast::Quantity, what: &str| -> Option<f64> {
            let (v, d) = match units::quantity_value(q) {
                Ok(v) => v,
                Err(e) => {
                    self.cx.push(e);
                    return None;
                }
            };
            let (_, want) = var?;
            if d != want {
                self.cx.error(q.span, format!("the table's {what} {}, but `{}` is {}", super::has_dim(d), t.var.name, want.describe()));
                return None;
            }
            Some(v)
        };
        let (lo, hi, step) = (value(&t.lo, "lower end"), value(&t.hi, "upper end"), value(&t.step, "step"));
        let mut cubic = false;
        let mut outside = Outside::Exact;
        let (mut seen_interp, mut seen_outside) = (false, false);
        let mut ok = true;
        for o in &t.options {
            let n = o.name.as_str();
            let twice = |what: &str| format!("`{n}`: the {what} is given twice");
            if INTERP.contains(&n) {
                if seen_interp {
                    self.cx.error(o.span, twice("interpolation"));
                    ok = false;
                }
                seen_interp = true;
                cubic = n == "cubic";
            } else if OUTSIDE.contains(&n) {
                if seen_outside {
                    self.cx.error(o.span, twice("behaviour outside the range"));
                    ok = false;
                }
                seen_outside = true;
                outside = match n {
                    "extend" => Outside::Extend,
                    "clamp" => Outside::Clamp,
                    _ => Outside::Exact,
                };
            } else {
                let mut d = crate::diag::Diagnostic::new(
                    o.span,
                    format!(
                        "unknown table option `{n}`: the interpolation is `linear` or `cubic`, outside the range `exact`, `extend` or `clamp`"
                    ),
                );
                if let Some(c) = units::closest(n, INTERP.iter().chain(OUTSIDE).copied()) {
                    d = d.note(format!("help: did you mean `{c}`?"));
                }
                self.cx.push(d);
                ok = false;
            }
        }
        let (var, lo, hi, step) = (var?, lo?, hi?, step?);
        if !(step > 0.0 && step.is_finite()) {
            self.cx.error(t.step.span, "the table's step must be positive");
            return None;
        }
        // Declared values are finite numbers, so `>=` also covers every empty range.
        if lo >= hi {
            self.cx.error(t.lo.span.join(t.hi.span), "the table's range is empty: the lower end must be below the upper end");
            return None;
        }
        let points = ((hi - lo) / step * (1.0 - 1e-12)).ceil() + 1.0;
        if points > MAX_POINTS {
            self.cx.push(
                crate::diag::Diagnostic::new(
                    t.step.span,
                    format!("this step gives {points} grid points, more than the maximum of {MAX_POINTS}"),
                )
                .note("help: a coarser step, or cubic interpolation, which reaches the same accuracy with far fewer points"),
            );
            return None;
        }
        ok.then_some(TablesIr { var: var.0, lo, hi, step, cubic, outside })
    }
}

/// The deterministic right-hand sides as code generation sees them (named expressions inlined,
/// noise zero, simplified) and the exponential-Euler linearity of each variable.
pub fn deterministic(m: &Model) -> (Vec<Ir>, Vec<bool>) {
    let det: Vec<Ir> = m
        .rhs
        .iter()
        .map(|r| diff::simplify(diff::substitute(&diff::simplify(diff::inline_named(r, &m.named_defs)), Sym::Noise, &Ir::Const(0.0))))
        .collect();
    let linear = det.iter().enumerate().map(|(i, r)| diff::linear_form(r, Sym::State(i)).is_some()).collect();
    (det, linear)
}

/// Checks that the model has something to tabulate and that every tabulated function is
/// finite on the whole grid with the default parameters, with the derivatives a cubic table
/// takes from them (so `new()` always gets its tables).
pub(super) fn check_found(m: &Model, t: &TablesAst, cx: &Ctxt) {
    let Some(tir) = &m.tables else { return };
    let (det, linear) = deterministic(m);
    let tab = crate::tabulate::tabulate(&det, &linear, tir.var);
    if tab.funcs.is_empty() {
        cx.push(
            crate::diag::Diagnostic::new(
                t.span,
                format!("nothing to tabulate: no equation has a rate function of `{}` alone (an `exp`, `tanh`, ... or a division depending on it and on parameters only)", t.var.name),
            )
            .note("help: remove the `tables` section"),
        );
        return;
    }
    let mut state: Vec<f64> = m.state.iter().map(|v| v.default).collect();
    let mut inputs: Vec<f64> = m.inputs.iter().map(|v| v.default).collect();
    let params: Vec<f64> = m.params.iter().map(|v| v.default).collect();
    // The table's variable: a state variable or an input (the checker admits no other).
    let (Sym::State(_) | Sym::Input(_)) = tir.var else { return };
    let mut values = |x: f64| -> Vec<f64> {
        match tir.var {
            Sym::State(j) => state[j] = x,
            Sym::Input(j) => inputs[j] = x,
            _ => {}
        }
        let env = crate::eval::Env { state: &state, params: &params, inputs: &inputs, ..Default::default() };
        tab.funcs.iter().map(|f| crate::eval::eval(f, &env)).collect()
    };
    let unit = m.state.iter().chain(&m.inputs).find(|v| v.name == t.var.name).map_or(String::new(), |v| v.unit.clone());
    let (name, span) = (&t.var.name, t.span);
    let text = |f: usize| crate::tabulate::to_text(&tab.funcs[f], m);
    let help = "help: narrow the range, or rewrite the function without the singularity (as `x/expm1(x)` with its limit at 0)";
    // A cubic table takes each grid point's derivatives from a fourth-order central difference
    // with step h/16 (`TableSet::new` in spyks-core, which this must follow), so its functions must also be finite at x ± h/16 and
    // x ± h/8 around every grid point, and so must the difference.
    let d = tir.step / 16.0;
    let cells = ((tir.hi - tir.lo) / tir.step * (1.0 - 1e-12)).ceil().max(1.0) as usize;
    let mut window: std::collections::VecDeque<(f64, Vec<f64>)> = std::collections::VecDeque::with_capacity(6);
    for i in 0..=cells {
        let x = tir.lo + i as f64 * tir.step;
        let v = values(x);
        if let Some(f) = v.iter().position(|v| !v.is_finite()) {
            let msg = format!(
                "the tabulated function `{}` is {} at {name} = {x} {unit} (with the default parameters): a table needs finite values on its whole range",
                text(f),
                v[f]
            );
            return cx.push(crate::diag::Diagnostic::new(span, msg).note(help));
        }
        // Rounding at a grid point: point i - 2 tested first against its grid neighbours (the
        // finer test only where they disagree), the two points at either end by the finer test.
        window.push_back((x, v.clone()));
        if window.len() > 5 {
            window.pop_front();
        }
        let mut found = None;
        if window.len() == 5 {
            let (xj, vj) = &window[2];
            let grid = |f: usize| [window[0].1[f], window[1].1[f], window[3].1[f], window[4].1[f]];
            if (0..vj.len()).any(|f| off_smooth(vj[f], grid(f)).is_some()) {
                found = ill_conditioned(&mut values, vj, *xj, tir.step / 1024.0).map(|r| (*xj, r));
            }
        }
        if found.is_none() && (i < 2 || i + 2 > cells) {
            found = ill_conditioned(&mut values, &v, x, tir.step / 1024.0).map(|r| (x, r));
        }
        if let Some((xj, (f, value, smooth))) = found {
            let msg = format!(
                "the tabulated function `{}` is {value} at {name} = {xj} {unit} (with the default parameters), but {smooth} as interpolated from its values at ± {} and ± {} {unit} from there: it loses its accuracy at this grid point, and a table would spread the error over the cells on both sides",
                text(f),
                tir.step / 1024.0,
                tir.step / 512.0
            );
            let note = "help: a removable singularity near a grid point (as (v - c)/(1 - exp(-(v - c)/k)) near v = c) is computed accurately as `x/expm1(x)` with `if x == 0` giving its limit; or move the range so that no grid point is near it";
            return cx.push(crate::diag::Diagnostic::new(span, msg).note(note));
        }
        if !tir.cubic {
            continue;
        }
        let near = [x - 2.0 * d, x - d, x + d, x + 2.0 * d].map(|y| (y, values(y)));
        let slope = |f: usize| (near[0].1[f] - 8.0 * near[1].1[f] + 8.0 * near[2].1[f] - near[3].1[f]) / (12.0 * d);
        if let Some(f) = (0..v.len()).find(|&f| !slope(f).is_finite()) {
            let why = match near.iter().find(|(_, v)| !v[f].is_finite()) {
                Some((y, v)) => format!("the function is {} at {y} {unit}", v[f]),
                None => format!("their difference is {}", slope(f)),
            };
            let msg = format!(
                "the derivative of the tabulated function `{}` at {name} = {x} {unit} is not finite (with the default parameters): a cubic table takes it from the values at {x} ± {d} and ± {} {unit}, and {why}",
                text(f),
                2.0 * d
            );
            return cx.push(crate::diag::Diagnostic::new(span, msg).note(help));
        }
    }
}

/// The smooth value s = (f(x−δ) + f(x+δ))·4/6 − (f(x−2δ) + f(x+2δ))/6 from the values at
/// x − 2δ, x − δ, x + δ, x + 2δ (`near`), if `value` = f(x) is off it by more than 10⁻⁶ of the
/// five values (s errs by δ⁴/6·|f''''| where f is smooth).
fn off_smooth(value: f64, near: [f64; 4]) -> Option<f64> {
    let [a, b, c, e] = near;
    let s = (4.0 * (b + c) - (a + e)) / 6.0;
    let scale = [value, a, b, c, e].iter().fold(0.0f64, |m, y| m.max(y.abs()));
    (s.is_finite() && (value - s).abs() > 1e-6 * scale).then_some(s)
}

/// A tabulated function whose value at grid point `x` is off its neighbours by rounding: the
/// smooth value s(δ) of [`off_smooth`] (δ = h/1024) errs by δ⁴/6·|f''''|, so s(2δ) − s(δ) is 15
/// times f(x) − s(δ) where f is smooth, but small beside it where f(x) alone is wrong: a
/// removable singularity written without its limit, 0/0 cancelling to a few digits within
/// 10⁻⁹ of the grid point, which the exact model meets only there but a table would read over
/// two cells. Flagged when f(x) is off s(δ) by more than 10⁻⁶ of the values and s(2δ) by less
/// than a quarter of that. The column, f(x) and s(δ). The grid's own points serve as a first,
/// coarser test (δ = h) in `check_found`, so this one runs only where that one fails.
fn ill_conditioned(values: &mut impl FnMut(f64) -> Vec<f64>, v: &[f64], x: f64, delta: f64) -> Option<(usize, f64, f64)> {
    let near = [-4.0, -2.0, -1.0, 1.0, 2.0, 4.0].map(|k| values(x + k * delta));
    (0..v.len()).find_map(|f| {
        let [a4, a2, a1, b1, b2, b4] = std::array::from_fn(|j| near[j][f]);
        let s1 = off_smooth(v[f], [a2, a1, b1, b2])?;
        let s2 = (4.0 * (a2 + b2) - (a4 + b4)) / 6.0;
        (s2.is_finite() && (s2 - s1).abs() < (v[f] - s1).abs() / 4.0).then_some((f, v[f], s1))
    })
}
