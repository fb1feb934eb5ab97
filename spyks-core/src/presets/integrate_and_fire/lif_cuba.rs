//! The CUBA benchmark neuron: a leaky integrate-and-fire neuron with decaying synaptic
//! potentials.

crate::neuron_model! {
    /// The neuron of the CUBA network of Brette et al. (2007), *J Comput Neurosci* 23:349,
    /// Benchmark 2 (after Vogels & Abbott 2005), in the form of Brian2's `examples/CUBA.py`:
    ///
    /// τ_m dv/dt = ge + gi − (v − E_l), τ_e dge/dt = −ge, τ_i dgi/dt = −gi,
    ///
    /// a spike when v > v_t, then v = v_r, held for t_ref. The synaptic variables ge and gi
    /// are potentials (mV): exponential current synapses are jumps in them (`ge += w`, with
    /// the benchmark's w_e = 60·0.27/10 mV and w_i = −20·4.5/10 mV). E_l lies above the
    /// threshold, so an unconnected neuron fires; in the network, inhibition keeps the
    /// activity near 5.6 Hz.
    ///
    /// The model is linear with constant coefficients, so the exact `Linear` integrator
    /// applies (as Brian2's `linear` method does); `Rk4` at 0.1 ms stays within 1e-9 mV of it
    /// (2e-11 mV in v from the reset to the first spike, 8e-10 mV in ge decaying from a jump
    /// of 1.62 mV).
    pub model LifCuba;
    parameters {
        /// Membrane time constant.
        tau_m: 20 ms,
        /// Excitatory synaptic time constant.
        tau_e: 5 ms,
        /// Inhibitory synaptic time constant.
        tau_i: 10 ms,
        /// Resting potential (above threshold: the neurons fire without input).
        E_l: -49 mV,
        /// Threshold (strict: v > v_t).
        v_t: -50 mV,
        /// Reset potential.
        v_r: -60 mV,
        /// Refractory period, during which v stays at v_r.
        t_ref: 5 ms,
    }
    state {
        /// Membrane potential.
        v: -60 mV,
        /// Excitatory synaptic potential.
        ge: 0 mV,
        /// Inhibitory synaptic potential.
        gi: 0 mV,
    }
    equations {
        dv/dt = (ge + gi - (v - E_l)) / tau_m,
        dge/dt = -ge / tau_e,
        dgi/dt = -gi / tau_i,
    }
    threshold { v > v_t }
    reset { v = v_r }
    refractory { period = t_ref, hold = [v] }
}
