//! The model files shipped with the Python spyks 0.7, compiled unchanged by `include_model!`
//! (the files and their provenance are in `spyks-core/models/spyks/`).
//!
//! `adex.yml` cuts its spikes at `h` = 30 mV, far up the exponential term's blow-up (its
//! slope there is about 7e17 mV/ms), as suits spyks' own forward Euler with clip
//! ([`crate::spyks_euler`]), which steps over it. An adaptive method follows the blow-up
//! instead, and its step size collapses before V reaches the cut. For adaptive runs, lower
//! `h` to where the upstroke is still resolvable, such as `vt + 5·delt` (Brian2's choice in its
//! AdEx examples):
//!
//! ```
//! use spyks_core::integrate::Dopri5;
//! use spyks_core::presets::spyks::Adex;
//! use spyks_core::{Signal, Simulation, Stimulus};
//!
//! let mut m = Adex::new();
//! let stim = Stimulus::new().with("Iinj", Signal::Const(1000.0))?;
//! assert!(Simulation::new(&m, 100.0).stimulus(stim.clone()).run_adaptive(&Dopri5::new()).is_err());
//! m.params.h = m.params.vt + 5.0 * m.params.delt;
//! let run = Simulation::new(&m, 100.0).stimulus(stim).run_adaptive(&Dopri5::new())?;
//! assert!(run.spikes.len() > 3);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

crate::include_model!("../../models/spyks/adex.yml");
crate::include_model!("../../models/spyks/biocm.yml");
crate::include_model!("../../models/spyks/nakl.yml");
crate::include_model!("../../models/spyks/passive.yml");
crate::include_model!("../../models/spyks/passive_ei.yml");
crate::include_model!("../../models/spyks/pospischil.yml");
