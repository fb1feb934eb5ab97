//! The hook for synaptic plasticity rules (pair-based STDP and any rule a user writes).
//!
//! A rule is attached to one projection with [`super::Network::set_plasticity`]. The network
//! calls it, sequentially and in a fixed order (so runs stay reproducible), after each step's
//! spikes have been delivered:
//!
//! 1. [`Plasticity::on_pre`] for every presynaptic spike of the projection (in neuron order),
//!    after the spike was delivered with the weights as they were: in a rule like Brian2's
//!    `on_pre = "g += w; w = clip(w + Apost, 0, wmax)"` the delivered weight is the old one;
//! 2. [`Plasticity::on_post`] once with all postsynaptic spikes of the step;
//! 3. [`Plasticity::end_step`] once.
//!
//! The rule keeps its own per-synapse or per-neuron traces; the table gives, for each
//! synapse, its postsynaptic index, and [`super::SynapseTable::sources`] its presynaptic one.
//! A rule that needs the incoming synapses of a neuron builds that index in `prepare`.

use std::ops::Range;

use super::connectivity::SynapseTable;
use super::error::NetworkError;

/// A synaptic plasticity rule acting on one projection's weights.
pub trait Plasticity: Send {
    /// A short name for messages.
    fn name(&self) -> &str;
    /// Called before each run with the projection's table, the time step (ms) and a seed for
    /// the rule's own random stream (derived from the network seed and the projection).
    fn prepare(&mut self, table: &SynapseTable, dt: f64, seed: u64) -> Result<(), NetworkError> {
        let _ = (table, dt, seed);
        Ok(())
    }
    /// Presynaptic neuron `pre` (local to the projection's source) spiked at `t`; its synapses
    /// are `synapses` in the table and in `weights`.
    fn on_pre(&mut self, t: f64, pre: usize, synapses: Range<usize>, table: &SynapseTable, weights: &mut [f64]);
    /// The postsynaptic neurons `post` (local to the projection's target, sorted) spiked at `t`.
    fn on_post(&mut self, t: f64, post: &[u32], table: &SynapseTable, weights: &mut [f64]);
    /// Called at the end of every step (for rules with continuous dynamics).
    fn end_step(&mut self, t: f64, table: &SynapseTable, weights: &mut [f64]) {
        let _ = (t, table, weights);
    }
}
