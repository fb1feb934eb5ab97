//! Name resolution and dimensional analysis: [`ModelAst`] → [`Model`].
//!
//! Every quantity is converted to internal units here, so the IR is plain f64 arithmetic.
//! Errors are collected (never the first only), and a sub-expression that already failed
//! yields `None` upwards without further messages, so one mistake gives one error.

mod expansion;
mod lower;
pub mod tables;

use crate::ast::*;
use crate::diag::{Ctxt, Diagnostic};
use crate::ir::{self, Ir, Model, Sym, Var};
use crate::span::{Name, Span};
use crate::units::{self, Dim};
use std::collections::HashMap;

/// The type of an expression: a number with a dimension, or a condition.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Ty {
    Num(Dim),
    Bool,
}

/// Where an expression is used: some symbols are only allowed in some places.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    /// A named expression, threshold, reset, clip, refractory period.
    General,
    /// The right-hand side of an equation (the noise term `xi` is allowed here).
    Equation,
}

/// Rust keywords that cannot be field names.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop",
    "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof",
    "unsized", "virtual", "yield", "try", "gen",
];

/// Whether `s` is a Rust keyword (strict or reserved), which cannot name a model or a variable.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// "has the dimension of voltage (mV)", "has the dimension mV*ms^(1/2)" (a dimension without a
/// name), or "is dimensionless".
fn has_dim(d: Dim) -> String {
    match d == Dim::DIMENSIONLESS {
        true => "is dimensionless".into(),
        false => format!("has {}", the_dim(d)),
    }
}

/// "the dimension of voltage (mV)", or "the dimension mV*ms^(1/2)" for one without a name.
fn the_dim(d: Dim) -> String {
    match d.name() {
        Some(_) => format!("the dimension of {}", d.describe()),
        None => format!("the dimension {}", d.internal_unit()),
    }
}

/// Symbols with a built-in meaning.
const BUILTINS: &[&str] = &["t", "pi", "e", "xi"];

struct Checker<'a> {
    cx: &'a Ctxt,
    scope: HashMap<String, (Sym, Dim)>,
    state: Vec<Var>,
    params: Vec<Var>,
    inputs: Vec<Var>,
    named: Vec<Var>,
    named_defs: Vec<Ir>,
    /// The written-out size of each named expression ([`expansion`]).
    named_written: Vec<expansion::Written>,
    /// Whether the front end already reported errors (then missing equations are not).
    parse_errors: bool,
    /// Each named expression's position among them (the first, for a repeated name).
    expr_order: HashMap<String, usize>,
    /// While named expressions are checked: the position and name of the one being checked.
    current_expr: Option<(usize, String)>,
    /// Whether the model came from a YAML file, whose sections and syntax the help texts
    /// should name (`state:`, `forcing:`), not the inline macro's.
    yaml: bool,
}

