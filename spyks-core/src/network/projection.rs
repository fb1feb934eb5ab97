//! Projections: which neurons connect (a [`Rule`]), what they act on (a [`Target`]), with
//! which weights and delays.

use std::borrow::Cow;
use std::ops::Range;

use super::aligned::AlignedVec;
use super::connectivity::{Rule, SynapseTable};
use super::plasticity::Plasticity;
use super::tag::NetTag;
use super::target::Target;
use super::values::Values;

/// A population or spike source of a network (returned by [`super::Network::add_population`]):
/// its number, and the network that made it (another network refuses it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PopId(pub(crate) usize, pub(crate) NetTag);

/// A projection of a network (returned by [`super::Network::connect`]): its number, and the
/// network that made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ProjId(pub(crate) usize, pub(crate) NetTag);

/// A contiguous view of a population: neurons `range` of `pop` (all when `range` is `None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    /// The population.
    pub pop: PopId,
    /// The neurons (indices in the population); `None` for all.
    pub range: Option<Range<usize>>,
}

impl From<PopId> for Selection {
    fn from(pop: PopId) -> Self {
        Selection { pop, range: None }
    }
}

impl PopId {
    /// The neurons `range` of this population, as a projection's source or target.
    pub fn slice(self, range: Range<usize>) -> Selection {
        Selection { pop: self, range: Some(range) }
    }
}

/// What to connect: built by [`super::Network::connect`].
///
/// Weights are in the unit of the target variable (mV for a jump in v, nS for a
/// conductance, pA for a current). Delays are in ms, rounded to the nearest whole step, a
/// half up (within a relative 10⁻⁹, so that 0.15 ms at dt = 0.1 ms is 2 steps though the
/// division gives 1.4999999999999998); a spike emitted at the end of a step at time t_s acts
/// at t_s + delay, before the step that starts then. A delay of 0 acts before the next step
/// (Brian2's default `delay = 0`); there is no lower limit of one step because spikes are
/// exchanged every step.
///
/// ```
/// use spyks_core::network::{Projection, Rule, Target, Values};
/// # fn f(exc: spyks_core::network::PopId, all: spyks_core::network::PopId) {
/// let p = Projection::new(exc, all, Rule::FixedProbability(0.02), Target::state("g_e"))
///     .weight(Values::normal(0.6, 0.06))
///     .delay(Values::uniform(0.5, 1.5))
///     .allow_self(false);
/// # let _ = p; }
/// ```
#[derive(Clone, Debug)]
pub struct Projection {
    pub(crate) pre: Selection,
    pub(crate) post: Selection,
    pub(crate) rule: Rule,
    pub(crate) target: Target,
    pub(crate) weight: Values,
    pub(crate) delay: Values,
    pub(crate) allow_self: bool,
}

impl Projection {
    /// A projection with weight 1, delay 0 and self-connections allowed (as in Brian2 and NEST).
    pub fn new(pre: impl Into<Selection>, post: impl Into<Selection>, rule: Rule, target: Target) -> Self {
        Projection {
            pre: pre.into(),
            post: post.into(),
            rule,
            target,
            weight: Values::Const(1.0),
            delay: Values::Const(0.0),
            allow_self: true,
        }
    }
    /// The weights (constant, one per synapse in table order, or drawn). A constant weight
    /// is stored once, until [`super::Network::weights_mut`] or a plasticity rule needs them
    /// one by one.
    pub fn weight(mut self, w: impl Into<Values>) -> Self {
        self.weight = w.into();
        self
    }
    /// The delays in ms (constant, per synapse, or drawn: a spread of delays), each rounded to
    /// the nearest whole step, a half up.
    pub fn delay(mut self, d: impl Into<Values>) -> Self {
        self.delay = d.into();
        self
    }
    /// Whether a neuron may connect to itself (when source and target overlap).
    pub fn allow_self(mut self, allow: bool) -> Self {
        self.allow_self = allow;
        self
    }
}

/// Delays in steps: one value for the whole projection, or one per synapse.
#[derive(Clone, Debug, PartialEq)]
pub enum Delays {
    /// Every synapse.
    Const(u16),
    /// Per synapse, in table order.
    PerSynapse(Vec<u16>),
}

impl Delays {
    /// The delay (steps) of synapse `s`.
    #[inline]
    pub fn at(&self, s: usize) -> u16 {
        match self {
            Delays::Const(d) => *d,
            Delays::PerSynapse(v) => v[s],
        }
    }
    /// The largest delay (steps).
    pub fn max(&self) -> u16 {
        match self {
            Delays::Const(d) => *d,
            Delays::PerSynapse(v) => v.iter().copied().max().unwrap_or(0),
        }
    }
}

/// The weights of a row of synapses as the delivery reads them: one per synapse, or one for
/// every synapse of the projection (a constant weight is stored once: the CUBA and COBA
/// benchmarks' synapse tables shrink from 12 to 4 bytes a synapse, and their delivery reads
/// a third of the memory).
#[derive(Clone, Copy, Debug)]
pub(crate) enum RowWeights<'a> {
    /// `w[s]` for synapse s of the row.
    Each(&'a [f64]),
    /// The same weight for every synapse.
    Same(f64),
}

