//! The published parameter sets, as constants.

use super::{Izhikevich2007Params, IzhikevichParams};

/// A parameter set of the 2003 equation (q2 = 0.04, q1 = 5, q0 = 140, v_u = 0, k_u = 1,
/// v_peak = 30 mV) from the papers' (a, b, c, d): a, b in 1/ms, c in mV, d in mV/ms.
pub const fn abcd(a: f64, b: f64, c: f64, d: f64) -> IzhikevichParams {
    IzhikevichParams { a, b, c, d, q2: 0.04, q1: 5.0, q0: 140.0, v_u: 0.0, k_u: 1.0, v_peak: 30.0 }
}

/// `p` with the quadratic 0.04 v² + 4.1 v + 108 that `figure1.m` uses for panels (G) class 1
/// excitability and (L) integrator (resting state near −60 mV, a saddle-node on the circle).
pub const fn quadratic_gl(p: IzhikevichParams) -> IzhikevichParams {
    IzhikevichParams { q1: 4.1, q0: 108.0, ..p }
}

// Izhikevich (2003), Fig. 2.

/// Regular spiking (RS) cortical excitatory neuron (Izhikevich 2003, Fig. 2).
pub const RS: IzhikevichParams = abcd(0.02, 0.2, -65.0, 8.0);
/// Intrinsically bursting (IB) cortical excitatory neuron (Izhikevich 2003, Fig. 2).
pub const IB: IzhikevichParams = abcd(0.02, 0.2, -55.0, 4.0);
/// Chattering (CH) cortical excitatory neuron (Izhikevich 2003, Fig. 2).
pub const CH: IzhikevichParams = abcd(0.02, 0.2, -50.0, 2.0);
/// Fast spiking (FS) cortical inhibitory interneuron (Izhikevich 2003, Fig. 2).
pub const FS: IzhikevichParams = abcd(0.1, 0.2, -65.0, 2.0);
/// Thalamo-cortical (TC) neuron (Izhikevich 2003, Fig. 2): tonic firing when depolarised from
/// rest, a rebound burst when released from a hyperpolarised state.
pub const TC: IzhikevichParams = abcd(0.02, 0.25, -65.0, 0.05);
/// Resonator (RZ) (Izhikevich 2003, Fig. 2).
pub const RZ: IzhikevichParams = abcd(0.1, 0.26, -65.0, 2.0);
/// Low-threshold spiking (LTS) cortical inhibitory interneuron (Izhikevich 2003, Fig. 2).
pub const LTS: IzhikevichParams = abcd(0.02, 0.25, -65.0, 2.0);

// Izhikevich (2004), Fig. 1, as set in figure1.m.

