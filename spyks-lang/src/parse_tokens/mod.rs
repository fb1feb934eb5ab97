//! The inline front end: parses the tokens of `neuron_model! { ... }` into a [`ModelAst`].
//!
//! ```text
//! /// Doc comment: becomes the rustdoc of the generated type.
//! pub model Izhikevich;
//! parameters { a: 0.02 1/ms, b: 0.2 1/ms, c: -65 mV, d: 8 mV/ms }
//! state      { v: -65 mV, u: -13 mV/ms }
//! inputs     { I: 0 mV/ms }
//! expressions { v_rel = v - c }
//! equations {
//!     dv/dt = 0.04 1/(ms*mV) * v^2 + 5 1/ms * v + 140 mV/ms - u + I,
//!     du/dt = a * (b*v - u),
//! }
//! threshold  { v >= 30 mV }
//! reset      { v = c, u = u + d }
//! clip       { v <= 30 mV }
//! refractory { period = 2 ms, hold = [v] }
//! tables     { v: -100 mV .. 60 mV step 0.05 mV, linear, exact }
//! ```
//!
//! Sections may come in any order; items are separated by `,` (or `;`). Kinetic shorthands:
//! `m: inf = expr, tau = expr` and `m: alpha = expr, beta = expr`. Inside expressions a unit
//! may follow a number directly (`-65 mV`, `0.04 1/(ms*mV)`, `2 (mS/cm^2)`); a unit written
//! after a number binds one unit term, so compound units in expressions need parentheses.
//! In declarations (`g_na: 120 mS/cm^2`) everything after the number is the unit.
//!
//! The parser recovers at every item separator, so all syntax errors of a model are reported
//! together.

mod cursor;
mod expr;
mod tables;
mod units;

use self::cursor::{PResult, Toks, describe, err, ident_name, sp, split_args, split_items, split_items_at, take_docs};
use self::expr::expr;
use self::units::decl_quantity;
use crate::ast::*;
use crate::diag::{Ctxt, Diagnostic};
use crate::span::{Name, Span};
use proc_macro2::{Delimiter, Spacing, Span as TokenSpan, TokenStream, TokenTree};

thread_local! {
    /// Names declared by the model being parsed, so that `2 mV * V` reads `V` as a variable
    /// when the model declares one.
    static DECLARED: std::cell::RefCell<std::collections::HashSet<String>> = Default::default();
}

/// The name each item of a declaring section's body declares: its first identifier (doc
/// attributes come before it), whether or not the rest of the item parses.
fn item_names(body: TokenStream) -> impl Iterator<Item = String> {
    split_items(body).into_iter().filter_map(|item| {
        item.into_iter().find_map(|t| match t {
            TokenTree::Ident(i) => Some(i.to_string()),
            _ => None,
        })
    })
}

/// Collects the names declared in `parameters`, `state`, `inputs` and `expressions`.
fn prescan_declared(input: &TokenStream) -> std::collections::HashSet<String> {
    let mut names = std::collections::HashSet::new();
    let toks: Vec<TokenTree> = input.clone().into_iter().collect();
    for w in toks.windows(2) {
        if let (TokenTree::Ident(sec), TokenTree::Group(g)) = (&w[0], &w[1])
            && DECLARING.contains(&sec.to_string().as_str())
        {
            names.extend(item_names(g.stream()));
        }
    }
    names
}

const SECTIONS: &[&str] =
    &["parameters", "state", "inputs", "expressions", "equations", "threshold", "reset", "clip", "refractory", "tables"];

/// The sections that declare names.
const DECLARING: &[&str] = &["parameters", "state", "inputs", "expressions"];

/// Other words for sections, too far from the section's name for a spelling suggestion.
const SECTION_ALIASES: &[(&str, &str)] = &[
    ("params", "parameters"),
    ("param", "parameters"),
    ("pars", "parameters"),
    ("constants", "parameters"),
    ("states", "state"),
    ("variables", "state"),
    ("vars", "state"),
    ("input", "inputs"),
    ("forcing", "inputs"),
    ("exprs", "expressions"),
    ("expression", "expressions"),
    ("eqs", "equations"),
    ("odes", "equations"),
    ("spike", "threshold"),
    ("predicate", "threshold"),
    ("refractory_period", "refractory"),
    ("table", "tables"),
];

