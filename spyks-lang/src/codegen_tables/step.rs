//! Code generation for the exponential-Euler step table of a model with lookup tables: for a
//! fixed step h, each gating variable's update X ← X + X·G + F with G = expm1(B·h) and
//! F = A·expm1(B·h)/B, where A and B depend on the table variable only, is read from a table of
//! G and F (see [`crate::tabulate::StepTabulated`]). The table also holds the rate functions
//! the other variables' coefficients use, so a step reads one table.
//!
//! Generated: the function object (step, parameters), the hidden field, `step_table`, and the
//! `NeuronModel` items `STEP_TABULATED`, `refresh_step`, `needs_refresh_step` and
//! `step_factors`; the lane version comes from the lane emitter.

use crate::codegen::emit;
use crate::ir::{Ir, Model, Sym};
use crate::tabulate::Tabulated;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// The pieces for a model whose tables allow a step table; all empty otherwise.
#[derive(Default)]
pub struct StepParts {
    /// `__step_tables: ModelTables<..>,` in the struct definition.
    pub field: TokenStream,
    /// `, __step_tables: Default::default()` in `with_params`.
    pub init: TokenStream,
    /// Statements of `set_tables(on)`.
    pub set_enabled: TokenStream,
    /// Statements of `set_table_spec(spec)`.
    pub set_spec: TokenStream,
    /// Items of the `NeuronModel` impl.
    pub trait_items: TokenStream,
    /// Items next to the model.
    pub items: TokenStream,
    /// Doc lines of the model type.
    pub doc: Vec<String>,
}

