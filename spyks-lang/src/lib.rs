//! The spyks model language: the compiler behind `neuron_model!` and `include_model!`.
//!
//! Front ends ([`parse_tokens`] for inline models, [`yaml`] for spyks files) produce a
//! [`ast::ModelAst`]; [`check`] resolves names, checks dimensions and converts units into a
//! [`ir::Model`]; [`diff`] differentiates symbolically; [`codegen`] writes Rust. Every stage
//! collects all its errors ([`diag::Ctxt`]) so one compile reports them all.

pub mod ast;
pub mod check;
pub mod codegen;
pub mod codegen_tables;
pub mod diag;
pub mod diff;
pub mod divisors;
pub mod eval;
pub mod fallback;
pub mod ir;
pub mod linearity;
pub mod parse_tokens;
pub mod pyexpr;
pub mod span;
pub mod tabulate;
pub mod units;
pub mod yaml;
