//! The YAML front end: reads a model file in the format of the Python tool spyks 0.7
//! (`include_model!("nakl.yml")`) into a [`ModelAst`].
//!
//! Top-level keys: `name` (required; the Rust type is its UpperCamelCase form, `passive_ei` →
//! `PassiveEi`), `description` (required; the type's doc, followed by `author` and `comments`),
//! `version` (number or string, ignored), `state`, `parameters` and `forcing` (ordered mappings
//! `name: quantity`; a quantity is a YAML number or a string `"number unit"`, read as Pint reads
//! it: `-70*mV` is `-70 mV` and a unit alone such as `uA/cm**2` is one of it), `equations` (per
//! state variable: an expression for dX/dt, `{inf, tau}` or `{alpha, beta}`), `reset`
//! (`predicate`, ordered `state` assignments, optional `clip`) and `base` (a derived model: the
//! file `<base>.yml` next to this one, with the `parameters` and `state` values this file lists
//! as new defaults, in any unit of the same dimension; without `name` or `description` it keeps
//! the base model's, as spyks does). Other keys are free text and ignored,
//! except near-misspellings of known keys (`equation`, `forcings`), which are errors. Anchors
//! and aliases work; merge keys (`<<: *defaults`) and duplicate keys are errors.
//!
//! Expressions are Python/SymPy syntax ([`crate::pyexpr`]) and carry no units. Their numbers
//! are dimensionless, except a plain `0`, which fits any unit as with Pint (`V >= 0` with `V` in
//! mV, a reset to `0`, a `Piecewise` branch `0`); another constant with a dimension is a
//! parameter (`V_th: -50 mV`). spyks does not check the units of `reset` at all; here they are
//! checked like the equations'.
//!
//! Extensions over spyks: `refractory: {period: "2 ms", hold: [V]}` (the period is a quantity
//! or an expression such as `t_ref`; `hold` a list of state variables, or one); `reset` without
//! `clip`; a missing `forcing` (no inputs); `version` as a string; `tables: {V: {min: -100 mV,
//! max: 60 mV, step: 0.05 mV, interpolation: linear, outside: exact}}` (lookup tables for the
//! rate functions of `V`; `interpolation` and `outside` are optional).
//!
//! Deliberate differences from spyks, each an error with its place unless said otherwise:
//! `t`, `xi` and Rust keywords cannot be declared; SymPy's names have no meaning of their own
//! (`E`, `I`, `beta` and `gamma` can be declared, and an undeclared `E` is unknown, not Euler's
//! number); `==` compares values (SymPy's `V == h` is structural and always false); an equation
//! mapping has exactly the keys `inf` and `tau` or `alpha` and `beta` (spyks ignores other keys
//! and prefers `alpha`/`beta` when given all four); a clip bound may not depend on the state; a
//! derived model may not set `equations`, `forcing` or `reset`, nor override a name its base does
//! not declare (spyks ignores both); and, accepted where spyks refuses, equations in another
//! order than `state`, declared but unused names, and time `t` in expressions.
//!
//! Every error carries a [`TextSpan`] into a registered [`Source`], so it renders as
//! `file:line:col` with a snippet. The whole file is one source (for keys and values); each
//! expression string is a source of its own, so errors inside it point at the sub-expression.
//! Positions are exact for plain scalars, block scalars (`>` and `|`, whose raw text is used:
//! line breaks and indentation are whitespace to an expression) and quoted scalars without
//! escapes; for quoted scalars with escape sequences they are approximate (the unescaped text
//! is shown, starting at the opening quote's line and column).

use crate::ast::*;
use crate::diag::{Ctxt, Diagnostic};
use crate::pyexpr::parse_py_expr;
use crate::span::{Name, Source, Sources, Span, TextSpan};
use crate::units;
use proc_macro2::Span as TokenSpan;
use serde_saphyr::granit_parser::{Event, Options, Parser, ScalarStyle, ScanError, StructureStyle};
use std::path::{Path, PathBuf};

mod base;
mod loader;
mod model;
mod tables;
mod tree;

/// A model read from a YAML file.
#[derive(Clone, Debug)]
pub struct LoadedYaml {
    /// The model.
    pub ast: ModelAst,
    /// Every file that was read: the model file first (when loaded with [`load_model_file`]),
    /// then its `base` files, so that the macro can make edits to them trigger a rebuild.
    pub files: Vec<PathBuf>,
}

/// Reads and parses the model file at `path`. `display` is the path as the user wrote it; it
/// names the file in every message (never the absolute path). Errors go into `ctxt`; `None`
/// when nothing useful could be read (an unreadable file, a YAML syntax error).
pub fn load_model_file(path: &Path, display: &str, call_site: TokenSpan, sources: &mut Sources, ctxt: &Ctxt) -> Option<LoadedYaml> {
    model::load_path(path, display, call_site, sources, ctxt)
}

/// Parses a model from `text`; `display` names it in messages and `dir` is the folder where
/// `base:` files are looked up (`None`: a `base:` key is an error). Errors go into `ctxt`;
/// `None` when nothing useful could be read (a YAML syntax error, a top level that is not a
/// mapping, a base model that cannot be loaded).
pub fn parse_model_str(
    text: &str,
    display: &str,
    dir: Option<&Path>,
    call_site: TokenSpan,
    sources: &mut Sources,
    ctxt: &Ctxt,
) -> Option<LoadedYaml> {
    let mut stack = Vec::new();
    model::parse_text(text, display, dir, call_site, sources, ctxt, &mut stack)
}
