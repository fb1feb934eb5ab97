//! Symbolic differentiation and simplification of [`Ir`] expressions.
//!
//! Used for Jacobians (implicit and Rosenbrock-type integrators) and for the linear form
//! `A + B·x` that exponential Euler integration needs. Differentiation skips sub-expressions
//! that do not depend on the variable (no derivative term, no copy) and its results go
//! through [`simplify`], so expressions stay small: the chain rule copies each operand at
//! most once or twice, and a derivative's size is at most quadratic in the nesting depth.

use crate::eval::{Env, eval};
use crate::ir::{Cmp, Func, Ir, Sym};

fn bx(e: Ir) -> Box<Ir> {
    Box::new(e)
}

/// Rebuilds `e` with `f` applied to each direct child (leaves are cloned).
pub(crate) fn rebuild(e: &Ir, f: &mut dyn FnMut(&Ir) -> Ir) -> Ir {
    match e {
        Ir::Const(_) | Ir::Var(_) => e.clone(),
        Ir::Neg(a) => Ir::Neg(bx(f(a))),
        Ir::Add(a, b) => Ir::Add(bx(f(a)), bx(f(b))),
        Ir::Sub(a, b) => Ir::Sub(bx(f(a)), bx(f(b))),
        Ir::Mul(a, b) => Ir::Mul(bx(f(a)), bx(f(b))),
        Ir::Div(a, b) => Ir::Div(bx(f(a)), bx(f(b))),
        Ir::Powi(a, n) => Ir::Powi(bx(f(a)), *n),
        Ir::Powf(a, b) => Ir::Powf(bx(f(a)), bx(f(b))),
        Ir::Call(func, args) => Ir::Call(*func, args.iter().map(&mut *f).collect()),
        Ir::If(c, a, b) => Ir::If(bx(f(c)), bx(f(a)), bx(f(b))),
        Ir::Cmp(op, a, b) => Ir::Cmp(*op, bx(f(a)), bx(f(b))),
        Ir::And(a, b) => Ir::And(bx(f(a)), bx(f(b))),
        Ir::Or(a, b) => Ir::Or(bx(f(a)), bx(f(b))),
        Ir::Not(a) => Ir::Not(bx(f(a))),
    }
}

/// Whether any direct child of `e` satisfies `p` (stopping at the first that does).
pub(crate) fn any_child(e: &Ir, p: &mut dyn FnMut(&Ir) -> bool) -> bool {
    e.children().any(p)
}

/// Number of nodes of `e`.
pub fn size(e: &Ir) -> usize {
    let mut n = 1;
    any_child(e, &mut |c| {
        n += size(c);
        false
    });
    n
}

/// Whether `e` refers to `s` (syntactically: named expressions are not looked into).
pub fn depends_on(e: &Ir, s: Sym) -> bool {
    match e {
        Ir::Var(v) => *v == s,
        _ => any_child(e, &mut |c| depends_on(c, s)),
    }
}

/// `e` with every occurrence of the symbol `s` replaced by `with`.
pub fn substitute(e: &Ir, s: Sym, with: &Ir) -> Ir {
    match e {
        Ir::Var(v) if *v == s => with.clone(),
        _ => rebuild(e, &mut |c| substitute(c, s, with)),
    }
}

/// Inlines named expressions, caching each inlined definition.
struct Inliner<'a> {
    defs: &'a [Ir],
    done: Vec<Option<Ir>>,
}

impl<'a> Inliner<'a> {
    fn new(defs: &'a [Ir]) -> Self {
        let done = vec![None; defs.len()];
        Inliner { defs, done }
    }

    /// Inlines the named expressions with an index below `limit` (a definition may only use
    /// earlier ones; other references, invalid anyway, are left as they are).
    fn inline(&mut self, e: &Ir, limit: usize) -> Ir {
        match e {
            Ir::Var(Sym::Named(k)) if *k < limit => {
                if self.done[*k].is_none() {
                    self.done[*k] = Some(self.inline(&self.defs[*k], *k));
                }
                self.done[*k].clone().unwrap()
            }
            _ => rebuild(e, &mut |c| self.inline(c, limit)),
        }
    }
}

/// `e` with every `Var(Sym::Named(k))` replaced by the (recursively inlined) definition
/// `defs[k]`. Definitions may only refer to earlier named expressions.
pub fn inline_named(e: &Ir, defs: &[Ir]) -> Ir {
    Inliner::new(defs).inline(e, defs.len())
}

