//! The checked model: names resolved to indices, every quantity converted to the internal
//! unit system (ms, mV, pA, nS, pF, µm, mM), and expressions reduced to plain f64 arithmetic.
//! Symbolic differentiation ([`crate::diff`]) and code generation work on this form.

use crate::units::Dim;

/// What a symbol in an expression refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sym {
    /// State variable by index.
    State(usize),
    /// Parameter by index.
    Param(usize),
    /// Input by index.
    Input(usize),
    /// Named intermediate expression by index.
    Named(usize),
    /// Time `t`.
    Time,
    /// The white-noise term `xi` (dimension time^-1/2).
    Noise,
    /// The k-th tabulated function of the model's table variable (see [`crate::tabulate`]).
    Table(usize),
}

/// Functions of the language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    /// e^x
    Exp,
    /// e^x - 1, accurate near 0
    Expm1,
    /// natural logarithm
    Log,
    /// ln(1 + x), accurate near 0
    Log1p,
    /// square root
    Sqrt,
    /// hyperbolic tangent
    Tanh,
    /// hyperbolic cosine
    Cosh,
    /// hyperbolic sine
    Sinh,
    /// absolute value
    Abs,
    /// smaller of two
    Min,
    /// larger of two
    Max,
    /// 1 for x > 0, 0 for x < 0, 1/2 at 0 (SymPy's convention, as spyks uses it)
    Heaviside,
}

impl Func {
    /// Looks a function up by its (lower-case) name and returns it with its arity.
    pub fn from_name(name: &str) -> Option<(Func, usize)> {
        Some(match name {
            "exp" => (Func::Exp, 1),
            "expm1" => (Func::Expm1, 1),
            "log" | "ln" => (Func::Log, 1),
            "log1p" => (Func::Log1p, 1),
            "sqrt" => (Func::Sqrt, 1),
            "tanh" => (Func::Tanh, 1),
            "cosh" => (Func::Cosh, 1),
            "sinh" => (Func::Sinh, 1),
            "abs" => (Func::Abs, 1),
            "min" => (Func::Min, 2),
            "max" => (Func::Max, 2),
            "heaviside" => (Func::Heaviside, 1),
            _ => return None,
        })
    }

    /// All function names, for suggestions.
    pub const NAMES: &'static [&'static str] =
        &["exp", "expm1", "log", "log1p", "sqrt", "tanh", "cosh", "sinh", "abs", "min", "max", "pow", "heaviside"];
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cmp {
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
}

/// An expression in internal units. Boolean-valued nodes (`Cmp`, `And`, `Or`, `Not`) only
/// appear as conditions of `If`, the threshold and in `heaviside`-free logic.
#[derive(Clone, Debug, PartialEq)]
pub enum Ir {
    /// A constant (already in internal units).
    Const(f64),
    /// A symbol.
    Var(Sym),
    /// -a
    Neg(Box<Ir>),
    /// a + b
    Add(Box<Ir>, Box<Ir>),
    /// a - b
    Sub(Box<Ir>, Box<Ir>),
    /// a * b
    Mul(Box<Ir>, Box<Ir>),
    /// a / b
    Div(Box<Ir>, Box<Ir>),
    /// a^n, integer n
    Powi(Box<Ir>, i32),
    /// a^b, general (b constant when a has a dimension)
    Powf(Box<Ir>, Box<Ir>),
    /// f(args)
    Call(Func, Vec<Ir>),
    /// if c { a } else { b }
    If(Box<Ir>, Box<Ir>, Box<Ir>),
    /// a op b (boolean)
    Cmp(Cmp, Box<Ir>, Box<Ir>),
    /// a && b (boolean)
    And(Box<Ir>, Box<Ir>),
    /// a || b (boolean)
    Or(Box<Ir>, Box<Ir>),
    /// !a (boolean)
    Not(Box<Ir>),
}

/// A variable of the model (state, parameter, input or named expression).
#[derive(Clone, Debug)]
pub struct Var {
    /// Its name as declared (a valid Rust identifier).
    pub name: String,
    /// Its dimension.
    pub dim: Dim,
    /// Its unit in the internal system, for docs and messages (`"mV"`, `"nS/µm^2"`).
    pub unit: String,
    /// The unit the user declared it in (`"mS/cm^2"`), for docs.
    pub user_unit: String,
    /// Default/initial value in internal units (unused for named expressions).
    pub default: f64,
    /// Doc comment lines.
    pub doc: Vec<String>,
}

