//! Units and dimensions.
//!
//! Dimensions are vectors of rational exponents over six SI base dimensions (time, length,
//! mass, current, temperature, amount); rational so that a noise intensity in mV/sqrt(ms) is
//! expressible. Every quantity is converted at compile time into one coherent internal system
//! whose units are ms, mV, pA, nS, pF, µm and mM (pF·mV/ms = pA, nS·mV = pA). Its base scales
//! (SI value of one internal unit) are: time 1e-3 s, length 1e-6 m, mass 1e-12 kg,
//! current 1e-12 A, temperature 1 K, amount 1e-18 mol (so mol/µm³·1e-18 = 1 mM).

mod parse;

pub use self::parse::{parse_unit_text, split_quantity_text};

use crate::ast::{Quantity, UnitExpr};
use crate::diag::Diagnostic;
use std::fmt;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// A rational number in lowest terms with a positive denominator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rational {
    /// Numerator.
    pub num: i32,
    /// Denominator, > 0.
    pub den: i32,
}

/// A physical dimension: exponents of time, length, mass, current, temperature, amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Dim(pub [Rational; 6]);

/// A unit after evaluation: its dimension and how to convert a number written in it into
/// internal units: `internal = written × factor × 10^pow10`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnitValue {
    /// The dimension.
    pub dim: Dim,
    /// Power-of-ten part of the conversion factor (exact).
    pub pow10: Rational,
    /// Remaining factor (1.0 for all SI-prefixed units; 60 for `min`, ...).
    pub factor: f64,
}

/// The largest denominator of a dimension's exponent: `ms^(1/2)` and `m^(2/3)` are
/// dimensions, `ms^(1/13)` is refused (in unit strings and in expressions alike).
pub const MAX_DENOMINATOR: i32 = 12;

impl Rational {
    /// Zero.
    pub const ZERO: Rational = Rational::from_int(0);
    /// One.
    pub const ONE: Rational = Rational::from_int(1);

    /// `num/den` in lowest terms. `den` must not be 0 (a debug assertion; 0 in release builds).
    pub fn new(num: i32, den: i32) -> Self {
        Self::from_i64(num.into(), den.into())
    }

    fn from_i64(n: i64, d: i64) -> Self {
        debug_assert!(d != 0, "Rational with a zero denominator");
        let (mut a, mut b) = (n.abs(), d.abs());
        while b != 0 {
            (a, b) = (b, a % b);
        }
        let g = a.max(1) * d.signum();
        if d == 0 { Rational::ZERO } else { Rational { num: (n / g) as i32, den: (d / g) as i32 } }
    }

    /// The integer `n`.
    pub const fn from_int(n: i32) -> Self {
        Rational { num: n, den: 1 }
    }

    /// Whether the denominator is 1.
    pub fn is_integer(self) -> bool {
        self.den == 1
    }

    /// The value as a float.
    pub fn to_f64(self) -> f64 {
        f64::from(self.num) / f64::from(self.den)
    }

    /// The absolute value.
    pub fn abs(self) -> Self {
        Rational { num: self.num.abs(), den: self.den }
    }
}

impl Add for Rational {
    type Output = Rational;
    fn add(self, o: Rational) -> Rational {
        let (a, b, c, d) = (self.num as i64, self.den as i64, o.num as i64, o.den as i64);
        Rational::from_i64(a * d + c * b, b * d)
    }
}

impl Sub for Rational {
    type Output = Rational;
    fn sub(self, o: Rational) -> Rational {
        self + -o
    }
}

impl Mul for Rational {
    type Output = Rational;
    fn mul(self, o: Rational) -> Rational {
        Rational::from_i64(self.num as i64 * o.num as i64, self.den as i64 * o.den as i64)
    }
}

impl Neg for Rational {
    type Output = Rational;
    fn neg(self) -> Rational {
        Rational { num: -self.num, den: self.den }
    }
}

impl fmt::Display for Rational {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.den {
            1 => write!(f, "{}", self.num),
            d => write!(f, "{}/{d}", self.num),
        }
    }
}

/// log10 of the SI value of one internal unit of each base dimension.
const BASE_POW10: [i32; 6] = [-3, -6, -12, -12, 0, -18];

