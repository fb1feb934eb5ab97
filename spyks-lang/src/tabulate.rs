//! Finding the rate functions a `tables` block tabulates.
//!
//! In an expression (named expressions inlined), every maximal subexpression that depends on
//! the table variable and otherwise only on parameters and constants, and that is worth a
//! lookup (it calls a transcendental function of the variable or divides by something that
//! depends on it), is replaced by a new symbol [`Sym::Table`]. Equal subexpressions share one
//! symbol. In Hodgkin-Huxley these are the six α and β of V (with their parameter `phi`); in an
//! `inf/tau` model the steady states and, because a quotient by a function worth a lookup is
//! written as a product with its tabulated reciprocal, the reciprocals of the time constants
//! (`(inf - x)/tau` becomes `(inf - x)·table`). Boolean nodes are never replaced
//! (a table holds numbers), but their operands are searched; nor are functions that jump
//! (a branch on `v > ...`, `heaviside(v - ...)`) or kink (`abs`, `min`, `max` of `v`), whose
//! branches and arguments are searched instead.

use crate::ir::{Func, Ir, Model, Sym};

/// The tabulated functions of one variable, collected over several expressions.
#[derive(Clone, Debug)]
pub struct Tabulator {
    /// The table variable.
    pub var: Sym,
    /// The functions found so far; `Sym::Table(k)` stands for `funcs[k]`.
    pub funcs: Vec<Ir>,
}

impl Tabulator {
    /// A tabulator for functions of `var`.
    pub fn new(var: Sym) -> Self {
        Tabulator { var, funcs: Vec::new() }
    }

    /// Whether `e` is a function of the table variable alone (besides parameters and constants).
    pub fn is_function_of_var(&self, e: &Ir) -> bool {
        let (mut var, mut other) = (false, false);
        e.for_each_var(&mut |s| {
            if s == self.var {
                var = true;
            } else if !matches!(s, Sym::Param(_)) {
                other = true;
            }
        });
        var && !other
    }

    /// Whether a lookup is cheaper than evaluating `e`: it calls a transcendental function
    /// of the variable, raises it to a general power, or divides by something depending on it.
    fn worth(&self, e: &Ir) -> bool {
        let dep = |a: &Ir| crate::diff::depends_on(a, self.var);
        let here = match e {
            Ir::Call(f, args) => {
                matches!(f, Func::Exp | Func::Expm1 | Func::Log | Func::Log1p | Func::Sqrt | Func::Tanh | Func::Cosh | Func::Sinh)
                    && args.iter().any(dep)
            }
            Ir::Powf(..) => dep(e),
            Ir::Div(_, b) => dep(b),
            Ir::Powi(a, n) => *n < 0 && dep(a),
            _ => false,
        };
        here || crate::diff::any_child(e, &mut |c| self.worth(c))
    }

    /// Whether `e` may jump or kink as the variable changes: a branch on a condition of the
    /// variable other than `==`/`!=` (which only removes a point, as in `if x == 0 { 1 } else {
    /// x/expm1(x) }`), `heaviside` of it, or `abs`, `min` or `max` of it. A jump inside a cell
    /// would make the interpolation error as large as the jump, and a kink (a jump of the
    /// slope) makes it proportional to the step instead of its square or fourth power, so such
    /// a function is not tabulated as a whole (its branches and arguments are).
    fn jumps(&self, e: &Ir) -> bool {
        let dep = |a: &Ir| crate::diff::depends_on(a, self.var);
        let here = match e {
            Ir::If(c, ..) => dep(c) && !matches!(**c, Ir::Cmp(crate::ir::Cmp::Eq | crate::ir::Cmp::Ne, ..)),
            Ir::Call(Func::Heaviside | Func::Abs | Func::Min | Func::Max, args) => args.iter().any(dep),
            _ => false,
        };
        here || crate::diff::any_child(e, &mut |c| self.jumps(c))
    }

    /// `e` with every tabulated subexpression replaced by its `Sym::Table` symbol.
    pub fn rewrite(&mut self, e: &Ir) -> Ir {
        let boolean = matches!(e, Ir::Cmp(..) | Ir::And(..) | Ir::Or(..) | Ir::Not(_));
        if !boolean && self.is_function_of_var(e) && self.worth(e) && !self.jumps(e) {
            return Ir::Var(Sym::Table(self.intern(e.clone())));
        }
        // a / g(var) with g worth a lookup (a time constant τ(V) in (x∞ - x)/τ): the table
        // holds 1/g and the quotient becomes a product, which is off the critical path of
        // an integrator's stages (a multiplication instead of a division after the lookup).
        if let Ir::Div(a, b) = e
            && self.is_function_of_var(b)
            && self.worth(b)
            && !self.jumps(b)
        {
            let k = self.intern(Ir::Div(Box::new(Ir::Const(1.0)), b.clone()));
            return Ir::Mul(Box::new(self.rewrite(a)), Box::new(Ir::Var(Sym::Table(k))));
        }
        crate::diff::rebuild(e, &mut |c| self.rewrite(c))
    }

