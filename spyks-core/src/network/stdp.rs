//! Pair-based spike-timing-dependent plasticity with exponential traces.

use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::connectivity::SynapseTable;
use super::error::NetworkError;
use super::plasticity::Plasticity;

/// Which spike pairs count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pairing {
    /// Every pre-post pair contributes (traces add 1 at each spike).
    AllToAll,
    /// Symmetric nearest-neighbour (Morrison et al. 2008, Fig. 7B): a postsynaptic spike pairs
    /// with the last presynaptic spike only, and vice versa (traces are reset to 1).
    Nearest,
}

/// How weight changes depend on the weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bounds {
    /// Additive: Δw₊ = A₊·x, Δw₋ = −A₋·y (A in weight units), then clipped to
    /// [w_min, w_max] (Song, Miller & Abbott 2000).
    Hard,
    /// Multiplicative (soft bounds): Δw₊ = A₊·x·(w_max − w), Δw₋ = −A₋·y·(w − w_min)
    /// (A dimensionless; van Rossum, Bi & Turrigiano 2000 for depression; Gütig et al. 2003
    /// with μ = 1). The bounds are approached, never crossed.
    Soft,
}

/// Turns a rule's weight changes on and off from outside the network (pyN's `stdp=False`);
/// traces keep following the spikes while it is off.
#[derive(Clone, Debug)]
pub struct StdpSwitch(Arc<AtomicBool>);

impl StdpSwitch {
    /// Enables or disables the weight changes (from the next step on).
    pub fn set(&self, enabled: bool) {
        self.0.store(enabled, Ordering::Relaxed);
    }
    /// Whether weights change.
    pub fn enabled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Pair-based STDP with a presynaptic trace x (time constant τ₊) and a postsynaptic trace y
/// (τ₋), attached to a projection with [`super::Network::set_plasticity`].
///
/// A presynaptic spike at t depresses each of its synapses by A₋·y(t) and then bumps x; a
/// postsynaptic spike potentiates each incoming synapse by A₊·x(t) and then bumps y. For one
/// pair with Δt = t_post − t_pre this gives the window of Bi & Poo (1998) in the form of
/// Song, Miller & Abbott (2000):
///
/// Δw = A₊·e^{−Δt/τ₊} for Δt ≥ 0,  Δw = −A₋·e^{Δt/τ₋} for Δt < 0
///
/// (with [`Bounds::Soft`], times (w_max − w) and (w − w_min)). Spikes in the same step count
/// as Δt = 0 (potentiation, as in Brian2 where `on_pre` runs before `on_post`). Spike times
/// are those of the neurons, not of the arrival after the synaptic delay. Traces are
/// per neuron (all synapses of a neuron share its trace) and decay exactly between spikes,
/// so the result does not depend on dt beyond the spike times' grid.
///
/// The default pairing is [`Pairing::AllToAll`]; the rule keeps its traces across runs.
/// A weight outside [w_min, w_max] is clipped the first time the rule changes it.
///
/// ```
/// use spyks_core::network::{Bounds, Stdp};
/// // Song, Miller & Abbott (2000): τ± = 20 ms, A₋/A₊ = 1.05, hard bounds [0, g_max].
/// let stdp = Stdp::new(20.0, 20.0, 0.01, 0.0105).bounds(0.0, 1.0, Bounds::Hard);
/// let switch = stdp.switch(); // switch.set(false) freezes the weights
/// # let _ = switch;
/// ```
#[derive(Clone, Debug)]
pub struct Stdp {
    tau_plus: f64,
    tau_minus: f64,
    a_plus: f64,
    a_minus: f64,
    w_min: f64,
    w_max: f64,
    bounds: Bounds,
    pairing: Pairing,
    enabled: Arc<AtomicBool>,
    /// Presynaptic trace and the time it was last updated, per presynaptic neuron.
    x: Vec<f64>,
    tx: Vec<f64>,
    /// Postsynaptic trace and time, per postsynaptic neuron.
    y: Vec<f64>,
    ty: Vec<f64>,
    /// Incoming synapses of each postsynaptic neuron: `incoming[in_start[j]..in_start[j + 1]]`
    /// as (presynaptic neuron, synapse).
    in_start: Vec<usize>,
    incoming: Vec<(u32, usize)>,
    synapses: usize,
}

impl Stdp {
    /// τ₊, τ₋ (ms) and the amplitudes A₊, A₋ (positive; A₋ is the size of the depression),
    /// with hard bounds [0, ∞), all-to-all pairing, enabled.
    pub fn new(tau_plus: f64, tau_minus: f64, a_plus: f64, a_minus: f64) -> Self {
        Stdp {
            tau_plus,
            tau_minus,
            a_plus,
            a_minus,
            w_min: 0.0,
            w_max: f64::INFINITY,
            bounds: Bounds::Hard,
            pairing: Pairing::AllToAll,
            enabled: Arc::new(AtomicBool::new(true)),
            x: Vec::new(),
            tx: Vec::new(),
            y: Vec::new(),
            ty: Vec::new(),
            in_start: Vec::new(),
            incoming: Vec::new(),
            synapses: usize::MAX,
        }
    }

    /// The weight bounds and how they act (soft bounds need a finite w_max).
    pub fn bounds(mut self, w_min: f64, w_max: f64, bounds: Bounds) -> Self {
        self.w_min = w_min;
        self.w_max = w_max;
        self.bounds = bounds;
        self
    }

