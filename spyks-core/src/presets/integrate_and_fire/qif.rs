//! The quadratic integrate-and-fire neuron.

crate::neuron_model! {
    /// Quadratic integrate-and-fire neuron (Ermentrout & Kopell 1986; Latham, Richmond,
    /// Nelson & Nirenberg 2000, *J Neurophysiol* 83:808), in the form
    ///
    /// C dV/dt = k(V − V_rest)(V − V_c) + I,
    ///
    /// a spike when V reaches V_peak, then V = V_reset, held for t_ref. V_rest is the stable
    /// resting potential and V_c the unstable critical one (the threshold for a brief pulse).
    ///
    /// Closed form: with V_m = (V_rest + V_c)/2, the rheobase is
    /// I_rh = k(V_c − V_rest)²/4, and for I > I_rh, with β = √((I − I_rh)/k),
    /// C dV/dt = k((V − V_m)² + β²), so the period is
    /// t_ref + C/(kβ)·[atan((V_peak − V_m)/β) − atan((V_reset − V_m)/β)]
    /// (checked in `tests/integrate_and_fire_qif.rs`).
    ///
    /// Defaults: the membrane of the regular-spiking neuron of Izhikevich (2007), *Dynamical
    /// Systems in Neuroscience*, ch. 8 (its simple model without the recovery variable):
    /// C = 100 pF, k = 0.7 nS/mV, V_rest = −60 mV, V_c = −40 mV, V_peak = 35 mV,
    /// V_reset = −50 mV, so I_rh = 70 pA; no refractory period.
    pub model Qif;
    parameters {
        /// Membrane capacitance.
        C: 100 pF,
        /// Curvature of the quadratic current-voltage relation.
        k: 0.7 nS/mV,
        /// Stable resting potential.
        V_rest: -60 mV,
        /// Unstable critical potential (threshold).
        V_c: -40 mV,
        /// Spike cut-off: a spike is registered and V reset when V reaches it.
        V_peak: 35 mV,
        /// Reset potential after a spike.
        V_reset: -50 mV,
        /// Refractory period, during which V stays at V_reset.
        t_ref: 0 ms,
    }
    state {
        /// Membrane potential.
        V: -60 mV,
    }
    inputs {
        /// Injected current.
        I: 0 pA,
    }
    equations { dV/dt = (k*(V - V_rest)*(V - V_c) + I) / C }
    threshold { V >= V_peak }
    reset { V = V_reset }
    refractory { period = t_ref, hold = [V] }
}
