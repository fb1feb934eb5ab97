//! spyks: dynamical neuron models with compile-time units.
//!
//! This facade re-exports [`spyks_core`] (runtime traits, integrators, everything that runs)
//! and the model macros [`neuron_model!`] and [`include_model!`].

pub use spyks_core::*;
pub use spyks_macros::{include_model, neuron_model};

/// The runtime crate, also reachable as `spyks::core`.
pub use spyks_core as core;
