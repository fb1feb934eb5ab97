//! The interface between the network loop and what produces spikes: populations of neurons
//! and spike sources.

use super::error::NetworkError;
use super::projection::RowWeights;
use super::target::Target;

/// What the network needs from anything that produces spikes. [`super::Population`]
/// implements it for every model; [`SpikeSource`]s are wrapped into it.
pub(crate) trait Node: Send {
    fn name(&self) -> &str;
    fn len(&self) -> usize;
    /// What messages call the node and its members: ("population", "neuron"), or for a
    /// [`SpikeSource`] ("spike source", "channel").
    fn words(&self) -> (&'static str, &'static str) {
        ("population", "neuron")
    }
    /// Whether the node was made without its neurons, too many to hold.
    fn unallocated(&self) -> bool {
        false
    }
    /// Called before a run: validates, builds per-chunk integrators from the seed.
    fn prepare(&mut self, seed: u64, index: usize, dt: f64) -> Result<(), NetworkError>;
    /// Registers a target, returning its receptor number (equal targets share one).
    fn add_receptor(&mut self, target: &Target) -> Result<usize, NetworkError>;
    /// Advances from `t` by `h` (step number `step`): applies the arrivals (one slice of
    /// length `len()` per receptor; empty for jump receptors, whose arrivals are already in
    /// the state), integrates, and appends the indices that spiked
    /// (sorted) to `spikes`.
    fn update(&mut self, step: u64, t: f64, h: f64, arrivals: &[&[f64]], spikes: &mut Vec<u32>) -> Result<(), NetworkError>;
    /// Whether receptor `receptor` is a jump in a state variable (which undelayed projections
    /// deliver straight into the state, through [`Node::add_jumps`]).
    fn is_jump(&self, _receptor: usize) -> bool {
        false
    }
    /// Adds the weight of synapse s (`weights.at(s)`) to the state variable of jump receptor
    /// `receptor` of neuron `offset + targets[s]`, synapse by synapse in order (`contiguous`:
    /// the targets are consecutive). Receptors that are not jumps are never passed.
    fn add_jumps(&mut self, _receptor: usize, _offset: usize, _targets: &[u32], _weights: RowWeights, _contiguous: bool) {}
    /// Adds `arrived[j]` (where it is not zero) to the state variable of jump receptor
    /// `receptor` of neuron `j`: a delayed projection's jumps at their arrival time.
    fn add_arrivals(&mut self, _receptor: usize, _arrived: &[f64]) {}
    /// The number of a recordable variable (state variable or named expression).
    fn var_index(&self, name: &str) -> Result<usize, NetworkError>;
    /// Name and unit of a recordable variable.
    fn var_info(&self, var: usize) -> (&'static str, &'static str);
    /// The current value of a recordable variable in one neuron at time `t` (the end of the
    /// last step): a named expression sees the neuron's inputs including its synaptic ones.
    fn read(&self, var: usize, neuron: usize, t: f64) -> f64;
    /// The number of the state variable, parameter or input (`kind`) called `name`, else an
    /// error listing the names of that kind.
    fn index_of(&self, kind: Kind, name: &str) -> Result<usize, NetworkError>;
    /// Sets variable `index` (from [`Node::index_of`]) of kind `kind` of every neuron.
    fn set_values(&mut self, kind: Kind, index: usize, values: &[f64]) -> Result<(), NetworkError>;
}

/// The kinds of variables that `init_state`, `set_param` and `set_input` take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A state variable.
    State,
    /// A parameter.
    Param,
    /// An input.
    Input,
}

/// A source of spikes with no dynamics of its own (Poisson generators, spike-time arrays,
/// replayed recordings): the extension point for inputs.
///
/// Add one with [`super::Network::add_source`]; projections from it work as from a
/// population. A source that draws random numbers takes them from the stream it gets in
/// [`SpikeSource::prepare`], which depends on the network's seed and the source's number only,
/// so runs stay reproducible.
pub trait SpikeSource: Send {
    /// A short name for messages.
    fn name(&self) -> &str;
    /// The number of spike-emitting channels.
    fn len(&self) -> usize;
    /// Whether there are no channels.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Called before a run with the time step (ms) and a seed for this source's stream.
    fn prepare(&mut self, dt: f64, seed: u64) -> Result<(), NetworkError>;
    /// Appends, sorted, the channels that spike in the step from `t` to `t + h`
    /// (spike time `t + h`), step number `step`.
    fn spikes(&mut self, step: u64, t: f64, h: f64, out: &mut Vec<u32>);
}

