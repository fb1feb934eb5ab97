//! The lane emitter: `derivative_lanes` and `linear_coefficients_lanes`, generic over
//! `Real`, so that a population integrates a block of neurons with packed instructions.
//!
//! Every expression has a kind: uniform (`f64`: constants, parameters, time, and anything made
//! of them only), lanes (`T`: it depends on a state variable or an input), a `bool` or a mask.
//! Uniform subexpressions are emitted exactly as by the scalar emitter and splatted where they
//! meet lanes; lane subexpressions keep the scalar expression tree and operation order, each
//! operation lane-wise. Since splatting commutes with every lane operation, the `f64`
//! instantiation and each lane of a block give the scalar methods' results bit for bit.
//! `if` on a mask becomes a select: both branches are evaluated for every lane, which is
//! harmless (no floating-point traps; an unused 0/0 is discarded).
//!
//! Each method has a second body for blocks of neurons with their own parameter values: when
//! `u` carries `Params::LEN` more lanes after the inputs, the parameters are read from there
//! and are lanes too (so is everything made of them), with the same operations in the same
//! order: each lane is still the scalar method of a model with that lane's parameters.

use super::{Gen, emit, lit, local};
use crate::diff;
use crate::ir::{Cmp, Func, Ir, Sym};
use proc_macro2::TokenStream;
use quote::quote;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Uniform,
    Lanes,
    Bool,
    Mask,
}

struct Lanes<'a> {
    k: &'a TokenStream,
    named: Vec<Kind>,
    /// Parameters are lanes (one value per neuron) rather than uniform.
    param_lanes: bool,
}

