//! Each panel of Izhikevich (2004), Fig. 1 shows the behaviour that names it, in the
//! protocol of `figure1.m` (the spike times themselves are pinned against an independent
//! transcription in `izhikevich_reference.rs`). The criteria are the paper's definitions
//! (Section II and the caption of Fig. 1); each threshold is justified where it is set.
//! Controls (the same protocol without one of its stimuli) show that the stimulus, not the
//! initial transient, causes the behaviour.

use spyks::presets::izhikevich::{FEATURES, FigureScheme, Protocol, ProtocolRun};
use spyks::{Signal, Simulation, Stimulus};

fn feature(letter: &str) -> &'static Protocol {
    FEATURES.iter().find(|p| p.letter == letter).unwrap()
}

fn run(letter: &str) -> ProtocolRun {
    feature(letter).run().unwrap()
}

/// The same panel with another input.
fn run_with_input(letter: &str, input: fn(f64) -> f64) -> ProtocolRun {
    Protocol { input, ..*feature(letter) }.run().unwrap()
}

fn isis(s: &[f64]) -> Vec<f64> {
    s.windows(2).map(|w| w[1] - w[0]).collect()
}

/// Splits spike times into bursts: a new burst starts after an interval longer than `gap`.
fn bursts(s: &[f64], gap: f64) -> Vec<Vec<f64>> {
    let mut out: Vec<Vec<f64>> = Vec::new();
    for (i, &t) in s.iter().enumerate() {
        if i == 0 || t - s[i - 1] > gap {
            out.push(vec![t]);
        } else {
            out.last_mut().unwrap().push(t);
        }
    }
    out
}

/// Firing rate (Hz) of a panel's neuron under a constant current, after a 1 s transient.
fn rate(p: &Protocol, current: f64) -> f64 {
    let model = p.model();
    let stim = Stimulus::new().with("I", Signal::Const(current)).unwrap();
    let traj =
        Simulation::new(&model, 4000.0).state(p.initial_state()).stimulus(stim).run_fixed(&mut FigureScheme { tau: p.tau }, p.tau).unwrap();
    let s: Vec<f64> = traj.spikes.into_iter().filter(|&t| t > 1000.0).collect();
    if s.len() < 2 { 0.0 } else { 1000.0 * (s.len() - 1) as f64 / (s[s.len() - 1] - s[0]) }
}

/// The smallest constant current (to 1e-6) that makes the neuron fire repetitively.
fn rheobase(p: &Protocol, mut lo: f64, mut hi: f64) -> f64 {
    assert!(rate(p, lo) == 0.0 && rate(p, hi) > 0.0);
    while hi - lo > 1e-6 {
        let m = 0.5 * (lo + hi);
        if rate(p, m) > 0.0 { hi = m } else { lo = m }
    }
    hi
}

#[test]
fn a_tonic_spiking_fires_steadily_while_the_current_is_on() {
    let r = run("A");
    let i = isis(&r.spikes);
    assert!(r.spikes.len() >= 4 && r.spikes[0] > 10.0, "{:?}", r.spikes);
    // Steady state: the last two intervals agree to 5 % (they differ by 1 %)...
    let (a, b) = (i[i.len() - 2], i[i.len() - 1]);
    assert!((a - b).abs() < 0.05 * b, "{i:?}");
    // ...and firing lasts to the end of the step (the last spike is within one interval of it).
    assert!(100.0 - r.spikes[r.spikes.len() - 1] < b, "{:?}", r.spikes);
}

#[test]
fn b_phasic_spiking_fires_exactly_once_at_onset() {
    let r = run("B");
    assert_eq!(r.spikes.len(), 1, "{:?}", r.spikes);
    assert!(r.spikes[0] > 20.0 && r.spikes[0] < 70.0);
}

#[test]
fn c_tonic_bursting_fires_repeated_bursts_separated_by_long_pauses() {
    let r = run("C");
    let i = isis(&r.spikes);
    let longest = i.iter().cloned().fold(0.0, f64::max);
    // ISIs fall in two groups: pauses (longer than half the longest interval) and
    // intra-burst intervals; every pause is at least 3 times the longest intra-burst interval.
    let (pauses, intra): (Vec<f64>, Vec<f64>) = i.iter().partition(|&&x| x > 0.5 * longest);
    let max_intra = intra.iter().cloned().fold(0.0, f64::max);
    let min_pause = pauses.iter().cloned().fold(f64::INFINITY, f64::min);
    assert!(min_pause > 3.0 * max_intra, "pauses {pauses:?}, intra-burst {intra:?}");
    let b = bursts(&r.spikes, 0.5 * longest);
    assert!(b.len() >= 3 && b.iter().all(|b| b.len() >= 3), "{b:?}");
}

