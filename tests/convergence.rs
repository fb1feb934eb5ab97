//! Observed order of convergence of every fixed-step method on shared problems with known
//! solutions (in the manner of diffsol's test problems): exponential decay, a damped linear
//! rotation, a LIF neuron below threshold driven by a sinusoid, and LIF spike times with a
//! constant input. The fitted slope of log(error) against log(dt) must be within 0.15 of the
//! method's order.

use spyks_core::integrate::{BackwardEuler, Euler, ExpEuler, Heun, Rk4, Rosenbrock, Stepper};
use spyks_core::{NeuronModel, Signal, Simulation, SpikeTiming, Stimulus};

spyks_core::neuron_model! {
    /// dx/dt = -k x: x(t) = x0 e^{-kt}.
    model Decay;
    parameters { k: 0.7 1/ms }
    state { x: 1 }
    equations { dx/dt = -k * x }
}

spyks_core::neuron_model! {
    /// A damped rotation: x' = -a x - w y, y' = w x - a y.
    model Rotation;
    parameters { a: 0.1 1/ms, w: 1.3 1/ms }
    state { x: 1, y: 0 }
    equations {
        dx/dt = -a * x - w * y,
        dy/dt = w * x - a * y,
    }
}

spyks_core::neuron_model! {
    /// Leaky integrate-and-fire neuron.
    model Lif;
    parameters { tau: 10 ms, E_l: -70 mV, v_th: -50 mV, v_r: -70 mV, R: 100 Mohm }
    state { v: -70 mV }
    inputs { I: 0 pA }
    equations { dv/dt = (E_l - v + R*I) / tau }
    threshold { v >= v_th }
    reset { v = v_r }
}

/// Least-squares slope of log(err) against log(dt).
fn slope(dts: &[f64], errs: &[f64]) -> f64 {
    let xs: Vec<f64> = dts.iter().map(|d| d.ln()).collect();
    let ys: Vec<f64> = errs.iter().map(|e| e.ln()).collect();
    let n = xs.len() as f64;
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    sxy / sxx
}

fn assert_order(name: &str, method: &str, dts: &[f64], errs: &[f64], order: f64) {
    let s = slope(dts, errs);
    assert!((s - order).abs() <= 0.15, "{name}/{method}: observed order {s:.3}, expected {order} (errors {errs:?})");
}

fn decay_error<S: Stepper<Decay>>(s: &mut S, dt: f64) -> f64 {
    let m = Decay::new();
    let tr = Simulation::new(&m, 5.0).run_fixed(s, dt).unwrap();
    tr.times.iter().zip(tr.column("x").unwrap()).map(|(t, x)| (x - (-0.7 * t).exp()).abs()).fold(0.0, f64::max)
}

fn rotation_error<S: Stepper<Rotation>>(s: &mut S, dt: f64) -> f64 {
    let m = Rotation::new();
    let tr = Simulation::new(&m, 5.0).run_fixed(s, dt).unwrap();
    let (xs, ys) = (tr.column("x").unwrap(), tr.column("y").unwrap());
    let mut worst: f64 = 0.0;
    for (i, t) in tr.times.iter().enumerate() {
        let e = (-0.1 * t).exp();
        let (cx, cy) = (e * (1.3 * t).cos(), e * (1.3 * t).sin());
        worst = worst.max((xs[i] - cx).abs()).max((ys[i] - cy).abs());
    }
    worst
}

/// LIF below threshold with I(t) = I0 sin(ω t): w = v - E_l obeys w' = -w/τ + (R I0/τ) sin ωt.
fn lif_sine_error<S: Stepper<Lif>>(s: &mut S, dt: f64) -> f64 {
    let m = Lif::new();
    let (i0, om) = (150.0, 0.5); // 150 pA · 100 MΩ = 15 mV peak drive, below threshold
    let stim = Stimulus::<Lif>::new().with("I", Signal::func(move |t| i0 * (om * t).sin())).unwrap();
    let tr = Simulation::new(&m, 20.0).stimulus(stim).run_fixed(s, dt).unwrap();
    let (a, b) = (0.1, 100.0 * 1e-6 * i0 / 10.0 * 1e3); // 1/τ; R I0/τ in mV/ms (MΩ·pA = µV)
    let c = b / (a * a + om * om);
    let exact = |t: f64| -70.0 + c * (a * (om * t).sin() - om * (om * t).cos()) + c * om * (-a * t).exp();
    tr.times.iter().zip(tr.column("v").unwrap()).map(|(t, v)| (v - exact(*t)).abs()).fold(0.0, f64::max)
}