impl Dim {
    /// A dimension from integer exponents of time, length, mass, current, temperature, amount.
    pub const fn new(e: [i32; 6]) -> Dim {
        let r = Rational::from_int;
        Dim([r(e[0]), r(e[1]), r(e[2]), r(e[3]), r(e[4]), r(e[5])])
    }
    /// No dimension.
    pub const DIMENSIONLESS: Dim = Dim::new([0, 0, 0, 0, 0, 0]);
    /// Time (internal unit ms).
    pub const TIME: Dim = Dim::new([1, 0, 0, 0, 0, 0]);
    /// Length (µm).
    pub const LENGTH: Dim = Dim::new([0, 1, 0, 0, 0, 0]);
    /// Mass (ng).
    pub const MASS: Dim = Dim::new([0, 0, 1, 0, 0, 0]);
    /// Electric current (pA).
    pub const CURRENT: Dim = Dim::new([0, 0, 0, 1, 0, 0]);
    /// Temperature (K).
    pub const TEMPERATURE: Dim = Dim::new([0, 0, 0, 0, 1, 0]);
    /// Amount of substance (amol).
    pub const AMOUNT: Dim = Dim::new([0, 0, 0, 0, 0, 1]);
    /// Voltage, M L² T⁻³ I⁻¹ (mV).
    pub const VOLTAGE: Dim = Dim::new([-3, 2, 1, -1, 0, 0]);
    /// Conductance, current per voltage (nS).
    pub const CONDUCTANCE: Dim = Dim::new([3, -2, -1, 2, 0, 0]);
    /// Capacitance, charge per voltage (pF).
    pub const CAPACITANCE: Dim = Dim::new([4, -2, -1, 2, 0, 0]);
    /// Electric charge, current × time (fC).
    pub const CHARGE: Dim = Dim::new([1, 0, 0, 1, 0, 0]);
    /// Resistance, voltage per current (GΩ).
    pub const RESISTANCE: Dim = Dim::new([-3, 2, 1, -2, 0, 0]);
    /// Frequency or rate, inverse time (1/ms).
    pub const FREQUENCY: Dim = Dim::new([-1, 0, 0, 0, 0, 0]);
    /// Area (µm²).
    pub const AREA: Dim = Dim::new([0, 2, 0, 0, 0, 0]);
    /// Volume (µm³).
    pub const VOLUME: Dim = Dim::new([0, 3, 0, 0, 0, 0]);
    /// Concentration, amount per volume (mM).
    pub const CONCENTRATION: Dim = Dim::new([0, -3, 0, 0, 0, 1]);

    /// This dimension raised to a rational power.
    pub fn pow(self, r: Rational) -> Dim {
        Dim(self.0.map(|e| e * r))
    }

    /// This dimension raised to `r`, if every exponent keeps a denominator of at most
    /// [`MAX_DENOMINATOR`] (the rule of powers for expressions and unit strings alike; the
    /// exponents then never overflow, however often powers are nested).
    pub fn checked_pow(self, r: Rational) -> Option<Dim> {
        let d = self.pow(r);
        d.0.iter().all(|e| e.den <= MAX_DENOMINATOR).then_some(d)
    }

    /// The inverse dimension.
    pub fn recip(self) -> Dim {
        Dim(self.0.map(|e| -e))
    }

    /// Whether all exponents are zero.
    pub fn is_dimensionless(&self) -> bool {
        *self == Dim::DIMENSIONLESS
    }

    /// The exponents (time, length, mass, current, temperature, amount), if all are integers.
    pub fn exponents_i32(&self) -> Option<[i32; 6]> {
        self.0.iter().all(|e| e.is_integer()).then(|| self.0.map(|e| e.num))
    }

    /// The exponents in uom's ISQ order (L, M, T, I, Th, N, J), if all are integers.
    pub fn uom_exponents(&self) -> Option<[i32; 7]> {
        let [t, l, m, i, th, n] = self.exponents_i32()?;
        Some([l, m, t, i, th, n, 0])
    }

    /// log10 of [`Dim::si_per_internal`] (exact).
    fn internal_pow10(&self) -> Rational {
        (0..6).fold(Rational::ZERO, |acc, i| acc + self.0[i] * Rational::from_int(BASE_POW10[i]))
    }

