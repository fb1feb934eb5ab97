//! The eight panels of Izhikevich (2003), "Simple model of spiking neurons", Fig. 2.
//!
//! The figure shows seven parameter sets; the thalamo-cortical set appears twice, because
//! the paper's point about TC neurons is that they have two firing regimes: "When at rest
//! (v is around −60 mV) and then depolarized, they exhibit tonic firing [...]. However, if a
//! negative current step is delivered so that the membrane potential is hyperpolarized (v is
//! around −90 mV), the neurons fire a rebound burst". The eighth panel is therefore the TC
//! rebound burst. The protocols (initial v, onsets, amplitudes) are those of `izhi2003.m`
//! (ModelDB accession 39948), which draws this figure in the scheme of the 2004 `figure1.m`
//! (Euler, τ = 0.25 ms, V then u).

use super::Protocol;
use super::params::*;

/// A class panel of the 2003 figure: τ = 0.25 ms, u0 = b·v0.
const fn class(
    letter: &'static str,
    name: &'static str,
    params: super::IzhikevichParams,
    v0: f64,
    duration: f64,
    input: fn(f64) -> f64,
) -> Protocol {
    Protocol { letter, name, title: name, params, v0, u0: None, tau: 0.25, duration, input }
}

/// The eight panels of Izhikevich (2003), Fig. 2: RS, IB, CH, FS, TC (tonic), TC (rebound
/// burst), RZ and LTS, with the protocols of `izhi2003.m` (ModelDB 39948).
pub const CLASSES: [Protocol; 8] = [
    class("RS", "regular spiking (RS)", RS, -63.0, 150.0, |t| if t > 150.0 / 10.0 { 14.0 } else { 0.0 }),
    class("IB", "intrinsically bursting (IB)", IB, -70.0, 150.0, |t| if t > 150.0 / 10.0 { 11.0 } else { 0.0 }),
    class("CH", "chattering (CH)", CH, -70.0, 150.0, |t| if t > 150.0 / 10.0 { 10.0 } else { 0.0 }),
    class("FS", "fast spiking (FS)", FS, -70.0, 150.0, |t| if t > 150.0 / 10.0 { 10.0 } else { 0.0 }),
    class("TC", "thalamo-cortical (TC)", TC, -63.0, 150.0, |t| if t > 2.0 * 150.0 / 10.0 { 1.5 } else { 0.0 }),
    class("TC_burst", "thalamo-cortical burst (TC)", TC, -87.0, 150.0, |t| if t > 3.0 * 150.0 / 10.0 { 0.0 } else { -25.0 }),
    class("RZ", "resonator (RZ)", RZ, -70.0, 100.0, |t| {
        let t1 = 100.0 / 10.0;
        let t2 = t1 + 50.0;
        if t > t2 && t < t2 + 5.0 {
            10.0
        } else if t > t1 {
            -0.5
        } else {
            -2.0
        }
    }),
    class("LTS", "low-threshold spiking (LTS)", LTS, -63.0, 250.0, |t| if t > 250.0 / 10.0 { 10.0 } else { 0.0 }),
];
