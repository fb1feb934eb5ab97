//! When inputs and resets take effect inside a fixed step: a step current that switches on
//! exactly on a grid point belongs to the following step (so RK4 keeps its fourth order), and
//! with interpolated spike times a state-dependent reset (`c += u`) acts on the state at the
//! spike time, not at the step's end.

use spyks_core::integrate::{Euler, Heun, Rk4, Stepper};
use spyks_core::{Signal, Simulation, SpikeTiming, Stimulus};

spyks_core::neuron_model! {
    /// Leaky integrate-and-fire membrane (kept below threshold here).
    model Membrane;
    parameters { tau: 10 ms, E_l: -70 mV, R: 100 Mohm }
    state { v: -70 mV }
    inputs { I: 0 pA }
    equations { dv/dt = (E_l - v + R*I) / tau }
}

spyks_core::neuron_model! {
    /// A ramp `v` that fires every 1/r ms, a clock `u` (= t) and `c`, the sum of `u` at the
    /// spikes, that is the sum of the spike times.
    model Clock;
    parameters { r: 0.3 1/ms }
    state { v: 0, u: 0 ms, c: 0 ms }
    equations {
        dv/dt = r,
        du/dt = 1,
        dc/dt = 0 ms/ms,
    }
    threshold { v >= 1 }
    reset { v = 0, c = c + u }
}

/// Max error against the closed form of a 20 pA step switched on at 10 ms.
fn step_current_error<S: Stepper<Membrane>>(s: &mut S, dt: f64) -> f64 {
    let m = Membrane::new();
    let stim = Stimulus::new().with("I", Signal::Step { at: 10.0, before: 0.0, after: 20.0 }).unwrap();
    let tr = Simulation::new(&m, 30.0).stimulus(stim).run_fixed(s, dt).unwrap();
    let exact = |t: f64| if t <= 10.0 { -70.0 } else { -70.0 + 2.0 * (1.0 - (-(t - 10.0) / 10.0).exp()) };
    tr.times.iter().zip(tr.column("v").unwrap()).map(|(&t, v)| (v - exact(t)).abs()).fold(0.0, f64::max)
}

fn slope(dts: &[f64], errs: &[f64]) -> f64 {
    let n = dts.len() as f64;
    let (xs, ys): (Vec<f64>, Vec<f64>) = dts.iter().zip(errs).map(|(d, e)| (d.ln(), e.ln())).unzip();
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum::<f64>() / xs.iter().map(|x| (x - mx).powi(2)).sum::<f64>()
}

#[test]
fn a_step_current_on_a_grid_point_does_not_leak_into_the_step_before() {
    // 10 ms is a grid point of every dt here.
    let dts = [0.5, 0.25, 0.125, 0.0625];
    let rk4: Vec<f64> = dts.iter().map(|&dt| step_current_error(&mut Rk4, dt)).collect();
    let heun: Vec<f64> = dts.iter().map(|&dt| step_current_error(&mut Heun, dt)).collect();
    assert!((slope(&dts, &rk4) - 4.0).abs() <= 0.15, "RK4 order {} ({rk4:?})", slope(&dts, &rk4));
    assert!((slope(&dts, &heun) - 2.0).abs() <= 0.15, "Heun order {} ({heun:?})", slope(&dts, &heun));
    // Before the switch the membrane has not moved at all.
    let m = Membrane::new();
    let stim = Stimulus::new().with("I", Signal::Step { at: 10.0, before: 0.0, after: 20.0 }).unwrap();
    let tr = Simulation::new(&m, 10.0).stimulus(stim).run_fixed(&mut Rk4, 0.5).unwrap();
    assert_eq!(*tr.column("v").unwrap().last().unwrap(), -70.0);
}

#[test]
fn interpolated_resets_act_on_the_state_at_the_spike_time() {
    let m = Clock::new();
    // 0.7 ms does not divide 1/r = 3.33 ms: every spike falls inside a step.
    let tr = Simulation::new(&m, 100.0).spike_timing(SpikeTiming::Interpolated).run_fixed(&mut Euler::default(), 0.7).unwrap();
    let n = tr.spikes.len();
    assert_eq!(n, 30);
    for (k, ts) in tr.spikes.iter().enumerate() {
        assert!((ts - (k + 1) as f64 / 0.3).abs() < 1e-9, "spike {k} at {ts}");
    }
    let sum: f64 = (1..=n).map(|k| k as f64 / 0.3).sum();
    let c = *tr.column("c").unwrap().last().unwrap();
    assert!((c - sum).abs() < 1e-8, "c = {c}, sum of spike times {sum}");
    // The clock itself is untouched by the reset.
    assert!((tr.column("u").unwrap().last().unwrap() - 100.0).abs() < 1e-9);
}

spyks_core::neuron_model! {
    /// The integral of the input: q(t) = ∫ I.
    model Charge;
    state { q: 0 }
    inputs { I: 0 1/ms }
    equations { dq/dt = I }
}

#[test]
fn a_ramp_ends_at_its_end_as_a_pulse_does() {
    // 1 rising to 3 from 2 to 6 ms, then 0: its integral is 8. With the ramp's ends on the
    // grid, Heun (trapezoid) and RK4 (Simpson) integrate each linear piece exactly; a step
    // that starts at the ramp's end reads the input there as it is after the end (0).
    let ramp = Signal::Ramp { start: 2.0, end: 6.0, from: 1.0, to: 3.0 };
    assert_eq!((ramp.at(2.0), ramp.at(6.0_f64.next_down()) > 2.99, ramp.at(6.0)), (1.0, true, 0.0));
    let m = Charge::new();
    let sim = Simulation::new(&m, 10.0).stimulus(Stimulus::new().with("I", ramp).unwrap());
    let last = |tr: spyks_core::Trajectory| *tr.column("q").unwrap().last().unwrap();
    for dt in [0.5, 0.25, 0.1] {
        let rk4 = last(sim.run_fixed(&mut Rk4, dt).unwrap());
        let heun = last(sim.run_fixed(&mut Heun, dt).unwrap());
        assert!((rk4 - 8.0).abs() < 1e-12 && (heun - 8.0).abs() < 1e-12, "dt {dt}: RK4 {rk4}, Heun {heun}");
    }
    let dp = sim.run_adaptive(&spyks_core::integrate::Dopri5::new().tolerances(1e-10, 1e-10)).unwrap();
    assert!((last(dp) - 8.0).abs() < 1e-9);
}
