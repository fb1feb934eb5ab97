//! Integrate-and-fire models: leaky (current- and conductance-based), exponential, adaptive
//! exponential and quadratic, with parameter names as in the papers that introduced them
//! and defaults from the papers cited in each model's documentation.
//!
//! | model | equation | threshold, reset | defaults |
//! |---|---|---|---|
//! | [`Lif`] | τ_m dV/dt = E_L − V + R_m·I | V ≥ V_th → V_reset, held t_ref | Brette et al. (2007) |
//! | [`LifCuba`] | τ_m dv/dt = ge + gi − (v − E_l), ge, gi decay | v > v_t → v_r, held t_ref | Brette et al. (2007), CUBA |
//! | [`LifCond`] | C_m dV/dt = g_L(E_L − V) + g_e(E_e − V) + g_i(E_i − V) + I, g_e, g_i decay | V ≥ V_th → V_reset, held t_ref | Brette et al. (2007), COBA |
//! | [`Eif`] | C dV/dt = −g_L(V − E_L) + g_L·Δ_T·exp((V − V_T)/Δ_T) + I | V ≥ V_peak → V_r | Brette & Gerstner (2005) membrane |
//! | [`Adex`] | the EIF − w, τ_w dw/dt = a(V − E_L) − w | V ≥ V_peak → V_r, w += b | Brette & Gerstner (2005) |
//! | [`Qif`] | C dV/dt = k(V − V_rest)(V − V_c) + I | V ≥ V_peak → V_reset | Izhikevich (2007) membrane |
//!
//! [`naud2008`] holds the eight AdEx firing patterns of Naud et al. (2008) as named
//! parameter sets with their currents; [`crate::analysis::firing_pattern`] tells them apart.
//!
//! The models are written in the model language, like a user's model, and are integrated by
//! every method; the exponential models need an adaptive method (or a small step) to follow
//! the upswing to the cut-off:
//!
//! ```
//! use spyks_core::integrate::Dopri5;
//! use spyks_core::presets::integrate_and_fire::Adex;
//! use spyks_core::{NeuronModel, Signal, Simulation, Stimulus};
//!
//! let adex = Adex::new(); // Brette & Gerstner (2005)
//! let stim = Stimulus::new().with("I", Signal::Step { at: 20.0, before: 0.0, after: 1000.0 })?;
//! let run = Simulation::new(&adex, 220.0).stimulus(stim).run_adaptive(&Dopri5::new())?;
//! // Spike-frequency adaptation: every interval is longer than the one before.
//! let isi: Vec<f64> = run.spikes.windows(2).map(|s| s[1] - s[0]).collect();
//! assert!(isi.len() >= 5 && isi.windows(2).all(|d| d[1] > d[0]));
//! # Ok::<(), spyks_core::SimError>(())
//! ```

mod adex;
mod eif;
mod lif;
mod lif_cond;
mod lif_cuba;
pub mod naud2008;
mod qif;

pub use adex::*;
pub use eif::*;
pub use lif::*;
pub use lif_cond::*;
pub use lif_cuba::*;
pub use qif::*;
