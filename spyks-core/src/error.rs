//! Run-time errors: precise messages, never a panic on user input.

use crate::meta::VarInfo;

/// A variable name that the model does not have.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("unknown name `{name}`; the valid names are: {}", valid.join(", "))]
pub struct NameError {
    /// The name asked for.
    pub name: String,
    /// The names that exist.
    pub valid: Vec<&'static str>,
}

impl NameError {
    /// Builds the error from the name asked for and the variables that exist.
    pub fn new(name: &str, info: &'static [VarInfo]) -> Self {
        NameError { name: name.to_string(), valid: info.iter().map(|v| v.name).collect() }
    }
}

/// A slice of the wrong length where a whole vector was expected.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("expected {expected} values, found {found}")]
pub struct LengthError {
    /// The length required.
    pub expected: usize,
    /// The length given.
    pub found: usize,
}