/// Parses the whole macro input. Errors go into `cx`; returns `None` when no model header
/// could be read.
pub fn parse_model(input: TokenStream, cx: &Ctxt) -> Option<ModelAst> {
    DECLARED.with(|d| *d.borrow_mut() = prescan_declared(&input));
    let mut t = Toks::new(input, TokenSpan::call_site());
    let header = match header(&mut t) {
        Ok(h) => h,
        Err(d) => {
            cx.push(d);
            return None;
        }
    };
    let (doc, vis, mut name) = header;
    if let Some(bare) = name.name.strip_prefix("r#") {
        let bare = bare.to_string();
        cx.push(
            Diagnostic::new(
                name.span,
                format!("raw identifiers such as `{}` are not supported as model names; rename the model", name.name),
            )
            .note(match crate::check::is_keyword(&bare) {
                true => format!("help: for example to `{}Model`", bare[..1].to_uppercase() + &bare[1..]),
                false => format!("help: write it without `r#`: `{bare}`"),
            }),
        );
        if crate::check::is_keyword(&bare) {
            // No fallback type can carry this name.
            return None;
        }
        name.name = bare;
    } else if crate::check::is_keyword(&name.name) {
        cx.error(name.span, format!("`{}` is a Rust keyword and cannot name a model; choose another name", name.name));
        return None;
    }
    let mut m = ModelAst::empty(name, vis, doc, "inline".into());
    let mut seen: Vec<(String, Span)> = Vec::new();
    while !t.at_end() {
        let sec = match ident_name(&mut t, "a section such as `parameters { ... }`") {
            Ok(n) => n,
            Err(d) => {
                cx.push(d);
                return Some(m);
            }
        };
        // `threshold: expr` style is accepted too: skip an optional colon.
        let body = match t.next() {
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => g,
            other => {
                cx.error(other.as_ref().map_or(sec.span, |x| sp(x.span())), format!("expected `{{ ... }}` after `{}`", sec.name));
                return Some(m);
            }
        };
        if !SECTIONS.contains(&sec.name.as_str()) {
            let mut d = Diagnostic::new(sec.span, format!("unknown section `{}`", sec.name));
            let guess = crate::units::closest(&sec.name, SECTIONS.iter().copied())
                .or_else(|| SECTION_ALIASES.iter().find(|(a, _)| *a == sec.name).map(|(_, s)| *s));
            if let Some(s) = guess {
                d = d.note(format!("help: did you mean `{s}`?"));
            }
            cx.push(d.note(format!("the sections are: {}", SECTIONS.join(", "))));
            // The names it declares are taken as declared, so that their uses are not
            // reported as unknown symbols too.
            if guess.is_none_or(|s| DECLARING.contains(&s)) {
                item_names(body.stream()).for_each(|n| cx.poison(&n));
            }
            continue;
        }
        if let Some((_, _)) = seen.iter().find(|(n, _)| *n == sec.name) {
            cx.error(sec.span, format!("section `{}` appears twice; merge them into one", sec.name));
            continue;
        }
        seen.push((sec.name.clone(), sec.span));
        let close = body.span_close();
        match sec.name.as_str() {
            "parameters" => m.params = decls(body.stream(), close, cx),
            "state" => m.state = decls(body.stream(), close, cx),
            "inputs" => m.inputs = decls(body.stream(), close, cx),
            "expressions" => m.exprs = named_exprs(body.stream(), close, cx),
            "equations" => m.equations = equations(body.stream(), close, cx),
            "threshold" => {
                let mut bt = Toks::new(body.stream(), close);
                match expr(&mut bt).and_then(|e| bt.expect_end("after the threshold condition").map(|_| e)) {
                    Ok(e) => m.threshold = Some(e),
                    Err(d) => cx.push(d),
                }
            }
            "reset" => m.reset = assigns(body.stream(), close, cx),
            "clip" => m.clip = clips(body.stream(), close, cx),
            "refractory" => m.refractory = refractory(body.stream(), sp(body.span()), close, cx),
            "tables" => m.tables = tables::tables(body.stream(), sp(body.span()), close, cx),
            _ => unreachable!(),
        }
    }
    // A reset or a refractory period happens at a spike, which only a threshold defines.
    if !seen.iter().any(|(n, _)| n == "threshold")
        && let Some((n, at)) = seen.iter().find(|(n, _)| n == "reset" || n == "refractory")
    {
        cx.push(
            Diagnostic::new(*at, format!("a `{n}` section needs a `threshold` section: without a spike condition it never happens"))
                .note("help: add the spike condition, for example `threshold { v >= -50 mV }`"),
        );
    }
    Some(m)
}

