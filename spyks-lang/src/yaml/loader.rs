//! Reading values out of the YAML tree: spans, names, quantities, expressions and mappings,
//! each reporting type errors at the node's line and column.

use super::tree::{Kind, Node, ScalarType};
use super::{Ctxt, Diagnostic, Expr, ExprKind, Name, Quantity, ScalarStyle, Source, Sources, Span, TextSpan, UnitExpr};
use super::{parse_py_expr, units};
use proc_macro2::Span as TokenSpan;

/// What one file's reader needs: its text, the registered file source and the error sink.
pub(super) struct Loader<'a> {
    /// The whole file.
    pub text: &'a str,
    /// The file as the user wrote it.
    pub display: &'a str,
    /// The source holding the whole file.
    pub file: u32,
    /// The macro call site.
    pub call_site: TokenSpan,
    /// Registered sources.
    pub sources: &'a mut Sources,
    /// Collected errors.
    pub ctxt: &'a Ctxt,
}

/// Whether `s` is an identifier: a letter or `_`, then letters, digits and `_` (not `_` alone).
pub(super) fn is_ident(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c == '_' || c.is_alphabetic()) && cs.all(|c| c == '_' || c.is_alphanumeric()) && s != "_"
}

/// `s` without whitespace, to compare raw and processed scalar text.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

