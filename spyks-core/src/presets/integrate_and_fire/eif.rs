//! The exponential integrate-and-fire neuron.

crate::neuron_model! {
    /// Exponential integrate-and-fire neuron (Fourcaud-Trocmé, Hansel, van Vreeswijk &
    /// Brunel 2003, *J Neurosci* 23:11628):
    ///
    /// C dV/dt = −g_L(V − E_L) + g_L·Δ_T·exp((V − V_T)/Δ_T) + I,
    ///
    /// a spike when V reaches the cut-off V_peak (the exponential term has already made V
    /// diverge), then V = V_r, held for t_ref.
    ///
    /// Fixed points: the right-hand side has its minimum at V = V_T, so a resting state exists
    /// exactly while I < I_rh = g_L(V_T − E_L − Δ_T), the rheobase (a saddle-node
    /// bifurcation; checked in `tests/integrate_and_fire_eif.rs`).
    ///
    /// Defaults: the membrane of Brette & Gerstner (2005), *J Neurophysiol* 94:3637, Table 1
    /// (the AdEx [`Adex`](super::Adex) without adaptation): C = 281 pF, g_L = 30 nS,
    /// E_L = V_r = −70.6 mV, V_T = −50.4 mV, Δ_T = 2 mV, so I_rh = 546 pA; no refractory
    /// period; cut-off V_peak = V_T + 5Δ_T = −40.4 mV (see [`Adex`](super::Adex) for why
    /// not the paper's 20 mV).
    pub model Eif;
    parameters {
        /// Membrane capacitance.
        C: 281 pF,
        /// Leak conductance.
        g_L: 30 nS,
        /// Leak reversal (resting) potential.
        E_L: -70.6 mV,
        /// Threshold slope factor: the sharpness of spike initiation.
        Delta_T: 2 mV,
        /// Threshold potential (where dV/dt has its minimum).
        V_T: -50.4 mV,
        /// Reset potential after a spike.
        V_r: -70.6 mV,
        /// Spike cut-off: a spike is registered and V reset when V reaches it.
        V_peak: -40.4 mV,
        /// Refractory period, during which V stays at V_r.
        t_ref: 0 ms,
    }
    state {
        /// Membrane potential.
        V: -70.6 mV,
    }
    inputs {
        /// Injected current.
        I: 0 pA,
    }
    equations { dV/dt = (-g_L*(V - E_L) + g_L*Delta_T*exp((V - V_T)/Delta_T) + I) / C }
    threshold { V >= V_peak }
    reset { V = V_r }
    refractory { period = t_ref, hold = [V] }
}