impl RowWeights<'_> {
    /// The weight of synapse `k` of the row.
    ///
    /// # Panics
    /// If `k` is out of an `Each`'s range (a programming error).
    #[inline(always)]
    pub(crate) fn at(self, k: usize) -> f64 {
        match self {
            RowWeights::Each(w) => w[k],
            RowWeights::Same(w) => w,
        }
    }

    /// Adds the weights of synapses `from..from + dst.len()` to `dst`, element by element
    /// (the same additions as one by one, in packed instructions).
    #[inline(always)]
    pub(crate) fn add_run(self, dst: &mut [f64], from: usize) {
        match self {
            RowWeights::Each(w) => super::packed::add_row(dst, &w[from..from + dst.len()]),
            RowWeights::Same(w) => super::packed::add_const(dst, w),
        }
    }
}

/// The weights of a built projection's synapses.
#[derive(Clone, Debug)]
pub(crate) enum Weights {
    /// One per synapse, in table order (on a 64-byte boundary: an all-to-all row of a
    /// multiple of eight synapses is read a whole register at a time).
    Each(AlignedVec),
    /// One for every synapse: a constant weight, stored once until something asks for them
    /// one by one ([`Weights::each_mut`]).
    Same(f64),
}

impl Weights {
    /// The weights of synapses `syn` (a row of the table) for the delivery.
    #[inline(always)]
    pub(crate) fn row(&self, syn: Range<usize>) -> RowWeights<'_> {
        match self {
            Weights::Each(w) => RowWeights::Each(&w[syn]),
            Weights::Same(w) => RowWeights::Same(*w),
        }
    }

    /// The weights stored one per synapse (none for one weight for all).
    pub(crate) fn each(&self) -> &[f64] {
        match self {
            Weights::Each(w) => w,
            Weights::Same(_) => &[],
        }
    }

    /// The weights one per synapse, for a change of any of them or a plasticity rule: stored
    /// so first (`synapses` of them) if they were one for all.
    pub(crate) fn each_mut(&mut self, synapses: usize) -> &mut [f64] {
        if let Weights::Same(w) = *self {
            *self = Weights::Each(AlignedVec::filled(synapses, w));
        }
        match self {
            Weights::Each(w) => w,
            Weights::Same(_) => &mut [],
        }
    }
}

/// A built projection: the synapse table, weights and delays.
pub struct Connections {
    pub(crate) pre: PopId,
    pub(crate) pre_start: usize,
    pub(crate) pre_len: usize,
    pub(crate) post: PopId,
    pub(crate) post_start: usize,
    pub(crate) post_len: usize,
    /// The ring buffer (network-wide receptor number) the synapses deliver into.
    pub(crate) ring: usize,
    pub(crate) table: SynapseTable,
    pub(crate) weights: Weights,
    pub(crate) delay: Delays,
    pub(crate) plasticity: Option<Box<dyn Plasticity>>,
    /// Whether every row's targets are consecutive indices (all-to-all, one-to-one): such a
    /// row is delivered as one packed addition over a slice instead of a scatter.
    pub(crate) contiguous_rows: bool,
}

/// Whether every row of `table` targets consecutive postsynaptic indices, in order.
pub(crate) fn rows_are_contiguous(table: &SynapseTable) -> bool {
    table.row_start.windows(2).all(|w| {
        let row = &table.target[w[0]..w[1]];
        row.windows(2).all(|p| p[1] == p[0].wrapping_add(1))
    })
}

impl std::fmt::Debug for Connections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connections").field("pre", &self.pre).field("post", &self.post).field("synapses", &self.table.len()).finish()
    }
}

impl Connections {
    /// The number of synapses.
    pub fn len(&self) -> usize {
        self.table.len()
    }
    /// Whether there are no synapses.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
    /// The synapse table (postsynaptic indices local to the postsynaptic selection).
    pub fn table(&self) -> &SynapseTable {
        &self.table
    }
    /// The weights, in table order: borrowed, or made on the spot for a projection built
    /// with a constant weight, which is stored once (so bind the result rather than call this
    /// per synapse).
    pub fn weights(&self) -> Cow<'_, [f64]> {
        match &self.weights {
            Weights::Each(w) => Cow::Borrowed(&w[..]),
            Weights::Same(w) => Cow::Owned(vec![*w; self.table.len()]),
        }
    }

    /// The weights one per synapse, stored so first if they were one for all (see
    /// [`Weights::each_mut`]).
    pub(crate) fn weights_mut(&mut self) -> &mut [f64] {
        self.weights.each_mut(self.table.len())
    }
    /// The delays in steps.
    pub fn delays(&self) -> &Delays {
        &self.delay
    }
    /// The first neuron and size of the presynaptic selection.
    pub fn pre_range(&self) -> Range<usize> {
        self.pre_start..self.pre_start + self.pre_len
    }
    /// The first neuron and size of the postsynaptic selection.
    pub fn post_range(&self) -> Range<usize> {
        self.post_start..self.post_start + self.post_len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguous_rows_are_recognised() {
        let table = |row_start: Vec<usize>, target: Vec<u32>| SynapseTable { row_start, target };
        assert!(rows_are_contiguous(&table(vec![0, 3, 3, 5], vec![4, 5, 6, 0, 1])));
        assert!(rows_are_contiguous(&table(vec![0], vec![])));
        assert!(!rows_are_contiguous(&table(vec![0, 3], vec![4, 6, 7])));
        assert!(!rows_are_contiguous(&table(vec![0, 2], vec![5, 4])));
        assert!(!rows_are_contiguous(&table(vec![0, 2, 4], vec![1, 2, 3, 3])));
    }
}
