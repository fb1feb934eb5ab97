use super::*;
use crate::check::tables::deterministic;
use crate::diag::Ctxt;
use crate::eval::{Env, eval};
use quote::quote;

fn model(ts: proc_macro2::TokenStream) -> Model {
    let cx = Ctxt::new();
    let ast = crate::parse_tokens::parse_model(ts, &cx).expect("parses");
    let m = crate::check::check(&ast, &cx);
    assert!(cx.is_empty(), "{:?}", cx.take());
    m.expect("checks")
}

fn tab(m: &Model, var: Sym) -> Tabulated {
    let (det, linear) = deterministic(m);
    tabulate(&det, &linear, var)
}

/// The squid axon of Hodgkin & Huxley (1952), as the preset writes it.
fn hh() -> Model {
    model(quote! {
        model Hh;
        parameters { C_m: 1 uF/cm^2, g_Na: 120 mS/cm^2, g_K: 36 mS/cm^2, g_L: 0.3 mS/cm^2,
                     E_Na: 50 mV, E_K: -77 mV, E_L: -54.387 mV, phi: 1 }
        state { v: -65 mV, m: 0.05, h: 0.6, n: 0.32 }
        inputs { I: 0 uA/cm^2 }
        expressions {
            I_Na = g_Na*m^3*h*(E_Na - v), I_K = g_K*n^4*(E_K - v), I_L = g_L*(E_L - v),
            x_m = (v + 40 mV)/(10 mV), x_n = (v + 55 mV)/(10 mV),
        }
        equations {
            dv/dt = (I_Na + I_K + I_L + I) / C_m,
            m: alpha = phi * 1 1/ms * (if x_m == 0 { 1 } else { -x_m/expm1(-x_m) }),
               beta = phi * 4 1/ms * exp(-(v + 65 mV)/(18 mV)),
            h: alpha = phi * 0.07 1/ms * exp(-(v + 65 mV)/(20 mV)),
               beta = phi * 1 1/ms / (1 + exp(-(v + 35 mV)/(10 mV))),
            n: alpha = phi * 0.1 1/ms * (if x_n == 0 { 1 } else { -x_n/expm1(-x_n) }),
               beta = phi * 0.125 1/ms * exp(-(v + 65 mV)/(80 mV)),
        }
    })
}

/// The six rates written independently (HH 1952, eq. 26, shifted by -65 mV), in 1/ms.
fn hh_rates(v: f64) -> [f64; 6] {
    let am = if v == -40.0 { 1.0 } else { 0.1 * (v + 40.0) / (1.0 - (-(v + 40.0) / 10.0).exp()) };
    let an = if v == -55.0 { 0.1 } else { 0.01 * (v + 55.0) / (1.0 - (-(v + 55.0) / 10.0).exp()) };
    [
        am,
        4.0 * (-(v + 65.0) / 18.0).exp(),
        0.07 * (-(v + 65.0) / 20.0).exp(),
        1.0 / (1.0 + (-(v + 35.0) / 10.0).exp()),
        an,
        0.125 * (-(v + 65.0) / 80.0).exp(),
    ]
}

#[test]
fn hodgkin_huxley_gives_its_six_rates() {
    let m = hh();
    let t = tab(&m, Sym::State(0));
    assert_eq!(t.funcs.len(), 6, "{:#?}", t.funcs.iter().map(|f| to_text(f, &m)).collect::<Vec<_>>());
    let params: Vec<f64> = m.params.iter().map(|v| v.default).collect();
    // Each function is one of the rates (phi = 1), whichever order they come in, and each rate
    // is found once: compared at potentials including the removable singularities.
    let mut matched = [false; 6];
    for f in &t.funcs {
        let at = |v: f64| eval(f, &Env { state: &[v, 0.0, 0.0, 0.0], params: &params, ..Default::default() });
        let which = (0..6).find(|&r| {
            [-90.0, -55.0, -40.0, -12.3, 30.0].iter().all(|&v| (at(v) - hh_rates(v)[r]).abs() <= 1e-12 * hh_rates(v)[r].abs().max(1.0))
        });
        let r = which.unwrap_or_else(|| panic!("`{}` is none of the six rates", to_text(f, &m)));
        assert!(!matched[r], "rate {r} found twice");
        matched[r] = true;
        // Functions of v and parameters only.
        f.for_each_var(&mut |s| assert!(matches!(s, Sym::State(0) | Sym::Param(_)), "{s:?}"));
    }
    // The gate equations use only tables and their own variable; the voltage equation none.
    for (i, r) in t.rhs.iter().enumerate().skip(1) {
        r.for_each_var(&mut |s| assert!(matches!(s, Sym::Table(_)) || s == Sym::State(i), "{s:?} in gate {i}"));
    }
    assert!(!t.rhs[0].uses(|s| matches!(s, Sym::Table(_))));
    // phi is the only parameter the tables depend on.
    assert_eq!(t.key_params().iter().map(|&i| m.params[i].name.as_str()).collect::<Vec<_>>(), ["phi"]);
}

