//! What spyks files mean once checked: dX/dt, threshold and reset compared with values
//! computed by hand from the YAML text, for forms of the spyks format that the shipped models
//! do not use.

use spyks_lang::diag::Ctxt;
use spyks_lang::eval::{Env, eval};
use spyks_lang::ir::Model;
use spyks_lang::span::Sources;
use spyks_lang::yaml::parse_model_str;

/// Parses and checks `text` as `m.yml`: the model, or the rendered errors.
fn compile(text: &str) -> Result<Model, Vec<String>> {
    let (mut sources, ctxt) = (Sources::default(), Ctxt::new());
    let loaded = parse_model_str(text, "m.yml", None, proc_macro2::Span::call_site(), &mut sources, &ctxt);
    let model = loaded.and_then(|l| spyks_lang::check::check(&l.ast, &ctxt));
    let errors: Vec<String> = ctxt.take().iter().map(|d| d.render(&sources)).collect();
    match model {
        Some(m) if errors.is_empty() => Ok(m),
        _ => Err(errors),
    }
}

fn ok(text: &str) -> Model {
    compile(text).unwrap_or_else(|e| panic!("{}", e.join("\n\n")))
}

/// Asserts that the model is refused with one error containing all of `parts`.
fn has_error(text: &str, parts: &[&str]) {
    let Err(errs) = compile(text) else { panic!("the model should be refused") };
    assert!(errs.iter().any(|e| parts.iter().all(|p| e.contains(p))), "no error containing {parts:?} in:\n{}", errs.join("\n\n"));
}

/// What the model does at state `x`, with its default parameters and inputs.
struct At {
    dxdt: Vec<f64>,
    fired: bool,
    /// The state after the reset assignments, applied in order.
    reset: Vec<f64>,
    /// The clip bounds, by state index.
    clip: Vec<(usize, f64)>,
}