/// LIF with a constant input: spike k at k·τ ln((V∞ - v_r)/(V∞ - v_th)), with interpolated
/// spike times. Returns the largest spike-time error.
fn lif_spike_error<S: Stepper<Lif>>(s: &mut S, dt: f64) -> f64 {
    let m = Lif::new();
    let stim = Stimulus::<Lif>::new().with("I", Signal::Const(300.0)).unwrap();
    let tr = Simulation::new(&m, 100.0).stimulus(stim).spike_timing(SpikeTiming::Interpolated).run_fixed(s, dt).unwrap();
    let v_inf = -70.0 + 30.0;
    let period = 10.0 * ((v_inf - -70.0) / (v_inf - -50.0f64)).ln();
    let expected = (100.0 / period).floor() as usize;
    assert_eq!(tr.spikes.len(), expected, "spike count at dt = {dt}");
    tr.spikes.iter().enumerate().map(|(k, t)| (t - (k + 1) as f64 * period).abs()).fold(0.0, f64::max)
}

const DTS: [f64; 5] = [0.2, 0.1, 0.05, 0.025, 0.0125];

fn sweep(f: impl Fn(f64) -> f64) -> Vec<f64> {
    DTS.iter().map(|&dt| f(dt)).collect()
}

#[test]
fn euler_is_first_order() {
    assert_order("decay", "euler", &DTS, &sweep(|dt| decay_error(&mut Euler::new(), dt)), 1.0);
    assert_order("rotation", "euler", &DTS, &sweep(|dt| rotation_error(&mut Euler::new(), dt)), 1.0);
    assert_order("lif-sine", "euler", &DTS, &sweep(|dt| lif_sine_error(&mut Euler::new(), dt)), 1.0);
    assert_order("lif-spikes", "euler", &DTS, &sweep(|dt| lif_spike_error(&mut Euler::new(), dt)), 1.0);
}

#[test]
fn heun_is_second_order() {
    assert_order("decay", "heun", &DTS, &sweep(|dt| decay_error(&mut Heun, dt)), 2.0);
    assert_order("rotation", "heun", &DTS, &sweep(|dt| rotation_error(&mut Heun, dt)), 2.0);
    assert_order("lif-sine", "heun", &DTS, &sweep(|dt| lif_sine_error(&mut Heun, dt)), 2.0);
    assert_order("lif-spikes", "heun", &DTS, &sweep(|dt| lif_spike_error(&mut Heun, dt)), 2.0);
}

#[test]
fn rk4_is_fourth_order() {
    // Coarser steps keep RK4's error above round-off.
    let dts = [0.8, 0.4, 0.2, 0.1, 0.05];
    let sw = |f: &dyn Fn(f64) -> f64| dts.iter().map(|&d| f(d)).collect::<Vec<_>>();
    assert_order("decay", "rk4", &dts, &sw(&|dt| decay_error(&mut Rk4, dt)), 4.0);
    assert_order("rotation", "rk4", &dts, &sw(&|dt| rotation_error(&mut Rk4, dt)), 4.0);
    assert_order("lif-sine", "rk4", &dts, &sw(&|dt| lif_sine_error(&mut Rk4, dt)), 4.0);
    // Spike times come from linear interpolation inside the step: second order.
    assert_order("lif-spikes", "rk4", &DTS, &sweep(|dt| lif_spike_error(&mut Rk4, dt)), 2.0);
}

