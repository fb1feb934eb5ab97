//! Source locations shared by both front ends.
//!
//! Inline models (`neuron_model!`) carry real token spans, so errors point at the offending
//! tokens. YAML models live in a file the compiler cannot point into, so their spans also carry
//! a [`TextSpan`]: a byte range inside one registered [`Source`] (an expression string with the
//! file, line and column where it starts). Errors render those as `file:line:col` plus a
//! snippet with carets, attached to the macro call.

use proc_macro2::Span as TokenSpan;

/// Where a piece of the model came from.
///
/// Token ranges are kept as their first and last token: joining token spans is not possible on
/// stable Rust, but an error spanning from `tokens` to `end` is (see [`crate::diag`]).
#[derive(Clone, Copy, Debug)]
pub struct Span {
    /// The first token (the macro call site for YAML models).
    pub tokens: TokenSpan,
    /// The last token.
    pub end: TokenSpan,
    /// The text range, for models read from a file.
    pub text: Option<TextSpan>,
}

impl Span {
    /// A span that only points at tokens.
    pub fn tokens(tokens: TokenSpan) -> Self {
        Span { tokens, end: tokens, text: None }
    }

    /// A span of text in a registered source, reported at the token span `call_site`.
    pub fn text(call_site: TokenSpan, text: TextSpan) -> Self {
        Span { tokens: call_site, end: call_site, text: Some(text) }
    }

    /// The call site, with no text range (for generated items).
    pub fn call_site() -> Self {
        Span::tokens(TokenSpan::call_site())
    }

    /// A span covering both `self` and `other` (tokens joined where the compiler allows it,
    /// text ranges merged when they are in the same source).
    pub fn join(self, other: Span) -> Span {
        let (tokens, end) = (self.tokens, other.end);
        let text = match (self.text, other.text) {
            (Some(a), Some(b)) if a.source == b.source => {
                Some(TextSpan { source: a.source, start: a.start.min(b.start), end: a.end.max(b.end) })
            }
            (a, b) => a.or(b),
        };
        Span { tokens, end, text }
    }
}

/// A byte range inside a registered [`Source`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextSpan {
    /// Index into [`Sources`].
    pub source: u32,
    /// Byte offset of the first character, within the source text.
    pub start: u32,
    /// Byte offset one past the last character.
    pub end: u32,
}

/// A piece of text from a model file: an expression string or a whole line.
#[derive(Clone, Debug)]
pub struct Source {
    /// The file, as the user wrote it in `include_model!`.
    pub file: String,
    /// 1-based line where `text` starts in the file.
    pub line: usize,
    /// 1-based column where `text` starts in the file.
    pub col: usize,
    /// The text itself.
    pub text: String,
}

/// All text sources of one model, indexed by [`TextSpan::source`].
#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// The registered sources.
    pub list: Vec<Source>,
}

impl Sources {
    /// Registers a source and returns its index.
    pub fn add(&mut self, source: Source) -> u32 {
        self.list.push(source);
        (self.list.len() - 1) as u32
    }

    /// Renders `file:line:col` and a snippet with carets under the range.
    pub fn render(&self, span: TextSpan) -> String {
        let Some(src) = self.list.get(span.source as usize) else {
            return String::new();
        };
        let start = (span.start as usize).min(src.text.len());
        let end = (span.end as usize).clamp(start, src.text.len());
        // Find the line of the text that holds `start`.
        let before = &src.text[..start];
        let line_idx = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line_end = src.text[start..].find('\n').map_or(src.text.len(), |i| start + i);
        let line_text = &src.text[line_start..line_end];
        let col_in_line = src.text[line_start..start].chars().count();
        let width = src.text[start..end.min(line_end)].chars().count().max(1);
        let (line, col) = if line_idx == 0 {
            (src.line, src.col + col_in_line)
        } else {
            // Continuation lines of a folded scalar: the column is only approximate.
            (src.line + line_idx, col_in_line + 1)
        };
        let gutter = line.to_string().len();
        format!(
            "{file}:{line}:{col}\n{pad} |\n{line} | {text}\n{pad} | {spaces}{carets}",
            file = src.file,
            pad = " ".repeat(gutter),
            text = line_text,
            spaces = " ".repeat(col_in_line),
            carets = "^".repeat(width),
        )
    }
}

/// A name with its location.
#[derive(Clone, Debug)]
pub struct Name {
    /// The identifier as written.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

impl Name {
    /// Creates a name.
    pub fn new(name: impl Into<String>, span: Span) -> Self {
        Name { name: name.into(), span }
    }
}
