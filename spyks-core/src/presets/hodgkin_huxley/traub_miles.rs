//! The Traub & Miles cortical cell of the COBA HH benchmark (Brette et al. 2007).

crate::neuron_model! {
    /// Traub & Miles (1991) pyramidal cell as simplified for benchmark 3 ("COBA HH") of
    /// Brette et al. (2007): one compartment with Na, delayed-rectifier K and leak, and
    /// exponentially decaying excitatory and inhibitory synaptic conductances.
    ///
    /// R. D. Traub and R. Miles, "Neuronal Networks of the Hippocampus", Cambridge University
    /// Press (1991); R. Brette et al., "Simulation of networks of spiking neurons: a review of
    /// tools and strategies", J. Comput. Neurosci. 23:349-398 (2007), appendix B, benchmark 3.
    /// Values and rate functions as in Brian2's `examples/COBAHH.py` (R. Brette, 2007): area
    /// 20000 µm², C_m = 1 µF/cm², g_L = 0.05 mS/cm², g_Na = 100 mS/cm², g_Kd = 30 mS/cm²,
    /// E_L = -60 mV, E_K = -90 mV, E_Na = 50 mV, V_T = -63 mV, synapses E_e = 0 mV,
    /// E_i = -80 mV, tau_e = 5 ms, tau_i = 10 ms (the benchmark's weights are 6 nS and 67 nS).
    ///
    /// The densities are multiplied by `area` in the equations, so `I` is an absolute current
    /// in pA and `g_e`, `g_i` are absolute conductances in nS. `g_e` and `g_i` are state
    /// variables that decay to zero; a network increments them at each presynaptic spike.
    ///
    /// Spikes: upward crossings of `V_th` = -20 mV, then a dead time `t_ref` = 3 ms with
    /// nothing held, as the benchmark's `threshold='v>-20*mV', refractory=3*ms` (Brian2 does
    /// not clamp `v` there: its equations are not marked `(unless refractory)`).
    ///
    /// Without synaptic input the cell is not at rest at E_L: the leak (10 nS) cannot hold
    /// the sodium window current, the only equilibrium is near -33.4 mV and unstable, and the
    /// cell fires on its own, about 14 Hz at I = 0 (`tests/hodgkin_huxley_traub.rs`). In the
    /// benchmark the network's inhibition (initial g_i about 200 nS) keeps it near rest.
    ///
    /// The rates of the form x/(exp(x) - 1) are written with `expm1` and take their limit 1
    /// at x = 0.
    pub model TraubMiles;
    parameters {
        /// Membrane area.
        area: 20000 um^2,
        /// Membrane capacitance per area.
        C_m: 1 uF/cm^2,
        /// Leak conductance per area.
        g_L: 0.05 mS/cm^2,
        /// Maximal sodium conductance per area.
        g_Na: 100 mS/cm^2,
        /// Maximal delayed-rectifier potassium conductance per area.
        g_Kd: 30 mS/cm^2,
        /// Leak reversal potential.
        E_L: -60 mV,
        /// Potassium reversal potential.
        E_K: -90 mV,
        /// Sodium reversal potential.
        E_Na: 50 mV,
        /// Offset of the rate functions (sets the spike threshold).
        V_T: -63 mV,
        /// Excitatory synaptic reversal potential.
        E_e: 0 mV,
        /// Inhibitory synaptic reversal potential.
        E_i: -80 mV,
        /// Decay time constant of the excitatory conductance.
        tau_e: 5 ms,
        /// Decay time constant of the inhibitory conductance.
        tau_i: 10 ms,
        /// Spike-detection level.
        V_th: -20 mV,
        /// Dead time of the spike detector after a crossing.
        t_ref: 3 ms,
    }
    state {
        /// Membrane potential.
        v: -60 mV,
        /// Sodium activation (steady state at -60 mV).
        m: 0.02686332979844545,
        /// Sodium inactivation (steady state at -60 mV).
        h: 0.9913058218943975,
        /// Potassium activation (steady state at -60 mV).
        n: 0.06043403467863595,
        /// Excitatory synaptic conductance.
        g_e: 0 nS,
        /// Inhibitory synaptic conductance.
        g_i: 0 nS,
    }
    inputs {
        /// Injected current.
        I: 0 pA,
    }
    expressions {
        /// Sodium current (inward positive).
        I_Na = g_Na*area*m^3*h*(E_Na - v),
        /// Potassium current.
        I_K = g_Kd*area*n^4*(E_K - v),
        /// Leak current.
        I_L = g_L*area*(E_L - v),
        /// Synaptic current.
        I_syn = g_e*(E_e - v) + g_i*(E_i - v),
        x_m = (13 mV - v + V_T)/(4 mV),
        y_m = (v - V_T - 40 mV)/(5 mV),
        x_n = (15 mV - v + V_T)/(5 mV),
    }
    equations {
        dv/dt = (I_Na + I_K + I_L + I_syn + I) / (C_m*area),
        m: alpha = 1.28 1/ms * (if x_m == 0 { 1 } else { x_m/expm1(x_m) }),
           beta = 1.4 1/ms * (if y_m == 0 { 1 } else { y_m/expm1(y_m) }),
        h: alpha = 0.128 1/ms * exp((17 mV - v + V_T)/(18 mV)),
           beta = 4 1/ms / (1 + exp((40 mV - v + V_T)/(5 mV))),
        n: alpha = 0.16 1/ms * (if x_n == 0 { 1 } else { x_n/expm1(x_n) }),
           beta = 0.5 1/ms * exp((10 mV - v + V_T)/(40 mV)),
        dg_e/dt = -g_e/tau_e,
        dg_i/dt = -g_i/tau_i,
    }
    threshold { v >= V_th }
    refractory { period = t_ref, hold = [] }
}
