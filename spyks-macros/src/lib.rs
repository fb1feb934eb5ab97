//! The `neuron_model!` and `include_model!` macros of spyks.
//!
//! This crate is deliberately thin: parsing, unit checks and code generation live in the
//! plain library `spyks-lang`, where they can be unit-tested. See the `spyks` crate for the
//! language reference.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::quote;
use spyks_lang::diag::{Ctxt, to_syn_error};
use spyks_lang::span::Sources;
use std::path::{Path, PathBuf};

/// Defines a neuron model inline, with units checked at compile time.
///
/// ```text
/// spyks::neuron_model! {
///     /// Leaky integrate-and-fire neuron.
///     pub model Lif;
///     parameters { tau: 20 ms, v_rest: -70 mV, v_th: -50 mV, v_reset: -60 mV, R: 100 Mohm }
///     state { v: -70 mV }
///     inputs { I: 0 pA }
///     equations { dv/dt = (v_rest - v + R*I) / tau }
///     threshold { v >= v_th }
///     reset { v = v_reset }
/// }
/// ```
/// See the `spyks` crate documentation for the whole language.
#[proc_macro]
pub fn neuron_model(input: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    let sources = Sources::default();
    let ast = spyks_lang::parse_tokens::parse_model(input.into(), &cx);
    finish(ast, &sources, &cx, Vec::new()).into()
}

/// Compiles a model from a YAML file in the spyks format.
///
/// The path is resolved relative to the file that invokes the macro, as `include_str!` does,
/// and editing the file triggers a rebuild. The type is named after the file's `name:` in
/// UpperCamelCase (`nakl` → `Nakl`), or as given: `include_model!("nakl.yml" as NaKL)`.
#[proc_macro]
pub fn include_model(input: TokenStream) -> TokenStream {
    let input: TokenStream2 = input.into();
    let parsed = syn::parse::Parser::parse2(
        |s: syn::parse::ParseStream| {
            let path: syn::LitStr = s.parse()?;
            let rename = if s.peek(syn::Token![as]) {
                s.parse::<syn::Token![as]>()?;
                Some(s.parse::<syn::Ident>()?)
            } else {
                None
            };
            if !s.is_empty() {
                return Err(s.error("expected `include_model!(\"model.yml\")` or `include_model!(\"model.yml\" as Name)`"));
            }
            Ok((path, rename))
        },
        input,
    );
    let (path, rename) = match parsed {
        Ok(p) => p,
        Err(e) => return e.to_compile_error().into(),
    };
    // `as r#Name` names the type `Name`; a keyword cannot name a type at all.
    let rename = rename.map(|r| syn::ext::IdentExt::unraw(&r));
    if let Some(r) = rename.as_ref().filter(|r| spyks_lang::check::is_keyword(&r.to_string())) {
        let msg = format!("`{r}` is a Rust keyword and cannot name a model; choose another name");
        return syn::Error::new(r.span(), msg).to_compile_error().into();
    }
    let display = path.value();
    let resolved = resolve(&display);
    let cx = Ctxt::new();
    let mut sources = Sources::default();
    let loaded = spyks_lang::yaml::load_model_file(&resolved, &display, path.span(), &mut sources, &cx);
    let (ast, files) = match loaded {
        Some(l) => (Some(l.ast), l.files),
        None => (None, Vec::new()),
    };
    let ast = ast.map(|mut a| {
        if let Some(r) = rename {
            a.name = spyks_lang::span::Name::new(r.to_string(), spyks_lang::span::Span::tokens(r.span()));
        }
        a
    });
    finish(ast, &sources, &cx, files).into()
}

/// Resolves `path` against the directory of the invoking source file.
fn resolve(path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        return p.to_path_buf();
    }
    let base = proc_macro::Span::call_site()
        .local_file()
        .and_then(|f| f.parent().map(Path::to_path_buf))
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from))
        .unwrap_or_default();
    base.join(p)
}

/// Checks and generates, or reports every error plus a fallback item.
fn finish(ast: Option<spyks_lang::ast::ModelAst>, sources: &Sources, cx: &Ctxt, files: Vec<PathBuf>) -> TokenStream2 {
    let krate = runtime_path();
    // `include_bytes!` of every file read makes an edit trigger a rebuild.
    let tracking: Vec<TokenStream2> = files
        .iter()
        .filter_map(|f| f.canonicalize().ok())
        .filter_map(|f| f.to_str().map(str::to_string))
        .map(|f| {
            quote!(
                const _: &[u8] = include_bytes!(#f);
            )
        })
        .collect();
    let model = ast.as_ref().and_then(|a| spyks_lang::check::check(a, cx));
    let errors = cx.take();
    if let (Some(m), true) = (model, errors.is_empty()) {
        let code = spyks_lang::codegen::generate(&m, &krate);
        return quote!(#code #(#tracking)*);
    }
    let err = to_syn_error(&errors, sources)
        .unwrap_or_else(|| syn::Error::new(Span::call_site(), "the model could not be compiled"))
        .to_compile_error();
    // A fallback model of the same name, so the error above is the only one users see.
    let fallback = ast.map(|a| spyks_lang::codegen::generate(&spyks_lang::fallback::empty_model(&a), &krate));
    quote!(#err #fallback #(#tracking)*)
}

/// The path of the runtime crate as the calling crate sees it.
fn runtime_path() -> TokenStream2 {
    use proc_macro_crate::{FoundCrate, crate_name};
    let ident = |n: &str| syn::Ident::new(&n.replace('-', "_"), Span::call_site());
    match crate_name("spyks-core") {
        Ok(FoundCrate::Name(n)) => {
            let n = ident(&n);
            return quote!(::#n);
        }
        Ok(FoundCrate::Itself) => return quote!(::spyks_core),
        Err(_) => {}
    }
    match crate_name("spyks") {
        Ok(FoundCrate::Name(n)) => {
            let n = ident(&n);
            quote!(::#n::core)
        }
        _ => quote!(::spyks_core),
    }
}