/// (A) tonic spiking (Izhikevich 2004, Fig. 1).
pub const TONIC_SPIKING: IzhikevichParams = abcd(0.02, 0.2, -65.0, 6.0);
/// (B) phasic spiking (Izhikevich 2004, Fig. 1).
pub const PHASIC_SPIKING: IzhikevichParams = abcd(0.02, 0.25, -65.0, 6.0);
/// (C) tonic bursting (Izhikevich 2004, Fig. 1).
pub const TONIC_BURSTING: IzhikevichParams = abcd(0.02, 0.2, -50.0, 2.0);
/// (D) phasic bursting (Izhikevich 2004, Fig. 1).
pub const PHASIC_BURSTING: IzhikevichParams = abcd(0.02, 0.25, -55.0, 0.05);
/// (E) mixed mode (Izhikevich 2004, Fig. 1).
pub const MIXED_MODE: IzhikevichParams = abcd(0.02, 0.2, -55.0, 4.0);
/// (F) spike frequency adaptation (Izhikevich 2004, Fig. 1).
pub const SPIKE_FREQUENCY_ADAPTATION: IzhikevichParams = abcd(0.01, 0.2, -65.0, 8.0);
/// (G) class 1 excitability (Izhikevich 2004, Fig. 1), with the quadratic of [`quadratic_gl`].
pub const CLASS_1_EXCITABILITY: IzhikevichParams = quadratic_gl(abcd(0.02, -0.1, -55.0, 6.0));
/// (H) class 2 excitability (Izhikevich 2004, Fig. 1).
pub const CLASS_2_EXCITABILITY: IzhikevichParams = abcd(0.2, 0.26, -65.0, 0.0);
/// (I) spike latency (Izhikevich 2004, Fig. 1).
pub const SPIKE_LATENCY: IzhikevichParams = abcd(0.02, 0.2, -65.0, 6.0);
/// (J) subthreshold oscillations (Izhikevich 2004, Fig. 1).
pub const SUBTHRESHOLD_OSCILLATIONS: IzhikevichParams = abcd(0.05, 0.26, -60.0, 0.0);
/// (K) resonator (Izhikevich 2004, Fig. 1).
pub const RESONATOR: IzhikevichParams = abcd(0.1, 0.26, -60.0, -1.0);
/// (L) integrator (Izhikevich 2004, Fig. 1), with the quadratic of [`quadratic_gl`].
pub const INTEGRATOR: IzhikevichParams = quadratic_gl(abcd(0.02, -0.1, -55.0, 6.0));
/// (M) rebound spike (Izhikevich 2004, Fig. 1).
pub const REBOUND_SPIKE: IzhikevichParams = abcd(0.03, 0.25, -60.0, 4.0);
/// (N) rebound burst (Izhikevich 2004, Fig. 1).
pub const REBOUND_BURST: IzhikevichParams = abcd(0.03, 0.25, -52.0, 0.0);
/// (O) threshold variability (Izhikevich 2004, Fig. 1).
pub const THRESHOLD_VARIABILITY: IzhikevichParams = abcd(0.03, 0.25, -60.0, 4.0);
/// (P) bistability (Izhikevich 2004, Fig. 1).
pub const BISTABILITY: IzhikevichParams = abcd(0.1, 0.26, -60.0, 0.0);
/// (Q) depolarising after-potential (DAP) (Izhikevich 2004, Fig. 1).
pub const DEPOLARIZING_AFTER_POTENTIAL: IzhikevichParams = abcd(1.0, 0.2, -60.0, -21.0);
/// (R) accommodation (Izhikevich 2004, Fig. 1): `figure1.m` integrates du/dt = a·b·(v + 65)
/// here, hence v_u = −65 mV and k_u = 0.
pub const ACCOMMODATION: IzhikevichParams = IzhikevichParams { v_u: -65.0, k_u: 0.0, ..abcd(0.02, 1.0, -55.0, 4.0) };
/// (S) inhibition-induced spiking (Izhikevich 2004, Fig. 1).
pub const INHIBITION_INDUCED_SPIKING: IzhikevichParams = abcd(-0.02, -1.0, -60.0, 8.0);
/// (T) inhibition-induced bursting (Izhikevich 2004, Fig. 1).
pub const INHIBITION_INDUCED_BURSTING: IzhikevichParams = abcd(-0.026, -1.0, -45.0, -2.0);

// Izhikevich (2007), ch. 8.

/// Layer 5 regular-spiking pyramidal cell (Izhikevich 2007, ch. 8, Fig. 8.12): C = 100 pF,
/// k = 0.7 nS/mV, v_r = −60 mV, v_t = −40 mV, v_peak = 35 mV, a = 0.03/ms, b = −2 nS,
/// c = −50 mV, d = 100 pA.
pub const RS_2007: Izhikevich2007Params =
    Izhikevich2007Params { C: 100.0, k: 0.7, v_r: -60.0, v_t: -40.0, v_peak: 35.0, a: 0.03, b: -2.0, c: -50.0, d: 100.0 };
/// Layer 5 intrinsically bursting cell (Izhikevich 2007, ch. 8, Fig. 8.19): C = 150 pF,
/// k = 1.2 nS/mV, v_r = −75 mV, v_t = −45 mV, v_peak = 50 mV, a = 0.01/ms, b = 5 nS,
/// c = −56 mV, d = 130 pA.
pub const IB_2007: Izhikevich2007Params =
    Izhikevich2007Params { C: 150.0, k: 1.2, v_r: -75.0, v_t: -45.0, v_peak: 50.0, a: 0.01, b: 5.0, c: -56.0, d: 130.0 };
/// Chattering cell of cat primary visual cortex (Izhikevich 2007, ch. 8, Fig. 8.23):
/// C = 50 pF, k = 1.5 nS/mV, v_r = −60 mV, v_t = −40 mV, v_peak = 25 mV, a = 0.03/ms, b = 1 nS,
/// c = −40 mV, d = 150 pA.
pub const CH_2007: Izhikevich2007Params =
    Izhikevich2007Params { C: 50.0, k: 1.5, v_r: -60.0, v_t: -40.0, v_peak: 25.0, a: 0.03, b: 1.0, c: -40.0, d: 150.0 };