    /// The symbol index of the tabulated function `f`, added if new.
    fn intern(&mut self, f: Ir) -> usize {
        match self.funcs.iter().position(|g| *g == f) {
            Some(k) => k,
            None => {
                self.funcs.push(f);
                self.funcs.len() - 1
            }
        }
    }
}

/// The tabulated forms of a model: the functions, the right-hand sides (named expressions
/// inlined, noise set to zero) and the exponential-Euler coefficients, all written with
/// `Sym::Table` symbols.
#[derive(Clone, Debug)]
pub struct Tabulated {
    /// The table variable.
    pub var: Sym,
    /// The tabulated functions.
    pub funcs: Vec<Ir>,
    /// dX/dt per state variable.
    pub rhs: Vec<Ir>,
    /// (A, B) of dX/dt = A + B·X per state variable: for the variables that are linear in
    /// themselves, else (dX/dt, 0).
    pub coefficients: Vec<(Ir, Ir)>,
    /// What exponential Euler with a fixed step can tabulate on top.
    pub step: StepTabulated,
}

/// The exponential-Euler update of a gating variable, X ← X + X·expm1(B·h) + A·expm1(B·h)/B,
/// depends on the table variable alone when A and B do: with the step h fixed, its two
/// factors are functions of that variable like the rates (NEURON's `hh.mod` tabulates them
/// with `DEPEND dt`), and one table lookup replaces an `expm1` and a division.
#[derive(Clone, Debug, Default)]
pub struct StepTabulated {
    /// Per state variable: (A, B) as exact functions of the table variable and parameters,
    /// for the variables (other than the table variable) whose tabulated coefficients use
    /// nothing else; `None` for the others.
    pub factored: Vec<Option<(Ir, Ir)>>,
    /// The tabulated functions the other variables' coefficients read, in index order.
    pub rest: Vec<usize>,
}

impl StepTabulated {
    /// Whether any variable's update is tabulated.
    pub fn any(&self) -> bool {
        self.factored.iter().any(Option::is_some)
    }
}

impl Tabulated {
    /// The parameters the functions use, in index order.
    pub fn key_params(&self) -> Vec<usize> {
        let mut ps = Vec::new();
        for f in &self.funcs {
            f.for_each_var(&mut |s| {
                if let Sym::Param(i) = s {
                    ps.push(i);
                }
            });
        }
        ps.sort_unstable();
        ps.dedup();
        ps
    }
}

/// Tabulates the deterministic right-hand sides `det` (inlined, simplified, noise zero) of
/// `m` over `var`. `linear[i]` is the exact model's linearity of variable i, which the
/// tabulated coefficients keep: for a variable other than the table variable the tables are
/// constants and the split of the tabulated form is the split of the exact one; for the table
/// variable itself the exact split is tabulated term by term, because a table hides its
/// dependence on the variable.
pub fn tabulate(det: &[Ir], linear: &[bool], var: Sym) -> Tabulated {
    let mut t = Tabulator::new(var);
    let rhs: Vec<Ir> = det.iter().map(|r| t.rewrite(r)).collect();
    let mut coefficients = Vec::with_capacity(det.len());
    for (i, (exact, tab)) in det.iter().zip(&rhs).enumerate() {
        let x = Sym::State(i);
        let pair = if !linear[i] {
            (tab.clone(), Ir::Const(0.0))
        } else {
            match (x != var).then(|| crate::diff::linear_form(tab, x)).flatten() {
                Some(ab) => ab,
                None => {
                    let (a, b) = crate::diff::linear_form(exact, x).expect("the variable is linear in itself");
                    (t.rewrite(&a), t.rewrite(&b))
                }
            }
        };
        coefficients.push(pair);
    }
    let step = step_tabulated(&t.funcs, &coefficients, linear, var);
    Tabulated { var, funcs: t.funcs, rhs, coefficients, step }
}

