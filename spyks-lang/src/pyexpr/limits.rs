//! Size limits of expressions (YAML and, for the depth, inline), which keep the compiler's
//! stack safe.

use crate::ast::{Expr, ExprKind};
use crate::diag::Diagnostic;
use crate::span::Span;

/// The deepest nesting of parentheses, calls, prefix signs and exponents the parser follows
/// (Python's own parser stops at 200 nested parentheses). Deeper, the recursive parser and the
/// stages after it would overflow the compiler's stack.
pub const MAX_NESTING: usize = 100;

/// The deepest expression tree the stages after parsing take (checks, symbolic derivatives,
/// code generation all recurse over it): a sum of about 500 terms.
pub const MAX_DEPTH: usize = 500;

/// The most tokens (names, numbers, operators) in one expression. A tree is at most this deep
/// while it is built, and dropping a much deeper one would overflow the stack too.
pub const MAX_TOKENS: usize = 4000;

/// The depth of an expression tree, counted without recursion.
fn depth(e: &Expr) -> usize {
    let (mut max, mut stack) = (0, vec![(e, 1)]);
    while let Some((e, d)) = stack.pop() {
        max = max.max(d);
        match &e.kind {
            ExprKind::Unary(_, a) => stack.push((a, d + 1)),
            ExprKind::Binary(_, a, b) => stack.extend([(&**a, d + 1), (&**b, d + 1)]),
            ExprKind::Call(_, args) => stack.extend(args.iter().map(|a| (a, d + 1))),
            ExprKind::If(c, a, b) => stack.extend([(&**c, d + 1), (&**a, d + 1), (&**b, d + 1)]),
            ExprKind::Number(_) | ExprKind::Ident(_) | ExprKind::Bool(_) => {}
        }
    }
    max
}

/// An error at `span` when `e` is deeper than [`MAX_DEPTH`], for inline and YAML expressions
/// alike.
pub(crate) fn check_depth(e: &Expr, span: Span) -> Result<(), Diagnostic> {
    let depth = depth(e);
    if depth <= MAX_DEPTH {
        return Ok(());
    }
    let msg = format!("this expression is too deep to compile: its operations nest {depth} levels, at most {MAX_DEPTH}");
    Err(Diagnostic::new(span, msg).note("help: a sum of more than about 500 terms is too long; group the terms in parentheses"))
}
