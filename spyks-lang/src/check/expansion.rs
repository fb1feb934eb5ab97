//! Bounds on the size and depth of the equations with their named expressions written out.
//!
//! The Jacobians, exponential-Euler coefficients and linearity analysis are derived from the
//! right-hand sides with every named expression written out in place, so an expression that
//! uses the one before it several times (`e2 = tanh(e1)*e1 + s*e1`, and so on) grows
//! threefold per level. A chain of ten made 52 MB of code and a compiler that ran out of
//! memory; a chain of eight, 4.9 MB and 9 s. Beyond this bound the model is refused with an
//! error saying why, instead of a compiler that runs for minutes or is killed.

use super::Checker;
use crate::ast::ModelAst;
use crate::diag::Diagnostic;
use crate::ir::{Ir, Sym};

/// The most nodes a right-hand side may have with its named expressions written out: a chain
/// of eight expressions, each using the one before three times, has about 12 000 and one of
/// nine 36 000; the largest of the shipped and tested models 87.
const MAX_NODES: f64 = 20_000.0;

/// The size of each named expression written out (as f64: the sizes can grow past any
/// integer in a long chain).
fn named_sizes(defs: &[Ir]) -> Vec<f64> {
    let mut sizes = Vec::with_capacity(defs.len());
    for d in defs {
        let s = size(d, &sizes);
        sizes.push(s);
    }
    sizes
}

/// The number of nodes of `e` with the named expressions it uses written out.
fn size(e: &Ir, named: &[f64]) -> f64 {
    let mut n = 0.0;
    e.visit(&mut |x| {
        n += match x {
            Ir::Var(Sym::Named(k)) => named.get(*k).copied().unwrap_or(1.0),
            _ => 1.0,
        };
        true
    });
    n
}

/// The most levels a right-hand side may nest with its named expressions written out: the
/// parser's bound on one expression ([`crate::pyexpr::MAX_DEPTH`]). The derivatives and the
/// code generation recurse over the written-out tree; a chain of 1500 named expressions each
/// adding a term to the one before (1500 levels) overflowed the compiler's stack, while
/// every expression alone was shallow.
const MAX_LEVELS: usize = crate::pyexpr::MAX_DEPTH;

/// The depth of each named expression written out.
fn named_depths(defs: &[Ir]) -> Vec<usize> {
    let mut depths = Vec::with_capacity(defs.len());
    for d in defs {
        let v = depth(d, &depths);
        depths.push(v);
    }
    depths
}

/// The depth of `e` with the named expressions it uses written out, counted without
/// recursion (the expression may be deep).
fn depth(e: &Ir, named: &[usize]) -> usize {
    let (mut max, mut stack) = (0, vec![(e, 1)]);
    while let Some((e, d)) = stack.pop() {
        let below = match e {
            Ir::Var(Sym::Named(k)) => named.get(*k).copied().unwrap_or(1),
            _ => 1,
        };
        max = max.max(d + below - 1);
        stack.extend(e.children().map(|c| (c, d + 1)));
    }
    max
}

impl Checker<'_> {
    /// Reports the equations that are too large with their named expressions written out.
    pub(super) fn check_expansion(&self, ast: &ModelAst, rhs: &[Ir]) {
        let sizes = named_sizes(&self.named_defs);
        let depths = named_depths(&self.named_defs);
        for (i, r) in rhs.iter().enumerate() {
            let Some(var) = self.state.get(i) else { continue };
            let span = ast.equations.iter().find(|e| e.var.name == var.name).map_or(ast.name.span, |e| e.span);
            let levels = depth(r, &depths);
            if levels > MAX_LEVELS {
                self.cx.push(
                    Diagnostic::new(
                        span,
                        format!(
                            "the equation of `{}` nests {levels} levels with its named expressions written out (at most {MAX_LEVELS}): it is too deep to compile",
                            var.name
                        ),
                    )
                    .note("each named expression that uses the one before adds its own levels; write a long chain as fewer expressions that each sum several terms, or as state variables"),
                );
                continue;
            }
            let n = size(r, &sizes);
            if n <= MAX_NODES {
                continue;
            }
            self.cx.push(
                Diagnostic::new(
                    span,
                    format!(
                        "the equation of `{}` has {n:.0} terms with its named expressions written out (at most {MAX_NODES:.0}): its Jacobian would take too long to compile",
                        var.name
                    ),
                )
                .note("named expressions that use the one before them several times double or triple in size at each level; write such a chain with fewer uses per level, or as state variables"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The errors of checking a model whose equation uses the last of a chain of `n` named
    /// expressions, each the one before plus a term.
    fn chain_errors(n: usize) -> Vec<String> {
        let exprs: Vec<String> = (2..=n).map(|k| format!("e{k} = e{} + x * {k}.0", k - 1)).collect();
        let src = format!(
            "model Chain; parameters {{ k: 1 1/ms }} state {{ x: 1 }} expressions {{ e1 = x, {} }} equations {{ dx/dt = -k * e{n} }}",
            exprs.join(", ")
        );
        let cx = crate::diag::Ctxt::new();
        let ast = crate::parse_tokens::parse_model(src.parse().unwrap(), &cx).unwrap();
        let _ = crate::check::check(&ast, &cx);
        cx.take().into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn a_chain_deeper_than_the_bound_is_refused() {
        // The equation's depth: `*` over `k` and e_n, which is n - 1 additions over e1 = x.
        assert_eq!(chain_errors(400), Vec::<String>::new());
        assert_eq!(
            chain_errors(600),
            ["the equation of `x` nests 602 levels with its named expressions written out (at most 500): it is too deep to compile"]
        );
    }

    #[test]
    fn sizes_count_each_use_of_a_named_expression_in_full() {
        let v = || Box::new(Ir::Var(Sym::State(0)));
        let e = |k| Box::new(Ir::Var(Sym::Named(k)));
        // e0 = v + v (3 nodes); e1 = e0 * e0 (1 + 2·3 = 7); e2 = e1 + e1 + e0 (2 + 14 + 3 = 19).
        let defs = vec![Ir::Add(v(), v()), Ir::Mul(e(0), e(0)), Ir::Add(Box::new(Ir::Add(e(1), e(1))), e(0))];
        assert_eq!(named_sizes(&defs), vec![3.0, 7.0, 19.0]);
        // Depths: e0 = v + v (2), e1 = e0 * e0 (3), e2 = (e1 + e1) + e0 (2 + 3 = 5).
        assert_eq!(named_depths(&defs), vec![2, 3, 5]);
        assert_eq!(depth(&Ir::Neg(e(2)), &named_depths(&defs)), 6);
    }
}
