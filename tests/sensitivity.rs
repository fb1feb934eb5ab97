//! Forward sensitivities against central finite differences of the same discrete RK4 map,
//! and against the closed-form sensitivities of a linear membrane.

use spyks_core::estimate::{ForwardSensitivity, SensitivityRun};
use spyks_core::integrate::Rk4;
use spyks_core::presets::hodgkin_huxley::{HodgkinHuxley, UA_PER_CM2};
use spyks_core::presets::integrate_and_fire::Lif;
use spyks_core::presets::spyks::{Nakl, NaklParams, NaklState};
use spyks_core::{NeuronModel, RecordSpec, Signal, SimError, Simulation, Stimulus, Vector};

spyks_core::neuron_model! {
    /// Passive membrane, τ dV/dt = E − V + R·I.
    model Passive;
    parameters { tau: 10 ms, E: -70 mV, R: 100 Mohm }
    state { V: -50 mV }
    inputs { I: 0 pA }
    equations { dV/dt = (E - V + R * I) / tau }
}

spyks_core::neuron_model! {
    /// A clipped variable (no threshold).
    model Clipped;
    parameters { tau: 10 ms }
    state { V: -50 mV }
    equations { dV/dt = -V / tau }
    clip { V >= -60 mV }
}

/// Worst relative disagreement (max norm over samples) between the forward sensitivities and
/// central differences, over every (state variable, θ) pair whose normalised sensitivity
/// max |θ ∂x/∂θ| exceeds `tiny` × max |x|; pairs below that must agree to `tiny` × max |x|
/// in absolute terms. Returns (worst relative error, number of pairs compared).
///
/// The step is `rel` times the value (times 1 for initial states near zero). Rounding
/// accumulated over thousands of steps grows as the step shrinks and truncation, O(step²),
/// as it grows: the best step depends on the model (see the tests).
fn compare_fd<M: NeuronModel>(model: &M, sim: &Simulation<'_, M>, params: &[&str], initial: &[&str], dt: f64, rel: f64) -> (f64, usize) {
    let mut fs = ForwardSensitivity::<M>::new(params, initial).unwrap();
    let run = fs.run(sim, dt).unwrap();
    let mut worst: f64 = 0.0;
    let mut compared = 0;
    let thetas = params.iter().map(|p| (true, *p)).chain(initial.iter().map(|s| (false, *s)));
    for (j, (is_param, name)) in thetas.enumerate() {
        // The two perturbed trajectories, from the plain integrator (independent of the
        // sensitivity code).
        let (value, delta) = if is_param {
            let v = model.params().get(name).unwrap();
            (v, rel * v.abs().max(1e-3))
        } else {
            let v = sim.x0.get(name).unwrap();
            (v, rel * v.abs().max(1.0))
        };
        let traj = |sign: f64| {
            let mut m = model.clone();
            let mut x0 = sim.x0;
            if is_param {
                m.params_mut().set(name, value + sign * delta).unwrap();
            } else {
                x0.set(name, value + sign * delta).unwrap();
            }
            let s = Simulation::new(&m, sim.t_end).state(x0).stimulus(sim.stimulus.clone()).record(RecordSpec::all());
            s.run_fixed(&mut Rk4, dt).unwrap()
        };
        let (plus, minus) = (traj(1.0), traj(-1.0));
        for (i, info) in M::State::INFO.iter().enumerate() {
            let (p, m) = (plus.column(info.name).unwrap(), minus.column(info.name).unwrap());
            let fd: Vec<f64> = p.iter().zip(m).map(|(a, b)| (a - b) / (2.0 * delta)).collect();
            let an = run.sensitivity_or_initial(i, j);
            assert_eq!(fd.len(), an.len());
            let x_scale = run.state(info.name).unwrap().iter().fold(0.0f64, |a, v| a.max(v.abs())).max(1e-12);
            let s_scale = fd.iter().fold(0.0f64, |a, v| a.max(v.abs()));
            let err = fd.iter().zip(&an).fold(0.0f64, |a, (f, s)| a.max((f - s).abs()));
            let theta_scale = if is_param { value.abs().max(1e-3) } else { 1.0 };
            if s_scale * theta_scale > 1e-6 * x_scale {
                worst = worst.max(err / s_scale);
                compared += 1;
            } else {
                assert!(err * theta_scale <= 1e-6 * x_scale, "d{}/d{name}: tiny sensitivity disagrees by {err}", info.name);
            }
        }
    }
    (worst, compared)
}

trait Column {
    fn sensitivity_or_initial(&self, var: usize, theta: usize) -> Vec<f64>;
}

impl Column for SensitivityRun {
    fn sensitivity_or_initial(&self, var: usize, theta: usize) -> Vec<f64> {
        (0..self.len()).map(|k| self.d(var, theta, k)).collect()
    }
}

