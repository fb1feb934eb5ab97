//! Networks of spiking neurons: populations of any generated model, projections with delays,
//! monitors, run clock-driven with one fixed time step.
//!
//! | concept | type | file |
//! |---|---|---|
//! | N neurons of one model, state per variable, fixed chunks | [`Population`] | `population.rs` |
//! | which pairs connect | [`Rule`], [`SynapseTable`] (CSR by presynaptic neuron) | `connectivity.rs` |
//! | what a synapse acts on | [`Target`], [`SynapseKind`] | `target.rs` |
//! | weights, delays, connectivity, target | [`Projection`], [`Connections`] | `projection.rs` |
//! | per-neuron / per-synapse values | [`Values`] | `values.rs` |
//! | inputs without dynamics | [`SpikeSource`], [`SpikeTimes`] | `node.rs` |
//! | learning rules | [`Plasticity`]; pair-based STDP [`Stdp`] | `plasticity.rs`, `stdp.rs` |
//! | Poisson inputs | [`PoissonSource`] | `poisson.rs` |
//! | currents computed every step | [`Drive`]; [`CurrentSchedule`], [`NoiseCurrent`] | `drive.rs`, `current_schedule.rs`, `noise_current.rs` |
//! | spike exchange between ranks | [`Communicator`], [`Local`] | `communicator.rs` |
//! | spikes, states, rates | [`SpikeMonitor`], [`StateMonitor`], [`RateMonitor`] | `monitor.rs` |
//! | random streams from the seed | [`seed`] | `seed.rs` |
//! | the loop | [`Network`] | `net.rs` |
//!
//! # Time and delays
//!
//! Step k integrates from k·dt to (k+1)·dt; a spike is placed at the end of the step, as in
//! a single-neuron fixed-step run. Delays are rounded to the nearest whole step, a half up
//! (within a relative 10⁻⁹ for round-off). A spike emitted at t_s with delay D acts at
//! t_s + D, before the step that starts then: with D = 0 it acts before the next step, which
//! is what Brian2 does for synapses without delay (NEST requires D ≥ dt; its dt-delayed input
//! arrives one step later). Arrivals wait in a ring buffer per (population, target) with
//! `max delay + 1` slots of one value per neuron; a jump in a state variable enters the state
//! at its arrival time (a state monitor at that time sees it), and a jump target that every
//! projection reaches without delay needs no buffer: its spikes go straight into the state.
//!
//! # Reproducibility
//!
//! Every random draw comes from a stream keyed by the network's seed and by what it is for
//! ([`seed`]): initial values per (population, variable), connectivity per projection, noise
//! per (population, chunk of [`population::CHUNK`] neurons), sources per source. Spikes are
//! delivered sequentially in neuron order. The same seed gives bit-identical spikes with any
//! number of threads; the thread count is rayon's (`RAYON_NUM_THREADS` or a thread pool).
//! Each population times its first steps of a run with its chunks updated one after the other
//! and in parallel, and takes the faster way (small networks of cheap neurons run faster on
//! one thread; see `schedule.rs` in this module's source).
//!
//! # Extending
//!
//! - **Inputs**: implement [`SpikeSource`] (Poisson generators and the like) and add it with
//!   [`Network::add_source`] ([`PoissonSource`] is one); currents computed every step
//!   (schedules, noise held over a step as in Izhikevich's `net.m`) implement [`Drive`] and
//!   go in with [`Network::add_drive`]; white noise inside the dynamics is written into the
//!   model (`xi`) and integrated with `Euler::with_seed` as the population's stepper
//!   factory, which gives every chunk its own reproducible stream.
//! - **Plasticity**: implement [`Plasticity`] and attach it with [`Network::set_plasticity`].
//! - **Distribution**: implement [`Communicator`].

mod aligned;
mod blocks;
mod communicator;
mod connectivity;
mod current_schedule;
mod delivery;
mod drive;
mod error;
mod monitor;
mod net;
mod node;
mod noise_current;
mod packed;
pub mod plasticity;
mod poisson;
pub mod population;
mod projection;
mod schedule;
pub mod seed;
mod stdp;
mod tag;
mod target;
mod values;

pub use communicator::{Communicator, Local};
pub use connectivity::{Rule, SynapseTable};
pub use current_schedule::CurrentSchedule;
pub use drive::{Drive, DriveId};
pub use error::NetworkError;
pub use monitor::{RateMonitor, RateMonitorId, SpikeMonitor, SpikeMonitorId, StateMonitor, StateMonitorId};
pub use net::Network;
pub use node::{SpikeSource, SpikeTimes};
pub use noise_current::NoiseCurrent;
pub use plasticity::Plasticity;
pub use poisson::{PoissonSource, Rate};
pub use population::Population;
pub use projection::{Connections, Delays, PopId, ProjId, Projection, Selection};
pub use stdp::{Bounds, Pairing, Stdp, StdpSwitch};
pub use target::{SynapseKind, Target};
pub use values::Values;

/// Runs `f` on a pool of `threads` threads (for populations' parallel updates); results do
/// not depend on the number. `threads = 0` is not an error: the pool then has rayon's
/// default size, as without this function, where rayon's global pool is used
/// (`RAYON_NUM_THREADS` or one thread per core).
pub fn with_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> Result<T, NetworkError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| NetworkError::invalid("thread pool", threads as f64, e.to_string()))?;
    Ok(pool.install(f))
}
