//! Izhikevich models with the published parameter sets and stimulus protocols.
//!
//! * [`Izhikevich`]: the simple model of Izhikevich (2003),
//!   dv/dt = 0.04 v² + 5 v + 140 − u + I, du/dt = a (b v − u), with v ≥ 30 mV: v ← c, u ← u + d,
//!   generalised just enough to express every panel of Izhikevich (2004), Fig. 1 (see its
//!   documentation). Parameter sets: the classes of the 2003 paper ([`RS`], [`IB`], [`CH`],
//!   [`FS`], [`TC`], [`RZ`], [`LTS`]) and the twenty features of the 2004 paper
//!   ([`TONIC_SPIKING`] ... [`INHIBITION_INDUCED_BURSTING`]).
//! * [`Izhikevich2007`]: the dimensional form of Izhikevich (2007), ch. 8,
//!   C dv/dt = k (v − v_r)(v − v_t) − u + I, with the book's cortical sets [`RS_2007`],
//!   [`IB_2007`], [`CH_2007`].
//! * [`Protocol`]: a published stimulus protocol (parameters, initial state, step, duration,
//!   input), run in the published numerical scheme ([`FigureScheme`], [`NetScheme`]) through
//!   the library's fixed-step driver. [`FEATURES`] holds the twenty panels (A)-(T) of
//!   Izhikevich (2004), Fig. 1, transcribed from the author's `figure1.m`; [`CLASSES`] the
//!   eight panels of Izhikevich (2003), Fig. 2.
//!
//! Units: v in mV, t in ms; u and I of the 2003/2004 model in mV/ms (the papers' dimensionless
//! currents, made dimensional so that dv/dt = ... + I holds); u and I of the 2007 model in pA.
//!
//! ```
//! use spyks_core::NeuronModel;
//! use spyks_core::presets::izhikevich::{FEATURES, Izhikevich, RS};
//!
//! // Panel (B) of the 2004 figure, in the figure's own scheme: a phasic neuron fires once.
//! let phasic = &FEATURES[1];
//! assert_eq!(phasic.title, "(B) phasic spiking");
//! let run = phasic.run()?;
//! assert_eq!(run.spikes.len(), 1);
//! // The 2003 regular-spiking neuron as a model to use with any integrator.
//! let model = Izhikevich::with_params(RS);
//! assert_eq!(model.params.d, 8.0);
//! # Ok::<(), spyks_core::SimError>(())
//! ```
//!
//! References:
//! * E. M. Izhikevich (2003), "Simple model of spiking neurons", IEEE Trans. Neural Netw.
//!   14:1569-1572.
//! * E. M. Izhikevich (2004), "Which model to use for cortical spiking neurons?", IEEE Trans.
//!   Neural Netw. 15:1063-1070, and its script `figure1.m` (izhikevich.org).
//! * E. M. Izhikevich (2007), *Dynamical Systems in Neuroscience*, MIT Press, ch. 8.
//! * ModelDB accession 39948, "Artificial neuron model (Izhikevich 2003, 2004, 2007)", whose
//!   script `izhi2003.m` draws Fig. 2 of the 2003 paper.

mod classes;
mod features;
mod params;
mod protocol;
mod scheme;

pub use classes::CLASSES;
pub use features::FEATURES;
pub use params::*;
pub use protocol::{Protocol, ProtocolRun};
pub use scheme::{FigureScheme, NetScheme};

