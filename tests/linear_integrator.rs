//! The exact linear integrator against closed-form solutions: a damped rotation, the CUBA
//! neuron of Brette et al. (2007) (dv/dt = (ge + gi − (v − E_l))/τ_m with exponentially
//! decaying ge and gi, solved by hand below) and the leaky integrate-and-fire neuron's
//! threshold crossing under a constant current. The propagator is a matrix exponential, so
//! the errors are round-off: asserted at 1e-12 relative at steps of 1 and 5 ms.

mod common;

use spyks::integrate::{Linear, Rk4, Stepper};
use spyks::network::{Network, Population, Values};
use spyks::presets::hodgkin_huxley::HodgkinHuxley;
use spyks::presets::integrate_and_fire::{Adex, Lif, LifCond};
use spyks::presets::izhikevich::{Izhikevich, RS};
use spyks::{NeuronModel, RecordSpec, Signal, SimError, Simulation, Stimulus, Vector};

spyks::neuron_model! {
    /// A damped rotation: dx/dt = −a·x − w·y, dy/dt = w·x − a·y.
    pub model Rotation;
    parameters { a: 0.1 1/ms, w: 0.5 1/ms }
    state { x: 1 mV, y: 0 mV }
    equations {
        dx/dt = -a * x - w * y,
        dy/dt = w * x - a * y,
    }
}

spyks::neuron_model! {
    /// The CUBA membrane without threshold, so that its closed form holds for all t.
    pub model CubaFree;
    parameters { tau_m: 20 ms, tau_e: 5 ms, tau_i: 10 ms, E_l: -49 mV }
    state { v: -60 mV, ge: 3 mV, gi: -7 mV }
    equations {
        dv/dt = (ge + gi - (v - E_l)) / tau_m,
        dge/dt = -ge / tau_e,
        dgi/dt = -gi / tau_i,
    }
}

spyks::neuron_model! {
    /// A membrane driven by a synaptic variable that relaxes to g0: v's equation has no term
    /// free of the state, but v reaches ge, whose equation has one.
    pub model Chain;
    parameters { tau_v: 10 ms, tau_g: 4 ms, g0: 7 mV }
    state { v: 0 mV, ge: 0 mV }
    equations {
        dv/dt = (ge - v) / tau_v,
        dge/dt = (g0 - ge) / tau_g,
    }
}

spyks::neuron_model! {
    /// Five compartments in a chain, each relaxing to the one before (the first to E): a
    /// linear model larger than the block step's inline propagator.
    pub model Chain5;
    parameters { tau: 3 ms, E: -60 mV }
    state { a: -70 mV, b: 0 mV, c: 0 mV, d: 0 mV, e: 0 mV }
    equations {
        da/dt = (E - a) / tau,
        db/dt = (a - b) / tau,
        dc/dt = (b - c) / tau,
        dd/dt = (c - d) / tau,
        de/dt = (d - e) / tau,
    }
}

spyks::neuron_model! {
    /// A leaky membrane with a noise term (linear in the state, but stochastic).
    pub model NoisyLeak;
    parameters { tau: 10 ms, sigma: 1 mV }
    state { v: 0 mV }
    equations { dv/dt = -v / tau + sigma * xi / sqrt(tau) }
}

spyks::neuron_model! {
    /// A leaky membrane driven by a decaying exponential of time, through a named expression:
    /// linear, but not autonomous.
    pub model Forced;
    parameters { tau: 10 ms, tau_f: 3 ms, a: 5 mV, E: -65 mV }
    state { v: -70 mV }
    expressions { drive = a * exp(-t / tau_f) }
    equations { dv/dt = (E - v + drive) / tau }
}

/// v(t) of CubaFree from (v0, ge0, gi0): τ_m v' = E_l + ge0 e^{−t/τ_e} + gi0 e^{−t/τ_i} − v
/// has the particular solutions A_k e^{−t/τ_k} with A_k = g_k0 τ_k/(τ_k − τ_m).
fn cuba_exact(p: &CubaFreeParams, (v0, ge0, gi0): (f64, f64, f64), t: f64) -> [f64; 3] {
    let ae = ge0 * p.tau_e / (p.tau_e - p.tau_m);
    let ai = gi0 * p.tau_i / (p.tau_i - p.tau_m);
    let ge = ge0 * (-t / p.tau_e).exp();
    let gi = gi0 * (-t / p.tau_i).exp();
    let v = p.E_l + ae * (-t / p.tau_e).exp() + ai * (-t / p.tau_i).exp() + (v0 - p.E_l - ae - ai) * (-t / p.tau_m).exp();
    [v, ge, gi]
}

