//! Errors of network construction and runs: every message names the population, projection,
//! variable or index at fault.

use crate::error::{NameError, SimError};

/// Why a network could not be built or run.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum NetworkError {
    /// A name that the population's model does not have (or not of the kind asked for).
    #[error("population `{population}`: {source}")]
    Name {
        /// The population.
        population: String,
        /// The name and the valid names.
        #[source]
        source: NameError,
    },
    /// A neuron index outside a population or view.
    #[error("{context}: index {index} is out of range for {len} neurons")]
    Index {
        /// Where the index was given.
        context: String,
        /// The index.
        index: usize,
        /// The number of neurons.
        len: usize,
    },
    /// An array whose length does not match what it describes.
    #[error("{context}: expected {expected} values, found {found}")]
    Length {
        /// What the array describes.
        context: String,
        /// The length required.
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// A value outside its allowed range (probability, delay, time step, ...).
    #[error("{context}: {value} is invalid: {reason}")]
    Invalid {
        /// What the value is.
        context: String,
        /// The value.
        value: f64,
        /// Why it is invalid.
        reason: String,
    },
    /// A request that cannot be met, with no value at fault (an input the population does
    /// not have, synapses onto a spike source, an empty selection).
    #[error("{context}: {reason}")]
    Rejected {
        /// What was asked for.
        context: String,
        /// Why it cannot be done.
        reason: String,
    },
    /// A handle that belongs to no population or projection of this network.
    #[error("no {what} with id {id} in this network")]
    UnknownId {
        /// "population", "projection" or "monitor".
        what: &'static str,
        /// The id.
        id: usize,
    },
    /// A handle made by another network (ids are numbered per network, so this one's number
    /// would name something else here).
    #[error("{what} id {id} belongs to another network")]
    ForeignId {
        /// "population", "projection", "spike monitor", "state monitor" or "rate monitor".
        what: &'static str,
        /// The id's number in the network that made it.
        id: usize,
    },
    /// A named expression a state monitor records was NaN in one neuron while its state was
    /// finite: the expression is undefined there (see [`SimError::UndefinedExpression`]).
    #[error("population `{population}`, neuron {neuron}: {}", SimError::UndefinedExpression { t: *t, name })]
    UndefinedExpression {
        /// The population.
        population: String,
        /// The neuron (index in its population).
        neuron: usize,
        /// The expression.
        name: &'static str,
        /// The sample's time (ms).
        t: f64,
    },
    /// A state variable became NaN or infinite in one neuron.
    #[error("population `{population}`, neuron {neuron}: state variable `{var}` became {value} at t = {t} ms")]
    NonFinite {
        /// The population.
        population: String,
        /// The neuron (index in its population).
        neuron: usize,
        /// The variable.
        var: &'static str,
        /// Its value.
        value: f64,
        /// Time (ms) at the end of the step that produced it.
        t: f64,
    },
    /// An error of the single-neuron machinery (integrator, parameters, files).
    #[error("{context}: {source}")]
    Sim {
        /// Where it happened.
        context: String,
        /// The underlying error.
        #[source]
        source: SimError,
    },
    /// Exchanging spikes between ranks failed.
    #[error("spike exchange failed: {0}")]
    Communication(String),
}

impl NetworkError {
    pub(crate) fn invalid(context: impl Into<String>, value: f64, reason: impl Into<String>) -> Self {
        NetworkError::Invalid { context: context.into(), value, reason: reason.into() }
    }
    pub(crate) fn rejected(context: impl Into<String>, reason: impl Into<String>) -> Self {
        NetworkError::Rejected { context: context.into(), reason: reason.into() }
    }
    pub(crate) fn name(population: &str, source: NameError) -> Self {
        NetworkError::Name { population: population.to_string(), source }
    }
    pub(crate) fn io(path: &std::path::Path, e: impl std::fmt::Display) -> Self {
        NetworkError::Sim {
            context: "writing monitor output".into(),
            source: SimError::Io { path: path.display().to_string(), message: e.to_string() },
        }
    }
}
