//! `tables { v: -100 mV .. 60 mV step 0.05 mV, cubic, extend }`: one variable, its range and
//! step, and options (as further items or words at the end of the first).

use super::cursor::{PResult, Toks, err, ident_name, sp, split_items};
use super::units::decl_quantity;
use crate::ast::{Quantity, TablesAst};
use crate::diag::Ctxt;
use crate::span::{Name, Span};
use proc_macro2::{Spacing, Span as TokenSpan, TokenStream, TokenTree};

/// The option words (checked, with suggestions, by the checker).
const OPTIONS: &[&str] = &["linear", "cubic", "exact", "extend", "clamp"];

const FORM: &str =
    "a table reads `v: -100 mV .. 60 mV step 0.05 mV` (optionally followed by `linear` or `cubic`, and `exact`, `extend` or `clamp`)";

pub(super) fn tables(ts: TokenStream, span: Span, close: TokenSpan, cx: &Ctxt) -> Option<TablesAst> {
    let mut out: Option<TablesAst> = None;
    for item in split_items(ts) {
        // A lone word is an option.
        if let [TokenTree::Ident(i)] = item.as_slice() {
            match &mut out {
                Some(t) => t.options.push(Name::new(i.to_string(), sp(i.span()))),
                None => cx.error(sp(i.span()), format!("expected the table variable first: {FORM}")),
            }
            continue;
        }
        if let Some(t) = &out {
            let first = item.first().map_or(close, |t| t.span());
            cx.error(
                sp(first),
                format!("a model has one table variable (`{}`); tables over several variables are not supported", t.var.name),
            );
            continue;
        }
        match table(item, close) {
            Ok(t) => out = Some(t),
            Err(d) => cx.push(d),
        }
    }
    if out.is_none() && !cx.is_empty() {
        return None;
    }
    if out.is_none() {
        cx.error(span, format!("an empty `tables` section: {FORM}"));
    }
    out
}

fn table(mut item: Vec<TokenTree>, close: TokenSpan) -> PResult<TablesAst> {
    // Option words at the end of the item.
    let mut options = Vec::new();
    while let Some(TokenTree::Ident(i)) = item.last() {
        if !OPTIONS.contains(&i.to_string().as_str()) {
            break;
        }
        options.insert(0, Name::new(i.to_string(), sp(i.span())));
        item.pop();
    }
    let mut t = Toks::from_vec(item, close);
    let var = ident_name(&mut t, "the table variable (such as `v`)")?;
    t.expect_op(":", &format!("after `{}`: {FORM}", var.name))?;
    let rest: Vec<TokenTree> = t.toks[t.pos..].to_vec();
    let dots = rest.windows(2).position(|w| {
        matches!((&w[0], &w[1]), (TokenTree::Punct(a), TokenTree::Punct(b)) if a.as_char() == '.' && a.spacing() == Spacing::Joint && b.as_char() == '.')
    });
    let Some(dots) = dots else {
        return err(t.span(), format!("expected `lo .. hi` after `{}:`: {FORM}", var.name));
    };
    let step = rest.iter().position(|x| matches!(x, TokenTree::Ident(i) if i == "step"));
    let Some(step) = step.filter(|&s| s > dots + 2) else {
        let at = rest.last().map_or(close, |x| x.span());
        return err(at, format!("expected `step <value>` after the range: {FORM}"));
    };
    let quantity = |toks: &[TokenTree], what: &str, at: TokenSpan| -> PResult<Quantity> {
        if toks.is_empty() {
            return err(at, format!("expected the {what} of the table, found nothing: {FORM}"));
        }
        let mut q = Toks::from_vec(toks.to_vec(), at);
        decl_quantity(&mut q)
    };
    let dot_span = rest[dots].span();
    let lo = quantity(&rest[..dots], "lower end", dot_span)?;
    let hi = quantity(&rest[dots + 2..step], "upper end", rest[step].span())?;
    let st = quantity(&rest[step + 1..], "step", rest[step].span())?;
    let whole = var.span.join(st.span);
    Ok(TablesAst { var, lo, hi, step: st, options, span: whole })
}

#[cfg(test)]
mod tests {
    use crate::diag::Ctxt;
    use crate::ir::{Outside, Sym};
    use quote::quote;

    fn tables(t: proc_macro2::TokenStream) -> (Option<crate::ir::TablesIr>, Vec<String>) {
        let cx = Ctxt::new();
        let ast = crate::parse_tokens::parse_model(
            quote! {
                model Gate;
                parameters { tau: 5 ms, k: 10 mV }
                state { v: -65 mV, m: 0.1 }
                inputs { I: 0 pA }
                equations { dv/dt = -v / tau, m: inf = 1 / (1 + exp(-v / k)), tau = tau }
                tables { #t }
            },
            &cx,
        );
        let m = ast.and_then(|a| crate::check::check(&a, &cx));
        (m.and_then(|m| m.tables), cx.take().iter().map(|d| d.message.clone()).collect())
    }

    #[test]
    fn options_as_words_or_items() {
        for ts in [quote!(v: -100 mV .. 60 mV step 0.05 mV cubic extend), quote!(v: -0.1 V..60mV step 50 uV, cubic, extend)] {
            let (t, errs) = tables(ts);
            assert!(errs.is_empty(), "{errs:?}");
            let t = t.unwrap();
            assert_eq!((t.var, t.lo, t.hi, t.step, t.cubic, t.outside), (Sym::State(0), -100.0, 60.0, 0.05, true, Outside::Extend));
        }
        let (t, _) = tables(quote!(v: -100 mV .. 60 mV step 0.1 mV));
        assert_eq!(t.map(|t| (t.cubic, t.outside)), Some((false, Outside::Exact)));
    }

    #[test]
    fn mistakes() {
        for (ts, wanted) in [
            (quote!(v: -100 mV .. 60 mV step 0.1 mV, linear, cubic), "the interpolation is given twice"),
            (quote!(v: -100 mV .. 60 mV step 0.1 mV, m: 0 .. 1 step 0.1), "one table variable"),
            (quote!(v: -100 mV step 0.1 mV), "expected `lo .. hi`"),
            (quote!(v: -100 mV .. 60 mV step -0.1 mV), "the table's step must be positive"),
            (quote!(I: -100 mV .. 60 mV step 0.1 mV), "the table's lower end has the dimension of voltage (mV), but `I` is current (pA)"),
            (quote!(w: -100 mV .. 60 mV step 0.1 mV), "unknown symbol `w`"),
            (quote!(cubic), "expected the table variable first"),
        ] {
            let (_, errs) = tables(ts.clone());
            assert!(errs.iter().any(|e| e.contains(wanted)), "{ts}: {errs:?}");
        }
    }
}