fn max_rel_error(run: &spyks::Trajectory, names: &[&str], exact: impl Fn(f64) -> Vec<f64>) -> f64 {
    let scale = names.iter().map(|n| run.column(n).unwrap().iter().fold(0.0_f64, |m, v| m.max(v.abs()))).fold(0.0, f64::max);
    let mut worst: f64 = 0.0;
    for (k, &t) in run.times.iter().enumerate() {
        for (n, e) in names.iter().zip(exact(t)) {
            worst = worst.max((run.column(n).unwrap()[k] - e).abs() / scale);
        }
    }
    worst
}

#[test]
fn the_models_linearity_is_detected() {
    assert_eq!([Rotation::LINEAR_SYSTEM, CubaFree::LINEAR_SYSTEM, Lif::LINEAR_SYSTEM], [true; 3]);
    // conductance synapses (g·(E − V)), gates with voltage-dependent rates, a quadratic, an
    // exponential, a noise term
    let nonlinear =
        [LifCond::LINEAR_SYSTEM, HodgkinHuxley::LINEAR_SYSTEM, Izhikevich::LINEAR_SYSTEM, Adex::LINEAR_SYSTEM, NoisyLeak::LINEAR_SYSTEM];
    assert_eq!(nonlinear, [false; 5]);
}

#[test]
fn the_propagator_pattern_follows_the_equations() {
    let (t, f) = (true, false);
    // v depends on the synaptic variables, which decay on their own.
    assert_eq!(CubaFree::PROPAGATOR_PATTERN, [t, t, t, f, t, f, f, f, t]);
    assert_eq!(Rotation::PROPAGATOR_PATTERN, [t; 4]);
    assert_eq!(Lif::PROPAGATOR_PATTERN, [t]);
    assert!(LifCond::PROPAGATOR_PATTERN.is_empty() && HodgkinHuxley::PROPAGATOR_PATTERN.is_empty());
}

#[test]
fn state_free_terms_follow_the_equations() {
    let (t, f) = (true, false);
    // Only v's equation has a term free of the state (E_l), and only Chain's ge.
    assert_eq!(CubaFree::STATE_FREE_TERMS, [t, f, f]);
    assert_eq!(Chain::STATE_FREE_TERMS, [f, t]);
    assert_eq!(Rotation::STATE_FREE_TERMS, [f, f]);
    assert_eq!(Lif::STATE_FREE_TERMS, [t]);
    assert!(LifCond::STATE_FREE_TERMS.is_empty() && HodgkinHuxley::STATE_FREE_TERMS.is_empty());
}

/// The input term of v's row, Φ_v,ge·b_ge, where v's own equation has no state-free term:
/// Chain from rest against its closed form, ge(t) = g0(1 − e^{−t/τ_g}) and
/// v(t) = g0[1 − (τ_v e^{−t/τ_v} − τ_g e^{−t/τ_g})/(τ_v − τ_g)], at steps of 1 and 5 ms.
#[test]
fn an_input_term_reached_through_another_variable_is_added() {
    let m = Chain::new();
    let p = m.params;
    let exact = |t: f64| {
        let (ev, eg) = ((-t / p.tau_v).exp(), (-t / p.tau_g).exp());
        vec![p.g0 * (1.0 - (p.tau_v * ev - p.tau_g * eg) / (p.tau_v - p.tau_g)), p.g0 * (1.0 - eg)]
    };
    for h in [1.0, 5.0] {
        let run = Simulation::new(&m, 100.0).record(RecordSpec::all()).run_fixed(&mut Linear::new(), h).unwrap();
        let err = max_rel_error(&run, &["v", "ge"], exact);
        assert!(err < 1e-12, "h = {h}: {err:e}");
    }
}

