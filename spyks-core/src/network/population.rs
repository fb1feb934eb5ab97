//! A population: N neurons of one model, stored variable by variable, updated in fixed chunks.

use std::collections::VecDeque;
use std::time::Instant;

use rayon::prelude::*;

use super::aligned::AlignedVec;
use super::error::NetworkError;
use super::node::{Kind, Node};
use super::projection::RowWeights;
use super::schedule::Schedule;
use super::seed::{Purpose, stream_seed};
use super::target::{SynapseKind, Target};
use crate::integrate::Stepper;
use crate::meta::VarInfo;
use crate::model::NeuronModel;
use crate::simulate::check_state;
use crate::vector::Vector;

/// Neurons per chunk. Chunks are the unit of parallel work and of the integrators' random
/// streams, so this number (not the thread count) fixes the noise a neuron receives.
pub const CHUNK: usize = 1024;

mod chunk;
mod layout;
mod update;

use chunk::Chunk;
use layout::StateLayout;
use update::{Step, synaptic_inputs, update_chunk};

type Factory<S> = Box<dyn Fn(u64) -> S + Send + Sync>;

/// N neurons of the model `M`, integrated by the fixed-step method `S`.
///
/// The state is stored per chunk of [`CHUNK`] neurons, one contiguous array per state
/// variable within a chunk (so the per-variable loops vectorise and chunks update in
/// parallel), the chunks one after the other in one array, with their variables' arrays
/// [`CHUNK`] apart: a synapse finds its target's variable by arithmetic alone. Parameters
/// are shared (one model) unless [`super::Network::set_param`] gives a parameter per-neuron
/// values; only those parameters get arrays.
///
/// Each chunk has its own integrator, made by the factory from a seed that depends on the
/// network seed, the population's number and the chunk's number: a noisy model
/// (Euler-Maruyama) gets the same noise whatever the number of threads.
///
/// The semantics are those of a single-neuron fixed-step run ([`crate::Simulation::run_fixed`]
/// with spikes at step ends): step, hold the `hold` variables during the refractory period,
/// clip, check for NaN, then threshold and reset. A neuron is refractory for the
/// ⌊t_ref/dt⌋ steps after its spike. A held variable keeps its value from the step's start
/// (its value after the reset, unless a time-dependent clip bound moved it), and jumps onto
/// it that arrive while the neuron is refractory are dropped (as NEST's `iaf_psc_delta`
/// drops them; Brian2 would add them): no array of held values is read on every step (CUBA
/// at 64000 neurons 1.45 times faster, its state in the processor's L2 cache). For the same
/// reason the block update reads a bit per neuron, not a step count, to know which neurons are
/// refractory, and an input that has one value in a chunk once per pass (COBA's drive).
///
/// Neurons that receive only jumps are integrated eight (or sixteen) at a time with packed
/// instructions when the model has generated lane methods ([`NeuronModel::HAS_LANES`]) and
/// the method a block step (exponential Euler, Heun, RK4, Euler without noise, `Linear` when
/// the block's inputs and parameters are equal): bit for bit the same states and spikes as one
/// at a time (see `blocks.rs` in this module's source for the instructions and timings).
/// Neurons with their own parameter values take the block path too when the model reads its
/// parameters from the lanes ([`NeuronModel::HAS_PARAM_LANES`]) and has no clip: 10000
/// Hodgkin-Huxley neurons with their own conductances step as fast as identical ones, about
/// five times faster than one at a time. So do neurons with current or conductance synapses
/// when the method reads the inputs only at the step's start
/// ([`Stepper::reads_inputs_at_start`]: Euler, exponential Euler, `Linear`, the Izhikevich
/// network's scheme): their synaptic inputs are computed first, in passes over the chunk. With
/// other methods such neurons go one at a time, the inputs interpolated linearly within the
/// step.
///
/// ```
/// use spyks_core::integrate::{Euler, Rk4};
/// use spyks_core::network::Population;
/// use spyks_core::presets::integrate_and_fire::Lif;
/// let deterministic = Population::new("lif", 100, Lif::new(), |_| Rk4);
/// let noisy = Population::new("noisy", 100, Lif::new(), Euler::with_seed); // chunk seeds
/// # let _ = (deterministic, noisy);
/// ```
pub struct Population<M: NeuronModel, S: Stepper<M>> {
    name: String,
    n: usize,
    model: M,
    factory: Factory<S>,
    /// Indices of the parameters with per-neuron values.
    hetero: Vec<usize>,
    chunks: Vec<Chunk<S>>,
    /// Every chunk's state, laid out as `layout` says (on a 64-byte boundary, as the block
    /// update's registers; so is each chunk's part with several chunks, CHUNK being a multiple
    /// of eight).
    state: AlignedVec,
    layout: StateLayout,
    receptors: Vec<Receptor>,
    dt: f64,
    /// Whether the chunks update in parallel (probed at the start of each run), and when the
    /// current step's update began while probing.
    schedule: Schedule,
    step_started: Option<Instant>,
    /// The end (counted from 1) of the last step updated: jumps delivered after it act on
    /// the next step, ending at `last_step_end + 1`.
    last_step_end: u64,
}