impl Loader<'_> {
    /// A span over a byte range of the file.
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span {
            tokens: self.call_site,
            end: self.call_site,
            text: Some(TextSpan { source: self.file, start: start as u32, end: end as u32 }),
        }
    }

    /// The span of a node.
    pub fn at(&self, n: &Node) -> Span {
        self.span(n.start, n.end)
    }

    /// Records an error at a node.
    pub fn error(&self, n: &Node, msg: impl Into<String>) {
        self.ctxt.error(self.at(n), msg);
    }

    /// The text a span covers, if it points into a registered source.
    pub fn span_text(&self, s: Span) -> Option<String> {
        let t = s.text?;
        let src = self.sources.list.get(t.source as usize)?;
        src.text.get(t.start as usize..t.end as usize).map(str::to_string)
    }

    /// 1-based line and column of a byte offset in the file.
    fn line_col(&self, off: usize) -> (usize, usize) {
        let before = &self.text[..off.min(self.text.len())];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
    }

    /// The raw text of a scalar inside its quotes (all of it for other styles), with its offset.
    fn raw_inner(&self, n: &Node) -> Option<(&str, usize)> {
        let Kind::Scalar(_, style) = &n.kind else {
            return None;
        };
        let raw = self.text.get(n.start..n.end)?;
        match style {
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => (raw.len() >= 2).then(|| (&raw[1..raw.len() - 1], n.start + 1)),
            _ => Some((raw, n.start)),
        }
    }

    /// The file offset where a scalar's value is written verbatim (no escapes, one line).
    fn verbatim(&self, n: &Node) -> Option<usize> {
        let (raw, off) = self.raw_inner(n)?;
        (Some(raw) == n.scalar()).then_some(off)
    }

    /// Parses an expression scalar. `what` names it in type errors ("the equation of `V`").
    pub fn expr(&mut self, n: &Node, what: &str) -> Option<Expr> {
        let value = match (n.scalar(), n.scalar_type()) {
            (_, Some(ScalarType::Null)) => {
                self.error(n, format!("{what} is empty: expected an expression"));
                return None;
            }
            (Some(v), _) => v,
            (None, _) => {
                self.error(n, format!("{what} must be an expression string, found {}", n.describe()));
                return None;
            }
        };
        // The raw text has exact positions; line breaks and indentation of block or multi-line
        // scalars are only whitespace to an expression. Escapes make it differ: use the value.
        let (text, off) = match self.raw_inner(n) {
            Some((raw, off)) if squash(raw) == squash(value) => (raw.trim_end().to_string(), off),
            _ => (value.to_string(), self.raw_inner(n).map_or(n.start, |r| r.1)),
        };
        let (line, col) = self.line_col(off);
        let source = self.sources.add(Source { file: self.display.to_string(), line, col, text: text.clone() });
        match parse_py_expr(&text, source, self.call_site) {
            Ok(e) => Some(e),
            Err(d) => {
                self.ctxt.push(d);
                None
            }
        }
    }

    /// Reads a quantity (`-70 mV`, `0.26 1/ms`, `0`) without recording errors.
    pub fn try_quantity(&self, n: &Node, what: &str) -> Result<Quantity, Diagnostic> {
        let expected = "a quantity such as `-70 mV`, `0.26 1/ms` or a plain number";
        let value = match (n.scalar(), n.scalar_type()) {
            (_, Some(ScalarType::Null)) => {
                return Err(Diagnostic::new(self.at(n), format!("{what} is missing: expected {expected}")));
            }
            (Some(v), Some(ScalarType::Number | ScalarType::Str)) => v,
            _ => {
                return Err(Diagnostic::new(self.at(n), format!("{what} must be {expected}, found {}", n.describe())));
            }
        };
        let base = self.verbatim(n);
        let span_at = |a: usize, b: usize| match base {
            Some(o) => self.span(o + a, o + b),
            None => self.at(n),
        };
        let Some((num_end, mut unit_start)) = units::split_quantity_text(value) else {
            // A unit alone is one of it, as Pint reads it (`uA/cm**2`).
            let unit_start = value.len() - value.trim_start().len();
            let unit = units::parse_unit_text(value.trim(), &|a, b| span_at(unit_start + a, unit_start + b));
            fn known(u: &UnitExpr) -> bool {
                match u {
                    UnitExpr::Symbol(s) => units::lookup_unit(&s.name).is_some(),
                    UnitExpr::One(_) => true,
                    UnitExpr::Mul(a, b) | UnitExpr::Div(a, b) => known(a) && known(b),
                    UnitExpr::Pow(a, ..) => known(a),
                }
            }
            if let (Ok(unit), Some(ScalarType::Str)) = (unit, n.scalar_type())
                && known(&unit)
            {
                return Ok(Quantity { text: "1".into(), negative: false, unit: Some(unit), span: self.at(n) });
            }
            return Err(Diagnostic::new(self.at(n), format!("{what} must be {expected}, found {}", n.describe())));
        };
        // Pint also reads `-70*mV`.
        if value[unit_start..].starts_with('*') && !value[unit_start..].starts_with("**") {
            unit_start += 1 + value[unit_start + 1..].len() - value[unit_start + 1..].trim_start().len();
        }
        let num = value[..num_end].trim_start();
        let (negative, digits) = match num.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, num.strip_prefix('+').unwrap_or(num)),
        };
        let unit_text = value[unit_start..].trim_end();
        let unit = if unit_text.is_empty() {
            None
        } else {
            Some(units::parse_unit_text(unit_text, &|a, b| span_at(unit_start + a, unit_start + b))?)
        };
        Ok(Quantity { text: digits.to_string(), negative, unit, span: self.at(n) })
    }

    /// Reads a quantity, recording errors.
    pub fn quantity(&self, n: &Node, what: &str) -> Option<Quantity> {
        self.try_quantity(n, what).map_err(|d| self.ctxt.push(d)).ok()
    }

    /// A quantity, or else an expression (`period: 2 ms`, `period: t_ref`).
    pub fn quantity_or_expr(&mut self, n: &Node, what: &str) -> Option<Expr> {
        let looks_numeric = n.scalar().and_then(units::split_quantity_text).is_some();
        if looks_numeric && let Ok(q) = self.try_quantity(n, what) {
            let span = q.span;
            return Some(Expr::new(ExprKind::Number(q), span));
        }
        self.expr(n, what)
    }

    /// Reads a name (a mapping key): an identifier that is not a Rust keyword.
    pub fn ident(&self, n: &Node, what: &str) -> Option<Name> {
        let Some(s) = n.scalar().filter(|_| !n.is_null()) else {
            self.error(n, format!("{what} must be a name, found {}", n.describe()));
            return None;
        };
        if !is_ident(s) {
            self.error(
                n,
                format!(
                    "`{s}` is not a valid name for {what}: a name starts with a letter or `_` and \
                     holds only letters, digits and `_`"
                ),
            );
            return None;
        }
        if crate::check::is_keyword(s) {
            self.ctxt.push(
                Diagnostic::new(self.at(n), format!("`{s}` cannot be used as a name: it is a Rust keyword"))
                    .note(format!("help: rename it, for example to `{s}_`")),
            );
            // Uses of the name are not reported again.
            self.ctxt.poison(s);
            return None;
        }
        Some(Name::new(s, self.at(n)))
    }

    /// The entries of a mapping, or a type error `"{must}, found ..."`. Duplicate keys and
    /// merge keys (`<<`) are errors (the first of duplicates is kept).
    pub fn mapping<'n>(&self, n: &'n Node, must: &str) -> Option<Vec<(&'n Node, &'n Node)>> {
        let Kind::Map(entries) = &n.kind else {
            self.error(n, format!("{must}, found {}", n.describe()));
            return None;
        };
        let mut out: Vec<(&Node, &Node)> = Vec::new();
        for (k, v) in entries {
            if matches!(&k.kind, Kind::Scalar(s, ScalarStyle::Plain) if s == "<<") {
                let msg = "YAML merge keys (`<<`) are not supported in model files: write the entries out";
                self.ctxt.push(Diagnostic::new(self.at(k), msg));
                continue;
            }
            let first = out.iter().find(|(k0, _)| k0.scalar().is_some() && k0.scalar() == k.scalar());
            if let Some((k0, _)) = first {
                let (line, _) = self.line_col(k0.start);
                self.ctxt.push(
                    Diagnostic::new(self.at(k), format!("duplicate key `{}`", k.scalar().unwrap_or_default()))
                        .note(format!("the first one is on line {line}")),
                );
                continue;
            }
            out.push((k, v));
        }
        Some(out)
    }

    /// Reports every key of `entries` that is not in `known` (in `context`, e.g. "in `reset`"),
    /// suggesting the closest known key.
    pub fn check_keys(&self, entries: &[(&Node, &Node)], known: &[&str], context: &str) {
        for (k, _) in entries {
            let key = k.scalar().unwrap_or_default();
            if known.contains(&key) {
                continue;
            }
            let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            let mut d = Diagnostic::new(self.at(k), format!("unknown key `{key}` {context}"));
            if let Some(c) = units::closest(key, known.iter().copied()) {
                d = d.note(format!("help: did you mean `{c}`?"));
            }
            self.ctxt.push(d.note(format!("the accepted keys are {list}")));
        }
    }

    /// The value of `key` in `entries`.
    pub fn get<'n>(entries: &[(&'n Node, &'n Node)], key: &str) -> Option<(&'n Node, &'n Node)> {
        entries.iter().find(|(k, _)| k.scalar() == Some(key)).copied()
    }
}