#[test]
fn a_variable_reaches_only_those_that_depend_on_it() {
    // gi is NaN: v, which depends on it, becomes NaN; ge, which does not, decays exactly (the
    // propagator's zero entries are skipped, not multiplied by NaN).
    let m = CubaFree::new();
    let mut x = CubaFreeState { v: -60.0, ge: 3.0, gi: f64::NAN };
    let h = 0.5;
    Linear::new().step(&m, 0.0, h, &mut x, &|_| CubaFreeInputs {}).unwrap();
    assert!(x.v.is_nan() && x.gi.is_nan());
    approx::assert_relative_eq!(x.ge, 3.0 * (-h / m.params.tau_e).exp(), max_relative = 1e-14);
}

/// CubaFree as a hand-written model would give it, with a propagator pattern of the wrong
/// length (ten entries for three variables, the first nine of them right).
#[derive(Clone, Debug)]
struct MisPatterned(CubaFree);

impl NeuronModel for MisPatterned {
    type State = CubaFreeState;
    type Params = CubaFreeParams;
    type Inputs = CubaFreeInputs;
    type Exprs = <CubaFree as NeuronModel>::Exprs;
    const NAME: &'static str = "MisPatterned";
    const HAS_THRESHOLD: bool = false;
    const HAS_NOISE: bool = false;
    const LINEAR: &'static [bool] = CubaFree::LINEAR;
    const LINEAR_SYSTEM: bool = true;
    const PROPAGATOR_PATTERN: &'static [bool] = &[true, true, true, false, true, false, false, false, true, true];
    const HELD: &'static [usize] = &[];
    common::delegate_scalar_methods!(MisPatterned, CubaFree);
}

#[test]
fn a_pattern_of_the_wrong_length_is_ignored() {
    // Every entry is used, so the NaN in gi reaches ge through P's zero (0·NaN); where the
    // states are finite the result is the macro model's.
    let (m, h) = (MisPatterned(CubaFree::new()), 0.5);
    let mut x = CubaFreeState { v: -60.0, ge: 3.0, gi: f64::NAN };
    Linear::new().step(&m, 0.0, h, &mut x, &|_| CubaFreeInputs {}).unwrap();
    assert!(x.v.is_nan() && x.ge.is_nan() && x.gi.is_nan());
    let start = CubaFreeState { v: -60.0, ge: 3.0, gi: -7.0 };
    let (mut a, mut b) = (start, start);
    Linear::new().step(&m, 0.0, h, &mut a, &|_| CubaFreeInputs {}).unwrap();
    Linear::new().step(&m.0, 0.0, h, &mut b, &|_| CubaFreeInputs {}).unwrap();
    assert_eq!(a, b);
}

#[test]
fn damped_rotation_is_exact_at_large_steps() {
    let m = Rotation::new();
    let (a, w) = (m.params.a, m.params.w);
    for h in [1.0, 5.0] {
        let run = Simulation::new(&m, 200.0).record(RecordSpec::all()).run_fixed(&mut Linear::new(), h).unwrap();
        assert_eq!(run.times.len(), (200.0 / h) as usize + 1);
        let err = max_rel_error(&run, &["x", "y"], |t| {
            let d = (-a * t).exp();
            vec![d * (w * t).cos(), d * (w * t).sin()]
        });
        eprintln!("rotation, h = {h} ms: largest relative error {err:.1e}");
        assert!(err < 1e-12, "h = {h}: {err:e}");
    }
}

#[test]
fn cuba_membrane_is_exact_at_large_steps() {
    let m = CubaFree::new();
    let x0 = m.initial_state();
    let init = (x0.v, x0.ge, x0.gi);
    for h in [1.0, 5.0] {
        let mut stepper = Linear::new();
        let run = Simulation::new(&m, 300.0).record(RecordSpec::all()).run_fixed(&mut stepper, h).unwrap();
        let err = max_rel_error(&run, &["v", "ge", "gi"], |t| cuba_exact(&m.params, init, t).to_vec());
        eprintln!("CUBA, h = {h} ms: largest relative error {err:.1e}");
        assert!(err < 1e-12, "h = {h}: {err:e}");
        // constant coefficients: one propagator for the whole run
        assert_eq!(stepper.exponentials(), 1);
        // RK4 at the same step is far from round-off (it is not exact), which shows the
        // comparison can fail.
        let rk4 = Simulation::new(&m, 300.0).record(RecordSpec::all()).run_fixed(&mut Rk4, h).unwrap();
        let rk4_err = max_rel_error(&rk4, &["v", "ge", "gi"], |t| cuba_exact(&m.params, init, t).to_vec());
        assert!(rk4_err > 1e-8, "h = {h}: RK4 {rk4_err:e}");
    }
}