#[derive(Clone, Debug)]
struct Receptor {
    target: Target,
    kind: Resolved,
    /// e^{−dt/τ}, set in `prepare`.
    decay: f64,
}

#[derive(Clone, Copy, Debug)]
enum Resolved {
    Jump { var: usize },
    Current { input: usize, alpha: bool, tau: f64 },
    Conductance { input: usize, alpha: bool, tau: f64, v: usize, e_rev: f64 },
}

impl<M: NeuronModel, S: Stepper<M> + Send + 'static> Population<M, S> {
    /// `n` neurons of `model` in its initial state, each chunk integrated by
    /// `stepper(seed)`. Deterministic methods ignore the seed: `|_| Rk4`.
    ///
    /// A population too large to hold in memory is made without its neurons, and
    /// [`Network::add_population`](super::Network::add_population) refuses it with an error
    /// (this constructor cannot fail; allocating 10¹⁰ neurons here aborted the process).
    pub fn new(name: &str, n: usize, model: M, stepper: impl Fn(u64) -> S + Send + Sync + 'static) -> Self {
        // Each neuron's state and inputs, and its refractory and spike bookkeeping.
        let per_neuron = 8 * (M::State::LEN + M::Inputs::LEN) + 16;
        let held = n <= u32::MAX as usize && n.checked_mul(per_neuron).is_some_and(fits_in_memory);
        let (state, layout, chunks) = Self::neurons(if held { n } else { 0 }, &model);
        Population {
            name: name.to_string(),
            n,
            model,
            factory: Box::new(stepper),
            hetero: Vec::new(),
            chunks,
            state,
            layout,
            receptors: Vec::new(),
            dt: f64::NAN,
            schedule: Schedule::Sequential,
            step_started: None,
            last_step_end: 0,
        }
    }

    /// The state, its layout and the chunks of `n` neurons of `model` in its initial state.
    fn neurons(n: usize, model: &M) -> (AlignedVec, StateLayout, Vec<Chunk<S>>) {
        let x0 = model.initial_state();
        let u0 = M::Inputs::default();
        let layout = StateLayout::new(n, M::State::LEN);
        let mut state = AlignedVec::filled(n.div_ceil(CHUNK) * layout.chunk(), 0.0);
        let chunks = (0..n.div_ceil(CHUNK))
            .map(|c| {
                let start = c * CHUNK;
                let len = CHUNK.min(n - start);
                for v in 0..M::State::LEN {
                    state[layout.row(v, start, len)].fill(x0.get_index(v).unwrap_or(0.0));
                }
                Chunk {
                    start,
                    len,
                    inputs: (0..M::Inputs::LEN).flat_map(|v| std::iter::repeat_n(u0.get_index(v).unwrap_or(0.0), len)).collect(),
                    uniform_inputs: vec![true; M::Inputs::LEN],
                    params: AlignedVec::default(),
                    ref_until: vec![0; len],
                    refractory: vec![0; len.div_ceil(8)],
                    ending: VecDeque::new(),
                    syn: AlignedVec::default(),
                    stepper: None,
                    spikes: Vec::new(),
                    flags: vec![0; len],
                    flagged: Vec::new(),
                    fired_blocks: Vec::new(),
                    u0: AlignedVec::default(),
                    u1: AlignedVec::default(),
                }
            })
            .collect();
        (state, layout, chunks)
    }

    /// The shared model (its parameters are those of every neuron without per-neuron values).
    pub fn model(&self) -> &M {
        &self.model
    }

    fn locate(&self, i: usize) -> (usize, usize) {
        (i / CHUNK, i % CHUNK)
    }

    /// [`Node::add_jumps`] into state variable `var`, with `weights` covering `targets`.
    #[inline(always)]
    fn jumps(&mut self, var: usize, offset: usize, targets: &[u32], weights: RowWeights, contiguous: bool) {
        if M::HELD.contains(&var) {
            // Not onto the neurons still refractory in the next step (see `Population`).
            let after = self.last_step_end;
            for (k, &tg) in targets.iter().enumerate() {
                let i = offset + tg as usize;
                let (ci, j) = self.locate(i);
                if self.chunks[ci].ref_until[j] <= after {
                    self.state[self.layout.index(var, i)] += weights.at(k);
                }
            }
            return;
        }
        match targets.first() {
            // Consecutive targets: one packed addition per chunk they fall in.
            Some(&first) if contiguous => {
                let (mut i, mut k) = (offset + first as usize, 0);
                while k < targets.len() {
                    // To the chunk's end at most (a projection's targets are in the population).
                    let take = (CHUNK - i % CHUNK).min(targets.len() - k);
                    weights.add_run(&mut self.state[self.layout.row(var, i, take)], k);
                    (i, k) = (i + take, k + take);
                }
            }
            // Scattered targets: each one's place computed from its number, with no branch
            // but the bounds check (runs of targets in one chunk ended unpredictably, about
            // every fifth synapse of a row of 80 among 16 chunks: a pipeline flush each time;
            // and looking up each target's chunk took three loads).
            _ => {
                let state = &mut self.state[var * self.layout.stride..];
                scatter(state, targets, weights, |tg| StateLayout::offset_with(offset + tg as usize, M::State::LEN));
            }
        }
    }

    /// An unknown `name`, with the names of `lists` (the INFO of the kinds it may be).
    fn name_error(&self, name: &str, lists: &[&'static [VarInfo]]) -> NetworkError {
        let valid = lists.iter().flat_map(|l| l.iter().map(|v| v.name)).collect();
        NetworkError::name(&self.name, crate::error::NameError { name: name.to_string(), valid })
    }
}

