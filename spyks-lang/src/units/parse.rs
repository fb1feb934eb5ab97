//! The text form of units, as written in spyks (YAML) files: splitting a quantity string into
//! number and unit, and parsing a Pint-style unit string into a [`UnitExpr`].

use super::Rational;
use crate::ast::UnitExpr;
use crate::diag::Diagnostic;
use crate::span::{Name, Span};

/// Splits a quantity string such as `-70 mV`, `0.26 1/ms`, `.00052 1/ms`, `123e-5 1/ms`, `0`,
/// `1 µS` or `5ms` into number and unit. Returns byte offsets `(number_end, unit_start)`:
/// the number, with its optional `+`/`-` sign, is `text[..number_end].trim_start()` and the
/// unit is `text[unit_start..].trim_end()` (empty when there is none). The number is
/// `[+-]? digits [. digits]` or `[+-]? . digits`, then an exponent `[eE][+-]?digits` if one is
/// complete there. The unit starts after the whitespace following the number; for `2/ms` it is
/// `/ms`, which [`parse_unit_text`] reads as `1/ms`. `None` if no number starts the text.
pub fn split_quantity_text(text: &str) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let digits = |i: usize| i + b[i.min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
    let sign = |i: usize| i + usize::from(i < b.len() && (b[i] == b'-' || b[i] == b'+'));
    let start = sign(text.len() - text.trim_start().len());
    let int_end = digits(start);
    let mut end = if b.get(int_end) == Some(&b'.') { digits(int_end + 1) } else { int_end };
    if end - start - usize::from(end > int_end) == 0 {
        return None;
    }
    if matches!(b.get(end), Some(b'e' | b'E')) && digits(sign(end + 1)) > sign(end + 1) {
        end = digits(sign(end + 1));
    }
    Some((end, text.len() - text[end..].trim_start().len()))
}

/// Parses a Pint-style unit string: `mV`, `1/ms`, `ms^-1`, `ms**-1`, `mS/cm^2`, `uA/cm**2`,
/// `1/(ms*mV)`, `m^(-2)`, `mV^(1/2)`, `ms^0.5`, `1 / ms`, `mS cm^-2` (a space multiplies),
/// `mV·ms`, `mS/cm²`, `ms⁻¹` (superscript integer exponents, as Pint reads them). `*` and `/` are left-associative with equal precedence (`mV/ms/ms` = mV/ms²);
/// `^`/`**` binds tighter and takes an integer, a decimal or a parenthesised rational. A
/// leading `/` means `1/` (for `2/ms` split by [`split_quantity_text`]). `span_at(start, end)`
/// gives the span of a byte range of `text`, for the symbols and for errors.
pub fn parse_unit_text(text: &str, span_at: &dyn Fn(usize, usize) -> Span) -> Result<UnitExpr, Diagnostic> {
    let mut toks = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let same = |c: char, d: char| {
            c.is_alphabetic() && (d.is_alphabetic() || d == '_')
                || (c.is_ascii_digit() || c == '.') && (d.is_ascii_digit() || d == '.')
                || c == '*' && d == '*'
                || superscript(c).is_some() && superscript(d).is_some()
        };
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = it.peek().filter(|&&(j, d)| same(c, d) && (c != '*' || j == i + 1)) {
            end = j + d.len_utf8();
            it.next();
        }
        if !c.is_whitespace() {
            toks.push((i, end));
        }
    }
    let mut p = UnitParser { text, toks, at: 0, span_at };
    let expr = if p.eat("/") {
        let one = UnitExpr::One(p.span(p.toks[0]));
        UnitExpr::Div(Box::new(one), Box::new(p.product("after `/`")?))
    } else {
        p.product("")?
    };
    match p.tok() {
        None => Ok(expr),
        Some(")") => Err(p.error("unmatched `)`")),
        Some(t) => Err(p.error(&format!("unexpected `{t}`"))),
    }
}

/// The ASCII form of a superscript digit or minus, for Pint's `cm²` and `ms⁻¹`.
fn superscript(c: char) -> Option<char> {
    match c {
        '⁰' => Some('0'),
        '¹' => Some('1'),
        '²' => Some('2'),
        '³' => Some('3'),
        '⁴'..='⁹' => char::from_digit(c as u32 - '⁰' as u32, 10),
        '⁻' => Some('-'),
        _ => None,
    }
}

/// Recursive-descent parser over the tokens (byte ranges) of a unit string.
struct UnitParser<'a> {
    text: &'a str,
    toks: Vec<(usize, usize)>,
    at: usize,
    span_at: &'a dyn Fn(usize, usize) -> Span,
}