#[test]
fn exponential_euler_is_exact_on_linear_scalar_problems_and_first_order_otherwise() {
    // Linear in itself with constant coefficients: exact up to round-off at any step.
    for dt in DTS {
        assert!(decay_error(&mut ExpEuler, dt) < 1e-14);
    }
    // The trajectory is exact; spike times come from linear interpolation: second order.
    assert_order("lif-spikes", "exp-euler", &DTS, &sweep(|dt| lif_spike_error(&mut ExpEuler, dt)), 2.0);
    // Coupled (the other variable is frozen over the step) or time-varying input: order 1.
    assert_order("rotation", "exp-euler", &DTS, &sweep(|dt| rotation_error(&mut ExpEuler, dt)), 1.0);
    assert_order("lif-sine", "exp-euler", &DTS, &sweep(|dt| lif_sine_error(&mut ExpEuler, dt)), 1.0);
    assert!(Lif::LINEAR[0] && Rotation::LINEAR == [true, true]);
}

#[test]
fn backward_euler_is_first_order() {
    let be = BackwardEuler::new;
    assert_order("decay", "backward-euler", &DTS, &sweep(|dt| decay_error(&mut be(), dt)), 1.0);
    assert_order("rotation", "backward-euler", &DTS, &sweep(|dt| rotation_error(&mut be(), dt)), 1.0);
    assert_order("lif-sine", "backward-euler", &DTS, &sweep(|dt| lif_sine_error(&mut be(), dt)), 1.0);
    assert_order("lif-spikes", "backward-euler", &DTS, &sweep(|dt| lif_spike_error(&mut be(), dt)), 1.0);
}

#[test]
fn rosenbrock_methods_have_their_orders() {
    // ROS2's error constant is large: its asymptotic range starts below 0.05 ms.
    let fine = [0.04, 0.02, 0.01, 0.005, 0.0025];
    let sw = |f: &dyn Fn(f64) -> f64| fine.iter().map(|&d| f(d)).collect::<Vec<_>>();
    assert_order("decay", "ros2", &fine, &sw(&|dt| decay_error(&mut Rosenbrock::ros2(), dt)), 2.0);
    assert_order("rotation", "ros2", &fine, &sw(&|dt| rotation_error(&mut Rosenbrock::ros2(), dt)), 2.0);
    assert_order("lif-sine", "ros2", &fine, &sw(&|dt| lif_sine_error(&mut Rosenbrock::ros2(), dt)), 2.0);
    assert_order("lif-spikes", "ros2", &DTS, &sweep(|dt| lif_spike_error(&mut Rosenbrock::ros2(), dt)), 2.0);
    let coarse = [0.4, 0.2, 0.1, 0.05, 0.025];
    let sw = |f: &dyn Fn(f64) -> f64| coarse.iter().map(|&d| f(d)).collect::<Vec<_>>();
    assert_order("decay", "ros34pw2", &coarse, &sw(&|dt| decay_error(&mut Rosenbrock::ros34pw2(), dt)), 3.0);
    assert_order("rotation", "ros34pw2", &coarse, &sw(&|dt| rotation_error(&mut Rosenbrock::ros34pw2(), dt)), 3.0);
    assert_order("lif-sine", "ros34pw2", &coarse, &sw(&|dt| lif_sine_error(&mut Rosenbrock::ros34pw2(), dt)), 3.0);
    assert_order("lif-spikes", "ros34pw2", &DTS, &sweep(|dt| lif_spike_error(&mut Rosenbrock::ros34pw2(), dt)), 2.0);
}

#[test]
fn statistics_count_the_work() {
    let m = Decay::new();
    let sim = Simulation::new(&m, 1.0);
    assert_eq!(sim.run_fixed(&mut Rk4, 0.1).unwrap().stats.evaluations, 40);
    let mut ros = Rosenbrock::ros2();
    let s = sim.run_fixed(&mut ros, 0.1).unwrap().stats;
    assert_eq!((s.steps, s.evaluations, s.jacobians), (10, 20, 10));
    // A reused stepper reports per run, not cumulatively.
    let s = sim.run_fixed(&mut ros, 0.1).unwrap().stats;
    assert_eq!(s.jacobians, 10);
    let s = sim.run_fixed(&mut BackwardEuler::new(), 0.1).unwrap().stats;
    assert!(s.jacobians >= 10 && s.evaluations >= 20, "{s:?}");
}