/// `[docs] [vis] model Name;`
fn header(t: &mut Toks) -> PResult<(Vec<String>, TokenStream, Name)> {
    let doc = take_docs(t)?;
    let mut vis = TokenStream::new();
    if t.is_ident(0, "pub") {
        vis.extend(t.next());
        if let Some(TokenTree::Group(g)) = t.peek()
            && g.delimiter() == Delimiter::Parenthesis
        {
            vis.extend(t.next());
        }
    }
    if !(t.is_ident(0, "model") || t.is_ident(0, "struct")) {
        return err(
            t.span(),
            format!("a model starts with `model Name;` (optionally with doc comments and `pub`), found {}", describe(t.peek())),
        );
    }
    t.next();
    let name = ident_name(t, "the model's type name")?;
    t.expect_op(";", "after the model name")?;
    Ok((doc, vis, name))
}

/// Marks the name an item declares as failed, so its uses do not cascade into more errors.
fn poison_item(item: &[TokenTree], cx: &Ctxt) {
    if let Some(TokenTree::Ident(i)) = item.iter().find(|t| matches!(t, TokenTree::Ident(_))) {
        cx.poison(&i.to_string());
    }
}

/// `[docs] name: quantity` items.
fn decls(ts: TokenStream, close: TokenSpan, cx: &Ctxt) -> Vec<Decl> {
    let mut out = Vec::new();
    for (item, end) in split_items_at(ts, close) {
        let mut t = Toks::from_vec(item, end);
        let r = (|| {
            let doc = take_docs(&mut t)?;
            let name = ident_name(&mut t, "a name")?;
            t.expect_op(":", &format!("after `{0}`: a declaration reads `{0}: <number> <unit>`", name.name))?;
            let value = decl_quantity(&mut t)?;
            Ok(Decl { name, value, doc })
        })();
        match r {
            Ok(d) => out.push(d),
            Err(d) => {
                poison_item(&t.toks, cx);
                cx.push(d)
            }
        }
    }
    out
}

/// `[docs] name = expr` items.
fn named_exprs(ts: TokenStream, close: TokenSpan, cx: &Ctxt) -> Vec<NamedExpr> {
    let mut out = Vec::new();
    for (item, end) in split_items_at(ts, close) {
        let mut t = Toks::from_vec(item, end);
        let r = (|| {
            let doc = take_docs(&mut t)?;
            let name = ident_name(&mut t, "a name")?;
            t.expect_op("=", &format!("after `{}`", name.name))?;
            let e = expr(&mut t)?;
            t.expect_end("after the expression")?;
            Ok(NamedExpr { name, expr: e, doc })
        })();
        match r {
            Ok(d) => out.push(d),
            Err(d) => {
                poison_item(&t.toks, cx);
                cx.push(d)
            }
        }
    }
    out
}

const KINETIC: &[&str] = &["inf", "tau", "alpha", "beta"];

/// `dX/dt = expr`, `X: inf = a, tau = b`, `X: alpha = a, beta = b`.
fn equations(ts: TokenStream, close: TokenSpan, cx: &Ctxt) -> Vec<Equation> {
    // Re-join kinetic pairs that the comma split separated: an item `tau = ...` continues the
    // previous item.
    let mut items: Vec<(Vec<TokenTree>, TokenSpan)> = Vec::new();
    for (item, end) in split_items_at(ts, close) {
        // `name = ...` can only be the second part of a kinetic equation (an equation proper
        // reads `dX/dt = ...` or `X: ...`), even when the name is misspelt.
        let cont = matches!(item.first(), Some(TokenTree::Ident(_)))
            && matches!(item.get(1), Some(TokenTree::Punct(p)) if p.as_char() == '=' && p.spacing() == Spacing::Alone);
        if cont && !items.is_empty() {
            let last = items.last_mut().unwrap();
            let mut comma = proc_macro2::Punct::new(',', Spacing::Alone);
            comma.set_span(last.1);
            last.0.push(TokenTree::Punct(comma));
            last.0.extend(item);
            last.1 = end;
        } else {
            items.push((item, end));
        }
    }
    let mut out = Vec::new();
    for (item, end) in items {
        let mut t = Toks::from_vec(item, end);
        match equation(&mut t) {
            Ok(e) => out.push(e),
            Err(d) => cx.push(d),
        }
    }
    out
}

