//! The current-based leaky integrate-and-fire neuron.

crate::neuron_model! {
    /// Leaky integrate-and-fire neuron driven by a current (Lapicque 1907; in the form of
    /// Gerstner et al. 2014, *Neuronal Dynamics*, eq. 1.5):
    ///
    /// τ_m dV/dt = E_L − V + R_m·I, a spike when V ≥ V_th, then V = V_reset, held there
    /// for t_ref.
    ///
    /// Under a constant current with R_m·I > V_th − E_L it fires with the period
    /// t_ref + τ_m·ln((E_L + R_m·I − V_reset)/(E_L + R_m·I − V_th)), which
    /// `tests/integrate_and_fire_lif.rs` checks.
    ///
    /// Defaults: the membrane of the benchmarks of Brette et al. (2007), *J Comput Neurosci*
    /// 23:349, Benchmark 1 (after Vogels & Abbott 2005): τ_m = 20 ms (C = 200 pF,
    /// g_L = 10 nS, so R_m = 100 MΩ), E_L = −60 mV, V_th = −50 mV, V_reset = −60 mV,
    /// t_ref = 5 ms.
    pub model Lif;
    parameters {
        /// Membrane time constant τ_m = C·R_m.
        tau_m: 20 ms,
        /// Leak reversal (resting) potential.
        E_L: -60 mV,
        /// Membrane (input) resistance; R_m·I is the steady depolarisation caused by I.
        R_m: 100 Mohm,
        /// Firing threshold.
        V_th: -50 mV,
        /// Reset potential after a spike.
        V_reset: -60 mV,
        /// Absolute refractory period, during which V stays at V_reset.
        t_ref: 5 ms,
    }
    state {
        /// Membrane potential.
        V: -60 mV,
    }
    inputs {
        /// Injected current.
        I: 0 pA,
    }
    equations { dV/dt = (E_L - V + R_m*I) / tau_m }
    threshold { V >= V_th }
    reset { V = V_reset }
    refractory { period = t_ref, hold = [V] }
}