/// Checks a parsed model. Errors go into `cx`; returns `None` if any error was found.
pub fn check(ast: &ModelAst, cx: &Ctxt) -> Option<Model> {
    let errors_before = cx.len();
    let mut ck = Checker {
        cx,
        scope: HashMap::new(),
        state: Vec::new(),
        params: Vec::new(),
        inputs: Vec::new(),
        named: Vec::new(),
        named_defs: Vec::new(),
        named_written: Vec::new(),
        parse_errors: !cx.is_empty(),
        yaml: ast.origin != "inline",
        expr_order: HashMap::new(),
        current_expr: None,
    };
    let mut seen: HashMap<String, (Span, String)> = HashMap::new();
    ck.state = ck.declare(&ast.state, "state variable", &mut seen, Sym::State);
    ck.params = ck.declare(&ast.params, "parameter", &mut seen, Sym::Param);
    ck.inputs = ck.declare(&ast.inputs, "input", &mut seen, Sym::Input);

    // Named expressions, in order: each sees the ones before it.
    for (k, ne) in ast.exprs.iter().enumerate() {
        ck.expr_order.entry(ne.name.name.clone()).or_insert(k);
    }
    let mut named_defs = Vec::new();
    for (k, ne) in ast.exprs.iter().enumerate() {
        ck.current_expr = Some((k, ne.name.name.clone()));
        if !ck.check_name(&ne.name, "expression", &mut seen) {
            continue;
        }
        let Some((ir, dim)) = ck.num(&ne.expr, Place::General, "a named expression") else {
            cx.poison(&ne.name.name);
            continue;
        };
        let idx = ck.named.len();
        ck.named.push(Var {
            name: ne.name.name.clone(),
            dim,
            unit: dim.internal_unit(),
            user_unit: dim.internal_unit(),
            default: 0.0,
            doc: ne.doc.clone(),
        });
        ck.scope.insert(ne.name.name.clone(), (Sym::Named(idx), dim));
        ck.measure_named(&ir);
        named_defs.push(ir);
    }

    ck.current_expr = None;
    ck.named_defs = named_defs.clone();
    let rhs = ck.equations(ast);
    let threshold = ast.threshold.as_ref().and_then(|e| ck.condition(e, "the threshold"));
    let reset = ck.assignments(&ast.reset, &named_defs);
    let clip = ck.clips(&ast.clip);
    let refractory = ast.refractory.as_ref().and_then(|r| ck.refractory(r));
    let threshold = threshold
        .zip(ast.threshold.as_ref())
        .filter(|(e, c)| ck.within_bounds(e, c.span, "the threshold"))
        .map(|(e, _)| crate::diff::inline_named(&e, &named_defs));
    let tables = ast.tables.as_ref().and_then(|t| ck.tables(t));

    if cx.len() > errors_before {
        return None;
    }
    let model = Model {
        name: ast.name.name.clone(),
        vis: ast.vis.clone(),
        doc: ast.doc.clone(),
        origin: ast.origin.clone(),
        state: ck.state,
        params: ck.params,
        inputs: ck.inputs,
        named: ck.named,
        named_defs,
        rhs: rhs?,
        threshold,
        reset,
        clip,
        refractory,
        tables,
    };
    if let Some(t) = &ast.tables {
        tables::check_found(&model, t, cx);
    }
    (cx.len() == errors_before).then_some(model)
}

