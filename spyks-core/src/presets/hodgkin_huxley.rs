//! Hodgkin-Huxley-type conductance-based models.
//!
//! - [`HodgkinHuxley`]: the squid giant axon of Hodgkin & Huxley (1952), per unit membrane
//!   area, in the modern sign convention (rest near -65 mV).
//! - [`TraubMiles`]: the Traub & Miles (1991) cortical cell as simplified for benchmark 3 (COBA
//!   HH) of Brette et al. (2007), with exponentially decaying excitatory and inhibitory
//!   synaptic conductances.
//!
//! Both count a spike at each upward crossing of a detection level. The membrane potential
//! is not reset: a dead time (`refractory { period = t_ref, hold = [] }`, nothing held) keeps
//! the detector from firing again while `v` stays above the level during the spike.

mod hh1952;
mod traub_miles;

pub use hh1952::*;
pub use traub_miles::*;