fn equation(t: &mut Toks) -> PResult<Equation> {
    let _ = take_docs(t)?;
    let first = ident_name(t, "an equation such as `dv/dt = ...` or `m: inf = ..., tau = ...`")?;
    if t.is_op(":") {
        t.next();
        let (k1, e1) = kinetic_part(t)?;
        if t.at_end() {
            // The other part of the pair (`kinetic_part` admits only these four).
            let other = match k1.name.as_str() {
                "inf" => "tau",
                "tau" => "inf",
                "alpha" => "beta",
                _ => "alpha",
            };
            return Err(Diagnostic::new(
                first.span.join(e1.span),
                format!("the kinetic equation of `{0}` has only its `{1}` part: add `, {other} = ...` after it", first.name, k1.name),
            ));
        }
        t.expect_op(",", &format!("between the two parts of the kinetic equation of `{}`", first.name))?;
        let (k2, e2) = kinetic_part(t)?;
        t.expect_end("after the kinetic equation")?;
        let span = first.span.join(e2.span);
        let kind = match (k1.name.as_str(), k2.name.as_str()) {
            ("inf", "tau") => EquationKind::InfTau { inf: e1, tau: e2 },
            ("tau", "inf") => EquationKind::InfTau { inf: e2, tau: e1 },
            ("alpha", "beta") => EquationKind::AlphaBeta { alpha: e1, beta: e2 },
            ("beta", "alpha") => EquationKind::AlphaBeta { alpha: e2, beta: e1 },
            _ => {
                return Err(Diagnostic::new(
                    k1.span.join(k2.span),
                    format!(
                        "a kinetic equation is `inf = ..., tau = ...` or `alpha = ..., beta = ...`, found `{}` with `{}`",
                        k1.name, k2.name
                    ),
                ));
            }
        };
        return Ok(Equation { var: first, kind, span });
    }
    // dX/dt = expr
    if first.name == "d"
        && let Some(TokenTree::Ident(v)) = t.peek()
    {
        // `d v/dt`: the derivative is one word.
        return err(first.span.tokens, format!("write the derivative as one word, `d{v}/dt`, without a space after `d`"));
    }
    let Some(var) = first.name.strip_prefix('d').filter(|v| !v.is_empty()) else {
        return err(first.span.tokens, format!("expected `d{0}/dt = ...` or `{0}: inf = ..., tau = ...`", first.name));
    };
    let var = Name::new(var, first.span);
    if !(t.is_op("/") && t.is_ident(1, "dt")) {
        return err(t.span(), format!("expected `/dt` after `{}` (an equation reads `d{}/dt = ...`)", first.name, var.name));
    }
    t.next();
    t.next();
    t.expect_op("=", &format!("after `{}/dt`", first.name))?;
    let rhs = expr(t)?;
    t.expect_end("after the equation")?;
    let span = first.span.join(rhs.span);
    Ok(Equation { var, kind: EquationKind::Derivative(rhs), span })
}

fn kinetic_part(t: &mut Toks) -> PResult<(Name, Expr)> {
    let k = ident_name(t, "`inf`, `tau`, `alpha` or `beta`")?;
    if !KINETIC.contains(&k.name.as_str()) {
        let mut d = Diagnostic::new(
            k.span,
            format!("unknown part `{}` of a kinetic equation: the parts are `inf` and `tau`, or `alpha` and `beta`", k.name),
        );
        if let Some(s) = crate::units::closest(&k.name, KINETIC.iter().copied()) {
            d = d.note(format!("help: did you mean `{s}`?"));
        }
        return Err(d);
    }
    t.expect_op("=", &format!("after `{}`", k.name))?;
    // The expression runs to the top-level comma that starts the second part.
    let mut toks = Vec::new();
    while let Some(tok) = t.peek() {
        if matches!(tok, TokenTree::Punct(p) if p.as_char() == ',') {
            break;
        }
        toks.push(t.next().unwrap());
    }
    let mut et = Toks::from_vec(toks, t.span());
    let e = expr(&mut et)?;
    et.expect_end(&format!("after the `{}` expression", k.name))?;
    Ok((k, e))
}