    /// The SI value of one internal unit of this dimension (`internal = si / si_per_internal`).
    pub fn si_per_internal(&self) -> f64 {
        pow10_f64(self.internal_pow10())
    }

    /// Writes `self` as `NAMED[i] × time^k × voltage^v`: an exact table entry if possible, else
    /// the form with no voltage factor, then `v = -1`, then `v = 1`, and the smallest `|k|`.
    fn analyse(&self) -> Option<(usize, Rational, i32)> {
        if let Some(i) = NAMED.iter().position(|n| n.3 == *self) {
            return Some((i, Rational::ZERO, 0));
        }
        [0, -1, 1].into_iter().find_map(|v| {
            let rest = *self / Dim::VOLTAGE.pow(Rational::from_int(v));
            let found = NAMED.iter().enumerate().filter_map(|(i, &(_, _, _, x))| {
                // Skip forms such as `ms*ms`, `mV*mV` or `GΩ/mV` (which is 1/pA).
                let skip = x == Dim::TIME || v != 0 && (x == Dim::VOLTAGE || x.0[2].num * v < 0);
                let k = (rest / x).0;
                (!skip && k[1..].iter().all(|e| *e == Rational::ZERO)).then_some((i, k[0], v))
            });
            found.min_by(|a, b| a.1.abs().to_f64().total_cmp(&b.1.abs().to_f64()))
        })
    }

    /// The unit of this dimension in the internal system, e.g. `mV/ms`, `nS`, `pA/µm^2`,
    /// `1/(ms*mV)`, `mV/ms^(1/2)`; `1` when dimensionless.
    pub fn internal_unit(&self) -> String {
        let (mut num, mut den) = (Vec::new(), Vec::new());
        let r = Rational::from_int;
        let factors = match self.analyse() {
            Some((i, k, v)) => {
                let (_, n, d, _) = NAMED[i];
                num.extend((!n.is_empty()).then(|| n.to_string()));
                den.extend((!d.is_empty()).then(|| d.to_string()));
                vec![("ms", k), ("mV", r(v))]
            }
            None => {
                // Mass only appears through the voltage: write it as mV^m and fix the rest.
                let [t, l, m, i, th, n] = self.0;
                let (ms, um) = (t + r(3) * m, l - r(2) * m);
                vec![("mV", m), ("pA", i + m), ("ms", ms), ("µm", um), ("K", th), ("amol", n)]
            }
        };
        for (sym, e) in factors {
            let (list, e) = if e.num > 0 { (&mut num, e) } else { (&mut den, -e) };
            match e {
                Rational::ZERO => {}
                Rational::ONE => list.push(sym.to_string()),
                e if e.den == 1 => list.push(format!("{sym}^{e}")),
                e => list.push(format!("{sym}^({e})")),
            }
        }
        let top = if num.is_empty() { "1".to_string() } else { num.join("*") };
        match den.len() {
            0 => top,
            1 => format!("{top}/{}", den[0]),
            _ => format!("{top}/({})", den.join("*")),
        }
    }

    /// The quantity's name, e.g. `voltage per time`, `current`, `inverse time`,
    /// `dimensionless`, if the dimension has one.
    pub fn name(&self) -> Option<String> {
        self.analyse().and_then(|(i, k, v)| {
            let time = match (k.num, k.den) {
                (0, _) => "",
                (-1, 1) => "per time",
                (-2, 1) => "per time squared",
                (1, 1) => "times time",
                (2, 1) => "times time squared",
                _ => return None,
            };
            let volt = ["per voltage", "", "times voltage"][(v + 1) as usize];
            let words: Vec<_> = [NAMED[i].0, time, volt].into_iter().filter(|w| !w.is_empty()).collect();
            let words = words.join(" ").replacen("dimensionless per ", "inverse ", 1);
            Some(words.replacen("dimensionless times ", "", 1))
        })
    }

