//! The network: populations, projections, monitors and the clock-driven loop.

use super::aligned::AlignedVec;
use super::communicator::{Communicator, Local};
use super::connectivity::build;
use super::delivery::{deliver_contiguous_rows, fired_rows, prefetch_next, presynaptic_rows};
use super::drive::{Drive, DriveId, DriveSet};
use super::error::NetworkError;
use super::monitor::{RateMonitor, SpikeMonitor, StateMonitor};
use super::node::{Kind, Node, SourceNode, SpikeSource};
use super::plasticity::Plasticity;
use super::population::Population;
use super::projection::{Connections, Delays, PopId, ProjId, Projection, Selection, Weights};
use super::seed::{Purpose, name_hash, stream, stream_seed};
use super::tag::NetTag;
use super::values::Values;
use crate::integrate::Stepper;
use crate::model::NeuronModel;
use crate::progress::Progress;
use crate::vector::Vector;

mod monitors;

/// A delay ring buffer for one (population, target): `slots` rows of one value per neuron.
///
/// Jumps in a state variable enter the state at their arrival time (at the end of the step
/// that ends there, so a state monitor at that time sees them). A jump target that every
/// projection onto it reaches without delay has no buffer (`direct`): its spikes are added
/// to the state variable as they are delivered, which spares a pass over the population per
/// step to add what arrived and another to clear the slot (a fifth of the CUBA benchmark's
/// time).
struct Ring {
    node: usize,
    /// The node's receptor number.
    receptor: usize,
    slots: usize,
    /// A jump in a state variable (set in `prepare`).
    jump: bool,
    direct: bool,
    buf: AlignedVec,
}

/// A spiking network with one fixed time step, run clock-driven.
///
/// Each step from t to t + dt: every population applies the synaptic currents and
/// conductances arriving at this step (from its ring buffers), integrates its neurons (in
/// parallel chunks), thresholds and resets; the spikes (at t + dt) go through the
/// [`Communicator`] and are delivered in neuron order (so sums are the same on every run):
/// into the ring buffers of their targets, or, for a jump in a state variable that arrives
/// without delay, into the state at once; then jumps arriving at t + dt enter the state, and
/// plasticity rules and monitors see the step's end. A run is determined by the seed: the same spikes,
/// bit for bit, with any number of threads.
///
/// ```
/// use spyks_core::integrate::Rk4;
/// use spyks_core::network::{Network, Population, Projection, Rule, Target, Values};
/// use spyks_core::presets::integrate_and_fire::LifCond;
///
/// let mut net = Network::new(0.1, 42)?;
/// let p = net.add_population(Population::new("lif", 100, LifCond::new(), |_| Rk4))?;
/// net.init_state(p, "V", Values::uniform(-60.0, -50.0))?;
/// net.set_input(p, "I", 250.0.into())?; // pA
/// net.connect(Projection::new(p, p, Rule::FixedProbability(0.1), Target::state("g_e")).weight(0.5))?;
/// let spikes = net.record_spikes(p, None)?;
/// net.run(100.0)?;
/// assert!(net.spikes(spikes)?.len() > 100);
/// # Ok::<(), spyks_core::network::NetworkError>(())
/// ```
pub struct Network {
    /// Carried by every id this network hands out.
    tag: NetTag,
    dt: f64,
    seed: u64,
    nodes: Vec<Box<dyn Node>>,
    /// Network-wide ring number of each node's receptors, in the node's order.
    node_rings: Vec<Vec<usize>>,
    rings: Vec<Ring>,
    projections: Vec<Connections>,
    spike_monitors: Vec<SpikeMonitor>,
    state_monitors: Vec<StateMonitor>,
    rate_monitors: Vec<RateMonitor>,
    comm: Box<dyn Communicator>,
    step: u64,
    progress: bool,
    drives: DriveSet,
}

impl std::fmt::Debug for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Network")
            .field("dt", &self.dt)
            .field("seed", &self.seed)
            .field("populations", &self.nodes.iter().map(|n| n.name().to_string()).collect::<Vec<_>>())
            .field("synapses", &self.synapse_count())
            .field("t", &self.time())
            .finish()
    }
}

