//! Tests of the units: rationals, dimensions, unit lookup and quantity values.

use super::*;
use crate::span::{Span, TextSpan};

fn at(a: usize, b: usize) -> Span {
    let text = TextSpan { source: 0, start: a as u32, end: b as u32 };
    Span::text(proc_macro2::Span::call_site(), text)
}
fn unit(s: &str) -> UnitValue {
    eval_unit(&parse_unit_text(s, &at).unwrap()).unwrap()
}
fn val(number: &str, u: &str) -> (f64, Dim) {
    let unit = (!u.is_empty()).then(|| parse_unit_text(u, &at).unwrap());
    let text = number.trim_start_matches('-').to_string();
    quantity_value(&Quantity { text, negative: number.starts_with('-'), unit, span: at(0, 0) }).unwrap()
}
fn err(u: &str) -> (String, Vec<String>, (u32, u32)) {
    let d = parse_unit_text(u, &at).and_then(|e| eval_unit(&e)).unwrap_err();
    let t = d.span.text.unwrap();
    (d.message, d.notes, (t.start, t.end))
}
const CD: Dim = Dim::new([3, -4, -1, 2, 0, 0]);

#[test]
fn rationals() {
    assert_eq!(Rational::new(2, -4), Rational { num: -1, den: 2 });
    assert_eq!(Rational::new(0, -3), Rational::ZERO);
    assert_eq!(Rational::new(1, 2) + Rational::new(1, 3), Rational::new(5, 6));
    assert_eq!(Rational::new(1, 2) - Rational::ONE, Rational::new(-1, 2));
    assert_eq!(Rational::new(2, 3) * Rational::new(3, 2), Rational::ONE);
    assert_eq!((Rational::from_int(2).to_string(), Rational::new(-1, 2).to_string()), ("2".into(), "-1/2".into()));
    assert!(Rational::from_int(-3).is_integer() && !Rational::new(1, 2).is_integer());
    assert_eq!(Rational::new(-3, 4).to_f64(), -0.75);
}

#[test]
fn model_units_convert_exactly() {
    let gd = Dim::new([3, -4, -1, 2, 0, 0]);
    let cases: &[(&str, &str, f64, Dim)] = &[
        ("-70", "mV", -70.0, Dim::VOLTAGE),
        ("120", "pA", 120.0, Dim::CURRENT),
        ("250", "pF", 250.0, Dim::CAPACITANCE),
        ("0.25", "nF", 250.0, Dim::CAPACITANCE),
        ("10", "nS", 10.0, Dim::CONDUCTANCE),
        ("1", "µS", 1000.0, Dim::CONDUCTANCE),
        ("2", "ms", 2.0, Dim::TIME),
        ("0.26", "1/ms", 0.26, Dim::FREQUENCY),
        (".00052", "1/ms", 0.00052, Dim::FREQUENCY),
        ("123e-5", "1/ms", 0.00123, Dim::FREQUENCY),
        ("11.6", "ms^-1", 11.6, Dim::FREQUENCY),
        ("0.5", "ms**-1", 0.5, Dim::FREQUENCY),
        ("120", "mS/cm^2", 1.2, gd),
        ("36", "mS cm^-2", 0.36, gd),
        ("1", "uF/cm^2", 0.01, Dim::new([4, -4, -1, 2, 0, 0])),
        ("10", "uA/cm**2", 0.1, Dim::new([0, -2, 0, 1, 0, 0])),
        ("0.04", "1/(ms*mV)", 0.04, Dim::new([2, -2, -1, 1, 0, 0])),
        ("1", "s", 1000.0, Dim::TIME),
        ("1", "min", 60000.0, Dim::TIME),
        ("1", "V", 1000.0, Dim::VOLTAGE),
        ("1E3", "uV", 1.0, Dim::VOLTAGE),
        ("2", "mM", 2.0, Dim::CONCENTRATION),
        ("1", "M", 1000.0, Dim::CONCENTRATION),
        ("1", "Hz", 0.001, Dim::FREQUENCY),
        ("2.0", "", 2.0, Dim::DIMENSIONLESS),
        ("1_000", "1", 1000.0, Dim::DIMENSIONLESS),
    ];
    for &(n, u, want, dim) in cases {
        assert_eq!(val(n, u), (want, dim), "{n} {u}");
    }
    assert_eq!(val("1", "Mohm").0, 1e-3);
    assert_eq!(CD, gd);
}

