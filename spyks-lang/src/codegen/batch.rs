//! Transcendental calls of one scalar body, evaluated a few at a time in lanes.
//!
//! A conductance-based model's derivative calls `exp`, `expm1` or `tanh` several times with
//! arguments that are all known once the state is read (rate functions of the membrane
//! potential): classic Hodgkin-Huxley four `exp` and two `expm1`, spyks' `nakl` six `tanh`.
//! Written one call at a time, every call is a scalar evaluation. Gathered into
//! `spyks_core::lanes::F64s` of up to [`GROUP`] lanes, the compiler evaluates two at a time in
//! packed instructions even on the baseline x86-64 target (SSE2), and every lane has the bits
//! the scalar function gives (the lanes' contract, which their tests check), so the results do
//! not change. Measured in a chain of dependent evaluations (as the stages of an integrator
//! are): six `tanh` 77 ns one by one, 51 ns in lanes; four `exp` and two `expm1` 53 ns and 46.
//!
//! Only calls whose argument contains no such call are gathered (the inner call of
//! `exp(tanh(x))`; the outer one stays where it is), and only where a function is called at
//! least twice. A call inside one branch of an `if` is then evaluated whichever branch is
//! taken: the functions are pure and never fail, and the branch not taken ignores the value.

use super::emit_in;
use crate::ir::{Func, Ir, Sym};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The most calls of one function evaluated together: four lanes are two packed SSE2
/// registers per value, and wider groups spill the evaluation's temporaries.
pub(crate) const GROUP: usize = 4;

/// The calls of one body that are evaluated up front, each bound to a local `__c{index}`.
pub(crate) struct Batch {
    /// The gathered calls (function and argument), in order of first appearance.
    pub calls: Vec<(Func, Ir)>,
}

/// The functions gathered: those with a lane form and a cost worth sharing.
fn batchable(f: Func) -> bool {
    matches!(f, Func::Exp | Func::Expm1 | Func::Tanh | Func::Cosh | Func::Sinh)
}

/// Whether `e` calls a gathered function anywhere.
pub(crate) fn has_batchable_call(e: &Ir) -> bool {
    let mut found = false;
    e.visit(&mut |x| {
        if let Ir::Call(f, _) = x {
            found |= batchable(*f);
        }
        true
    });
    found
}