#[test]
fn nakl_every_parameter_and_initial_state_against_finite_differences() {
    let model = Nakl::new();
    // 300 pA from 10 to 60 ms, then relaxation.
    let stim = Stimulus::new().with("Iinj", Signal::window(10.0, 60.0, 300.0)).unwrap();
    let x0 = NaklState { V: -65.0, m: 0.05, h: 0.6, n: 0.3 };
    let sim = Simulation::new(&model, 80.0).state(x0).stimulus(stim);
    // With the default (slow, weak) conductances this current depolarises the cell by more
    // than 30 mV without firing (it needs about 2 nA to fire): every gate moves.
    let v = sim.run_fixed(&mut Rk4, 0.01).unwrap().column("V").unwrap().to_vec();
    let v_max = v.iter().fold(f64::MIN, |a, &b| a.max(b));
    assert!(v_max > -35.0 && v_max < 0.0, "peak {v_max} mV");
    let params: Vec<&str> = NaklParams::INFO.iter().map(|v| v.name).collect();
    let (worst, compared) = compare_fd(&model, &sim, &params, &["V", "m", "h", "n"], 0.01, 1e-5);
    // Measured: 8.3e-7 over 116 pairs (6e-6 with a relative step of 1e-6: rounding).
    eprintln!("nakl: worst relative max-norm error {worst:.2e} over {compared} pairs");
    assert!(compared >= 80, "only {compared} pairs were large enough to compare");
    assert!(worst < 1e-5, "worst relative error {worst:e}");
}

#[test]
fn hodgkin_huxley_through_spike_detection_against_finite_differences() {
    let model = HodgkinHuxley::new();
    let stim = Stimulus::new().with("I", Signal::window(10.0, 100.0, 10.0 * UA_PER_CM2)).unwrap();
    let sim = Simulation::new(&model, 60.0).stimulus(stim);
    // The trajectory spikes (so the spike detector triggers) and is the plain RK4 trajectory.
    let plain = sim.run_fixed(&mut Rk4, 0.01).unwrap();
    assert!(plain.spikes.len() >= 3, "{} spikes", plain.spikes.len());
    let mut fs = ForwardSensitivity::<HodgkinHuxley>::new(&["g_Na", "V_th"], &[]).unwrap();
    let run = fs.run(&sim, 0.01).unwrap();
    assert_eq!(run.state("v").unwrap(), plain.column("v").unwrap());
    assert_eq!(run.times, plain.times);
    // V_th only detects spikes: the trajectory does not depend on it at all.
    assert!(run.sensitivity("v", "V_th").unwrap().iter().all(|&s| s == 0.0));

    let params = ["C_m", "g_Na", "g_K", "g_L", "E_Na", "E_K", "E_L", "phi", "V_th"];
    let (worst, compared) = compare_fd(&model, &sim, &params, &["v", "n"], 0.01, 1e-6);
    // Measured: 8.3e-8 over 40 pairs (2e-6 with a relative step of 1e-5: truncation).
    eprintln!("Hodgkin-Huxley: worst relative max-norm error {worst:.2e} over {compared} pairs");
    assert!(compared >= 30, "only {compared} pairs were large enough to compare");
    assert!(worst < 1e-5, "worst relative error {worst:e}");
}

#[test]
fn passive_membrane_against_closed_form() {
    // τ dV/dt = E − V + R I with constant I: V = V∞ + (V0 − V∞) e^(−t/τ), V∞ = E + R I, so
    // dV/dE = 1 − e^(−t/τ), dV/dR = I (1 − e^(−t/τ)), dV/dV0 = e^(−t/τ) and
    // dV/dτ = (V0 − V∞) e^(−t/τ) t/τ².
    let model = Passive::new();
    let (tau, e, r, i, v0) = (10.0, -70.0, 0.1, 150.0, -50.0);
    assert_eq!((model.params.tau, model.params.E, model.params.R), (tau, e, r));
    let stim = Stimulus::new().with("I", Signal::Const(i)).unwrap();
    let sim = Simulation::new(&model, 50.0).stimulus(stim).record(RecordSpec::all().every(0.5));
    let mut fs = ForwardSensitivity::<Passive>::new(&["E", "tau", "R"], &["V"]).unwrap();
    let run = fs.run(&sim, 0.01).unwrap();
    assert_eq!(run.len(), 101);
    let v_inf = e + r * i;
    let mut worst: f64 = 0.0;
    for (k, &t) in run.times.iter().enumerate() {
        let decay = (-t / tau).exp();
        let exact = [1.0 - decay, (v0 - v_inf) * decay * t / (tau * tau), i * (1.0 - decay), decay];
        let scale = [1.0, (v0 - v_inf).abs() / tau, i, 1.0];
        for j in 0..4 {
            worst = worst.max((run.d(0, j, k) - exact[j]).abs() / scale[j]);
        }
        assert!((run.sample(k)[0] - (v_inf + (v0 - v_inf) * decay)).abs() < 1e-9);
    }
    eprintln!("passive membrane: worst scaled error {worst:.2e}");
    // RK4's local error at h/τ = 1e-3 is ~1e-15: rounding dominates.
    assert!(worst < 1e-10, "worst scaled error {worst:e}");
    assert_eq!(run.sensitivity("V", "E").unwrap()[0], 0.0);
    assert_eq!(run.initial_sensitivity("V", "V").unwrap()[0], 1.0);
}

