//! spyks-core: the runtime of spyks.
//!
//! Models come from the `neuron_model!` and `include_model!` macros (re-exported here), which
//! implement [`NeuronModel`] with inlined derivative, Jacobian, threshold and reset code.
//! All values are plain f64 in the internal units ms, mV, pA, nS, pF, µm and mM; the typed
//! API (`set_<name>` with [`uom`] quantities) converts at the boundary.

#![warn(missing_docs)]

// Lets the macros' absolute paths (`::spyks_core::...`) resolve inside this crate too.
extern crate self as spyks_core;

pub mod analysis;
pub mod error;
pub mod estimate;
pub mod integrate;
pub mod lanes;
pub mod math;
pub mod meta;
pub mod model;
pub mod network;
pub mod output;
#[cfg(feature = "plot")]
pub mod plot;
pub mod presets;
pub mod progress;
pub mod record;
pub mod simulate;
mod simulate_adaptive;
pub mod spyks_euler;
pub mod stimulus;
pub mod table;
pub mod vector;

pub use error::{LengthError, NameError, SimError};
pub use meta::{VarInfo, VarKind};
pub use model::NeuronModel;
pub use record::{RecordSpec, Stats, Trajectory};
pub use simulate::{Simulation, SpikeTiming};
pub use spyks_macros::{include_model, neuron_model};
pub use stimulus::{Interp, Signal, Stimulus};
pub use vector::Vector;

/// Re-exported so generated code and users share one version.
pub use nalgebra;
/// Re-exported so generated code and users share one version.
pub use uom;