// Raw constructors used by differentiation (simplified afterwards).
fn add(a: Ir, b: Ir) -> Ir {
    Ir::Add(bx(a), bx(b))
}
fn sub(a: Ir, b: Ir) -> Ir {
    Ir::Sub(bx(a), bx(b))
}
fn mul(a: Ir, b: Ir) -> Ir {
    Ir::Mul(bx(a), bx(b))
}
fn div(a: Ir, b: Ir) -> Ir {
    Ir::Div(bx(a), bx(b))
}
fn call(f: Func, a: &Ir) -> Ir {
    Ir::Call(f, vec![a.clone()])
}
/// `da · b`, without copying `b` when `da` is zero.
fn times(da: Ir, b: &Ir) -> Ir {
    if is_c(&da, 0.0) { da } else { mul(da, b.clone()) }
}

/// The derivatives of two operands (a zero one as `Const(0)`), `None` if both are zero.
fn d2(a: &Ir, b: &Ir, x: Sym) -> Option<(Ir, Ir)> {
    match (d(a, x), d(b, x)) {
        (None, None) => None,
        (da, db) => Some((da.unwrap_or(Ir::Const(0.0)), db.unwrap_or(Ir::Const(0.0)))),
    }
}

/// The derivative of `e` with respect to `x`, or `None` if it is identically zero.
fn d(e: &Ir, x: Sym) -> Option<Ir> {
    Some(match e {
        Ir::Const(_) | Ir::Cmp(..) | Ir::And(..) | Ir::Or(..) | Ir::Not(_) => return None,
        Ir::Var(s) => return (*s == x).then_some(Ir::Const(1.0)),
        Ir::Neg(a) => Ir::Neg(bx(d(a, x)?)),
        Ir::Add(a, b) => d2(a, b, x).map(|(da, db)| add(da, db))?,
        Ir::Sub(a, b) => d2(a, b, x).map(|(da, db)| sub(da, db))?,
        Ir::Mul(a, b) => d2(a, b, x).map(|(da, db)| add(times(da, b), times(db, a)))?,
        Ir::Div(a, b) => match d2(a, b, x)? {
            (da, db) if is_c(&db, 0.0) => div(da, (**b).clone()),
            (da, db) => div(sub(times(da, b), times(db, a)), Ir::Powi(b.clone(), 2)),
        },
        Ir::Powi(a, n) => {
            let da = d(a, x).filter(|_| *n != 0)?;
            let lower = match n.checked_sub(1) {
                Some(m) => Ir::Powi(a.clone(), m),
                None => Ir::Powf(a.clone(), bx(Ir::Const(f64::from(*n) - 1.0))),
            };
            mul(mul(Ir::Const(f64::from(*n)), lower), da)
        }
        Ir::Powf(a, b) => match d2(a, b, x)? {
            // b · a^(b-1) · a'
            (da, db) if is_c(&db, 0.0) => {
                let lower = Ir::Powf(a.clone(), bx(sub((**b).clone(), Ir::Const(1.0))));
                mul(mul((**b).clone(), lower), da)
            }
            // a^b · (b'·ln a + b·a'/a)
            (da, db) => {
                let log_term = mul(db, call(Func::Log, a));
                mul(e.clone(), add(log_term, div(times(da, b), (**a).clone())))
            }
        },
        Ir::Call(Func::Heaviside, _) => return None,
        Ir::Call(f @ (Func::Min | Func::Max), args) => {
            let [a, b] = &args[..] else { return None };
            let (da, db) = d2(a, b, x)?;
            let op = if *f == Func::Min { Cmp::Le } else { Cmp::Ge };
            Ir::If(bx(Ir::Cmp(op, bx(a.clone()), bx(b.clone()))), bx(da), bx(db))
        }
        Ir::Call(f, args) => {
            let a = args.first()?;
            let da = d(a, x)?;
            let outer = match f {
                Func::Exp | Func::Expm1 => call(Func::Exp, a),
                Func::Log => return Some(div(da, a.clone())),
                Func::Log1p => return Some(div(da, add(Ir::Const(1.0), a.clone()))),
                Func::Sqrt => return Some(div(da, mul(Ir::Const(2.0), call(Func::Sqrt, a)))),
                Func::Tanh => sub(Ir::Const(1.0), Ir::Powi(bx(call(Func::Tanh, a)), 2)),
                Func::Cosh => call(Func::Sinh, a),
                Func::Sinh => call(Func::Cosh, a),
                Func::Abs => {
                    let nonneg = Ir::Cmp(Cmp::Ge, bx(a.clone()), bx(Ir::Const(0.0)));
                    Ir::If(bx(nonneg), bx(Ir::Const(1.0)), bx(Ir::Const(-1.0)))
                }
                Func::Heaviside | Func::Min | Func::Max => unreachable!(),
            };
            mul(outer, da)
        }
        // Conditions are not differentiated.
        Ir::If(c, a, b) => d2(a, b, x).map(|(da, db)| Ir::If(c.clone(), bx(da), bx(db)))?,
    })
}

