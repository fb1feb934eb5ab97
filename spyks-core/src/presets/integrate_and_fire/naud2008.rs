//! The eight firing patterns of the AdEx in Naud, Marcille, Clopath & Gerstner (2008),
//! "Firing patterns in the adaptive exponential integrate-and-fire model", *Biol Cybern*
//! 99:335, Table 1 and Fig. 4: each a parameter set of [`Adex`](super::Adex) and the step current that
//! elicits it.
//!
//! # Provenance of the numbers
//!
//! The values are those of Brian2's example `Naud_et_al_2008_adex_firing_patterns.py`
//! (S. Schmitt and S. Billaudelle, 2022), which states that they were "adapted by
//! P. Müller to match the figures" of the paper; an independent re-implementation
//! (P. Devanarayanan's AdEx script) lists the same 80 numbers. ANNarchy's AdEx notebook,
//! which follows the paper's table, agrees on six of the eight sets and differs on two:
//! *delayed regular bursting* (C 200 pF, g_L 12 nS, E_L −70 mV, a −6 nS, τ_w 300 ms,
//! b 0 pA, V_r −58 mV, I 110 pA) and *transient spiking* (a −10 nS, b 30 pA, I 350 pA,
//! otherwise as below). Simulated here over 500 ms, those two do not show their patterns
//! (the first stays silent, its current being below its rheobase; the second fires
//! tonically after a brief acceleration), while the adjusted sets reproduce all eight
//! patterns of Fig. 4, which is why they are shipped: `tests/adex_patterns.rs` checks that
//! [`classify`](crate::analysis::firing_pattern::classify) assigns each set its own pattern.
//!
//! Common to all sets: V_T = −50 mV, Δ_T = 2 mV and the spike cut-off V_peak = 0 mV (the
//! value used by both Brian2's and ANNarchy's reproductions). The neuron starts at rest,
//! V = E_L and w = 0, and the current is switched on at t = 0 (as in both reproductions).

use super::AdexParams;
use crate::analysis::firing_pattern::FiringPattern;

/// One firing pattern: the AdEx parameters, the step current and the expected pattern.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NaudPattern {
    /// The pattern's name as in the paper.
    pub name: &'static str,
    /// The panel of the paper's Fig. 4 that shows it.
    pub figure: &'static str,
    /// The AdEx parameters (internal units: pF, nS, mV, ms, pA).
    pub params: AdexParams,
    /// The step current (pA), switched on at t = 0.
    pub current: f64,
    /// The pattern this set produces.
    pub pattern: FiringPattern,
}

/// An AdEx parameter set with the values common to Table 1 (V_T = −50 mV, Δ_T = 2 mV,
/// V_peak = 0 mV).
#[allow(clippy::too_many_arguments)]
const fn set(c: f64, g_l: f64, e_l: f64, a: f64, tau_w: f64, b: f64, v_r: f64) -> AdexParams {
    AdexParams { C: c, g_L: g_l, E_L: e_l, V_T: -50.0, Delta_T: 2.0, tau_w, a, b, V_r: v_r, V_peak: 0.0 }
}

/// Fig. 4a: regular firing from the first spike.
pub const TONIC_SPIKING: NaudPattern = NaudPattern {
    name: "tonic spiking",
    figure: "4a",
    params: set(200.0, 10.0, -70.0, 2.0, 30.0, 0.0, -58.0),
    current: 500.0,
    pattern: FiringPattern::TonicSpiking,
};

/// Fig. 4b: intervals lengthen gradually to a steady state.
pub const ADAPTATION: NaudPattern = NaudPattern {
    name: "adaptation",
    figure: "4b",
    params: set(200.0, 12.0, -70.0, 2.0, 300.0, 60.0, -58.0),
    current: 500.0,
    pattern: FiringPattern::Adapting,
};

/// Fig. 4c: a burst at the onset, then tonic firing.
pub const INITIAL_BURST: NaudPattern = NaudPattern {
    name: "initial burst",
    figure: "4c",
    params: set(130.0, 18.0, -58.0, 4.0, 150.0, 120.0, -50.0),
    current: 400.0,
    pattern: FiringPattern::InitialBurst,
};

/// Fig. 4d: bursts repeated at regular intervals.
pub const REGULAR_BURSTING: NaudPattern = NaudPattern {
    name: "regular bursting",
    figure: "4d",
    params: set(200.0, 10.0, -58.0, 2.0, 120.0, 100.0, -46.0),
    current: 210.0,
    pattern: FiringPattern::RegularBursting,
};

/// Fig. 4e: a long delay to the first spike, then intervals shorten.
pub const DELAYED_ACCELERATING: NaudPattern = NaudPattern {
    name: "delayed accelerating",
    figure: "4e",
    params: set(200.0, 12.0, -70.0, -10.0, 300.0, 0.0, -58.0),
    current: 300.0,
    pattern: FiringPattern::DelayedAccelerating,
};

/// Fig. 4f: a long delay to the first spike, then regular bursts.
pub const DELAYED_REGULAR_BURSTING: NaudPattern = NaudPattern {
    name: "delayed regular bursting",
    figure: "4f",
    params: set(100.0, 10.0, -65.0, -10.0, 90.0, 30.0, -47.0),
    current: 110.0,
    pattern: FiringPattern::DelayedRegularBursting,
};

/// Fig. 4g: a few spikes at the onset, then silence.
pub const TRANSIENT_SPIKING: NaudPattern = NaudPattern {
    name: "transient spiking",
    figure: "4g",
    params: set(100.0, 10.0, -65.0, 10.0, 90.0, 100.0, -47.0),
    current: 180.0,
    pattern: FiringPattern::TransientSpiking,
};

/// Fig. 4h: sustained firing with irregular intervals (deterministic chaos).
pub const IRREGULAR_SPIKING: NaudPattern = NaudPattern {
    name: "irregular spiking",
    figure: "4h",
    params: set(100.0, 12.0, -60.0, -11.0, 130.0, 30.0, -48.0),
    current: 160.0,
    pattern: FiringPattern::IrregularSpiking,
};

/// All eight, in the order of Fig. 4.
pub const PATTERNS: [NaudPattern; 8] = [
    TONIC_SPIKING,
    ADAPTATION,
    INITIAL_BURST,
    REGULAR_BURSTING,
    DELAYED_ACCELERATING,
    DELAYED_REGULAR_BURSTING,
    TRANSIENT_SPIKING,
    IRREGULAR_SPIKING,
];

impl NaudPattern {
    /// The AdEx with this parameter set.
    pub fn model(&self) -> super::Adex {
        <super::Adex as crate::NeuronModel>::with_params(self.params)
    }

    /// The initial state: at rest, V = E_L, w = 0.
    pub fn initial_state(&self) -> super::AdexState {
        super::AdexState { V: self.params.E_L, w: 0.0 }
    }
}
