//! The token cursor of the inline front end and the small helpers every section parser uses:
//! error construction, token descriptions for messages, item and argument splitting, doc
//! comments and names.

use crate::diag::Diagnostic;
use crate::span::{Name, Span};
use proc_macro2::{Delimiter, Spacing, Span as TokenSpan, TokenStream, TokenTree};

/// The result of a parse step: the value, or the error that stopped it.
pub(super) type PResult<T> = Result<T, Diagnostic>;

pub(super) fn sp(s: TokenSpan) -> Span {
    Span::tokens(s)
}

pub(super) fn err<T>(span: TokenSpan, msg: impl Into<String>) -> PResult<T> {
    Err(Diagnostic::new(sp(span), msg))
}

/// A cursor over a flat list of token trees.
pub(super) struct Toks {
    pub(super) toks: Vec<TokenTree>,
    pub(super) pos: usize,
    /// Span used for "unexpected end" errors.
    pub(super) end: TokenSpan,
}

impl Toks {
    pub(super) fn new(ts: TokenStream, end: TokenSpan) -> Self {
        Toks { toks: ts.into_iter().collect(), pos: 0, end }
    }
    pub(super) fn from_vec(toks: Vec<TokenTree>, end: TokenSpan) -> Self {
        Toks { toks, pos: 0, end }
    }
    pub(super) fn peek(&self) -> Option<&TokenTree> {
        self.toks.get(self.pos)
    }
    pub(super) fn peek_at(&self, k: usize) -> Option<&TokenTree> {
        self.toks.get(self.pos + k)
    }
    pub(super) fn next(&mut self) -> Option<TokenTree> {
        let t = self.toks.get(self.pos).cloned();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }
    pub(super) fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }
    pub(super) fn span(&self) -> TokenSpan {
        self.peek().map_or(self.end, |t| t.span())
    }
    pub(super) fn is_punct(&self, k: usize, c: char) -> bool {
        matches!(self.peek_at(k), Some(TokenTree::Punct(p)) if p.as_char() == c)
    }
    fn is_joint(&self, k: usize) -> bool {
        matches!(self.peek_at(k), Some(TokenTree::Punct(p)) if p.spacing() == Spacing::Joint)
    }
    /// Whether the next tokens spell the operator `op` (1 or 2 chars, joint).
    pub(super) fn is_op(&self, op: &str) -> bool {
        let cs: Vec<char> = op.chars().collect();
        match cs.len() {
            // `* *` is a power however it is spaced: the language has no dereference.
            1 if cs[0] == '*' => self.is_punct(0, '*') && !self.is_punct(1, '*'),
            2 if op == "**" => self.is_punct(0, '*') && self.is_punct(1, '*'),
            1 => {
                self.is_punct(0, cs[0])
                    && !(self.is_joint(0) && matches!(self.peek_at(1), Some(TokenTree::Punct(p)) if is_op_continuation(cs[0], p.as_char())))
            }
            2 => self.is_punct(0, cs[0]) && self.is_joint(0) && self.is_punct(1, cs[1]),
            _ => false,
        }
    }
    pub(super) fn eat_op(&mut self, op: &str) -> Option<TokenSpan> {
        if self.is_op(op) {
            let s = self.span();
            self.pos += op.chars().count();
            Some(s)
        } else {
            None
        }
    }
    pub(super) fn is_ident(&self, k: usize, name: &str) -> bool {
        matches!(self.peek_at(k), Some(TokenTree::Ident(i)) if i == name)
    }
    pub(super) fn expect_op(&mut self, op: &str, what: &str) -> PResult<TokenSpan> {
        match self.eat_op(op) {
            Some(s) => Ok(s),
            None => err(self.span(), format!("expected `{op}` {what}, found {}", self.describe_next())),
        }
    }
    /// The next token for a message, as the whole operator when it starts one (`==`).
    fn describe_next(&self) -> String {
        match (self.peek(), self.peek_at(1)) {
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                if a.spacing() == Spacing::Joint && is_op_continuation(a.as_char(), b.as_char()) =>
            {
                format!("`{}{}`", a.as_char(), b.as_char())
            }
            (t, _) => describe(t),
        }
    }
    pub(super) fn expect_end(&self, what: &str) -> PResult<()> {
        match self.peek() {
            None => Ok(()),
            Some(t) => err(t.span(), format!("unexpected {} {what}", describe(Some(t)))),
        }
    }
}

