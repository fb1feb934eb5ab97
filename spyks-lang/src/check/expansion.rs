//! Bounds on the size and depth of the equations with their named expressions written out.
//!
//! The Jacobians, exponential-Euler coefficients and linearity analysis are derived from the
//! right-hand sides with every named expression written out in place, so an expression that
//! uses the one before it several times (`e2 = tanh(e1)*e1 + s*e1`, and so on) grows
//! threefold per level. A chain of ten made 52 MB of code and a compiler that ran out of
//! memory; a chain of eight, 4.9 MB and 9 s. Beyond this bound the model is refused with an
//! error saying why, instead of a compiler that runs for minutes or is killed.

use super::Checker;
use crate::diag::Diagnostic;
use crate::ir::{Ir, Sym};
use crate::span::Span;

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
pub(super) struct Written {
    nodes: f64,
    levels: usize,
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
    /// Records the written-out size of the named expression just lowered (in order, so that
    /// each is measured from those before it).
    pub(super) fn measure_named(&mut self, def: &Ir) {
        let w = written(def, &self.named_written);
        self.named_written.push(w);
    }

    /// Whether `e` (`what`: "the equation of `v`", "the threshold", ...) is small and shallow
    /// enough with its named expressions written out; if not, reports it at `span`. Asked
    /// before anything writes `e` out, which would otherwise take that time and memory.
    pub(super) fn within_bounds(&self, e: &Ir, span: Span, what: &str) -> bool {
        let Written { nodes, levels } = written(e, &self.named_written);
        let (message, note) = if levels > MAX_LEVELS {
            (
                format!(
                    "{what} nests {levels} levels with its named expressions written out (at most {MAX_LEVELS}): it is too deep to compile"
                ),
                "each named expression that uses the one before adds its own levels; write a long chain as fewer expressions that each sum several terms, or as state variables",
            )
        } else if nodes > MAX_NODES {
            (
                format!(
                    "{what} has {nodes:.0} terms with its named expressions written out (at most {MAX_NODES:.0}): it would take too long to compile"
                ),
                "named expressions that use the one before them several times double or triple in size at each level; write such a chain with fewer uses per level, or as state variables",
            )
        } else {
            return true;
        };
        self.cx.push(Diagnostic::new(span, message).note(note));
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`Written`] of each named expression, each from those before it.
    fn named_written(defs: &[Ir]) -> Vec<Written> {
        let mut out = Vec::with_capacity(defs.len());
        for d in defs {
            let w = written(d, &out);
            out.push(w);
        }
        out
    }

    /// The errors of checking a model with a chain of `n` named expressions, each the one
    /// before plus a term (e_n = x + 2x + ... + n·x, n + 1 levels deep: each sum over the product k·x), and the items `items`
    /// that may use e_n (state x, parameter k).
    fn chain_errors(n: usize, items: &str) -> Vec<String> {
        let exprs: Vec<String> = (2..=n).map(|k| format!("e{k} = e{} + x * {k}.0", k - 1)).collect();
        crate::check::error_messages(&format!(
            "model Chain; parameters {{ k: 1 1/ms }} state {{ x: 1 }} expressions {{ e1 = x, {} }} {items}",
            exprs.join(", ")
        ))
    }

    #[test]
    fn a_chain_deeper_than_the_bound_is_refused() {
        // The equation's depth: `*` over e_n.
        let uses = |n: usize| format!("equations {{ dx/dt = -k * e{n} }}");
        assert_eq!(chain_errors(400, &uses(400)), Vec::<String>::new());
        assert_eq!(
            chain_errors(600, &uses(600)),
            ["the equation of `x` nests 602 levels with its named expressions written out (at most 500): it is too deep to compile"]
        );
    }

    /// The threshold and the reset are written out too, and were not bounded: a chain of
    /// 1500 in the threshold passed the checker and overflowed the code generator's stack.
    #[test]
    fn a_chain_too_deep_in_the_threshold_or_a_reset_is_refused() {
        // `e_n >= 2` is one level over e_n; a reset `x = e_n / 2` likewise.
        let items = |n: usize| format!("equations {{ dx/dt = -k * x }} threshold {{ e{n} >= 2 }} reset {{ x = e{n} / 2 }}");
        assert_eq!(chain_errors(400, &items(400)), Vec::<String>::new());
        assert_eq!(
            chain_errors(600, &items(600)),
            [
                "the reset of `x` nests 602 levels with its named expressions written out (at most 500): it is too deep to compile",
                "the threshold nests 602 levels with its named expressions written out (at most 500): it is too deep to compile"
            ]
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