fn at(m: &Model, x: &[f64]) -> At {
    let p: Vec<f64> = m.params.iter().map(|v| v.default).collect();
    let u: Vec<f64> = m.inputs.iter().map(|v| v.default).collect();
    let env = Env { state: x, params: &p, inputs: &u, ..Default::default() };
    let dxdt = m.rhs.iter().map(|r| eval(r, &env)).collect();
    let fired = m.threshold.as_ref().is_some_and(|th| eval(th, &env) != 0.0);
    let mut reset = x.to_vec();
    for (i, r) in &m.reset {
        reset[*i] = eval(r, &Env { state: &reset, ..env });
    }
    let clip = m.clip.iter().map(|c| (c.var, eval(&c.bound, &env))).collect();
    At { dxdt, fired, reset, clip }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

/// A plain `0` stands for zero in any unit, as with Pint (spyks compares and resets without
/// checking units at all; its expressions cannot carry units): `V >= 0` with V in mV, a
/// `Piecewise` branch `0` beside a current, `Max(0, current)`, a reset to `0`, a clip at `0.0`.
/// Any other number without a unit is refused, with the way out in the message.
#[test]
fn a_plain_zero_fits_any_unit() {
    let text = "name: m\ndescription: t\nstate:\n  V: -70 mV\n  w: 0 pA\n\
                equations:\n  V: (El - V)/tau + Piecewise((w/C, V > 0), (0, True))\n  w: -w/tau + Max(0, a*(V - El))/tau\n\
                reset:\n  predicate: (V >= 0) & (w > -0.0)\n  state:\n    V: 0\n    w: w + b\n  clip:\n    V: 0.0\n\
                parameters:\n  tau: 10 ms\n  El: -60 mV\n  C: 100 pF\n  a: 2 nS\n  b: 5 pA\n";
    let m = ok(text);
    // V = 1 mV, w = 50 pA: the Piecewise takes w/C = 0.5 mV/ms; Max takes a*(V - El) = 122 pA.
    let r = at(&m, &[1.0, 50.0]);
    assert!(close(r.dxdt[0], (-60.0 - 1.0) / 10.0 + 50.0 / 100.0), "{:?}", r.dxdt);
    assert!(close(r.dxdt[1], -50.0 / 10.0 + 2.0 * 61.0 / 10.0), "{:?}", r.dxdt);
    assert!(r.fired);
    assert_eq!(r.reset, [0.0, 55.0]);
    assert_eq!(r.clip, [(0, 0.0)]);
    // V = -1 mV: the Piecewise gives 0 and the threshold does not hold; w = -10 pA: Max gives 0
    // only below V = El.
    let r = at(&m, &[-1.0, 50.0]);
    assert!(close(r.dxdt[0], (-60.0 + 1.0) / 10.0), "{:?}", r.dxdt);
    assert!(!r.fired);
    let r = at(&m, &[-61.0, -10.0]);
    assert!(close(r.dxdt[1], 10.0 / 10.0), "{:?}", r.dxdt);
    assert!(!r.fired);

    let help = "numbers in a model file's expressions carry no unit (only 0 fits any unit)";
    has_error(&text.replace("V >= 0", "V >= -50"), &["cannot compare voltage (mV) with dimensionless", "m.yml:10:14", help]);
    has_error(&text.replace("    V: 0\n", "    V: -65\n"), &["reset of `V` to a dimensionless value", "m.yml:12:8", help]);
    has_error(&text.replace("    V: 0.0\n", "    V: 30\n"), &["clip bound of `V` is dimensionless", "m.yml:15:8", help]);
    has_error(&text.replace("(El - V)/tau +", "(El - V + 5)/tau +"), &["cannot add voltage (mV) and dimensionless", help]);
    // A derivative of 0 is still refused for a dimensioned state, as spyks' own check does.
    has_error(&text.replace("  w: -w/tau + Max(0, a*(V - El))/tau", "  w: 0"), &["dw/dt is dimensionless"]);
}

/// SymPy's `Max` and `Min` take any number of arguments, `log` an optional base and
/// `Heaviside` an optional value at 0; the values are SymPy's (computed with Python's `math`).
#[test]
fn sympy_function_forms() {
    let m = ok("name: m\ndescription: t\nstate:\n  V: 0 mV\n  x: 0\n\
                equations:\n  V: k*(Max(a, b, c)*th + Min(c, a, b)*th + Max(a)*th)\n  x: k*(log(b, 2) + Heaviside(V - th, 0.25))\n\
                parameters:\n  a: 2\n  b: 3\n  c: 5\n  k: 1 1/ms\n  th: -50 mV\n");
    // Max(2, 3, 5) = 5, Min(5, 2, 3) = 2, Max(2) = 2: (5 + 2 + 2) * -50 mV.
    let r = at(&m, &[-60.0, 0.0]);
    assert!(close(r.dxdt[0], 9.0 * -50.0), "{:?}", r.dxdt);
    // log(3, 2) = ln 3 / ln 2 = 1.5849625007211563; Heaviside below, at and above th.
    let log2_3 = 1.584_962_500_721_156_3;
    assert!(close(r.dxdt[1], log2_3), "{:?}", r.dxdt);
    assert!(close(at(&m, &[-50.0, 0.0]).dxdt[1], log2_3 + 0.25));
    assert!(close(at(&m, &[-40.0, 0.0]).dxdt[1], log2_3 + 1.0));
}

/// A model with the equation `V: <rhs>` (V in mV, `k` in 1/ms), for the size limits.
fn sized(rhs: &str) -> String {
    format!("name: m\ndescription: t\nstate:\n  V: -70 mV\nequations:\n  V: {rhs}\nparameters:\n  k: 1 1/ms\n  El: -60 mV\n")
}

/// Deep expressions are refused with a message at the place, where they overflowed the
/// compiler's stack (rustc crashed at 320 nested parentheses or a sum of 1000 terms). The whole
/// pipeline, code generation included, runs at the limits on a stack of rustc's size.
#[test]
fn expression_size_limits() {
    let run = || {
        // 100 nested parentheses and a sum of 490 terms compile to the hand-computed value.
        let m = ok(&sized(&format!("k*{}El - V{}", "(".repeat(100), ")".repeat(100))));
        assert!(close(at(&m, &[-70.0]).dxdt[0], 10.0));
        let _ = spyks_lang::codegen::generate(&m, &quote::quote!(::spyks_core));
        let m = ok(&sized(&format!("k*(El - V){}", " + k*(El - V)".repeat(489))));
        assert!(close(at(&m, &[-70.0]).dxdt[0], 4900.0));
        let _ = spyks_lang::codegen::generate(&m, &quote::quote!(::spyks_core));

        // The 101st parenthesis: line 6, column 6 + 2 + 100.
        has_error(
            &sized(&format!("k*{}El - V{}", "(".repeat(101), ")".repeat(101))),
            &["this expression nests more than 100 levels of parentheses, calls, signs or powers", "m.yml:6:108"],
        );
        has_error(&sized(&format!("-k*{}(El - V)", "-".repeat(150))), &["nests more than 100 levels", "m.yml:6:109"]);
        // k*V + 600 more terms: 600 additions, a product and a name.
        has_error(
            &sized(&format!("k*V{}", " + k*V".repeat(600))),
            &[
                "this expression is too deep to compile: its operations nest 602 levels, at most 500",
                "m.yml:6:6",
                "group the terms in parentheses",
            ],
        );
        // k*(V + ... + V) with 2500 names: 3 + 2 * 2500 tokens; a deeper tree would overflow
        // the stack when it is dropped.
        has_error(
            &sized(&format!("k*({}V)", "V + ".repeat(2499))),
            &["this expression is too long to compile: 5003 names, numbers and operators, at most 4000", "m.yml:6:6"],
        );
    };
    std::thread::Builder::new().stack_size(8 << 20).spawn(run).unwrap().join().unwrap();
}

/// Pint reads a unit alone as one of it (the format's own example `uA/cm**2`) and a `*`
/// between the number and the unit (`-70*mV`).
#[test]
fn pint_quantity_forms() {
    let m = ok("name: m\ndescription: t\nstate:\n  V: -70 mV\n\
                equations:\n  V: (I + g*(El - V))/C\n\
                parameters:\n  I: uA/cm**2\n  g: 2 * mS/cm^2\n  El: -60*mV\n  C: 'uF/cm^2'\n");
    let p: Vec<f64> = m.params.iter().map(|v| v.default).collect();
    // In pA/µm², nS/µm², mV and pF/µm²: 1 µA/cm² = 10^6 pA / 10^8 µm²; 1 µF/cm² likewise.
    let expect = [0.01, 0.02, -60.0, 0.01];
    assert!(p.iter().zip(expect).all(|(a, b)| close(*a, b)), "{p:?}");
    // dV/dt = (1 µA/cm² + 2 mS/cm² * 10 mV) / 1 µF/cm² = 1 + 20 mV/ms.
    assert!(close(at(&m, &[-70.0]).dxdt[0], 21.0));
    // A word that is no unit stays an error.
    has_error(
        "name: m\ndescription: t\nstate:\n  V: abc\nequations:\n  V: 0\n",
        &["the value of `V` must be a quantity such as `-70 mV`", "found the string `abc`", "m.yml:4:6"],
    );
}

/// `t` and `xi` cannot be declared (they are time and noise); such a declaration is one error,
/// and its uses are neither time nor noise nor further errors.
#[test]
fn a_reserved_name_is_reported_once() {
    for (name, unit) in [("t", "ms"), ("xi", "1/ms")] {
        let text = format!(
            "name: m\ndescription: t\nstate:\n  V: -70 mV\nequations:\n  V: (El - V)/{name}\nparameters:\n  El: -60 mV\n  {name}: 5 {unit}\n"
        );
        let Err(errs) = compile(&text) else { panic!("`{name}` should be refused") };
        assert_eq!(errs.len(), 1, "{}", errs.join("\n\n"));
        assert!(errs[0].contains(&format!("`{name}` is reserved")) && errs[0].contains("m.yml:9:3"), "{}", errs[0]);
    }
}

/// A dimension without a name is written as its unit, not "the dimension of dimension ...".
#[test]
fn unnamed_dimensions_read_well() {
    let text = "name: m\ndescription: t\nstate:\n  V: -70 mV\nequations:\n  V: (El - V)*sqrt(k)\nparameters:\n  El: -60 mV\n  k: 1 ms\n";
    has_error(text, &["dV/dt has the dimension mV*ms^(1/2), expected voltage per time (mV/ms)", "m.yml:6:6"]);
}

/// Pint reads superscript exponents: `mS/cm²` is mS/cm^2 and `ms⁻¹` is 1/ms.
#[test]
fn superscript_exponents() {
    let m = ok("name: m\ndescription: t\nstate:\n  V: -70 mV\n\
                equations:\n  V: k*(El - V) + g*(El - V)/C\n\
                parameters:\n  k: 0.5 ms⁻¹\n  g: 2 mS/cm²\n  C: 1 µF/cm²\n  El: -60 mV\n");
    let p: Vec<f64> = m.params.iter().map(|v| v.default).collect();
    assert!(p.iter().zip([0.5, 0.02, 0.01, -60.0]).all(|(a, b)| close(*a, b)), "{p:?}");
    // 0.5 * 10 + 2 mS/cm² * 10 mV / 1 µF/cm² = 5 + 20 mV/ms.
    assert!(close(at(&m, &[-70.0]).dxdt[0], 25.0));
    has_error(
        "name: m\ndescription: t\nstate:\n  V: 1 ms⁻\nequations:\n  V: 0\n",
        &["malformed unit `ms⁻`: expected an exponent such as `²` or `⁻¹`, found `⁻`", "m.yml:4:10"],
    );
}