#[test]
fn tabulated_coefficients_keep_the_exponential_euler_split() {
    let m = hh();
    let t = tab(&m, Sym::State(0));
    // Substituting the functions back gives the exact right-hand side and coefficients.
    let back = |e: &Ir| {
        let mut e = e.clone();
        for (k, f) in t.funcs.iter().enumerate() {
            e = crate::diff::substitute(&e, Sym::Table(k), f);
        }
        e
    };
    let (det, _) = deterministic(&m);
    let params: Vec<f64> = m.params.iter().map(|v| v.default).collect();
    for x in [[-70.0, 0.1, 0.5, 0.3], [-40.0, 0.9, 0.1, 0.7], [12.0, 0.5, 0.5, 0.5]] {
        let env = Env { state: &x, params: &params, inputs: &[0.05], ..Default::default() };
        for i in 0..4 {
            let exact = eval(&det[i], &env);
            let (a, b) = &t.coefficients[i];
            let (va, vb) = (eval(&back(a), &env), eval(&back(b), &env));
            assert!((eval(&back(&t.rhs[i]), &env) - exact).abs() <= 1e-12 * exact.abs().max(1.0));
            assert!((va + vb * x[i] - exact).abs() <= 1e-12 * exact.abs().max(1.0), "variable {i}");
            // Gates: B = -(alpha + beta) does not depend on the gate itself.
            if i > 0 {
                assert!(!crate::diff::depends_on(b, Sym::State(i)));
            }
        }
    }
}

#[test]
fn pospischil_gives_its_steady_states_and_time_constants() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spyks-core/models/spyks/pospischil.yml");
    let cx = Ctxt::new();
    let mut sources = crate::span::Sources::default();
    let loaded = crate::yaml::load_model_file(&path, "pospischil.yml", proc_macro2::Span::call_site(), &mut sources, &cx).expect("loads");
    let m = crate::check::check(&loaded.ast, &cx).expect("checks");
    let t = tab(&m, Sym::State(0));
    // na_m inf and tau, na_h alpha and beta, kd_m inf and tau, km_m inf and tau.
    let texts: Vec<String> = t.funcs.iter().map(|f| to_text(f, &m)).collect();
    assert_eq!(t.funcs.len(), 8, "{texts:#?}");
    for (name, count) in
        [("nam_v", 1), ("nam_t0", 1), ("nah_a0", 1), ("nah_b0", 1), ("kdm_v", 1), ("kdm_t0", 1), ("kmm_v", 1), ("kmm_t0", 1)]
    {
        assert_eq!(texts.iter().filter(|s| s.contains(name)).count(), count, "{name} in {texts:#?}");
    }
    assert!(!t.rhs[0].uses(|s| matches!(s, Sym::Table(_))));
    // The time constants are tabulated as reciprocals, and no right-hand side divides by a
    // table: (inf - x)/tau is (inf - x)·(1/tau).
    for name in ["nam_t0", "kdm_t0", "kmm_t0"] {
        assert!(texts.iter().any(|s| s.starts_with("1/") && s.contains(name)), "{name} in {texts:#?}");
    }
    fn divides_by_a_table(e: &Ir) -> bool {
        matches!(e, Ir::Div(_, b) if b.uses(|s| matches!(s, Sym::Table(_)))) || crate::diff::any_child(e, &mut divides_by_a_table)
    }
    assert!(!t.rhs.iter().any(divides_by_a_table));
}

#[test]
fn nothing_to_tabulate_in_integrate_and_fire_models() {
    let lif = model(quote! {
        model Lif;
        parameters { tau: 20 ms, E_l: -70 mV, v_th: -50 mV, v_r: -60 mV, R: 100 Mohm }
        state { v: -70 mV }
        inputs { I: 0 pA }
        equations { dv/dt = (E_l - v + R*I) / tau }
        threshold { v >= v_th }
        reset { v = v_r }
    });
    assert!(tab(&lif, Sym::State(0)).funcs.is_empty());
    let izh = model(quote! {
        model Izh;
        parameters { a: 0.02 1/ms, b: 0.2 1/ms, c: -65 mV, d: 8 mV/ms }
        state { v: -65 mV, u: -13 mV/ms }
        inputs { I: 0 mV/ms }
        equations {
            dv/dt = 0.04 1/(ms*mV) * v^2 + 5 1/ms * v + 140 mV/ms - u + I,
            du/dt = a * (b*v - u),
        }
        threshold { v >= 30 mV }
        reset { v = c, u += d }
    });
    assert!(tab(&izh, Sym::State(0)).funcs.is_empty());
}

