//! Lowering of expressions to [`Ir`] with their types: names, operators, powers and function
//! calls, with the dimension checks that go with each.

use super::{Checker, Place, Ty};
use crate::ast::*;
use crate::diag::Diagnostic;
use crate::ir::{Cmp, Func, Ir, Sym};
use crate::span::Name;
use crate::units::{self, Dim, Rational};

/// The number of `e` when it is a number without a unit, possibly negated.
fn plain_number(e: &Expr) -> Option<&Quantity> {
    match &e.kind {
        ExprKind::Number(q) if q.unit.is_none() => Some(q),
        ExprKind::Unary(UnOp::Neg, a) => match &a.kind {
            ExprKind::Number(q) if q.unit.is_none() => Some(q),
            _ => None,
        },
        _ => None,
    }
}

impl Checker<'_> {
    /// Whether `e` is a plain `0` of a spyks file, which stands for zero in any unit: Pint
    /// compares and adds a quantity with 0 whatever its unit, and expressions there cannot carry
    /// units (`V >= 0`, `Piecewise((g*(E - V), V > 0), (0, True))`, a reset to `0`).
    pub(super) fn any_zero(&self, e: &Expr) -> bool {
        self.yaml && plain_number(e).is_some_and(|q| q.text.parse::<f64>() == Ok(0.0))
    }

    /// The dimensions of two operands that must agree, after a plain `0` of a spyks file has
    /// taken the dimension of the other side.
    fn agree(&self, a: &Expr, da: Dim, b: &Expr, db: Dim) -> (Dim, Dim) {
        match (self.any_zero(a), self.any_zero(b)) {
            (true, false) => (db, db),
            (false, true) => (da, da),
            _ => (da, db),
        }
    }

    /// `d` with, in a spyks file where one of `sides` is a number without a unit, the help
    /// to declare it as a parameter with its unit.
    pub(super) fn with_unitless_help(&self, d: Diagnostic, sides: &[&Expr]) -> Diagnostic {
        if self.yaml && sides.iter().any(|e| plain_number(e).is_some()) {
            d.note(
                "help: numbers in a model file's expressions carry no unit (only 0 fits any unit): declare the value \
                 under `parameters:` with its unit, such as `V_th: -50 mV`, and use its name",
            )
        } else {
            d
        }
    }

    fn describe_side(&self, e: &Expr, d: Dim) -> String {
        let s = e.to_text();
        if s.chars().count() <= 50 { format!("`{s}` is {}", d.describe()) } else { format!("that side is {}", d.describe()) }
    }

    pub(super) fn lower(&mut self, e: &Expr, place: Place) -> Option<(Ir, Ty)> {
        use ExprKind as K;
        Some(match &e.kind {
            K::Number(q) => match units::quantity_value(q) {
                Ok((v, d)) => (Ir::Const(v), Ty::Num(d)),
                Err(diag) => {
                    self.cx.push(diag);
                    return None;
                }
            },
            K::Bool(b) => (Ir::Const(if *b { 1.0 } else { 0.0 }), Ty::Bool),
            K::Ident(n) => {
                if let Some(&(s, d)) = self.scope.get(&n.name) {
                    (Ir::Var(s), Ty::Num(d))
                } else if self.cx.is_poisoned(&n.name) {
                    // A rejected declaration (`t` or `xi` as a parameter, a keyword), already
                    // reported: its uses are not time or noise, nor errors of their own.
                    return None;
                } else {
                    match n.name.as_str() {
                        "t" => (Ir::Var(Sym::Time), Ty::Num(Dim::TIME)),
                        "pi" => (Ir::Const(std::f64::consts::PI), Ty::Num(Dim::DIMENSIONLESS)),
                        "e" => (Ir::Const(std::f64::consts::E), Ty::Num(Dim::DIMENSIONLESS)),
                        "xi" if place == Place::Equation => (Ir::Var(Sym::Noise), Ty::Num(Dim::TIME.pow(Rational::new(-1, 2)))),
                        "xi" => {
                            self.cx.error(n.span, "the white-noise term `xi` may only appear in equations (`dX/dt = ... + sigma*xi`)");
                            return None;
                        }
                        _ => {
                            self.unknown(n);
                            return None;
                        }
                    }
                }
            }
            K::Unary(UnOp::Neg, a) => {
                let (a, d) = self.num(a, place, "the operand of `-`")?;
                (Ir::Neg(Box::new(a)), Ty::Num(d))
            }
            K::Unary(UnOp::Not, a) => {
                let c = self.condition(a, "the operand of `!`")?;
                (Ir::Not(Box::new(c)), Ty::Bool)
            }
            K::Binary(op, a, b) => return self.binary(e, *op, a, b, place),
            K::Call(f, args) => return self.call(e, f, args, place),
            K::If(c, a, b) => {
                let c = self.condition(c, "an `if` condition");
                let ra = self.num(a, place, "an `if` branch");
                let rb = self.num(b, place, "an `else` branch");
                let (c, (a_ir, da), (b_ir, db)) = (c?, ra?, rb?);
                let (da, db) = self.agree(a, da, b, db);
                if da != db {
                    self.cx.error(
                        e.span,
                        format!(
                            "the branches of this `if` differ in dimension: {} and {}",
                            self.describe_side(a, da),
                            self.describe_side(b, db)
                        ),
                    );
                    return None;
                }
                (Ir::If(Box::new(c), Box::new(a_ir), Box::new(b_ir)), Ty::Num(da))
            }
        })
    }

    fn binary(&mut self, e: &Expr, op: BinOp, a: &Expr, b: &Expr, place: Place) -> Option<(Ir, Ty)> {
        if matches!(op, BinOp::And | BinOp::Or) {
            let ca = self.condition(a, &format!("the left side of `{}`", op.symbol()));
            let cb = self.condition(b, &format!("the right side of `{}`", op.symbol()));
            let (ca, cb) = (Box::new(ca?), Box::new(cb?));
            return Some((if op == BinOp::And { Ir::And(ca, cb) } else { Ir::Or(ca, cb) }, Ty::Bool));
        }
        if op == BinOp::Pow {
            return self.power(e, a, b, place);
        }
        let ra = self.num(a, place, &format!("the left side of `{}`", op.symbol()));
        let rb = self.num(b, place, &format!("the right side of `{}`", op.symbol()));
        let ((ai, da), (bi, db)) = (ra?, rb?);
        let (ai, bi) = (Box::new(ai), Box::new(bi));
        let (da, db) = if matches!(op, BinOp::Mul | BinOp::Div) { (da, db) } else { self.agree(a, da, b, db) };
        match op {
            BinOp::Mul => Some((Ir::Mul(ai, bi), Ty::Num(da * db))),
            BinOp::Div => Some((Ir::Div(ai, bi), Ty::Num(da / db))),
            BinOp::Add | BinOp::Sub => {
                if da != db {
                    let verb = if op == BinOp::Add { "add" } else { "subtract" };
                    let d = Diagnostic::new(e.span, format!("cannot {verb} {} and {}", da.describe(), db.describe()))
                        .note(format!("note: {}", self.describe_side(a, da)))
                        .note(format!("note: {}", self.describe_side(b, db)));
                    self.cx.push(self.with_unitless_help(d, &[a, b]));
                    return None;
                }
                Some((if op == BinOp::Add { Ir::Add(ai, bi) } else { Ir::Sub(ai, bi) }, Ty::Num(da)))
            }
            _ => {
                if da != db {
                    let d = Diagnostic::new(e.span, format!("cannot compare {} with {}", da.describe(), db.describe()))
                        .note(format!("note: {}", self.describe_side(a, da)))
                        .note(format!("note: {}", self.describe_side(b, db)));
                    self.cx.push(self.with_unitless_help(d, &[a, b]));
                    return None;
                }
                let c = match op {
                    BinOp::Lt => Cmp::Lt,
                    BinOp::Le => Cmp::Le,
                    BinOp::Gt => Cmp::Gt,
                    BinOp::Ge => Cmp::Ge,
                    BinOp::Eq => Cmp::Eq,
                    _ => Cmp::Ne,
                };
                Some((Ir::Cmp(c, ai, bi), Ty::Bool))
            }
        }
    }

    fn power(&mut self, e: &Expr, a: &Expr, b: &Expr, place: Place) -> Option<(Ir, Ty)> {
        let ra = self.num(a, place, "the base of a power");
        let rb = self.num(b, place, "an exponent");
        let ((ai, da), (bi, db)) = (ra?, rb?);
        if db != Dim::DIMENSIONLESS {
            self.cx.error(b.span, format!("an exponent must be dimensionless, found {}", db.describe()));
            return None;
        }
        let Some(p) = crate::eval::const_value(&bi) else {
            if da == Dim::DIMENSIONLESS {
                return Some((Ir::Powf(Box::new(ai), Box::new(bi)), Ty::Num(da)));
            }
            self.cx.push(
                Diagnostic::new(
                    b.span,
                    format!(
                        "the exponent of a quantity with a dimension must be a constant number; `{}` is {}",
                        a.to_text(),
                        da.describe()
                    ),
                )
                .note("help: the dimension of the result would change with the exponent's value"),
            );
            return None;
        };
        if p.fract() == 0.0 && p.abs() <= 64.0 {
            let n = p as i32;
            return Some((Ir::Powi(Box::new(ai), n), Ty::Num(da.pow(Rational::new(n, 1)))));
        }
        if da == Dim::DIMENSIONLESS {
            return Some((Ir::Powf(Box::new(ai), Box::new(Ir::Const(p))), Ty::Num(da)));
        }
        match rational_of(p, crate::units::MAX_DENOMINATOR).and_then(|r| da.checked_pow(r)) {
            Some(d) => Some((Ir::Powf(Box::new(ai), Box::new(Ir::Const(p))), Ty::Num(d))),
            None => {
                // Show the exponent as the fraction it is, when it is one.
                let shown = rational_of(p, 1000).map_or_else(|| p.to_string(), |r| r.to_string());
                self.cx.error(e.span, crate::units::cannot_raise(&da.describe(), &shown));
                None
            }
        }
    }

    fn call(&mut self, e: &Expr, f: &Name, args: &[Expr], place: Place) -> Option<(Ir, Ty)> {
        if f.name == "pow" {
            if args.len() != 2 {
                self.cx.error(e.span, format!("`pow` takes 2 arguments (base, exponent), found {}", args.len()));
                return None;
            }
            return self.power(e, &args[0], &args[1], place);
        }
        let Some((func, arity)) = Func::from_name(&f.name) else {
            let mut d = Diagnostic::new(f.span, format!("unknown function `{}`", f.name));
            if let Some(s) = units::closest(&f.name, Func::NAMES.iter().copied()) {
                d = d.note(format!("help: did you mean `{s}`?"));
            }
            self.cx.push(d.note(format!("the functions are: {}", Func::NAMES.join(", "))));
            return None;
        };
        if args.len() != arity {
            self.cx
                .error(e.span, format!("`{}` takes {arity} argument{}, found {}", f.name, if arity == 1 { "" } else { "s" }, args.len()));
            return None;
        }
        let mut lowered = Vec::new();
        for a in args {
            lowered.push(self.num(a, place, &format!("an argument of `{}`", f.name)));
        }
        // These are dimensionless whatever their argument: after an error in the argument they
        // still stand for a dimensionless value (the model is rejected anyway), so that an
        // independent error around the call is reported in the same compile.
        let dimensionless =
            matches!(func, Func::Exp | Func::Expm1 | Func::Log | Func::Log1p | Func::Tanh | Func::Cosh | Func::Sinh | Func::Heaviside);
        let failed = || Some((Ir::Const(0.0), Ty::Num(Dim::DIMENSIONLESS)));
        let Some(lowered) = lowered.into_iter().collect::<Option<Vec<(Ir, Dim)>>>() else {
            return if dimensionless { failed() } else { None };
        };
        let dim = match func {
            Func::Exp | Func::Expm1 | Func::Log | Func::Log1p | Func::Tanh | Func::Cosh | Func::Sinh => {
                let d = lowered[0].1;
                if d != Dim::DIMENSIONLESS {
                    let mut diag = Diagnostic::new(
                        args[0].span,
                        format!("the argument of `{}` must be dimensionless, found {}", f.name, d.describe()),
                    );
                    diag = diag.note(format!("help: divide by a scale with the same dimension, as in `{}(v / 10 mV)`", f.name));
                    self.cx.push(diag);
                    return failed();
                }
                Dim::DIMENSIONLESS
            }
            Func::Sqrt => lowered[0].1.pow(Rational::new(1, 2)),
            Func::Abs => lowered[0].1,
            Func::Heaviside => Dim::DIMENSIONLESS,
            Func::Min | Func::Max => {
                let (d0, d1) = self.agree(&args[0], lowered[0].1, &args[1], lowered[1].1);
                if d0 != d1 {
                    self.cx.error(
                        e.span,
                        format!("the arguments of `{}` differ in dimension: {} and {}", f.name, d0.describe(), d1.describe()),
                    );
                    return None;
                }
                d0
            }
        };
        Some((Ir::Call(func, lowered.into_iter().map(|(i, _)| i).collect()), Ty::Num(dim)))
    }
}