/// The simplified derivative of `e` with respect to `wrt`.
///
/// `e` must not contain named expressions (inline them with [`inline_named`] first): a
/// `Named` symbol other than `wrt` is treated as independent of `wrt`. Conditions of `If`
/// are not differentiated; `heaviside`, comparisons and boolean operators have derivative
/// 0; `abs`, `min` and `max` get the derivative of the branch selected at the point (the
/// right derivative for `abs` at 0).
pub fn derivative(e: &Ir, wrt: Sym) -> Ir {
    d(e, wrt).map_or(Ir::Const(0.0), simplify)
}

fn cv(e: &Ir) -> Option<f64> {
    match e {
        Ir::Const(c) => Some(*c),
        _ => None,
    }
}
fn is_c(e: &Ir, v: f64) -> bool {
    cv(e) == Some(v)
}
/// Evaluates `node` (with the semantics of [`eval`]) if all its children are constants.
fn fold_const(node: Ir) -> Ir {
    if any_child(&node, &mut |c| cv(c).is_none()) { node } else { Ir::Const(eval(&node, &Env::default())) }
}

fn mk_neg(a: Ir) -> Ir {
    match a {
        Ir::Const(c) => Ir::Const(-c),
        Ir::Neg(x) => *x,
        Ir::Mul(k, x) if cv(&k).is_some() => mk_mul(Ir::Const(-cv(&k).unwrap()), *x),
        Ir::Div(k, x) if cv(&k).is_some() => Ir::Div(bx(Ir::Const(-cv(&k).unwrap())), x),
        a => Ir::Neg(bx(a)),
    }
}

fn mk_add(a: Ir, b: Ir) -> Ir {
    match (a, b) {
        (Ir::Const(x), Ir::Const(y)) => Ir::Const(x + y),
        (a, b) if is_c(&a, 0.0) => b,
        (a, b) if is_c(&b, 0.0) => a,
        (a, Ir::Neg(y)) => mk_sub(a, *y),
        (Ir::Neg(x), b) => mk_sub(b, *x),
        (a, b) => add(a, b),
    }
}

fn mk_sub(a: Ir, b: Ir) -> Ir {
    match (a, b) {
        (Ir::Const(x), Ir::Const(y)) => Ir::Const(x - y),
        (a, b) if is_c(&b, 0.0) => a,
        (a, b) if is_c(&a, 0.0) => mk_neg(b),
        (a, Ir::Neg(y)) => mk_add(a, *y),
        // -x - b = -(x + b), exactly
        (Ir::Neg(x), b) => mk_neg(mk_add(*x, b)),
        (a, b) => sub(a, b),
    }
}

fn mk_mul(a: Ir, b: Ir) -> Ir {
    match (a, b) {
        (Ir::Const(x), Ir::Const(y)) => Ir::Const(x * y),
        // constants to the left
        (a, b @ Ir::Const(_)) => mk_mul(b, a),
        (a, _) if is_c(&a, 0.0) => Ir::Const(0.0),
        (a, b) if is_c(&a, 1.0) => b,
        (a, b) if is_c(&a, -1.0) => mk_neg(b),
        (Ir::Neg(x), b) => mk_neg(mk_mul(*x, b)),
        (a, Ir::Neg(y)) => mk_neg(mk_mul(a, *y)),
        (Ir::Const(k1), Ir::Mul(k2, y)) if cv(&k2).is_some() => mk_mul(Ir::Const(k1 * cv(&k2).unwrap()), *y),
        (Ir::Const(k1), Ir::Div(k2, y)) if cv(&k2).is_some() => mk_div(Ir::Const(k1 * cv(&k2).unwrap()), *y),
        (a, b) => mul(a, b),
    }
}

fn mk_div(a: Ir, b: Ir) -> Ir {
    match (a, b) {
        (Ir::Const(x), Ir::Const(y)) => Ir::Const(x / y),
        (a, b) if is_c(&b, 1.0) => a,
        (a, b) if is_c(&b, -1.0) => mk_neg(a),
        (a, _) if is_c(&a, 0.0) => Ir::Const(0.0),
        (Ir::Neg(x), b) => mk_neg(mk_div(*x, b)),
        (a, Ir::Neg(y)) => mk_neg(mk_div(a, *y)),
        (a, b) => div(a, b),
    }
}

