//! Ensembles: one simulation run for each of many parameter vectors, in parallel.
//!
//! Fitting, sensitivity screens and uncertainty propagation all run the same protocol with
//! many parameter sets. Each member is an independent run of a model rebuilt from its
//! parameter vector ([`NeuronModel::with_params`], no allocation beyond the run's own and no
//! recompilation), so the members are spread over rayon's threads and element k of the result
//! is bit for bit what running member k alone gives, whatever the number of threads. The
//! thread count is rayon's: its global pool (`RAYON_NUM_THREADS`), or a pool of your own
//! around the call, as [`crate::network::with_threads`] makes one.
//!
//! ```
//! use spyks_core::estimate::run_ensemble;
//! use spyks_core::integrate::Rk4;
//! use spyks_core::presets::spyks::Nakl;
//! use spyks_core::{NeuronModel, RecordSpec, Signal, Simulation, Stimulus, Vector};
//!
//! # fn main() -> Result<(), spyks_core::SimError> {
//! let model = Nakl::new();
//! let stim = Stimulus::new().with("Iinj", Signal::window(5.0, 30.0, 2000.0))?;
//! let sim = Simulation::new(&model, 40.0).stimulus(stim).record(RecordSpec::names(["V"]));
//! // gna from 60 to 180 nS.
//! let params: Vec<_> = (0..8)
//!     .map(|k| {
//!         let mut p = *model.params();
//!         p.set("gna", 60.0 + 15.0 * k as f64).unwrap();
//!         p
//!     })
//!     .collect();
//! let runs = run_ensemble(&sim, &params, |s| s.run_fixed(&mut Rk4, 0.02));
//! let peaks: Vec<f64> = runs
//!     .into_iter()
//!     .map(|r| r.map(|tr| tr.column("V").unwrap().iter().cloned().fold(f64::MIN, f64::max)))
//!     .collect::<Result<_, _>>()?;
//! // More sodium conductance, a higher peak.
//! assert!(peaks.windows(2).all(|w| w[1] > w[0]));
//! # Ok(())
//! # }
//! ```

use crate::model::NeuronModel;
use crate::simulate::Simulation;
use rayon::prelude::*;

/// Runs `run` on `sim` once for each parameter vector of `params`, in parallel, and returns
/// the results in the order of `params`. Member k is `run(&s)` for the simulation `s` that
/// is `sim` with its model rebuilt from `params[k]` (same initial state, stimulus, time span
/// and recording): identical to running it alone, with any number of threads. `run` chooses
/// the method, for instance `|s| s.run_fixed(&mut Rk4, 0.01)` or `|s| s.run_adaptive(&dopri)`
/// (a stepper with internal state, such as Euler-Maruyama's random stream, is created afresh
/// in the closure for each member, so every member sees the same stream).
pub fn run_ensemble<M, R, F>(sim: &Simulation<'_, M>, params: &[M::Params], run: F) -> Vec<R>
where
    M: NeuronModel,
    M::Params: Sync,
    R: Send,
    F: Fn(&Simulation<'_, M>) -> R + Sync,
{
    params
        .par_iter()
        .map(|p| {
            let model = M::with_params(*p);
            let member = Simulation { model: &model, ..sim.clone() };
            run(&member)
        })
        .collect()
}
