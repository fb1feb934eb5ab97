//! Code generation for a model's lookup tables (`tables { .. }`): the function object the
//! table is built from, the hidden field, the fast paths of `derivative` and
//! `linear_coefficients`, `refresh`, and the user-facing switches and error report.
//!
//! The fast paths read the tabulated functions ([`crate::tabulate`]) when the table is
//! current for the model's parameters (a bitwise comparison of the parameters the functions
//! use) and fall through to the exact code otherwise, so results are always those of a
//! current table or of the exact model. `derivative_prepared` skips the comparison, for
//! drivers that refreshed the model for a run and hold it unchanged. Jacobians, noise, named
//! expressions, threshold and reset are always exact.

use crate::codegen::emit;
use crate::ir::{Ir, Model, Outside, Sym};
use crate::tabulate::{self, Tabulated};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

pub mod step;

/// The pieces `codegen` splices into the model; all empty for a model without tables.
#[derive(Default)]
pub struct TableParts {
    /// Extra doc lines of the model type.
    pub doc: TokenStream,
    /// `, __tables: ModelTables<..>` in the struct definition.
    pub field: TokenStream,
    /// `, __tables: Default::default()` in `with_params`.
    pub init: TokenStream,
    /// Statements of `new()` after `let mut m = Self::default();`.
    pub new_refresh: TokenStream,
    /// The start of the derivative's body (after the bindings): the tabulated path, reading
    /// the table `__tables` (an `Option<&TableSet>`) that `derivative` checked and
    /// `derivative_prepared` did not.
    pub derivative: TokenStream,
    /// The type of the table set (`TableSet<K, Functions>`).
    pub table_type: TokenStream,
    /// The start of `linear_coefficients`: the tabulated path.
    pub linear: TokenStream,
    /// `refresh` and `needs_refresh` in the `NeuronModel` impl.
    pub trait_methods: TokenStream,
    /// Items next to the model: the function object and the inherent methods.
    pub items: TokenStream,
}

/// The tabulated forms of `m` if it declares tables.
pub fn tabulated(m: &Model, det: &[Ir], linear: &[bool]) -> Option<Tabulated> {
    m.tables.as_ref().map(|t| tabulate::tabulate(det, linear, t.var))
}

/// The function object a table is built from: a struct of the parameters the functions use
/// (`p<i>`, plus `extra` fields) and its `Columns` impl, whose `values(x)` binds the table
/// variable and the parameters and evaluates `body` (an array of the `nk` values).
#[allow(clippy::too_many_arguments)]
pub(crate) fn function_object(
    k: &TokenStream,
    vis: &TokenStream,
    name: &Ident,
    doc: &str,
    extra: &TokenStream,
    key_locals: &[Ident],
    var_local: &TokenStream,
    nk: usize,
    body: &TokenStream,
) -> TokenStream {
    quote! {
        #[doc = #doc]
        #[doc(hidden)]
        #[derive(Clone, Copy, Debug, PartialEq)]
        #vis struct #name { #extra #(pub #key_locals: f64),* }

        #[allow(unused_variables, unused_parens, unused_braces, non_snake_case, clippy::all)]
        impl #k::table::Columns<#nk> for #name {
            #[inline]
            fn values(&self, x: f64) -> [f64; #nk] {
                let #var_local: f64 = x;
                #(let #key_locals: f64 = self.#key_locals;)*
                #body
            }
        }
    }
}

fn pfield(i: usize) -> Ident {
    format_ident!("p{}", i)
}

/// The parameters a function object keeps, for the model's parameter numbers `keys`: its field
/// names (`p{i}`) and the model's names. The rate and step tables both use it, so that their
/// function objects keep and compare their parameters alike.
pub(crate) struct KeptParams {
    pub locals: Vec<Ident>,
    names: Vec<Ident>,
}

impl KeptParams {
    pub(crate) fn new(m: &Model, keys: &[usize]) -> Self {
        KeptParams {
            locals: keys.iter().map(|&i| pfield(i)).collect(),
            names: keys.iter().map(|&i| Ident::new(&m.params[i].name, Span::call_site())).collect(),
        }
    }

