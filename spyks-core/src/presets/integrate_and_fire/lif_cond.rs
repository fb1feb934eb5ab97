//! The conductance-based leaky integrate-and-fire neuron with exponentially decaying
//! excitatory and inhibitory synaptic conductances.

crate::neuron_model! {
    /// Leaky integrate-and-fire neuron with conductance-based synapses (the COBA neuron of
    /// Vogels & Abbott 2005, *J Neurosci* 25:10786, and Brette et al. 2007, *J Comput
    /// Neurosci* 23:349, Benchmark 1):
    ///
    /// C_m dV/dt = g_L(E_L − V) + g_e(E_e − V) + g_i(E_i − V) + I,
    /// dg_e/dt = −g_e/τ_e, dg_i/dt = −g_i/τ_i,
    ///
    /// a spike when V ≥ V_th, then V = V_reset, held for t_ref (the conductances keep
    /// decaying). A presynaptic spike of weight w is `g_e += w` (or `g_i += w`): the state
    /// variables `g_e` and `g_i` are what synapses increment.
    ///
    /// With the conductances frozen, V relaxes with time constant C_m/(g_L + g_e + g_i) to the
    /// conductance-weighted mean of the reversal potentials,
    /// (g_L·E_L + g_e·E_e + g_i·E_i + I)/(g_L + g_e + g_i) (checked in
    /// `tests/integrate_and_fire_lif.rs`).
    ///
    /// Defaults from Brette et al. (2007), Benchmark 1: a membrane of 20 000 µm² with
    /// 1 µF/cm² and 5·10⁻⁵ S/cm² (C_m = 200 pF, g_L = 10 nS, τ_m = 20 ms), E_L = −60 mV,
    /// V_th = −50 mV, V_reset = −60 mV, t_ref = 5 ms, E_e = 0 mV, E_i = −80 mV, τ_e = 5 ms,
    /// τ_i = 10 ms.
    pub model LifCond;
    parameters {
        /// Membrane capacitance.
        C_m: 200 pF,
        /// Leak conductance.
        g_L: 10 nS,
        /// Leak reversal (resting) potential.
        E_L: -60 mV,
        /// Firing threshold.
        V_th: -50 mV,
        /// Reset potential after a spike.
        V_reset: -60 mV,
        /// Absolute refractory period, during which V stays at V_reset.
        t_ref: 5 ms,
        /// Reversal potential of the excitatory synapses.
        E_e: 0 mV,
        /// Reversal potential of the inhibitory synapses.
        E_i: -80 mV,
        /// Decay time constant of the excitatory conductance.
        tau_e: 5 ms,
        /// Decay time constant of the inhibitory conductance.
        tau_i: 10 ms,
    }
    state {
        /// Membrane potential.
        V: -60 mV,
        /// Total excitatory synaptic conductance (incremented by excitatory synapses).
        g_e: 0 nS,
        /// Total inhibitory synaptic conductance (incremented by inhibitory synapses).
        g_i: 0 nS,
    }
    inputs {
        /// Injected current.
        I: 0 pA,
    }
    expressions {
        /// Leak current.
        I_L = g_L * (E_L - V),
        /// Excitatory synaptic current.
        I_e = g_e * (E_e - V),
        /// Inhibitory synaptic current.
        I_i = g_i * (E_i - V),
    }
    equations {
        dV/dt = (I_L + I_e + I_i + I) / C_m,
        dg_e/dt = -g_e / tau_e,
        dg_i/dt = -g_i / tau_i,
    }
    threshold { V >= V_th }
    reset { V = V_reset }
    refractory { period = t_ref, hold = [V] }
}