crate::neuron_model! {
    /// The simple model of Izhikevich (2003), in the general form that the panels of
    /// Izhikevich (2004), Fig. 1 need:
    ///
    /// dv/dt = q2·v² + q1·v + q0 − u + I,  du/dt = a·(b·(v − v_u) − k_u·u),
    /// v > v_peak: v ← c, u ← u + d.
    ///
    /// The defaults are the 2003 equation (q2 = 0.04, q1 = 5, q0 = 140, v_u = 0, k_u = 1,
    /// v_peak = 30 mV) with the regular-spiking set. Only three panels of `figure1.m` leave
    /// them: (G) class 1 excitability and (L) integrator use 0.04 v² + 4.1 v + 108
    /// ([`quadratic_gl`]); (R) accommodation uses du/dt = a·b·(v + 65), i.e. v_u = −65 mV,
    /// k_u = 0 ([`ACCOMMODATION`]). Writing the u equation with an offset and a decay
    /// coefficient keeps a single model (and the 2003 arithmetic bit for bit: v − 0 = v and
    /// 1·u = u exactly).
    ///
    /// | parameter | unit | meaning |
    /// |---|---|---|
    /// | `a` | 1/ms | time scale of the recovery variable u |
    /// | `b` | 1/ms | sensitivity of u to v (a voltage-to-rate coupling here, since u is in mV/ms) |
    /// | `c` | mV | after-spike reset of v |
    /// | `d` | mV/ms | after-spike increment of u |
    /// | `q2`, `q1`, `q0` | 1/(ms·mV), 1/ms, mV/ms | coefficients of the quadratic in dv/dt |
    /// | `v_u` | mV | voltage at which the coupling b·(v − v_u) vanishes |
    /// | `k_u` | 1 | coefficient of u's own decay |
    /// | `v_peak` | mV | spike cut-off (the papers' 30 mV) |
    ///
    /// The threshold is strict (`v > v_peak`) as in `figure1.m`; `net.m` tests `v >= 30`,
    /// which differs only when v lands exactly on 30 mV.
    pub model Izhikevich;
    parameters {
        a: 0.02 1/ms, b: 0.2 1/ms, c: -65 mV, d: 8 mV/ms,
        q2: 0.04 1/(ms*mV), q1: 5 1/ms, q0: 140 mV/ms,
        v_u: 0 mV, k_u: 1, v_peak: 30 mV,
    }
    state { v: -65 mV, u: -13 mV/ms }
    inputs { I: 0 mV/ms }
    equations {
        dv/dt = q2*v^2 + q1*v + q0 - u + I,
        du/dt = a*(b*(v - v_u) - k_u*u),
    }
    threshold { v > v_peak }
    reset { v = c, u += d }
}

crate::neuron_model! {
    /// The simple model in the dimensional form of Izhikevich (2007), *Dynamical Systems in
    /// Neuroscience*, ch. 8:
    ///
    /// C dv/dt = k·(v − v_r)·(v − v_t) − u + I,  du/dt = a·(b·(v − v_r) − u),
    /// v ≥ v_peak: v ← c, u ← u + d.
    ///
    /// | parameter | unit | meaning |
    /// |---|---|---|
    /// | `C` | pF | membrane capacitance |
    /// | `k` | nS/mV | gain of the quadratic (sets the rheobase and the input resistance) |
    /// | `v_r` | mV | resting potential |
    /// | `v_t` | mV | instantaneous threshold potential |
    /// | `v_peak` | mV | spike cut-off |
    /// | `a` | 1/ms | recovery time constant's inverse |
    /// | `b` | nS | sensitivity of u to v (b < 0: amplifying, b > 0: resonant) |
    /// | `c` | mV | after-spike reset of v |
    /// | `d` | pA | after-spike increment of u |
    ///
    /// The defaults are the book's layer 5 regular-spiking pyramidal cell ([`RS_2007`]).
    pub model Izhikevich2007;
    parameters {
        C: 100 pF, k: 0.7 nS/mV, v_r: -60 mV, v_t: -40 mV, v_peak: 35 mV,
        a: 0.03 1/ms, b: -2 nS, c: -50 mV, d: 100 pA,
    }
    state { v: -60 mV, u: 0 pA }
    inputs { I: 0 pA }
    equations {
        dv/dt = (k*(v - v_r)*(v - v_t) - u + I) / C,
        du/dt = a*(b*(v - v_r) - u),
    }
    threshold { v >= v_peak }
    reset { v = c, u += d }
}
