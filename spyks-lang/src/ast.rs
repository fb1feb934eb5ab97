//! The surface syntax of a model, as both front ends produce it.
//!
//! `neuron_model!` (Rust tokens) and `include_model!` (spyks YAML) each parse into a
//! [`ModelAst`]; everything after that (name resolution, units, derivatives, code) is shared.

use crate::span::{Name, Span};
use crate::units::Rational;

/// A unit expression such as `mS/cm^2`, `1/(ms*mV)` or `ms^-1`.
#[derive(Clone, Debug)]
pub enum UnitExpr {
    /// A unit symbol with its prefix, e.g. `mV`, `uA`, `µS`, `ohm`.
    Symbol(Name),
    /// The number 1, as in `1/ms`.
    One(Span),
    /// A product.
    Mul(Box<UnitExpr>, Box<UnitExpr>),
    /// A quotient.
    Div(Box<UnitExpr>, Box<UnitExpr>),
    /// A power with a constant exponent.
    Pow(Box<UnitExpr>, Rational, Span),
}

impl UnitExpr {
    /// The span covering the whole unit expression.
    pub fn span(&self) -> Span {
        match self {
            UnitExpr::Symbol(n) => n.span,
            UnitExpr::One(s) => *s,
            UnitExpr::Mul(a, b) | UnitExpr::Div(a, b) => a.span().join(b.span()),
            UnitExpr::Pow(a, _, s) => a.span().join(*s),
        }
    }
}

/// A number as written, with an optional unit: `-65 mV`, `0.04 1/(ms*mV)`, `3`.
#[derive(Clone, Debug)]
pub struct Quantity {
    /// The literal as written (without sign), kept so that unit conversion by a power of ten
    /// can be done exactly, by shifting the decimal exponent and parsing again.
    pub text: String,
    /// Whether a leading minus was written.
    pub negative: bool,
    /// The unit, if any (none means dimensionless).
    pub unit: Option<UnitExpr>,
    /// Where the whole quantity is.
    pub span: Span,
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    /// `-x`
    Neg,
    /// `!c` / `not c` / `~c`
    Not,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `^` or `**`
    Pow,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `&&` / `&` / `and`
    And,
    /// `||` / `|` / `or`
    Or,
}

impl BinOp {
    /// Whether the operator compares two quantities.
    pub fn is_comparison(self) -> bool {
        matches!(self, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne)
    }

    /// The operator as written in the inline language.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Pow => "^",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::And => "&&",
            BinOp::Or => "||",
        }
    }
}

/// An expression.
#[derive(Clone, Debug)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Clone, Debug)]
pub enum ExprKind {
    /// A number with an optional unit.
    Number(Quantity),
    /// A symbol: a declared name, `t`, `pi`, `e`, `xi`.
    Ident(Name),
    /// `-x`, `!c`.
    Unary(UnOp, Box<Expr>),
    /// `a op b`.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `f(args)`; the function name is normalised to lower case by the YAML front end
    /// (`Abs` → `abs`, `Heaviside` → `heaviside`).
    Call(Name, Vec<Expr>),
    /// `if c { a } else { b }` (and `Piecewise((a, c), (b, True))`).
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// The boolean constant `true`/`True` (only useful as the last `Piecewise` condition).
    Bool(bool),
}

impl Expr {
    /// Creates an expression.
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }
}

/// A declared parameter, state variable or input with its default/initial value.
#[derive(Clone, Debug)]
pub struct Decl {
    /// The name.
    pub name: Name,
    /// Default (parameter, input) or initial (state) value, with its unit.
    pub value: Quantity,
    /// Doc comment lines.
    pub doc: Vec<String>,
}

/// A named intermediate expression such as `I_na = g_na*m^3*h*(E_na - v)`.
#[derive(Clone, Debug)]
pub struct NamedExpr {
    /// The name.
    pub name: Name,
    /// Its definition; it may use earlier named expressions.
    pub expr: Expr,
    /// Doc comment lines.
    pub doc: Vec<String>,
}

