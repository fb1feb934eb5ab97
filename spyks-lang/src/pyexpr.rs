//! Expressions of spyks model files: Python/SymPy syntax parsed into [`ast::Expr`](Expr).
//!
//! spyks hands each expression string to SymPy, so the syntax and precedence are Python's.
//! From lowest to highest binding:
//!
//! | operators | notes |
//! | --- | --- |
//! | `or` | |
//! | `and` | |
//! | `not` | prefix |
//! | `<` `<=` `>` `>=` `==` `!=` | chained like Python: `a < b < c` is `a < b and b < c` |
//! | `\|` | logical or of two relations (SymPy), e.g. `(V > a) \| (w < 0)` |
//! | `&` | logical and of two relations |
//! | `+` `-` | left-associative |
//! | `*` `/` | left-associative |
//! | `-x` `+x` `~x` | prefix; `-x**2` is `-(x**2)` |
//! | `**` `^` | right-associative; `^` is a power as with SymPy's `convert_xor`; `2**-1` is allowed |
//! | `f(...)`, `( ... )`, names, numbers, `True`, `False` | |
//!
//! Function names are normalised to the lower-case names of the language (`Abs` → `abs`,
//! `Max` → `max`, `Heaviside` → `heaviside`, `Pow` → `pow`); other names are kept as written
//! and the checker reports unknown ones. `Piecewise((a, c1), (b, c2), (z, True))` becomes
//! nested `if`s and must end with a `True` condition. Numbers never carry units here.

use crate::ast::{BinOp, Expr, ExprKind, Quantity, UnOp};
use crate::diag::Diagnostic;
use crate::span::{Name, Span, TextSpan};
use proc_macro2::Span as TokenSpan;

/// One token with its byte range.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num,
    Name,
    /// An operator or punctuation: `**`, `<=`, `(`, `,`, ...
    Op(&'static str),
    End,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

const OPS: &[&str] = &[
    "**", "<=", ">=", "==", "!=", "//", "<<", ">>", "+", "-", "*", "/", "^", "&", "|", "~", "<", ">", "(", ")",
    ",", "%", "=", "[", "]", "@", "!",
];

/// Splits `text` into tokens.
fn tokenize(text: &str, span: &dyn Fn(usize, usize) -> Span) -> Result<Vec<Token>, Diagnostic> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap();
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        if c.is_ascii_digit() || (c == '.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            while i < text.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i < text.len() && bytes[i] == b'.' {
                i += 1;
                while i < text.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if i < text.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
                let mut j = i + 1;
                if j < text.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
                    j += 1;
                }
                if j < text.len() && bytes[j].is_ascii_digit() {
                    while j < text.len() && bytes[j].is_ascii_digit() {
                        j += 1;
                    }
                    i = j;
                } else {
                    return Err(Diagnostic::new(
                        span(start, j),
                        format!("malformed number `{}`: expected digits after the exponent", &text[start..j]),
                    ));
                }
            }
            out.push(Token { tok: Tok::Num, start, end: i });
            continue;
        }
        if c == '_' || c.is_alphabetic() {
            while let Some(c) = text[i..].chars().next() {
                if c == '_' || c.is_alphanumeric() {
                    i += c.len_utf8();
                } else {
                    break;
                }
            }
            out.push(Token { tok: Tok::Name, start, end: i });
            continue;
        }
        if let Some(op) = OPS.iter().find(|op| text[i..].starts_with(**op)) {
            i += op.len();
            out.push(Token { tok: Tok::Op(op), start, end: i });
            continue;
        }
        return Err(Diagnostic::new(span(start, start + c.len_utf8()), format!("unknown character `{c}`")));
    }
    out.push(Token { tok: Tok::End, start: text.len(), end: text.len() });
    Ok(out)
}