/// The simple fraction equal to `p` with a denominator up to `max_den`, if any.
fn rational_of(p: f64, max_den: i32) -> Option<Rational> {
    (1..=max_den).find_map(|den| {
        let num = p * den as f64;
        ((num - num.round()).abs() < 1e-12 && num.abs() < i32::MAX as f64).then(|| Rational::new(num.round() as i32, den))
    })
}

#[cfg(test)]
mod tests {
    /// The errors of checking a membrane whose equation is `dv/dt = <rhs>`.
    fn errors(rhs: &str) -> Vec<String> {
        crate::check::error_messages(&format!("model M; parameters {{ tau: 10 ms }} state {{ v: 1 mV }} equations {{ dv/dt = {rhs} }}"))
    }

    /// A power of a power obeys the rule of one power, as a unit string does: mV^(1/2)
    /// raised to 1/7 would be mV^(1/14). Nested ten times, the exponent's denominator had
    /// overflowed (printed as 1/mV^(1/-167620825)).
    #[test]
    fn a_power_of_a_power_keeps_the_denominator_rule() {
        assert_eq!(errors("(v^(1/2))^2 / 1 mV * 1 mV / tau"), Vec::<String>::new());
        assert_eq!(
            errors("(v^(1/2))^(1/7) / tau"),
            [
                "cannot raise dimension mV^(1/2) to the power 1/7: a dimension can only be raised to a fraction whose denominator is at most 12"
            ]
        );
    }
}
