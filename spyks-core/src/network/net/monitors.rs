//! The network's monitors: making them (spikes, variables, rates) and reading their records.

use super::Network;
use crate::network::error::NetworkError;
use crate::network::monitor::{RateMonitor, RateMonitorId, SpikeMonitor, SpikeMonitorId, StateMonitor, StateMonitorId};
use crate::network::projection::PopId;

impl Network {
    /// Records the spikes of a population: all neurons, or the given indices.
    pub fn record_spikes(&mut self, p: PopId, subset: Option<&[usize]>) -> Result<SpikeMonitorId, NetworkError> {
        let n = self.node(p)?.len();
        self.spike_monitors.push(SpikeMonitor::new(p, n, subset)?);
        Ok(SpikeMonitorId(self.spike_monitors.len() - 1, self.tag))
    }

    /// Records variables (state variables or named expressions) of the given neurons every
    /// `interval` ms (a whole number of steps), starting with the current state at the current
    /// time (for a population added after a run, the state it will start its first step
    /// from). A named expression is evaluated at the end of each recorded step with the
    /// neuron's inputs as the next step starts from them: the user-set and driven values plus
    /// the synaptic currents and conductances (g·(E − v) with the recorded v).
    pub fn record_state(&mut self, p: PopId, names: &[&str], neurons: &[usize], interval: f64) -> Result<StateMonitorId, NetworkError> {
        let node = self.node(p)?;
        let vars = names
            .iter()
            .map(|n| {
                let v = node.var_index(n)?;
                let (name, unit) = node.var_info(v);
                Ok((v, name, unit))
            })
            .collect::<Result<Vec<_>, NetworkError>>()?;
        if let Some(&i) = neurons.iter().find(|&&i| i >= node.len()) {
            return Err(NetworkError::Index { context: format!("state monitor of `{}`", node.name()), index: i, len: node.len() });
        }
        let every = self.whole_steps(interval, "recording interval")?;
        let mut m = StateMonitor::new(p.0, vars, neurons.to_vec(), every, self.step);
        let t = self.time();
        m.sample(node, t)?;
        self.state_monitors.push(m);
        Ok(StateMonitorId(self.state_monitors.len() - 1, self.tag))
    }

    /// Records the rate of a population in bins of `bin` ms (a whole number of steps), the
    /// first starting now.
    pub fn record_rate(&mut self, p: PopId, bin: f64) -> Result<RateMonitorId, NetworkError> {
        let n = self.node(p)?.len();
        let k = self.whole_steps(bin, "rate bin")?;
        self.rate_monitors.push(RateMonitor::new(p.0, n, k, bin, self.step, self.time()));
        Ok(RateMonitorId(self.rate_monitors.len() - 1, self.tag))
    }

    /// The number of steps in `interval` ms ([`crate::simulate::whole_steps`]), or the error
    /// naming `what`.
    fn whole_steps(&self, interval: f64, what: &str) -> Result<u64, NetworkError> {
        crate::simulate::whole_steps(interval, self.dt).map_err(|reason| NetworkError::invalid(what, interval, reason))
    }

    /// A spike monitor's record; an error for a monitor of another network.
    pub fn spikes(&self, id: SpikeMonitorId) -> Result<&SpikeMonitor, NetworkError> {
        self.tag.get(&self.spike_monitors, id.1, id.0, "spike monitor")
    }
    /// A state monitor's record; an error for a monitor of another network.
    pub fn states(&self, id: StateMonitorId) -> Result<&StateMonitor, NetworkError> {
        self.tag.get(&self.state_monitors, id.1, id.0, "state monitor")
    }
    /// A rate monitor's record; an error for a monitor of another network.
    pub fn rates(&self, id: RateMonitorId) -> Result<&RateMonitor, NetworkError> {
        self.tag.get(&self.rate_monitors, id.1, id.0, "rate monitor")
    }
}