/// Two-character operators: whether `b` after `a` (joint) forms one operator.
fn is_op_continuation(a: char, b: char) -> bool {
    matches!((a, b), ('<', '=') | ('>', '=') | ('=', '=') | ('!', '=') | ('&', '&') | ('|', '|') | ('*', '*'))
}

pub(super) fn describe(t: Option<&TokenTree>) -> String {
    match t {
        None => "nothing".into(),
        Some(TokenTree::Ident(i)) => format!("`{i}`"),
        Some(TokenTree::Punct(p)) => format!("`{}`", p.as_char()),
        Some(TokenTree::Literal(l)) => format!("`{l}`"),
        Some(TokenTree::Group(g)) => match g.delimiter() {
            Delimiter::Brace => "`{ ... }`".into(),
            Delimiter::Parenthesis => "`( ... )`".into(),
            Delimiter::Bracket => "`[ ... ]`".into(),
            Delimiter::None => "a group".into(),
        },
    }
}

/// Splits a section body at top-level `,` and `;` ([`split_items_at`] without the spans).
pub(super) fn split_items(ts: TokenStream) -> Vec<Vec<TokenTree>> {
    split_items_at(ts, TokenSpan::call_site()).into_iter().map(|(item, _)| item).collect()
}

/// Takes leading `#[doc = "..."]` attributes (what `///` comments become).
pub(super) fn take_docs(t: &mut Toks) -> PResult<Vec<String>> {
    let mut docs = Vec::new();
    while t.is_punct(0, '#') {
        let hash = t.next().unwrap();
        let Some(TokenTree::Group(g)) = t.next() else {
            return err(hash.span(), "expected `[...]` after `#`");
        };
        let attr: syn::Attribute = syn::parse::Parser::parse2(
            |input: syn::parse::ParseStream| {
                let content;
                syn::bracketed!(content in input);
                let meta: syn::Meta = content.parse()?;
                Ok(syn::Attribute {
                    pound_token: Default::default(),
                    style: syn::AttrStyle::Outer,
                    bracket_token: Default::default(),
                    meta,
                })
            },
            TokenStream::from(TokenTree::Group(g.clone())),
        )
        .map_err(|e| Diagnostic::new(sp(e.span()), e.to_string()))?;
        match &attr.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => {
                if let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value {
                    docs.push(s.value());
                }
            }
            _ => return err(g.span(), "only doc comments (`/// ...`) are allowed here"),
        }
    }
    Ok(docs)
}

pub(super) fn ident_name(t: &mut Toks, what: &str) -> PResult<Name> {
    match t.next() {
        Some(TokenTree::Ident(i)) => Ok(Name::new(i.to_string(), sp(i.span()))),
        other => err(other.as_ref().map_or(t.end, |x| x.span()), format!("expected {what}, found {}", describe(other.as_ref()))),
    }
}

/// Splits a section body at top-level `,` and `;`, pairing each item with the span of the
/// separator that ends it (or `close` for the last one): where an item that runs out of
/// tokens is reported.
pub(super) fn split_items_at(ts: TokenStream, close: TokenSpan) -> Vec<(Vec<TokenTree>, TokenSpan)> {
    let mut items = vec![(Vec::new(), close)];
    for t in ts {
        match &t {
            TokenTree::Punct(p) if p.as_char() == ',' || p.as_char() == ';' => {
                items.last_mut().unwrap().1 = p.span();
                items.push((Vec::new(), close));
            }
            _ => items.last_mut().unwrap().0.push(t),
        }
    }
    items.retain(|i| !i.0.is_empty());
    items
}

pub(super) fn split_args(ts: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut items = vec![Vec::new()];
    for t in ts {
        match &t {
            TokenTree::Punct(p) if p.as_char() == ',' => items.push(Vec::new()),
            _ => items.last_mut().unwrap().push(t),
        }
    }
    if items.last().is_some_and(|i| i.is_empty()) {
        items.pop();
    }
    items
}