impl Network {
    /// An empty network with time step `dt` (ms) and the seed of every random stream.
    pub fn new(dt: f64, seed: u64) -> Result<Self, NetworkError> {
        if !(dt > 0.0 && dt.is_finite()) {
            return Err(NetworkError::invalid("time step dt", dt, "must be positive and finite"));
        }
        Ok(Network {
            tag: NetTag::fresh(),
            dt,
            seed,
            nodes: Vec::new(),
            node_rings: Vec::new(),
            rings: Vec::new(),
            projections: Vec::new(),
            spike_monitors: Vec::new(),
            state_monitors: Vec::new(),
            rate_monitors: Vec::new(),
            comm: Box::new(Local),
            step: 0,
            progress: false,
            drives: DriveSet::default(),
        })
    }

    /// Replaces the spike exchange (default [`Local`]).
    pub fn communicator(mut self, c: impl Communicator + 'static) -> Self {
        self.comm = Box::new(c);
        self
    }

    /// Shows a progress bar during runs (hidden anyway when stderr is not a terminal or
    /// `SPYKS_PROGRESS=0`).
    pub fn progress(mut self, show: bool) -> Self {
        self.progress = show;
        self
    }

    /// The time step (ms).
    pub fn dt(&self) -> f64 {
        self.dt
    }
    /// The current time (ms): steps taken times dt.
    pub fn time(&self) -> f64 {
        self.step as f64 * self.dt
    }
    /// The total number of synapses.
    pub fn synapse_count(&self) -> usize {
        self.projections.iter().map(|p| p.len()).sum()
    }