/// Finds the variables whose exponential-Euler factors can be tabulated (see
/// [`StepTabulated`]) given the tabulated `coefficients`.
fn step_tabulated(funcs: &[Ir], coefficients: &[(Ir, Ir)], linear: &[bool], var: Sym) -> StepTabulated {
    let only_tables = |e: &Ir| !e.uses(|s| !matches!(s, Sym::Table(_) | Sym::Param(_)));
    let exact = |e: &Ir| -> Ir {
        fn go(e: &Ir, funcs: &[Ir]) -> Ir {
            match e {
                Ir::Var(Sym::Table(k)) => funcs[*k].clone(),
                _ => crate::diff::rebuild(e, &mut |c| go(c, funcs)),
            }
        }
        go(e, funcs)
    };
    let factored: Vec<Option<(Ir, Ir)>> = coefficients
        .iter()
        .enumerate()
        .map(|(i, (a, b))| {
            let gate = linear[i]
                && Sym::State(i) != var
                && only_tables(a)
                && only_tables(b)
                && (a.uses(|s| matches!(s, Sym::Table(_))) || b.uses(|s| matches!(s, Sym::Table(_))));
            gate.then(|| (exact(a), exact(b)))
        })
        .collect();
    let mut rest = Vec::new();
    for ((a, b), f) in coefficients.iter().zip(&factored) {
        if f.is_none() {
            for e in [a, b] {
                e.for_each_var(&mut |s| {
                    if let Sym::Table(k) = s {
                        rest.push(k);
                    }
                });
            }
        }
    }
    rest.sort_unstable();
    rest.dedup();
    StepTabulated { factored, rest }
}

/// An expression as text with the model's names, for documentation and reports
/// (`phi*4*exp(-(v + 65)/18)`); numbers are in internal units.
pub fn to_text(e: &Ir, m: &Model) -> String {
    fn name(s: Sym, m: &Model) -> String {
        match s {
            Sym::State(i) => m.state[i].name.clone(),
            Sym::Param(i) => m.params[i].name.clone(),
            Sym::Input(i) => m.inputs[i].name.clone(),
            Sym::Named(i) => m.named[i].name.clone(),
            Sym::Time => "t".into(),
            Sym::Noise => "xi".into(),
            Sym::Table(k) => format!("table{k}"),
        }
    }
    fn go(e: &Ir, m: &Model, min: u8) -> String {
        let (p, s) = match e {
            Ir::Const(v) if *v < 0.0 => (6, format!("{v}")),
            Ir::Const(v) => (9, format!("{v}")),
            Ir::Var(s) => (9, name(*s, m)),
            Ir::Neg(a) => (6, format!("-{}", go(a, m, 7))),
            Ir::Add(a, b) => (4, format!("{} + {}", go(a, m, 4), go(b, m, 5))),
            Ir::Sub(a, b) => (4, format!("{} - {}", go(a, m, 4), go(b, m, 5))),
            Ir::Mul(a, b) => (5, format!("{}*{}", go(a, m, 5), go(b, m, 6))),
            Ir::Div(a, b) => (5, format!("{}/{}", go(a, m, 5), go(b, m, 6))),
            Ir::Powi(a, n) => (7, format!("{}^{n}", go(a, m, 8))),
            Ir::Powf(a, b) => (7, format!("{}^{}", go(a, m, 8), go(b, m, 7))),
            Ir::Call(f, args) => {
                let f = format!("{f:?}").to_lowercase();
                (9, format!("{f}({})", args.iter().map(|a| go(a, m, 0)).collect::<Vec<_>>().join(", ")))
            }
            Ir::If(c, a, b) => (0, format!("if {} {{ {} }} else {{ {} }}", go(c, m, 0), go(a, m, 0), go(b, m, 0))),
            Ir::Cmp(op, a, b) => {
                let op = match op {
                    crate::ir::Cmp::Lt => "<",
                    crate::ir::Cmp::Le => "<=",
                    crate::ir::Cmp::Gt => ">",
                    crate::ir::Cmp::Ge => ">=",
                    crate::ir::Cmp::Eq => "==",
                    crate::ir::Cmp::Ne => "!=",
                };
                (3, format!("{} {op} {}", go(a, m, 4), go(b, m, 4)))
            }
            Ir::And(a, b) => (2, format!("{} && {}", go(a, m, 2), go(b, m, 3))),
            Ir::Or(a, b) => (1, format!("{} || {}", go(a, m, 1), go(b, m, 2))),
            Ir::Not(a) => (6, format!("!{}", go(a, m, 7))),
        };
        if p < min { format!("({s})") } else { s }
    }
    go(e, m, 0)
}

#[cfg(test)]
mod tests;
