//! Error collection: every error of a model is reported in one compile (the approach of
//! serde_derive's `Ctxt`), and each one points at the offending term.

use crate::span::{Sources, Span};
use std::cell::RefCell;

/// One compile error.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Where it is.
    pub span: Span,
    /// What is wrong, in words a newcomer understands.
    pub message: String,
    /// Extra lines such as `help: did you mean `g_na`?`.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// Creates a diagnostic.
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Diagnostic { span, message: message.into(), notes: Vec::new() }
    }

    /// Adds a note line.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// The full text: message, the file location and snippet for file models, and notes.
    pub fn render(&self, sources: &Sources) -> String {
        let mut out = self.message.clone();
        if let Some(text) = self.span.text {
            out.push_str("\n --> ");
            out.push_str(&sources.render(text));
        }
        for n in &self.notes {
            out.push_str("\n = ");
            if !(n.starts_with("help:") || n.starts_with("note:")) {
                out.push_str("note: ");
            }
            out.push_str(n);
        }
        out
    }

    /// As a `syn::Error` at the token span.
    pub fn to_syn(&self, sources: &Sources) -> syn::Error {
        // Two tokens carrying the first and last span: syn reports the error over the whole
        // range, which a single joined span cannot do on stable Rust.
        let mut first = proc_macro2::Punct::new('.', proc_macro2::Spacing::Alone);
        first.set_span(self.span.tokens);
        let mut last = proc_macro2::Punct::new('.', proc_macro2::Spacing::Alone);
        last.set_span(self.span.end);
        let range: proc_macro2::TokenStream =
            [proc_macro2::TokenTree::Punct(first), proc_macro2::TokenTree::Punct(last)].into_iter().collect();
        syn::Error::new_spanned(range, self.render(sources))
    }
}

/// Collects diagnostics while a model is parsed and checked.
#[derive(Default)]
pub struct Ctxt {
    errors: RefCell<Vec<Diagnostic>>,
    /// Names whose declaration already failed: later uses stay silent instead of cascading.
    poisoned: RefCell<std::collections::HashSet<String>>,
}

impl Ctxt {
    /// An empty context.
    pub fn new() -> Self {
        Ctxt::default()
    }

    /// Records an error.
    pub fn push(&self, d: Diagnostic) {
        self.errors.borrow_mut().push(d);
    }

    /// Records an error from a span and message.
    pub fn error(&self, span: Span, message: impl Into<String>) {
        self.push(Diagnostic::new(span, message));
    }

    /// Records a `syn::Error` (from the token parser).
    pub fn syn_error(&self, e: syn::Error) {
        for e in e {
            self.push(Diagnostic::new(Span::tokens(e.span()), e.to_string()));
        }
    }

    /// Marks `name` as failed: its uses will not be reported again.
    pub fn poison(&self, name: &str) {
        self.poisoned.borrow_mut().insert(name.to_string());
    }

    /// Whether `name` failed earlier.
    pub fn is_poisoned(&self, name: &str) -> bool {
        self.poisoned.borrow().contains(name)
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        !self.errors.borrow().is_empty()
    }

    /// Number of errors recorded so far.
    pub fn len(&self) -> usize {
        self.errors.borrow().len()
    }

    /// Whether no error was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.borrow().is_empty()
    }

    /// Takes the errors out.
    pub fn take(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.errors.borrow_mut())
    }
}

/// Joins diagnostics into one `syn::Error` holding them all.
pub fn to_syn_error(diags: &[Diagnostic], sources: &Sources) -> Option<syn::Error> {
    let mut it = diags.iter();
    let mut err = it.next()?.to_syn(sources);
    for d in it {
        err.combine(d.to_syn(sources));
    }
    Some(err)
}
