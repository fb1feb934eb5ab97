//! A chunk of a population: the unit of parallel work and of the integrators' random streams.

use std::collections::VecDeque;

use crate::model::NeuronModel;
use crate::network::aligned::AlignedVec;

/// A chunk's own part of a population: its inputs, parameters, synaptic variables, refractory
/// bookkeeping, stepper and spikes (its state variables are in the population's array).
pub(super) struct Chunk<S> {
    pub(super) start: usize,
    pub(super) len: usize,
    /// `Inputs::LEN` arrays: the inputs set by the user (synaptic inputs add to them).
    pub(super) inputs: AlignedVec,
    /// Per input, whether its array holds one value (bit for bit), which the block update then
    /// reads once per pass.
    pub(super) uniform_inputs: Vec<bool>,
    /// One array per heterogeneous parameter.
    pub(super) params: AlignedVec,
    /// The last step end (counted from 1) at which the neuron is still refractory (see
    /// `spiked`).
    pub(super) ref_until: Vec<u64>,
    /// Bit `j % 8` of byte `j / 8` set while neuron j is refractory (in the step being
    /// updated: `ref_until[j]` at or after its end), for the block update, which reads these
    /// instead of the step counts (CUBA's blocks: 24 bytes per neuron and step instead of 32).
    pub(super) refractory: Vec<u8>,
    /// The neurons whose bit is set, in the order their periods end (as they fire, when every
    /// neuron has the same period).
    pub(super) ending: VecDeque<u32>,
    /// Two arrays per receptor: the synaptic variable s and, for alpha synapses, its driver x.
    pub(super) syn: AlignedVec,
    pub(super) stepper: Option<S>,
    pub(super) spikes: Vec<u32>,
    /// Per neuron, after the integration pass: bit 0 crossed the threshold, bit 1 not finite;
    /// meaningful only for the neurons in `flagged`.
    pub(super) flags: Vec<u8>,
    /// The neurons with a flag set, in order.
    pub(super) flagged: Vec<u32>,
    /// The block pass's blocks with a neuron that fired (see `ChunkArrays`).
    pub(super) fired_blocks: Vec<u32>,
    /// The inputs with the synaptic currents and conductances at the step's start and end
    /// (`Inputs::LEN` arrays), for the block update of neurons with such synapses.
    pub(super) u0: AlignedVec,
    pub(super) u1: AlignedVec,
}

impl<S> Chunk<S> {
    /// Clears the refractory bits of the neurons whose period ended before the step ending at
    /// `step_end` (each neuron is in `ending` once: it fires only after its period).
    pub(super) fn periods_ended(&mut self, step_end: u64) {
        while let Some(&j) = self.ending.front()
            && self.ref_until[j as usize] < step_end
        {
            self.ending.pop_front();
            self.refractory[j as usize / 8] &= !(1 << (j % 8));
        }
    }

    /// The bookkeeping after neuron `j` (state `x`, already reset) fired at the end of step
    /// `step_end`: its refractory period of ⌊t_ref/dt⌋ steps, its spike.
    pub(super) fn spiked<M: NeuronModel>(&mut self, m: &M, j: usize, step_end: u64, dt: f64) {
        // `as` saturates (a period of 1e300 ms is u64::MAX steps), and so does the sum: a
        // period longer than any run holds the neuron to the end. It also truncates, which
        // for the non-negative number is the floor, without a call to `floor` per spike (the
        // baseline x86-64 build has no instruction for it); NaN goes to 0, as through `floor`.
        let q = (m.refractory_period() / dt + 1e-9).max(0.0) as u64;
        let until = step_end.saturating_add(q);
        self.ref_until[j] = until;
        if q > 0 {
            // Refractory from the next step on: in `ending` after the periods that end no
            // later (at the back, unless the neurons' periods differ).
            self.refractory[j / 8] |= 1 << (j % 8);
            let ref_until = &self.ref_until;
            let at = self.ending.iter().rposition(|&k| ref_until[k as usize] <= until).map_or(0, |p| p + 1);
            self.ending.insert(at, j as u32);
        }
        self.spikes.push((self.start + j) as u32);
    }
}