/// The locals of factored variable `i`'s two step-table columns, G and F.
fn factor_locals(i: usize) -> (TokenStream, TokenStream) {
    let (g, f) = (format_ident!("__g{}", i), format_ident!("__f{}", i));
    (quote!(#g), quote!(#f))
}

/// The locals a step-table lookup binds: G and F of each factored variable, then the rate
/// functions the other variables read (bound to their table symbols' locals).
pub fn column_locals(tab: &Tabulated) -> Vec<TokenStream> {
    let mut cols = Vec::new();
    for (i, f) in tab.step.factored.iter().enumerate() {
        if f.is_some() {
            let (g, f) = factor_locals(i);
            cols.extend([g, f]);
        }
    }
    cols.extend(tab.step.rest.iter().map(|&k| crate::codegen::local(Sym::Table(k))));
    cols
}

/// The (a, b) each variable gets from a step-table lookup: the locals of G and F for a
/// factored variable, its tabulated coefficients (A, B) written by `emit` for the others
/// (`None` where `emit` cannot write one).
pub fn outputs(tab: &Tabulated, mut emit: impl FnMut(&Ir) -> Option<TokenStream>) -> Option<(Vec<TokenStream>, Vec<TokenStream>)> {
    let (mut oa, mut ob) = (Vec::new(), Vec::new());
    for (i, f) in tab.step.factored.iter().enumerate() {
        let (a, b) = match f {
            Some(_) => factor_locals(i),
            None => (emit(&tab.coefficients[i].0)?, emit(&tab.coefficients[i].1)?),
        };
        oa.push(a);
        ob.push(b);
    }
    Some((oa, ob))
}

/// Generates the pieces (see [`StepParts`]); `var_local` is the table variable's local.
pub fn parts(m: &Model, k: &TokenStream, tab: &Tabulated, var_local: &TokenStream) -> StepParts {
    if !tab.step.any() {
        return StepParts::default();
    }
    let name = format_ident!("{}", m.name);
    let fns = format_ident!("{}StepTableFunctions", m.name);
    let st = format_ident!("{}State", m.name);
    let it = format_ident!("{}Inputs", m.name);
    let vis = &m.vis;
    let cols = column_locals(tab);
    let nk = cols.len();

    // The parameters the columns use.
    let mut keys = Vec::new();
    let mut note = |e: &Ir| {
        e.for_each_var(&mut |s| {
            if let Sym::Param(i) = s {
                keys.push(i);
            }
        })
    };
    for (a, b) in tab.step.factored.iter().flatten() {
        note(a);
        note(b);
    }
    for &r in &tab.step.rest {
        note(&tab.funcs[r]);
    }
    keys.sort_unstable();
    keys.dedup();
    let kept = super::KeptParams::new(m, &keys);
    let (key_locals, key_fresh, key_from_model) = (&kept.locals, kept.fresh(), kept.model_values());

    // The column values at x: G and F of each factored variable, as `ExpEuler` computes its
    // update (the Euler form where |B·h| < 1e-10), then the rate functions.
    let mut values = Vec::new();
    for (a, b) in tab.step.factored.iter().flatten() {
        let (a, b) = (emit(a, k), emit(b, k));
        values.push(quote! {{
            let (__a, __b): (f64, f64) = (#a, #b);
            let __bh = __b * self.h;
            let __g = #k::math::exp_m1(__bh);
            (__g, if __bh.abs() < 1e-10 { self.h * __a } else { __a * __g / __b })
        }});
    }
    let npairs = values.len();
    let rest: Vec<TokenStream> = tab.step.rest.iter().map(|&r| emit(&tab.funcs[r], k)).collect();
    let rest_at: Vec<usize> = (0..rest.len()).map(|j| 2 * npairs + j).collect();
    let (g_at, f_at): (Vec<usize>, Vec<usize>) = (0..npairs).map(|j| (2 * j, 2 * j + 1)).unzip();

    // step_factors: the lookup, then (G, F) or (A, B) per variable.
    let fields: Vec<Ident> = m.state.iter().map(|v| Ident::new(&v.name, Span::call_site())).collect();
    let (fa, fb) = outputs(tab, |e| Some(emit(e, k))).expect("the scalar emitter writes every expression");
    let mut bind = TokenStream::new();
    for (i, v) in m.state.iter().enumerate() {
        let (l, f) = (crate::codegen::local(Sym::State(i)), Ident::new(&v.name, Span::call_site()));
        bind.extend(quote!(let #l: f64 = x.#f;));
    }
    for (i, v) in m.inputs.iter().enumerate() {
        let (l, f) = (crate::codegen::local(Sym::Input(i)), Ident::new(&v.name, Span::call_site()));
        bind.extend(quote!(let #l: f64 = u.#f;));
    }
    for (i, v) in m.params.iter().enumerate() {
        let (l, f) = (crate::codegen::local(Sym::Param(i)), Ident::new(&v.name, Span::call_site()));
        bind.extend(quote!(let #l: f64 = self.params.#f;));
    }
    let tabulated: Vec<bool> = tab.step.factored.iter().map(Option::is_some).collect();
    let allow = quote!(#[allow(unused_variables, unused_parens, unused_braces, non_snake_case, clippy::all)]);

    let gates: Vec<&str> =
        tab.step.factored.iter().enumerate().filter(|(_, f)| f.is_some()).map(|(i, _)| m.state[i].name.as_str()).collect();
    let doc = vec![
        String::new(),
        format!(
            " With a fixed step h (exponential Euler in a `Population` or `Simulation::run_fixed`), the updates of {} are read from a second table built for h on the same grid: X ← X + X·G + F with G = expm1(B·h) and F = A·expm1(B·h)/B, as NEURON's `hh.mod` tabulates them; this saves an `expm1` and a division per variable and step.",
            gates.iter().map(|g| format!("`{g}`")).collect::<Vec<_>>().join(", ")
        ),
    ];

    let fns_doc = format!(" The functions of `{}`'s exponential-Euler step table, with the step and the parameters they use.", m.name);
    let body = quote! {
        let mut __out = [0.0_f64; #nk];
        #( (__out[#g_at], __out[#f_at]) = #values; )*
        #( __out[#rest_at] = #rest; )*
        __out
    };
    let columns = super::function_object(k, vis, &fns, &fns_doc, &quote!(pub h: f64,), key_locals, var_local, nk, &body);
    let items = quote! {
        #columns

        #allow
        impl #name {
            /// The exponential-Euler step table for step `h` (ms, within 1e-6 relative), if one
            /// is built for the current parameters and tables are switched on (drivers build it
            /// at the start of a fixed-step run).
            pub fn step_table(&self, h: f64) -> ::core::option::Option<&#k::table::TableSet<#nk, #fns>> {
                self.__step_tables.current(|f| self.__fresh_step(f, h))
            }

            /// Whether a step table built for `f` serves step `h`. The step may differ from
            /// the table's by round-off (a driver's step is t_next − t, not dt): within 1e-6
            /// relative, the factors' change is far below the interpolation error. The
            /// parameters compare bit for bit, as in `__fresh`.
            #[inline(always)]
            fn __fresh_step(&self, f: &#fns, h: f64) -> bool {
                (f.h - h).abs() <= 1e-6 * f.h && #key_fresh
            }
        }
    };

    let trait_items = quote! {
        const STEP_TABULATED: &'static [bool] = &[#(#tabulated),*];

        fn refresh_step(&mut self, h: f64) -> ::core::result::Result<(), #k::table::TableError> {
            if !#k::NeuronModel::needs_refresh_step(self, h) {
                return Ok(());
            }
            let f = #fns { h, #key_from_model };
            let spec = self.table_spec();
            self.__step_tables.rebuild(f, spec)
        }

        #[inline]
        fn needs_refresh_step(&self, h: f64) -> bool {
            h > 0.0
                && h.is_finite()
                && self.__tables.enabled()
                && !self.__step_tables.last().is_some_and(|t| self.__fresh_step(t.function(), h))
                && !self.__step_tables.failed_for(|f| self.__fresh_step(f, h))
        }

        #[inline]
        fn step_factors(&self, t: f64, h: f64, x: &#st, u: &#it) -> ::core::option::Option<(#st, #st)> {
            let __tab = self.__step_tables.current(|f| self.__fresh_step(f, h))?;
            #bind
            let [#(#cols),*] = __tab.eval(#var_local);
            ::core::option::Option::Some((#st { #(#fields: #fa),* }, #st { #(#fields: #fb),* }))
        }
    };

    StepParts {
        field: quote!(__step_tables: #k::table::ModelTables<#nk, #fns>,),
        init: quote!(, __step_tables: ::core::default::Default::default()),
        set_enabled: quote!(self.__step_tables.set_enabled(on);),
        set_spec: quote!(self.__step_tables.set_spec(spec);),
        trait_items,
        items,
        doc,
    }
}