    /// Adds a population.
    pub fn add_population<M: NeuronModel, S: Stepper<M> + Send + 'static>(&mut self, pop: Population<M, S>) -> Result<PopId, NetworkError> {
        let id = self.add_node(Box::new(pop))?;
        let u0 = M::Inputs::default();
        self.drives.register(id.0, M::Inputs::INFO.iter().enumerate().map(|(i, v)| (v.name, u0.get_index(i).unwrap_or(0.0))));
        Ok(id)
    }

    /// Adds a current computed every step to the input `input` of a population (a
    /// [`super::CurrentSchedule`], a [`super::NoiseCurrent`] or a user's [`Drive`]); drives of
    /// one input add to its value set with [`Network::set_input`].
    pub fn add_drive(&mut self, p: PopId, input: &str, drive: impl Drive + 'static) -> Result<DriveId, NetworkError> {
        let node = self.node(p)?;
        let (kind, name) = (node.words().0, node.name().to_string());
        self.drives.add(p.0, &name, kind, input, Box::new(drive))
    }

    /// Adds a spike source (inputs); projections from it work as from a population.
    pub fn add_source(&mut self, source: impl SpikeSource + 'static) -> Result<PopId, NetworkError> {
        self.add_node(Box::new(SourceNode(Box::new(source))))
    }

    fn add_node(&mut self, node: Box<dyn Node>) -> Result<PopId, NetworkError> {
        let (kind, unit) = node.words();
        let ctx = || format!("{kind} `{}`", node.name());
        if node.len() == 0 {
            return Err(NetworkError::invalid(ctx(), 0.0, format!("a {kind} needs at least one {unit}")));
        }
        if node.len() > u32::MAX as usize {
            return Err(NetworkError::invalid(ctx(), node.len() as f64, format!("at most 2^32 - 1 {unit}s")));
        }
        if node.unallocated() {
            return Err(NetworkError::invalid(ctx(), node.len() as f64, format!("that many {unit}s do not fit in the memory")));
        }
        self.nodes.push(node);
        self.node_rings.push(Vec::new());
        Ok(PopId(self.nodes.len() - 1, self.tag))
    }

    fn node(&self, p: PopId) -> Result<&dyn Node, NetworkError> {
        Ok(self.tag.get(&self.nodes, p.1, p.0, "population")?.as_ref())
    }

    /// The number of neurons of a population.
    pub fn len(&self, p: PopId) -> Result<usize, NetworkError> {
        Ok(self.node(p)?.len())
    }

    /// Sets the variable of kind `kind` called `name` of every neuron of `p` to `values` (its
    /// draws from a stream determined by the seed, the population and the name), and returns
    /// the values set.
    fn set_named(&mut self, p: PopId, kind: Kind, name: &str, values: &Values) -> Result<Vec<f64>, NetworkError> {
        let node = self.node(p)?;
        let index = node.index_of(kind, name)?;
        let mut rng = stream(self.seed, Purpose::Init, p.0 as u64, name_hash(name));
        let v = values.materialize(node.len(), &mut rng, &format!("population `{}`, `{name}`", node.name()))?;
        self.nodes[p.0].set_values(kind, index, &v)?;
        Ok(v)
    }

    /// Sets a state variable of every neuron: a constant, an array or draws (from a stream
    /// determined by the seed, the population and the variable's name). Only state
    /// variables: a named expression, parameter or input given here is an error, not set.
    pub fn init_state(&mut self, p: PopId, name: &str, values: Values) -> Result<(), NetworkError> {
        self.set_named(p, Kind::State, name, &values).map(|_| ())
    }

    /// Gives a parameter per-neuron values (heterogeneity); a constant sets it for all. Only
    /// parameters: a state variable or input given here is an error, not set.
    pub fn set_param(&mut self, p: PopId, name: &str, values: Values) -> Result<(), NetworkError> {
        self.set_named(p, Kind::Param, name, &values).map(|_| ())
    }

    /// Sets a constant input (a bias current, say) of every neuron; synaptic inputs add to it.
    /// Only inputs: a state variable or parameter given here is an error, not set.
    pub fn set_input(&mut self, p: PopId, name: &str, values: Values) -> Result<(), NetworkError> {
        let v = self.set_named(p, Kind::Input, name, &values)?;
        // The base value that drives of this input add to.
        self.drives.set_base(p.0, name, &v);
        Ok(())
    }

    /// The current value of a state variable (or named expression) of neuron `i`.
    pub fn get(&self, p: PopId, name: &str, i: usize) -> Result<f64, NetworkError> {
        let node = self.node(p)?;
        let v = node.var_index(name)?;
        if i >= node.len() {
            return Err(NetworkError::Index { context: format!("population `{}`", node.name()), index: i, len: node.len() });
        }
        Ok(node.read(v, i, self.time()))
    }

    fn resolve(&self, s: &Selection, what: &str) -> Result<(usize, usize), NetworkError> {
        let node = self.node(s.pop)?;
        match &s.range {
            None => Ok((0, node.len())),
            Some(r) => {
                let selection = || format!("{what} selection {}..{} of `{}`", r.start, r.end, node.name());
                if r.start >= r.end {
                    return Err(NetworkError::rejected(
                        selection(),
                        "the selection is empty; a projection needs at least one neuron on each side",
                    ));
                }
                if r.end > node.len() {
                    return Err(NetworkError::Index { context: selection(), index: r.end, len: node.len() });
                }
                Ok((r.start, r.end - r.start))
            }
        }
    }

    /// Builds a projection: its synapses, weights and delays, from the projection's own
    /// random stream (the seed and the projection's number).
    pub fn connect(&mut self, proj: Projection) -> Result<ProjId, NetworkError> {
        let id = self.projections.len();
        let ctx = format!("projection {id} (`{}` -> `{}`)", self.node(proj.pre.pop)?.name(), self.node(proj.post.pop)?.name());
        let (pre_start, pre_len) = self.resolve(&proj.pre, "presynaptic")?;
        let (post_start, post_len) = self.resolve(&proj.post, "postsynaptic")?;
        let self_offset = (!proj.allow_self && proj.pre.pop == proj.post.pop).then_some(pre_start as i64 - post_start as i64);
        let local = self.nodes[proj.post.pop.0].add_receptor(&proj.target)?;
        let ring = match self.node_rings[proj.post.pop.0].get(local) {
            Some(&r) => r,
            None => {
                self.rings.push(Ring {
                    node: proj.post.pop.0,
                    receptor: local,
                    slots: 1,
                    jump: false,
                    direct: false,
                    buf: AlignedVec::default(),
                });
                self.node_rings[proj.post.pop.0].push(self.rings.len() - 1);
                self.rings.len() - 1
            }
        };
        let mut rng = stream(self.seed, Purpose::Connect, id as u64, 0);
        let (table, perm) = build(&proj.rule, pre_len, post_len, self_offset, &mut rng, &ctx)?;
        let n = table.len();
        let mut wrng = stream(self.seed, Purpose::Connect, id as u64, 1);
        // A constant weight is stored once (validated as every weight is, as one value).
        let weights = match proj.weight {
            Values::Const(w) => {
                proj.weight.materialize(1, &mut wrng, &format!("{ctx}: weights"))?;
                Weights::Same(w)
            }
            ref other => Weights::Each(other.materialize_in_order(n, perm.as_deref(), &mut wrng, &format!("{ctx}: weights"))?),
        };
        let delay = match &proj.delay {
            Values::Const(d) => Delays::Const(self.delay_steps(*d, &ctx)?),
            other => {
                let mut drng = stream(self.seed, Purpose::Connect, id as u64, 2);
                let ms: Vec<f64> = other.materialize_in_order(n, perm.as_deref(), &mut drng, &format!("{ctx}: delays"))?;
                let steps = ms.iter().map(|&d| self.delay_steps(d, &ctx)).collect::<Result<Vec<u16>, _>>()?;
                if steps.windows(2).all(|w| w[0] == w[1]) {
                    Delays::Const(steps.first().copied().unwrap_or(0))
                } else {
                    Delays::PerSynapse(steps)
                }
            }
        };
        self.projections.push(Connections {
            pre: proj.pre.pop,
            pre_start,
            pre_len,
            post: proj.post.pop,
            post_start,
            post_len,
            ring,
            contiguous_rows: super::projection::rows_are_contiguous(&table),
            table,
            weights,
            delay,
            plasticity: None,
        });
        Ok(ProjId(id, self.tag))
    }

    /// A delay in whole steps: the nearest, a half rounded up. A half within a relative 10⁻⁹
    /// counts as one, as division leaves some just below (0.15 / 0.1 = 1.4999999999999998).
    fn delay_steps(&self, d: f64, ctx: &str) -> Result<u16, NetworkError> {
        if !(d >= 0.0 && d.is_finite()) {
            return Err(NetworkError::invalid(format!("{ctx}: delay"), d, "delays must be finite and not negative"));
        }
        let r = d / self.dt;
        let k = (r + 0.5 + 1e-9 * r.max(1.0)).floor();
        if k > u16::MAX as f64 {
            return Err(NetworkError::invalid(format!("{ctx}: delay"), d, format!("at most {} steps", u16::MAX)));
        }
        Ok(k as u16)
    }

    /// A built projection (synapse table, weights, delays).
    pub fn projection(&self, id: ProjId) -> Result<&Connections, NetworkError> {
        self.tag.get(&self.projections, id.1, id.0, "projection")
    }

    fn projection_mut(&mut self, id: ProjId) -> Result<&mut Connections, NetworkError> {
        self.tag.get_mut(&mut self.projections, id.1, id.0, "projection")
    }

    /// The weights of a projection, to change between runs.
    pub fn weights_mut(&mut self, id: ProjId) -> Result<&mut [f64], NetworkError> {
        Ok(self.projection_mut(id)?.weights_mut())
    }

    /// Attaches a plasticity rule to a projection (see [`super::plasticity`]).
    pub fn set_plasticity(&mut self, id: ProjId, rule: impl Plasticity + 'static) -> Result<(), NetworkError> {
        let p = self.projection_mut(id)?;
        // The rule changes weights one by one.
        p.weights_mut();
        p.plasticity = Some(Box::new(rule));
        Ok(())
    }

    /// Detaches the plasticity rule of a projection (its weights stay as they are).
    pub fn clear_plasticity(&mut self, id: ProjId) -> Result<(), NetworkError> {
        let p = self.projection_mut(id)?;
        p.plasticity = None;
        Ok(())
    }

    /// Sizes the ring buffers to the largest delay onto them and prepares the populations.
    fn prepare(&mut self) -> Result<(), NetworkError> {
        for (i, node) in self.nodes.iter_mut().enumerate() {
            node.prepare(self.seed, i, self.dt)?;
        }
        for (r, ring) in self.rings.iter_mut().enumerate() {
            let max = self.projections.iter().filter(|p| p.ring == r).map(|p| p.delay.max() as usize).max().unwrap_or(0);
            let slots = max + 1;
            let n = self.nodes[ring.node].len();
            // Once buffered, always buffered: a ring keeps its pending arrivals.
            ring.jump = self.nodes[ring.node].is_jump(ring.receptor);
            ring.direct = slots == 1 && ring.buf.is_empty() && ring.jump;
            if ring.direct {
                ring.slots = 1;
                continue;
            }
            if slots != ring.slots || ring.buf.len() != slots * n {
                // Keep pending arrivals when a later run needs more slots. A buffer too large
                // to hold (a long delay onto a large population) is an error, not an abort.
                let mut buf = slots.checked_mul(n).and_then(|len| AlignedVec::try_filled(len, 0.0)).ok_or_else(|| {
                    NetworkError::invalid(
                        format!("population `{}`: delay", self.nodes[ring.node].name()),
                        max as f64 * self.dt,
                        format!("a delay of {max} steps onto {n} neurons needs a buffer of {slots} × {n} values, which does not fit in the memory"),
                    )
                })?;
                if ring.buf.len() == ring.slots * n {
                    for k in 0..ring.slots {
                        let abs = self.step + k as u64;
                        let (from, to) = ((abs % ring.slots as u64) as usize, (abs % slots as u64) as usize);
                        buf[to * n..(to + 1) * n].copy_from_slice(&ring.buf[from * n..(from + 1) * n]);
                    }
                }
                ring.buf = buf;
                ring.slots = slots;
            }
        }
        let nodes = &self.nodes;
        self.drives.prepare(self.seed, self.dt, |p| nodes[p].len())?;
        for (k, p) in self.projections.iter_mut().enumerate() {
            if let Some(rule) = p.plasticity.as_mut() {
                rule.prepare(&p.table, self.dt, stream_seed(self.seed, Purpose::User, k as u64, 0))?;
            }
        }
        Ok(())
    }

    /// Runs for `duration` ms (rounded to whole steps) from the current state. Errors: a
    /// state variable that becomes NaN or infinite ([`NetworkError::NonFinite`]), a named
    /// expression a state monitor records that is NaN ([`NetworkError::UndefinedExpression`]),
    /// a delay buffer too large to hold (a long delay onto a large population), and the
    /// settings' and the stimuli's errors; the run stops at the step where it fails.
    pub fn run(&mut self, duration: f64) -> Result<(), NetworkError> {
        if !(duration >= 0.0 && duration.is_finite()) {
            return Err(NetworkError::invalid("run duration", duration, "must be finite and not negative"));
        }
        let steps = crate::simulate::fixed_steps(duration, self.dt)
            .map_err(|_| NetworkError::invalid("run duration", duration, "is more than 2^52 time steps"))?;
        self.prepare()?;
        let bar = if self.progress { Progress::new(steps, "network") } else { Progress::hidden() };
        let nn = self.nodes.len();
        let mut local: Vec<Vec<u32>> = vec![Vec::new(); nn];
        let mut all: Vec<Vec<u32>> = vec![Vec::new(); nn];
        let report = (steps / 1000).max(1);
        // The loop runs on a thread of the pool (the current one if it is a worker), so that
        // each step's parallel population updates are joins within the pool; from outside
        // it, each would be sent to the pool and waited for (measured: 3.5 times slower on
        // the 4000-neuron CUBA network with two threads, 11 times with one).
        rayon::scope(|_| -> Result<(), NetworkError> {
            for s in 0..steps {
                self.one_step(&mut local, &mut all)?;
                if (s + 1) % report == 0 {
                    bar.inc(report);
                }
            }
            Ok(())
        })?;
        bar.finish();
        Ok(())
    }

    fn one_step(&mut self, local: &mut [Vec<u32>], all: &mut [Vec<u32>]) -> Result<(), NetworkError> {
        let k = self.step;
        let t = k as f64 * self.dt;
        let t_next = (k + 1) as f64 * self.dt;
        let h = t_next - t;
        // 1. Update every population with the arrivals of this step.
        for (i, node) in self.nodes.iter_mut().enumerate() {
            local[i].clear();
            let n = node.len();
            let arrivals: Vec<&[f64]> = self.node_rings[i]
                .iter()
                .map(|&r| {
                    let ring = &self.rings[r];
                    if ring.jump {
                        return &[][..];
                    }
                    let slot = (k % ring.slots as u64) as usize;
                    &ring.buf[slot * n..(slot + 1) * n]
                })
                .collect();
            self.drives.apply(i, node.as_mut(), k, t, h)?;
            node.update(k, t, h, &arrivals, &mut local[i])?;
        }
        // The consumed slots are free for arrivals `slots` steps ahead.
        for ring in self.rings.iter_mut().filter(|r| !r.jump) {
            let n = ring.buf.len() / ring.slots;
            let slot = (k % ring.slots as u64) as usize;
            super::packed::clear(&mut ring.buf[slot * n..(slot + 1) * n]);
        }
        // 2. Exchange.
        self.comm.exchange(k, local, all)?;
        // 3. Deliver in neuron order, then plasticity.
        for p in &mut self.projections {
            let spikes = &all[p.pre.0];
            if spikes.is_empty() && p.plasticity.is_none() {
                continue;
            }
            let ring = &mut self.rings[p.ring];
            let (slots, n) = (ring.slots as u64, ring.buf.len() / ring.slots);
            if ring.direct {
                let post = &mut self.nodes[ring.node];
                let mut rows = fired_rows(spikes, p.pre_start, p.pre_len, &p.table).peekable();
                while let Some((row, syn)) = rows.next() {
                    prefetch_next(&mut rows, &p.table.target, p.weights.each(), p.contiguous_rows);
                    post.add_jumps(
                        ring.receptor,
                        p.post_start,
                        &p.table.target[syn.clone()],
                        p.weights.row(syn.clone()),
                        p.contiguous_rows,
                    );
                    if let Some(rule) = p.plasticity.as_mut() {
                        rule.on_pre(t_next, row, syn, &p.table, p.weights.each_mut(p.table.len()));
                    }
                }
            } else if let (Delays::Const(d), true, None, Weights::Each(weight)) = (&p.delay, p.contiguous_rows, &p.plasticity, &p.weights) {
                let base = ((k + 1 + *d as u64) % slots) as usize * n + p.post_start;
                deliver_contiguous_rows(
                    &mut ring.buf[base..base + p.post_len],
                    presynaptic_rows(spikes, p.pre_start, p.pre_len).map(|row| p.table.row(row)),
                    &p.table.target,
                    weight,
                );
            } else {
                let mut rows = fired_rows(spikes, p.pre_start, p.pre_len, &p.table).peekable();
                while let Some((row, syn)) = rows.next() {
                    prefetch_next(&mut rows, &p.table.target, p.weights.each(), p.contiguous_rows);
                    match &p.delay {
                        Delays::Const(d) => {
                            let base = ((k + 1 + *d as u64) % slots) as usize * n + p.post_start;
                            let buf = &mut ring.buf[base..base + p.post_len];
                            let (targets, weights) = (&p.table.target[syn.clone()], p.weights.row(syn.clone()));
                            match targets.first() {
                                // The same additions in the same order, as one packed loop.
                                Some(&first) if p.contiguous_rows => {
                                    weights.add_run(&mut buf[first as usize..first as usize + targets.len()], 0);
                                }
                                _ => {
                                    for (k, &tg) in targets.iter().enumerate() {
                                        buf[tg as usize] += weights.at(k);
                                    }
                                }
                            }
                        }
                        Delays::PerSynapse(d) => {
                            let weights = p.weights.row(syn.clone());
                            for (i, s) in syn.clone().enumerate() {
                                let slot = ((k + 1 + d[s] as u64) % slots) as usize;
                                ring.buf[slot * n + p.post_start + p.table.target[s] as usize] += weights.at(i);
                            }
                        }
                    }
                    if let Some(rule) = p.plasticity.as_mut() {
                        rule.on_pre(t_next, row, syn, &p.table, p.weights.each_mut(p.table.len()));
                    }
                }
            }
            if let Some(rule) = p.plasticity.as_mut() {
                let post = &all[p.post.0];
                let a = post.partition_point(|&j| (j as usize) < p.post_start);
                let b = post.partition_point(|&j| (j as usize) < p.post_start + p.post_len);
                if a < b {
                    let locals: Vec<u32> = post[a..b].iter().map(|&j| j - p.post_start as u32).collect();
                    rule.on_post(t_next, &locals, &p.table, p.weights.each_mut(p.table.len()));
                }
                rule.end_step(t_next, &p.table, p.weights.each_mut(p.table.len()));
            }
        }
        // Jumps arriving at t_next enter the state (the direct ones are in already).
        for ring in self.rings.iter_mut().filter(|r| r.jump && !r.direct) {
            let n = ring.buf.len() / ring.slots;
            let slot = ((k + 1) % ring.slots as u64) as usize;
            let arrived = &mut ring.buf[slot * n..(slot + 1) * n];
            self.nodes[ring.node].add_arrivals(ring.receptor, arrived);
            super::packed::clear(arrived);
        }
        // 4. Monitors.
        self.step += 1;
        for m in &mut self.spike_monitors {
            m.push(t_next, &all[m.pop]);
        }
        for m in &mut self.rate_monitors {
            m.push(k, all[m.pop].len());
        }
        for m in &mut self.state_monitors {
            if (self.step - m.start).is_multiple_of(m.every) {
                m.sample(self.nodes[m.pop].as_ref(), t_next)?;
            }
        }
        Ok(())
    }
}