/// Spikes at given times: channel `i` fires at each time of `times[i]` (ms), in the step whose
/// end is the first step end at or after that time (times are rounded up to the grid, with a
/// tolerance of 10⁻⁹ steps for round-off).
///
/// Two times of one channel that fall in one step are an error (from [`super::Network::run`]):
/// the network carries at most one spike per neuron and step, so one of them would be lost.
#[derive(Clone, Debug)]
pub struct SpikeTimes {
    name: String,
    times: Vec<Vec<f64>>,
    /// (step number, channel), sorted, after `prepare`.
    events: Vec<(u64, u32)>,
    next: usize,
}

impl SpikeTimes {
    /// Channels firing at the given times (ms); each list is sorted on `prepare`.
    pub fn new(name: &str, times: Vec<Vec<f64>>) -> Self {
        SpikeTimes { name: name.to_string(), times, events: Vec::new(), next: 0 }
    }
}

impl SpikeSource for SpikeTimes {
    fn name(&self) -> &str {
        &self.name
    }
    fn len(&self) -> usize {
        self.times.len()
    }
    fn prepare(&mut self, dt: f64, _seed: u64) -> Result<(), NetworkError> {
        self.events.clear();
        let mut channel: Vec<(u64, f64)> = Vec::new();
        for (i, ts) in self.times.iter().enumerate() {
            channel.clear();
            for &t in ts {
                if !(t.is_finite() && t > 0.0) {
                    return Err(NetworkError::invalid(
                        format!("spike source `{}`, channel {i}", self.name),
                        t,
                        "spike times must be finite and positive (a spike ends a step)",
                    ));
                }
                // The step k ends at (k + 1)·dt; a time within the tolerance of 0 ends the
                // first step (the ceiling is 0 there, and the step number would wrap).
                let k = (t / dt - 1e-9).ceil().max(1.0) as u64 - 1;
                channel.push((k, t));
            }
            channel.sort_unstable_by(|a, b| a.1.total_cmp(&b.1));
            if let Some(w) = channel.windows(2).find(|w| w[0].0 == w[1].0) {
                return Err(NetworkError::invalid(
                    format!("spike source `{}`, channel {i}", self.name),
                    w[1].1,
                    format!(
                        "the times {} and {} ms fall in one step of {dt} ms; the network carries at most one spike per neuron and step",
                        w[0].1, w[1].1
                    ),
                ));
            }
            self.events.extend(channel.iter().map(|&(k, _)| (k, i as u32)));
        }
        self.events.sort_unstable();
        // Skip events already past when a run continues.
        self.next = 0;
        Ok(())
    }
    fn spikes(&mut self, step: u64, _t: f64, _h: f64, out: &mut Vec<u32>) {
        while self.next < self.events.len() && self.events[self.next].0 < step {
            self.next += 1;
        }
        while self.next < self.events.len() && self.events[self.next].0 == step {
            out.push(self.events[self.next].1);
            self.next += 1;
        }
    }
}

/// Wraps a [`SpikeSource`] as a node.
pub(crate) struct SourceNode(pub Box<dyn SpikeSource>);

impl Node for SourceNode {
    fn name(&self) -> &str {
        self.0.name()
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn words(&self) -> (&'static str, &'static str) {
        ("spike source", "channel")
    }
    fn prepare(&mut self, seed: u64, index: usize, dt: f64) -> Result<(), NetworkError> {
        let s = super::seed::stream_seed(seed, super::seed::Purpose::Source, index as u64, 0);
        self.0.prepare(dt, s)
    }
    fn add_receptor(&mut self, _target: &Target) -> Result<usize, NetworkError> {
        Err(NetworkError::rejected(format!("spike source `{}`", self.0.name()), "a spike source cannot receive synapses"))
    }
    fn update(&mut self, step: u64, t: f64, h: f64, _arrivals: &[&[f64]], spikes: &mut Vec<u32>) -> Result<(), NetworkError> {
        self.0.spikes(step, t, h, spikes);
        Ok(())
    }
    fn var_index(&self, name: &str) -> Result<usize, NetworkError> {
        Err(NetworkError::rejected(
            format!("spike source `{}`", self.0.name()),
            format!("`{name}` is not a variable: a spike source has no state variables, parameters or inputs"),
        ))
    }
    fn var_info(&self, _var: usize) -> (&'static str, &'static str) {
        ("", "")
    }
    fn read(&self, _var: usize, _neuron: usize, _t: f64) -> f64 {
        f64::NAN
    }
    fn index_of(&self, _kind: Kind, name: &str) -> Result<usize, NetworkError> {
        self.var_index(name)
    }
    fn set_values(&mut self, _kind: Kind, _index: usize, _values: &[f64]) -> Result<(), NetworkError> {
        Err(NetworkError::rejected(
            format!("spike source `{}`", self.0.name()),
            "a spike source has no state variables, parameters or inputs",
        ))
    }
}
