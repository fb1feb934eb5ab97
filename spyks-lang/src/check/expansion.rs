//! A bound on the size of the equations with their named expressions written out.
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

impl Checker<'_> {
    /// Reports the equations that are too large with their named expressions written out.
    pub(super) fn check_expansion(&self, ast: &ModelAst, rhs: &[Ir]) {
        let sizes = named_sizes(&self.named_defs);
        for (i, r) in rhs.iter().enumerate() {
            let n = size(r, &sizes);
            if n <= MAX_NODES {
                continue;
            }
            let Some(var) = self.state.get(i) else { continue };
            let span = ast.equations.iter().find(|e| e.var.name == var.name).map_or(ast.name.span, |e| e.span);
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

    #[test]
    fn sizes_count_each_use_of_a_named_expression_in_full() {
        let v = || Box::new(Ir::Var(Sym::State(0)));
        let e = |k| Box::new(Ir::Var(Sym::Named(k)));
        // e0 = v + v (3 nodes); e1 = e0 * e0 (1 + 2·3 = 7); e2 = e1 + e1 + e0 (2 + 14 + 3 = 19).
        let defs = vec![Ir::Add(v(), v()), Ir::Mul(e(0), e(0)), Ir::Add(Box::new(Ir::Add(e(1), e(1))), e(0))];
        assert_eq!(named_sizes(&defs), vec![3.0, 7.0, 19.0]);
    }
}