/// Adds the weights of a row to the places `place(target)` of `state`, in the row's order, four
/// synapses per turn of the loop (one count, test and branch for four).
#[inline(always)]
fn scatter(state: &mut [f64], targets: &[u32], weights: RowWeights, place: impl Fn(u32) -> usize) {
    let mut quads = targets.chunks_exact(4);
    for (q, quad) in (&mut quads).enumerate() {
        for (l, &tg) in quad.iter().enumerate() {
            state[place(tg)] += weights.at(4 * q + l);
        }
    }
    let done = targets.len() - quads.remainder().len();
    for (l, &tg) in quads.remainder().iter().enumerate() {
        state[place(tg)] += weights.at(done + l);
    }
}

/// The error for a neuron whose state is not finite: the first such variable, as a
/// single-neuron run reports it ([`check_state`]).
fn non_finite<M: NeuronModel>(x: &M::State, population: &str, neuron: usize, t: f64) -> NetworkError {
    let (var, value) = match check_state::<M>(t, x) {
        Err(crate::error::SimError::NonFinite { var, value, .. }) => (var, value),
        _ => ("?", f64::NAN),
    };
    NetworkError::NonFinite { population: population.to_string(), neuron, var, value, t }
}

impl<M: NeuronModel, S: Stepper<M> + Send + 'static> Node for Population<M, S> {
    fn name(&self) -> &str {
        &self.name
    }

    fn len(&self) -> usize {
        self.n
    }

    fn unallocated(&self) -> bool {
        // Neurons without chunks: `new` held none of them.
        self.n > 0 && self.chunks.is_empty()
    }

    fn prepare(&mut self, seed: u64, index: usize, dt: f64) -> Result<(), NetworkError> {
        let ctx = || format!("population `{}`", self.name);
        crate::simulate::validate_params(&self.model).map_err(|source| NetworkError::Sim { context: ctx(), source })?;
        // A fresh stepper from the factory, as the chunks without one will get.
        let probe = self.chunks.iter().any(|c| c.stepper.is_none()).then(|| (self.factory)(0));
        if let Some(probe) = probe.as_ref().filter(|p| M::HAS_NOISE && !p.supports_noise()) {
            return Err(NetworkError::Sim {
                context: ctx(),
                source: crate::SimError::Unsupported(format!(
                    "the model `{}` has a white-noise term; `{}` is deterministic: use Euler (Euler-Maruyama)",
                    M::NAME,
                    probe.name()
                )),
            });
        }
        // Lookup tables follow the parameters and the step (a no-op when current or absent),
        // with a step table for a method that reads one (exponential Euler).
        let uses_step_table =
            probe.as_ref().or_else(|| self.chunks.iter().find_map(|c| c.stepper.as_ref())).is_some_and(|s| s.uses_step_factors());
        crate::table::refresh_for_step(&mut self.model, uses_step_table.then_some(dt))
            .map_err(|e| NetworkError::Sim { context: ctx(), source: e.into() })?;
        if self.dt != dt {
            // A new time step: integrators restart from their seeds.
            for c in &mut self.chunks {
                c.stepper = None;
            }
        }
        for (k, c) in self.chunks.iter_mut().enumerate() {
            if c.stepper.is_none() {
                c.stepper = Some((self.factory)(stream_seed(seed, Purpose::Stepper, index as u64, k as u64)));
            }
        }
        self.dt = dt;
        self.schedule = Schedule::new(self.chunks.len(), rayon::current_num_threads());
        self.step_started = None;
        for r in &mut self.receptors {
            r.decay = match r.kind {
                Resolved::Jump { .. } => 1.0,
                Resolved::Current { tau, .. } | Resolved::Conductance { tau, .. } => (-dt / tau).exp(),
            };
        }
        Ok(())
    }

    fn add_receptor(&mut self, target: &Target) -> Result<usize, NetworkError> {
        if let Some(r) = self.receptors.iter().position(|r| &r.target == target) {
            return Ok(r);
        }
        if let Some(tau) = target.tau()
            && !(tau > 0.0 && tau.is_finite())
        {
            return Err(NetworkError::invalid(
                format!("population `{}`, target `{}`", self.name, target.name),
                tau,
                "a synaptic time constant must be positive",
            ));
        }
        let state = |name: &str| self.index_of(Kind::State, name);
        let input = |name: &str| self.index_of(Kind::Input, name);
        let kind = match &target.kind {
            SynapseKind::Jump => Resolved::Jump { var: state(&target.name)? },
            SynapseKind::ExpCurrent { tau } => Resolved::Current { input: input(&target.name)?, alpha: false, tau: *tau },
            SynapseKind::AlphaCurrent { tau } => Resolved::Current { input: input(&target.name)?, alpha: true, tau: *tau },
            SynapseKind::ExpConductance { tau, e_rev, v } | SynapseKind::AlphaConductance { tau, e_rev, v } => {
                if !e_rev.is_finite() {
                    return Err(NetworkError::invalid(
                        format!("population `{}`, target `{}`", self.name, target.name),
                        *e_rev,
                        "the reversal potential must be finite",
                    ));
                }
                Resolved::Conductance {
                    input: input(&target.name)?,
                    alpha: matches!(target.kind, SynapseKind::AlphaConductance { .. }),
                    tau: *tau,
                    v: state(v)?,
                    e_rev: *e_rev,
                }
            }
        };
        self.receptors.push(Receptor { target: target.clone(), kind, decay: 1.0 });
        for c in &mut self.chunks {
            c.syn.resize(c.syn.len() + 2 * c.len, 0.0);
        }
        Ok(self.receptors.len() - 1)
    }

    fn update(&mut self, step: u64, t: f64, h: f64, arrivals: &[&[f64]], spikes: &mut Vec<u32>) -> Result<(), NetworkError> {
        let model = &self.model;
        let hetero = &self.hetero;
        let receptors = &self.receptors;
        let name = &self.name;
        let dt = self.dt;
        let step_end = step + 1;
        self.last_step_end = step_end;
        // Jumps are in the state already (the network adds them at their arrival time);
        // current and conductance synapses are turned into inputs first.
        let synaptic = receptors.iter().any(|r| !matches!(r.kind, Resolved::Jump { .. }));
        let (stride, chunk) = (self.layout.stride, self.layout.chunk());
        let work = |(c, state): (&mut Chunk<S>, &mut [f64])| -> Result<(), NetworkError> {
            c.spikes.clear();
            if synaptic {
                synaptic_inputs(c, state, stride, receptors, arrivals, dt);
            }
            update_chunk(c, state, stride, model, hetero, synaptic, &Step { t, h, step_end, dt, name })
        };
        // While probing, the previous step's time is from its update to this one.
        if let Some(started) = self.step_started.take() {
            self.schedule.record(started.elapsed());
        }
        self.schedule.tick();
        if self.schedule.timing() {
            self.step_started = Some(Instant::now());
        }
        if self.schedule.parallel() {
            self.chunks.par_iter_mut().zip(self.state.par_chunks_mut(chunk)).try_for_each(work)?;
        } else {
            self.chunks.iter_mut().zip(self.state.chunks_mut(chunk)).try_for_each(work)?;
        }
        for c in &self.chunks {
            spikes.extend_from_slice(&c.spikes);
        }
        Ok(())
    }

    fn is_jump(&self, receptor: usize) -> bool {
        matches!(self.receptors.get(receptor).map(|r| r.kind), Some(Resolved::Jump { .. }))
    }

    fn add_arrivals(&mut self, receptor: usize, arrived: &[f64]) {
        if let Some(Resolved::Jump { var }) = self.receptors.get(receptor).map(|r| r.kind) {
            let layout = self.layout;
            if M::HELD.contains(&var) {
                // Not onto the neurons still refractory in the next step (see `Population`).
                let after = self.last_step_end;
                for c in &self.chunks {
                    let x = &mut self.state[layout.row(var, c.start, c.len)];
                    for ((x, &a), &until) in x.iter_mut().zip(&arrived[c.start..c.start + c.len]).zip(&c.ref_until) {
                        if a != 0.0 && until <= after {
                            *x += a;
                        }
                    }
                }
                return;
            }
            for c in &self.chunks {
                let x = &mut self.state[layout.row(var, c.start, c.len)];
                super::packed::add_arrivals(x, &arrived[c.start..c.start + c.len]);
            }
        }
    }

    fn add_jumps(&mut self, receptor: usize, offset: usize, targets: &[u32], weights: RowWeights, contiguous: bool) {
        let Some(Resolved::Jump { var }) = self.receptors.get(receptor).map(|r| r.kind) else {
            return;
        };
        // Each path compiled twice, for weights one per synapse and for one weight.
        match weights {
            RowWeights::Each(w) => {
                let n = targets.len().min(w.len());
                self.jumps(var, offset, &targets[..n], RowWeights::Each(&w[..n]), contiguous);
            }
            same => self.jumps(var, offset, targets, same, contiguous),
        }
    }

    fn var_index(&self, name: &str) -> Result<usize, NetworkError> {
        if let Ok(i) = M::State::index_of(name) {
            return Ok(i);
        }
        M::Exprs::index_of(name).map(|i| M::State::LEN + i).map_err(|_| self.name_error(name, &[M::State::INFO, M::Exprs::INFO]))
    }

    fn var_info(&self, var: usize) -> (&'static str, &'static str) {
        let info = if var < M::State::LEN { &M::State::INFO[var] } else { &M::Exprs::INFO[var - M::State::LEN] };
        (info.name, info.unit)
    }

    fn read(&self, var: usize, neuron: usize, t: f64) -> f64 {
        let (c, j) = self.locate(neuron);
        let ch = &self.chunks[c];
        if var < M::State::LEN {
            return self.state[self.layout.index(var, neuron)];
        }
        let x = M::State::load_strided(&self.state[self.layout.index(0, ch.start)..], self.layout.stride, j);
        let mut u = M::Inputs::load_strided(&ch.inputs, ch.len, j);
        // The library-held synapses' contributions at the end of the step, as the next step
        // starts from them: s for a current, s·(E − v) for a conductance.
        for (r, rec) in self.receptors.iter().enumerate() {
            let s = ch.syn[(2 * r) * ch.len + j];
            let (input, drive) = match rec.kind {
                Resolved::Jump { .. } => continue,
                Resolved::Current { input, .. } => (input, 1.0),
                Resolved::Conductance { input, v, e_rev, .. } => (input, e_rev - x.get_index(v).unwrap_or(0.0)),
            };
            u.set_index(input, u.get_index(input).unwrap_or(0.0) + s * drive);
        }
        let mut p = *self.model.params();
        for (k, &pi) in self.hetero.iter().enumerate() {
            p.set_index(pi, ch.params[k * ch.len + j]);
        }
        M::with_params(p).expressions(t, &x, &u).get_index(var - M::State::LEN).unwrap_or(f64::NAN)
    }

    fn index_of(&self, kind: Kind, name: &str) -> Result<usize, NetworkError> {
        let found = match kind {
            Kind::State => M::State::index_of(name),
            Kind::Param => M::Params::index_of(name),
            Kind::Input => M::Inputs::index_of(name),
        };
        found.map_err(|_| self.name_error(name, &[kind_info::<M>(kind)]))
    }

    fn set_values(&mut self, kind: Kind, index: usize, values: &[f64]) -> Result<(), NetworkError> {
        if values.len() != self.n {
            let name = kind_info::<M>(kind).get(index).map_or("?", |v| v.name);
            return Err(NetworkError::Length {
                context: format!("population `{}`, `{name}`", self.name),
                expected: self.n,
                found: values.len(),
            });
        }
        let write = |chunks: &mut Vec<Chunk<S>>, pick: fn(&mut Chunk<S>) -> &mut AlignedVec, k: usize| {
            for c in chunks.iter_mut() {
                let (start, len) = (c.start, c.len);
                pick(c)[k * len..(k + 1) * len].copy_from_slice(&values[start..start + len]);
            }
        };
        match kind {
            Kind::State => {
                // A held variable set during a refractory period keeps the value set.
                for c in &self.chunks {
                    self.state[self.layout.row(index, c.start, c.len)].copy_from_slice(&values[c.start..c.start + c.len]);
                }
            }
            Kind::Input => {
                write(&mut self.chunks, |c| &mut c.inputs, index);
                for c in &mut self.chunks {
                    c.uniform_inputs[index] = super::blocks::one_value(&values[c.start..c.start + c.len]);
                }
            }
            Kind::Param => {
                let p = index;
                if values.iter().all(|&x| x == values[0]) && !self.hetero.contains(&p) {
                    let mut m = self.model.clone();
                    m.params_mut().set_index(p, values[0]);
                    crate::simulate::validate_params(&m)
                        .map_err(|source| NetworkError::Sim { context: format!("population `{}`", self.name), source })?;
                    m.refresh().map_err(|e| NetworkError::Sim { context: format!("population `{}`", self.name), source: e.into() })?;
                    self.model = m;
                    return Ok(());
                }
                // Each neuron's parameter set must make a valid model.
                let mut probe = *self.model.params();
                for &x in values {
                    probe.set_index(p, x);
                    crate::simulate::validate_params(&M::with_params(probe))
                        .map_err(|source| NetworkError::Sim { context: format!("population `{}`", self.name), source })?;
                }
                let k = match self.hetero.iter().position(|&h| h == p) {
                    Some(k) => k,
                    None => {
                        self.hetero.push(p);
                        for c in &mut self.chunks {
                            c.params.resize(c.params.len() + c.len, 0.0);
                        }
                        self.hetero.len() - 1
                    }
                };
                write(&mut self.chunks, |c| &mut c.params, k);
            }
        }
        Ok(())
    }
}

/// The variables of kind `kind` of model `M`.
fn kind_info<M: NeuronModel>(kind: Kind) -> &'static [VarInfo] {
    match kind {
        Kind::State => M::State::INFO,
        Kind::Param => M::Params::INFO,
        Kind::Input => M::Inputs::INFO,
    }
}

/// Whether `bytes` more could be allocated now: a reservation tried and given back (the
/// memory is the system's only once written). Under Linux's default overcommit a request
/// beyond the memory and swap fails, and beyond the address space it fails everywhere.
fn fits_in_memory(bytes: usize) -> bool {
    Vec::<u8>::new().try_reserve_exact(bytes).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_probe_refuses_what_no_process_can_address() {
        assert!(fits_in_memory(1 << 20));
        assert!(!fits_in_memory(isize::MAX as usize));
        assert!(!fits_in_memory(usize::MAX));
    }
}
