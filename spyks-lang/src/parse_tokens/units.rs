//! Unit expressions and quantities in token form: `mV`, `1/(ms*mV)`, `mS/cm^2`, `ms^(-1/2)`,
//! and declaration values such as `-65 mV` or `120 mS/cm^2`.

use super::cursor::{PResult, Toks, describe, err, sp};
use crate::ast::{Quantity, UnitExpr};
use crate::diag::Diagnostic;
use crate::span::Name;
use crate::units::Rational;
use proc_macro2::{Delimiter, Span as TokenSpan, TokenTree};

/// Parses a unit expression that runs to the end of `t` (declaration context).
fn unit_expr(t: &mut Toks) -> PResult<UnitExpr> {
    let lhs = unit_power(t)?;
    unit_expr_rest(t, lhs)
}

/// Continues a unit expression after `lhs` with `* term` / `/ term`.
fn unit_expr_rest(t: &mut Toks, mut lhs: UnitExpr) -> PResult<UnitExpr> {
    let missing = |t: &Toks, op: TokenSpan, c: char| -> PResult<()> {
        if t.at_end() {
            return err(op, format!("a unit is missing after `{c}` (as in `mS/cm^2`)"));
        }
        Ok(())
    };
    loop {
        if t.is_op("*") {
            let op = t.next().unwrap().span();
            missing(t, op, '*')?;
            let rhs = unit_power(t)?;
            lhs = UnitExpr::Mul(Box::new(lhs), Box::new(rhs));
        } else if t.is_op("/") {
            let op = t.next().unwrap().span();
            missing(t, op, '/')?;
            let rhs = unit_power(t)?;
            lhs = UnitExpr::Div(Box::new(lhs), Box::new(rhs));
        } else {
            return Ok(lhs);
        }
    }
}

/// `atom [(^|**) exponent]`.
pub(super) fn unit_power(t: &mut Toks) -> PResult<UnitExpr> {
    let atom = unit_atom(t)?;
    if let Some(s) = t.eat_op("^").or_else(|| t.eat_op("**")) {
        let (r, es) = unit_exponent(t)?;
        return Ok(UnitExpr::Pow(Box::new(atom), r, sp(s).join(sp(es))));
    }
    Ok(atom)
}

fn unit_atom(t: &mut Toks) -> PResult<UnitExpr> {
    match t.next() {
        Some(TokenTree::Ident(i)) => Ok(UnitExpr::Symbol(Name::new(i.to_string(), sp(i.span())))),
        Some(TokenTree::Literal(l)) if l.to_string() == "1" => Ok(UnitExpr::One(sp(l.span()))),
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
            let mut inner = Toks::new(g.stream(), g.span_close());
            let u = unit_expr(&mut inner)?;
            inner.expect_end("in unit")?;
            Ok(u)
        }
        other => err(
            other.as_ref().map_or(t.end, |x| x.span()),
            format!("expected a unit such as `mV` or `1/ms`, found {}", describe(other.as_ref())),
        ),
    }
}

/// An integer exponent, possibly negative, or a parenthesised rational such as `(-1/2)`.
fn unit_exponent(t: &mut Toks) -> PResult<(Rational, TokenSpan)> {
    let neg = t.eat_op("-").is_some();
    match t.next() {
        Some(TokenTree::Literal(l)) => {
            let n: i32 = l
                .to_string()
                .parse()
                .map_err(|_| Diagnostic::new(sp(l.span()), format!("a unit exponent must be an integer, found `{l}`")))?;
            Ok((Rational::new(if neg { -n } else { n }, 1), l.span()))
        }
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis && !neg => {
            let mut inner = Toks::new(g.stream(), g.span_close());
            let sign = if inner.eat_op("-").is_some() { -1 } else { 1 };
            let num = int_lit(&mut inner)?;
            let den = if inner.eat_op("/").is_some() { int_lit(&mut inner)? } else { 1 };
            inner.expect_end("in unit exponent")?;
            if den == 0 {
                return err(g.span(), "unit exponent has a zero denominator");
            }
            Ok((Rational::new(sign * num, den), g.span()))
        }
        other => err(
            other.as_ref().map_or(t.end, |x| x.span()),
            format!("expected an exponent such as `2`, `-1` or `(1/2)`, found {}", describe(other.as_ref())),
        ),
    }
}

fn int_lit(t: &mut Toks) -> PResult<i32> {
    match t.next() {
        Some(TokenTree::Literal(l)) => {
            l.to_string().parse().map_err(|_| Diagnostic::new(sp(l.span()), format!("expected an integer, found `{l}`")))
        }
        other => err(other.as_ref().map_or(t.end, |x| x.span()), format!("expected an integer, found {}", describe(other.as_ref()))),
    }
}

/// Splits a numeric literal into its number text and a unit suffix (`65mV` → ("65", "mV")).
pub(super) fn split_literal(l: &proc_macro2::Literal) -> PResult<(String, Option<String>)> {
    let lit = syn::Lit::new(l.clone());
    let (digits, suffix) = match &lit {
        syn::Lit::Int(i) => (i.base10_digits().to_string(), i.suffix().to_string()),
        syn::Lit::Float(f) => (f.base10_digits().to_string(), f.suffix().to_string()),
        _ => return err(l.span(), format!("expected a number, found `{l}`")),
    };
    Ok((digits, if suffix.is_empty() { None } else { Some(suffix) }))
}

/// A quantity in declaration context: `[-] number [unit...]` to the end of `t`.
pub(super) fn decl_quantity(t: &mut Toks) -> PResult<Quantity> {
    let start = t.span();
    let negative = t.eat_op("-").is_some();
    let lit = match t.next() {
        Some(TokenTree::Literal(l)) => l,
        other => {
            return err(
                other.as_ref().map_or(t.end, |x| x.span()),
                format!("expected a value such as `-65 mV` or `0.1`, found {}", describe(other.as_ref())),
            );
        }
    };
    let (text, suffix) = split_literal(&lit)?;
    let mut span = sp(start).join(sp(lit.span()));
    let mut unit = suffix.map(|s| UnitExpr::Symbol(Name::new(s, sp(lit.span()))));
    if !t.at_end() {
        // `2mS/cm^2` lexes as the literal `2mS` then `/ cm^2`: the suffix is the first factor.
        let u = match unit.take() {
            Some(first) => unit_expr_rest(t, first)?,
            None => unit_expr(t)?,
        };
        span = span.join(u.span());
        unit = Some(u);
        t.expect_end("after the unit")?;
    }
    Ok(Quantity { text, negative, unit, span })
}
