//! Code generation: a checked [`Model`] → Rust items.
//!
//! For a model `Hh` this writes the model type `Hh`, its vectors `HhState`, `HhParams`,
//! `HhInputs` and `HhExprs` (one public f64 field per variable, internal units), their
//! `Vector` impls, typed (uom) accessors, and `NeuronModel` with inlined derivative,
//! Jacobians (symbolic), exponential-Euler coefficients, threshold, reset and clip. All paths
//! into the runtime go through `krate` (normally `::spyks_core`).

use crate::diff;
use crate::ir::{Cmp, Func, Ir, Model, Sym, Var};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

mod batch;
mod expr;
mod lanes;
mod vector;

pub use expr::emit;
pub(crate) use expr::{emit_in, lit, local, param_divisor, root_power};

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
        let divisor_params = crate::divisors::divisor_params(m);
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
                const DIVISOR_PARAMS: &'static [usize] = &[#(#divisor_params),*];
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
        // The symbols each right-hand side contains, found in one walk of it: the derivative
        // with respect to any other is zero, without walking the equation again. Large models
        // have few non-zeros per row (a cable of N compartments: 12N − 2 of 16N²); deriving
        // every pair made the unoptimised macro take 2.9 s at N = 400 instead of 2.2 s, for
        // the same expansion (docs/compile-time.md).
        let present: Vec<Vec<Sym>> = rhs
            .iter()
            .map(|r| {
                let mut syms = Vec::new();
                r.for_each_var(&mut |s| syms.push(s));
                syms.sort_unstable();
                syms.dedup();
                syms
            })
            .collect();
        let mut entries = Vec::new();
        for (j, w) in wrt.iter().enumerate() {
            for (i, r) in rhs.iter().enumerate() {
                if present[i].binary_search(w).is_err() {
                    continue;
                }
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
            lines.push(format!(
                " Linear in themselves (advanced exactly for their coefficients frozen over the step): {}.",
                exact.join(", ")
            ));
        }
        if !fallback.is_empty() {
            lines.push(format!(
                " Not linear in themselves (fall back to forward Euler; to the explicit midpoint rule with `ExpMidpoint`): {}.",
                fallback.join(", ")
            ));
        }
        doc_attr(lines)
    }
}