    /// The fields' values from `self.params` (in a struct expression).
    pub(crate) fn model_values(&self) -> TokenStream {
        let (locals, names) = (&self.locals, &self.names);
        quote!(#(#locals: self.params.#names),*)
    }

    /// Whether `f` keeps the current values of `self.params`, bit for bit: every evaluation
    /// asks, so the differences are or-ed together and tested once (one branch, not one per
    /// parameter).
    pub(crate) fn fresh(&self) -> TokenStream {
        let (locals, names) = (&self.locals, &self.names);
        quote!(0u64 #(| (f.#locals.to_bits() ^ self.params.#names.to_bits()))* == 0)
    }
}

/// Generates the pieces. `det` are the deterministic right-hand sides (inlined, simplified)
/// and `linear` the exponential-Euler split of the exact model.
pub fn parts(m: &Model, k: &TokenStream, det: &[Ir], linear: &[bool]) -> TableParts {
    let (Some(tir), Some(tab)) = (&m.tables, tabulated(m, det, linear)) else {
        return TableParts::default();
    };
    let name = format_ident!("{}", m.name);
    let fns = format_ident!("{}TableFunctions", m.name);
    let st = format_ident!("{}State", m.name);
    let vis = &m.vis;
    let nk = tab.funcs.len();
    let keys = tab.key_params();
    let kept = KeptParams::new(m, &keys);
    let (key_locals, key_fresh, key_from_model) = (&kept.locals, kept.fresh(), kept.model_values());
    let var_local = emit(&Ir::Var(tir.var), k);
    let var_name = match tir.var {
        Sym::State(i) => &m.state[i].name,
        Sym::Input(i) => &m.inputs[i].name,
        _ => unreachable!("the checker allows states and inputs"),
    };
    let unit = match tir.var {
        Sym::State(i) => &m.state[i].unit,
        Sym::Input(i) => &m.inputs[i].unit,
        _ => unreachable!(),
    };
    let funcs: Vec<TokenStream> = tab.funcs.iter().map(|f| emit(f, k)).collect();
    let texts: Vec<String> = tab.funcs.iter().map(|f| tabulate::to_text(f, m)).collect();
    let tbs: Vec<Ident> = (0..nk).map(|j| format_ident!("tb{}", j)).collect();
    let fields: Vec<Ident> = m.state.iter().map(|v| Ident::new(&v.name, Span::call_site())).collect();
    let rhs: Vec<TokenStream> = tab.rhs.iter().map(|e| emit(e, k)).collect();
    let ca: Vec<TokenStream> = tab.coefficients.iter().map(|(a, _)| emit(a, k)).collect();
    let cb: Vec<TokenStream> = tab.coefficients.iter().map(|(_, b)| emit(b, k)).collect();
    let (lo, hi, step) = (tir.lo, tir.hi, tir.step);
    let interp = if tir.cubic { quote!(CubicHermite) } else { quote!(Linear) };
    let outside = match tir.outside {
        Outside::Exact => quote!(Exact),
        Outside::Extend => quote!(Extend),
        Outside::Clamp => quote!(Clamp),
    };
    let allow = quote!(#[allow(unused_variables, unused_parens, unused_braces, non_snake_case, clippy::all)]);
    let sp = step::parts(m, k, &tab, &var_local);
    let (step_field, step_init, step_enabled, step_spec, step_trait, step_items) =
        (&sp.field, &sp.init, &sp.set_enabled, &sp.set_spec, &sp.trait_items, &sp.items);

    let mut doc_lines = vec![
        String::new(),
        " # Lookup tables".to_string(),
        String::new(),
        format!(
            " {nk} functions of `{var_name}` are tabulated over [{lo}, {hi}] {unit} with step {step} {unit} ({} interpolation, {} outside the range), rebuilt when the parameters they use change{}:",
            if tir.cubic { "cubic Hermite" } else { "linear" },
            match tir.outside {
                Outside::Exact => "the exact function",
                Outside::Extend => "linear extrapolation",
                Outside::Clamp => "the value at the nearest end",
            },
            if keys.is_empty() {
                String::new()
            } else {
                format!(" ({})", keys.iter().map(|&i| format!("`{}`", m.params[i].name)).collect::<Vec<_>>().join(", "))
            }
        ),
        String::new(),
    ];
    doc_lines.extend(texts.iter().enumerate().map(|(j, t)| format!(" {j}. `{t}`")));
    doc_lines.push(String::new());
    doc_lines.push(
        " `derivative` and `linear_coefficients` read the tables; Jacobians, noise, expressions, threshold and reset are those of the exact model. `set_tables(false)` gives the exact model; `table_report()` measures the interpolation error."
            .into(),
    );
    doc_lines.extend(sp.doc.iter().cloned());
    let doc = quote!(#(#[doc = #doc_lines])*);

    let fns_doc = format!(" The functions `{}`'s lookup table holds, with the values of the parameters they use.", m.name);
    let funcs_doc = format!(" The tabulated functions of `{var_name}` in column order, as text (internal units).");
    let columns = function_object(k, vis, &fns, &fns_doc, &quote!(), key_locals, &var_local, nk, &quote!([#(#funcs),*]));
    let items = quote! {
        #columns

        #allow
        impl #name {
            #[doc = #funcs_doc]
            pub const TABLE_FUNCTIONS: &'static [&'static str] = &[#(#texts),*];

            /// The table's range, step, interpolation and behaviour outside the range
            /// (internal units), as declared.
            pub fn declared_table_spec() -> #k::table::TableSpec {
                #k::table::TableSpec::new(#lo, #hi, #step)
                    .interp(#k::table::Interp::#interp)
                    .out_of_range(#k::table::OutOfRange::#outside)
            }

            /// The table settings in force: the declared ones unless
            /// [`set_table_spec`](Self::set_table_spec) replaced them.
            pub fn table_spec(&self) -> #k::table::TableSpec {
                self.__tables.spec(Self::declared_table_spec())
            }

            /// Replaces the declared range, step, interpolation or out-of-range policy at run
            /// time (to choose a step by its [`table_report`](Self::table_report) without
            /// recompiling) and rebuilds the table. Errors: an invalid setting or a function that
            /// is not finite on the new grid (the model then evaluates its exact functions).
            pub fn set_table_spec(&mut self, spec: #k::table::TableSpec) -> ::core::result::Result<(), #k::table::TableError> {
                self.__tables.set_spec(spec);
                #step_spec
                #k::NeuronModel::refresh(self)
            }

            /// Switches the lookup tables on (the default) or off: off, the model evaluates
            /// its exact functions, bit for bit the model without a `tables` block.
            pub fn set_tables(&mut self, on: bool) {
                self.__tables.set_enabled(on);
                #step_enabled
            }

            /// The model with its lookup tables switched off (see [`set_tables`](Self::set_tables)).
            pub fn without_tables(mut self) -> Self {
                self.set_tables(false);
                self
            }

            /// Whether the lookup tables are switched on.
            pub fn tables_enabled(&self) -> bool {
                self.__tables.enabled()
            }

            /// How many times the tables were built (by this model or the one it was cloned from).
            pub fn table_builds(&self) -> usize {
                self.__tables.builds()
            }

            /// The table for the current parameters, if it is built and switched on.
            pub fn table(&self) -> ::core::option::Option<&#k::table::TableSet<#nk, #fns>> {
                self.__current_tables()
            }

            /// The interpolation error of each tabulated function (in the order of
            /// [`TABLE_FUNCTIONS`](Self::TABLE_FUNCTIONS)) against the exact function, for the
            /// current parameters, measured at 16 points per cell and every cell's midpoint,
            /// with the a-priori bound. Builds a table if none is current.
            pub fn table_report(&self) -> ::core::result::Result<[#k::table::ErrorReport; #nk], #k::table::TableError> {
                let f = self.__table_functions();
                let built;
                let t = match self.__tables.last() {
                    Some(t) if self.__fresh(t.function()) => t,
                    _ => {
                        built = #k::table::TableSet::new(f, self.table_spec())?;
                        &built
                    }
                };
                Ok(t.max_error(|x| #k::table::Columns::values(&f, x), 16))
            }

            /// Whether `f` was built for the current values of the parameters it uses, bit
            /// for bit.
            #[inline(always)]
            fn __fresh(&self, f: &#fns) -> bool {
                #key_fresh
            }

            #[inline(always)]
            fn __table_functions(&self) -> #fns {
                #fns { #key_from_model }
            }

            #[inline(always)]
            fn __current_tables(&self) -> ::core::option::Option<&#k::table::TableSet<#nk, #fns>> {
                self.__tables.current(|f| self.__fresh(f))
            }
        }

        #step_items
    };

    TableParts {
        doc,
        field: quote!(__tables: #k::table::ModelTables<#nk, #fns>, #step_field),
        init: quote!(, __tables: ::core::default::Default::default() #step_init),
        // The compiler checked that the default parameters give finite functions on the grid.
        new_refresh: quote!(let _ = #k::NeuronModel::refresh(&mut m);),
        derivative: quote! {
            if let ::core::option::Option::Some(__tab) = __tables {
                let [#(#tbs),*] = __tab.eval(#var_local);
                return #st { #(#fields: #rhs),* };
            }
        },
        table_type: quote!(#k::table::TableSet<#nk, #fns>),
        linear: quote! {
            if let ::core::option::Option::Some(__tab) = self.__current_tables() {
                let [#(#tbs),*] = __tab.eval(#var_local);
                return (#st { #(#fields: #ca),* }, #st { #(#fields: #cb),* });
            }
        },
        trait_methods: quote! {
            fn refresh(&mut self) -> ::core::result::Result<(), #k::table::TableError> {
                if !#k::NeuronModel::needs_refresh(self) {
                    return Ok(());
                }
                let f = self.__table_functions();
                let spec = self.table_spec();
                self.__tables.rebuild(f, spec)
            }

            #[inline]
            fn needs_refresh(&self) -> bool {
                self.__tables.enabled() && !self.__tables.last().is_some_and(|t| self.__fresh(t.function()))
            }

            #step_trait
        },
        items,
    }
}