/// Parses one spyks expression string.
///
/// Every node's span is `Span { tokens: call_site, text: Some(TextSpan { source, start, end }) }`
/// with byte offsets into `text`, so errors found later (unknown names, dimensions) point at the
/// sub-expression. Returns the first syntax error.
pub fn parse_py_expr(text: &str, source: u32, call_site: TokenSpan) -> Result<Expr, Diagnostic> {
    let span = move |start: usize, end: usize| Span {
        tokens: call_site,
        text: Some(TextSpan { source, start: start as u32, end: end as u32 }),
    };
    let toks = tokenize(text, &span)?;
    let mut p = Parser { text, toks, pos: 0, span: &span };
    if p.peek().tok == Tok::End {
        return Err(Diagnostic::new(span(0, text.len()), "empty expression"));
    }
    let e = p.expr()?;
    let t = p.peek().clone();
    if t.tok != Tok::End {
        return Err(match t.tok {
            Tok::Op(")") => Diagnostic::new(span(t.start, t.end), "unexpected `)` (no `(` is open here)"),
            _ => p.unexpected(&t),
        });
    }
    Ok(e)
}

struct Parser<'a> {
    text: &'a str,
    toks: Vec<Token>,
    pos: usize,
    span: &'a dyn Fn(usize, usize) -> Span,
}

type PResult<T> = Result<T, Diagnostic>;

/// Python words that are not part of the expression language.
const UNSUPPORTED_WORDS: &[&str] = &["if", "else", "lambda", "is", "in", "for", "None"];

impl<'a> Parser<'a> {
    fn peek(&self) -> &Token {
        &self.toks[self.pos]
    }

    fn bump(&mut self) -> Token {
        let t = self.toks[self.pos].clone();
        if t.tok != Tok::End {
            self.pos += 1;
        }
        t
    }

