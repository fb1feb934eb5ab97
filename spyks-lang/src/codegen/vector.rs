//! The generated vector types (state, parameters, inputs, named expressions): fields, the
//! `Vector` implementation, typed (uom) accessors and their docs.

use super::*;

impl Gen<'_> {
    pub(super) fn vector(&self, ty: &Ident, vars: &[Var], kind: &str, what: &str, default_word: &str) -> TokenStream {
        let k = self.k;
        let vis = &self.m.vis;
        let n = vars.len();
        let kind = format_ident!("{}", kind);
        let fields: Vec<Ident> = vars.iter().map(field).collect();
        let defaults: Vec<TokenStream> = vars.iter().map(|v| lit(v.default)).collect();
        let idx: Vec<usize> = (0..n).collect();
        let field_docs: Vec<TokenStream> = vars
            .iter()
            .map(|v| {
                let mut lines: Vec<String> = v.doc.clone();
                if !lines.is_empty() {
                    lines.push(String::new());
                }
                let mut l = format!(" Unit: {}", v.unit);
                if v.user_unit != v.unit && !default_word.is_empty() {
                    l.push_str(&format!(" (declared in {})", v.user_unit));
                }
                if !default_word.is_empty() {
                    l.push_str(&format!("; {default_word} {}", v.default));
                }
                lines.push(l);
                doc_attr(lines)
            })
            .collect();
        let infos: Vec<TokenStream> = vars
            .iter()
            .map(|v| {
                let name = &v.name;
                let unit = &v.unit;
                let du = &v.user_unit;
                let si = lit(v.dim.si_per_internal());
                let dimension = match v.dim.uom_exponents() {
                    Some(e) => quote!(Some([#(#e),*])),
                    None => quote!(None),
                };
                let def = lit(v.default);
                let doc = v.doc.join("\n");
                quote!(#k::VarInfo {
                    name: #name, kind: #k::VarKind::#kind, unit: #unit, declared_unit: #du,
                    si_per_unit: #si, dimension: #dimension, default: #def, doc: #doc,
                })
            })
            .collect();
        // The named expressions are outputs (computed from the state): getters only.
        let typed = self.typed_accessors(vars, kind != "Expr");
        let tydoc = format!(" The {what} of [`{}`], in internal units.", self.m.name);
        quote! {
            #[doc = #tydoc]
            #[derive(Clone, Copy, Debug, PartialEq)]
            #[allow(non_snake_case)]
            #vis struct #ty {
                #( #field_docs pub #fields: f64, )*
            }

            impl ::core::default::Default for #ty {
                fn default() -> Self {
                    #ty { #(#fields: #defaults),* }
                }
            }

            #[allow(non_snake_case, unused_variables, unused_mut, clippy::all)]
            impl #k::Vector for #ty {
                const LEN: usize = #n;
                const INFO: &'static [#k::VarInfo] = &[#(#infos),*];
                #[inline]
                fn get_index(&self, i: usize) -> Option<f64> {
                    match i { #(#idx => Some(self.#fields),)* _ => None }
                }
                #[inline]
                fn set_index(&mut self, i: usize, value: f64) -> bool {
                    match i { #(#idx => { self.#fields = value; true })* _ => false }
                }
                #[inline]
                fn load_strided(data: &[f64], stride: usize, j: usize) -> Self {
                    #ty { #(#fields: data[#idx * stride + j]),* }
                }
                #[inline]
                fn store_strided(&self, data: &mut [f64], stride: usize, j: usize) {
                    #( data[#idx * stride + j] = self.#fields; )*
                }
                #[inline]
                fn all_finite(&self) -> bool {
                    true #( && self.#fields.is_finite() )*
                }
                #[inline]
                fn map(&self, mut f: impl FnMut(f64) -> f64) -> Self {
                    #ty { #(#fields: f(self.#fields)),* }
                }
                #[inline]
                fn zip_map(&self, other: &Self, mut f: impl FnMut(f64, f64) -> f64) -> Self {
                    #ty { #(#fields: f(self.#fields, other.#fields)),* }
                }
                #[inline]
                fn zip3_map(&self, b: &Self, c: &Self, mut f: impl FnMut(f64, f64, f64) -> f64) -> Self {
                    #ty { #(#fields: f(self.#fields, b.#fields, c.#fields)),* }
                }
            }

            #[allow(non_snake_case, clippy::all)]
            impl #ty {
                /// The values as a statically sized nalgebra vector, in declared order.
                pub fn to_svector(&self) -> #k::nalgebra::SVector<f64, #n> {
                    #k::nalgebra::SVector::<f64, #n>::from([#(self.#fields),*])
                }
                /// Builds the values from a statically sized nalgebra vector, in declared order.
                pub fn from_svector(v: &#k::nalgebra::SVector<f64, #n>) -> Self {
                    #ty { #(#fields: v[#idx]),* }
                }
                /// The values as an array, in declared order.
                pub fn to_array(&self) -> [f64; #n] {
                    [#(self.#fields),*]
                }
                /// Builds the values from an array, in declared order.
                pub fn from_array(a: [f64; #n]) -> Self {
                    #ty { #(#fields: a[#idx]),* }
                }
                #typed
            }
        }
    }

    /// `set_<name>(quantity)` (if `setters`) and `<name>_quantity()` with uom types.
    ///
    /// The setter takes a quantity of the variable's dimension of any uom kind: uom gives
    /// some quantities a kind of their own (`ElectricCurrentDensity` and `MolarConcentration`
    /// are constituent concentrations, `ThermodynamicTemperature` a temperature), and a
    /// quantity computed by arithmetic (a current divided by an area) has the plain kind, so a
    /// setter of one kind would refuse the other. The getter returns uom's named quantity
    /// where the dimension has one ([`uom_name`]), which for those three is the kinded type.
    fn typed_accessors(&self, vars: &[Var], setters: bool) -> TokenStream {
        let k = self.k;
        let mut out = TokenStream::new();
        for v in vars {
            let Some(exps) = v.dim.uom_exponents() else {
                continue;
            };
            let name = uom_name(exps);
            let named = match name {
                Some(name) => {
                    let name = format_ident!("{}", name);
                    quote!(#k::uom::si::f64::#name)
                }
                None => uom_type(k, exps, None),
            };
            let f = field(v);
            let get = format_ident!("{}_quantity", v.name);
            let si = lit(v.dim.si_per_internal());
            let get_doc = format!(" `{}` as a typed quantity.", v.name);
            if setters {
                let any_kind = uom_type(k, exps, Some(&quote!(K)));
                let set = format_ident!("set_{}", v.name);
                let example = name.map_or(String::new(), |n| format!(" (such as `uom::si::f64::{n}`)"));
                let set_doc =
                    format!(" Sets `{}` from a typed quantity of {}{example}, in any unit and of any uom kind.", v.name, v.dim.describe());
                out.extend(quote! {
                    #[doc = #set_doc]
                    pub fn #set<K: ?::core::marker::Sized>(&mut self, q: #any_kind) {
                        self.#f = q.value / #si;
                    }
                });
            }
            out.extend(quote! {
                #[doc = #get_doc]
                pub fn #get(&self) -> #named {
                    #k::uom::si::Quantity {
                        dimension: ::core::marker::PhantomData,
                        units: ::core::marker::PhantomData,
                        value: self.#f * #si,
                    }
                }
            });
        }
        out
    }
}