impl Checker<'_> {
    fn check_name(&self, name: &Name, what: &str, seen: &mut HashMap<String, (Span, String)>) -> bool {
        let n = name.name.as_str();
        if let Some(bare) = n.strip_prefix("r#") {
            // The generated field, `set_<name>` and `<name>_quantity` need a plain identifier.
            self.cx.push(
                Diagnostic::new(name.span, format!("raw identifiers such as `{n}` are not supported as names; rename this {what}")).note(
                    match is_keyword(bare) {
                        true => format!("help: for example to `{bare}_`"),
                        false => format!("help: write it without `r#`: `{bare}`"),
                    },
                ),
            );
            // Uses of the name are not reported again.
            self.cx.poison(n);
            return false;
        }
        if is_keyword(n) {
            self.cx.error(name.span, format!("`{n}` is a Rust keyword and cannot name a {what}; choose another name"));
            self.cx.poison(n);
            return false;
        }
        if BUILTINS.contains(&n) && n != "e" && n != "pi" {
            let meaning = if n == "t" { "time" } else { "the white-noise term" };
            self.cx.error(name.span, format!("`{n}` is reserved: it means {meaning} in equations; choose another name for this {what}"));
            self.cx.poison(n);
            return false;
        }
        if let Some((_, first)) = seen.get(n) {
            let a = |w: &str| if w.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
            let how = match *first == what {
                true => format!("twice as {} {what}", a(what)),
                false => format!("as {} {first} and as {} {what}", a(first), a(what)),
            };
            self.cx.push(Diagnostic::new(
                name.span,
                format!("`{n}` is declared {how}; every state variable, parameter, input and expression needs its own name"),
            ));
            return false;
        }
        seen.insert(n.to_string(), (name.span, what.to_string()));
        true
    }

    fn declare(&mut self, decls: &[Decl], what: &str, seen: &mut HashMap<String, (Span, String)>, sym: fn(usize) -> Sym) -> Vec<Var> {
        let mut out = Vec::new();
        for d in decls {
            if !self.check_name(&d.name, what, seen) {
                continue;
            }
            let (value, dim) = match units::quantity_value(&d.value) {
                Ok(v) => v,
                Err(e) => {
                    self.cx.push(e);
                    self.cx.poison(&d.name.name);
                    continue;
                }
            };
            let idx = out.len();
            self.scope.insert(d.name.name.clone(), (sym(idx), dim));
            out.push(Var {
                name: d.name.name.clone(),
                dim,
                unit: dim.internal_unit(),
                user_unit: d.value.unit.as_ref().map_or_else(|| "1".into(), crate::ast::unit_to_text),
                default: value,
                doc: d.doc.clone(),
            });
        }
        out
    }

    fn all_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.scope.keys().cloned().collect();
        v.extend(BUILTINS.iter().map(|s| s.to_string()));
        v.sort();
        v
    }

    fn equations(&mut self, ast: &ModelAst) -> Option<Vec<Ir>> {
        let mut rhs: Vec<Option<Ir>> = vec![None; self.state.len()];
        let mut ok = true;
        for eq in &ast.equations {
            let Some(&(Sym::State(i), xdim)) = self.scope.get(&eq.var.name) else {
                ok = false;
                if self.cx.is_poisoned(&eq.var.name) || (self.state.is_empty() && self.parse_errors) {
                    continue;
                }
                let mut d = match self.scope.get(&eq.var.name) {
                    Some((s, _)) => Diagnostic::new(
                        eq.var.span,
                        format!("`{}` is {}, not a state variable: only state variables have equations", eq.var.name, sym_kind(*s)),
                    ),
                    None => Diagnostic::new(eq.var.span, format!("equation for `{}`, which is not a declared state variable", eq.var.name)),
                };
                let states: Vec<&str> =
                    self.state.iter().map(|v| v.name.as_str()).filter(|n| !ast.equations.iter().any(|e| e.var.name == *n)).collect();
                if let Some(s) = units::closest(&eq.var.name, states.iter().copied()) {
                    d = d.note(format!("help: did you mean `{s}`?"));
                }
                d = d.note(if self.yaml {
                    format!("help: declare it under `state:`, as `{}: <initial value>`", eq.var.name)
                } else {
                    format!("help: declare it in `state {{ {}: <initial value> }}`", eq.var.name)
                });
                self.cx.push(d);
                ok = false;
                continue;
            };
            if rhs[i].is_some() {
                self.cx.error(eq.var.span, format!("`{}` has two equations; each state variable has exactly one", eq.var.name));
                ok = false;
                continue;
            }
            let x = Ir::Var(Sym::State(i));
            let expected = xdim / Dim::TIME;
            let var = &eq.var.name;
            let r = match &eq.kind {
                EquationKind::Derivative(e) => self.num(e, Place::Equation, "an equation").and_then(|(ir, d)| {
                    if d == expected {
                        Some(ir)
                    } else {
                        let mut diag = Diagnostic::new(
                            e.span,
                            format!("d{var}/dt {}, expected {}, the dimension of `{var}` per time", has_dim(d), expected.describe()),
                        );
                        if d == xdim {
                            diag = diag.note(format!("help: this is the dimension of `{var}` itself; divide by a time constant"));
                        } else if d / expected == Dim::CAPACITANCE {
                            diag = diag.note("help: a current changes a voltage through a capacitance: divide by C");
                        }
                        self.cx.push(diag);
                        None
                    }
                }),
                EquationKind::InfTau { inf, tau } => {
                    let a = self.expect_dim(inf, xdim, &format!("`inf` of `{var}`"), &format!("the dimension of `{var}` itself"));
                    let b = self.expect_dim(tau, Dim::TIME, &format!("`tau` of `{var}`"), "");
                    match (a, b) {
                        (Some(a), Some(b)) => Some(Ir::Div(Box::new(Ir::Sub(Box::new(a), Box::new(x))), Box::new(b))),
                        _ => None,
                    }
                }
                EquationKind::AlphaBeta { alpha, beta } => {
                    if xdim != Dim::DIMENSIONLESS {
                        self.cx.error(
                            eq.var.span,
                            format!("the alpha/beta form needs a dimensionless gating variable, but `{var}` is {}", xdim.describe()),
                        );
                    }
                    let rate = Dim::TIME.recip();
                    let a = self.expect_dim(alpha, rate, &format!("`alpha` of `{var}`"), "");
                    let b = self.expect_dim(beta, rate, &format!("`beta` of `{var}`"), "");
                    match (a, b) {
                        (Some(a), Some(b)) if xdim == Dim::DIMENSIONLESS => Some(Ir::Sub(
                            Box::new(Ir::Mul(Box::new(a), Box::new(Ir::Sub(Box::new(Ir::Const(1.0)), Box::new(x.clone()))))),
                            Box::new(Ir::Mul(Box::new(b), Box::new(x))),
                        )),
                        _ => None,
                    }
                }
            };
            // Bounded before it is written out, here and for the derivatives.
            let r = r.filter(|r| self.within_bounds(r, eq.span, &format!("the equation of `{var}`")));
            // The noise term must enter linearly: dX = f dt + g dW.
            let r = r.filter(|r| {
                let inlined = crate::diff::inline_named(r, &self.named_defs);
                let linear = !inlined.uses(|s| s == Sym::Noise) || crate::diff::linear_form(&inlined, Sym::Noise).is_some();
                if !linear {
                    let span = match &eq.kind {
                        EquationKind::Derivative(e) => e.span,
                        _ => eq.span,
                    };
                    self.cx.error(span, format!("the noise term `xi` must enter d{var}/dt linearly, as in `... + sigma*xi`"));
                }
                linear
            });
            match r {
                Some(r) => rhs[i] = Some(r),
                None => ok = false,
            }
        }
        let mut out = Vec::new();
        for (i, r) in rhs.into_iter().enumerate() {
            match r {
                Some(r) => out.push(r),
                None => {
                    // After a syntax error an equation may simply have failed to parse.
                    if !self.parse_errors && (ok || !ast.equations.iter().any(|e| e.var.name == self.state[i].name)) {
                        let span = ast.state.iter().find(|d| d.name.name == self.state[i].name).map_or(ast.name.span, |d| d.name.span);
                        let n = &self.state[i].name;
                        let add = if self.yaml {
                            format!("add `{n}: <d{n}/dt>` (or a mapping `{{inf: ..., tau: ...}}`) under `equations:`")
                        } else {
                            format!("add `d{n}/dt = ...` (or `{n}: inf = ..., tau = ...`) to `equations`")
                        };
                        self.cx.error(span, format!("state variable `{n}` has no equation: {add}"));
                    }
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    fn expect_dim(&mut self, e: &Expr, want: Dim, what: &str, meaning: &str) -> Option<Ir> {
        let (ir, d) = self.num(e, Place::General, what)?;
        if d != want {
            let meaning = if meaning.is_empty() { String::new() } else { format!(", {meaning}") };
            self.cx.error(e.span, format!("{what} {}, expected {}{meaning}", has_dim(d), want.describe()));
            return None;
        }
        Some(ir)
    }

    fn condition(&mut self, e: &Expr, what: &str) -> Option<Ir> {
        match self.lower(e, Place::General)? {
            (ir, Ty::Bool) => Some(ir),
            (_, Ty::Num(d)) => {
                self.cx.error(
                    e.span,
                    format!("{what} must be a condition such as `v >= 30 mV`; `{}` is {}, not a condition", e.to_text(), d.describe()),
                );
                None
            }
        }
    }

    fn state_var(&self, n: &Name, what: &str) -> Option<usize> {
        match self.scope.get(&n.name) {
            Some(&(Sym::State(i), _)) => Some(i),
            Some(&(s, _)) => {
                self.cx.error(n.span, format!("`{}` is {}; only state variables can be {what}", n.name, sym_kind(s)));
                None
            }
            None => {
                self.unknown(n);
                None
            }
        }
    }

    fn assignments(&mut self, assigns: &[Assign], named_defs: &[Ir]) -> Vec<(usize, Ir)> {
        let mut out = Vec::new();
        for a in assigns {
            let idx = self.state_var(&a.var, "reset");
            let val = self.num(&a.expr, Place::General, "a reset value");
            if let (Some(i), Some((ir, d))) = (idx, val) {
                let want = self.state[i].dim;
                if d != want && !self.any_zero(&a.expr) {
                    let msg = format!(
                        "reset of `{}` to {}, but `{}` is {}",
                        a.var.name,
                        match d == Dim::DIMENSIONLESS {
                            true => "a dimensionless value".to_string(),
                            false => format!("a value with {}", the_dim(d)),
                        },
                        a.var.name,
                        want.describe()
                    );
                    self.cx.push(self.with_unitless_help(Diagnostic::new(a.expr.span, msg), &[&a.expr]));
                } else if self.within_bounds(&ir, a.expr.span, &format!("the reset of `{}`", a.var.name)) {
                    out.push((i, crate::diff::inline_named(&ir, named_defs)));
                }
            }
        }
        out
    }

    fn clips(&mut self, clips: &[Clip]) -> Vec<ir::ClipIr> {
        let mut out = Vec::new();
        for c in clips {
            let idx = self.state_var(&c.var, "clipped");
            let val = self.num(&c.bound, Place::General, "a clip bound");
            if let (Some(i), Some((ir, d))) = (idx, val) {
                let want = self.state[i].dim;
                if d != want && !self.any_zero(&c.bound) {
                    let msg = format!("clip bound of `{}` {}, but `{}` is {}", c.var.name, has_dim(d), c.var.name, want.describe());
                    self.cx.push(self.with_unitless_help(Diagnostic::new(c.bound.span, msg), &[&c.bound]));
                } else if ir.uses_state() {
                    self.cx.error(c.bound.span, "a clip bound must not depend on state variables");
                } else {
                    out.push(ir::ClipIr { var: i, upper: c.upper, bound: ir });
                }
            }
        }
        out
    }

    fn refractory(&mut self, r: &Refractory) -> Option<(Ir, Vec<usize>)> {
        let period = self.expect_dim(&r.period, Dim::TIME, "the refractory period", "");
        let mut hold = Vec::new();
        for h in &r.hold {
            if let Some(i) = self.state_var(h, "held during the refractory period") {
                hold.push(i);
            }
        }
        let period = period?;
        if period.uses(|s| !matches!(s, Sym::Param(_))) {
            self.cx.error(
                r.period.span,
                "the refractory period may only use parameters and constants (not state, inputs, expressions or time)",
            );
            return None;
        }
        Some((period, hold))
    }

    fn unknown(&self, n: &Name) {
        if self.cx.is_poisoned(&n.name) {
            return;
        }
        if let Some((at, current)) = &self.current_expr
            && let Some(&k) = self.expr_order.get(&n.name)
            && k >= *at
        {
            let d = match k == *at {
                true => Diagnostic::new(n.span, format!("the expression `{current}` uses itself"))
                    .note("help: an expression is computed from state variables, parameters, inputs and the expressions before it"),
                false => Diagnostic::new(
                    n.span,
                    format!("`{}` is defined after `{current}`: an expression can only use the expressions before it", n.name),
                )
                .note(format!("help: move `{}` before `{current}` (unless it uses `{current}` too: that would be a cycle)", n.name)),
            };
            self.cx.push(d);
            return;
        }
        let mut d = Diagnostic::new(n.span, format!("unknown symbol `{}`", n.name));
        let names = self.all_names();
        if let Some(s) = units::closest(&n.name, names.iter().map(String::as_str)) {
            d = d.note(format!("help: did you mean `{s}`?"));
        } else if units::lookup_unit(&n.name).is_some() {
            d = d.note(format!("help: `{0}` is a unit; units follow a number, as in `1 {0}`", n.name));
        } else {
            d = d.note(if self.yaml {
                "help: declare it under `parameters:`, `state:` or `forcing:`"
            } else {
                "help: declare it in `parameters`, `state`, `inputs` or `expressions`"
            });
        }
        self.cx.push(d);
    }

    /// Lowers a numeric expression.
    fn num(&mut self, e: &Expr, place: Place, what: &str) -> Option<(Ir, Dim)> {
        match self.lower(e, place)? {
            (ir, Ty::Num(d)) => Some((ir, d)),
            (_, Ty::Bool) => {
                self.cx.error(e.span, format!("{what} must be a number, found a condition"));
                None
            }
        }
    }
}

fn sym_kind(s: Sym) -> &'static str {
    match s {
        Sym::State(_) => "a state variable",
        Sym::Param(_) => "a parameter",
        Sym::Input(_) => "an input",
        Sym::Named(_) => "a named expression",
        Sym::Time => "time",
        Sym::Noise => "the noise term",
        Sym::Table(_) => "a tabulated function",
    }
}

/// The messages of the errors of parsing and checking the inline model `src` (for tests).
#[cfg(test)]
pub(crate) fn error_messages(src: &str) -> Vec<String> {
    let cx = Ctxt::new();
    if let Some(ast) = crate::parse_tokens::parse_model(src.parse().expect("model tokens"), &cx) {
        let _ = check(&ast, &cx);
    }
    cx.take().into_iter().map(|d| d.message).collect()
}