impl Lanes<'_> {
    fn real(&self) -> TokenStream {
        let k = self.k;
        quote!(<T as #k::lanes::Real>)
    }

    /// The expression as lanes (splatting a uniform value).
    fn lanes(&self, e: &Ir) -> Option<TokenStream> {
        let (ts, kind) = self.emit(e)?;
        let r = self.real();
        match kind {
            Kind::Lanes => Some(ts),
            Kind::Uniform => Some(quote!(#r::splat(#ts))),
            _ => None,
        }
    }

    /// The condition as a mask (splatting a `bool`).
    fn mask(&self, e: &Ir) -> Option<TokenStream> {
        let (ts, kind) = self.emit(e)?;
        let k = self.k;
        match kind {
            Kind::Mask => Some(ts),
            Kind::Bool => Some(quote!(<<T as #k::lanes::Real>::Mask as #k::lanes::Mask>::splat(#ts))),
            _ => None,
        }
    }

    /// The kind of a symbol's value (`None` for a named expression not yet bound).
    fn kind_of(&self, s: Sym) -> Option<Kind> {
        match s {
            Sym::State(_) | Sym::Input(_) | Sym::Table(_) => Some(Kind::Lanes),
            Sym::Named(i) => self.named.get(i).copied(),
            Sym::Param(_) if self.param_lanes => Some(Kind::Lanes),
            Sym::Param(_) | Sym::Time | Sym::Noise => Some(Kind::Uniform),
        }
    }

    /// The factors of a product whose value is lanes (a uniform product is one `f64`,
    /// splatted).
    fn product<'e>(&self, e: &'e Ir) -> Option<(&'e Ir, &'e Ir)> {
        match e {
            Ir::Mul(x, y) if !self.is_uniform(e) => Some((x, y)),
            _ => None,
        }
    }

    /// `(±x)·y + (±c)` as `Real::mul_add`, the signs by negation (exact).
    fn mul_add(&self, x: &Ir, y: &Ir, c: &Ir, negate_x: bool, negate_c: bool) -> Option<(TokenStream, Kind)> {
        let r = self.real();
        let (x, y, c) = (self.lanes(x)?, self.lanes(y)?, self.lanes(c)?);
        let x = if negate_x { quote!((-#x)) } else { x };
        let c = if negate_c { quote!((-#c)) } else { c };
        Some((quote!(#r::mul_add(#x, #y, #c)), Kind::Lanes))
    }

    fn is_uniform(&self, e: &Ir) -> bool {
        !e.uses(|s| self.kind_of(s) != Some(Kind::Uniform))
    }

    /// Emits `e` with its kind; `None` for a form the emitter does not handle.
    fn emit(&self, e: &Ir) -> Option<(TokenStream, Kind)> {
        let k = self.k;
        let r = self.real();
        // Uniform arithmetic is the scalar emitter's own code.
        let numeric = !matches!(e, Ir::Cmp(..) | Ir::And(..) | Ir::Or(..) | Ir::Not(..));
        if numeric && self.is_uniform(e) {
            return Some((emit(e, k), Kind::Uniform));
        }
        let bin = |a: &Ir, b: &Ir, op: TokenStream| -> Option<(TokenStream, Kind)> {
            let (a, b) = (self.lanes(a)?, self.lanes(b)?);
            Some((quote!((#a #op #b)), Kind::Lanes))
        };
        let call = |f: TokenStream, a: &Ir| -> Option<(TokenStream, Kind)> {
            let a = self.lanes(a)?;
            Some((quote!(#r::#f(#a)), Kind::Lanes))
        };
        Some(match e {
            Ir::Const(v) => (lit(*v), Kind::Uniform),
            Ir::Var(s) => (local(*s), self.kind_of(*s)?),
            Ir::Neg(a) => {
                let a = self.lanes(a)?;
                (quote!((-#a)), Kind::Lanes)
            }
            // a·b ± c and c ± a·b as `mul_add`: the same bits where it does not fuse (negation
            // is exact, and `c + (-p)` is `c - p`), one rounding in fused blocks.
            Ir::Add(a, b) | Ir::Sub(a, b) => {
                let sub = matches!(e, Ir::Sub(..));
                match (self.product(a), self.product(b)) {
                    (Some((x, y)), _) => self.mul_add(x, y, b, false, sub)?,
                    (None, Some((x, y))) => self.mul_add(x, y, a, sub, false)?,
                    (None, None) => bin(a, b, if sub { quote!(-) } else { quote!(+) })?,
                }
            }
            Ir::Mul(a, b) => bin(a, b, quote!(*))?,
            // The scalar emitter's reciprocal of a divisor of parameters and constants,
            // computed uniformly (as lanes where the parameters are).
            Ir::Div(a, b) if super::param_divisor(b) => {
                let a = self.lanes(a)?;
                if !self.is_uniform(b) {
                    let b = self.lanes(b)?;
                    (quote!((#a * (#r::splat(1.0_f64) / #b))), Kind::Lanes)
                } else {
                    let b = emit(b, k);
                    (quote!((#a * #r::splat(1.0_f64 / #b))), Kind::Lanes)
                }
            }
            Ir::Div(a, b) => bin(a, b, quote!(/))?,
            Ir::Powi(a, n) => {
                let a = self.lanes(a)?;
                match n {
                    2 => (quote!({ let __x: T = #a; __x * __x }), Kind::Lanes),
                    _ => (quote!(#r::powi(#a, #n)), Kind::Lanes),
                }
            }
            // The scalar emitter's square roots for the powers ±1/2 and ±1/4.
            Ir::Powf(a, b) if super::root_power(b).is_some() => {
                let a = self.lanes(a)?;
                let a = quote!((#a + #r::splat(0.0_f64)));
                let ts = match super::root_power(b) {
                    Some(0.5) => quote!(#r::sqrt(#a)),
                    Some(-0.5) => quote!((#r::splat(1.0_f64) / #r::sqrt(#a))),
                    Some(0.25) => quote!(#r::sqrt(#r::sqrt(#a))),
                    _ => quote!((#r::splat(1.0_f64) / #r::sqrt(#r::sqrt(#a)))),
                };
                (ts, Kind::Lanes)
            }
            Ir::Powf(a, b) => {
                let (a, b) = (self.lanes(a)?, self.lanes(b)?);
                (quote!(#r::powf(#a, #b)), Kind::Lanes)
            }
            Ir::Call(f, args) => match real_method(*f) {
                Some(method) => call(method, &args[0])?,
                None => {
                    let (a, b) = (self.lanes(args.first()?)?, self.lanes(args.get(1)?)?);
                    let f = if *f == Func::Min { quote!(min) } else { quote!(max) };
                    (quote!(#r::#f(#a, #b)), Kind::Lanes)
                }
            },
            Ir::If(c, a, b) => {
                let (cs, ck) = self.emit(c)?;
                let (a, b) = (self.lanes(a)?, self.lanes(b)?);
                match ck {
                    Kind::Bool => (quote!((if #cs { #a } else { #b })), Kind::Lanes),
                    Kind::Mask => (quote!(#r::select(#cs, #a, #b)), Kind::Lanes),
                    _ => return None,
                }
            }
            Ir::Cmp(op, a, b) => {
                if self.is_uniform(a) && self.is_uniform(b) {
                    return Some((emit(e, k), Kind::Bool));
                }
                let (a, b) = (self.lanes(a)?, self.lanes(b)?);
                let f = match op {
                    Cmp::Lt => quote!(lt),
                    Cmp::Le => quote!(le),
                    Cmp::Gt => quote!(gt),
                    Cmp::Ge => quote!(ge),
                    Cmp::Eq => quote!(eq),
                    Cmp::Ne => quote!(ne),
                };
                (quote!(#r::#f(#a, #b)), Kind::Mask)
            }
            Ir::And(a, b) | Ir::Or(a, b) => {
                let ((sa, ka), (sb, kb)) = (self.emit(a)?, self.emit(b)?);
                let and = matches!(e, Ir::And(..));
                if ka == Kind::Bool && kb == Kind::Bool {
                    let op = if and { quote!(&&) } else { quote!(||) };
                    (quote!((#sa #op #sb)), Kind::Bool)
                } else {
                    let (ma, mb) = (self.mask(a)?, self.mask(b)?);
                    let f = if and { quote!(and) } else { quote!(or) };
                    (quote!(#k::lanes::Mask::#f(#ma, #mb)), Kind::Mask)
                }
            }
            Ir::Not(a) => {
                let (sa, ka) = self.emit(a)?;
                match ka {
                    Kind::Bool => (quote!((!#sa)), Kind::Bool),
                    Kind::Mask => (quote!(#k::lanes::Mask::not(#sa)), Kind::Mask),
                    _ => return None,
                }
            }
        })
    }
}

impl Gen<'_> {
    /// `const HAS_LANES` and the lane methods, or nothing (the trait's defaults) for a model
    /// with a form the lane emitter does not handle.
    pub(super) fn lane_methods(&self) -> TokenStream {
        self.try_lane_methods().unwrap_or_default()
    }

    /// The bindings, named expressions, right-hand sides, exponential-Euler coefficients and
    /// threshold over lanes, with the parameters uniform or (`param_lanes`) read from `__p`.
    fn lane_bodies(&self, param_lanes: bool, det: &[Ir]) -> Option<(Lanes<'_>, Bodies)> {
        let k = self.k;
        let m = self.m;
        let (n, ni) = (m.state.len(), m.inputs.len());
        let mut g = Lanes { k, named: Vec::new(), param_lanes };

        // Bindings: states and inputs as lanes, parameters as f64 (uniform) or as lanes.
        let mut bind = TokenStream::new();
        for i in 0..n {
            let l = local(Sym::State(i));
            bind.extend(quote!(let #l: T = x[#i];));
        }
        for i in 0..ni {
            let l = local(Sym::Input(i));
            bind.extend(quote!(let #l: T = u[#i];));
        }
        for (i, v) in m.params.iter().enumerate() {
            let l = local(Sym::Param(i));
            if param_lanes {
                bind.extend(quote!(let #l: T = __p[#i];));
            } else {
                let f = super::field(v);
                bind.extend(quote!(let #l: f64 = self.params.#f;));
            }
        }

        // The derivative, as the scalar one: named expressions bound, then `rhs`.
        let mut named = TokenStream::new();
        for (i, def) in m.named_defs.iter().enumerate() {
            let (ts, kind) = g.emit(def)?;
            let l = local(Sym::Named(i));
            match kind {
                Kind::Uniform => named.extend(quote!(let #l: f64 = #ts;)),
                Kind::Lanes => named.extend(quote!(let #l: T = #ts;)),
                _ => return None,
            }
            g.named.push(kind);
        }
        let rhs: Vec<TokenStream> = m.rhs.iter().map(|e| g.lanes(e)).collect::<Option<_>>()?;

        // The exponential-Euler split, as the scalar `linear_coefficients` (named inlined).
        let mut ca = Vec::new();
        let mut cb = Vec::new();
        for (i, r) in det.iter().enumerate() {
            match diff::linear_form(r, Sym::State(i)) {
                Some((a, b)) => {
                    ca.push(g.lanes(&a)?);
                    cb.push(g.lanes(&b)?);
                }
                None => {
                    ca.push(g.lanes(r)?);
                    cb.push(quote!(<T as #k::lanes::Real>::splat(0.0_f64)));
                }
            }
        }
        let threshold = match &m.threshold {
            Some(c) => g.mask(c)?,
            None => quote!(<<T as #k::lanes::Real>::Mask as #k::lanes::Mask>::splat(false)),
        };
        Some((g, Bodies { bind, named, rhs, ca, cb, threshold }))
    }

    fn try_lane_methods(&self) -> Option<TokenStream> {
        let k = self.k;
        let m = self.m;
        let (n, ni, np) = (m.state.len(), m.inputs.len(), m.params.len());
        // The right-hand sides without noise and named expressions inlined, once for both
        // bodies and the tables.
        let det: Vec<Ir> = self.inlined_rhs().iter().map(|r| diff::simplify(diff::substitute(r, Sym::Noise, &Ir::Const(0.0)))).collect();
        let (g, uniform) = self.lane_bodies(false, &det)?;
        let idx: Vec<usize> = (0..n).collect();

        // Inlined into the steppers' block loops (compiled for AVX2 there, which only reaches
        // inlined code), except in unoptimised builds and for large models (see `derivative`).
        let inline = if n <= super::INLINE_ALWAYS_MAX_STATE {
            quote!(#[cfg_attr(debug_assertions, inline)] #[cfg_attr(not(debug_assertions), inline(always))])
        } else {
            quote!(#[inline])
        };

        // A model with lookup tables reads them lane by lane, as the scalar methods do: the
        // tabulated right-hand sides and coefficients when the table is current, else (falling
        // through) the exact ones above.
        let (mut tab_derivative, mut tab_linear, mut step_factors) = (TokenStream::new(), TokenStream::new(), TokenStream::new());
        let linear: Vec<bool> = det.iter().enumerate().map(|(i, r)| diff::linear_form(r, Sym::State(i)).is_some()).collect();
        let tabulated = crate::codegen_tables::tabulated(m, &det, &linear);
        if let Some(tab) = &tabulated {
            let var = g.lanes(&Ir::Var(tab.var))?;
            let tbs: Vec<TokenStream> = (0..tab.funcs.len()).map(|j| local(Sym::Table(j))).collect();
            let lookup = quote! {
                let [#(#tbs),*] = __tab.eval_lanes(#var);
            };
            let rhs: Vec<TokenStream> = tab.rhs.iter().map(|e| g.lanes(e)).collect::<Option<_>>()?;
            let ta: Vec<TokenStream> = tab.coefficients.iter().map(|(a, _)| g.lanes(a)).collect::<Option<_>>()?;
            let tb: Vec<TokenStream> = tab.coefficients.iter().map(|(_, b)| g.lanes(b)).collect::<Option<_>>()?;
            tab_derivative = quote! {
                if let ::core::option::Option::Some(__tab) = self.__current_tables() {
                    #lookup
                    #( out[#idx] = #rhs; )*
                    return;
                }
            };
            tab_linear = quote! {
                if let ::core::option::Option::Some(__tab) = self.__current_tables() {
                    #lookup
                    #( a[#idx] = #ta; b[#idx] = #tb; )*
                    return;
                }
            };
            if tab.step.any() {
                // The step table's lookup, then (G, F) or (A, B) per variable, as the scalar
                // `step_factors`.
                let cols = crate::codegen_tables::step::column_locals(tab);
                let (oa, ob) = crate::codegen_tables::step::outputs(tab, |e| g.lanes(e))?;
                let bind = &uniform.bind;
                step_factors = quote! {
                    #inline
                    fn step_factors_lanes<T: #k::lanes::Real>(&self, t: f64, h: f64, x: &[T], u: &[T], a: &mut [T], b: &mut [T]) -> bool {
                        let ::core::option::Option::Some(__tab) = self.__step_tables.current(|f| self.__fresh_step(f, h)) else {
                            return false;
                        };
                        let (x, u, a, b) = (&x[..#n], &u[..#ni], &mut a[..#n], &mut b[..#n]);
                        #bind
                        let [#(#cols),*] = __tab.eval_lanes(#var);
                        #( a[#idx] = #oa; b[#idx] = #ob; )*
                        true
                    }
                };
            }
        }

        // Parameters in lanes (the neurons of a block have their own values): the second
        // body, taken when `u` has the parameters after the inputs. Not for tabulated models
        // (their tables are built for one parameter set), nor for large ones (a 400-variable
        // cable compiled 25 % slower with it; populations of such neurons are rare).
        let hetero =
            if tabulated.is_none() && n <= super::INLINE_ALWAYS_MAX_STATE { self.lane_bodies(true, &det).map(|(_, b)| b) } else { None };
        let has_param_lanes = hetero.is_some();
        // The second body in front of the first: `return { body };`.
        let with_param_lanes = |body: Option<TokenStream>| match body {
            Some(body) => quote! {
                if u.len() > #ni {
                    let __p = &u[#ni..#ni + #np];
                    return { #body };
                }
            },
            None => TokenStream::new(),
        };
        let none = TokenStream::new();
        let h_threshold = with_param_lanes(hetero.as_ref().map(|b| b.threshold_body(n, ni)));
        let h_derivative = with_param_lanes(hetero.as_ref().map(|b| b.derivative_body(n, ni, &none)));
        let h_linear = with_param_lanes(hetero.as_ref().map(|b| b.linear_body(n, ni, &none)));
        let (threshold, derivative, linear) =
            (uniform.threshold_body(n, ni), uniform.derivative_body(n, ni, &tab_derivative), uniform.linear_body(n, ni, &tab_linear));
        let clip = self.clip_lanes(&g, &uniform.bind, &inline);

        Some(quote! {
            const HAS_LANES: bool = true;
            const HAS_PARAM_LANES: bool = #has_param_lanes;

            #inline
            fn threshold_lanes<T: #k::lanes::Real>(&self, t: f64, x: &[T], u: &[T]) -> <T as #k::lanes::Real>::Mask {
                #h_threshold
                #threshold
            }

            #inline
            fn derivative_lanes<T: #k::lanes::Real>(&self, t: f64, x: &[T], u: &[T], out: &mut [T]) {
                #h_derivative
                #derivative
            }

            #inline
            fn linear_coefficients_lanes<T: #k::lanes::Real>(&self, t: f64, x: &[T], u: &[T], a: &mut [T], b: &mut [T]) {
                #h_linear
                #linear
            }

            #step_factors

            #clip
        })
    }

    /// `clip_lanes`, each rule as the scalar `if x > b { x = b }` (or `<` for a floor) with one
    /// packed comparison and select, which keeps the scalar bits (NaN and equal values are
    /// left, as there); nothing for a model without rules, or with a bound the lanes cannot
    /// write (the trait's lane-by-lane default then). The bounds are of parameters and
    /// inputs, with the model's parameters, as the scalar `clip`.
    fn clip_lanes(&self, g: &Lanes<'_>, bind: &TokenStream, inline: &TokenStream) -> TokenStream {
        let (k, m) = (self.k, self.m);
        let (n, ni) = (m.state.len(), m.inputs.len());
        let rules: Option<Vec<TokenStream>> = m
            .clip
            .iter()
            .map(|c| {
                let (v, b) = (c.var, g.lanes(&c.bound)?);
                let over = if c.upper { quote!(gt) } else { quote!(lt) };
                Some(quote! {{
                    let __b: T = #b;
                    x[#v] = <T as #k::lanes::Real>::select(<T as #k::lanes::Real>::#over(x[#v], __b), __b, x[#v]);
                }})
            })
            .collect();
        match rules {
            Some(rules) if !rules.is_empty() => quote! {
                #inline
                fn clip_lanes<T: #k::lanes::Real>(&self, t: f64, x: &mut [T], u: &[T]) {
                    let (x, u) = (&mut x[..#n], &u[..#ni]);
                    #bind
                    #( #rules )*
                }
            },
            _ => TokenStream::new(),
        }
    }
}

/// The lane code of one variant (uniform or per-lane parameters).
struct Bodies {
    bind: TokenStream,
    named: TokenStream,
    rhs: Vec<TokenStream>,
    ca: Vec<TokenStream>,
    cb: Vec<TokenStream>,
    threshold: TokenStream,
}

impl Bodies {
    /// The body of `threshold_lanes` (a mask).
    fn threshold_body(&self, n: usize, ni: usize) -> TokenStream {
        let (bind, threshold) = (&self.bind, &self.threshold);
        quote! {
            let (x, u) = (&x[..#n], &u[..#ni]);
            #bind
            #threshold
        }
    }

    /// The body of `derivative_lanes`, with `tab` (the tabulated path, or nothing) first.
    fn derivative_body(&self, n: usize, ni: usize, tab: &TokenStream) -> TokenStream {
        let (bind, named, rhs) = (&self.bind, &self.named, &self.rhs);
        let idx = 0..n;
        quote! {
            let (x, u, out) = (&x[..#n], &u[..#ni], &mut out[..#n]);
            #bind
            #tab
            #named
            #( out[#idx] = #rhs; )*
        }
    }

    /// The body of `linear_coefficients_lanes`, with `tab` first.
    fn linear_body(&self, n: usize, ni: usize, tab: &TokenStream) -> TokenStream {
        let (bind, ca, cb) = (&self.bind, &self.ca, &self.cb);
        let idx = 0..n;
        quote! {
            let (x, u, a, b) = (&x[..#n], &u[..#ni], &mut a[..#n], &mut b[..#n]);
            #bind
            #tab
            #( a[#idx] = #ca; b[#idx] = #cb; )*
        }
    }
}

/// The `spyks_core::lanes::Real` method of a one-argument function (`None` for `min` and
/// `max`, which take two).
pub(super) fn real_method(f: Func) -> Option<TokenStream> {
    Some(match f {
        Func::Exp => quote!(exp),
        Func::Expm1 => quote!(exp_m1),
        Func::Log => quote!(ln),
        Func::Log1p => quote!(ln_1p),
        Func::Sqrt => quote!(sqrt),
        Func::Tanh => quote!(tanh),
        Func::Cosh => quote!(cosh),
        Func::Sinh => quote!(sinh),
        Func::Abs => quote!(abs),
        Func::Heaviside => quote!(heaviside),
        Func::Min | Func::Max => return None,
    })
}