/// `v = expr` items (reset).
fn assigns(ts: TokenStream, close: TokenSpan, cx: &Ctxt) -> Vec<Assign> {
    let mut out = Vec::new();
    for (item, end) in split_items_at(ts, close) {
        let mut t = Toks::from_vec(item, end);
        let r = (|| {
            let var = ident_name(&mut t, "a state variable")?;
            if let Some(op) = ["+=", "-="].iter().find(|op| t.is_op(op)) {
                // `u += d` is sugar for `u = u + d`.
                let s = t.span();
                t.pos += 2;
                let e = expr(&mut t)?;
                t.expect_end("after the reset value")?;
                let lhs = Expr::new(ExprKind::Ident(var.clone()), var.span);
                let bop = if *op == "+=" { BinOp::Add } else { BinOp::Sub };
                let span = sp(s).join(e.span);
                let rhs = Expr::new(ExprKind::Binary(bop, Box::new(lhs), Box::new(e)), span);
                return Ok(Assign { var, expr: rhs });
            }
            t.expect_op("=", &format!("after `{}` (write `{} = value`)", var.name, var.name))?;
            let e = expr(&mut t)?;
            t.expect_end("after the reset value")?;
            Ok(Assign { var, expr: e })
        })();
        match r {
            Ok(d) => out.push(d),
            Err(d) => cx.push(d),
        }
    }
    out
}

/// `v <= bound` / `v >= bound` items.
fn clips(ts: TokenStream, close: TokenSpan, cx: &Ctxt) -> Vec<Clip> {
    let mut out = Vec::new();
    for (item, end) in split_items_at(ts, close) {
        let mut t = Toks::from_vec(item, end);
        let r = (|| {
            let var = ident_name(&mut t, "a state variable")?;
            let upper = if t.eat_op("<=").is_some() {
                true
            } else if t.eat_op(">=").is_some() {
                false
            } else {
                return err(t.span(), format!("expected `{0} <= bound` (cap from above) or `{0} >= bound`", var.name));
            };
            let bound = expr(&mut t)?;
            t.expect_end("after the clip bound")?;
            Ok(Clip { var, upper, bound })
        })();
        match r {
            Ok(d) => out.push(d),
            Err(d) => cx.push(d),
        }
    }
    out
}