/// A clip rule in IR form.
#[derive(Clone, Debug)]
pub struct ClipIr {
    /// State index.
    pub var: usize,
    /// Cap from above (`true`) or below.
    pub upper: bool,
    /// The bound.
    pub bound: Ir,
}

/// What a table lookup returns outside the table's range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outside {
    /// The exact function (the default).
    Exact,
    /// Linear extrapolation from the last two grid points.
    Extend,
    /// The value at the nearest end of the range.
    Clamp,
}

/// A checked `tables` declaration, in internal units.
#[derive(Clone, Debug)]
pub struct TablesIr {
    /// The variable tabulated over: `Sym::State(i)` or `Sym::Input(i)`.
    pub var: Sym,
    /// Lower end of the range.
    pub lo: f64,
    /// Upper end of the range.
    pub hi: f64,
    /// Grid step.
    pub step: f64,
    /// Cubic Hermite interpolation instead of linear.
    pub cubic: bool,
    /// Behaviour outside the range.
    pub outside: Outside,
}

/// The checked model.
#[derive(Clone, Debug)]
pub struct Model {
    /// Rust type name.
    pub name: String,
    /// Visibility tokens.
    pub vis: proc_macro2::TokenStream,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Where it came from (`"inline"` or the YAML path).
    pub origin: String,
    /// State variables.
    pub state: Vec<Var>,
    /// Parameters.
    pub params: Vec<Var>,
    /// Inputs.
    pub inputs: Vec<Var>,
    /// Named intermediate expressions (their `default` is unused).
    pub named: Vec<Var>,
    /// Definitions of the named expressions; each may use earlier ones.
    pub named_defs: Vec<Ir>,
    /// dX/dt for each state variable, in internal units per ms.
    pub rhs: Vec<Ir>,
    /// The spike condition (boolean).
    pub threshold: Option<Ir>,
    /// Reset assignments (state index, value), in order.
    pub reset: Vec<(usize, Ir)>,
    /// Clip rules.
    pub clip: Vec<ClipIr>,
    /// Refractory period (ms) and the state indices held.
    pub refractory: Option<(Ir, Vec<usize>)>,
    /// Lookup tables for the rate functions, if the model opts in.
    pub tables: Option<TablesIr>,
}

impl Ir {
    /// The direct subexpressions, operands in order.
    pub fn children(&self) -> impl Iterator<Item = &Ir> {
        let (fixed, args): ([Option<&Ir>; 3], &[Ir]) = match self {
            Ir::Const(_) | Ir::Var(_) => ([None, None, None], &[]),
            Ir::Neg(a) | Ir::Powi(a, _) | Ir::Not(a) => ([Some(a), None, None], &[]),
            Ir::Add(a, b)
            | Ir::Sub(a, b)
            | Ir::Mul(a, b)
            | Ir::Div(a, b)
            | Ir::Powf(a, b)
            | Ir::Cmp(_, a, b)
            | Ir::And(a, b)
            | Ir::Or(a, b) => ([Some(a), Some(b), None], &[]),
            Ir::Call(_, args) => ([None, None, None], args),
            Ir::If(c, a, b) => ([Some(c), Some(a), Some(b)], &[]),
        };
        fixed.into_iter().flatten().chain(args)
    }

    /// Calls `f` on the expression and, while `f` returns true, on its subexpressions (depth
    /// first, operands in order).
    pub fn visit(&self, f: &mut impl FnMut(&Ir) -> bool) {
        if f(self) {
            self.children().for_each(|c| c.visit(f));
        }
    }

    /// Calls `f` on every symbol the expression uses.
    pub fn for_each_var(&self, f: &mut impl FnMut(Sym)) {
        self.visit(&mut |e| {
            if let Ir::Var(s) = e {
                f(*s);
            }
            true
        });
    }

    /// Whether any symbol satisfies `pred`.
    pub fn uses(&self, pred: impl Fn(Sym) -> bool) -> bool {
        let mut found = false;
        self.for_each_var(&mut |s| found |= pred(s));
        found
    }

    /// Whether the expression depends on the state (directly or through named expressions).
    pub fn uses_state(&self) -> bool {
        self.uses(|s| matches!(s, Sym::State(_) | Sym::Named(_)))
    }
}