    fn text_of(&self, t: &Token) -> &'a str {
        &self.text[t.start..t.end]
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek().tok, Tok::Op(o) if o == op)
    }

    fn is_word(&self, w: &str) -> bool {
        self.peek().tok == Tok::Name && self.text_of(self.peek()) == w
    }

    fn sp(&self, t: &Token) -> Span {
        (self.span)(t.start, t.end)
    }

    fn describe(&self, t: &Token) -> String {
        match t.tok {
            Tok::End => "end of expression".into(),
            _ => format!("`{}`", self.text_of(t)),
        }
    }

    /// The error for token `t` where an operator or the end was expected.
    fn unexpected(&self, t: &Token) -> Diagnostic {
        let word = self.text_of(t);
        match t.tok {
            Tok::Name if UNSUPPORTED_WORDS.contains(&word) => {
                let d = Diagnostic::new(self.sp(t), format!("Python's `{word}` is not supported in spyks expressions"));
                if word == "if" || word == "else" {
                    d.note("help: write a condition as `Piecewise((a, condition), (b, True))`")
                } else {
                    d
                }
            }
            Tok::Name | Tok::Num => Diagnostic::new(
                self.sp(t),
                format!("unexpected `{word}` after a complete expression (missing an operator such as `*`?)"),
            ),
            _ => Diagnostic::new(self.sp(t), format!("unexpected {}", self.describe(t))),
        }
    }

    fn binary(op: BinOp, a: Expr, b: Expr) -> Expr {
        let span = a.span.join(b.span);
        Expr::new(ExprKind::Binary(op, Box::new(a), Box::new(b)), span)
    }

    /// Parses an operand after operator token `op` with `f`, turning "expected an expression"
    /// into a message naming the operator.
    fn operand(&mut self, op: &Token, f: fn(&mut Self) -> PResult<Expr>) -> PResult<Expr> {
        let next = self.peek().clone();
        if self.starts_operand(&next) {
            return f(self);
        }
        let what = self.text_of(op);
        let (s, msg) = match next.tok {
            Tok::End => (self.sp(op), format!("expected an expression after `{what}`")),
            _ => (
                self.sp(&next),
                format!("expected an expression after `{what}`, found {}", self.describe(&next)),
            ),
        };
        Err(Diagnostic::new(s, msg))
    }

    /// Whether `t` can start an expression.
    fn starts_operand(&self, t: &Token) -> bool {
        match t.tok {
            Tok::Num => true,
            Tok::Name => !matches!(self.text_of(t), "and" | "or"),
            Tok::Op(o) => matches!(o, "(" | "-" | "+" | "~"),
            Tok::End => false,
        }
    }

    fn expr(&mut self) -> PResult<Expr> {
        self.or_test()
    }

    fn or_test(&mut self) -> PResult<Expr> {
        let mut lhs = self.and_test()?;
        while self.is_word("or") {
            let op = self.bump();
            let rhs = self.operand(&op, Self::and_test)?;
            lhs = Self::binary(BinOp::Or, lhs, rhs);
        }
        Ok(lhs)
    }

    fn and_test(&mut self) -> PResult<Expr> {
        let mut lhs = self.not_test()?;
        while self.is_word("and") {
            let op = self.bump();
            let rhs = self.operand(&op, Self::not_test)?;
            lhs = Self::binary(BinOp::And, lhs, rhs);
        }
        Ok(lhs)
    }

    fn not_test(&mut self) -> PResult<Expr> {
        if self.is_word("not") {
            let op = self.bump();
            let e = self.operand(&op, Self::not_test)?;
            let span = self.sp(&op).join(e.span);
            return Ok(Expr::new(ExprKind::Unary(UnOp::Not, Box::new(e)), span));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> PResult<Expr> {
        let first = self.bitor()?;
        let mut result: Option<Expr> = None;
        let mut lhs = first.clone();
        loop {
            let op = match self.peek().tok {
                Tok::Op("<") => BinOp::Lt,
                Tok::Op("<=") => BinOp::Le,
                Tok::Op(">") => BinOp::Gt,
                Tok::Op(">=") => BinOp::Ge,
                Tok::Op("==") => BinOp::Eq,
                Tok::Op("!=") => BinOp::Ne,
                Tok::Op("=") => {
                    let t = self.peek().clone();
                    return Err(Diagnostic::new(self.sp(&t), "unexpected `=`; did you mean `==`?"));
                }
                _ => break,
            };
            let op_tok = self.bump();
            let rhs = self.operand(&op_tok, Self::bitor)?;
            let cmp = Self::binary(op, lhs, rhs.clone());
            // Python chains `a < b < c` into `a < b and b < c`.
            result = Some(match result {
                None => cmp,
                Some(prev) => Self::binary(BinOp::And, prev, cmp),
            });
            lhs = rhs;
        }
        Ok(result.unwrap_or(first))
    }

    fn bitor(&mut self) -> PResult<Expr> {
        let mut lhs = self.bitand()?;
        while self.is_op("|") {
            let op = self.bump();
            let rhs = self.operand(&op, Self::bitand)?;
            lhs = Self::binary(BinOp::Or, lhs, rhs);
        }
        Ok(lhs)
    }

    fn bitand(&mut self) -> PResult<Expr> {
        let mut lhs = self.arith()?;
        while self.is_op("&") {
            let op = self.bump();
            let rhs = self.operand(&op, Self::arith)?;
            lhs = Self::binary(BinOp::And, lhs, rhs);
        }
        Ok(lhs)
    }

    fn arith(&mut self) -> PResult<Expr> {
        let mut lhs = self.term()?;
        loop {
            let op = match self.peek().tok {
                Tok::Op("+") => BinOp::Add,
                Tok::Op("-") => BinOp::Sub,
                _ => return Ok(lhs),
            };
            let t = self.bump();
            let rhs = self.operand(&t, Self::term)?;
            lhs = Self::binary(op, lhs, rhs);
        }
    }

    fn term(&mut self) -> PResult<Expr> {
        let mut lhs = self.factor()?;
        loop {
            let op = match self.peek().tok {
                Tok::Op("*") => BinOp::Mul,
                Tok::Op("/") => BinOp::Div,
                Tok::Op(o @ ("//" | "%" | "@" | "<<" | ">>")) => {
                    let t = self.peek().clone();
                    return Err(Diagnostic::new(
                        self.sp(&t),
                        format!("the operator `{o}` is not supported in spyks expressions"),
                    ));
                }
                _ => return Ok(lhs),
            };
            let t = self.bump();
            let rhs = self.operand(&t, Self::factor)?;
            lhs = Self::binary(op, lhs, rhs);
        }
    }

    fn factor(&mut self) -> PResult<Expr> {
        let op = match self.peek().tok {
            Tok::Op("-") => Some(UnOp::Neg),
            Tok::Op("~") => Some(UnOp::Not),
            Tok::Op("+") => None,
            _ => return self.power(),
        };
        let t = self.bump();
        let e = self.operand(&t, Self::factor)?;
        let span = self.sp(&t).join(e.span);
        Ok(match op {
            Some(op) => Expr::new(ExprKind::Unary(op, Box::new(e)), span),
            None => Expr::new(e.kind, span),
        })
    }

    fn power(&mut self) -> PResult<Expr> {
        let base = self.primary()?;
        if self.is_op("**") || self.is_op("^") {
            let t = self.bump();
            // The exponent may carry a sign (`2**-1`) and is right-associative (`a**b**c`).
            let exp = self.operand(&t, Self::factor)?;
            return Ok(Self::binary(BinOp::Pow, base, exp));
        }
        Ok(base)
    }

    fn primary(&mut self) -> PResult<Expr> {
        let t = self.peek().clone();
        match t.tok {
            Tok::Num => {
                self.bump();
                let text = self.text_of(&t).to_string();
                let span = self.sp(&t);
                Ok(Expr::new(ExprKind::Number(Quantity { text, negative: false, unit: None, span }), span))
            }
            Tok::Name => {
                self.bump();
                let word = self.text_of(&t);
                let span = self.sp(&t);
                match word {
                    "True" => return Ok(Expr::new(ExprKind::Bool(true), span)),
                    "False" => return Ok(Expr::new(ExprKind::Bool(false), span)),
                    "and" | "or" | "not" => {
                        return Err(Diagnostic::new(span, format!("expected an expression, found `{word}`")));
                    }
                    w if UNSUPPORTED_WORDS.contains(&w) => return Err(self.unexpected(&t)),
                    _ => {}
                }
                if self.is_op("(") {
                    return self.call(&t);
                }
                Ok(Expr::new(ExprKind::Ident(Name::new(word, span)), span))
            }
            Tok::Op("(") => {
                let open = self.bump();
                let e = self.operand(&open, Self::expr)?;
                self.close_paren(&open, "")?;
                Ok(e)
            }
            Tok::End => Err(Diagnostic::new(self.sp(&t), "expected an expression, found end of expression")),
            Tok::Op(")") => Err(Diagnostic::new(self.sp(&t), "unexpected `)`")),
            Tok::Op(o) => Err(Diagnostic::new(self.sp(&t), format!("expected an expression, found `{o}`"))),
        }
    }

    /// Consumes the `)` matching `open`.
    fn close_paren(&mut self, open: &Token, context: &str) -> PResult<Token> {
        if self.is_op(")") {
            return Ok(self.bump());
        }
        let t = self.peek().clone();
        let d = match t.tok {
            Tok::End => Diagnostic::new(self.sp(open), format!("unclosed `(`{context}")),
            Tok::Op(",") if context.is_empty() => Diagnostic::new(
                self.sp(&t),
                "unexpected `,`: tuples are only allowed as `Piecewise((value, condition), ...)` arguments",
            ),
            Tok::Name | Tok::Num => self.unexpected(&t),
            _ => Diagnostic::new(self.sp(&t), format!("expected `)` to close the `(`{context}, found {}", self.describe(&t))),
        };
        Err(d)
    }

    /// `name(args)`; the `(` is next.
    fn call(&mut self, name_tok: &Token) -> PResult<Expr> {
        let written = self.text_of(name_tok);
        let open = self.bump();
        if written == "Piecewise" || written == "piecewise" {
            return self.piecewise(name_tok, &open);
        }
        let mut args = Vec::new();
        if !self.is_op(")") {
            loop {
                let e = self.operand(&open, Self::expr).map_err(|d| {
                    if self.peek().tok == Tok::End { Diagnostic::new(self.sp(&open), format!("unclosed `(` of `{written}(`")) } else { d }
                })?;
                if self.is_op("=") {
                    let t = self.peek().clone();
                    return Err(Diagnostic::new(self.sp(&t), "keyword arguments are not supported"));
                }
                args.push(e);
                if self.is_op(",") {
                    self.bump();
                    if self.is_op(")") {
                        break; // trailing comma, as Python allows
                    }
                } else {
                    break;
                }
            }
        }
        let close = self.close_paren(&open, &format!(" of `{written}(`"))?;
        let name = Name::new(normalise_function(written), self.sp(name_tok));
        let span = self.sp(name_tok).join(self.sp(&close));
        Ok(Expr::new(ExprKind::Call(name, args), span))
    }

    /// `Piecewise((a, c1), (b, c2), ..., (z, True))` → nested `If`.
    fn piecewise(&mut self, name_tok: &Token, open: &Token) -> PResult<Expr> {
        let mut pieces: Vec<(Expr, Expr)> = Vec::new();
        loop {
            if self.is_op(")") {
                break;
            }
            let t = self.peek().clone();
            if !self.is_op("(") {
                let d = match t.tok {
                    Tok::End => Diagnostic::new(self.sp(open), "unclosed `(` of `Piecewise(`"),
                    _ => Diagnostic::new(
                        self.sp(&t),
                        format!("expected a `(value, condition)` pair in `Piecewise`, found {}", self.describe(&t)),
                    ),
                };
                return Err(d);
            }
            let popen = self.bump();
            let value = self.operand(&popen, Self::expr)?;
            if !self.is_op(",") {
                let n = self.peek().clone();
                let d = match n.tok {
                    Tok::End => Diagnostic::new(self.sp(&popen), "unclosed `(` in `Piecewise`"),
                    _ => Diagnostic::new(
                        self.sp(&n),
                        format!("expected `,` between the value and the condition of a `Piecewise` pair, found {}", self.describe(&n)),
                    ),
                };
                return Err(d);
            }
            let comma = self.bump();
            let cond = self.operand(&comma, Self::expr)?;
            self.close_paren(&popen, " of this `Piecewise` pair")?;
            pieces.push((value, cond));
            if self.is_op(",") {
                self.bump();
            } else {
                break;
            }
        }
        let close = self.close_paren(open, " of `Piecewise(`")?;
        let whole = self.sp(name_tok).join(self.sp(&close));
        // Pieces after a `True` condition can never be chosen (SymPy drops them too).
        let cut = pieces.iter().position(|(_, c)| matches!(c.kind, ExprKind::Bool(true)));
        let Some(cut) = cut else {
            return Err(Diagnostic::new(
                whole,
                "`Piecewise` must end with a `(value, True)` pair: without it the result is NaN \
                 (undefined) wherever no condition holds",
            )
            .note("help: add a last piece such as `(0, True)` for the value when no condition holds"));
        };
        pieces.truncate(cut + 1);
        let (mut acc, _) = pieces.pop().unwrap();
        while let Some((value, cond)) = pieces.pop() {
            let span = value.span.join(cond.span).join(acc.span);
            acc = Expr::new(ExprKind::If(Box::new(cond), Box::new(value), Box::new(acc)), span);
        }
        acc.span = whole;
        Ok(acc)
    }
}

/// Maps SymPy's function names onto the language's lower-case names.
fn normalise_function(name: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::{Source, Sources};

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
        let (msg, _) = err("(a b)");
        assert!(msg.contains("unexpected `b` after a complete expression"), "{msg}");
    }
}
