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
//! nested `if`s and must end with a `True` condition. `Max` and `Min` take any number of
//! arguments, `log(x, b)` is the logarithm in base `b` and `Heaviside(x, h0)` is `h0` at 0, as
//! in SymPy. Numbers never carry units here.
//!
//! Size limits keep the compiler's stack safe: at most [`MAX_NESTING`] nested parentheses,
//! calls, signs or powers, [`MAX_DEPTH`] levels of operations (a sum of about 500 terms) and
//! [`MAX_TOKENS`] tokens per expression; beyond them the expression is refused at its place.

use crate::ast::{BinOp, Expr, ExprKind, Quantity, UnOp};
use crate::diag::Diagnostic;
use crate::span::{Name, Span, TextSpan};
use proc_macro2::Span as TokenSpan;

mod calls;
mod limits;
use calls::{normalise_function, sympy_call};
pub(crate) use limits::check_depth;
pub use limits::{MAX_DEPTH, MAX_NESTING, MAX_TOKENS};

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
    "**", "<=", ">=", "==", "!=", "&&", "||", "//", "<<", ">>", "+", "-", "*", "/", "^", "&", "|", "~", "<", ">", "(", ")", ",", "%", "=",
    "[", "]", "@", "!",
];

/// Splits `text` into tokens.
fn tokenize(text: &str, span: &dyn Fn(usize, usize) -> Span) -> Result<Vec<Token>, Diagnostic> {
    let bytes = text.as_bytes();
    let digits = |mut j: usize| {
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let (tok, end) = if c.is_ascii_digit() || (c == '.' && digits(i + 1) > i + 1) {
            // `1`, `1.5`, `.5`, `5.`, `1e-3`, `1E3`
            let mut end = digits(i);
            if bytes.get(end) == Some(&b'.') {
                end = digits(end + 1);
            }
            if matches!(bytes.get(end), Some(b'e' | b'E')) {
                let j = end + 1 + usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
                if digits(j) == j {
                    let msg = format!("malformed number `{}`: expected digits after the exponent", &text[i..j]);
                    return Err(Diagnostic::new(span(i, j), msg));
                }
                end = digits(j);
            }
            (Tok::Num, end)
        } else if c == '_' || c.is_alphabetic() {
            let len = text[i..].find(|c: char| !(c == '_' || c.is_alphanumeric()));
            (Tok::Name, i + len.unwrap_or(text.len() - i))
        } else if let Some(op) = OPS.iter().find(|op| text[i..].starts_with(**op)) {
            (Tok::Op(op), i + op.len())
        } else {
            let d = Diagnostic::new(span(i, i + c.len_utf8()), format!("unknown character `{c}`"));
            return Err(match c {
                '#' => d.note(
                    "help: in YAML, `#` starts a comment only after a space and outside quotes and `>` or `|` \
                     blocks; move the comment to a line of its own outside the expression",
                ),
                _ => d,
            });
        };
        out.push(Token { tok, start: i, end });
        i = end;
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
        end: call_site,
        text: Some(TextSpan { source, start: start as u32, end: end as u32 }),
    };
    let toks = tokenize(text, &span)?;
    if toks.len() - 1 > MAX_TOKENS {
        let msg = format!("this expression is too long to compile: {} names, numbers and operators, at most {MAX_TOKENS}", toks.len() - 1);
        return Err(Diagnostic::new(span(0, text.trim_end().len()), msg));
    }
    let mut p = Parser { text, toks, pos: 0, span: &span, nesting: 0 };
    if p.peek().tok == Tok::End {
        return Err(Diagnostic::new(span(0, text.len()), "empty expression"));
    }
    let e = p.or_test()?;
    let t = p.peek().clone();
    if t.tok != Tok::End {
        return Err(match t.tok {
            Tok::Op(")") => Diagnostic::new(span(t.start, t.end), "unexpected `)` (no `(` is open here)"),
            _ => p.unexpected(&t),
        });
    }
    check_depth(&e, span(0, text.trim_end().len()))?;
    Ok(e)
}

