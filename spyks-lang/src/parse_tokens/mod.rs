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

use crate::ast::*;
use crate::diag::{Ctxt, Diagnostic};
use crate::span::{Name, Span};
use crate::units::Rational;
use proc_macro2::{Delimiter, Spacing, Span as TokenSpan, TokenStream, TokenTree};

type PResult<T> = Result<T, Diagnostic>;

fn sp(s: TokenSpan) -> Span {
    Span::tokens(s)
}

fn err<T>(span: TokenSpan, msg: impl Into<String>) -> PResult<T> {
    Err(Diagnostic::new(sp(span), msg))
}

/// A cursor over a flat list of token trees.
struct Toks {
    toks: Vec<TokenTree>,
    pos: usize,
    /// Span used for "unexpected end" errors.
    end: TokenSpan,
}

impl Toks {
    fn new(ts: TokenStream, end: TokenSpan) -> Self {
        Toks { toks: ts.into_iter().collect(), pos: 0, end }
    }
    fn from_vec(toks: Vec<TokenTree>, end: TokenSpan) -> Self {
        Toks { toks, pos: 0, end }
    }
    fn peek(&self) -> Option<&TokenTree> {
        self.toks.get(self.pos)
    }
    fn peek_at(&self, k: usize) -> Option<&TokenTree> {
        self.toks.get(self.pos + k)
    }
    fn next(&mut self) -> Option<TokenTree> {
        let t = self.toks.get(self.pos).cloned();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }
    fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }
    fn span(&self) -> TokenSpan {
        self.peek().map_or(self.end, |t| t.span())
    }
    fn is_punct(&self, k: usize, c: char) -> bool {
        matches!(self.peek_at(k), Some(TokenTree::Punct(p)) if p.as_char() == c)
    }
    fn is_joint(&self, k: usize) -> bool {
        matches!(self.peek_at(k), Some(TokenTree::Punct(p)) if p.spacing() == Spacing::Joint)
    }
    /// Whether the next tokens spell the operator `op` (1 or 2 chars, joint).
    fn is_op(&self, op: &str) -> bool {
        let cs: Vec<char> = op.chars().collect();
        match cs.len() {
            // `* *` is a power however it is spaced: the language has no dereference.
            1 if cs[0] == '*' => self.is_punct(0, '*') && !self.is_punct(1, '*'),
            2 if op == "**" => self.is_punct(0, '*') && self.is_punct(1, '*'),
            1 => {
                self.is_punct(0, cs[0])
                    && !(self.is_joint(0)
                        && matches!(self.peek_at(1), Some(TokenTree::Punct(p)) if is_op_continuation(cs[0], p.as_char())))
            }
            2 => self.is_punct(0, cs[0]) && self.is_joint(0) && self.is_punct(1, cs[1]),
            _ => false,
        }
    }
    fn eat_op(&mut self, op: &str) -> Option<TokenSpan> {
        if self.is_op(op) {
            let s = self.span();
            self.pos += op.chars().count();
            Some(s)
        } else {
            None
        }
    }
    fn is_ident(&self, k: usize, name: &str) -> bool {
        matches!(self.peek_at(k), Some(TokenTree::Ident(i)) if i == name)
    }
    fn expect_op(&mut self, op: &str, what: &str) -> PResult<TokenSpan> {
        match self.eat_op(op) {
            Some(s) => Ok(s),
            None => err(self.span(), format!("expected `{op}` {what}, found {}", describe(self.peek()))),
        }
    }
    fn expect_end(&self, what: &str) -> PResult<()> {
        match self.peek() {
            None => Ok(()),
            Some(t) => err(t.span(), format!("unexpected {} {what}", describe(Some(t)))),
        }
    }
}

/// Two-character operators: whether `b` after `a` (joint) forms one operator.
fn is_op_continuation(a: char, b: char) -> bool {
    matches!((a, b), ('<', '=') | ('>', '=') | ('=', '=') | ('!', '=') | ('&', '&') | ('|', '|') | ('*', '*'))
}