#[test]
fn exponential_midpoint_is_exact_on_linear_scalar_problems_and_second_order_otherwise() {
    use spyks_core::integrate::ExpMidpoint;
    // Frozen coefficients: exact up to round-off at any step, as for exponential Euler.
    for dt in DTS {
        assert!(decay_error(&mut ExpMidpoint, dt) < 1e-14);
    }
    // The trajectory is exact; spike times come from linear interpolation: second order.
    assert_order("lif-spikes", "exp-midpoint", &DTS, &sweep(|dt| lif_spike_error(&mut ExpMidpoint, dt)), 2.0);
    // Coupled or time-varying input: the midpoint coefficients make these second order, where
    // exponential Euler is first order.
    assert_order("rotation", "exp-midpoint", &DTS, &sweep(|dt| rotation_error(&mut ExpMidpoint, dt)), 2.0);
    assert_order("lif-sine", "exp-midpoint", &DTS, &sweep(|dt| lif_sine_error(&mut ExpMidpoint, dt)), 2.0);
    let m = Decay::new();
    let s = Simulation::new(&m, 1.0).run_fixed(&mut ExpMidpoint, 0.1).unwrap().stats;
    assert_eq!((s.steps, s.evaluations), (10, 20));
}

/// RK4 that counts its steps, to check the statistics against.
struct CountingRk4(u64);

impl<M: NeuronModel> Stepper<M> for CountingRk4 {
    fn name(&self) -> &'static str {
        "counting rk4"
    }
    fn order(&self) -> u32 {
        4
    }
    fn work(&self, steps: u64) -> spyks_core::integrate::Work {
        spyks_core::integrate::Work { evaluations: 4 * steps, jacobians: 0 }
    }
    fn step<U: Fn(f64) -> M::Inputs>(&mut self, m: &M, t: f64, h: f64, x: &mut M::State, inputs: &U) -> Result<(), spyks_core::SimError> {
        self.0 += 1;
        Rk4.step(m, t, h, x, inputs)
    }
}

/// A refractory period that ends inside a step splits it in two, and a spike placed inside a
/// step integrates the rest of it again: the statistics count those steps' evaluations (they
/// counted four per grid step, 13 336 where 13 364 were made).
#[test]
fn statistics_count_split_steps() {
    use spyks_core::presets::integrate_and_fire::Lif as RefractoryLif;
    let m = RefractoryLif::new();
    let stim = Stimulus::new().with("I", Signal::Const(300.0)).unwrap();
    // dt = 0.03 ms does not divide t_ref = 5 ms: every refractory period ends inside a step.
    let (dt, t_end) = (0.03, 100.0);
    for timing in [SpikeTiming::StepEnd, SpikeTiming::Interpolated] {
        let mut rk4 = CountingRk4(0);
        let tr = Simulation::new(&m, t_end).stimulus(stim.clone()).spike_timing(timing).run_fixed(&mut rk4, dt).unwrap();
        let s = tr.stats;
        assert_eq!(s.steps, 3334);
        assert!(tr.spikes.len() >= 7);
        let ends_inside = tr.spikes.iter().filter(|&&ts| ts + 5.0 < t_end).count() as u64;
        match timing {
            SpikeTiming::StepEnd => {
                assert_eq!(rk4.0, s.steps + ends_inside);
                assert_eq!(s.evaluations, 4 * rk4.0);
            }
            // Each spike inside a step: the rest of the step once more, and two derivatives
            // for the state at the spike.
            SpikeTiming::Interpolated => {
                let inside = tr.spikes.iter().filter(|&&ts| (ts / dt).fract() > 1e-6).count() as u64;
                assert_eq!(inside, tr.spikes.len() as u64);
                assert_eq!(rk4.0, s.steps + ends_inside + inside);
                assert_eq!(s.evaluations, 4 * rk4.0 + 2 * inside);
            }
        }
    }
}