struct Parser<'a> {
    text: &'a str,
    toks: Vec<Token>,
    pos: usize,
    span: &'a dyn Fn(usize, usize) -> Span,
    /// How many parentheses, calls, prefix signs and exponents enclose the current token.
    nesting: usize,
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
                if word == "if" || word == "else" { d.note("help: write a condition as `Piecewise((a, condition), (b, True))`") } else { d }
            }
            Tok::Name | Tok::Num => {
                Diagnostic::new(self.sp(t), format!("unexpected `{word}` after a complete expression (missing an operator such as `*`?)"))
            }
            Tok::Op(op @ ("&&" | "||")) => {
                let py = if op == "&&" { "`&` (or `and`)" } else { "`|` (or `or`)" };
                Diagnostic::new(self.sp(t), format!("`{op}` is not Python syntax: write {py} to combine conditions"))
            }
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
            _ => (self.sp(&next), format!("expected an expression after `{what}`, found {}", self.describe(&next))),
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
        self.nested(Self::or_test)
    }

    /// Parses with `f` one level deeper, refusing more than [`MAX_NESTING`] levels.
    fn nested(&mut self, f: fn(&mut Self) -> PResult<Expr>) -> PResult<Expr> {
        if self.nesting >= MAX_NESTING {
            // At the `(`, sign, `**` or `,` that opens the level.
            let t = self.toks[self.pos.saturating_sub(1)].clone();
            let msg = format!("this expression nests more than {MAX_NESTING} levels of parentheses, calls, signs or powers");
            return Err(Diagnostic::new(self.sp(&t), msg));
        }
        self.nesting += 1;
        let e = f(self);
        self.nesting -= 1;
        e
    }

    /// A prefix sign's operand or an exponent: one level deeper.
    fn nested_factor(&mut self) -> PResult<Expr> {
        self.nested(Self::factor)
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

    /// Refuses `V >= h & w > 0`, where the operand `tokens` of a comparison hold a `&` or `|`
    /// outside parentheses: Python reads `V >= (h & w) > 0`, which SymPy cannot evaluate.
    fn check_comparison_operand(&self, tokens: std::ops::Range<usize>, cmp: &Token) -> PResult<()> {
        let mut depth = 0i32;
        for t in &self.toks[tokens] {
            match t.tok {
                Tok::Op("(") => depth += 1,
                Tok::Op(")") => depth -= 1,
                Tok::Op(op @ ("&" | "|")) if depth == 0 => {
                    let c = self.text_of(cmp);
                    let example = if op == "&" { "(V >= h) & (w > 0)" } else { "(V >= h) | (w > 0)" };
                    return Err(Diagnostic::new(
                        self.sp(t),
                        format!("in Python `{op}` binds tighter than `{c}`: put each comparison in parentheses, as in `{example}`"),
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn comparison(&mut self) -> PResult<Expr> {
        let mut operand = self.pos..self.pos;
        let first = self.bitor()?;
        operand.end = self.pos;
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
            self.check_comparison_operand(operand, &op_tok)?;
            let start = self.pos;
            let rhs = self.operand(&op_tok, Self::bitor)?;
            operand = start..self.pos;
            self.check_comparison_operand(operand.clone(), &op_tok)?;
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
                    return Err(Diagnostic::new(self.sp(&t), format!("the operator `{o}` is not supported in spyks expressions")));
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
        let e = self.operand(&t, Self::nested_factor)?;
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
            let exp = self.operand(&t, Self::nested_factor)?;
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
                let close = self.close_paren(&open, "")?;
                // The parenthesised expression spans its parentheses.
                let span = self.sp(&open).join(self.sp(&close));
                Ok(Expr::new(e.kind, span))
            }
            Tok::End => Err(Diagnostic::new(self.sp(&t), "expected an expression, found end of expression")),
            Tok::Op(")") => Err(Diagnostic::new(self.sp(&t), "unexpected `)`")),
            Tok::Op("!") => Err(Diagnostic::new(self.sp(&t), "`!` is not Python syntax: write `~` or `not`")),
            Tok::Op(o) => Err(Diagnostic::new(self.sp(&t), format!("expected an expression, found `{o}`"))),
        }
    }

    /// Consumes the `)` matching `open`.
    fn close_paren(&mut self, open: &Token, context: &str) -> PResult<Token> {
        if self.is_op(")") {
            return Ok(self.bump());
        }
        let t = self.peek().clone();
        Err(match t.tok {
            Tok::Op(",") if context.is_empty() => {
                Diagnostic::new(self.sp(&t), "unexpected `,`: tuples are only allowed as `Piecewise((value, condition), ...)` arguments")
            }
            Tok::Name | Tok::Num | Tok::Op("&&" | "||") => self.unexpected(&t),
            _ => self.expected(&format!("`)` to close the `(`{context}"), open, context),
        })
    }

    /// "expected {what}, found ..." at the next token, or "unclosed `(`{context}" at `open`
    /// when the expression ends.
    fn expected(&self, what: &str, open: &Token, context: &str) -> Diagnostic {
        let t = self.peek();
        match t.tok {
            Tok::End => Diagnostic::new(self.sp(open), format!("unclosed `(`{context}")),
            _ => Diagnostic::new(self.sp(t), format!("expected {what}, found {}", self.describe(t))),
        }
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
        Ok(sympy_call(name, args, span))
    }

    /// `Piecewise((a, c1), (b, c2), ..., (z, True))` → nested `If`.
    fn piecewise(&mut self, name_tok: &Token, open: &Token) -> PResult<Expr> {
        let mut pieces: Vec<(Expr, Expr)> = Vec::new();
        loop {
            if self.is_op(")") {
                break;
            }
            if !self.is_op("(") {
                let what = "a `(value, condition)` pair in `Piecewise`";
                return Err(self.expected(what, open, " of `Piecewise(`"));
            }
            let popen = self.bump();
            let value = self.operand(&popen, Self::expr)?;
            if !self.is_op(",") {
                let what = "`,` between the value and the condition of a `Piecewise` pair";
                return Err(self.expected(what, &popen, " in `Piecewise`"));
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
