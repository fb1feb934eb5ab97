//! The adaptive exponential integrate-and-fire neuron (AdEx).

crate::neuron_model! {
    /// Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005,
    /// *J Neurophysiol* 94:3637):
    ///
    /// C dV/dt = −g_L(V − E_L) + g_L·Δ_T·exp((V − V_T)/Δ_T) − w + I,
    /// τ_w dw/dt = a(V − E_L) − w,
    ///
    /// a spike when V reaches the cut-off V_peak, then V = V_r and w += b.
    ///
    /// Defaults: Brette & Gerstner (2005), Table 1 (fitted to a detailed regular-spiking
    /// pyramidal-cell model): C = 281 pF, g_L = 30 nS, E_L = −70.6 mV, V_T = −50.4 mV,
    /// Δ_T = 2 mV, τ_w = 144 ms, a = 4 nS, b = 80.5 pA, V_r = −70.6 mV.
    ///
    /// Cut-off: the paper follows the upswing to 20 mV. Near divergence
    /// C dV/dt ≈ g_L·Δ_T·exp((V − V_T)/Δ_T), so from a potential V₁ the membrane diverges
    /// within τ_m·exp(−(V₁ − V_T)/Δ_T) (τ_m = C/g_L = 9.4 ms): from 20 mV that is 5·10⁻¹⁵ ms,
    /// below the resolution of a double at t = 100 ms, so no step-size control can follow
    /// it to there. The default is V_peak = V_T + 5Δ_T = −40.4 mV (as in Brian2's example of
    /// this model), from where the rest of the upswing takes 0.063 ms: each spike is
    /// registered that much earlier than at 20 mV, which changes the intervals by a fraction
    /// of that (w, with τ_w = 144 ms, hardly moves in 0.06 ms). Any cut-off whose remaining
    /// time is well above 1e-12 ms works with [`Dopri5`](crate::integrate::Dopri5); fixed
    /// steps need the step to be small against it.
    ///
    /// The eight firing patterns of Naud et al. (2008) are parameter sets of this model in
    /// [`naud2008`](super::naud2008).
    pub model Adex;
    parameters {
        /// Membrane capacitance.
        C: 281 pF,
        /// Leak conductance.
        g_L: 30 nS,
        /// Leak reversal (resting) potential.
        E_L: -70.6 mV,
        /// Threshold potential (the exponential term's midpoint).
        V_T: -50.4 mV,
        /// Threshold slope factor: the sharpness of spike initiation.
        Delta_T: 2 mV,
        /// Adaptation time constant.
        tau_w: 144 ms,
        /// Subthreshold adaptation: the conductance coupling w to V − E_L.
        a: 4 nS,
        /// Spike-triggered adaptation: the increment of w at each spike.
        b: 80.5 pA,
        /// Reset potential after a spike.
        V_r: -70.6 mV,
        /// Spike cut-off: a spike is registered and V reset when V reaches it.
        V_peak: -40.4 mV,
    }
    state {
        /// Membrane potential.
        V: -70.6 mV,
        /// Adaptation current (subtracted from the input).
        w: 0 pA,
    }
    inputs {
        /// Injected current.
        I: 0 pA,
    }
    equations {
        dV/dt = (-g_L*(V - E_L) + g_L*Delta_T*exp((V - V_T)/Delta_T) - w + I) / C,
        dw/dt = (a*(V - E_L) - w) / tau_w,
    }
    threshold { V >= V_peak }
    reset { V = V_r, w += b }
}