/// The right-hand side of one state variable's equation.
#[derive(Clone, Debug)]
pub enum EquationKind {
    /// `dX/dt = expr`.
    Derivative(Expr),
    /// `X: inf = a, tau = b`, meaning dX/dt = (a - X) / b.
    InfTau {
        /// Steady state.
        inf: Expr,
        /// Time constant.
        tau: Expr,
    },
    /// `X: alpha = a, beta = b`, meaning dX/dt = a (1 - X) - b X.
    AlphaBeta {
        /// Opening rate.
        alpha: Expr,
        /// Closing rate.
        beta: Expr,
    },
}

/// One equation.
#[derive(Clone, Debug)]
pub struct Equation {
    /// The state variable it is for.
    pub var: Name,
    /// The right-hand side.
    pub kind: EquationKind,
    /// The whole equation.
    pub span: Span,
}

/// `var = expr` in a reset.
#[derive(Clone, Debug)]
pub struct Assign {
    /// The state variable assigned.
    pub var: Name,
    /// The new value; it sees the values already assigned before it.
    pub expr: Expr,
}

/// A clip rule: after each step, `var` is capped at `bound` from above (`upper`) or below.
#[derive(Clone, Debug)]
pub struct Clip {
    /// The state variable.
    pub var: Name,
    /// `true` for `v <= bound` (spyks' `clip: {V: h}`), `false` for `v >= bound`.
    pub upper: bool,
    /// The bound.
    pub bound: Expr,
}

/// The refractory period: after a spike, `hold` variables keep their value for `period`.
#[derive(Clone, Debug)]
pub struct Refractory {
    /// The period, a time.
    pub period: Expr,
    /// The state variables held constant.
    pub hold: Vec<Name>,
    /// The whole section.
    pub span: Span,
}

/// `tables { v: -100 mV .. 60 mV step 0.05 mV cubic extend }`: tabulate the rate functions of
/// one variable over a range.
#[derive(Clone, Debug)]
pub struct TablesAst {
    /// The variable the tabulated functions depend on (a state variable or an input).
    pub var: Name,
    /// Lower end of the range.
    pub lo: Quantity,
    /// Upper end of the range.
    pub hi: Quantity,
    /// Grid step.
    pub step: Quantity,
    /// Options: `linear`/`cubic` (interpolation), `exact`/`extend`/`clamp` (outside the range).
    pub options: Vec<Name>,
    /// The whole declaration.
    pub span: Span,
}

/// A whole model as written.
#[derive(Clone, Debug)]
pub struct ModelAst {
    /// The Rust type name.
    pub name: Name,
    /// The visibility tokens (`pub`, `pub(crate)`, nothing).
    pub vis: proc_macro2::TokenStream,
    /// Doc comment lines (YAML: the description).
    pub doc: Vec<String>,
    /// Parameters, in declared order.
    pub params: Vec<Decl>,
    /// State variables, in declared order.
    pub state: Vec<Decl>,
    /// Inputs (forcing), in declared order.
    pub inputs: Vec<Decl>,
    /// Named intermediate expressions, in order.
    pub exprs: Vec<NamedExpr>,
    /// Equations, one per state variable.
    pub equations: Vec<Equation>,
    /// The spike condition.
    pub threshold: Option<Expr>,
    /// Reset assignments, applied in order.
    pub reset: Vec<Assign>,
    /// Clip rules.
    pub clip: Vec<Clip>,
    /// Refractory period.
    pub refractory: Option<Refractory>,
    /// Lookup tables for the rate functions (opt-in).
    pub tables: Option<TablesAst>,
    /// Where the model came from, for docs (`"inline"` or the YAML path).
    pub origin: String,
}

impl ModelAst {
    /// A model with a name and nothing declared yet, as the parsers start one.
    pub fn empty(name: Name, vis: proc_macro2::TokenStream, doc: Vec<String>, origin: String) -> Self {
        ModelAst {
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
            tables: None,
            origin,
        }
    }
}

impl Expr {
    /// The expression as text, with the parentheses its structure needs (for messages).
    pub fn to_text(&self) -> String {
        self.text_prec(0)
    }