/// The first step end at or after the threshold crossing of V(t) = V_∞ + (V_0 − V_∞)e^{−t/τ}.
#[test]
fn lif_spikes_at_the_end_of_the_crossing_step() {
    let lif = Lif::new();
    let p = lif.params;
    let mut checked = 0;
    for dt in [0.1, 0.25, 1.0] {
        for i in [105.0, 120.0, 150.0, 250.0, 600.0] {
            let v_inf = p.E_L + p.R_m * i;
            let crossing = p.tau_m * ((v_inf - p.V_reset) / (v_inf - p.V_th)).ln();
            let steps = crossing / dt;
            if (steps - steps.round()).abs() < 1e-6 {
                continue; // too close to a step boundary to decide at round-off
            }
            let stim = Stimulus::new().with("I", Signal::Const(i)).unwrap();
            let run = Simulation::new(&lif, crossing + 3.0 * dt).stimulus(stim).run_fixed(&mut Linear::new(), dt).unwrap();
            let expected = steps.ceil() * dt;
            assert!(!run.spikes.is_empty(), "dt = {dt}, I = {i}: no spike");
            assert!(
                (run.spikes[0] - expected).abs() < 1e-9,
                "dt = {dt}, I = {i}: spike at {} ms, crossing step ends at {expected} ms",
                run.spikes[0]
            );
            checked += 1;
        }
    }
    assert!(checked >= 12);
}

/// A stepper that computes its propagator anew every step.
struct Fresh;

impl<M: NeuronModel> Stepper<M> for Fresh {
    fn name(&self) -> &'static str {
        "linear-uncached"
    }
    fn order(&self) -> u32 {
        1
    }
    fn step<U: Fn(f64) -> M::Inputs>(&mut self, m: &M, t: f64, h: f64, x: &mut M::State, u: &U) -> Result<(), SimError> {
        Linear::new().step(m, t, h, x, u)
    }
}

#[test]
fn the_cached_propagator_gives_the_same_bits_as_a_fresh_one() {
    let lif = Lif::new();
    let stim = Stimulus::new().with("I", Signal::Pulses { start: 10.0, width: 30.0, period: 50.0, count: 4, amplitude: 180.0 }).unwrap();
    let sim = Simulation::new(&lif, 250.0).stimulus(stim).record(RecordSpec::all());
    let mut cached = Linear::new();
    // A step that is a power of two makes every step of the grid exactly the same h (with
    // dt = 0.1, h = t_{k+1} − t_k wobbles in its last bits, and the cache keeps the first).
    let dt = 1.0 / 16.0;
    let a = sim.run_fixed(&mut cached, dt).unwrap();
    let b = sim.run_fixed(&mut Fresh, dt).unwrap();
    assert!(a.spikes.len() >= 4, "{:?}", a.spikes);
    assert_eq!(a.spikes, b.spikes);
    let bits = |r: &spyks::Trajectory| r.column("V").unwrap().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a), bits(&b));
    // The input enters through b only: the pulses need no new exponential.
    assert_eq!(cached.exponentials(), 1);
    // A different step size does (the last step of a run may be shorter).
    let c = Simulation::new(&lif, 250.05).run_fixed(&mut cached, dt).unwrap();
    assert!(c.times.len() > 1);
    assert_eq!(cached.exponentials(), 2);
}

#[test]
fn the_wobble_of_a_decimal_time_grid_reuses_the_propagator_within_round_off() {
    let lif = Lif::new();
    let stim = Stimulus::new().with("I", Signal::Step { at: 20.0, before: 0.0, after: 150.0 }).unwrap();
    let sim = Simulation::new(&lif, 200.0).stimulus(stim).record(RecordSpec::all());
    let mut cached = Linear::new();
    let a = sim.run_fixed(&mut cached, 0.1).unwrap();
    let b = sim.run_fixed(&mut Fresh, 0.1).unwrap();
    assert_eq!(cached.exponentials(), 1);
    assert_eq!(a.spikes.len(), b.spikes.len());
    let worst = a.column("V").unwrap().iter().zip(b.column("V").unwrap()).fold(0.0_f64, |m, (x, y)| m.max((x - y).abs()));
    assert!(worst < 1e-11, "{worst:e} mV");
}

