//! The Hodgkin & Huxley (1952) squid giant axon.

/// Internal value of 1 µA/cm² (the unit of [`HodgkinHuxleyInputs::I`]): the internal current
/// density unit is pA/µm², and 1 µA/cm² = 10⁻⁶ A / 10⁸ µm² = 0.01 pA/µm².
///
/// ```
/// use spyks_core::presets::hodgkin_huxley::{HodgkinHuxleyInputs, UA_PER_CM2};
/// // 10 µA/cm² of injected current.
/// let u = HodgkinHuxleyInputs { I: 10.0 * UA_PER_CM2 };
/// assert!((u.I - 0.1).abs() < 1e-15);
/// ```
pub const UA_PER_CM2: f64 = 0.01;

/// One model text for both variants: the exact one and the one reading its rates from
/// lookup tables (`$tables`), so that they cannot drift apart.
macro_rules! hodgkin_huxley {
    ($(#[doc = $doc:literal])* $name:ident; $($tables:tt)*) => {
        crate::neuron_model! {
            /// Hodgkin & Huxley (1952), the space-clamped squid giant axon at 6.3 °C, per unit area.
            ///
            /// A. L. Hodgkin and A. F. Huxley, "A quantitative description of membrane current and
            /// its application to conduction and excitation in nerve", J. Physiol. 117:500-544 (1952),
            /// eqs. 26 and Table 3, rewritten in the modern convention: `v` is the membrane potential
            /// (inside minus outside, rest near -65 mV) instead of the paper's depolarisation from
            /// rest with reversed sign, so the rate functions are shifted by -65 mV and E_Na =
            /// 50 mV, E_K = -77 mV, E_L = -54.387 mV (the paper's 115, -12 and 10.613 mV from rest).
            /// These are the values of Dayan & Abbott, "Theoretical Neuroscience" (2001), ch. 5.6, and
            /// of Brian2's and NEURON's classic HH examples.
            ///
            /// Units are per area, as in the paper: C_m in µF/cm², conductances in mS/cm², the
            /// injected current `I` in µA/cm². Internally (pA, nS, pF, µm) these are densities per
            /// µm²: `I` is in pA/µm², so multiply µA/cm² by [`UA_PER_CM2`] (= 0.01).
            ///
            /// `phi` scales every rate: phi = 3^((T - 6.3 °C)/10 °C) for temperature T (HH 1952, eq. 26;
            /// Q10 = 3); 1 at the paper's 6.3 °C.
            ///
            /// Spikes: upward crossings of `V_th` (-20 mV, as in Brian2's HH examples); no reset.
            /// After a crossing the detector is off for `t_ref` (2 ms: a dead time for counting, not
            /// a physiological refractory period; nothing is held), longer than the 1.5 ms the action
            /// potential stays above -20 mV and shorter than the shortest interspike interval (7.5 ms
            /// at 75 µA/cm²). Above about 80 µA/cm² the oscillation's peaks fall below -20 mV (its
            /// amplitude shrinks to zero at the upper Hopf bifurcation, 154.5 µA/cm²), so they are
            /// not counted as spikes.
            ///
            /// The rate functions alpha_m and alpha_n have the form x/(1 - exp(-x)), 0/0 at x = 0;
            /// they are written with `expm1` and take their limit 1 there.
            ///
            /// Bifurcations under constant current (J. Rinzel and R. N. Miller, "Numerical calculation
            /// of stable and unstable periodic solutions to the Hodgkin-Huxley equations", Math.
            /// Biosci. 49:27-59, 1980; B. Hassard, J. Theor. Biol. 71:401-420, 1978): subcritical Hopf
            /// of the rest state at I ≈ 9.78 µA/cm², limit point of the periodic branch (lowest current
            /// with repetitive firing) at I ≈ 6.26 µA/cm²; `tests/hodgkin_huxley.rs` checks both.
            ///
            $(#[doc = $doc])*
            pub model $name;
            parameters {
                /// Membrane capacitance per area.
                C_m: 1 uF/cm^2,
                /// Maximal sodium conductance per area.
                g_Na: 120 mS/cm^2,
                /// Maximal potassium conductance per area.
                g_K: 36 mS/cm^2,
                /// Leak conductance per area.
                g_L: 0.3 mS/cm^2,
                /// Sodium reversal potential.
                E_Na: 50 mV,
                /// Potassium reversal potential.
                E_K: -77 mV,
                /// Leak reversal potential (chosen by HH so that the total current is zero at rest).
                E_L: -54.387 mV,
                /// Temperature factor of the rates, 3^((T - 6.3 °C)/10 °C).
                phi: 1,
                /// Spike-detection level.
                V_th: -20 mV,
                /// Dead time of the spike detector after a crossing.
                t_ref: 2 ms,
            }
            state {
                /// Membrane potential.
                v: -65 mV,
                /// Sodium activation (steady state at -65 mV).
                m: 0.05293248525724958,
                /// Sodium inactivation (steady state at -65 mV).
                h: 0.5961207535084603,
                /// Potassium activation (steady state at -65 mV).
                n: 0.31767691406069737,
            }
            inputs {
                /// Injected current per area (internally pA/µm²: 1 µA/cm² is 0.01).
                I: 0 uA/cm^2,
            }
            expressions {
                /// Sodium current per area (inward positive).
                I_Na = g_Na*m^3*h*(E_Na - v),
                /// Potassium current per area.
                I_K = g_K*n^4*(E_K - v),
                /// Leak current per area.
                I_L = g_L*(E_L - v),
                x_m = (v + 40 mV)/(10 mV),
                x_n = (v + 55 mV)/(10 mV),
            }
            equations {
                dv/dt = (I_Na + I_K + I_L + I) / C_m,
                m: alpha = phi * 1 1/ms * (if x_m == 0 { 1 } else { -x_m/expm1(-x_m) }),
                   beta = phi * 4 1/ms * exp(-(v + 65 mV)/(18 mV)),
                h: alpha = phi * 0.07 1/ms * exp(-(v + 65 mV)/(20 mV)),
                   beta = phi * 1 1/ms / (1 + exp(-(v + 35 mV)/(10 mV))),
                n: alpha = phi * 0.1 1/ms * (if x_n == 0 { 1 } else { -x_n/expm1(-x_n) }),
                   beta = phi * 0.125 1/ms * exp(-(v + 65 mV)/(80 mV)),
            }
            threshold { v >= V_th }
            refractory { period = t_ref, hold = [] }
            $($tables)*
        }
    };
}

hodgkin_huxley!(HodgkinHuxley;);

hodgkin_huxley!(
    /// **This variant reads its six rates from a lookup table** (`tables { v: -100 mV ..
    /// 60 mV step 0.05 mV }`, linear interpolation, the exact functions outside the range):
    /// the largest rate error is 2.7e-5 /ms and spike times move by about 1e-4 ms over 200 ms
    /// against [`HodgkinHuxley`] (`docs/lookup-tables.md`); `set_tables(false)` gives the
    /// exact model, `set_table_spec` another step or cubic interpolation.
    HodgkinHuxleyTables;
    tables { v: -100 mV .. 60 mV step 0.05 mV }
);