    fn prec(&self) -> u8 {
        match &self.kind {
            ExprKind::Binary(op, ..) => match op {
                BinOp::Or => 1,
                BinOp::And => 2,
                BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne => 3,
                BinOp::Add | BinOp::Sub => 4,
                BinOp::Mul | BinOp::Div => 5,
                BinOp::Pow => 7,
            },
            ExprKind::Unary(..) => 6,
            ExprKind::If(..) => 0,
            _ => 8,
        }
    }

    fn text_prec(&self, min: u8) -> String {
        let p = self.prec();
        let s = match &self.kind {
            ExprKind::Number(q) => {
                let mut s = format!("{}{}", if q.negative { "-" } else { "" }, q.text);
                if let Some(u) = &q.unit {
                    s.push(' ');
                    s.push_str(&unit_to_text(u));
                }
                s
            }
            ExprKind::Ident(n) => n.name.clone(),
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::Unary(op, a) => format!("{}{}", if *op == UnOp::Neg { "-" } else { "!" }, a.text_prec(p)),
            ExprKind::Binary(op, a, b) => {
                // Left-associative except for powers.
                let (lp, rp) = if *op == BinOp::Pow { (p + 1, p) } else { (p, p + 1) };
                format!("{} {} {}", a.text_prec(lp), op.symbol(), b.text_prec(rp))
            }
            ExprKind::Call(f, args) => {
                format!("{}({})", f.name, args.iter().map(|a| a.text_prec(0)).collect::<Vec<_>>().join(", "))
            }
            ExprKind::If(c, a, b) => format!("if {} {{ {} }} else {{ {} }}", c.to_text(), a.to_text(), b.to_text()),
        };
        if p < min { format!("({s})") } else { s }
    }
}

/// A unit expression as text (`mS/cm^2`, `1/(ms*mV)`, `mV/ms^(1/2)`) that reads back as the
/// same unit: `*` and `/` associate to the left with equal precedence, so a product is
/// parenthesised after `/` and under `^`, and a fractional exponent is parenthesised.
pub fn unit_to_text(u: &UnitExpr) -> String {
    /// `top`: the whole expression (a quotient needs no parentheses); `tight`: after `/` or
    /// under `^`, where a product does.
    fn go(u: &UnitExpr, top: bool, tight: bool) -> String {
        match u {
            UnitExpr::Symbol(n) => n.name.clone(),
            UnitExpr::One(_) => "1".into(),
            UnitExpr::Mul(a, b) => {
                let s = format!("{}*{}", go(a, false, false), go(b, false, false));
                if tight { format!("({s})") } else { s }
            }
            UnitExpr::Div(a, b) => {
                let s = format!("{}/{}", go(a, false, false), go(b, false, true));
                if top { s } else { format!("({s})") }
            }
            UnitExpr::Pow(a, r, _) if r.den == 1 => format!("{}^{r}", go(a, false, true)),
            UnitExpr::Pow(a, r, _) => format!("{}^({r})", go(a, false, true)),
        }
    }
    go(u, true, false)
}

#[cfg(test)]
mod tests {
    use super::unit_to_text;
    use crate::span::{Span, TextSpan};
    use crate::units::{eval_unit, parse_unit_text};

    /// The text of a unit reads back as the same unit (dimension and conversion factor), for
    /// the forms where the printer must add parentheses: a product after `/` or under `^`,
    /// and a fractional exponent.
    #[test]
    fn a_unit_as_text_reads_back_as_the_same_unit() {
        let at = |a: usize, b: usize| Span::text(proc_macro2::Span::call_site(), TextSpan { source: 0, start: a as u32, end: b as u32 });
        for text in ["mS/cm^2", "1/(ms*mV)", "mV/ms^(1/2)", "(mV*ms)^2", "nS/(mV*ms)/um^2", "ms^-1", "uA/cm**2", "m^(-2)"] {
            let expr = parse_unit_text(text, &at).unwrap();
            let printed = unit_to_text(&expr);
            let (a, b) = (eval_unit(&expr).unwrap(), eval_unit(&parse_unit_text(&printed, &at).unwrap()).unwrap());
            assert_eq!((a.dim, a.pow10, a.factor), (b.dim, b.pow10, b.factor), "{text} printed as {printed}");
        }
    }
}