#[test]
fn coherence_and_scales() {
    let i = unit("pF*mV/ms");
    assert_eq!((i.dim, i.pow10, i.scale()), (Dim::CURRENT, Rational::ZERO, 1.0));
    assert_eq!(unit("nS*mV"), unit("pA"));
    assert_eq!(unit("mV/pA").dim, Dim::RESISTANCE);
    assert_eq!(unit("Gohm"), lookup_unit("GΩ").unwrap());
    assert_eq!(unit("mV/pA").pow10, unit("Gohm").pow10);
    assert_eq!(Dim::VOLTAGE.si_per_internal(), 1e-3);
    assert_eq!(Dim::CONDUCTANCE.si_per_internal(), 1e-9);
    assert_eq!(Dim::CONCENTRATION.si_per_internal(), 1.0);
    assert_eq!(Dim::VOLTAGE.uom_exponents(), Some([2, 1, -3, -1, 0, 0, 0]));
    let noise = unit("mV/ms^(1/2)").dim;
    assert_eq!(noise.exponents_i32(), None);
    assert_eq!(noise * noise, unit("mV^2/ms").dim);
    assert_eq!(Dim::CURRENT / Dim::VOLTAGE, Dim::CONDUCTANCE);
    assert_eq!(unit("mV^0.5").dim, Dim::VOLTAGE.pow(Rational::new(1, 2)));
    assert_eq!(unit("mV/ms/ms").dim, Dim::VOLTAGE / Dim::TIME.pow(Rational::from_int(2)));
    assert_eq!(unit("1 / ms"), unit("/ms"));
    assert_eq!(unit("m^(-2)").dim, Dim::AREA.recip());
}

#[test]
fn symbol_ambiguities() {
    let p = |s: &str| lookup_unit(s).map(|u| (u.dim, u.pow10.num, u.factor));
    assert_eq!(p("m"), Some((Dim::LENGTH, 6, 1.0)));
    assert_eq!(p("mm"), Some((Dim::LENGTH, 3, 1.0)));
    assert_eq!(p("ms"), Some((Dim::TIME, 0, 1.0)));
    assert_eq!(p("mS"), Some((Dim::CONDUCTANCE, 6, 1.0)));
    assert_eq!(p("M"), Some((Dim::CONCENTRATION, 3, 1.0)));
    assert_eq!(p("mM"), Some((Dim::CONCENTRATION, 0, 1.0)));
    assert_eq!(p("MV"), Some((Dim::VOLTAGE, 9, 1.0)));
    assert_eq!(p("min"), Some((Dim::TIME, 3, 60.0)));
    assert_eq!(p("mol"), Some((Dim::AMOUNT, 18, 1.0)));
    assert_eq!(p("mmol"), Some((Dim::AMOUNT, 15, 1.0)));
    assert_eq!(p("kHz"), Some((Dim::FREQUENCY, 0, 1.0)));
    for same in ["μV", "uV", "microvolt", "microvolts"] {
        assert_eq!(p(same), p("µV"), "{same}");
    }
    assert_eq!(p("milliseconds"), p("ms"));
    assert_eq!(p("siemens"), p("S"));
    assert_eq!((p("mv"), p("xyz"), p("mmm"), p("T")), (None, None, None, None));
}

