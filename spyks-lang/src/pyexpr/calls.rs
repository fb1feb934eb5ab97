//! Function calls of spyks expressions: SymPy's names and argument forms mapped onto the
//! language's functions.

use crate::ast::{BinOp, Expr, ExprKind, Quantity};
use crate::span::{Name, Span};

/// A call, with SymPy's forms that the language's functions do not take written out:
/// `Max(a, b, c)` and `Min(...)` of any number of arguments (`Max(a)` is `a`), `log(x, b)` (the
/// logarithm of `x` in base `b`) and `Heaviside(x, h0)` (the value `h0` at `x = 0`).
pub(super) fn sympy_call(name: Name, mut args: Vec<Expr>, span: Span) -> Expr {
    let call = |f: &str, args: Vec<Expr>| Expr::new(ExprKind::Call(Name::new(f, name.span), args), span);
    let number = |text: &str| Expr::new(ExprKind::Number(Quantity { text: text.into(), negative: false, unit: None, span }), span);
    match (name.name.as_str(), args.len()) {
        ("max" | "min", 1) => Expr::new(args.pop().unwrap().kind, span),
        ("max" | "min", n) if n > 2 => {
            let mut it = args.into_iter();
            let first = it.next().unwrap();
            it.fold(first, |acc, a| call(&name.name, vec![acc, a]))
        }
        ("log", 2) => {
            let base = args.pop().unwrap();
            let x = args.pop().unwrap();
            Expr::new(ExprKind::Binary(BinOp::Div, Box::new(call("log", vec![x])), Box::new(call("log", vec![base]))), span)
        }
        ("heaviside", 2) => {
            let h0 = args.pop().unwrap();
            let x = args.pop().unwrap();
            let cmp = |op, x: &Expr| Expr::new(ExprKind::Binary(op, Box::new(x.clone()), Box::new(number("0"))), span);
            let below = Expr::new(ExprKind::If(Box::new(cmp(BinOp::Lt, &x)), Box::new(number("0")), Box::new(h0)), span);
            Expr::new(ExprKind::If(Box::new(cmp(BinOp::Gt, &x)), Box::new(number("1")), Box::new(below)), span)
        }
        _ => Expr::new(ExprKind::Call(name, args), span),
    }
}

/// Maps SymPy's function names onto the language's lower-case names.
pub(super) fn normalise_function(name: &str) -> String {
    match name {
        "Abs" => "abs",
        "Max" => "max",
        "Min" => "min",
        "Heaviside" => "heaviside",
        "Pow" => "pow",
        other => other,
    }
    .to_string()
}