#[test]
fn a_function_of_the_table_variable_inside_a_condition_stays_numeric() {
    // The branch jumps at v = k ln 2, so it is not tabulated as a whole; the condition
    // `exp(v/k) > 2` is boolean, so only its operand is.
    let m = model(quote! {
        model C;
        parameters { k: 10 mV, tau: 5 ms }
        state { v: -65 mV, w: 0 }
        equations {
            dv/dt = -v / tau,
            dw/dt = (if exp(v/k) > 2 { 1 } else { 0 }) * w / tau,
        }
    });
    let t = tab(&m, Sym::State(0));
    assert_eq!(t.funcs.len(), 1);
    assert!(matches!(t.funcs[0], Ir::Call(Func::Exp, _)), "{:?}", t.funcs[0]);
}

#[test]
fn step_tables_take_the_gates_whose_coefficients_are_tables_only() {
    // Hodgkin-Huxley: m, h, n, each with A and B written from tables; v reads no table.
    let m = hh();
    let t = tab(&m, Sym::State(0));
    let which: Vec<bool> = t.step.factored.iter().map(Option::is_some).collect();
    assert_eq!(which, [false, true, true, true]);
    assert!(t.step.rest.is_empty());
    // The factored coefficients are the exact ones (no table symbols left), for example B of m
    // is -(alpha_m + beta_m).
    let params: Vec<f64> = m.params.iter().map(|v| v.default).collect();
    let (a, b) = t.step.factored[1].as_ref().unwrap();
    for v in [-80.0, -40.0, -12.5, 20.0] {
        let env = Env { state: &[v, 0.3, 0.3, 0.3], params: &params, ..Default::default() };
        let r = hh_rates(v);
        assert!((eval(a, &env) - r[0]).abs() <= 1e-12 * r[0].max(1.0));
        assert!((eval(b, &env) + r[0] + r[1]).abs() <= 1e-12 * (r[0] + r[1]).max(1.0));
        assert!(!a.uses(|s| matches!(s, Sym::Table(_))) && !b.uses(|s| matches!(s, Sym::Table(_))));
    }

    // An instantaneous sodium activation in dv/dt: v's coefficients read a table (kept as a
    // column of the step table), and w, whose B depends on v through a table but whose A
    // depends on the input, is not factored.
    let m = model(quote! {
        model Inst;
        parameters { g: 1 mS/cm^2, E: 50 mV, C: 1 uF/cm^2, tau: 5 ms, k: 10 mV }
        state { v: -65 mV, n: 0.1, w: 0 }
        inputs { I: 0 uA/cm^2 }
        equations {
            dv/dt = (I - g / (1 + exp(-(v + 20 mV)/k)) * (v - E) - g*n*(v - E)) / C,
            dn/dt = (1 / (1 + exp(-(v + 40 mV)/k)) - n) / tau,
            dw/dt = I / (1 uA/cm^2) * 1 1/ms - w * exp(v/k) / tau,
        }
    });
    let t = tab(&m, Sym::State(0));
    let which: Vec<bool> = t.step.factored.iter().map(Option::is_some).collect();
    assert_eq!(which, [false, true, false]);
    // Two rate columns besides the factors: the sodium term of v's equation (v is the table
    // variable, so its split is tabulated term by term: g/(1 + exp(-(v + 20)/k))·(v - E)) and
    // w's B (exp(v/k)), with the parameters' values in internal units.
    let texts: Vec<String> = t.step.rest.iter().map(|&k| to_text(&t.funcs[k], &m)).collect();
    assert_eq!(t.step.rest.len(), 2, "{texts:?}");
    let params: Vec<f64> = m.params.iter().map(|v| v.default).collect();
    let p = |name: &str| m.params.iter().find(|v| v.name == name).unwrap().default;
    let (g, e, k) = (p("g"), p("E"), p("k"));
    let expected = |v: f64| [g * (v - e) / (1.0 + (-(v + 20.0) / k).exp()), (v / k).exp()];
    for v in [-80.0, -20.0, 15.0] {
        let env = Env { state: &[v, 0.1, 0.0], params: &params, inputs: &[0.0], ..Default::default() };
        let mut got: Vec<f64> = t.step.rest.iter().map(|&k| eval(&t.funcs[k], &env)).collect();
        let mut want = expected(v).to_vec();
        got.sort_by(f64::total_cmp);
        want.sort_by(f64::total_cmp);
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() <= 1e-12 * w.abs().max(1.0), "{texts:?} at {v}: {got:?} against {want:?}");
        }
    }
}