#[test]
fn d_phasic_bursting_fires_one_burst_then_stays_silent() {
    let r = run("D");
    let b = bursts(&r.spikes, 10.0);
    assert_eq!(b.len(), 1, "{b:?}");
    assert!(b[0].len() >= 3 && b[0][0] > 20.0);
    // Silent for the remaining >= 100 ms of the step, several times the burst's length.
    let last = b[0][b[0].len() - 1];
    assert!(200.0 - last > 100.0 && 200.0 - last > 3.0 * (last - b[0][0]), "{b:?}");
}

#[test]
fn e_mixed_mode_fires_a_burst_at_onset_then_single_spikes() {
    let r = run("E");
    let b = bursts(&r.spikes, 10.0);
    assert!(b[0].len() >= 2, "{b:?}");
    assert!(b.len() >= 3 && b[1..].iter().all(|b| b.len() == 1), "{b:?}");
    // The single spikes come at intervals at least 3 times the burst's.
    let i = isis(&r.spikes);
    let burst_isi = i[..b[0].len() - 1].iter().cloned().fold(0.0, f64::max);
    assert!(i[b[0].len() - 1..].iter().all(|&x| x > 3.0 * burst_isi), "{i:?}");
}

#[test]
fn f_spike_frequency_adaptation_lengthens_every_interval() {
    let i = isis(&run("F").spikes);
    assert!(i.len() >= 4 && i.windows(2).all(|w| w[1] > w[0]), "{i:?}");
    assert!(i[i.len() - 1] > 5.0 * i[0], "{i:?}");
}

#[test]
fn g_class_1_fires_at_arbitrarily_low_rates() {
    // Along the figure's ramp the rate rises continuously: every interval shorter than the
    // one before, the first more than twice the last.
    let i = isis(&run("G").spikes);
    assert!(i.windows(2).all(|w| w[1] < w[0]) && i[0] > 2.0 * i[i.len() - 1], "{i:?}");
    // The definition (Hodgkin's class 1): just above the rheobase of a constant current, the
    // rate is near zero (< 2 Hz at 0.01 above it; it tends to 0 at the rheobase).
    let p = feature("G");
    let i_rh = rheobase(p, 0.0, 10.0);
    let f = rate(p, i_rh + 0.01);
    assert!(f > 0.0 && f < 2.0, "rheobase {i_rh}, rate {f} Hz");
}

#[test]
fn h_class_2_starts_firing_at_a_nonzero_rate() {
    // Along the ramp the first interval already gives more than 40 Hz.
    let r = run("H");
    assert!(1000.0 / isis(&r.spikes)[0] > 40.0, "{:?}", r.spikes);
    // The definition (class 2): just above the rheobase the rate is bounded away from zero
    // (> 15 Hz at 0.01 above it), where the class 1 neuron fires below 2 Hz.
    let p = feature("H");
    let i_rh = rheobase(p, -0.5, 2.0);
    let f = rate(p, i_rh + 0.01);
    assert!(f > 15.0, "rheobase {i_rh}, rate {f} Hz");
}

#[test]
fn i_spike_latency_fires_long_after_the_pulse() {
    let r = run("I");
    assert_eq!(r.spikes.len(), 1);
    // The pulse lasts 3 ms (10 to 13 ms); the spike comes more than a pulse width after its end.
    assert!(r.spikes[0] - 13.0 > 3.0, "{:?}", r.spikes);
}

#[test]
fn j_subthreshold_oscillations_ring_down_after_one_spike() {
    let r = run("J");
    assert_eq!(r.spikes.len(), 1, "{:?}", r.spikes);
    // After the spike, V - V_rest (V_rest: the final value) changes sign repeatedly with
    // decreasing excursions: a damped oscillation.
    let rest = r.v[r.v.len() - 1];
    let after: Vec<(f64, f64)> = r.times.iter().zip(&r.v).filter(|(t, _)| **t > r.spikes[0] + 5.0).map(|(t, v)| (*t, v - rest)).collect();
    let mut extremes = Vec::new();
    let mut current = 0.0f64;
    for w in after.windows(2) {
        if w[0].1.signum() != w[1].1.signum() && w[0].1 != 0.0 {
            extremes.push(current.abs());
            current = 0.0;
        }
        if w[1].1.abs() > current.abs() {
            current = w[1].1;
        }
    }
    assert!(extremes.len() >= 4, "{extremes:?}");
    assert!(extremes[1..4].windows(2).all(|w| w[1] < w[0]), "{extremes:?}");
}

#[test]
fn k_resonator_fires_only_for_the_resonant_pair() {
    let r = run("K");
    // Pulse pairs at 40/60 ms (20 ms apart) and 280/320 ms (40 ms apart): one spike, after the
    // second pulse of the second pair.
    assert_eq!(r.spikes.len(), 1, "{:?}", r.spikes);
    assert!(r.spikes[0] > 320.0 && r.spikes[0] < 360.0);
    // Control: the last pulse alone does not fire.
    let alone = run_with_input("K", |t| if t > 0.7 * 400.0 + 40.0 && t < 0.7 * 400.0 + 44.0 { 0.65 } else { 0.0 });
    assert!(alone.spikes.is_empty());
}