fn mk_powi(a: Ir, n: i32) -> Ir {
    match (a, n) {
        (_, 0) => Ir::Const(1.0),
        (a, 1) => a,
        (Ir::Const(x), n) => Ir::Const(x.powi(n)),
        (Ir::Neg(x), n) if n % 2 == 0 => mk_powi(*x, n),
        (Ir::Neg(x), n) => mk_neg(mk_powi(*x, n)),
        (a, n) => Ir::Powi(bx(a), n),
    }
}

fn mk_powf(a: Ir, b: Ir) -> Ir {
    match (a, b) {
        (Ir::Const(x), Ir::Const(y)) => Ir::Const(x.powf(y)),
        // pow(x, ±0) = 1 and pow(1, y) = 1 for every x, y (NaN included)
        (a, b) if is_c(&b, 0.0) || is_c(&a, 1.0) => Ir::Const(1.0),
        (a, b) if is_c(&b, 1.0) => a,
        (a, b) => Ir::Powf(bx(a), bx(b)),
    }
}

fn mk_if(c: Ir, a: Ir, b: Ir) -> Ir {
    match cv(&c) {
        Some(v) if v != 0.0 => a,
        Some(_) => b,
        None if a == b => a,
        None => Ir::If(bx(c), bx(a), bx(b)),
    }
}

/// Algebraic simplification in one bottom-up pass (the result is a fixpoint).
///
/// Folds constant sub-expressions (with the semantics of [`eval`]), removes neutral
/// elements (`x+0`, `0+x`, `x-0`, `x*1`, `x/1`, `x^1`, `x^0 → 1`), moves negations outwards
/// and merges them (`--x → x`, `(-a)*b → -(a*b)`, `a+(-b) → a-b`, `a-(-b) → a+b`), moves
/// constant factors to the left and merges them (`2*(3*x) → 6*x`), and resolves `If` with a
/// constant condition or equal branches.
///
/// Results are equal to the original up to round-off, with one deliberate exception:
/// `x*0`, `0*x` and `0/x` become `0` even though they are NaN for infinite or NaN `x` (or
/// `x = 0` in `0/x`); states and parameters are finite and these are exactly the zero terms
/// differentiation produces.
pub fn simplify(e: Ir) -> Ir {
    let s = |a: Box<Ir>| simplify(*a);
    match e {
        Ir::Const(_) | Ir::Var(_) => e,
        Ir::Neg(a) => mk_neg(s(a)),
        Ir::Add(a, b) => mk_add(s(a), s(b)),
        Ir::Sub(a, b) => mk_sub(s(a), s(b)),
        Ir::Mul(a, b) => mk_mul(s(a), s(b)),
        Ir::Div(a, b) => mk_div(s(a), s(b)),
        Ir::Powi(a, n) => mk_powi(s(a), n),
        Ir::Powf(a, b) => mk_powf(s(a), s(b)),
        Ir::Call(f, args) => fold_const(Ir::Call(f, args.into_iter().map(simplify).collect())),
        Ir::If(c, a, b) => mk_if(s(c), s(a), s(b)),
        Ir::Cmp(op, a, b) => fold_const(Ir::Cmp(op, bx(s(a)), bx(s(b)))),
        Ir::And(a, b) => match (s(a), s(b)) {
            (a, b) if is_c(&a, 0.0) || is_c(&b, 0.0) => Ir::Const(0.0),
            (a, b) => fold_const(Ir::And(bx(a), bx(b))),
        },
        Ir::Or(a, b) => match (s(a), s(b)) {
            (a, b) if [&a, &b].iter().any(|e| cv(e).is_some_and(|v| v != 0.0)) => Ir::Const(1.0),
            (a, b) => fold_const(Ir::Or(bx(a), bx(b))),
        },
        Ir::Not(a) => fold_const(Ir::Not(bx(s(a)))),
    }
}

/// The Jacobian `J[i][j] = d rhs[i] / d wrt[j]`, each entry with the named expressions
/// inlined, differentiated and simplified. `wrt` should not contain `Named` symbols.
pub fn jacobian(rhs: &[Ir], named_defs: &[Ir], wrt: &[Sym]) -> Vec<Vec<Ir>> {
    let mut inliner = Inliner::new(named_defs);
    rhs.iter()
        .map(|r| {
            let e = inliner.inline(r, named_defs.len());
            wrt.iter().map(|&w| derivative(&e, w)).collect()
        })
        .collect()
}