fn describe(t: Option<&TokenTree>) -> String {
    match t {
        None => "nothing".into(),
        Some(TokenTree::Ident(i)) => format!("`{i}`"),
        Some(TokenTree::Punct(p)) => format!("`{}`", p.as_char()),
        Some(TokenTree::Literal(l)) => format!("`{l}`"),
        Some(TokenTree::Group(g)) => match g.delimiter() {
            Delimiter::Brace => "`{ ... }`".into(),
            Delimiter::Parenthesis => "`( ... )`".into(),
            Delimiter::Bracket => "`[ ... ]`".into(),
            Delimiter::None => "a group".into(),
        },
    }
}

/// Splits a section body at top-level `,` and `;`.
fn split_items(ts: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut items = vec![Vec::new()];
    for t in ts {
        match &t {
            TokenTree::Punct(p) if p.as_char() == ',' || p.as_char() == ';' => items.push(Vec::new()),
            _ => items.last_mut().unwrap().push(t),
        }
    }
    items.retain(|i| !i.is_empty());
    items
}

/// Takes leading `#[doc = "..."]` attributes (what `///` comments become).
fn take_docs(t: &mut Toks) -> PResult<Vec<String>> {
    let mut docs = Vec::new();
    while t.is_punct(0, '#') {
        let hash = t.next().unwrap();
        let Some(TokenTree::Group(g)) = t.next() else {
            return err(hash.span(), "expected `[...]` after `#`");
        };
        let attr: syn::Attribute = syn::parse::Parser::parse2(
            |input: syn::parse::ParseStream| {
                let content;
                syn::bracketed!(content in input);
                let meta: syn::Meta = content.parse()?;
                Ok(syn::Attribute {
                    pound_token: Default::default(),
                    style: syn::AttrStyle::Outer,
                    bracket_token: Default::default(),
                    meta,
                })
            },
            TokenStream::from(TokenTree::Group(g.clone())),
        )
        .map_err(|e| Diagnostic::new(sp(e.span()), e.to_string()))?;
        match &attr.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => {
                if let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value {
                    docs.push(s.value());
                }
            }
            _ => return err(g.span(), "only doc comments (`/// ...`) are allowed here"),
        }
    }
    Ok(docs)
}

fn ident_name(t: &mut Toks, what: &str) -> PResult<Name> {
    match t.next() {
        Some(TokenTree::Ident(i)) => Ok(Name::new(i.to_string(), sp(i.span()))),
        other => err(other.as_ref().map_or(t.end, |x| x.span()), format!("expected {what}, found {}", describe(other.as_ref()))),
    }
}

// ---------------------------------------------------------------------------------------------
// Units and quantities

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
fn unit_power(t: &mut Toks) -> PResult<UnitExpr> {
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
            let n: i32 = l.to_string().parse().map_err(|_| {
                Diagnostic::new(sp(l.span()), format!("a unit exponent must be an integer, found `{l}`"))
            })?;
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
        Some(TokenTree::Literal(l)) => l
            .to_string()
            .parse()
            .map_err(|_| Diagnostic::new(sp(l.span()), format!("expected an integer, found `{l}`"))),
        other => err(other.as_ref().map_or(t.end, |x| x.span()), format!("expected an integer, found {}", describe(other.as_ref()))),
    }
}

/// Splits a numeric literal into its number text and a unit suffix (`65mV` → ("65", "mV")).
fn split_literal(l: &proc_macro2::Literal) -> PResult<(String, Option<String>)> {
    let lit = syn::Lit::new(l.clone());
    let (digits, suffix) = match &lit {
        syn::Lit::Int(i) => (i.base10_digits().to_string(), i.suffix().to_string()),
        syn::Lit::Float(f) => (f.base10_digits().to_string(), f.suffix().to_string()),
        _ => return err(l.span(), format!("expected a number, found `{l}`")),
    };
    Ok((digits, if suffix.is_empty() { None } else { Some(suffix) }))
}