impl<'a> UnitParser<'a> {
    fn span(&self, (a, b): (usize, usize)) -> Span {
        (self.span_at)(a, b)
    }
    fn tok(&self) -> Option<&'a str> {
        self.toks.get(self.at).map(|&(a, b)| &self.text[a..b])
    }
    fn eat(&mut self, t: &str) -> bool {
        let yes = self.tok() == Some(t);
        self.at += usize::from(yes);
        yes
    }
    /// An error at the current token, or at the last one at the end of the text.
    fn error(&self, msg: &str) -> Diagnostic {
        let range = self.toks.get(self.at).or(self.toks.last()).copied().unwrap_or((0, 0));
        Diagnostic::new(self.span(range), format!("malformed unit `{}`: {msg}", self.text))
    }

    /// `power (('*' | '/' | '·' | juxtaposition) power)*`
    fn product(&mut self, context: &str) -> Result<UnitExpr, Diagnostic> {
        let mut lhs = self.power(context)?;
        loop {
            let Some(t) = self.tok() else { return Ok(lhs) };
            let (div, op) = match t {
                "/" => (true, true),
                "*" | "·" | "⋅" => (false, true),
                _ if t.starts_with(|c: char| c.is_alphanumeric() || c == '(') => (false, false),
                _ => return Ok(lhs),
            };
            let context = if op { format!("after `{t}`") } else { String::new() };
            self.at += usize::from(op);
            let (a, b) = (Box::new(lhs), Box::new(self.power(&context)?));
            lhs = if div { UnitExpr::Div(a, b) } else { UnitExpr::Mul(a, b) };
        }
    }

    /// `primary (('^' | '**') exponent | superscript exponent)?`
    fn power(&mut self, context: &str) -> Result<UnitExpr, Diagnostic> {
        let base = self.primary(context)?;
        if let Some(t) = self.tok().filter(|t| t.chars().all(|c| superscript(c).is_some())) {
            let range = self.toks[self.at];
            let Ok(n) = t.chars().filter_map(superscript).collect::<String>().parse::<i32>() else {
                return Err(self.error(&format!("expected an exponent such as `²` or `⁻¹`, found `{t}`")));
            };
            self.at += 1;
            return Ok(UnitExpr::Pow(Box::new(base), Rational::new(n, 1), self.span(range)));
        }
        let Some(op) = self.tok().filter(|t| matches!(*t, "^" | "**")).map(str::to_string) else {
            return Ok(base);
        };
        let start = self.toks[self.at].0;
        self.at += 1;
        let paren = self.eat("(");
        let mut r = self.signed_number(&op)?;
        if paren {
            if self.eat("/") {
                let d = self.signed_number("/")?;
                r = r * Rational::new(d.den, d.num);
            }
            if !self.eat(")") {
                return Err(self.error("expected `)` after the exponent"));
            }
        }
        Ok(UnitExpr::Pow(Box::new(base), r, self.span((start, self.toks[self.at - 1].1))))
    }

    /// A unit symbol, `1`, or a parenthesised product.
    fn primary(&mut self, context: &str) -> Result<UnitExpr, Diagnostic> {
        let t = self.tok().unwrap_or("");
        let range = self.toks.get(self.at).copied().unwrap_or((0, 0));
        if t.starts_with(char::is_alphabetic) {
            self.at += 1;
            Ok(UnitExpr::Symbol(Name::new(t, self.span(range))))
        } else if t == "1" {
            self.at += 1;
            Ok(UnitExpr::One(self.span(range)))
        } else if t.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
            Err(self.error("only the number 1 may appear in a unit, as in `1/ms`"))
        } else if self.eat("(") {
            let inner = self.product("after `(`")?;
            if !self.eat(")") {
                return Err(self.error("expected `)`"));
            }
            Ok(inner)
        } else {
            Err(self.error(format!("expected a unit {context}").trim_end()))
        }
    }

    /// `[+-]? digits [. digits]`, as an exponent after `op`.
    fn signed_number(&mut self, op: &str) -> Result<Rational, Diagnostic> {
        let neg = self.eat("-") || self.eat("−");
        let _ = neg || self.eat("+");
        let (int, frac) = self.tok().unwrap_or("").split_once('.').unwrap_or((self.tok().unwrap_or(""), ""));
        let digits = format!("{int}{frac}");
        let n = digits.parse::<i32>().ok().filter(|_| frac.len() <= 6 && digits.bytes().all(|b| b.is_ascii_digit()));
        let Some(n) = n.filter(|&n| n != 0 || op != "/") else {
            return Err(self.error(&format!("expected an exponent after `{op}`")));
        };
        self.at += 1;
        let r = Rational::new(n, 10i32.pow(frac.len() as u32));
        Ok(if neg { -r } else { r })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitting() {
        let s = split_quantity_text;
        assert_eq!(s("-70 mV"), Some((3, 4)));
        assert_eq!(s("0.26 1/ms"), Some((4, 5)));
        assert_eq!(s(".00052 1/ms"), Some((6, 7)));
        assert_eq!(s("123e-5 1/ms"), Some((6, 7)));
        assert_eq!(s("0"), Some((1, 1)));
        assert_eq!(s("1 µS"), Some((1, 2)));
        assert_eq!(s("5ms"), Some((1, 1)));
        assert_eq!(s(" +1.5E3  mV "), Some((7, 9)));
        assert_eq!((s("mV"), s("."), s("-"), s("")), (None, None, None, None));
    }
}
