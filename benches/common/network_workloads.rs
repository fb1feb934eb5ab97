//! The network benchmark workloads, shared by `benches/network.rs` (criterion) and
//! `examples/network_bench.rs` (one JSON record per workload). They mirror
//! `benches/compare/network/workloads.json` of the Brian2 and NEST comparison: the same
//! models, parameters, sizes, time steps and durations.

#![allow(dead_code)]

use spyks::integrate::{Euler, ExpEuler, Fused, Linear, Rk4};
use spyks::network::{Network, NetworkError, Population, Projection, Rule, SpikeMonitorId, Target, Values};
use spyks::presets::hodgkin_huxley::{HodgkinHuxley, HodgkinHuxleyTables, UA_PER_CM2};
use spyks::presets::integrate_and_fire::LifCond;
use spyks::presets::integrate_and_fire::LifCuba as Cuba;

// The spyks `pospischil` and `biocm` files with a spike detector (-20 mV, 5 ms dead time).
spyks::include_model!("models/pospischil_spiking.yml");
spyks::include_model!("models/biocm_spiking.yml");
// The same with lookup tables (step 0.05 mV, as `hh_lut`).
spyks::include_model!("models/pospischil_spiking_tables.yml");
spyks::include_model!("models/biocm_spiking_tables.yml");

/// The Izhikevich (2003) network of the example, reused so that the benchmark runs exactly it.
#[allow(dead_code)]
#[path = "../../examples/izhikevich_network.rs"]
mod izhikevich_network;

/// Synapses per neuron on average (p = 80 / N).
pub const SYNAPSES_PER_NEURON: f64 = 80.0;
/// The network sizes of CUBA and COBA.
pub const SIZES: [usize; 3] = [4000, 16000, 64000];

/// How the CUBA neurons are integrated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CubaMethod {
    /// The exact propagator, as Brian2 does (`method='linear'`), the default: about 1.25
    /// times faster than RK4 here.
    Linear,
    /// Classic RK4 (error below 1e-12 relative at dt/τ = 0.005; the same spikes).
    Rk4,
}

impl CubaMethod {
    /// `linear` or `rk4`.
    pub fn parse(s: &str) -> Option<CubaMethod> {
        match s {
            "linear" => Some(CubaMethod::Linear),
            "rk4" => Some(CubaMethod::Rk4),
            _ => None,
        }
    }
}

/// The workloads of 10000 independent neurons in [`Workload::all`], in its order: `hh`,
/// `pospischil` and `biocm` with exponential Euler, with lookup tables (`_lut`), with
/// [`Fused`] exponential Euler (`_fused`: fused multiply-adds in the blocks), and both.
pub const INDEPENDENT: [&str; 12] = [
    "hh",
    "hh_lut",
    "hh_fused",
    "pospischil",
    "pospischil_lut",
    "pospischil_fused",
    "biocm",
    "biocm_lut",
    "biocm_fused",
    "hh_lut_fused",
    "pospischil_lut_fused",
    "biocm_lut_fused",
];

/// Every workload's name: the networks (`coba_fused` is COBA with [`Fused`] Euler, spyks
/// only: compared with Brian2's COBA, whose C++ its compiler contracts under `-march=native`),
/// [`INDEPENDENT`], and `hh_hetero` (spyks only, so not in [`Workload::all`]).
pub fn names() -> impl Iterator<Item = &'static str> {
    ["cuba", "coba", "coba_fused", "izhikevich"].into_iter().chain(INDEPENDENT).chain(["hh_hetero"])
}

/// One workload: its name, size, time step and duration (ms).
#[derive(Clone, Copy, Debug)]
pub struct Workload {
    /// One of [`names`].
    pub name: &'static str,
    /// Number of neurons.
    pub n: usize,
    /// Time step (ms).
    pub dt: f64,
    /// Simulated time (ms).
    pub duration: f64,
    /// The integrator of the CUBA neurons (ignored by the other workloads).
    pub cuba_method: CubaMethod,
}

