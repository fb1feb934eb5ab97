//! What a projection acts on in its postsynaptic neurons: a named state variable that jumps,
//! or a named input fed by a synaptic variable that the network holds.

/// The synapse kind of a [`Target`].
#[derive(Clone, Debug, PartialEq)]
pub enum SynapseKind {
    /// `x += w` on the named state variable at arrival (instantaneous). A model with a
    /// decaying variable (`dg_e/dt = -g_e/tau_e`) gets exponential synapses this way, with
    /// the model's own integrator.
    Jump,
    /// A current s into the named input: s += w at arrival, then ds/dt = −s/τ.
    ExpCurrent {
        /// Decay time constant (ms).
        tau: f64,
    },
    /// An alpha current into the named input: a single weight w gives w·(t/τ)·e^{1−t/τ},
    /// peaking at w at t = τ.
    AlphaCurrent {
        /// Time to peak (ms).
        tau: f64,
    },
    /// A conductance g with reversal potential E into the named input, which receives
    /// g·(E − v) with v the named state variable: g += w at arrival, dg/dt = −g/τ.
    ExpConductance {
        /// Decay time constant (ms).
        tau: f64,
        /// Reversal potential (mV).
        e_rev: f64,
        /// The membrane potential state variable.
        v: String,
    },
    /// An alpha-shaped conductance (peak w at t = τ) with reversal potential E.
    AlphaConductance {
        /// Time to peak (ms).
        tau: f64,
        /// Reversal potential (mV).
        e_rev: f64,
        /// The membrane potential state variable.
        v: String,
    },
}

/// What a projection acts on: a named variable of the postsynaptic model and the synapse kind.
///
/// Projections with equal targets on the same population share one delay ring buffer and
/// one synaptic variable (their inputs add, as they do in the membrane).
///
/// The network integrates its synaptic variables exactly (an exponential per step; the
/// alpha function as two coupled exponentials). Within a step the model's integrator sees
/// the synaptic current interpolated linearly between its values at both ends of the step;
/// a conductance's driving force uses v at the start of the step. Write the conductance into
/// the model (as [`crate::presets::integrate_and_fire::LifCond`] does) and use
/// [`Target::state`] when the driving force must follow v within the step.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// The state variable (for [`SynapseKind::Jump`]) or input (the others) acted on.
    pub name: String,
    /// The synapse kind.
    pub kind: SynapseKind,
}

impl Target {
    /// A jump `name += w` in a state variable.
    pub fn state(name: &str) -> Self {
        Target { name: name.to_string(), kind: SynapseKind::Jump }
    }
    /// An exponentially decaying current into the input `input`.
    pub fn exp_current(input: &str, tau: f64) -> Self {
        Target { name: input.to_string(), kind: SynapseKind::ExpCurrent { tau } }
    }
    /// An alpha current into the input `input`.
    pub fn alpha_current(input: &str, tau: f64) -> Self {
        Target { name: input.to_string(), kind: SynapseKind::AlphaCurrent { tau } }
    }
    /// An exponentially decaying conductance with reversal `e_rev`, giving the current
    /// g·(e_rev − v) into the input `input`.
    pub fn exp_conductance(input: &str, tau: f64, e_rev: f64, v: &str) -> Self {
        Target { name: input.to_string(), kind: SynapseKind::ExpConductance { tau, e_rev, v: v.to_string() } }
    }
    /// An alpha conductance with reversal `e_rev` into the input `input`.
    pub fn alpha_conductance(input: &str, tau: f64, e_rev: f64, v: &str) -> Self {
        Target { name: input.to_string(), kind: SynapseKind::AlphaConductance { tau, e_rev, v: v.to_string() } }
    }

    /// The time constant, if any.
    pub(crate) fn tau(&self) -> Option<f64> {
        match &self.kind {
            SynapseKind::Jump => None,
            SynapseKind::ExpCurrent { tau }
            | SynapseKind::AlphaCurrent { tau }
            | SynapseKind::ExpConductance { tau, .. }
            | SynapseKind::AlphaConductance { tau, .. } => Some(*tau),
        }
    }
}
