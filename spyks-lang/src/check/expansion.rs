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

/// The most levels a right-hand side may nest with its named expressions written out: the
/// parser's bound on one expression ([`crate::pyexpr::MAX_DEPTH`]). The derivatives and the
/// code generation recurse over the written-out tree; a chain of 1500 named expressions each
/// adding a term to the one before (1500 levels) overflowed the compiler's stack, while
/// every expression alone was shallow.
const MAX_LEVELS: usize = crate::pyexpr::MAX_DEPTH;

/// The size of an expression with its named expressions written out: nodes (as f64, since
/// they can grow past any integer in a long chain) and levels.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Written {
    nodes: f64,
    levels: usize,
}

/// [`Written`] of each named expression, each from those before it.
fn named_written(defs: &[Ir]) -> Vec<Written> {
    let mut out = Vec::with_capacity(defs.len());
    for d in defs {
        let w = written(d, &out);
        out.push(w);
    }
    out
}

/// [`Written`] of `e`, given that of the named expressions it may use, in one walk without
/// recursion (the expression may be deep).
fn written(e: &Ir, named: &[Written]) -> Written {
    let (mut nodes, mut levels, mut stack) = (0.0, 0, vec![(e, 1)]);
    while let Some((e, d)) = stack.pop() {
        let below = match e {
            Ir::Var(Sym::Named(k)) => named.get(*k).copied().unwrap_or(Written { nodes: 1.0, levels: 1 }),
            _ => Written { nodes: 1.0, levels: 1 },
        };
        nodes += below.nodes;
        levels = levels.max(d + below.levels - 1);
        stack.extend(e.children().map(|c| (c, d + 1)));
    }
    Written { nodes, levels }
}

impl Checker<'_> {
    /// Reports the equations that are too large with their named expressions written out.
    pub(super) fn check_expansion(&self, ast: &ModelAst, rhs: &[Ir]) {
        let named = named_written(&self.named_defs);
        for (i, r) in rhs.iter().enumerate() {
            let Some(var) = self.state.get(i) else { continue };
            let span = ast.equations.iter().find(|e| e.var.name == var.name).map_or(ast.name.span, |e| e.span);
            let Written { nodes: n, levels } = written(r, &named);
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
        let named = named_written(&defs);
        assert_eq!(named.iter().map(|w| w.nodes).collect::<Vec<_>>(), vec![3.0, 7.0, 19.0]);
        // Depths: e0 = v + v (2), e1 = e0 * e0 (3), e2 = (e1 + e1) + e0 (2 + 3 = 5).
        assert_eq!(named.iter().map(|w| w.levels).collect::<Vec<_>>(), vec![2, 3, 5]);
        assert_eq!(written(&Ir::Neg(e(2)), &named), Written { nodes: 20.0, levels: 6 });
    }
}