    /// Which pairs count (default all-to-all).
    pub fn pairing(mut self, pairing: Pairing) -> Self {
        self.pairing = pairing;
        self
    }

    /// Starts enabled or disabled (default enabled).
    pub fn enabled(self, enabled: bool) -> Self {
        self.enabled.store(enabled, Ordering::Relaxed);
        self
    }

    /// A handle that turns the weight changes on and off between runs.
    pub fn switch(&self) -> StdpSwitch {
        StdpSwitch(self.enabled.clone())
    }

    #[inline]
    fn trace(value: f64, since: f64, t: f64, tau: f64) -> f64 {
        if value == 0.0 { 0.0 } else { value * (-(t - since) / tau).exp() }
    }

    #[inline]
    fn bump(&self, decayed: f64) -> f64 {
        match self.pairing {
            Pairing::AllToAll => decayed + 1.0,
            Pairing::Nearest => 1.0,
        }
    }

    #[inline]
    fn change(&self, w: f64, dw_plus: f64, dw_minus: f64) -> f64 {
        let w = w.clamp(self.w_min, self.w_max);
        match self.bounds {
            Bounds::Hard => (w + self.a_plus * dw_plus - self.a_minus * dw_minus).clamp(self.w_min, self.w_max),
            Bounds::Soft => {
                (w + self.a_plus * dw_plus * (self.w_max - w) - self.a_minus * dw_minus * (w - self.w_min)).clamp(self.w_min, self.w_max)
            }
        }
    }
}

impl Plasticity for Stdp {
    fn name(&self) -> &str {
        "pair-based STDP"
    }

    fn prepare(&mut self, table: &SynapseTable, _dt: f64, _seed: u64) -> Result<(), NetworkError> {
        let bad = |what: &str, v: f64, why: &str| Err(NetworkError::invalid(format!("STDP: {what}"), v, why));
        for (what, v) in [("tau_plus", self.tau_plus), ("tau_minus", self.tau_minus)] {
            if !(v > 0.0 && v.is_finite()) {
                return bad(what, v, "must be positive and finite");
            }
        }
        for (what, v) in [("A_plus", self.a_plus), ("A_minus", self.a_minus)] {
            if !(v >= 0.0 && v.is_finite()) {
                return bad(what, v, "must be finite and not negative");
            }
        }
        if self.w_min.is_nan() || self.w_min == f64::INFINITY || self.w_max.is_nan() || self.w_max <= self.w_min {
            return bad("w_max", self.w_max, "the bounds need w_min < w_max (w_min not NaN or +∞)");
        }
        if self.bounds == Bounds::Soft && !(self.w_min.is_finite() && self.w_max.is_finite()) {
            return bad("w_max", self.w_max, "soft bounds need finite w_min and w_max");
        }
        if self.synapses == table.len() && self.x.len() + 1 == table.row_start.len() {
            return Ok(()); // a later run: keep the traces and the index
        }
        let n_pre = table.row_start.len().saturating_sub(1);
        let n_post = table.target.iter().map(|&j| j as usize + 1).max().unwrap_or(0);
        self.x = vec![0.0; n_pre];
        self.tx = vec![0.0; n_pre];
        self.y = vec![0.0; n_post];
        self.ty = vec![0.0; n_post];
        // The post -> synapse index (counting sort by postsynaptic neuron).
        let mut count = vec![0usize; n_post + 1];
        for &j in &table.target {
            count[j as usize + 1] += 1;
        }
        for j in 0..n_post {
            count[j + 1] += count[j];
        }
        self.in_start = count.clone();
        self.incoming = vec![(0, 0); table.len()];
        for i in 0..n_pre {
            for s in table.row(i) {
                let j = table.target[s] as usize;
                self.incoming[count[j]] = (i as u32, s);
                count[j] += 1;
            }
        }
        self.synapses = table.len();
        Ok(())
    }

    fn on_pre(&mut self, t: f64, pre: usize, synapses: Range<usize>, table: &SynapseTable, weights: &mut [f64]) {
        if self.enabled.load(Ordering::Relaxed) {
            for s in synapses {
                let j = table.target[s] as usize;
                let y = Self::trace(self.y[j], self.ty[j], t, self.tau_minus);
                if y != 0.0 {
                    weights[s] = self.change(weights[s], 0.0, y);
                }
            }
        }
        let x = Self::trace(self.x[pre], self.tx[pre], t, self.tau_plus);
        self.x[pre] = self.bump(x);
        self.tx[pre] = t;
    }

    fn on_post(&mut self, t: f64, post: &[u32], _table: &SynapseTable, weights: &mut [f64]) {
        let enabled = self.enabled.load(Ordering::Relaxed);
        for &j in post {
            let j = j as usize;
            if j >= self.y.len() {
                continue; // no incoming synapses
            }
            if enabled {
                for &(i, s) in &self.incoming[self.in_start[j]..self.in_start[j + 1]] {
                    let x = Self::trace(self.x[i as usize], self.tx[i as usize], t, self.tau_plus);
                    if x != 0.0 {
                        weights[s] = self.change(weights[s], x, 0.0);
                    }
                }
            }
            let y = Self::trace(self.y[j], self.ty[j], t, self.tau_minus);
            self.y[j] = self.bump(y);
            self.ty[j] = t;
        }
    }
}
