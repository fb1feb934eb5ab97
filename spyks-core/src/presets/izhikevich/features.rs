//! The twenty panels of Izhikevich (2004), Fig. 1, transcribed from the author's `figure1.m`
//! (published with "Which model to use for cortical spiking neurons?", IEEE Trans. Neural
//! Netw. 15:1063). Times are in ms, currents in mV/ms; every comparison is the script's.

use super::Protocol;
use super::params::*;

/// The open window (start, start + width) of the scripts' `(t > T1) & (t < T1 + w)`.
const fn window(t: f64, start: f64, width: f64) -> bool {
    t > start && t < start + width
}

// Onsets that the script computes from its time span.
const K_T1: f64 = 400.0 / 10.0;
const K_T2: f64 = K_T1 + 20.0;
const K_T3: f64 = 0.7 * 400.0;
const K_T4: f64 = K_T3 + 40.0;
const L_T1: f64 = 100.0 / 11.0;
const L_T2: f64 = L_T1 + 5.0;
const L_T3: f64 = 0.7 * 100.0;
const L_T4: f64 = L_T3 + 10.0;
const P_T1: f64 = 300.0 / 8.0;

/// A panel of the 2004 figure with u0 = b·v0.
#[allow(clippy::too_many_arguments)] // one argument per column of the figure's table
const fn panel(
    letter: &'static str,
    name: &'static str,
    title: &'static str,
    params: super::IzhikevichParams,
    v0: f64,
    tau: f64,
    duration: f64,
    input: fn(f64) -> f64,
) -> Protocol {
    Protocol { letter, name, title, params, v0, u0: None, tau, duration, input }
}

/// The twenty neuro-computational features of Izhikevich (2004), Fig. 1, (A) to (T), each with
/// the parameters, initial state, step, duration and input of `figure1.m`. Titles are the
/// figure's, with "accommodation" spelt correctly.
// The inputs keep the script's comparisons (`t < 50 || t > 250`) so they read like figure1.m.
#[allow(clippy::manual_range_contains)]
pub const FEATURES: [Protocol; 20] = [
    panel("A", "tonic spiking", "(A) tonic spiking", TONIC_SPIKING, -70.0, 0.25, 100.0, |t| if t > 100.0 / 10.0 { 14.0 } else { 0.0 }),
    panel("B", "phasic spiking", "(B) phasic spiking", PHASIC_SPIKING, -64.0, 0.25, 200.0, |t| if t > 20.0 { 0.5 } else { 0.0 }),
    panel("C", "tonic bursting", "(C) tonic bursting", TONIC_BURSTING, -70.0, 0.25, 220.0, |t| if t > 22.0 { 15.0 } else { 0.0 }),
    panel("D", "phasic bursting", "(D) phasic bursting", PHASIC_BURSTING, -64.0, 0.2, 200.0, |t| if t > 20.0 { 0.6 } else { 0.0 }),
    panel("E", "mixed mode", "(E) mixed mode", MIXED_MODE, -70.0, 0.25, 160.0, |t| if t > 160.0 / 10.0 { 10.0 } else { 0.0 }),
    panel("F", "spike frequency adaptation", "(F) spike freq. adapt", SPIKE_FREQUENCY_ADAPTATION, -70.0, 0.25, 85.0, |t| {
        if t > 85.0 / 10.0 { 30.0 } else { 0.0 }
    }),
    panel("G", "class 1 excitability", "(G) Class 1 excitable", CLASS_1_EXCITABILITY, -60.0, 0.25, 300.0, |t| {
        if t > 30.0 { 0.075 * (t - 30.0) } else { 0.0 }
    }),
    panel("H", "class 2 excitability", "(H) Class 2 excitable", CLASS_2_EXCITABILITY, -64.0, 0.25, 300.0, |t| {
        if t > 30.0 { -0.5 + 0.015 * (t - 30.0) } else { -0.5 }
    }),
    panel("I", "spike latency", "(I) spike latency", SPIKE_LATENCY, -70.0, 0.2, 100.0, |t| {
        if window(t, 100.0 / 10.0, 3.0) { 7.04 } else { 0.0 }
    }),
    panel("J", "subthreshold oscillations", "(J) subthreshold osc.", SUBTHRESHOLD_OSCILLATIONS, -62.0, 0.25, 200.0, |t| {
        if window(t, 200.0 / 10.0, 5.0) { 2.0 } else { 0.0 }
    }),
    panel("K", "resonator", "(K) resonator", RESONATOR, -62.0, 0.25, 400.0, |t| {
        if window(t, K_T1, 4.0) || window(t, K_T2, 4.0) || window(t, K_T3, 4.0) || window(t, K_T4, 4.0) { 0.65 } else { 0.0 }
    }),
    panel("L", "integrator", "(L) integrator", INTEGRATOR, -60.0, 0.25, 100.0, |t| {
        if window(t, L_T1, 2.0) || window(t, L_T2, 2.0) || window(t, L_T3, 2.0) || window(t, L_T4, 2.0) { 9.0 } else { 0.0 }
    }),
    panel("M", "rebound spike", "(M) rebound spike", REBOUND_SPIKE, -64.0, 0.2, 200.0, |t| if window(t, 20.0, 5.0) { -15.0 } else { 0.0 }),
    panel("N", "rebound burst", "(N) rebound burst", REBOUND_BURST, -64.0, 0.2, 200.0, |t| if window(t, 20.0, 5.0) { -15.0 } else { 0.0 }),
    panel("O", "threshold variability", "(O) thresh. variability", THRESHOLD_VARIABILITY, -64.0, 0.25, 100.0, |t| {
        if window(t, 10.0, 5.0) || window(t, 80.0, 5.0) {
            1.0
        } else if window(t, 70.0, 5.0) {
            -6.0
        } else {
            0.0
        }
    }),
    panel("P", "bistability", "(P) bistability", BISTABILITY, -61.0, 0.25, 300.0, |t| {
        if window(t, P_T1, 5.0) || window(t, 216.0, 5.0) { 1.24 } else { 0.24 }
    }),
    panel("Q", "depolarizing after-potential", "(Q) DAP", DEPOLARIZING_AFTER_POTENTIAL, -70.0, 0.1, 50.0, |t| {
        if (t - 10.0).abs() < 1.0 { 20.0 } else { 0.0 }
    }),
    Protocol {
        letter: "R",
        name: "accommodation",
        title: "(R) accommodation",
        params: ACCOMMODATION,
        v0: -65.0,
        u0: Some(-16.0),
        tau: 0.5,
        duration: 400.0,
        input: |t| {
            if t < 200.0 {
                t / 25.0
            } else if t < 300.0 {
                0.0
            } else if t < 312.5 {
                (t - 300.0) / 12.5 * 4.0
            } else {
                0.0
            }
        },
    },
    panel("S", "inhibition-induced spiking", "(S) inh. induced sp.", INHIBITION_INDUCED_SPIKING, -63.8, 0.5, 350.0, |t| {
        if t < 50.0 || t > 250.0 { 80.0 } else { 75.0 }
    }),
    panel("T", "inhibition-induced bursting", "(T) inh. induced brst.", INHIBITION_INDUCED_BURSTING, -63.8, 0.5, 350.0, |t| {
        if t < 50.0 || t > 250.0 { 80.0 } else { 75.0 }
    }),
];
