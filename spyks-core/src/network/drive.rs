//! Currents computed anew every step and added to a named input of a population: current
//! schedules ([`super::CurrentSchedule`]), noise currents ([`super::NoiseCurrent`]) and any
//! drive a user writes.
//!
//! Before each step the network starts from the input's base value (the value set with
//! [`super::Network::set_input`], else the model's default), lets every drive of that input
//! add its current in the order the drives were added, and writes the sum into the
//! population's input for that step. The integrator sees it constant over the step (as
//! `net.m` of Izhikevich 2003 and pyN do); synaptic currents into the same input add to it.

use std::collections::HashMap;

use super::error::NetworkError;
use super::node::{Kind, Node};
use super::seed::{Purpose, stream_seed};

/// A current added to one input of a population, one value per neuron and step.
///
/// A drive that draws random numbers uses the seed it gets in [`Drive::prepare`], which
/// depends on the network's seed, the population and the drive's number only. `prepare` is
/// called before every run: a drive keeps its stream across runs (seeding it on the first
/// call only), so that two runs of 500 ms give what one run of 1000 ms gives.
pub trait Drive: Send {
    /// A short name for messages.
    fn name(&self) -> &str;
    /// Called before each run with the population's size, the time step (ms) and the seed
    /// of this drive's stream.
    fn prepare(&mut self, n: usize, dt: f64, seed: u64) -> Result<(), NetworkError>;
    /// Adds the current of the step from `t` to `t + h` (step number `step`) to `input`
    /// (one value per neuron of the population).
    fn add(&mut self, step: u64, t: f64, h: f64, input: &mut [f64]);
}

/// A drive of a network (returned by [`super::Network::add_drive`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DriveId(pub(crate) usize);

/// The value of an input before drives act.
#[derive(Clone, Debug)]
enum Base {
    Const(f64),
    Array(Vec<f64>),
}

struct Slot {
    pop: usize,
    input: String,
    /// The input's number in the population's model.
    index: usize,
    base: Base,
    /// (network-wide drive number, drive).
    drives: Vec<(usize, Box<dyn Drive>)>,
    buf: Vec<f64>,
}

/// The drives of a network, grouped by (population, input).
#[derive(Default)]
pub(crate) struct DriveSet {
    slots: Vec<Slot>,
    /// The number and base value of every input of every population.
    bases: HashMap<(usize, String), (usize, Base)>,
    count: usize,
}

impl DriveSet {
    /// Records the inputs of a new population, in the model's order, and their default
    /// values.
    pub(crate) fn register(&mut self, pop: usize, inputs: impl IntoIterator<Item = (&'static str, f64)>) {
        for (index, (name, v)) in inputs.into_iter().enumerate() {
            self.bases.insert((pop, name.to_string()), (index, Base::Const(v)));
        }
    }

    /// Records new base values of an input (from `set_input`); other names are ignored.
    pub(crate) fn set_base(&mut self, pop: usize, name: &str, values: &[f64]) {
        let key = (pop, name.to_string());
        let base = match values.first() {
            Some(&c) if values.iter().all(|&v| v == c) => Base::Const(c),
            _ => Base::Array(values.to_vec()),
        };
        for s in self.slots.iter_mut().filter(|s| s.pop == pop && s.input == name) {
            s.base = base.clone();
        }
        if let Some((_, b)) = self.bases.get_mut(&key) {
            *b = base;
        }
    }

    /// Adds a drive to an input (checked to be one of the population's inputs); `kind` is
    /// what messages call the node ("population" or "spike source").
    pub(crate) fn add(
        &mut self,
        pop: usize,
        pop_name: &str,
        kind: &str,
        input: &str,
        drive: Box<dyn Drive>,
    ) -> Result<DriveId, NetworkError> {
        let key = (pop, input.to_string());
        let Some((index, base)) = self.bases.get(&key).cloned() else {
            let mut valid: Vec<&str> = self.bases.keys().filter(|k| k.0 == pop).map(|k| k.1.as_str()).collect();
            valid.sort_unstable();
            let valid = if valid.is_empty() { "none".to_string() } else { valid.join(", ") };
            return Err(NetworkError::rejected(
                format!("drive `{}` of `{pop_name}`", drive.name()),
                format!("`{input}` is not an input of the {kind} (inputs: {valid})"),
            ));
        };
        let id = self.count;
        self.count += 1;
        match self.slots.iter_mut().find(|s| s.pop == pop && s.input == input) {
            Some(s) => s.drives.push((id, drive)),
            None => self.slots.push(Slot { pop, input: input.to_string(), index, base, drives: vec![(id, drive)], buf: Vec::new() }),
        }
        Ok(DriveId(id))
    }

    /// Prepares every drive with its seed: (network seed, population, drive number).
    pub(crate) fn prepare(&mut self, seed: u64, dt: f64, len: impl Fn(usize) -> usize) -> Result<(), NetworkError> {
        for s in &mut self.slots {
            let n = len(s.pop);
            s.buf.resize(n, 0.0);
            for (id, d) in &mut s.drives {
                d.prepare(n, dt, stream_seed(seed, Purpose::Drive, s.pop as u64, *id as u64))?;
            }
        }
        Ok(())
    }

    /// Writes base + drives of the step into the driven inputs of population `pop`.
    pub(crate) fn apply(&mut self, pop: usize, node: &mut dyn Node, step: u64, t: f64, h: f64) -> Result<(), NetworkError> {
        for s in self.slots.iter_mut().filter(|s| s.pop == pop) {
            match &s.base {
                Base::Const(c) => s.buf.fill(*c),
                Base::Array(a) => s.buf.copy_from_slice(a),
            }
            for (_, d) in &mut s.drives {
                d.add(step, t, h, &mut s.buf);
            }
            node.set_values(Kind::Input, s.index, &s.buf)?;
        }
        Ok(())
    }
}
