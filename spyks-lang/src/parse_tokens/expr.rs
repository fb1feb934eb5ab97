//! Expressions in token form: `||`, `&&`, comparisons, `+ -`, `* /`, unary `-` and `!`, powers
//! (`^`, `**`), atoms (numbers, names, calls, parentheses), `if ... { } else { }`, and units
//! written directly after numbers.

use super::DECLARED;
use super::cursor::{PResult, Toks, describe, err, sp, split_args};
use super::units::{split_literal, unit_power};
use crate::ast::*;
use crate::diag::Diagnostic;
use crate::span::{Name, Span};
use proc_macro2::{Delimiter, TokenTree};

/// A whole expression (an item's right-hand side, a condition, a bound), refused when its
/// tree is deeper than the later stages can follow ([`crate::pyexpr::MAX_DEPTH`]): a sum
/// of a thousand terms overflowed the compiler's stack.
pub(super) fn expr(t: &mut Toks) -> PResult<Expr> {
    let e = sub_expr(t)?;
    crate::pyexpr::check_depth(&e, e.span)?;
    Ok(e)
}

/// An expression inside another (parentheses, arguments, conditions).
fn sub_expr(t: &mut Toks) -> PResult<Expr> {
    or_expr(t)
}

fn binary(op: BinOp, a: Expr, b: Expr) -> Expr {
    let span = a.span.join(b.span);
    Expr::new(ExprKind::Binary(op, Box::new(a), Box::new(b)), span)
}

fn or_expr(t: &mut Toks) -> PResult<Expr> {
    let mut lhs = and_expr(t)?;
    while t.eat_op("||").is_some() {
        let rhs = and_expr(t)?;
        lhs = binary(BinOp::Or, lhs, rhs);
    }
    Ok(lhs)
}

fn and_expr(t: &mut Toks) -> PResult<Expr> {
    let mut lhs = cmp_expr(t)?;
    while t.eat_op("&&").is_some() {
        let rhs = cmp_expr(t)?;
        lhs = binary(BinOp::And, lhs, rhs);
    }
    Ok(lhs)
}

fn cmp_expr(t: &mut Toks) -> PResult<Expr> {
    let lhs = add_expr(t)?;
    for (op, b) in [("<=", BinOp::Le), (">=", BinOp::Ge), ("==", BinOp::Eq), ("!=", BinOp::Ne), ("<", BinOp::Lt), (">", BinOp::Gt)] {
        if t.eat_op(op).is_some() {
            let rhs = add_expr(t)?;
            return Ok(binary(b, lhs, rhs));
        }
    }
    Ok(lhs)
}

fn add_expr(t: &mut Toks) -> PResult<Expr> {
    let mut lhs = mul_expr(t)?;
    loop {
        if t.eat_op("+").is_some() {
            let rhs = mul_expr(t)?;
            lhs = binary(BinOp::Add, lhs, rhs);
        } else if t.eat_op("-").is_some() {
            let rhs = mul_expr(t)?;
            lhs = binary(BinOp::Sub, lhs, rhs);
        } else {
            return Ok(lhs);
        }
    }
}

fn mul_expr(t: &mut Toks) -> PResult<Expr> {
    let mut lhs = unary_expr(t)?;
    loop {
        if t.is_op("*") {
            t.next();
            let rhs = unary_expr(t)?;
            lhs = binary(BinOp::Mul, lhs, rhs);
        } else if t.eat_op("/").is_some() {
            let rhs = unary_expr(t)?;
            lhs = binary(BinOp::Div, lhs, rhs);
        } else {
            return Ok(lhs);
        }
    }
}

fn unary_expr(t: &mut Toks) -> PResult<Expr> {
    if let Some(s) = t.eat_op("-") {
        let e = unary_expr(t)?;
        let span = sp(s).join(e.span);
        return Ok(Expr::new(ExprKind::Unary(UnOp::Neg, Box::new(e)), span));
    }
    if let Some(s) = t.eat_op("!") {
        let e = unary_expr(t)?;
        let span = sp(s).join(e.span);
        return Ok(Expr::new(ExprKind::Unary(UnOp::Not, Box::new(e)), span));
    }
    pow_expr(t)
}

/// `atom (^|**) unary`, right-associative; `-x^2` is `-(x^2)`.
fn pow_expr(t: &mut Toks) -> PResult<Expr> {
    let base = atom(t)?;
    if t.eat_op("^").is_some() || t.eat_op("**").is_some() {
        let exp = unary_expr(t)?;
        return Ok(binary(BinOp::Pow, base, exp));
    }
    Ok(base)
}