impl Workload {
    /// The workload called `name` at size `n` (the Izhikevich network has one size).
    pub fn new(name: &str, n: usize) -> Option<Workload> {
        let name = names().find(|&k| k == name)?;
        let (dt, duration) = match name {
            "cuba" | "coba" | "coba_fused" => (0.1, 1000.0),
            "izhikevich" if n == izhikevich_network::N => (1.0, 1000.0),
            "izhikevich" => return None,
            _ => (0.01, 100.0),
        };
        Some(Workload { name, n, dt, duration, cuba_method: CubaMethod::Linear })
    }

    /// Every workload of the comparison.
    pub fn all() -> Vec<Workload> {
        let mut v = Vec::new();
        for name in ["cuba", "coba", "coba_fused"] {
            for n in SIZES {
                v.push(Workload::new(name, n).unwrap());
            }
        }
        v.push(Workload::new("izhikevich", izhikevich_network::N).unwrap());
        for name in INDEPENDENT {
            v.push(Workload::new(name, 10000).unwrap());
        }
        v
    }

    /// Number of excitatory neurons (all for the single-neuron populations).
    pub fn n_exc(&self) -> usize {
        match self.name {
            "izhikevich" => izhikevich_network::NE,
            "cuba" | "coba" | "coba_fused" => (0.8 * self.n as f64).round() as usize,
            _ => self.n,
        }
    }

