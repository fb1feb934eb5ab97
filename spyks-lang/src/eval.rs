//! A reference interpreter for [`Ir`] expressions.
//!
//! Used by tests (as the ground truth generated code and symbolic derivatives are compared
//! against) and by the compiler for constant folding. Booleans are represented as `1.0`
//! (true) and `0.0` (false); any non-zero value counts as true.

use crate::ir::{Cmp, Func, Ir, Sym};

/// Values of every symbol an expression may refer to.
///
/// `Default` gives empty slices and `t = noise = 0`, which is enough for expressions without
/// variables.
#[derive(Clone, Copy, Debug, Default)]
pub struct Env<'a> {
    /// State variables, indexed by [`Sym::State`].
    pub state: &'a [f64],
    /// Parameters, indexed by [`Sym::Param`].
    pub params: &'a [f64],
    /// Inputs, indexed by [`Sym::Input`].
    pub inputs: &'a [f64],
    /// Values of the named expressions, indexed by [`Sym::Named`].
    pub named: &'a [f64],
    /// Time `t`.
    pub t: f64,
    /// Value of the white-noise term `xi`.
    pub noise: f64,
}

fn bool_f(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

/// Looks a symbol up; an index out of range gives NaN (the checker guarantees it does not
/// happen for checked models).
fn lookup(s: Sym, env: &Env) -> f64 {
    let get = |v: &[f64], i: usize| v.get(i).copied().unwrap_or(f64::NAN);
    match s {
        Sym::State(i) => get(env.state, i),
        Sym::Param(i) => get(env.params, i),
        Sym::Input(i) => get(env.inputs, i),
        Sym::Named(i) => get(env.named, i),
        Sym::Time => env.t,
        Sym::Noise => env.noise,
        // Tabulated functions exist only in generated fast paths; evaluate the exact forms.
        Sym::Table(_) => f64::NAN,
    }
}

/// Applies a function to already evaluated arguments (a missing argument is NaN).
fn apply(f: Func, args: &[f64]) -> f64 {
    let a = args.first().copied().unwrap_or(f64::NAN);
    let b = args.get(1).copied().unwrap_or(f64::NAN);
    match f {
        Func::Exp => a.exp(),
        Func::Expm1 => a.exp_m1(),
        Func::Log => a.ln(),
        Func::Log1p => a.ln_1p(),
        Func::Sqrt => a.sqrt(),
        Func::Tanh => a.tanh(),
        Func::Cosh => a.cosh(),
        Func::Sinh => a.sinh(),
        Func::Abs => a.abs(),
        Func::Min => a.min(b),
        Func::Max => a.max(b),
        Func::Heaviside => {
            if a > 0.0 {
                1.0
            } else if a < 0.0 {
                0.0
            } else if a == 0.0 {
                0.5
            } else {
                f64::NAN
            }
        }
    }
}

fn compare(op: Cmp, a: f64, b: f64) -> bool {
    match op {
        Cmp::Lt => a < b,
        Cmp::Le => a <= b,
        Cmp::Gt => a > b,
        Cmp::Ge => a >= b,
        Cmp::Eq => a == b,
        Cmp::Ne => a != b,
    }
}

/// Evaluates an expression.
///
/// Booleans are `1.0`/`0.0`; `heaviside(0) = 0.5`; `Powi` uses [`f64::powi`], `Powf`
/// [`f64::powf`], `min`/`max` [`f64::min`]/[`f64::max`]. `If` evaluates only the branch its
/// condition selects (condition `!= 0`). A symbol index out of range evaluates to NaN.
pub fn eval(e: &Ir, env: &Env) -> f64 {
    match e {
        Ir::Const(c) => *c,
        Ir::Var(s) => lookup(*s, env),
        Ir::Neg(a) => -eval(a, env),
        Ir::Add(a, b) => eval(a, env) + eval(b, env),
        Ir::Sub(a, b) => eval(a, env) - eval(b, env),
        Ir::Mul(a, b) => eval(a, env) * eval(b, env),
        Ir::Div(a, b) => eval(a, env) / eval(b, env),
        Ir::Powi(a, n) => eval(a, env).powi(*n),
        Ir::Powf(a, b) => eval(a, env).powf(eval(b, env)),
        Ir::Call(f, args) => {
            let mut vals = [f64::NAN; 2];
            for (v, a) in vals.iter_mut().zip(args) {
                *v = eval(a, env);
            }
            apply(*f, &vals[..args.len().min(2)])
        }
        Ir::If(c, a, b) => {
            if eval(c, env) != 0.0 {
                eval(a, env)
            } else {
                eval(b, env)
            }
        }
        Ir::Cmp(op, a, b) => bool_f(compare(*op, eval(a, env), eval(b, env))),
        Ir::And(a, b) => bool_f(eval(a, env) != 0.0 && eval(b, env) != 0.0),
        Ir::Or(a, b) => bool_f(eval(a, env) != 0.0 || eval(b, env) != 0.0),
        Ir::Not(a) => bool_f(eval(a, env) == 0.0),
    }
}

/// Evaluates the named expressions `defs` in order, each seeing the values of the earlier
/// ones; `env.named` is ignored. Returns one value per definition.
pub fn eval_named(defs: &[Ir], env: &Env) -> Vec<f64> {
    let mut vals: Vec<f64> = Vec::with_capacity(defs.len());
    for d in defs {
        let v = eval(d, &Env { named: &vals, ..*env });
        vals.push(v);
    }
    vals
}

/// Whether `e` contains any symbol (`Var`) at all.
fn has_var(e: &Ir) -> bool {
    matches!(e, Ir::Var(_)) || e.children().any(has_var)
}

/// The value of `e` if it contains no symbol at all (not even `t` or `xi`), else `None`.
pub fn const_value(e: &Ir) -> Option<f64> {
    if has_var(e) { None } else { Some(eval(e, &Env::default())) }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Parses a test expression. Symbols: `V m h` (states 0-2), `p0 p1 p2`, `I` (input 0),
    /// `t`, `xi`, `n0 n1 ...` (named); operators `+ - * /`, `^n` (integer power), `**`
    /// (`Powf`), comparisons, functions by name and `if(cond, a, b)`. A `-` directly before
    /// a number is part of the constant (`-2` is `Const(-2)`, `-(2)` is `Neg(Const(2))`).
    pub(crate) fn parse(src: &str) -> Ir {
        let (mut toks, mut i) = (Vec::new(), 0);
        while i < src.len() {
            let rest = &src[i..];
            let word = |c: char| c.is_ascii_alphanumeric() || c == '.';
            let len = match rest.find(|c| !word(c)) {
                _ if rest.starts_with(|c: char| c.is_ascii_digit()) => {
                    (1..=rest.len()).rev().find(|&k| rest[..k].parse::<f64>().is_ok()).unwrap()
                }
                _ if ["**", "<=", ">=", "==", "!="].iter().any(|op| rest.starts_with(op)) => 2,
                Some(0) => 1,
                found => found.unwrap_or(rest.len()),
            };
            if !rest.starts_with(char::is_whitespace) {
                toks.push(&rest[..len]);
            }
            i += len;
        }
        let mut p = Parser { toks, i: 0 };
        let e = p.cond();
        assert_eq!(p.i, p.toks.len(), "trailing input in {src:?}");
        e
    }

    struct Parser<'a> {
        toks: Vec<&'a str>,
        i: usize,
    }

    impl Parser<'_> {
        fn next(&mut self) -> &str {
            self.i += 1;
            self.toks.get(self.i - 1).copied().unwrap_or("")
        }
        fn eat(&mut self, t: &str) -> bool {
            let found = self.toks.get(self.i) == Some(&t);
            self.i += usize::from(found);
            found
        }
        fn cond(&mut self) -> Ir {
            let a = self.expr();
            let ops = [("<", Cmp::Lt), ("<=", Cmp::Le), (">", Cmp::Gt), (">=", Cmp::Ge)];
            let ops = ops.into_iter().chain([("==", Cmp::Eq), ("!=", Cmp::Ne)]);
            match ops.into_iter().find(|(t, _)| self.eat(t)) {
                Some((_, op)) => Ir::Cmp(op, Box::new(a), Box::new(self.expr())),
                None => a,
            }
        }
        fn expr(&mut self) -> Ir {
            let mut e = self.term();
            loop {
                e = if self.eat("+") {
                    Ir::Add(Box::new(e), Box::new(self.term()))
                } else if self.eat("-") {
                    Ir::Sub(Box::new(e), Box::new(self.term()))
                } else {
                    return e;
                }
            }
        }
        fn term(&mut self) -> Ir {
            let mut e = self.unary();
            loop {
                e = if self.eat("*") {
                    Ir::Mul(Box::new(e), Box::new(self.unary()))
                } else if self.eat("/") {
                    Ir::Div(Box::new(e), Box::new(self.unary()))
                } else {
                    return e;
                }
            }
        }
        fn unary(&mut self) -> Ir {
            if !self.eat("-") {
                return self.power();
            }
            match self.toks.get(self.i).and_then(|t| t.parse::<f64>().ok()) {
                Some(x) => {
                    self.i += 1;
                    Ir::Const(-x)
                }
                None => Ir::Neg(Box::new(self.unary())),
            }
        }
        fn power(&mut self) -> Ir {
            let a = self.atom();
            if self.eat("^") {
                let sign = if self.eat("-") { -1 } else { 1 };
                Ir::Powi(Box::new(a), sign * self.next().parse::<i32>().unwrap())
            } else if self.eat("**") {
                Ir::Powf(Box::new(a), Box::new(self.unary()))
            } else {
                a
            }
        }
        fn atom(&mut self) -> Ir {
            let tok = self.next().to_string();
            if let Ok(x) = tok.parse() {
                return Ir::Const(x);
            }
            if tok == "(" {
                let e = self.cond();
                assert!(self.eat(")"));
                return e;
            }
            let param = |k: &str| k.parse().ok();
            Ir::Var(match tok.as_str() {
                "V" => Sym::State(0),
                "m" => Sym::State(1),
                "h" => Sym::State(2),
                "I" => Sym::Input(0),
                "t" => Sym::Time,
                "xi" => Sym::Noise,
                _ if !self.eat("(") => match tok.split_at(1) {
                    ("p", k) => Sym::Param(param(k).unwrap()),
                    ("n", k) => Sym::Named(param(k).unwrap()),
                    _ => panic!("unknown symbol {tok}"),
                },
                _ => {
                    let mut args = vec![self.cond()];
                    while self.eat(",") {
                        args.push(self.cond());
                    }
                    assert!(self.eat(")"));
                    if tok == "if" {
                        let [c, a, b] = <[Ir; 3]>::try_from(args).unwrap().map(Box::new);
                        return Ir::If(c, a, b);
                    }
                    return Ir::Call(Func::from_name(&tok).unwrap().0, args);
                }
            })
        }
    }

    /// Values of V, m, h, p0, p1, p2, I, t, xi (the symbols of [`SYMS`]).
    pub(crate) type Pt = [f64; 9];
    /// The symbols of a test point, in order.
    pub(crate) const SYMS: [Sym; 9] =
        [Sym::State(0), Sym::State(1), Sym::State(2), Sym::Param(0), Sym::Param(1), Sym::Param(2), Sym::Input(0), Sym::Time, Sym::Noise];

    /// The environment of a test point.
    pub(crate) fn pt_env<'a>(p: &'a Pt, named: &'a [f64]) -> Env<'a> {
        let (state, params, inputs, t, noise) = (&p[0..3], &p[3..6], &p[6..7], p[7], p[8]);
        Env { state, params, inputs, named, t, noise }
    }
    /// Evaluates at a test point (no named expressions).
    pub(crate) fn at(e: &Ir, p: &Pt) -> f64 {
        eval(e, &pt_env(p, &[]))
    }
    /// Where a symbol's value is in a test point.
    pub(crate) fn slot(s: Sym) -> usize {
        SYMS.iter().position(|&a| a == s).unwrap()
    }
    /// Equal within a relative tolerance.
    pub(crate) fn close(a: f64, b: f64, rel: f64) -> bool {
        a == b || (a - b).abs() <= rel * a.abs().max(b.abs())
    }

    /// Random points from an LCG: V in [-80, 40] mV, gates in [0.05, 0.95], half
    /// activations (p0) in [-50, -20], slopes (p1) in [5, 20], time constants (p2) in
    /// [1, 10], I in [-100, 100], t in [0, 100], xi in [-1, 1].
    pub(crate) fn points(n: usize, mut seed: u64) -> Vec<Pt> {
        const LO: Pt = [-80.0, 0.05, 0.05, -50.0, 5.0, 1.0, -100.0, 0.0, -1.0];
        const HI: Pt = [40.0, 0.95, 0.95, -20.0, 20.0, 10.0, 100.0, 100.0, 1.0];
        let mut u = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        (0..n).map(|_| std::array::from_fn(|k| LO[k] + (HI[k] - LO[k]) * u())).collect()
    }

    /// Compares `de` (claimed d f / d x) with central finite differences of `f`.
    pub(crate) fn fd_mismatch(f: &dyn Fn(&Pt) -> f64, de: &Ir, x: Sym, pts: &[Pt]) -> Option<String> {
        for p in pts {
            let (x0, mut pp, mut pm) = (p[slot(x)], *p, *p);
            let h = 1e-6 * x0.abs().max(1.0);
            pp[slot(x)] += h;
            pm[slot(x)] -= h;
            let fd = (f(&pp) - f(&pm)) / (pp[slot(x)] - pm[slot(x)]);
            let dv = at(de, p);
            let tol = 1e-6 * fd.abs().max(dv.abs()) + 100.0 * f64::EPSILON * f(p).abs() / h;
            let ok = (dv - fd).abs() <= tol + 1e-12;
            if !ok {
                return Some(format!("d/d{x:?} at {p:?}: {dv} vs finite difference {fd}"));
            }
        }
        None
    }

    #[test]
    fn agrees_with_native_rust() {
        type Native = fn(&Pt) -> f64;
        let cases: [(&str, Native); 5] = [
            ("0.1*(V+40)/(1-exp(-(V+40)/10))", |x| 0.1 * (x[0] + 40.0) / (1.0 - (-(x[0] + 40.0) / 10.0).exp())),
            ("(1+exp(-(V-p0)/p1))**-0.5", |x| (1.0 + (-(x[0] - x[3]) / x[4]).exp()).powf(-0.5)),
            ("120*m^3*h*(V-50) + I*xi - t", |x| 120.0 * x[1].powi(3) * x[2] * (x[0] - 50.0) + x[6] * x[8] - x[7]),
            ("if(V > p0, min(V, -30), max(m, h)) * p2", |x| (if x[0] > x[3] { x[0].min(-30.0) } else { x[1].max(x[2]) }) * x[5]),
            ("sqrt(m)*log(h)/cosh(V/30) - sinh(V/40)*tanh(p1)", |x| {
                x[1].sqrt() * x[2].ln() / (x[0] / 30.0).cosh() - (x[0] / 40.0).sinh() * x[4].tanh()
            }),
        ];
        for (src, native) in cases {
            let e = parse(src);
            for p in points(50, 1) {
                assert_eq!(at(&e, &p), native(&p), "{src} at {p:?}");
            }
        }
    }

    fn env_of<'a>(state: &'a [f64], named: &'a [f64]) -> Env<'a> {
        let (params, inputs) = (&[5.0, 6.0][..], &[7.0][..]);
        Env { state, params, inputs, named, t: 13.0, noise: 17.0 }
    }
    fn ev(src: &str) -> f64 {
        eval(&parse(src), &env_of(&[2.0, 3.0], &[11.0]))
    }

    #[test]
    fn parser() {
        let v = |i| Box::new(Ir::Var(Sym::State(i)));
        let want = Ir::Sub(v(0), Box::new(Ir::Mul(Box::new(Ir::Const(-2.0)), v(1))));
        assert_eq!(parse("V - -2*m"), want);
        assert_eq!(parse("-(2)"), Ir::Neg(Box::new(Ir::Const(2.0))));
        assert_eq!(parse("V^-3"), Ir::Powi(v(0), -3));
        assert_eq!(parse("h**0.5"), Ir::Powf(v(2), Box::new(Ir::Const(0.5))));
    }

    #[test]
    fn arithmetic_and_symbols() {
        let cases = [
            ("m", 3.0),
            ("p1", 6.0),
            ("I", 7.0),
            ("n0", 11.0),
            ("t", 13.0),
            ("xi", 17.0),
            ("(V + m) * p0 - I / -(V)", 28.5),
            ("2^-2", 0.25),
            ("(-3)^3", -27.0),
            ("16**0.25", 2.0),
            ("4**-0.5", 0.5),
            ("heaviside(0)", 0.5),
            ("heaviside(-0.0)", 0.5),
            ("heaviside(1e-300)", 1.0),
            ("heaviside(-3)", 0.0),
            ("abs(-2.5)", 2.5),
            ("sqrt(9)", 3.0),
            ("log(1)", 0.0),
            ("min(2, -1)", -1.0),
            ("max(2, -1)", 2.0),
            ("exp(1)", std::f64::consts::E),
            ("expm1(1e-10)", 1.00000000005e-10),
            ("log1p(1e-10)", 9.9999999995e-11),
            ("tanh(0.5)", 0.46211715726000974),
            ("cosh(1)", 1.5430806348152437),
            ("sinh(1)", 1.1752011936438014),
        ];
        for (src, want) in cases {
            let got = ev(src);
            assert!((got - want).abs() <= 2e-16 * want.abs(), "{src}: {got} != {want}");
        }
        assert!(ev("p7").is_nan() && ev("heaviside(0/0)").is_nan());
    }

    #[test]
    fn booleans_and_if() {
        let cases = [
            ("V < 3", 1.0),
            ("V > 3", 0.0),
            ("V <= 2", 1.0),
            ("V >= 2.5", 0.0),
            ("V == 2", 1.0),
            ("V != 2", 0.0),
            ("if(V < m, 4, log(-1))", 4.0), // the branch not taken would be NaN
            ("if(V > m, 4, -4)", -4.0),
        ];
        for (src, want) in cases {
            assert_eq!(ev(src), want, "{src}");
        }
        let (lt, gt) = (|| Box::new(parse("V < m")), || Box::new(parse("V > m")));
        let env = env_of(&[2.0, 3.0], &[]);
        assert_eq!(eval(&Ir::And(lt(), gt()), &env), 0.0);
        assert_eq!(eval(&Ir::Or(lt(), gt()), &env), 1.0);
        assert_eq!(eval(&Ir::Not(gt()), &env), 1.0);
    }

    #[test]
    fn named_in_order() {
        let defs = ["2 * V", "n0 + 1", "n0 * n1"].map(parse);
        let env = env_of(&[3.0], &[100.0, 100.0, 100.0]);
        assert_eq!(eval_named(&defs, &env), vec![6.0, 7.0, 42.0]);
        assert!(eval_named(&[], &env).is_empty());
    }

    #[test]
    fn constants() {
        assert_eq!(const_value(&parse("max(1, 3) / 2")), Some(1.5));
        assert_eq!(const_value(&parse("if(1 < 2, 2, 0)")), Some(2.0));
        for src in ["t", "if(1 < 2, 2, p0)", "1 + min(0, xi)"] {
            assert_eq!(const_value(&parse(src)), None, "{src}");
        }
    }
}