#[test]
fn l_integrator_fires_only_for_the_closely_spaced_pair() {
    let r = run("L");
    let t1 = 100.0 / 11.0;
    // Pairs 5 ms apart (from 9.1 ms) and 10 ms apart (from 70 ms): only the first fires.
    assert_eq!(r.spikes.len(), 1, "{:?}", r.spikes);
    assert!(r.spikes[0] > t1 + 5.0 && r.spikes[0] < t1 + 20.0);
    // Control: the second pulse of the close pair alone does not fire.
    let alone = run_with_input("L", |t| if t > 100.0 / 11.0 + 5.0 && t < 100.0 / 11.0 + 7.0 { 9.0 } else { 0.0 });
    assert!(alone.spikes.is_empty());
}

#[test]
fn m_rebound_spike_follows_the_end_of_inhibition() {
    let r = run("M");
    assert_eq!(r.spikes.len(), 1, "{:?}", r.spikes);
    assert!(r.spikes[0] > 25.0);
    assert!(run_with_input("M", |_| 0.0).spikes.is_empty(), "at rest without the pulse");
}

#[test]
fn n_rebound_burst_follows_the_end_of_inhibition() {
    let r = run("N");
    let b = bursts(&r.spikes, 10.0);
    assert_eq!(b.len(), 1, "{b:?}");
    assert!(b[0].len() >= 3 && b[0][0] > 25.0, "{b:?}");
    assert!(run_with_input("N", |_| 0.0).spikes.is_empty(), "at rest without the pulse");
}

#[test]
fn o_threshold_variability_the_same_pulse_fires_only_after_inhibition() {
    let r = run("O");
    // Equal pulses at 10 and 80 ms; only the one preceded by inhibition (70-75 ms) fires.
    assert_eq!(r.spikes.len(), 1, "{:?}", r.spikes);
    assert!(r.spikes[0] > 80.0);
    let without = run_with_input("O", |t| if (t > 10.0 && t < 15.0) || (t > 80.0 && t < 85.0) { 1.0 } else { 0.0 });
    assert!(without.spikes.is_empty());
}

#[test]
fn p_bistability_one_pulse_switches_firing_on_the_next_off() {
    let r = run("P");
    let (on, off) = (300.0 / 8.0, 216.0);
    assert!(r.spikes.iter().all(|&s| s > on && s < off + 5.0), "{:?}", r.spikes);
    // Self-sustained: at least 3 spikes after the first pulse has ended.
    assert!(r.spikes.iter().filter(|&&s| s > on + 5.0).count() >= 3);
    // And off for the remaining 80 ms after the second pulse.
    assert!(r.spikes_between(off, 301.0).is_empty());
    assert!(run_with_input("P", |_| 0.24).spikes.is_empty(), "silent without the pulses");
}

#[test]
fn q_dap_one_spike_then_a_depolarised_after_potential() {
    let r = run("Q");
    assert_eq!(r.spikes.len(), 1, "{:?}", r.spikes);
    let s = r.spikes[0];
    let c = feature("Q").params.c;
    // After the reset to c = -60 mV, V climbs again (by more than 5 mV) instead of decaying
    // to rest (-70 mV): the after-potential is depolarising...
    let peak = r.times.iter().zip(&r.v).filter(|(t, _)| **t > s && **t < s + 10.0).map(|(_, v)| *v).fold(f64::MIN, f64::max);
    assert!(peak > c + 5.0, "peak {peak}");
    // ...and transient: V is back near rest at the end.
    assert!((r.v[r.v.len() - 1] - (-70.0)).abs() < 3.0);
}

#[test]
fn r_accommodation_the_slow_ramp_fails_the_fast_one_fires() {
    let p = feature("R");
    let r = run("R");
    assert_eq!(r.spikes.len(), 1, "{:?}", r.spikes);
    assert!(r.spikes[0] > 300.0 && r.spikes[0] < 320.0);
    // The slow ramp reaches a larger current than the fast one.
    assert!((p.input)(199.5) > 1.5 * (p.input)(312.0));
}

#[test]
fn s_inhibition_induced_spiking_fires_only_during_the_hyperpolarising_step() {
    let r = run("S");
    assert!(r.spikes.len() >= 2 && r.spikes.iter().all(|&s| s > 50.0 && s < 251.0), "{:?}", r.spikes);
    let b = bursts(&r.spikes, 10.0);
    assert!(b.iter().all(|b| b.len() == 1), "single spikes: {b:?}");
}

#[test]
fn t_inhibition_induced_bursting_fires_bursts_only_during_the_hyperpolarising_step() {
    let r = run("T");
    assert!(r.spikes.iter().all(|&s| s > 50.0 && s < 251.0), "{:?}", r.spikes);
    let b = bursts(&r.spikes, 20.0);
    assert!(b.len() >= 2 && b.iter().all(|b| b.len() >= 3), "{b:?}");
}