    /// A description naming the quantity and its internal unit, e.g. `voltage per time (mV/ms)`,
    /// `current (pA)`, `inverse time (1/ms)`, `dimensionless`; `dimension <unit>` when the
    /// dimension has no name.
    pub fn describe(&self) -> String {
        let unit = self.internal_unit();
        match self.name() {
            Some(n) if n == "dimensionless" => n,
            Some(n) => format!("{n} ({unit})"),
            None => format!("dimension {unit}"),
        }
    }
}

/// Named dimensions: (name, numerator unit, denominator unit, dimension). Index 0 must be
/// dimensionless.
const NAMED: &[(&str, &str, &str, Dim)] = &[
    ("dimensionless", "", "", Dim::DIMENSIONLESS),
    ("time", "ms", "", Dim::TIME),
    ("voltage", "mV", "", Dim::VOLTAGE),
    ("current", "pA", "", Dim::CURRENT),
    ("conductance", "nS", "", Dim::CONDUCTANCE),
    ("capacitance", "pF", "", Dim::CAPACITANCE),
    ("charge", "fC", "", Dim::CHARGE),
    ("resistance", "GΩ", "", Dim::RESISTANCE),
    ("concentration", "mM", "", Dim::CONCENTRATION),
    ("current density", "pA", "µm^2", Dim::new([0, -2, 0, 1, 0, 0])),
    ("conductance density", "nS", "µm^2", Dim::new([3, -4, -1, 2, 0, 0])),
    ("capacitance density", "pF", "µm^2", Dim::new([4, -4, -1, 2, 0, 0])),
    ("length", "µm", "", Dim::LENGTH),
    ("area", "µm^2", "", Dim::AREA),
    ("volume", "µm^3", "", Dim::VOLUME),
    ("temperature", "K", "", Dim::TEMPERATURE),
    ("amount", "amol", "", Dim::AMOUNT),
    ("mass", "ng", "", Dim::MASS),
];

impl Mul for Dim {
    type Output = Dim;
    fn mul(self, o: Dim) -> Dim {
        Dim(std::array::from_fn(|i| self.0[i] + o.0[i]))
    }
}

impl Div for Dim {
    type Output = Dim;
    fn div(self, o: Dim) -> Dim {
        Dim(std::array::from_fn(|i| self.0[i] - o.0[i]))
    }
}

impl fmt::Display for Dim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.internal_unit())
    }
}

/// 10^r as a float, correctly rounded for integer `r`.
fn pow10_f64(r: Rational) -> f64 {
    if r.is_integer() { format!("1e{}", r.num).parse().unwrap_or(f64::NAN) } else { 10f64.powf(r.to_f64()) }
}

impl UnitValue {
    /// The dimensionless unit 1.
    pub const ONE: UnitValue = UnitValue { dim: Dim::DIMENSIONLESS, pow10: Rational::ZERO, factor: 1.0 };

    /// The unit whose SI value is `factor × 10^si_pow10` (SI base units) of dimension `dim`.
    pub fn from_si(dim: Dim, si_pow10: i32, factor: f64) -> Self {
        UnitValue { dim, pow10: Rational::from_int(si_pow10) - dim.internal_pow10(), factor }
    }

    /// This unit raised to a rational power.
    pub fn pow(self, r: Rational) -> Self {
        let factor = if r.is_integer() { self.factor.powi(r.num) } else { self.factor.powf(r.to_f64()) };
        UnitValue { dim: self.dim.pow(r), pow10: self.pow10 * r, factor }
    }

    /// The whole conversion factor `factor × 10^pow10` as a float.
    pub fn scale(&self) -> f64 {
        self.factor * pow10_f64(self.pow10)
    }
}

impl Mul for UnitValue {
    type Output = UnitValue;
    fn mul(self, o: UnitValue) -> UnitValue {
        let (dim, pow10) = (self.dim * o.dim, self.pow10 + o.pow10);
        UnitValue { dim, pow10, factor: self.factor * o.factor }
    }
}

impl Div for UnitValue {
    type Output = UnitValue;
    fn div(self, o: UnitValue) -> UnitValue {
        self * UnitValue { dim: o.dim.recip(), pow10: -o.pow10, factor: 1.0 / o.factor }
    }
}

