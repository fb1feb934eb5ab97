//! Spike exchange between ranks.
//!
//! The network loop never touches another rank's neurons: after each step it hands the
//! spikes of its own neurons to a [`Communicator`], which returns the spikes of every rank,
//! and delivers those into its own neurons' ring buffers. With [`Local`] (one rank, this
//! process) the exchange is a move. A distributed implementation (MPI, behind a feature,
//! as in NEST and Arbor) gives each rank a share of every population's neurons, builds on each
//! rank only the synapses onto its own neurons (target-side storage, so delivery stays local),
//! and exchanges with an all-gather; ranks then need to synchronise only every
//! min-delay interval, which is why [`Communicator::interval`] exists.

use super::error::NetworkError;

/// Exchanges the spikes of a step between ranks.
pub trait Communicator: Send {
    /// This rank's number.
    fn rank(&self) -> usize;
    /// The number of ranks.
    fn size(&self) -> usize;
    /// Steps between exchanges (at most the smallest delay in steps plus one); the local
    /// loop exchanges every step, so 1.
    fn interval(&self) -> u64 {
        1
    }
    /// Takes this rank's spikes of the step, one sorted list of neuron indices per
    /// population, and leaves in `all` the spikes of every rank, sorted, per population.
    /// `local` may be left empty.
    fn exchange(&mut self, step: u64, local: &mut [Vec<u32>], all: &mut [Vec<u32>]) -> Result<(), NetworkError>;
}

/// A single rank: every neuron is local.
#[derive(Clone, Copy, Debug, Default)]
pub struct Local;

impl Communicator for Local {
    fn rank(&self) -> usize {
        0
    }
    fn size(&self) -> usize {
        1
    }
    fn exchange(&mut self, _step: u64, local: &mut [Vec<u32>], all: &mut [Vec<u32>]) -> Result<(), NetworkError> {
        if local.len() != all.len() {
            return Err(NetworkError::Communication(format!("{} local lists for {} populations", local.len(), all.len())));
        }
        for (l, a) in local.iter_mut().zip(all.iter_mut()) {
            a.clear();
            std::mem::swap(l, a);
        }
        Ok(())
    }
}