/// 1/q, with one division where q = a + b/d, a time constant written as a floor plus the
/// inverse of a sum of rates (τ = τ₀ + 1/(α + β), as nine of the ten gates of spyks'
/// `biocm`): d/(a·d + b) instead of 1/(a + b/d). (biocm's population step 1.05 times
/// faster, 1.14 with fused blocks, whose divider was the bottleneck.) Where a·d overflows
/// (rates beyond 10³⁰⁸ per unit of time, a voltage of volts) the quotient is NaN instead of
/// 1/a, which stops a run with the variable's name.
fn reciprocal(q: &Ir) -> Ir {
    // Only where d itself varies: a divisor of parameters is hoisted as a product anyway.
    if let Ir::Add(x, y) = q
        && let (a, Ir::Div(b, d)) | (Ir::Div(b, d), a) = (&**x, &**y)
        && d.uses(|s| !matches!(s, Sym::Param(_)))
    {
        return div((**d).clone(), Ir::Add(bx(mul(a.clone(), (**d).clone())), b.clone()));
    }
    div(Ir::Const(1.0), q.clone())
}

/// `c·r` for a reciprocal `r`, written so that `r` stays a subexpression of its own (`r`,
/// `-r`, `c*r`): the compiler then computes it once for `A` and `B`.
fn times_recip(c: Ir, r: &Ir) -> Ir {
    match c {
        c if is_c(&c, 0.0) => Ir::Const(0.0),
        c if is_c(&c, 1.0) => r.clone(),
        c if is_c(&c, -1.0) => Ir::Neg(bx(r.clone())),
        Ir::Neg(c) => Ir::Neg(bx(times_recip(*c, r))),
        c => mul(c, r.clone()),
    }
}

/// Whether `x` occurs where differentiation ignores it: in an `If` condition, in the
/// argument of `heaviside` or in a comparison or boolean operator.
pub(crate) fn in_condition(e: &Ir, x: Sym) -> bool {
    match e {
        Ir::If(c, a, b) => depends_on(c, x) || in_condition(a, x) || in_condition(b, x),
        Ir::Call(Func::Heaviside, _) | Ir::Cmp(..) | Ir::And(..) | Ir::Or(..) | Ir::Not(_) => depends_on(e, x),
        _ => any_child(e, &mut |c| in_condition(c, x)),
    }
}

