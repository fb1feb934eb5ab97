//! spyks: dynamical neuron models with compile-time units.
//!
//! Write a model's equations once, with physical units; the compiler checks the dimensions,
//! converts every constant into one coherent internal system, and generates a model type with
//! inlined derivative, Jacobians (with respect to state and parameters), threshold and reset.
//!
//! This facade re-exports [`spyks_core`] (runtime traits and everything that runs) and the
//! macros [`neuron_model!`] and [`include_model!`].
//!
//! # A first model
//!
//! ```
//! use spyks::{NeuronModel, Vector};
//!
//! spyks::neuron_model! {
//!     /// Izhikevich (2003) simple model.
//!     pub model Izhikevich;
//!     parameters { a: 0.02 1/ms, b: 0.2 1/ms, c: -65 mV, d: 8 mV/ms }
//!     state { v: -65 mV, u: -13 mV/ms }
//!     inputs { I: 0 mV/ms }
//!     equations {
//!         dv/dt = 0.04 1/(ms*mV) * v^2 + 5 1/ms * v + 140 mV/ms - u + I,
//!         du/dt = a * (b*v - u),
//!     }
//!     threshold { v >= 30 mV }
//!     reset { v = c, u += d }
//! }
//!
//! let model = Izhikevich::new();
//! let x = model.initial_state();
//! let dx = model.derivative(0.0, &x, &IzhikevichInputs { I: 10.0 });
//! assert_eq!(dx.v, 0.04 * 65.0 * 65.0 - 5.0 * 65.0 + 140.0 + 13.0 + 10.0);
//! assert_eq!(IzhikevichState::INFO[0].unit, "mV");
//! ```
//!
//! # The model language
//!
//! A model is a header `model Name;` (with optional doc comments and visibility) followed by
//! sections in any order. Items are separated by commas.
//!
//! | section | items | meaning |
//! |---|---|---|
//! | `parameters { .. }` | `g_na: 120 mS/cm^2` | constants with defaults, changeable at run time |
//! | `state { .. }` | `v: -65 mV` | integrated variables with initial values |
//! | `inputs { .. }` | `I: 0 pA` | forcing (injected current, conductances, ...) |
//! | `expressions { .. }` | `I_na = g_na*m^3*h*(E_na - v)` | named intermediates, usable later and readable from outside |
//! | `equations { .. }` | `dv/dt = expr`, `m: inf = expr, tau = expr`, `m: alpha = expr, beta = expr` | one per state variable |
//! | `threshold { .. }` | `v >= v_th` | the spike condition (`&&`, `\|\|`, `!` combine conditions) |
//! | `reset { .. }` | `v = v_r, w += b` | applied in order, each seeing the values assigned before it |
//! | `clip { .. }` | `v <= v_peak`, `v >= v_min` | caps applied after each step |
//! | `refractory { .. }` | `period = t_ref, hold = [v]` | after a spike, `hold` variables keep their value for `period` |
//! | `tables { .. }` | `v: -100 mV .. 60 mV step 0.1 mV, cubic` | tabulate the rate functions of `v` (see below) |
//!
//! `inf/tau` means dX/dt = (inf - X)/tau and `alpha/beta` means dX/dt = alpha(1 - X) - beta X,
//! as in spyks.
//!
//! **Expressions**: `+ - * /`, powers `^` or `**` (right-associative, `-x^2` is `-(x^2)`),
//! comparisons `< <= > >= == !=`, `if c { a } else { b }` (with `else if` chains), the
//! functions `exp expm1 log log1p sqrt tanh cosh sinh abs min max pow heaviside` (with
//! `heaviside(0)` = 0.5), time `t`, the constants `pi` and `e` (a declared name takes
//! precedence), and the white-noise term `xi` (dimension 1/sqrt(time), only in equations,
//! entering linearly).
//!
//! **Units**: a number may be followed by a unit: `-65 mV`, `0.04 1/(ms*mV)`, `140 mV/ms`,
//! `2 (mS/cm^2)`, `-65mV`. Symbols are SI with an optional prefix (p n u/µ m c k M G):
//! `s V A S F ohm/Ω m mol M(molar) K Hz g C L`, combined with `*`, `/`, `^`/`**` and negative or
//! fractional exponents (`ms^-1`, `uA/cm**2`, `mV/ms^(1/2)`); inline, the micro sign `µ`
//! makes rustc warn `uncommon_codepoints`, which `u` and the Greek `μ` do not. In declarations
//! everything after the number is the unit; inside expressions a unit continues through `*`
//! and `/` as long as the next name is a unit and not a declared variable.
//!
//! **Checks at compile time**: each dX/dt has the dimension of X per time; both sides of
//! `+`, `-` and comparisons agree; arguments of `exp`, `log`, `tanh`, ... are dimensionless;
//! exponents of dimensioned quantities are constant; reset, clip and threshold compare like
//! with like. Errors name the quantities and units (`dv/dt has the dimension of current (pA),
//! expected voltage per time (mV/ms)`), point at the offending term, suggest the nearest name
//! for an unknown symbol, and all errors of a model are reported in one compile.
//!
//! **Lookup tables** (opt-in): `tables { v: -100 mV .. 60 mV step 0.1 mV }` (options `linear` or
//! `cubic`, and `exact`, `extend` or `clamp` outside the range; YAML: `tables: {V: {min: -100 mV,
//! max: 60 mV, step: 0.1 mV}}`) makes the compiler find every rate function of `v` alone (α, β,
//! inf, tau: subexpressions of `v` and parameters with an `exp`, `tanh`, ... or a division) and
//! read it from a table in `derivative` and `linear_coefficients`; Jacobians and the rest stay
//! exact. Tables are rebuilt when a parameter they use changes (every run checks), a stale table
//! is never read, and `set_tables(false)`, `set_table_spec` and `table_report()` switch them off,
//! change the step and measure the error. Accuracy and speed-up: `docs/lookup-tables.md`.
//!
//! # Internal units
//!
//! All generated code is plain f64 in one coherent system: **ms, mV, pA, nS, pF**, µm for
//! lengths and mM for concentrations (so pF·mV/ms = pA and nS·mV = pA). Conversion factors
//! are folded into constants at compile time, exactly where they are powers of ten: a
//! capacitance of `0.25 nF` becomes exactly `250.0`. Densities follow: `120 mS/cm^2` is
//! `1.2` nS/µm². Every spyks YAML file gives exactly the numbers spyks itself uses.
//!
//! # What a model gives you
//!
//! For `model Hh;` the macro generates `Hh` (holding `params: HhParams`) and the vectors
//! `HhState`, `HhParams`, `HhInputs` and `HhExprs`: plain structs with one public f64 field per
//! variable, `Default` from the declared values, [`Vector`] (index, name and slice access,
//! metadata in `INFO`), `to_svector`/`from_svector` (nalgebra), and typed accessors
//! `set_<name>`/`<name>_quantity` taking and returning [`uom`] quantities (the setter takes
//! the dimension's quantities of any uom kind, such as `ElectricCurrentDensity` or a current
//! divided by an area; the getter returns uom's named type, such as `ElectricPotential`, where
//! the dimension has one):
//!
//! ```
//! use spyks::uom::si::f64::ElectricPotential;
//! use spyks::uom::si::electric_potential::volt;
//! use spyks::{NeuronModel, Vector};
//!
//! spyks::neuron_model! {
//!     model Lif;
//!     parameters { tau: 20 ms, E_l: -70 mV, v_th: -50 mV, v_r: -60 mV, R: 100 Mohm, t_ref: 2 ms }
//!     state { v: -70 mV }
//!     inputs { I: 0 pA }
//!     equations { dv/dt = (E_l - v + R*I) / tau }
//!     threshold { v >= v_th }
//!     reset { v = v_r }
//!     refractory { period = t_ref, hold = [v] }
//! }
//!
//! let mut lif = Lif::new();
//! lif.params.set_v_th(ElectricPotential::new::<volt>(-0.055)); // typed, any unit
//! assert_eq!(lif.params.v_th, -55.0);
//! lif.params.set("tau", 10.0).unwrap();                       // by name, internal units
//! assert!(lif.params.set("tua", 10.0).is_err());              // the error lists valid names
//! let p = lif.params.to_svector();                             // whole vector, declared order
//! assert_eq!(p[0], 10.0);
//! // 100 MΩ · 200 pA = 20 mV of drive over 10 ms.
//! let dv = lif.derivative(0.0, &LifState { v: -70.0 }, &LifInputs { I: 200.0 }).v;
//! assert!((dv - 2.0).abs() < 1e-12);
//! ```
//!
//! [`NeuronModel`] then provides the derivative, the noise coefficients, the Jacobians
//! ∂f/∂x and ∂f/∂p (symbolic, column-major), the exponential-Euler split dX/dt = A + B·X for
//! every variable that is linear in itself, the named expressions, the threshold (as a condition
//! and as a continuous crossing function for event location), reset, clip and the refractory
//! period.
//!
//! # Models from spyks YAML files
//!
//! `include_model!("nakl.yml")` reads a model in the format of the Python spyks 0.7 (every
//! file it accepts, including `base:` derived models, `inf/tau`, `alpha/beta`, `reset` with
//! or without `clip`, Pint units and Python operator precedence; as with Pint, a plain `0` in an
//! expression fits any unit, while other constants with a unit are parameters, since spyks
//! expressions carry no units). The path is relative to the
//! invoking file and editing the file triggers a rebuild; errors name the file, line and
//! column with a snippet. The type is named after `name:` in UpperCamelCase, or
//! `include_model!("nakl.yml" as NaKL)`.

pub use spyks_core::*;
pub use spyks_macros::{include_model, neuron_model};

/// The runtime crate, also reachable as `spyks::core`.
pub use spyks_core as core;

/// Every Rust snippet of the README, compiled and run as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