/// A quantity in declaration context: `[-] number [unit...]` to the end of `t`.
fn decl_quantity(t: &mut Toks) -> PResult<Quantity> {
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

// ---------------------------------------------------------------------------------------------
// Expressions

fn expr(t: &mut Toks) -> PResult<Expr> {
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
                && let Some(u) = expr_unit_term(t)? {
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
                && g.delimiter() == Delimiter::Parenthesis {
                    let g = g.clone();
                    t.next();
                    let mut args = Vec::new();
                    for item in split_args(g.stream()) {
                        let mut it = Toks::from_vec(item, g.span_close());
                        let a = expr(&mut it)?;
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
            let e = expr(&mut inner)?;
            inner.expect_end("inside parentheses")?;
            Ok(Expr::new(e.kind, sp(g.span())))
        }
        other => err(other.span(), format!("expected an expression, found {}", describe(Some(&other)))),
    }
}

fn split_args(ts: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut items = vec![Vec::new()];
    for t in ts {
        match &t {
            TokenTree::Punct(p) if p.as_char() == ',' => items.push(Vec::new()),
            _ => items.last_mut().unwrap().push(t),
        }
    }
    if items.last().is_some_and(|i| i.is_empty()) {
        items.pop();
    }
    items
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

thread_local! {
    /// Names declared by the model being parsed, so that `2 mV * V` reads `V` as a variable
    /// when the model declares one.
    static DECLARED: std::cell::RefCell<std::collections::HashSet<String>> = Default::default();
}

/// Collects the names declared in `parameters`, `state`, `inputs` and `expressions`.
fn prescan_declared(input: &TokenStream) -> std::collections::HashSet<String> {
    let mut names = std::collections::HashSet::new();
    let toks: Vec<TokenTree> = input.clone().into_iter().collect();
    for w in toks.windows(2) {
        if let (TokenTree::Ident(sec), TokenTree::Group(g)) = (&w[0], &w[1])
            && matches!(sec.to_string().as_str(), "parameters" | "state" | "inputs" | "expressions") {
                for item in split_items(g.stream()) {
                    // Skip doc attributes: the first identifier after them is the name.
                    if let Some(TokenTree::Ident(i)) = item.iter().find(|t| matches!(t, TokenTree::Ident(_))) {
                        names.insert(i.to_string());
                    }
                }
            }
    }
    names
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
    let cond = expr(&mut ct)?;
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
            let e = expr(&mut inner)?;
            inner.expect_end("in `if` branch")?;
            Ok(e)
        }
        other => err(other.as_ref().map_or(t.end, |x| x.span()), format!("expected `{{ ... }}` {what}, found {}", describe(other.as_ref()))),
    }
}

// ---------------------------------------------------------------------------------------------
// Sections

const SECTIONS: &[&str] =
    &["parameters", "state", "inputs", "expressions", "equations", "threshold", "reset", "clip", "refractory"];

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
    let (doc, vis, name) = header;
    let mut m = ModelAst {
        name,
        vis,
        doc,
        params: Vec::new(),
        state: Vec::new(),
        inputs: Vec::new(),
        exprs: Vec::new(),
        equations: Vec::new(),
        threshold: None,
        reset: Vec::new(),
        clip: Vec::new(),
        refractory: None,
        origin: "inline".into(),
    };
    let mut seen: Vec<(String, TokenSpan)> = Vec::new();
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
                cx.error(
                    other.as_ref().map_or(sec.span, |x| sp(x.span())),
                    format!("expected `{{ ... }}` after `{}`", sec.name),
                );
                return Some(m);
            }
        };
        if !SECTIONS.contains(&sec.name.as_str()) {
            let mut d = Diagnostic::new(sec.span, format!("unknown section `{}`", sec.name));
            if let Some(s) = crate::units::closest(&sec.name, SECTIONS.iter().copied()) {
                d = d.note(format!("help: did you mean `{s}`?"));
            }
            cx.push(d.note(format!("the sections are: {}", SECTIONS.join(", "))));
            continue;
        }
        if let Some((_, _)) = seen.iter().find(|(n, _)| *n == sec.name) {
            cx.error(sec.span, format!("section `{}` appears twice; merge them into one", sec.name));
            continue;
        }
        seen.push((sec.name.clone(), sec.span.tokens));
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
            _ => unreachable!(),
        }
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
            && g.delimiter() == Delimiter::Parenthesis {
                vis.extend(t.next());
            }
    }
    if !(t.is_ident(0, "model") || t.is_ident(0, "struct")) {
        return err(
            t.span(),
            format!(
                "a model starts with `model Name;` (optionally with doc comments and `pub`), found {}",
                describe(t.peek())
            ),
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
    for item in split_items(ts) {
        let mut t = Toks::from_vec(item, close);
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
    for item in split_items(ts) {
        let mut t = Toks::from_vec(item, close);
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
    let mut items: Vec<Vec<TokenTree>> = Vec::new();
    for item in split_items(ts) {
        // `name = ...` can only be the second part of a kinetic equation (an equation proper
        // reads `dX/dt = ...` or `X: ...`), even when the name is misspelt.
        let cont = matches!(item.first(), Some(TokenTree::Ident(_)))
            && matches!(item.get(1), Some(TokenTree::Punct(p)) if p.as_char() == '=' && p.spacing() == Spacing::Alone);
        if cont && !items.is_empty() {
            let last = items.last_mut().unwrap();
            last.push(TokenTree::Punct(proc_macro2::Punct::new(',', Spacing::Alone)));
            last.extend(item);
        } else {
            items.push(item);
        }
    }
    let mut out = Vec::new();
    for item in items {
        let mut t = Toks::from_vec(item, close);
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
        t.expect_op(",", "between the two parts of a kinetic equation")?;
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
                    format!("a kinetic equation is `inf = ..., tau = ...` or `alpha = ..., beta = ...`, found `{}` with `{}`", k1.name, k2.name),
                ));
            }
        };
        return Ok(Equation { var: first, kind, span });
    }
    // dX/dt = expr
    let Some(var) = first.name.strip_prefix('d').filter(|v| !v.is_empty()) else {
        return err(first.span.tokens, format!("expected `d{0}/dt = ...` or `{0}: inf = ..., tau = ...`", first.name));
    };
    let var = Name::new(var, first.span);
    if !(t.is_op("/") && t.is_ident(1, "dt")) {
        return err(
            t.span(),
            format!("expected `/dt` after `{}` (an equation reads `d{}/dt = ...`)", first.name, var.name),
        );
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
    for item in split_items(ts) {
        let mut t = Toks::from_vec(item, close);
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
    for item in split_items(ts) {
        let mut t = Toks::from_vec(item, close);
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
    for item in split_items(ts) {
        let mut t = Toks::from_vec(item, close);
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
        let mut t = Toks::new(quote!(-x^2), TokenSpan::call_site());
        let e = expr(&mut t).unwrap();
        assert!(matches!(e.kind, ExprKind::Unary(UnOp::Neg, ref inner) if matches!(inner.kind, ExprKind::Binary(BinOp::Pow, ..))));
        // a - b - c is (a - b) - c
        let mut t = Toks::new(quote!(a - b - c), TokenSpan::call_site());
        let e = expr(&mut t).unwrap();
        assert!(matches!(e.kind, ExprKind::Binary(BinOp::Sub, ref l, _) if matches!(l.kind, ExprKind::Binary(BinOp::Sub, ..))));
        // x ** -1 parses, a <= b is one operator
        let mut t = Toks::new(quote!(x ** -1 <= b), TokenSpan::call_site());
        let e = expr(&mut t).unwrap();
        assert!(matches!(e.kind, ExprKind::Binary(BinOp::Le, ..)));
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