/// Splits `e` (with named expressions already inlined) as `A + B·x` with `A` and `B` free of
/// `x`, for exponential Euler integration; `None` if `e` is not linear in `x`.
///
/// `B` is [`derivative`]`(e, x)`, which must not mention `x`; `A` is `e` with `x` replaced by
/// 0, simplified. Expressions in which `x` appears in a condition (`If`, `heaviside`,
/// comparisons) are never considered linear. The test is syntactic after simplification,
/// so an expression that is linear only after cancellations (`x*x/x`) gives `None`.
///
/// A quotient `n/q` whose divisor `q` is free of `x` but differs from neuron to neuron (it
/// uses a state variable, an input or time: a relaxation `(inf - x)/tau(V)`) gives `A` and
/// `B` as `n`'s coefficients times the one reciprocal `1/q` (`inf·(1/tau)` and `-(1/tau)`),
/// so that the generated code divides once per variable instead of twice. A divisor of
/// parameters and constants keeps the general form (the code generators multiply by its
/// reciprocal anyway). A divisor τ₀ + b/d takes its reciprocal as d/(τ₀·d + b), one division
/// instead of two (see `reciprocal`).
pub fn linear_form(e: &Ir, x: Sym) -> Option<(Ir, Ir)> {
    if in_condition(e, x) {
        return None;
    }
    if let Ir::Div(n, q) = e
        && !depends_on(q, x)
        && q.uses(|s| !matches!(s, Sym::Param(_)))
    {
        let (an, bn) = linear_form(n, x)?;
        let r = reciprocal(q);
        return Some((times_recip(an, &r), times_recip(bn, &r)));
    }
    let b = derivative(e, x);
    if depends_on(&b, x) {
        return None;
    }
    let a = simplify(substitute(e, x, &Ir::Const(0.0)));
    Some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::eval_named;
    use crate::eval::tests::{Pt, SYMS as ALL, at, close, fd_mismatch, parse, points};
    use crate::eval::tests::{pt_env as env, slot};

    const V: Sym = Sym::State(0);
    const M: Sym = Sym::State(1);

    const ALPHA_M: &str = "0.1*(V+40)/(1-exp(-(V+40)/10))";
    const BETA_M: &str = "4*exp(-(V+65)/18)";
    const TANH_INF: &str = "0.5*(1+tanh((V-p0)/p1))";
    const TANH_TAU: &str = "p2/cosh((V-p0)/(2*p1))";
    const I_NA: &str = "120*m^3*h*(V-50)";
    fn hh_gate() -> Ir {
        parse(&format!("({ALPHA_M})*(1-m) - ({BETA_M})*m"))
    }
    fn relax_gate() -> Ir {
        parse(&format!("(({TANH_INF}) - m)/({TANH_TAU})"))
    }

    /// Parses a list of expressions separated by `;` or new lines.
    fn list(src: &str) -> Vec<Ir> {
        src.split([';', '\n']).map(parse).collect()
    }

    const MODEL_EXPRS: &str = "(1+exp(-(V-p0)/p1))**-0.5; (m+1)**(V/50); p2**m*V; min(V, p0)*m
        max(V*m, -20); abs(V+10)*m; if(V > -50, V*m, m^2); expm1(V/20); log1p(m)*V
        sqrt(m+1)*V; cosh(V/30) + sinh(V/40)*m; (V/10+10)^-3; m/(V^2+1); log(m+0.1)*V
        exp(-((V-p0)/p1)^2); -(V*m); I*exp(-t/p2) + xi*m; heaviside(V+30)*m";

    #[test]
    fn derivatives_match_finite_differences() {
        let pts = points(30, 12345);
        let mut exprs = list(MODEL_EXPRS);
        exprs.extend([ALPHA_M, BETA_M, TANH_INF, TANH_TAU, I_NA].map(parse));
        for e in exprs.into_iter().chain([hh_gate(), relax_gate()]) {
            for x in ALL {
                let de = derivative(&e, x);
                if let Some(msg) = fd_mismatch(&|p| at(&e, p), &de, x, &pts) {
                    panic!("{e:?}: {msg}");
                }
                // zero exactly when e does not depend on x (or through heaviside only)
                let step = x == V && e == parse("heaviside(V+30)*m");
                assert_eq!(de == Ir::Const(0.0), !depends_on(&e, x) || step, "{e:?}");
            }
        }
    }

    #[test]
    fn checker_detects_wrong_derivatives() {
        let (pts, e) = (points(30, 7), parse("tanh(V/10)"));
        let f = |p: &Pt| at(&e, p);
        assert!(fd_mismatch(&f, &parse("(1 + tanh(V/10)^2)/10"), V, &pts).is_some());
        let right = derivative(&e, V);
        assert!(fd_mismatch(&f, &right, V, &pts).is_none());
        let slightly_off = Ir::Mul(bx(Ir::Const(1.0 + 1e-5)), bx(right));
        assert!(fd_mismatch(&f, &slightly_off, V, &pts).is_some());
    }

    #[test]
    fn derivative_shapes() {
        let rules = "heaviside(V) => 0; V < 0 => 0; V^0 => 0; 3*V => 3; V^3 => 3*V^2; V**2 => 2*V
            1/V => -1/V^2; abs(V) => if(V >= 0, 1, -1); if(m > 0.5, V, V+1) => 1
            min(V, m) => if(V <= m, 1, 0); max(m, V) => if(m >= V, 0, 1); exp(2*V) => 2*exp(2*V)";
        for rule in rules.split([';', '\n']) {
            let (e, want) = rule.split_once("=>").unwrap();
            assert_eq!(derivative(&parse(e), V), parse(want), "{e}");
        }
    }

    #[test]
    fn no_exponential_blowup() {
        // f_k = tanh(f_{k-1}) * 0.5 + V: the derivative's size is quadratic in the depth
        let step = parse("tanh(n0)*0.5 + V");
        let nest = |k| (0..k).fold(Ir::Var(V), |e, _| substitute(&step, Sym::Named(0), &e));
        let (e, de) = (nest(30), derivative(&nest(30), V));
        let size15 = size(&derivative(&nest(15), V));
        let n = size(&de);
        assert!(n < 5 * size15 && n < 20 * size(&e), "{n}");
        let pts: Vec<Pt> = points(10, 3).iter().map(|p| p.map(|x| x / 40.0)).collect();
        assert!(fd_mismatch(&|p| at(&e, p), &de, V, &pts).is_none());
        // a^5 copies a once (in a^4) beside a'
        let a = relax_gate();
        let n = size(&a) + size(&derivative(&a, V));
        assert!(size(&derivative(&Ir::Powi(bx(a), 5), V)) <= n + 5);
    }

    #[test]
    fn simplify_keeps_values_and_removes_zeros() {
        let gauss = "exp(-((V-p0)/p1)^2)";
        let exprs = [ALPHA_M, BETA_M, I_NA, gauss, "-(V*m)", "xi*h + I/(t+1)"].map(parse);
        let pts = points(40, 99);
        for e in exprs.iter().chain([&hh_gate(), &relax_gate()]) {
            let s = simplify(e.clone());
            assert_eq!(simplify(s.clone()), s, "not a fixpoint");
            assert!(pts.iter().all(|p| close(at(e, p), at(&s, p), 1e-14)));
            // zeros and ones in place of symbols: x*0, 1*x, x+0, x^0, -0, ...
            for (x, val) in [(M, 0.0), (ALL[2], 1.0), (ALL[3], 0.0), (ALL[8], 0.0)] {
                let raw = substitute(e, x, &Ir::Const(val));
                let s = simplify(raw.clone());
                assert!(size(&s) < size(&raw) || !depends_on(e, x), "{s:?}");
                assert_eq!(simplify(s.clone()), s, "not a fixpoint");
                assert!(pts.iter().all(|p| close(at(&raw, p), at(&s, p), 1e-14)));
            }
            for x in ALL {
                let zero = simplify(mul(derivative(e, x), Ir::Const(0.0)));
                assert_eq!(zero, Ir::Const(0.0));
            }
        }
    }

    #[test]
    fn simplify_rules() {
        let rules = "V+0 => V; 0+V => V; V-0 => V; 0-V => -V; V*0 => 0; 0*V => 0; V*1 => V
            1*V => V; V/1 => V; 0/V => 0; -(-(V)) => V; V^0 => 1; V^1 => V; V**1 => V
            V**0 => 1; 1**V => 1; if(V < m, V+0, V) => V; if(1 < 2, V, m) => V; -(2) => -2
            if(1 > 2, V, m) => m; -V*m => -(V*m); V - -(m) => V + m; V + -(m) => V - m
            -(V) + m => m - V; -(V) - m => -(V + m); 2*(3*V) => 6*V; V*3*2 => 6*V
            2*-(V) => -2*V; -1*(V+m) => -(V+m); 2*(3/V) => 6/V; -(V)/-(m) => V/m
            (-(V))^2 => V^2; (-(V))^3 => -(V^3); exp(1-1) => 1; max(1, 3) => 3
            heaviside(0) => 0.5; 1/3 => 0.3333333333333333; 2**0.5 => 1.4142135623730951
            0*V + 1*m => m; V*V => V*V; (V - m)/(1 + exp(V)) => (V - m)/(1 + exp(V))";
        for rule in rules.split([';', '\n']) {
            let (input, want) = rule.split_once("=>").unwrap();
            assert_eq!(simplify(parse(input)), parse(want), "simplify({input})");
        }
        let (lt, c) = (|| bx(parse("V < m")), |x| bx(Ir::Const(x)));
        assert_eq!(simplify(Ir::And(c(0.0), lt())), Ir::Const(0.0));
        assert_eq!(simplify(Ir::Or(lt(), c(1.0))), Ir::Const(1.0));
        assert_eq!(simplify(Ir::Not(c(0.0))), Ir::Const(1.0));
        assert_eq!(simplify(Ir::Not(lt())), Ir::Not(lt()));
    }

    #[test]
    fn helpers() {
        let e = parse("V*m + 1");
        assert_eq!(size(&e), 5);
        assert!(depends_on(&e, M) && !depends_on(&e, ALL[2]));
        assert!(depends_on(&parse("if(h < 0, 1, 2)"), ALL[2]));
        assert_eq!(substitute(&e, M, &parse("2")), parse("V*2 + 1"));
        assert_eq!(substitute(&e, ALL[2], &parse("2")), e);
    }

    /// alpha, beta, alpha + beta, m_inf, tau_m, and one using two earlier ones.
    fn named_defs() -> Vec<Ir> {
        list(&format!("{ALPHA_M}; {BETA_M}; n0 + n1; n0/n2; 1/n2; n3*(V - n4)"))
    }

    #[test]
    fn inline_named_matches_evaluation_with_named() {
        let defs = named_defs();
        let e = parse("n5 + n3*m");
        let inl = inline_named(&e, &defs);
        assert!((0..defs.len()).all(|k| !depends_on(&inl, Sym::Named(k))));
        for p in points(20, 5) {
            let named = eval_named(&defs, &env(&p, &[]));
            assert_eq!(eval(&e, &env(&p, &named)), at(&inl, &p));
        }
    }

    #[test]
    fn jacobian_with_named() {
        let defs = named_defs();
        let rhs = list(&format!("I - 0.3*(V + 54.4) - {I_NA}; (n3 - m)/n4; n5 - h"));
        let jac = jacobian(&rhs, &defs, &ALL[..3]);
        assert!(jac.len() == 3 && jac[1][2] == parse("0") && jac[2][2] == parse("-1"));
        let pts = points(20, 77);
        for (i, r) in rhs.iter().enumerate() {
            // reference: finite differences of the rhs evaluated with eval_named
            let f = |p: &Pt| eval(r, &env(p, &eval_named(&defs, &env(p, &[]))));
            for (j, x) in ALL[..3].iter().enumerate() {
                assert!((0..defs.len()).all(|k| !depends_on(&jac[i][j], Sym::Named(k))));
                assert_eq!(fd_mismatch(&f, &jac[i][j], *x, &pts), None, "J[{i}][{j}]");
            }
        }
    }

    fn check_linear(e: &Ir, x: Sym) -> (Ir, Ir) {
        let (a, b) = linear_form(e, x).expect("linear");
        assert!(!depends_on(&a, x) && !depends_on(&b, x));
        for mut p in points(25, 11) {
            for xv in [p[slot(x)], -3.7, 0.0, 12.5] {
                p[slot(x)] = xv;
                let (want, bx) = (at(e, &p), at(&b, &p) * xv);
                let (err, tol) = ((want - at(&a, &p) - bx).abs(), 1e-12 * (want.abs() + bx.abs()));
                assert!(err <= tol + 1e-14, "{e:?} at {p:?}");
            }
        }
        (a, b)
    }

    #[test]
    fn linear_form_of_gating_and_membrane_equations() {
        let pts = points(20, 21);
        let (a, b) = check_linear(&relax_gate(), M);
        let (inf, tau) = (parse(TANH_INF), parse(TANH_TAU));
        for p in &pts {
            assert!(close(at(&b, p), -1.0 / at(&tau, p), 1e-14));
            assert!(close(at(&a, p), at(&inf, p) / at(&tau, p), 1e-14));
        }
        // A = inf·r and B = -r with the one reciprocal r = 1/tau (one division, not two).
        let r = Ir::Div(Box::new(Ir::Const(1.0)), Box::new(tau.clone()));
        assert_eq!(b, Ir::Neg(Box::new(r.clone())));
        assert!(matches!(&a, Ir::Mul(_, ar) if **ar == r), "{a:?}");
        // τ = τ₀ + 1/(α + β) (spyks' biocm): the reciprocal as (α + β)/(τ₀·(α + β) + 1), one
        // division; likewise τ₀ + c/(1 + e) (its ka_c), but not τ₀ + V²/p1, whose divisor is
        // a parameter.
        for (tau, one_div) in
            [("p2 + 1/(0.1*exp(V/p1) + 0.2*exp(-V/p1))", true), ("p2 + p1/(1 + exp(-V/p1))", true), ("p2 + V*V/p1", false)]
        {
            let (_, b) = check_linear(&parse(&format!("(1/(1 + exp(V)) - m)/({tau})")), M);
            for p in &pts {
                assert!(close(at(&b, p), -1.0 / at(&parse(tau), p), 1e-13), "{tau}");
            }
            let Ir::Neg(r) = &b else { panic!("{b:?}") };
            let Ir::Div(num, _) = &**r else { panic!("{r:?}") };
            assert_eq!(**num != Ir::Const(1.0), one_div, "{tau}: {r:?}");
        }
        // Not for a divisor of parameters and constants: there A is the equation at V = 0 and
        // B its derivative (-1/(2·p1)), each one quotient.
        let e = parse("(p0 - V)/(2*p1)");
        let (a, b) = check_linear(&e, V);
        assert_eq!(a, parse("p0/(2*p1)"));
        assert!(matches!(&b, Ir::Div(k, q) if **k == Ir::Const(-1.0) && **q == parse("2*p1")), "{b:?}");
        // Through a negated numerator and with x in the numerator only.
        check_linear(&parse(&format!("-(m - ({TANH_INF}))/({TANH_TAU})")), M);
        check_linear(&parse("(p0 + 3*m)/(V^2 + 1)"), M);
        let (a, b) = check_linear(&hh_gate(), M);
        let (alpha, beta) = (parse(ALPHA_M), parse(BETA_M));
        assert_eq!(a, simplify(alpha.clone()));
        for p in &pts {
            assert!(close(at(&b, p), -(at(&alpha, p) + at(&beta, p)), 1e-14));
        }
        check_linear(&parse(&format!("(I - 0.3*(V + 54.4) - {I_NA})/1.5")), V);
        // linear in V in each branch, with a V-free condition
        check_linear(&parse("if(m > 0.5, V, 2*V)"), V);
        // m exp(V) is linear in m, not in V
        check_linear(&parse("m*exp(V)"), M);
    }

    #[test]
    fn linear_form_rejects_nonlinear() {
        let nonlinear = "V^2; V*V; exp(V); exp(V) - V; m*exp(V); V**0.5; abs(V); max(V, 0)
            2*heaviside(V); if(V > 0, V, 2*V); if(V > 0, V, V + 1); 1/V; (V - m)/(V + 1)";
        for e in list(nonlinear) {
            assert!(linear_form(&e, V).is_none(), "{e:?}");
        }
    }
}
