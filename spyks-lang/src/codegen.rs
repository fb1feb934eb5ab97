//! Code generation: a checked [`Model`] → Rust items.
//!
//! For a model `Hh` this writes the model type `Hh`, its vectors `HhState`, `HhParams`,
//! `HhInputs` and `HhExprs` (one public f64 field per variable, internal units), their
//! `Vector` impls, typed (uom) accessors, and `NeuronModel` with inlined derivative,
//! Jacobians (symbolic), exponential-Euler coefficients, threshold, reset and clip. All paths
//! into the runtime go through `krate` (normally `::spyks_core`).

use crate::diff;
use crate::ir::{Cmp, Func, Ir, Model, Sym, Var};
use crate::units::Dim;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

mod batch;
mod lanes;
mod vector;

/// Models with at most this many state variables get an `#[inline(always)]` derivative.
const INLINE_ALWAYS_MAX_STATE: usize = 16;

/// Generates the model's items. `krate` is the path of the runtime crate.
pub fn generate(m: &Model, krate: &TokenStream) -> TokenStream {
    Gen { m, k: krate }.model()
}

struct Gen<'a> {
    m: &'a Model,
    k: &'a TokenStream,
}

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

fn lit(v: f64) -> TokenStream {
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

/// The threshold as a continuous function that turns positive where the condition holds.
fn crossing(e: &Ir) -> Ir {
    let b = Box::new;
    match e {
        Ir::Cmp(Cmp::Ge | Cmp::Gt, x, y) => Ir::Sub(x.clone(), y.clone()),
        Ir::Cmp(Cmp::Le | Cmp::Lt, x, y) => Ir::Sub(y.clone(), x.clone()),
        Ir::Cmp(Cmp::Eq, x, y) => Ir::Neg(b(Ir::Call(Func::Abs, vec![Ir::Sub(x.clone(), y.clone())]))),
        Ir::Cmp(Cmp::Ne, x, y) => Ir::Call(Func::Abs, vec![Ir::Sub(x.clone(), y.clone())]),
        Ir::And(x, y) => Ir::Call(Func::Min, vec![crossing(x), crossing(y)]),
        Ir::Or(x, y) => Ir::Call(Func::Max, vec![crossing(x), crossing(y)]),
        Ir::Not(x) => Ir::Neg(b(crossing(x))),
        Ir::Const(v) => Ir::Const(if *v != 0.0 { 1.0 } else { -1.0 }),
        other => other.clone(),
    }
}

fn field(v: &Var) -> Ident {
    Ident::new(&v.name, Span::call_site())
}

fn doc_attr(lines: impl IntoIterator<Item = String>) -> TokenStream {
    let lines = lines.into_iter();
    quote!(#(#[doc = #lines])*)
}

impl Gen<'_> {
    fn ty(&self, suffix: &str) -> Ident {
        format_ident!("{}{}", self.m.name, suffix)
    }

    /// `let s0 = x.V; ...` for states, params, inputs.
    fn bindings(&self, with_state: bool, with_inputs: bool) -> TokenStream {
        let mut out = TokenStream::new();
        if with_state {
            for (i, v) in self.m.state.iter().enumerate() {
                let (l, f) = (local(Sym::State(i)), field(v));
                out.extend(quote!(let #l: f64 = x.#f;));
            }
        }
        for (i, v) in self.m.params.iter().enumerate() {
            let (l, f) = (local(Sym::Param(i)), field(v));
            out.extend(quote!(let #l: f64 = self.params.#f;));
        }
        if with_inputs {
            for (i, v) in self.m.inputs.iter().enumerate() {
                let (l, f) = (local(Sym::Input(i)), field(v));
                out.extend(quote!(let #l: f64 = u.#f;));
            }
        }
        out
    }

    fn named_bindings(&self) -> TokenStream {
        let mut out = TokenStream::new();
        for (k, def) in self.m.named_defs.iter().enumerate() {
            let (l, e) = (local(Sym::Named(k)), emit(def, self.k));
            out.extend(quote!(let #l: f64 = #e;));
        }
        out
    }

    fn inlined_rhs(&self) -> Vec<Ir> {
        self.m.rhs.iter().map(|r| diff::simplify(diff::inline_named(r, &self.m.named_defs))).collect()
    }

    fn model(&self) -> TokenStream {
        let k = self.k;
        let m = self.m;
        let vis = &m.vis;
        let name = format_ident!("{}", m.name);
        let (st, pt, it, et) = (self.ty("State"), self.ty("Params"), self.ty("Inputs"), self.ty("Exprs"));
        let state_vec = self.vector(&st, &m.state, "State", "state variables", "initial value");
        let param_vec = self.vector(&pt, &m.params, "Param", "parameters", "default");
        let input_vec = self.vector(&it, &m.inputs, "Input", "inputs", "default");
        let expr_vec = self.vector(&et, &m.named, "Expr", "named expressions", "");
        let inlined = self.inlined_rhs();
        let deterministic: Vec<Ir> = inlined.iter().map(|r| diff::simplify(diff::substitute(r, Sym::Noise, &Ir::Const(0.0)))).collect();

        // Exponential-Euler split.
        // Not with the calls in lanes ([`batch`]): exponential Euler on classic HH took 5 %
        // longer with them (RK4 and Dormand-Prince 6-8 % less through `derivative`).
        let mut linear = Vec::new();
        let mut coef_a = Vec::new();
        let mut coef_b = Vec::new();
        for (i, r) in deterministic.iter().enumerate() {
            match diff::linear_form(r, Sym::State(i)) {
                Some((a, b)) => {
                    linear.push(true);
                    coef_a.push(emit(&a, self.k));
                    coef_b.push(emit(&b, self.k));
                }
                None => {
                    linear.push(false);
                    coef_a.push(emit(r, self.k));
                    coef_b.push(quote!(0.0_f64));
                }
            }
        }
        let doc = self.model_doc(&linear);
        let tab = crate::codegen_tables::parts(m, k, &deterministic, &linear);
        let (tab_doc, tab_field, tab_init, tab_new, tab_deriv, tab_linear, tab_trait, tab_items) =
            (&tab.doc, &tab.field, &tab.init, &tab.new_refresh, &tab.derivative, &tab.linear, &tab.trait_methods, &tab.items);
        let n = m.state.len();
        let np = m.params.len();
        // A small model's derivative belongs inside the integrators' stages: an adaptive step
        // has six call sites, which the inliner weighs against a body of several inlined rate
        // functions and declined for nakl (6 tanh): 108 ns per evaluation with
        // Dormand-Prince instead of 81 inlined (measured). A large model is dominated by its
        // own arithmetic, and six copies of it would only slow compilation.
        let inline_derivative = if n <= INLINE_ALWAYS_MAX_STATE { quote!(#[inline(always)]) } else { quote!(#[inline]) };

        let fields: Vec<Ident> = m.state.iter().map(field).collect();
        let (deriv_named, rhs) = self.derivative_parts();
        let noise: Vec<TokenStream> = inlined
            .iter()
            .map(|r| emit(&diff::simplify(diff::substitute(&diff::derivative(r, Sym::Noise), Sym::Noise, &Ir::Const(0.0))), self.k))
            .collect();
        let has_noise = inlined.iter().any(|r| r.uses(|s| s == Sym::Noise));
        let linear_system = crate::linearity::is_linear_system(&inlined);
        let pattern = if linear_system { crate::linearity::propagator_pattern(&inlined) } else { Vec::new() };
        let state_free = if linear_system { crate::linearity::state_free_terms(&inlined) } else { Vec::new() };
        let autonomous = !inlined.iter().any(|r| r.uses(|s| s == Sym::Time));

        let jac = self.jacobian_body(&deterministic, (0..n).map(Sym::State).collect(), n);
        let pjac = self.jacobian_body(&deterministic, (0..np).map(Sym::Param).collect(), n);

        let all = self.bindings(true, true);
        let named = self.named_bindings();
        let expr_fields: Vec<Ident> = m.named.iter().map(field).collect();
        let expr_locals: Vec<TokenStream> = (0..m.named.len()).map(|k| local(Sym::Named(k))).collect();

        let has_threshold = m.threshold.is_some();
        let (has_reset, has_clip) = (!m.reset.is_empty(), !m.clip.is_empty());
        let threshold = m.threshold.as_ref().map_or(quote!(false), |c| emit(c, self.k));
        let crossing_fn = m.threshold.as_ref().map_or(quote!(-1.0_f64), |c| emit(&diff::simplify(crossing(c)), self.k));

        let mut reset = TokenStream::new();
        for (i, e) in &m.reset {
            let (l, f, e) = (local(Sym::State(*i)), field(&m.state[*i]), emit(e, self.k));
            reset.extend(quote!(#l = #e; x.#f = #l;));
        }
        let mut clip = TokenStream::new();
        for c in &m.clip {
            let (f, b) = (field(&m.state[c.var]), emit(&c.bound, self.k));
            clip.extend(if c.upper {
                quote!({ let __b: f64 = #b; if x.#f > __b { x.#f = __b; } })
            } else {
                quote!({ let __b: f64 = #b; if x.#f < __b { x.#f = __b; } })
            });
        }
        let (refractory, held) = match &m.refractory {
            Some((p, h)) => (emit(p, self.k), h.clone()),
            None => (quote!(0.0_f64), Vec::new()),
        };
        let params_only = self.bindings(false, false);
        let mut state_muts = TokenStream::new();
        for (i, v) in m.state.iter().enumerate() {
            let (l, f) = (local(Sym::State(i)), field(v));
            state_muts.extend(quote!(let mut #l: f64 = x.#f;));
        }
        let param_in = self.bindings(false, true);
        let name_str = &m.name;
        let lane_items = self.lane_methods();
        let allow = quote!(#[allow(unused_variables, unused_mut, unused_parens, unused_braces, non_snake_case, clippy::all)]);
        // The derivative's body (the tabulated path first when there are tables). With tables
        // it serves both `derivative` (which checks that the table is current for the
        // parameters) and `derivative_prepared` (which a driver calls after bringing it up to
        // date, and which does not compare the parameters at every evaluation).
        let body = quote! {
            #all
            #tab_deriv
            #deriv_named
            #st { #(#fields: #rhs),* }
        };
        let (derivative_items, derivative_from) = if tab.derivative.is_empty() {
            let items = quote! {
                #inline_derivative
                fn derivative(&self, t: f64, x: &#st, u: &#it) -> #st {
                    #body
                }
            };
            (items, TokenStream::new())
        } else {
            let table_type = &tab.table_type;
            let items = quote! {
                #inline_derivative
                fn derivative(&self, t: f64, x: &#st, u: &#it) -> #st {
                    self.__derivative_from(self.__current_tables(), t, x, u)
                }

                #[inline(always)]
                fn derivative_prepared(&self, t: f64, x: &#st, u: &#it) -> #st {
                    self.__derivative_from(self.__tables.assume_current(), t, x, u)
                }
            };
            let from = quote! {
                #allow
                impl #name {
                    /// The derivative, reading `__tables` when given and the exact functions
                    /// otherwise.
                    #[inline(always)]
                    fn __derivative_from(&self, __tables: ::core::option::Option<&#table_type>, t: f64, x: &#st, u: &#it) -> #st {
                        #body
                    }
                }
            };
            (items, from)
        };

        quote! {
            #doc
            #tab_doc
            #[derive(Clone, Debug, PartialEq, Default)]
            #vis struct #name {
                /// The parameters (internal units); change them freely between runs.
                pub params: #pt,
                #tab_field
            }

            impl #name {
                /// The model with its declared default parameters (and its lookup tables built,
                /// if it has any).
                #[allow(unused_mut)]
                pub fn new() -> Self {
                    let mut m = Self::default();
                    #tab_new
                    m
                }
            }

            #tab_items
            #derivative_from

            #state_vec
            #param_vec
            #input_vec
            #expr_vec

            #allow
            impl #k::NeuronModel for #name {
                type State = #st;
                type Params = #pt;
                type Inputs = #it;
                type Exprs = #et;
                const NAME: &'static str = #name_str;
                const HAS_THRESHOLD: bool = #has_threshold;
                const HAS_NOISE: bool = #has_noise;
                const LINEAR: &'static [bool] = &[#(#linear),*];
                const LINEAR_SYSTEM: bool = #linear_system;
                const PROPAGATOR_PATTERN: &'static [bool] = &[#(#pattern),*];
                const STATE_FREE_TERMS: &'static [bool] = &[#(#state_free),*];
                const AUTONOMOUS: bool = #autonomous;
                const HELD: &'static [usize] = &[#(#held),*];
                const HAS_RESET: bool = #has_reset;
                const HAS_CLIP: bool = #has_clip;
                #lane_items

                #[inline]
                fn with_params(params: #pt) -> Self { #name { params #tab_init } }
                #[inline]
                fn params(&self) -> &#pt { &self.params }
                #[inline]
                fn params_mut(&mut self) -> &mut #pt { &mut self.params }

                #tab_trait

                #derivative_items

                #[inline]
                fn noise(&self, t: f64, x: &#st, u: &#it) -> #st {
                    #all
                    #st { #(#fields: #noise),* }
                }

                #[inline]
                fn jacobian(&self, t: f64, x: &#st, u: &#it, out: &mut [f64]) {
                    #all
                    #jac
                }

                #[inline]
                fn param_jacobian(&self, t: f64, x: &#st, u: &#it, out: &mut [f64]) {
                    #all
                    #pjac
                }

                #[inline]
                fn linear_coefficients(&self, t: f64, x: &#st, u: &#it) -> (#st, #st) {
                    #all
                    #tab_linear
                    (#st { #(#fields: #coef_a),* }, #st { #(#fields: #coef_b),* })
                }

                #[inline]
                fn expressions(&self, t: f64, x: &#st, u: &#it) -> #et {
                    #all
                    #named
                    #et { #(#expr_fields: #expr_locals),* }
                }

                #[inline]
                fn threshold(&self, t: f64, x: &#st, u: &#it) -> bool {
                    #all
                    #threshold
                }

                #[inline]
                fn threshold_function(&self, t: f64, x: &#st, u: &#it) -> f64 {
                    #all
                    #crossing_fn
                }

                #[inline]
                fn reset(&self, t: f64, x: &mut #st, u: &#it) {
                    #param_in
                    #state_muts
                    #reset
                }

                #[inline]
                fn clip(&self, t: f64, x: &mut #st, u: &#it) {
                    #param_in
                    #clip
                }

                #[inline]
                fn refractory_period(&self) -> f64 {
                    #params_only
                    #refractory
                }
            }

            // Zero-sized use of the size constants keeps the Jacobian layout documented.
            const _: () = { let _ = (#n, #np); };
        }
    }

    fn jacobian_body(&self, rhs: &[Ir], wrt: Vec<Sym>, n: usize) -> TokenStream {
        let total = n * wrt.len();
        let mut entries = Vec::new();
        for (j, w) in wrt.iter().enumerate() {
            for (i, r) in rhs.iter().enumerate() {
                let d = diff::simplify(diff::derivative(r, *w));
                if d != Ir::Const(0.0) {
                    entries.push((i + n * j, d));
                }
            }
        }
        let batch = batch::Batch::collect(entries.iter().map(|(_, d)| d), &|_| true);
        let lets = batch.lets(self.k);
        let mut body = quote! {
            let out = &mut out[..#total];
            for o in out.iter_mut() { *o = 0.0; }
            #lets
        };
        for (idx, d) in &entries {
            let e = emit_in(d, self.k, &batch.calls);
            body.extend(quote!(out[#idx] = #e;));
        }
        body
    }

    /// The named expressions and right-hand sides of `derivative`, with the transcendental
    /// calls evaluated together ([`batch`]): first the named expressions that need no such
    /// call, then the calls whose arguments those (and the state, parameters and inputs)
    /// give, then the rest. Named expressions the right-hand sides do not use keep their
    /// calls, so that the compiler can still drop them.
    fn derivative_parts(&self) -> (TokenStream, Vec<TokenStream>) {
        let m = self.m;
        let nn = m.named_defs.len();
        let mut used = vec![false; nn];
        for r in &m.rhs {
            r.for_each_var(&mut |s| {
                if let Sym::Named(j) = s {
                    used[j] = true;
                }
            });
        }
        for k in (0..nn).rev() {
            if used[k] {
                m.named_defs[k].for_each_var(&mut |s| {
                    if let Sym::Named(j) = s {
                        used[j] = true;
                    }
                });
            }
        }
        let mut pre = vec![false; nn];
        for k in 0..nn {
            let def = &m.named_defs[k];
            pre[k] = !batch::has_batchable_call(def) && !def.uses(|s| matches!(s, Sym::Named(j) if !pre[j]));
        }
        let avail = |s: Sym| !matches!(s, Sym::Named(j) if !pre[j]);
        let later = m.named_defs.iter().enumerate().filter(|&(k, _)| used[k] && !pre[k]).map(|(_, d)| d);
        let batch = batch::Batch::collect(later.chain(m.rhs.iter()), &avail);
        let mut out = TokenStream::new();
        let bind = |k: usize, calls: &[(Func, Ir)]| {
            let (l, e) = (local(Sym::Named(k)), emit_in(&m.named_defs[k], self.k, calls));
            quote!(let #l: f64 = #e;)
        };
        (0..nn).filter(|&k| pre[k]).for_each(|k| out.extend(bind(k, &[])));
        out.extend(batch.lets(self.k));
        (0..nn).filter(|&k| !pre[k]).for_each(|k| out.extend(bind(k, if used[k] { &batch.calls } else { &[] })));
        let rhs = m.rhs.iter().map(|e| emit_in(e, self.k, &batch.calls)).collect();
        (out, rhs)
    }

    fn model_doc(&self, linear: &[bool]) -> TokenStream {
        let m = self.m;
        let mut lines: Vec<String> = m.doc.clone();
        if !lines.is_empty() {
            lines.push(String::new());
        }
        let origin = if m.origin == "inline" { "an inline `neuron_model!`".to_string() } else { format!("`{}`", m.origin) };
        lines.push(format!(" Generated by spyks from {origin}. Values are in the internal units (ms, mV, pA, nS, pF, µm, mM)."));
        let table = |lines: &mut Vec<String>, title: &str, vars: &[Var], with_default: bool| {
            if vars.is_empty() {
                return;
            }
            lines.push(String::new());
            lines.push(format!(" # {title}"));
            lines.push(String::new());
            if with_default {
                lines.push(" | name | unit | declared unit | value |".into());
                lines.push(" |---|---|---|---|".into());
                for v in vars {
                    lines.push(format!(" | `{}` | {} | {} | {} |", v.name, v.unit, v.user_unit, v.default));
                }
            } else {
                lines.push(" | name | unit |".into());
                lines.push(" |---|---|".into());
                for v in vars {
                    lines.push(format!(" | `{}` | {} |", v.name, v.unit));
                }
            }
        };
        table(&mut lines, "State variables", &m.state, true);
        table(&mut lines, "Parameters", &m.params, true);
        table(&mut lines, "Inputs", &m.inputs, true);
        table(&mut lines, "Named expressions", &m.named, false);
        lines.push(String::new());
        lines.push(" # Exponential Euler".into());
        lines.push(String::new());
        let exact: Vec<String> = m.state.iter().zip(linear).filter(|(_, l)| **l).map(|(v, _)| format!("`{}`", v.name)).collect();
        let fallback: Vec<String> = m.state.iter().zip(linear).filter(|(_, l)| !**l).map(|(v, _)| format!("`{}`", v.name)).collect();
        if !exact.is_empty() {
            lines.push(format!(" Linear in themselves (updated exactly): {}.", exact.join(", ")));
        }
        if !fallback.is_empty() {
            lines.push(format!(" Not linear in themselves (fall back to Euler): {}.", fallback.join(", ")));
        }
        doc_attr(lines)
    }
}