#[test]
fn nonlinear_models_are_refused_with_their_name() {
    let izh = Izhikevich::with_params(RS);
    let err = Simulation::new(&izh, 10.0).run_fixed(&mut Linear::new(), 0.1).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, SimError::Unsupported(_)), "{err:?}");
    assert!(msg.contains("`Izhikevich`") && msg.contains("linear"), "{msg}");
    let hh = HodgkinHuxley::new();
    let err = Simulation::new(&hh, 10.0).run_fixed(&mut Linear::new(), 0.01).unwrap_err();
    assert!(matches!(err, SimError::Unsupported(_)) && err.to_string().contains("HodgkinHuxley"), "{err}");
    // noise is refused (by the driver or the stepper)
    let noisy = NoisyLeak::new();
    let err = Simulation::new(&noisy, 10.0).run_fixed(&mut Linear::new(), 0.1).unwrap_err();
    assert!(matches!(err, SimError::Unsupported(_)), "{err:?}");
}

#[test]
fn a_population_integrates_exactly() {
    let (n, h, t_end) = (300, 1.0, 60.0);
    let mut net = Network::new(h, 7).unwrap();
    let p = net.add_population(Population::new("cuba", n, CubaFree::new(), |_| Linear::new())).unwrap();
    net.init_state(p, "v", Values::uniform(-70.0, -40.0)).unwrap();
    net.init_state(p, "ge", Values::uniform(0.0, 10.0)).unwrap();
    net.init_state(p, "gi", Values::uniform(-20.0, 0.0)).unwrap();
    let init: Vec<(f64, f64, f64)> =
        (0..n).map(|i| (net.get(p, "v", i).unwrap(), net.get(p, "ge", i).unwrap(), net.get(p, "gi", i).unwrap())).collect();
    net.run(t_end).unwrap();
    let params = CubaFree::new().params;
    let mut worst: f64 = 0.0;
    for (i, &x0) in init.iter().enumerate() {
        let exact = cuba_exact(&params, x0, t_end);
        for (k, name) in ["v", "ge", "gi"].iter().enumerate() {
            worst = worst.max((net.get(p, name, i).unwrap() - exact[k]).abs() / 70.0);
        }
    }
    eprintln!("population: largest relative error {worst:.1e}");
    assert!(worst < 1e-12, "{worst:e}");
}

type B = spyks::lanes::F64s<8>;

/// One step of a block (`xb`, inputs `ub`) and of each lane's neuron alone (`xs`, inputs `us`)
/// with `Linear`; the lanes must equal the neurons bit for bit.
#[allow(clippy::too_many_arguments)]
fn step_both<M: NeuronModel>(
    block: &mut Linear,
    scalar: &mut [Linear],
    m: &M,
    (t, h): (f64, f64),
    xb: &mut [B],
    ub: &[B],
    xs: &mut [M::State],
    us: &[M::Inputs],
    what: &str,
) {
    use spyks::lanes::Real;
    let mut scratch = vec![B::splat(0.0); spyks::integrate::LANE_SCRATCH * M::State::LEN];
    block.step_lanes(m, t, h, xb, ub, &mut scratch).unwrap();
    for (l, (x, u)) in xs.iter_mut().zip(us).enumerate() {
        scalar[l].step(m, t, h, x, &|_| *u).unwrap();
        let lane: M::State = spyks::lanes::gather_lane(xb, l);
        assert_eq!(
            lane.to_vec().iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            x.to_vec().iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            "lane {l}, {what}"
        );
    }
}