/// Base units: (symbols, long names, dimension, log10 of the SI value).
const BASES: &[(&[&str], &[&str], Dim, i32)] = &[
    (&["s"], &["second", "sec"], Dim::TIME, 0),
    (&["V"], &["volt"], Dim::VOLTAGE, 0),
    (&["A"], &["ampere", "amp"], Dim::CURRENT, 0),
    (&["S"], &["siemens"], Dim::CONDUCTANCE, 0),
    (&["F"], &["farad"], Dim::CAPACITANCE, 0),
    (&["Ω", "ohm", "Ohm"], &["ohm"], Dim::RESISTANCE, 0),
    (&["m"], &["meter", "metre"], Dim::LENGTH, 0),
    (&["mol"], &["mole"], Dim::AMOUNT, 0),
    (&["M"], &["molar"], Dim::CONCENTRATION, 3),
    (&["K"], &["kelvin"], Dim::TEMPERATURE, 0),
    (&["Hz"], &["hertz"], Dim::FREQUENCY, 0),
    (&["g"], &["gram", "gramme"], Dim::MASS, -3),
    (&["C"], &["coulomb"], Dim::CHARGE, 0),
    (&["L", "l"], &["liter", "litre"], Dim::VOLUME, -3),
];

/// SI prefixes: symbols (`µ` and `μ` are read as `u`), long names and powers of ten.
const PREFIX_SYMBOLS: [&str; 11] = ["f", "p", "n", "u", "m", "c", "d", "k", "M", "G", "T"];
const PREFIX_NAMES: [&str; 11] = ["femto", "pico", "nano", "micro", "milli", "centi", "deci", "kilo", "mega", "giga", "tera"];
const PREFIX_POW10: [i32; 11] = [-15, -12, -9, -6, -3, -2, -1, 3, 6, 9, 12];

/// The unit written as `symbol` (`mV`, `uS`, `µm`, `Mohm`, `mM`, `Hz`, `min`, `millivolt`,
/// `seconds`, ...), or `None` if it is unknown. A whole symbol wins over a prefix split (`mol`,
/// `min`, `m`, `M`); long names (with long prefixes) may take a plural `s`.
pub fn lookup_unit(symbol: &str) -> Option<UnitValue> {
    if matches!(symbol, "min" | "minute" | "minutes") {
        return Some(UnitValue::from_si(Dim::TIME, 0, 60.0));
    }
    let micro = symbol.strip_prefix(['µ', 'μ']).map(|rest| format!("u{rest}"));
    let symbol = micro.as_deref().unwrap_or(symbol);
    let find = |s: &str, long: bool| BASES.iter().find(|b| if long { b.1 } else { b.0 }.contains(&s));
    let short = PREFIX_SYMBOLS.into_iter().zip(PREFIX_POW10).map(|(p, e)| (p, e, false));
    let long = PREFIX_NAMES.into_iter().zip(PREFIX_POW10).map(|(p, e)| (p, e, true));
    let all = [("", 0, false), ("", 0, true)].into_iter().chain(short).chain(long);
    all.into_iter().find_map(|(prefix, e, long)| {
        let rest = symbol.strip_prefix(prefix)?;
        let plural = || find(rest.strip_suffix('s')?, true).filter(|_| long);
        let base = find(rest, long).or_else(plural)?;
        Some(UnitValue::from_si(base.2, base.3 + e, 1.0))
    })
}

/// Units suggested when a unit symbol is misspelt.
const COMMON_UNITS: &[&str] = &[
    "ms", "s", "min", "mV", "uV", "V", "pA", "nA", "uA", "A", "nS", "uS", "mS", "S", "pF", "nF", "uF", "F", "um", "cm", "mm", "m", "mM",
    "uM", "M", "Hz", "kHz", "ohm", "kohm", "Mohm", "Gohm", "K", "mol", "g", "L",
];