impl Batch {
    /// Gathers the calls of `exprs` whose argument has no gathered call and uses only symbols
    /// `avail` accepts (those bound before the batch), keeping the functions called at least
    /// twice.
    pub(crate) fn collect<'a>(exprs: impl IntoIterator<Item = &'a Ir>, avail: &dyn Fn(Sym) -> bool) -> Batch {
        let mut calls: Vec<(Func, Ir)> = Vec::new();
        for e in exprs {
            e.visit(&mut |x| match x {
                Ir::Call(f, args) if batchable(*f) && args.len() == 1 && !has_batchable_call(&args[0]) => {
                    if !args[0].uses(|s| !avail(s)) && !calls.iter().any(|(g, a)| g == f && *a == args[0]) {
                        calls.push((*f, args[0].clone()));
                    }
                    false
                }
                _ => true,
            });
        }
        let funcs: Vec<Func> = calls.iter().map(|(f, _)| *f).collect();
        calls.retain(|(f, _)| funcs.iter().filter(|g| *g == f).count() >= 2);
        Batch { calls }
    }

    /// The `let` statements binding every gathered call: per function, groups of up to
    /// [`GROUP`] evaluated together, a last single call on its own.
    pub(crate) fn lets(&self, k: &TokenStream) -> TokenStream {
        let mut out = TokenStream::new();
        let mut funcs: Vec<Func> = Vec::new();
        for (f, _) in &self.calls {
            if !funcs.contains(f) {
                funcs.push(*f);
            }
        }
        for f in funcs {
            let idx: Vec<usize> = (0..self.calls.len()).filter(|&i| self.calls[i].0 == f).collect();
            for group in idx.chunks(GROUP) {
                let names: Vec<_> = group.iter().map(|i| format_ident!("__c{}", i)).collect();
                let args: Vec<TokenStream> = group.iter().map(|&i| emit_in(&self.calls[i].1, k, &[])).collect();
                let method = super::lanes::real_method(f);
                let (Some(method), [_, _, ..]) = (method, &names[..]) else {
                    // A single call: the scalar function.
                    for (name, &i) in names.iter().zip(group) {
                        let call = emit_in(&Ir::Call(f, vec![self.calls[i].1.clone()]), k, &[]);
                        out.extend(quote!(let #name: f64 = #call;));
                    }
                    continue;
                };
                let n = group.len();
                out.extend(quote! {
                    let [#(#names),*]: [f64; #n] =
                        <#k::lanes::F64s<#n> as #k::lanes::Real>::#method(#k::lanes::F64s([#(#args),*])).0;
                });
            }
        }
        out
    }
}

/// The local a gathered call is bound to, if `f(arg)` is one of `calls`.
pub(crate) fn bound(calls: &[(Func, Ir)], f: Func, arg: &Ir) -> Option<TokenStream> {
    let i = calls.iter().position(|(g, a)| *g == f && a == arg)?;
    let name = format_ident!("__c{}", i);
    Some(quote!(#name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(f: Func, a: Ir) -> Ir {
        Ir::Call(f, vec![a])
    }
    fn v(i: usize) -> Ir {
        Ir::Var(Sym::State(i))
    }

    #[test]
    fn gathers_innermost_calls_of_functions_called_twice() {
        let b = Box::new;
        let e1 = Ir::Add(b(call(Func::Exp, v(0))), b(call(Func::Exp, call(Func::Tanh, v(1)))));
        // exp(v0) again (once in the batch), tanh(v2) a second tanh, cosh once (left alone),
        // exp(n0) of a named expression not available before the batch (left alone).
        let e2 = Ir::Mul(b(call(Func::Exp, v(0))), b(call(Func::Tanh, v(2))));
        let e3 = Ir::Add(b(call(Func::Cosh, v(0))), b(call(Func::Exp, Ir::Var(Sym::Named(0)))));
        let e4 = call(Func::Exp, v(3));
        let batch = Batch::collect([&e1, &e2, &e3, &e4], &|s| !matches!(s, Sym::Named(_)));
        assert_eq!(
            batch.calls,
            vec![(Func::Exp, v(0)), (Func::Tanh, v(1)), (Func::Tanh, v(2)), (Func::Exp, v(3))],
            "the outer exp of exp(tanh(v1)), cosh (called once) and exp(n0) are not gathered"
        );
        let k = quote!(::spyks_core);
        let lets = batch.lets(&k).to_string();
        assert!(lets.contains("let [__c0 , __c3] : [f64 ; 2usize] = < :: spyks_core :: lanes :: F64s < 2usize > as :: spyks_core :: lanes :: Real > :: exp"), "{lets}");
        assert!(lets.contains("let [__c1 , __c2] : [f64 ; 2usize] = < :: spyks_core :: lanes :: F64s < 2usize > as :: spyks_core :: lanes :: Real > :: tanh"), "{lets}");
        // The outer call reads the inner one's local.
        let outer = emit_in(&e1, &k, &batch.calls).to_string();
        assert!(outer.contains("math :: exp (__c1)") && outer.contains("__c0"), "{outer}");
    }

    #[test]
    fn groups_hold_at_most_four_calls() {
        let exprs: Vec<Ir> = (0..5).map(|i| call(Func::Exp, v(i))).collect();
        let lets = Batch::collect(&exprs, &|_| true).lets(&quote!(k)).to_string();
        assert!(lets.contains("let [__c0 , __c1 , __c2 , __c3] : [f64 ; 4usize]"), "{lets}");
        assert!(lets.contains("let __c4 : f64 = k :: math :: exp"), "the fifth call alone: {lets}");
    }
}