/// The block step of `Linear` (populations step neurons in blocks of lanes) against the
/// scalar step, lane by lane, bit for bit: eight CUBA neurons in different states with the
/// same inputs, over several steps (the propagator computed once and reused), and after an
/// input changed between two steps at the same time (the cached propagator's input term
/// must follow). Lanes whose inputs differ are refused (the population then steps them one
/// by one).
#[test]
fn the_block_step_is_the_scalar_step_in_every_lane() {
    use spyks::lanes::{Real, scatter_lane};
    use spyks::presets::integrate_and_fire::LifCuba;
    let m = LifCuba::new();
    let mut xs: Vec<_> = (0..8)
        .map(|l| {
            let mut x = m.initial_state();
            x.set("v", -60.0 + 1.3 * l as f64).unwrap();
            x.set("ge", 0.7 * l as f64).unwrap();
            x.set("gi", -2.1 * (l % 3) as f64).unwrap();
            x
        })
        .collect();
    let us = [<LifCuba as NeuronModel>::Inputs::default(); 8];
    let mut xb = vec![B::splat(0.0); <LifCuba as NeuronModel>::State::LEN];
    for (l, x) in xs.iter().enumerate() {
        scatter_lane(x, &mut xb, l);
    }
    let mut block = Linear::new();
    let mut scalar: Vec<Linear> = (0..8).map(|_| Linear::new()).collect();
    assert!(Stepper::<LifCuba>::supports_lanes(&block));
    for k in 0..20 {
        step_both(&mut block, &mut scalar, &m, (0.1 * k as f64, 0.1), &mut xb, &[], &mut xs, &us, &format!("step {k}"));
    }
    assert_eq!(block.exponentials(), 1);
    // A parameter changed between two steps at the same time (the block step caches A, b
    // and Φ·b for the time, step, inputs and parameters): both steps follow it.
    let mut m2 = m.clone();
    m2.params_mut().tau_m = 10.0;
    m2.params_mut().E_l = -45.0;
    step_both(&mut block, &mut scalar, &m2, (0.1 * 19.0, 0.1), &mut xb, &[], &mut xs, &us, "new parameters");
    assert_eq!(block.exponentials(), 2);

    // An input changed between two steps at the same time: b and Φ·b follow it.
    let lif = Lif::new();
    let mut xs: Vec<_> = (0..8)
        .map(|l| {
            let mut x = lif.initial_state();
            x.set("V", -70.0 + 0.5 * l as f64).unwrap();
            x
        })
        .collect();
    let mut xb = vec![B::splat(0.0); 1];
    for (l, x) in xs.iter().enumerate() {
        scatter_lane(x, &mut xb, l);
    }
    let mut scalar: Vec<Linear> = (0..8).map(|_| Linear::new()).collect();
    for input in [100.0, 150.0] {
        let mut us = [<Lif as NeuronModel>::Inputs::default(); 8];
        for u in &mut us {
            u.set("I", input).unwrap();
        }
        step_both(&mut block, &mut scalar, &lif, (1.0, 0.1), &mut xb, &[B::splat(input)], &mut xs, &us, &format!("input {input}"));
    }
    // Different inputs in one block: refused.
    let mut scratch = vec![B::splat(0.0); spyks::integrate::LANE_SCRATCH];
    let mut xl = vec![B::splat(-65.0); 1];
    let mut ul = vec![B::splat(100.0); 1];
    ul[0].set_lane(3, 150.0);
    let err = block.step_lanes(&lif, 0.0, 0.1, &mut xl, &ul, &mut scratch).unwrap_err();
    assert!(matches!(err, SimError::Unsupported(_)), "{err}");
}

/// Eight LIF neurons one by one (with a stepper each) and as one block of lanes.
type Group = (Vec<<Lif as NeuronModel>::State>, Vec<B>, Vec<Linear>);

