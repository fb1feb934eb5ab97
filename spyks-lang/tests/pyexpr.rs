//! Tests of the spyks expression parser (Python/SymPy syntax).

mod pyexpr {
    use proc_macro2::Span as TokenSpan;
    use spyks_lang::ast::*;
    use spyks_lang::pyexpr::parse_py_expr;
    use spyks_lang::span::{Source, Sources};

    fn parse(s: &str) -> Expr {
        parse_py_expr(s, 0, TokenSpan::call_site()).unwrap_or_else(|d| panic!("{s}: {}", d.message))
    }

    /// A compact prefix form for checking structure.
    fn show(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Number(q) => q.text.clone(),
            ExprKind::Ident(n) => n.name.clone(),
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::Unary(UnOp::Neg, a) => format!("(neg {})", show(a)),
            ExprKind::Unary(UnOp::Not, a) => format!("(not {})", show(a)),
            ExprKind::Binary(op, a, b) => format!("({} {} {})", op.symbol(), show(a), show(b)),
            ExprKind::Call(f, args) => {
                format!("({}{})", f.name, args.iter().map(|a| format!(" {}", show(a))).collect::<String>())
            }
            ExprKind::If(c, a, b) => format!("(if {} {} {})", show(c), show(a), show(b)),
        }
    }

    fn err(s: &str) -> (String, String) {
        let d = parse_py_expr(s, 0, TokenSpan::call_site()).expect_err(s);
        let mut sources = Sources::default();
        sources.add(Source { file: "m.yml".into(), line: 3, col: 6, text: s.into() });
        (d.message.clone(), d.render(&sources))
    }

    #[test]
    fn python_precedence() {
        assert_eq!(show(&parse("-x**2")), "(neg (^ x 2))");
        assert_eq!(show(&parse("2**-1")), "(^ 2 (neg 1))");
        assert_eq!(show(&parse("a - b - c")), "(- (- a b) c)");
        assert_eq!(show(&parse("a / b / c")), "(/ (/ a b) c)");
        assert_eq!(show(&parse("a**b**c")), "(^ a (^ b c))");
        assert_eq!(show(&parse("a^b^c")), "(^ a (^ b c))");
        assert_eq!(show(&parse("a + b * c ** 2")), "(+ a (* b (^ c 2)))");
        assert_eq!(show(&parse("-a*b")), "(* (neg a) b)");
        assert_eq!(show(&parse("+a")), "a");
        assert_eq!(show(&parse("(V >= h) & (w > 0)")), "(&& (>= V h) (> w 0))");
        assert_eq!(show(&parse("(V >= h) | (w > 0) & c")), "(|| (>= V h) (&& (> w 0) c))");
        assert_eq!(show(&parse("a < b <= c")), "(&& (< a b) (<= b c))");
        assert_eq!(show(&parse("not a < b and c or d")), "(|| (&& (not (< a b)) c) d)");
        assert_eq!(show(&parse("~a")), "(not a)");
        assert_eq!(show(&parse("V >= h")), "(>= V h)");
    }

    #[test]
    fn numbers_and_calls() {
        assert_eq!(show(&parse("1 + 1.5 + .5 + 5. + 1e-3 + 1E3")), "(+ (+ (+ (+ (+ 1 1.5) .5) 5.) 1e-3) 1E3)");
        assert_eq!(show(&parse("Abs(x) + Max(a, b) + Heaviside(x) + Pow(x, 2)")), "(+ (+ (+ (abs x) (max a b)) (heaviside x)) (pow x 2))");
        assert_eq!(show(&parse("exp(-(V - v0) / dv)")), "(exp (/ (neg (- V v0)) dv))");
        assert_eq!(show(&parse("(1 + exp(-(V - kam_v) / kam_dv))**(-1/4)")), "(^ (+ 1 (exp (/ (neg (- V kam_v)) kam_dv))) (/ (neg 1) 4))");
        assert_eq!(show(&parse("foo(x)")), "(foo x)");
        assert_eq!(show(&parse("1/C * (g_l +\n           g_na)\n")), "(* (/ 1 C) (+ g_l g_na))");
        let e = parse("  ab + 12");
        let ExprKind::Binary(_, a, b) = &e.kind else { panic!() };
        assert_eq!(a.span.text.unwrap().start, 2);
        assert_eq!(a.span.text.unwrap().end, 4);
        assert_eq!(b.span.text.unwrap().start, 7);
        assert_eq!(e.span.text.unwrap().end, 9);
    }

    #[test]
    fn piecewise() {
        assert_eq!(show(&parse("Piecewise((a, V > 0), (b, V < -1), (c, True))")), "(if (> V 0) a (if (< V (neg 1)) b c))");
        assert_eq!(show(&parse("Piecewise((a, True))")), "a");
        assert_eq!(show(&parse("Piecewise((a, x > 0), (b, True), (c, x < 0))")), "(if (> x 0) a b)");
        let (msg, _) = err("Piecewise((a, x > 0), (b, x < 0))");
        assert!(msg.contains("must end with a `(value, True)` pair"), "{msg}");
        assert!(msg.contains("NaN"), "{msg}");
        let (msg, _) = err("Piecewise(a, x > 0)");
        assert!(msg.contains("expected a `(value, condition)` pair"), "{msg}");
    }

    #[test]
    fn errors_point_at_the_offending_text() {
        let (msg, r) = err("a + b)");
        assert!(msg.starts_with("unexpected `)`"), "{msg}");
        assert!(r.contains("m.yml:3:11"), "{r}");
        assert!(r.contains("3 | a + b)\n  |      ^"), "{r}");
        let (msg, r) = err("(a + b");
        assert_eq!(msg, "unclosed `(`");
        assert!(r.contains("m.yml:3:6"), "{r}");
        let (msg, r) = err("a * ");
        assert_eq!(msg, "expected an expression after `*`");
        assert!(r.contains("m.yml:3:8"), "{r}");
        let (msg, _) = err("a * )");
        assert_eq!(msg, "expected an expression after `*`, found `)`");
        let (msg, r) = err("a + $b");
        assert_eq!(msg, "unknown character `$`");
        assert!(r.contains("m.yml:3:10"), "{r}");
        let (msg, _) = err("exp(a");
        assert_eq!(msg, "unclosed `(` of `exp(`");
        let (msg, _) = err("2 x");
        assert!(msg.starts_with("unexpected `x` after a complete expression"), "{msg}");
        let (msg, _) = err("a = b");
        assert!(msg.contains("did you mean `==`"), "{msg}");
        let (msg, _) = err("a // b");
        assert!(msg.contains("`//`"), "{msg}");
        let (msg, _) = err("1e+");
        assert!(msg.contains("exponent"), "{msg}");
        let (msg, _) = err("   ");
        assert_eq!(msg, "empty expression");
        let (msg, _) = err("(a, b)");
        assert!(msg.contains("tuples are only allowed"), "{msg}");
        let (msg, _) = err("a if b else c");
        assert!(msg.contains("Python's `if` is not supported"), "{msg}");
        let (msg, r) = err("V >= h && w > 0");
        assert_eq!(msg, "`&&` is not Python syntax: write `&` (or `and`) to combine conditions");
        assert!(r.contains("m.yml:3:13"), "{r}");
        // Python reads `V >= (h & w) > 0`; SymPy cannot, and neither can spyks.
        let (msg, r) = err("V >= h & w > 0");
        assert_eq!(msg, "in Python `&` binds tighter than `>=`: put each comparison in parentheses, as in `(V >= h) & (w > 0)`");
        assert!(r.contains("m.yml:3:13"), "{r}");
        let (msg, r) = err("V > a | (w < 0)");
        assert!(msg.starts_with("in Python `|` binds tighter than `>`"), "{msg}");
        assert!(r.contains("m.yml:3:12"), "{r}");
        assert_eq!(show(&parse("(V >= h) & (w > (a & b))")), "(&& (>= V h) (> w (&& a b)))");
        let (msg, _) = err("(a > 0 || b)");
        assert!(msg.starts_with("`||` is not Python syntax"), "{msg}");
        let (msg, _) = err("!a");
        assert!(msg.contains("write `~` or `not`"), "{msg}");
        let (msg, _) = err("(a b)");
        assert!(msg.contains("unexpected `b` after a complete expression"), "{msg}");
    }
}
