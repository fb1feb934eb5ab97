//! Expressions of the IR as Rust tokens: the locals symbols are bound to, literals, and the
//! choices (multiplying by a divisor's reciprocal, writing roots with `sqrt`) that the lane
//! emitter ([`super::lanes`]) makes alike so that lanes and scalar code round the same.

use super::batch;
use crate::ir::{Cmp, Func, Ir, Sym};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// Which local variable a symbol is bound to in generated bodies.
pub(crate) fn local(s: Sym) -> TokenStream {
    match s {
        Sym::State(i) => format_ident!("s{}", i).into_token_stream_(),
        Sym::Param(i) => format_ident!("p{}", i).into_token_stream_(),
        Sym::Input(i) => format_ident!("u{}", i).into_token_stream_(),
        Sym::Named(i) => format_ident!("n{}", i).into_token_stream_(),
        Sym::Time => quote!(t),
        // The noise term is zero in deterministic parts; its coefficient is taken separately.
        Sym::Noise => quote!(0.0_f64),
        Sym::Table(k) => format_ident!("tb{}", k).into_token_stream_(),
    }
}

trait IntoTs {
    fn into_token_stream_(self) -> TokenStream;
}
impl IntoTs for Ident {
    fn into_token_stream_(self) -> TokenStream {
        quote!(#self)
    }
}

/// A float literal (suffixed, so that it types as f64), with the non-finite values by name.
pub(crate) fn lit(v: f64) -> TokenStream {
    if v.is_nan() {
        return quote!(f64::NAN);
    }
    if v.is_infinite() {
        return if v > 0.0 { quote!(f64::INFINITY) } else { quote!(f64::NEG_INFINITY) };
    }
    let l = Literal::f64_suffixed(v.abs());
    if v.is_sign_negative() { quote!((-#l)) } else { quote!(#l) }
}

/// Emits an expression.
pub fn emit(e: &Ir, k: &TokenStream) -> TokenStream {
    emit_in(e, k, &[])
}

/// Emits an expression in a body that bound the calls `calls` up front ([`batch::Batch`]):
/// those calls are read from their locals.
pub(crate) fn emit_in(e: &Ir, k: &TokenStream, calls: &[(Func, Ir)]) -> TokenStream {
    let emit = |e: &Ir, k: &TokenStream| emit_in(e, k, calls);
    let bin = |a: &Ir, b: &Ir, op: TokenStream, k: &TokenStream| bin(a, b, op, k, calls);
    match e {
        Ir::Const(v) => lit(*v),
        Ir::Var(s) => local(*s),
        Ir::Neg(a) => {
            let a = emit(a, k);
            quote!((-#a))
        }
        Ir::Add(a, b) => bin(a, b, quote!(+), k),
        Ir::Sub(a, b) => bin(a, b, quote!(-), k),
        Ir::Mul(a, b) => bin(a, b, quote!(*), k),
        // A divisor made of parameters and constants only is the same for every neuron and
        // every stage: multiplying by its reciprocal lets the compiler compute 1/b once, out of
        // the loop over neurons and stages, instead of dividing each time (a division costs
        // about ten multiplications; RK4 on the CUBA neuron divides twelve times per step).
        // The result differs from a/b by at most one rounding.
        Ir::Div(a, b) if param_divisor(b) => {
            let (a, b) = (emit(a, k), emit(b, k));
            quote!((#a * (1.0_f64 / #b)))
        }
        Ir::Div(a, b) => bin(a, b, quote!(/), k),
        Ir::Powi(a, n) => {
            let a = emit(a, k);
            match n {
                2 => quote!({ let __x: f64 = #a; __x * __x }),
                _ => quote!(f64::powi(#a, #n)),
            }
        }
        // Square and fourth roots by `sqrt` rather than a call to the platform's `pow` (the
        // gating functions of Rothman & Manis 2003, as in the spyks `biocm` model, raise
        // Boltzmann functions to -1/2 and -1/4): `sqrt` is one correctly rounded instruction,
        // so x^(±1/2) and x^(±1/4) are within one or two roundings of `powf`'s result, at a
        // fraction of its cost. `x + 0.0` turns -0 into +0, so that 0^(-1/2) is +∞ as `powf`
        // gives, not -∞.
        Ir::Powf(a, b) if root_power(b).is_some() => {
            let a = emit(a, k);
            match root_power(b) {
                Some(0.5) => quote!(f64::sqrt(#a + 0.0_f64)),
                Some(-0.5) => quote!((1.0_f64 / f64::sqrt(#a + 0.0_f64))),
                Some(0.25) => quote!(f64::sqrt(f64::sqrt(#a + 0.0_f64))),
                _ => quote!((1.0_f64 / f64::sqrt(f64::sqrt(#a + 0.0_f64)))),
            }
        }
        Ir::Powf(a, b) => {
            let (a, b) = (emit(a, k), emit(b, k));
            quote!(f64::powf(#a, #b))
        }
        Ir::Call(f, args) => {
            // A call the body bound up front is read from its local.
            if let [arg] = &args[..]
                && let Some(local) = batch::bound(calls, *f, arg)
            {
                return local;
            }
            let a: Vec<TokenStream> = args.iter().map(|a| emit(a, k)).collect();
            let a0 = &a[0];
            match f {
                Func::Exp => quote!(#k::math::exp(#a0)),
                Func::Expm1 => quote!(#k::math::exp_m1(#a0)),
                Func::Log => quote!(#k::math::ln(#a0)),
                Func::Log1p => quote!(f64::ln_1p(#a0)),
                Func::Sqrt => quote!(f64::sqrt(#a0)),
                Func::Tanh => quote!(#k::math::tanh(#a0)),
                Func::Cosh => quote!(#k::math::cosh(#a0)),
                Func::Sinh => quote!(#k::math::sinh(#a0)),
                Func::Abs => quote!(f64::abs(#a0)),
                Func::Min => {
                    let a1 = &a[1];
                    quote!(f64::min(#a0, #a1))
                }
                Func::Max => {
                    let a1 = &a[1];
                    quote!(f64::max(#a0, #a1))
                }
                Func::Heaviside => {
                    quote!({ let __x: f64 = #a0; if __x > 0.0 { 1.0_f64 } else if __x < 0.0 { 0.0_f64 } else { 0.5_f64 } })
                }
            }
        }
        Ir::If(c, a, b) => {
            let (c, a, b) = (emit(c, k), emit(a, k), emit(b, k));
            quote!((if #c { #a } else { #b }))
        }
        Ir::Cmp(op, a, b) => {
            let op = match op {
                Cmp::Lt => quote!(<),
                Cmp::Le => quote!(<=),
                Cmp::Gt => quote!(>),
                Cmp::Ge => quote!(>=),
                Cmp::Eq => quote!(==),
                Cmp::Ne => quote!(!=),
            };
            bin(a, b, op, k)
        }
        Ir::And(a, b) => bin(a, b, quote!(&&), k),
        Ir::Or(a, b) => bin(a, b, quote!(||), k),
        Ir::Not(a) => {
            let a = emit(a, k);
            quote!((!#a))
        }
    }
}

/// Whether [`emit`] writes a division by `b` as a product with its reciprocal: `b` is made of
/// parameters and constants only (the reciprocal is computed once, outside the loops, or
/// folded by the compiler), and, if a constant, one whose reciprocal is a normal number (so
/// that the product overflows and underflows where the quotient does). The product is within
/// one rounding of the quotient (exact for powers of two); it replaces a division, the one
/// arithmetic instruction with a throughput several times below the others' (a constant
/// divisor such as the 10 mV of `(v + 40 mV)/(10 mV)`: Hodgkin-Huxley populations 1.18x
/// faster with AVX-512). The lane emitter makes the same choice, so that lanes and scalar code
/// round alike.
pub(crate) fn param_divisor(b: &Ir) -> bool {
    match b {
        Ir::Const(c) => c.is_normal() && (1.0 / c).is_normal(),
        _ => !b.uses(|s| !matches!(s, Sym::Param(_))),
    }
}

/// The exponent of a power that [`emit`] writes with square roots: ±1/2 or ±1/4.
pub(crate) fn root_power(b: &Ir) -> Option<f64> {
    match b {
        Ir::Const(c) if [0.5, -0.5, 0.25, -0.25].contains(c) => Some(*c),
        _ => None,
    }
}

fn bin(a: &Ir, b: &Ir, op: TokenStream, k: &TokenStream, calls: &[(Func, Ir)]) -> TokenStream {
    let (a, b) = (emit_in(a, k, calls), emit_in(b, k, calls));
    quote!((#a #op #b))
}