/// `period = expr, hold = [v, ...]` (or `hold = v`).
fn refractory(ts: TokenStream, span: Span, close: TokenSpan, cx: &Ctxt) -> Option<Refractory> {
    let mut period = None;
    let mut hold = Vec::new();
    // Split at top-level commas; brackets keep the hold list together.
    for (item, end) in split_items_at(ts, close) {
        let mut t = Toks::from_vec(item, end);
        let r = (|| -> PResult<()> {
            let key = ident_name(&mut t, "`period` or `hold`")?;
            t.expect_op("=", &format!("after `{}`", key.name))?;
            match key.name.as_str() {
                "period" => {
                    let e = expr(&mut t)?;
                    t.expect_end("after the period")?;
                    period = Some(e);
                }
                "hold" => match t.peek().cloned() {
                    Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket => {
                        t.next();
                        for v in split_args(g.stream()) {
                            let mut vt = Toks::from_vec(v, g.span_close());
                            hold.push(ident_name(&mut vt, "a state variable")?);
                            vt.expect_end("in the hold list")?;
                        }
                        t.expect_end("after the hold list")?;
                    }
                    _ => {
                        hold.push(ident_name(&mut t, "a state variable or `[v, ...]`")?);
                        t.expect_end("after the held variable")?;
                    }
                },
                _ => return err(key.span.tokens, format!("unknown refractory setting `{}`: expected `period` or `hold`", key.name)),
            }
            Ok(())
        })();
        if let Err(d) = r {
            cx.push(d);
        }
    }
    match period {
        Some(period) => Some(Refractory { period, hold, span }),
        None => {
            cx.error(span, "a `refractory` section needs `period = <time>`");
            None
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn parse(ts: TokenStream) -> (Option<ModelAst>, Vec<Diagnostic>) {
        let cx = Ctxt::new();
        let m = parse_model(ts, &cx);
        (m, cx.take())
    }

    #[test]
    fn izhikevich_parses() {
        let (m, errs) = parse(quote! {
            /// Izhikevich (2003).
            pub model Izhikevich;
            parameters { a: 0.02 1/ms, b: 0.2 1/ms, c: -65 mV, d: 8 mV/ms }
            state { v: -65 mV, u: -13 mV/ms }
            inputs { I: 0 mV/ms }
            equations {
                dv/dt = 0.04 1/(ms*mV) * v^2 + 5 1/ms * v + 140 mV/ms - u + I,
                du/dt = a * (b*v - u),
            }
            threshold { v >= 30 mV }
            reset { v = c, u += d }
        });
        assert!(errs.is_empty(), "{errs:?}");
        let m = m.unwrap();
        assert_eq!(m.name.name, "Izhikevich");
        assert_eq!(m.doc, vec![" Izhikevich (2003).".to_string()]);
        assert_eq!(m.params.len(), 4);
        assert_eq!(m.params[2].value.text, "65");
        assert!(m.params[2].value.negative);
        assert_eq!(m.equations.len(), 2);
        assert_eq!(m.equations[0].var.name, "v");
        assert_eq!(m.reset.len(), 2);
        assert!(m.threshold.is_some());
    }

    #[test]
    fn kinetic_forms_and_precedence() {
        let (m, errs) = parse(quote! {
            model K;
            state { m: 0.05, n: 0.3 }
            equations {
                m: alpha = 0.1 1/mV * (v + 40 mV), beta = 4 1/ms,
                n: tau = 1 ms, inf = 0.5,
            }
        });
        assert!(errs.is_empty(), "{errs:?}");
        let m = m.unwrap();
        assert!(matches!(m.equations[0].kind, EquationKind::AlphaBeta { .. }));
        assert!(matches!(m.equations[1].kind, EquationKind::InfTau { .. }));
        // -x^2 is -(x^2)
        let mut t = Toks::new(quote!(-x ^ 2), TokenSpan::call_site());
        let e = expr(&mut t).unwrap();
        assert!(matches!(e.kind, ExprKind::Unary(UnOp::Neg, ref inner) if matches!(inner.kind, ExprKind::Binary(BinOp::Pow, ..))));
        // a - b - c is (a - b) - c
        let mut t = Toks::new(quote!(a - b - c), TokenSpan::call_site());
        let e = expr(&mut t).unwrap();
        assert!(matches!(e.kind, ExprKind::Binary(BinOp::Sub, ref l, _) if matches!(l.kind, ExprKind::Binary(BinOp::Sub, ..))));
        // x ** -1 parses, a <= b is one operator
        let mut t = Toks::new(quote!(x * *-1 <= b), TokenSpan::call_site());
        let e = expr(&mut t).unwrap();
        assert!(matches!(e.kind, ExprKind::Binary(BinOp::Le, ..)));
    }

    /// A sum of 1000 terms made the compiler overflow its stack on the generated code; 490
    /// terms (depth 491) compile.
    #[test]
    fn an_expression_deeper_than_the_limit_is_refused() {
        let sum = |n: usize| {
            let terms = (1..=n).map(|i| format!("x * {i}.0")).collect::<Vec<_>>().join(" + ");
            terms.parse::<TokenStream>().unwrap()
        };
        let mut t = Toks::new(sum(490), TokenSpan::call_site());
        assert!(expr(&mut t).is_ok());
        let mut t = Toks::new(sum(1000), TokenSpan::call_site());
        let e = expr(&mut t).unwrap_err();
        assert_eq!(e.message, "this expression is too deep to compile: its operations nest 1001 levels, at most 500");
        // Parenthesised groups of terms are shallow.
        let groups = (0..10).map(|_| format!("({})", sum(100))).collect::<Vec<_>>().join(" + ");
        let mut t = Toks::new(groups.parse().unwrap(), TokenSpan::call_site());
        assert!(expr(&mut t).is_ok());
    }

    #[test]
    fn all_item_errors_are_collected() {
        let (_, errs) = parse(quote! {
            model Bad;
            parameters { a 1 mV, b: , c: 2 mV }
            equations { dv/dt = (1 +), dw/dt 3 }
        });
        assert!(errs.len() >= 4, "{errs:?}");
    }
}