/// Evaluates a unit expression into its dimension and conversion factor. An unknown symbol is an
/// error at its span, with a "did you mean" note when a common unit is close.
pub fn eval_unit(u: &UnitExpr) -> Result<UnitValue, Diagnostic> {
    Ok(match u {
        UnitExpr::Symbol(n) => lookup_unit(&n.name).ok_or_else(|| {
            let d = Diagnostic::new(n.span, format!("unknown unit `{}`", n.name));
            let d = match closest(&n.name, COMMON_UNITS.iter().copied()) {
                Some(c) => d.note(format!("help: did you mean `{c}`?")),
                None => d,
            };
            d.note(
                "units are SI symbols with an optional prefix p n u/µ m c k M G: \
                 s, V, A, S, F, ohm, m, mol, M (molar), K, Hz, g, C, L",
            )
        })?,
        UnitExpr::One(_) => UnitValue::ONE,
        UnitExpr::Mul(a, b) => eval_unit(a)? * eval_unit(b)?,
        UnitExpr::Div(a, b) => eval_unit(a)? / eval_unit(b)?,
        UnitExpr::Pow(a, r, _) => {
            let v = eval_unit(a)?;
            if v.dim.checked_pow(*r).is_none() {
                return Err(Diagnostic::new(u.span(), cannot_raise(&format!("`{}`", crate::ast::unit_to_text(a)), &r.to_string())));
            }
            v.pow(*r)
        }
    })
}

/// The message for a power that [`Dim::checked_pow`] refuses: `base` (as the message names it)
/// raised to `power` (as text).
pub(crate) fn cannot_raise(base: &str, power: &str) -> String {
    format!(
        "cannot raise {base} to the power {power}: a dimension can only be raised to a fraction whose denominator is at most {MAX_DENOMINATOR}"
    )
}

/// Optimal-string-alignment distance: Levenshtein plus adjacent transpositions.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d: Vec<Vec<usize>> = (0..=a.len()).map(|i| (i..=i + b.len()).collect()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let sub = d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = sub.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// The candidate closest to `word`, for "did you mean" notes: an exact match, else the first
/// case-insensitive match, else the nearest by edit distance (with transpositions) if that
/// distance is at most `max(1, len/3)` (`len` in characters of `word`); ties go to the first.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let cands: Vec<&'a str> = candidates.into_iter().collect();
    let lower = word.to_lowercase();
    let exact = cands.iter().find(|c| **c == word);
    if let Some(c) = exact.or_else(|| cands.iter().find(|c| c.to_lowercase() == lower)) {
        return Some(c);
    }
    let limit = (word.chars().count() / 3).max(1);
    let scored = cands.into_iter().map(|c| (edit_distance(word, c), c));
    scored.filter(|s| s.0 <= limit).min_by_key(|s| s.0).map(|s| s.1)
}

/// The value of a quantity in internal units, and its dimension. When the conversion is an
/// integer power of ten the decimal exponent of the literal is shifted and the result parsed
/// once, so `0.25 nF` gives exactly `250.0` (pF). `_` in the literal is ignored.
pub fn quantity_value(q: &Quantity) -> Result<(f64, Dim), Diagnostic> {
    let text: String = q.text.chars().filter(|c| *c != '_').collect();
    let (mant, exp) = text.split_once(['e', 'E']).unwrap_or((&text, "0"));
    let digits = mant.bytes().filter(u8::is_ascii_digit).count();
    let ok = digits > 0 && mant.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let exp = exp.parse::<i64>().ok().filter(|_| ok && digits + 1 >= mant.len());
    let exp = exp.ok_or_else(|| Diagnostic::new(q.span, format!("`{}` is not a number", q.text)))?;
    let unit = q.unit.as_ref().map_or(Ok(UnitValue::ONE), eval_unit)?;
    let parse = |e: i64| format!("{mant}e{e}").parse::<f64>().unwrap_or(f64::NAN);
    let value = match unit.pow10.is_integer() {
        true if unit.factor == 1.0 => parse(exp + i64::from(unit.pow10.num)),
        true => parse(exp + i64::from(unit.pow10.num)) * unit.factor,
        false => parse(exp) * unit.scale(),
    };
    if !value.is_finite() {
        return Err(Diagnostic::new(q.span, format!("the number `{}` is out of range", q.text)));
    }
    if value == 0.0 && mant.bytes().any(|b| matches!(b, b'1'..=b'9')) {
        return Err(Diagnostic::new(q.span, format!("the number `{}` is too small: it would be 0", q.text)));
    }
    Ok((if q.negative { -value } else { value }, unit.dim))
}

#[cfg(test)]
mod tests;