    /// Builds the network with `seed`; returns it with a monitor of every neuron's spikes.
    pub fn build(&self, seed: u64) -> Result<(Network, SpikeMonitorId), NetworkError> {
        let (n, n_e) = (self.n, self.n_exc());
        let p_conn = SYNAPSES_PER_NEURON / n as f64;
        if self.name == "izhikevich" {
            // The network of `net.m`, exactly as `examples/izhikevich_network.rs` builds it.
            let (net, _, spikes) = izhikevich_network::build(seed)?;
            return Ok((net, spikes));
        }
        let mut net = Network::new(self.dt, seed)?;
        let spikes = match self.name {
            "cuba" => {
                // Brian2 integrates CUBA exactly ("linear"), as `Linear` (the default) does;
                // RK4's error at dt/τ = 0.005 is below 1e-12 relative (the same spikes).
                let p = match self.cuba_method {
                    CubaMethod::Linear => net.add_population(Population::new("CUBA", n, Cuba::new(), |_| Linear::new()))?,
                    CubaMethod::Rk4 => net.add_population(Population::new("CUBA", n, Cuba::new(), |_| Rk4))?,
                };
                net.init_state(p, "v", Values::uniform(-60.0, -50.0))?;
                let exc = Projection::new(p.slice(0..n_e), p, Rule::FixedProbability(p_conn), Target::state("ge"));
                net.connect(exc.weight(1.62))?;
                let inh = Projection::new(p.slice(n_e..n), p, Rule::FixedProbability(p_conn), Target::state("gi"));
                net.connect(inh.weight(-9.0))?;
                net.record_spikes(p, None)?
            }
            "coba" | "coba_fused" => {
                // Brian2's COBA benchmark: conductances in units of g_L (10 nS), a 20 mV drive
                // (200 pA), forward Euler.
                let g_l = 10.0;
                let p = if self.name == "coba" {
                    net.add_population(Population::new("COBA", n, LifCond::new(), |_| Euler::new()))?
                } else {
                    net.add_population(Population::new("COBA", n, LifCond::new(), |_| Fused(Euler::new())))?
                };
                net.init_state(p, "V", Values::normal(-55.0, 5.0))?;
                net.set_input(p, "I", (20.0 * g_l).into())?;
                let exc = Projection::new(p.slice(0..n_e), p, Rule::FixedProbability(p_conn), Target::state("g_e"));
                net.connect(exc.weight(0.6 * g_l))?;
                let inh = Projection::new(p.slice(n_e..n), p, Rule::FixedProbability(p_conn), Target::state("g_i"));
                net.connect(inh.weight(6.7 * g_l))?;
                net.record_spikes(p, None)?
            }
            // `hh` with the rates read from lookup tables (-100..60 mV, step 0.05 mV, linear),
            // as Brian2 with lut4brian on the same grid.
            "hh_lut" => independent(&mut net, n, HodgkinHuxleyTables::new(), "I", 10.0 * UA_PER_CM2)?,
            "hh_hetero" => {
                // `hh` with each neuron's conductances its own (spyks only; no Brian2 script):
                // ±20 % around the defaults.
                let p = net.add_population(Population::new("HH", n, HodgkinHuxley::new(), |_| ExpEuler))?;
                net.set_input(p, "I", (10.0 * UA_PER_CM2).into())?;
                let d = HodgkinHuxley::new().params;
                for (name, base) in [("g_Na", d.g_Na), ("g_K", d.g_K), ("g_L", d.g_L)] {
                    net.set_param(p, name, Values::uniform(0.8 * base, 1.2 * base))?;
                }
                net.record_spikes(p, None)?
            }
            // The spyks files under 500 and 200 pA, and the same with lookup tables (spyks
            // only: Brian2's figure is its exact run).
            "pospischil" => independent(&mut net, n, PospischilSpiking::new(), "Iinj", 500.0)?,
            "biocm" => independent(&mut net, n, BiocmSpiking::new(), "Iinj", 200.0)?,
            "pospischil_lut" => independent(&mut net, n, PospischilSpikingTables::new(), "Iinj", 500.0)?,
            "biocm_lut" => independent(&mut net, n, BiocmSpikingTables::new(), "Iinj", 200.0)?,
            // The same as `hh`, `pospischil` and `biocm` with fused multiply-adds in the blocks
            // (spyks only: compared with Brian2's run of those, which its compiler contracts).
            "hh_fused" => independent_with(&mut net, n, HodgkinHuxley::new(), Fused(ExpEuler), "I", 10.0 * UA_PER_CM2)?,
            "pospischil_fused" => independent_with(&mut net, n, PospischilSpiking::new(), Fused(ExpEuler), "Iinj", 500.0)?,
            "biocm_fused" => independent_with(&mut net, n, BiocmSpiking::new(), Fused(ExpEuler), "Iinj", 200.0)?,
            // The table workloads with fused multiply-adds (compared with Brian2's table run for
            // HH, its exact runs for the others).
            "hh_lut_fused" => independent_with(&mut net, n, HodgkinHuxleyTables::new(), Fused(ExpEuler), "I", 10.0 * UA_PER_CM2)?,
            "pospischil_lut_fused" => independent_with(&mut net, n, PospischilSpikingTables::new(), Fused(ExpEuler), "Iinj", 500.0)?,
            "biocm_lut_fused" => independent_with(&mut net, n, BiocmSpikingTables::new(), Fused(ExpEuler), "Iinj", 200.0)?,
            // 10000 independent neurons at 10 µA/cm².
            "hh" => independent(&mut net, n, HodgkinHuxley::new(), "I", 10.0 * UA_PER_CM2)?,
            other => unreachable!("`{other}` is not one of `names()`, which `Workload::new` checks"),
        };
        Ok((net, spikes))
    }
}

/// `n` independent neurons of `model` under a constant `input`, integrated by exponential
/// Euler (as Brian2's scripts do), with their spikes recorded.
fn independent<M: spyks::NeuronModel>(
    net: &mut Network,
    n: usize,
    model: M,
    input: &str,
    value: f64,
) -> Result<SpikeMonitorId, NetworkError> {
    independent_with(net, n, model, ExpEuler, input, value)
}

/// [`independent`] with the integrator `method`.
fn independent_with<M: spyks::NeuronModel, S: spyks::integrate::Stepper<M> + Copy + Send + Sync + 'static>(
    net: &mut Network,
    n: usize,
    model: M,
    method: S,
    input: &str,
    value: f64,
) -> Result<SpikeMonitorId, NetworkError> {
    let p = net.add_population(Population::new(M::NAME, n, model, move |_| method))?;
    net.set_input(p, input, value.into())?;
    net.record_spikes(p, None)
}