fn atom(t: &mut Toks) -> PResult<Expr> {
    let Some(tok) = t.next() else {
        return err(t.end, "expected an expression here, found nothing");
    };
    match tok {
        TokenTree::Literal(l) => {
            let (text, suffix) = split_literal(&l)?;
            let mut span = sp(l.span());
            let mut unit = suffix.map(|s| UnitExpr::Symbol(Name::new(s, sp(l.span()))));
            if unit.is_none()
                && let Some(u) = expr_unit_term(t)?
            {
                span = span.join(u.span());
                unit = Some(u);
            }
            Ok(Expr::new(ExprKind::Number(Quantity { text, negative: false, unit, span }), span))
        }
        TokenTree::Ident(i) => {
            let name = i.to_string();
            let span = sp(i.span());
            if name == "if" {
                return if_expr(t, span);
            }
            if name == "true" || name == "false" {
                return Ok(Expr::new(ExprKind::Bool(name == "true"), span));
            }
            if let Some(TokenTree::Group(g)) = t.peek()
                && g.delimiter() == Delimiter::Parenthesis
            {
                let g = g.clone();
                t.next();
                let mut args = Vec::new();
                for item in split_args(g.stream()) {
                    let mut it = Toks::from_vec(item, g.span_close());
                    let a = sub_expr(&mut it)?;
                    it.expect_end("in function argument")?;
                    args.push(a);
                }
                let full = span.join(sp(g.span_close()));
                return Ok(Expr::new(ExprKind::Call(Name::new(name, span), args), full));
            }
            Ok(Expr::new(ExprKind::Ident(Name::new(name, span)), span))
        }
        TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => {
            let mut inner = Toks::new(g.stream(), g.span_close());
            let e = sub_expr(&mut inner)?;
            inner.expect_end("inside parentheses")?;
            Ok(Expr::new(e.kind, sp(g.span())))
        }
        other => err(other.span(), format!("expected an expression, found {}", describe(Some(&other)))),
    }
}

/// A unit written directly after a number in an expression: one unit term
/// (`mV`, `cm^2`, `1/ms`, `1/(ms*mV)`, `(mS/cm^2)`), or nothing.
fn expr_unit_term(t: &mut Toks) -> PResult<Option<UnitExpr>> {
    let Some(mut u) = expr_unit_first(t)? else {
        return Ok(None);
    };
    // `140 mV/ms`: continue while the next factor is a unit that is not a declared name
    // (and not a function call).
    loop {
        let op_div = t.is_op("/");
        if !(op_div || t.is_op("*")) {
            return Ok(Some(u));
        }
        let is_unit = match t.peek_at(1) {
            Some(TokenTree::Ident(i)) => {
                let n = i.to_string();
                crate::units::lookup_unit(&n).is_some()
                    && !DECLARED.with(|d| d.borrow().contains(&n))
                    && !matches!(t.peek_at(2), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
            }
            _ => false,
        };
        if !is_unit {
            return Ok(Some(u));
        }
        t.next();
        let rhs = unit_power(t)?;
        u = if op_div { UnitExpr::Div(Box::new(u), Box::new(rhs)) } else { UnitExpr::Mul(Box::new(u), Box::new(rhs)) };
    }
}

fn expr_unit_first(t: &mut Toks) -> PResult<Option<UnitExpr>> {
    match t.peek() {
        Some(TokenTree::Ident(i)) if !is_keyword(&i.to_string()) => Ok(Some(unit_power(t)?)),
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => Ok(Some(unit_power(t)?)),
        Some(TokenTree::Literal(l)) if l.to_string() == "1" && t.is_punct(1, '/') => {
            let one = UnitExpr::One(sp(l.span()));
            t.next();
            t.next();
            let den = unit_power(t)?;
            Ok(Some(UnitExpr::Div(Box::new(one), Box::new(den))))
        }
        _ => Ok(None),
    }
}

fn is_keyword(s: &str) -> bool {
    matches!(s, "if" | "else" | "true" | "false")
}

/// `if c { a } else { b }`, `else if` chains allowed.
fn if_expr(t: &mut Toks, if_span: Span) -> PResult<Expr> {
    // The condition runs up to the brace group.
    let mut cond_toks = Vec::new();
    while let Some(tok) = t.peek() {
        if matches!(tok, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace) {
            break;
        }
        cond_toks.push(t.next().unwrap());
    }
    let mut ct = Toks::from_vec(cond_toks, t.span());
    let cond = sub_expr(&mut ct)?;
    ct.expect_end("in `if` condition")?;
    let then = brace_expr(t, "after the `if` condition")?;
    if !t.is_ident(0, "else") {
        return Err(Diagnostic::new(
            if_span.join(then.span),
            "this `if` has no `else` branch: add `else { ... }` so that the value is defined in both cases",
        ));
    }
    t.next();
    let other = if t.is_ident(0, "if") {
        let s = sp(t.next().unwrap().span());
        if_expr(t, s)?
    } else {
        brace_expr(t, "after `else`")?
    };
    let span = if_span.join(other.span);
    Ok(Expr::new(ExprKind::If(Box::new(cond), Box::new(then), Box::new(other)), span))
}

fn brace_expr(t: &mut Toks, what: &str) -> PResult<Expr> {
    match t.next() {
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
            let mut inner = Toks::new(g.stream(), g.span_close());
            let e = sub_expr(&mut inner)?;
            inner.expect_end("in `if` branch")?;
            Ok(e)
        }
        other => {
            err(other.as_ref().map_or(t.end, |x| x.span()), format!("expected `{{ ... }}` {what}, found {}", describe(other.as_ref())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::units::decl_quantity;
    use super::*;
    use proc_macro2::Span as TokenSpan;
    use quote::quote;

    #[test]
    fn units_after_numbers() {
        let mut t = Toks::new(quote!(0.04 1/(ms*mV) * v), TokenSpan::call_site());
        let e = expr(&mut t).unwrap();
        let ExprKind::Binary(BinOp::Mul, l, _) = e.kind else { panic!() };
        assert!(matches!(l.kind, ExprKind::Number(Quantity { unit: Some(UnitExpr::Div(..)), .. })));
        let mut t = Toks::new(quote!(g: 120 mS/cm^2), TokenSpan::call_site());
        t.pos = 2;
        let q = decl_quantity(&mut t).unwrap();
        assert!(matches!(q.unit, Some(UnitExpr::Div(_, ref d)) if matches!(**d, UnitExpr::Pow(..))));
    }
}