/// The block step inside passes (`begin_lanes` … `end_lanes`, as populations call it): the
/// time, step and parameters are compared once per pass, the inputs per block. Several blocks
/// per pass whose inputs alternate, passes at new times, and a pass after the parameters
/// changed at the same time: every lane equals its neuron's scalar step, bit for bit.
#[test]
fn passes_follow_the_inputs_of_each_block_and_the_parameters_of_each_pass() {
    use spyks::lanes::{Real, scatter_lane};
    let lif = Lif::new();
    // The last block's input is the first's, so that a pass begins with the inputs the cache
    // holds and only the time or the parameters tell it that the propagator is stale.
    let inputs = [120.0, 150.0, 100.0, 120.0];
    // One group of eight neurons per block of the pass, each group with its own input.
    let mut groups: Vec<Group> = inputs
        .iter()
        .enumerate()
        .map(|(g, _)| {
            let xs: Vec<_> = (0..8)
                .map(|l| {
                    let mut x = lif.initial_state();
                    x.set("V", -70.0 + 0.5 * l as f64 + 2.0 * g as f64).unwrap();
                    x
                })
                .collect();
            let mut xb = vec![B::splat(0.0); 1];
            for (l, x) in xs.iter().enumerate() {
                scatter_lane(x, &mut xb, l);
            }
            (xs, xb, (0..8).map(|_| Linear::new()).collect())
        })
        .collect();
    let mut block = Linear::new();
    let mut pass = |m: &Lif, t: f64, what: &str, groups: &mut Vec<Group>| {
        Stepper::<Lif>::begin_lanes(&mut block, m, t, 0.1);
        for (g, (xs, xb, scalar)) in groups.iter_mut().enumerate() {
            let mut us = [<Lif as NeuronModel>::Inputs::default(); 8];
            for u in &mut us {
                u.set("I", inputs[g]).unwrap();
            }
            step_both(&mut block, scalar, m, (t, 0.1), xb, &[B::splat(inputs[g])], xs, &us, &format!("{what}, block {g}"));
        }
        Stepper::<Lif>::end_lanes(&mut block);
    };
    for k in 0..5 {
        pass(&lif, 0.1 * k as f64, &format!("pass {k}"), &mut groups);
    }
    // Parameters changed between two passes at the same time: the second pass sees them.
    let mut lif2 = lif.clone();
    lif2.params_mut().tau_m = 7.0;
    lif2.params_mut().E_L = -50.0;
    pass(&lif2, 0.4, "new parameters", &mut groups);
    pass(&lif2, 0.5, "new parameters, next step", &mut groups);
}

/// Models whose equations leave time out keep the block step's A, b and Φ·b from one time
/// step to the next (one computation for twenty steps of a time grid, whose steps differ in
/// their last bits); a linear model that reads t (here
/// through a named expression) gets them anew at every step; a step of another size gets
/// them anew. Every lane equals its neuron's scalar step in every case (a model of five
/// variables too), bit for bit.
#[test]
fn autonomous_models_keep_the_block_propagator_across_time_steps() {
    use spyks::lanes::{Real, scatter_lane};
    use spyks::presets::integrate_and_fire::LifCuba;
    assert_eq!([CubaFree::AUTONOMOUS, LifCuba::AUTONOMOUS, Lif::AUTONOMOUS, Rotation::AUTONOMOUS], [true; 4]);
    assert_eq!([Forced::LINEAR_SYSTEM, Forced::AUTONOMOUS], [true, false]);

    fn run<M: NeuronModel>(m: &M) -> u64 {
        let mut xs: Vec<M::State> = (0..8)
            .map(|l| {
                let mut x = m.initial_state();
                x.set_index(0, x.get_index(0).unwrap() + 1.5 * l as f64);
                x
            })
            .collect();
        let us = vec![M::Inputs::default(); 8];
        let mut xb = vec![B::splat(0.0); M::State::LEN];
        for (l, x) in xs.iter().enumerate() {
            scatter_lane(x, &mut xb, l);
        }
        let mut block = Linear::new();
        let mut scalar: Vec<Linear> = (0..8).map(|_| Linear::new()).collect();
        let mut pass = |block: &mut Linear, k: usize, t: f64, h: f64| {
            Stepper::<M>::begin_lanes(block, m, t, h);
            step_both(block, &mut scalar, m, (t, h), &mut xb, &[], &mut xs, &us, &format!("{}, step {k}", M::NAME));
            Stepper::<M>::end_lanes(block);
        };
        for k in 0..20 {
            // As a network steps: t_k = k·dt, h = t_{k+1} − t_k (which takes several values
            // differing in their last bits).
            pass(&mut block, k, 0.1 * k as f64, 0.1 * (k + 1) as f64 - 0.1 * k as f64);
        }
        let along_the_grid = block.preparations();
        // A step of another size: a new propagator, in the block step as in the scalar one.
        pass(&mut block, 20, 2.0, 0.05);
        assert_eq!(block.preparations(), along_the_grid + 1, "{}: a new step size", M::NAME);
        along_the_grid
    }
    assert_eq!(run(&LifCuba::new()), 1);
    assert_eq!(run(&Forced::new()), 20);
    // More variables than the stepper keeps inline (its propagator read from the heap).
    assert_eq!(run(&Chain5::new()), 1);
}