/// `uom::si::Quantity<ISQ<L, M, T, I, Th, N, J[, K]>, SI<f64>, f64>` for integer exponents
/// (the kind `K`, or uom's default).
fn uom_type(k: &TokenStream, e: [i32; 7], kind: Option<&TokenStream>) -> TokenStream {
    let dims: Vec<TokenStream> = e
        .iter()
        .map(|&x| {
            let id = match x {
                0 => format_ident!("Z0"),
                x if x > 0 => format_ident!("P{}", x as u32),
                x => format_ident!("N{}", (-x) as u32),
            };
            quote!(#k::uom::typenum::#id)
        })
        .collect();
    let kind = kind.map(|kd| quote!(, #kd));
    quote!(#k::uom::si::Quantity<#k::uom::si::ISQ<#(#dims),* #kind>, #k::uom::si::SI<f64>, f64>)
}

/// uom's named quantity (in `uom::si::f64`) for a dimension of (length, mass, time, current,
/// temperature, amount, luminosity) exponents, among those a neuron model uses; `None` for
/// the others (conductance or capacitance per area, ...), which keep the plain type. Where
/// several uom quantities share a dimension this is the one a model means: frequency (not
/// angular velocity) for 1/time, thermodynamic temperature (absolute, as in a Nernst
/// potential) for kelvin, molar concentration and current density for theirs.
pub(crate) fn uom_name(e: [i32; 7]) -> Option<&'static str> {
    Some(match e {
        [0, 0, 0, 0, 0, 0, 0] => "Ratio",
        [0, 0, 1, 0, 0, 0, 0] => "Time",
        [0, 0, -1, 0, 0, 0, 0] => "Frequency",
        [1, 0, 0, 0, 0, 0, 0] => "Length",
        [2, 0, 0, 0, 0, 0, 0] => "Area",
        [3, 0, 0, 0, 0, 0, 0] => "Volume",
        [1, 0, -1, 0, 0, 0, 0] => "Velocity",
        [0, 1, 0, 0, 0, 0, 0] => "Mass",
        [2, 1, -3, -1, 0, 0, 0] => "ElectricPotential",
        [0, 0, 0, 1, 0, 0, 0] => "ElectricCurrent",
        [-2, 0, 0, 1, 0, 0, 0] => "ElectricCurrentDensity",
        [0, 0, 1, 1, 0, 0, 0] => "ElectricCharge",
        [-2, -1, 4, 2, 0, 0, 0] => "Capacitance",
        [-2, -1, 3, 2, 0, 0, 0] => "ElectricalConductance",
        [2, 1, -3, -2, 0, 0, 0] => "ElectricalResistance",
        [3, 1, -3, -2, 0, 0, 0] => "ElectricalResistivity",
        [-3, -1, 3, 2, 0, 0, 0] => "ElectricalConductivity",
        [0, 0, 0, 0, 1, 0, 0] => "ThermodynamicTemperature",
        [0, 0, 0, 0, 0, 1, 0] => "AmountOfSubstance",
        [-3, 0, 0, 0, 0, 1, 0] => "MolarConcentration",
        _ => return None,
    })
}