#[test]
fn parameter_vectors_are_swapped_without_reallocating() {
    let model = Nakl::new();
    let stim = Stimulus::new().with("Iinj", Signal::window(5.0, 30.0, 200.0)).unwrap();
    let sim = Simulation::new(&model, 40.0).stimulus(stim);
    let mut fs = ForwardSensitivity::<Nakl>::all_params();
    let mut out = fs.run(&sim, 0.01).unwrap();
    let buffers = |o: &SensitivityRun| (o.sens.as_ptr(), o.sens.capacity(), o.states.as_ptr(), o.times.as_ptr());
    let before = buffers(&out);
    let mut p = *model.params();
    p.gk = 25.0;
    p.El = -60.0;
    fs.run_into(&sim, &p, 0.01, &mut out).unwrap();
    assert_eq!(buffers(&out), before);
    // Same result as a fresh run of a model built with those parameters.
    let other = Nakl::with_params(p);
    let fresh = ForwardSensitivity::<Nakl>::all_params().run(&Simulation::new(&other, 40.0).stimulus(sim.stimulus.clone()), 0.01).unwrap();
    assert_eq!(out, fresh);
}

#[test]
fn errors_name_what_is_wrong() {
    let e = ForwardSensitivity::<Nakl>::new(&["gna", "g_na"], &[]).unwrap_err();
    assert!(matches!(&e, SimError::Name(n) if n.name == "g_na"), "{e}");
    let e = ForwardSensitivity::<Nakl>::new(&[], &["v"]).unwrap_err();
    assert!(matches!(&e, SimError::Name(n) if n.name == "v" && n.valid == ["V", "m", "h", "n"]), "{e}");
    // A name listed twice, as TraceCost and Ukf reject it.
    let e = ForwardSensitivity::<Nakl>::new(&["gna", "gk", "gna"], &[]).unwrap_err();
    assert_eq!(e.to_string(), "the parameter `gna` is listed twice in `params`");
    let e = ForwardSensitivity::<Nakl>::new(&["gna"], &["V", "V"]).unwrap_err();
    assert_eq!(e.to_string(), "the state variable `V` is listed twice in `initial`");
    // The same name in both lists is two quantities: a parameter and an initial value.
    assert!(ForwardSensitivity::<Nakl>::new(&["gna"], &["V"]).is_ok());

    let model = Nakl::new();
    let sim = Simulation::new(&model, 1.0);
    let run = ForwardSensitivity::<Nakl>::new(&["gna"], &["V"]).unwrap().run(&sim, 0.1).unwrap();
    assert!(matches!(run.sensitivity("V", "gk"), Err(SimError::Name(n)) if n.valid == ["gna"]));
    assert!(matches!(run.initial_sensitivity("V", "m"), Err(SimError::Name(n)) if n.valid == ["V"]));
    assert!(matches!(run.state("Vm"), Err(SimError::Name(_))));
    let mut fs = ForwardSensitivity::<Nakl>::new(&["gna"], &[]).unwrap();
    assert!(matches!(fs.run(&sim, 0.0), Err(SimError::InvalidSetting { name: "dt", .. })));
    let sim3 = Simulation::new(&model, 1.0).record(RecordSpec::all().every(0.25));
    assert!(matches!(fs.run(&sim3, 0.1), Err(SimError::InvalidSetting { name: "recording interval", .. })));

    let lif = Lif::new();
    let e = ForwardSensitivity::<Lif>::new(&["E_L"], &[]).unwrap().run(&Simulation::new(&lif, 10.0), 0.1).unwrap_err();
    assert!(matches!(&e, SimError::Unsupported(s) if s.contains("`Lif` resets its state")), "{e}");

    let clipped = Clipped::new();
    let e = ForwardSensitivity::<Clipped>::new(&["tau"], &[]).unwrap().run(&Simulation::new(&clipped, 10.0), 0.1).unwrap_err();
    assert!(matches!(&e, SimError::Unsupported(s) if s.contains("`Clipped` clips its state")), "{e}");
}

spyks_core::neuron_model! {
    /// An Ornstein-Uhlenbeck membrane (white noise).
    model Noisy;
    parameters { tau: 10 ms, sigma: 1 mV/ms^(1/2) }
    state { V: 0 mV }
    equations { dV/dt = -V / tau + sigma * xi }
}

#[test]
fn noise_is_refused() {
    let m = Noisy::new();
    let e = ForwardSensitivity::<Noisy>::new(&["tau"], &[]).unwrap().run(&Simulation::new(&m, 1.0), 0.1).unwrap_err();
    assert!(matches!(&e, SimError::Unsupported(s) if s.contains("`Noisy` has a white-noise term")), "{e}");
}