#[test]
fn descriptions() {
    let d = |d: Dim| d.describe();
    assert_eq!(d(Dim::VOLTAGE / Dim::TIME), "voltage per time (mV/ms)");
    assert_eq!(d(Dim::CURRENT), "current (pA)");
    assert_eq!(d(Dim::CURRENT / Dim::TIME), "current per time (pA/ms)");
    assert_eq!(d(Dim::DIMENSIONLESS), "dimensionless");
    assert_eq!(d(Dim::FREQUENCY), "inverse time (1/ms)");
    assert_eq!(d(Dim::FREQUENCY / Dim::VOLTAGE), "inverse time per voltage (1/(ms*mV))");
    assert_eq!(d(Dim::VOLTAGE.recip()), "inverse voltage (1/mV)");
    assert_eq!(d(Dim::RESISTANCE), "resistance (GΩ)");
    assert_eq!(d(CD), "conductance density (nS/µm^2)");
    assert_eq!(d(CD / Dim::TIME), "conductance density per time (nS/(µm^2*ms))");
    assert_eq!(d(Dim::MASS), "mass (ng)");
    let noise = Dim::VOLTAGE / Dim::TIME.pow(Rational::new(1, 2));
    assert_eq!((d(noise), noise.to_string()), ("dimension mV/ms^(1/2)".into(), "mV/ms^(1/2)".into()));
    assert_eq!(Dim::DIMENSIONLESS.internal_unit(), "1");
    assert_eq!(Dim::VOLTAGE.pow(Rational::from_int(2)).internal_unit(), "mV^2");
    assert_eq!((Dim::MASS * Dim::LENGTH).internal_unit(), "mV*pA*ms^3/µm");
    assert_eq!(d(Dim::CURRENT.recip()), "dimension 1/pA");
}

#[test]
fn suggestions() {
    assert_eq!(closest("mv", COMMON_UNITS.iter().copied()), Some("mV"));
    assert_eq!(closest("g_nq", ["g_na", "g_k"]), Some("g_na"));
    assert_eq!(closest("tua", ["v", "tau"]), Some("tau"));
    assert_eq!(closest("xyz", ["g_na", "g_k"]), None);
}

#[test]
fn errors() {
    let (msg, notes, span) = err("1/mv");
    assert_eq!((msg.as_str(), span), ("unknown unit `mv`", (2, 4)));
    assert_eq!(notes[0], "help: did you mean `mV`?");
    assert!(notes[1].starts_with("units are SI symbols"));
    assert_eq!(err("qq").1.len(), 1);
    let m = |u: &str| {
        let (msg, _, span) = err(u);
        (msg.split_once(": ").unwrap().1.to_string(), span)
    };
    assert_eq!(err("mV/").0, "malformed unit `mV/`: expected a unit after `/`");
    assert_eq!(m("mV/"), ("expected a unit after `/`".into(), (2, 3)));
    assert_eq!(m("(ms"), ("expected `)`".into(), (1, 3)));
    let over = "a dimension can only be raised to a fraction whose denominator is at most 12";
    assert_eq!(err("mV*ms^(1/13)").0, format!("cannot raise `ms` to the power 1/13: {over}"));
    assert_eq!(err("mV*ms^(1/13)").2, (3, 12));
    assert_eq!(err("(ms^0.5)^(1/7)").0, format!("cannot raise `ms^(1/2)` to the power 1/7: {over}"));
    assert_eq!(err("ms^0.123").0, format!("cannot raise `ms` to the power 123/1000: {over}"));
    assert_eq!(unit("ms^(1/12)").dim.0[0], Rational::new(1, 12));
    assert_eq!(unit("(ms^(1/2))^(2/3)").dim, unit("ms^(1/3)").dim);
    assert_eq!(m("ms)"), ("unmatched `)`".into(), (2, 3)));
    assert_eq!(m("2/ms").1, (0, 1));
    assert_eq!(m("ms^").0, "expected an exponent after `^`");
    assert_eq!(m("m$V"), ("unexpected `$`".into(), (1, 2)));
    assert_eq!(m(""), ("expected a unit".into(), (0, 0)));
    let q = |text: &str| Quantity { text: text.into(), negative: false, unit: None, span: at(0, 0) };
    assert_eq!(quantity_value(&q("1.2.3")).unwrap_err().message, "`1.2.3` is not a number");
    assert!(quantity_value(&q("1e400")).unwrap_err().message.contains("out of range"));
}
