//! Populations stepped in blocks of lanes against the same populations stepped one neuron at
//! a time (a stepper wrapper that hides the block step), and against single-neuron runs: the
//! states and spikes must be bit for bit equal. The population sizes are not multiples of the
//! block size, so the remainder neurons take the scalar path in the same chunk, and the
//! neurons differ in initial state and input, so the lanes of a block disagree on every
//! branch (spike or not, refractory or not, singular points of the rate functions). 203
//! neurons are 25 blocks of eight and 3 left over (12 of sixteen and 11 with AVX-512); 1027
//! are two chunks, the second too small for a block. [`Fused`] methods, whose blocks round
//! multiply-adds once, are checked against the same bounds of the scalar step instead.

use spyks::integrate::{Euler, ExpEuler, Fused, Heun, Rk4, Stepper};
use spyks::lanes::Real;
use spyks::network::{Network, NoiseCurrent, PoissonSource, PopId, Population, Projection, Rule, Target, Values};
use spyks::presets::hodgkin_huxley::{HodgkinHuxley, HodgkinHuxleyTables, UA_PER_CM2};
use spyks::presets::integrate_and_fire::{Adex, Eif, Lif};
use spyks::presets::izhikevich::{Izhikevich, NetScheme};
use spyks::presets::spyks::{Biocm, Pospischil};
use spyks::{NeuronModel, RecordSpec, Signal, SimError, Simulation, Stimulus, Vector};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A method as the population sees it in these tests. `Probe::one_by_one` hides the block
/// step: the population steps every neuron on its own (and, since it does not say that it
/// reads the inputs only at the step's start, neurons with synaptic currents get them
/// interpolated within the step, as for RK4). `Probe::counted` keeps everything and counts
/// the block steps, to tell that a population took the block path.
#[derive(Clone)]
struct Probe<S> {
    inner: S,
    blocks: Option<Arc<AtomicUsize>>,
}

impl<S> Probe<S> {
    fn one_by_one(inner: S) -> Self {
        Probe { inner, blocks: None }
    }
    fn counted(inner: S, blocks: Arc<AtomicUsize>) -> Self {
        Probe { inner, blocks: Some(blocks) }
    }
}

impl<M: NeuronModel, S: Stepper<M>> Stepper<M> for Probe<S> {
    const FUSED: bool = S::FUSED;
    fn name(&self) -> &'static str {
        self.inner.name()
    }
    fn order(&self) -> u32 {
        self.inner.order()
    }
    fn step<U: Fn(f64) -> M::Inputs>(&mut self, m: &M, t: f64, h: f64, x: &mut M::State, u: &U) -> Result<(), SimError> {
        self.inner.step(m, t, h, x, u)
    }
    fn reads_inputs_at_start(&self) -> bool {
        self.blocks.is_some() && self.inner.reads_inputs_at_start()
    }
    fn uses_step_factors(&self) -> bool {
        self.inner.uses_step_factors()
    }
    fn supports_lanes(&self) -> bool {
        self.blocks.is_some() && self.inner.supports_lanes()
    }
    fn supports_param_lanes(&self) -> bool {
        self.blocks.is_some() && self.inner.supports_param_lanes()
    }
    fn begin_lanes(&mut self, m: &M, t: f64, h: f64) {
        self.inner.begin_lanes(m, t, h);
    }
    fn end_lanes(&mut self) {
        self.inner.end_lanes();
    }
    fn step_lanes<T: Real>(&mut self, m: &M, t: f64, h: f64, x: &mut [T], u: &[T], scratch: &mut [T]) -> Result<(), SimError> {
        if let Some(b) = &self.blocks {
            b.fetch_add(1, Ordering::Relaxed);
        }
        self.inner.step_lanes(m, t, h, x, u, scratch)
    }
}

/// A spread of `n` values over [lo, hi], in a scrambled order (so neighbouring lanes differ).
fn spread(n: usize, lo: f64, hi: f64) -> Vec<f64> {
    (0..n).map(|i| lo + (hi - lo) * ((i * 7919) % n) as f64 / (n - 1) as f64).collect()
}

#[derive(Clone)]
struct Setup {
    n: usize,
    dt: f64,
    duration: f64,
    input: &'static str,
    inputs: Vec<f64>,
    init: Vec<(&'static str, Vec<f64>)>,
}

/// `n` HH neurons for `duration` ms at `dt`: inputs spread over 0-15 µA/cm², V over -75 to
/// -35 mV (some spike, some not).
fn hh_setup(n: usize, dt: f64, duration: f64) -> Setup {
    Setup { n, dt, duration, input: "I", inputs: spread(n, 0.0, 15.0 * UA_PER_CM2), init: vec![("v", spread(n, -75.0, -35.0))] }
}

/// `n` neurons of spyks' `pospischil` (or `biocm`, with smaller inputs) for 40 ms at dt 0.025:
/// inputs spread over 0-600 pA, V over -75 to -50 mV.
fn spyks_setup(n: usize) -> Setup {
    Setup { n, dt: 0.025, duration: 40.0, input: "Iinj", inputs: spread(n, 0.0, 600.0), init: vec![("V", spread(n, -75.0, -50.0))] }
}

/// Final states (as bits) and spikes (time bits, neuron) of one population run.
type Outcome = (Vec<Vec<u64>>, Vec<(u64, u32)>);

fn run<M: NeuronModel, S: Stepper<M> + Clone + Send + Sync + 'static>(model: &M, stepper: S, s: &Setup) -> Outcome {
    run_with(model, stepper, s, &[])
}

/// [`run`] with per-neuron values of some parameters.
fn run_with<M: NeuronModel, S: Stepper<M> + Clone + Send + Sync + 'static>(
    model: &M,
    stepper: S,
    s: &Setup,
    params: &[(&str, Vec<f64>)],
) -> Outcome {
    let mut net = Network::new(s.dt, 7).unwrap();
    let p = net.add_population(Population::new("p", s.n, model.clone(), move |_| stepper.clone())).unwrap();
    for (name, v) in params {
        net.set_param(p, name, Values::Array(v.clone())).unwrap();
    }
    net.set_input(p, s.input, Values::Array(s.inputs.clone())).unwrap();
    for (name, v) in &s.init {
        net.init_state(p, name, Values::Array(v.clone())).unwrap();
    }
    let mon = net.record_spikes(p, None).unwrap();
    net.run(s.duration).unwrap();
    let states = M::State::INFO.iter().map(|info| (0..s.n).map(|i| net.get(p, info.name, i).unwrap().to_bits()).collect()).collect();
    let sp = net.spikes(mon).unwrap();
    let spikes = sp.times().iter().zip(sp.indices()).map(|(t, &j)| (t.to_bits(), j)).collect();
    (states, spikes)
}

/// The outcomes of a population stepped in blocks and one neuron at a time are the same,
/// bit for bit.
fn assert_same<M: NeuronModel>(blocks: &Outcome, one: &Outcome) {
    for (v, info) in M::State::INFO.iter().enumerate() {
        for (i, (&a, &b)) in blocks.0[v].iter().zip(&one.0[v]).enumerate() {
            assert!(a == b, "{} `{}` of neuron {i}: {} in a block, {} alone", M::NAME, info.name, f64::from_bits(a), f64::from_bits(b));
        }
    }
    assert_eq!(blocks.1, one.1, "{}: spikes", M::NAME);
}

/// Blocks against one by one; returns the number of spikes.
fn blocks_equal_one_by_one<M: NeuronModel, S: Stepper<M> + Clone + Send + Sync + 'static>(model: M, stepper: S, s: &Setup) -> usize {
    assert!(M::HAS_LANES && stepper.supports_lanes(), "{} with {} must take the block path", M::NAME, stepper.name());
    let count = Arc::new(AtomicUsize::new(0));
    let (blocks, one) = (run(&model, Probe::counted(stepper.clone(), count.clone()), s), run(&model, Probe::one_by_one(stepper), s));
    assert_same::<M>(&blocks, &one);
    // The block path was taken for much of the run: at least a quarter of the full blocks of
    // sixteen over all steps (with blocks of eight, without AVX-512, there are twice as many).
    let full_blocks = (s.duration / s.dt).round() as usize * (s.n / 16);
    let steps = count.load(Ordering::Relaxed);
    assert!(steps >= full_blocks / 4, "{}: {steps} block steps of {full_blocks}", M::NAME);
    blocks.1.len()
}

/// Neurons with their own values of `params` (scaled from the model's by factors spread
/// over [0.8, 1.2]), in blocks against one by one, bit for bit; returns the number of spikes
/// and of block steps taken.
fn own_parameters_in_blocks<M: NeuronModel, S: Stepper<M> + Clone + Send + Sync + 'static>(
    model: M,
    stepper: S,
    s: &Setup,
    params: &[&str],
) -> (usize, usize) {
    assert!(M::HAS_PARAM_LANES, "{} takes no parameters from the lanes", M::NAME);
    let values: Vec<(&str, Vec<f64>)> = params
        .iter()
        .enumerate()
        .map(|(k, &name)| {
            let i = M::Params::index_of(name).unwrap();
            let base = model.params().get_index(i).unwrap();
            // A different scramble per parameter, so that no two move together.
            let f: Vec<f64> = spread(s.n + k, 0.8, 1.2);
            (name, f[..s.n].iter().map(|f| base * f).collect())
        })
        .collect();
    let count = Arc::new(AtomicUsize::new(0));
    let blocks = run_with(&model, Probe::counted(stepper.clone(), count.clone()), s, &values);
    let one = run_with(&model, Probe::one_by_one(stepper), s, &values);
    assert_same::<M>(&blocks, &one);
    (blocks.1.len(), count.load(Ordering::Relaxed))
}

#[test]
fn neurons_with_their_own_parameters_are_stepped_in_blocks() {
    let n = 203;
    let hh = Setup {
        n,
        dt: 0.025,
        duration: 25.0,
        input: "I",
        inputs: spread(n, 4.0 * UA_PER_CM2, 15.0 * UA_PER_CM2),
        init: vec![("v", spread(n, -75.0, -40.0))],
    };
    let conductances = ["g_Na", "g_K", "g_L", "E_L", "C_m"];
    for (spikes, steps) in [
        own_parameters_in_blocks(HodgkinHuxley::new(), ExpEuler, &hh, &conductances),
        own_parameters_in_blocks(HodgkinHuxley::new(), Rk4, &hh, &conductances),
    ] {
        assert!(spikes > n / 10 && steps > 1000, "{spikes} spikes, {steps} block steps");
    }
    // Per-neuron threshold, time constant and refractory period (held for each neuron's own).
    let lif =
        Setup { n, dt: 0.125, duration: 150.0, input: "I", inputs: spread(n, 0.0, 600.0), init: vec![("V", spread(n, -70.0, -50.5))] };
    let (spikes, steps) = own_parameters_in_blocks(Lif::new(), Euler::new(), &lif, &["tau_m", "V_th", "t_ref"]);
    assert!(spikes > 300 && steps > 1000, "{spikes} spikes, {steps} block steps");
    // The exact propagator needs one A for the block: it says so, and the neurons go one by one
    // without a block step tried.
    let (_, steps) =
        own_parameters_in_blocks(Lif::new(), spyks::integrate::Linear::new(), &Setup { inputs: vec![420.0; n], ..lif }, &["tau_m"]);
    assert_eq!(steps, 0, "no block step tried");
}

/// A population of `n` neurons wired by `wire` (sources, projections, drives), run for
/// `duration` ms: final states (bits) and spikes.
fn run_wired<M: NeuronModel, S: Stepper<M> + Clone + Send + Sync + 'static>(
    model: &M,
    stepper: S,
    n: usize,
    dt: f64,
    duration: f64,
    wire: &dyn Fn(&mut Network, PopId),
) -> Outcome {
    let mut net = Network::new(dt, 11).unwrap();
    let p = net.add_population(Population::new("p", n, model.clone(), move |_| stepper.clone())).unwrap();
    wire(&mut net, p);
    let mon = net.record_spikes(p, None).unwrap();
    net.run(duration).unwrap();
    let states = M::State::INFO.iter().map(|info| (0..n).map(|i| net.get(p, info.name, i).unwrap().to_bits()).collect()).collect();
    let sp = net.spikes(mon).unwrap();
    (states, sp.times().iter().zip(sp.indices()).map(|(t, &j)| (t.to_bits(), j)).collect())
}

/// Blocks (with the synaptic inputs taken as constants) against one neuron at a time with the
/// inputs interpolated within the step, bit for bit; returns the number of spikes and of block steps.
fn wired_in_blocks<M: NeuronModel, S: Stepper<M> + Clone + Send + Sync + 'static>(
    model: M,
    stepper: S,
    n: usize,
    dt: f64,
    duration: f64,
    wire: &dyn Fn(&mut Network, PopId),
) -> (usize, usize) {
    assert!(stepper.reads_inputs_at_start());
    let count = Arc::new(AtomicUsize::new(0));
    let blocks = run_wired(&model, Probe::counted(stepper.clone(), count.clone()), n, dt, duration, wire);
    let one = run_wired(&model, Probe::one_by_one(stepper), n, dt, duration, wire);
    assert_same::<M>(&blocks, &one);
    (blocks.1.len(), count.load(Ordering::Relaxed))
}

#[test]
fn current_and_conductance_synapses_are_stepped_in_blocks() {
    // HH driven by Poisson spikes through exponential and alpha currents and an exponential
    // conductance (excitatory and inhibitory), with recurrent jumps too.
    let n = 203;
    let wire = |net: &mut Network, p: PopId| {
        net.set_input(p, "I", Values::Array(spread(n, 2.0 * UA_PER_CM2, 8.0 * UA_PER_CM2))).unwrap();
        net.init_state(p, "v", Values::Array(spread(n, -75.0, -50.0))).unwrap();
        let src = net.add_source(PoissonSource::new("poisson", 50, 40.0)).unwrap();
        let w = 2.0 * UA_PER_CM2;
        net.connect(Projection::new(src, p, Rule::FixedProbability(0.2), Target::exp_current("I", 3.0)).weight(w)).unwrap();
        net.connect(Projection::new(src, p, Rule::FixedProbability(0.2), Target::alpha_current("I", 2.0)).weight(w)).unwrap();
        net.connect(
            Projection::new(src, p, Rule::FixedProbability(0.2), Target::exp_conductance("I", 5.0, 0.0, "v")).weight(0.05 * UA_PER_CM2),
        )
        .unwrap();
        net.connect(
            Projection::new(src, p, Rule::FixedProbability(0.1), Target::exp_conductance("I", 10.0, -80.0, "v")).weight(0.05 * UA_PER_CM2),
        )
        .unwrap();
        net.connect(Projection::new(p, p, Rule::FixedProbability(0.05), Target::state("v")).weight(0.5)).unwrap();
    };
    let (spikes, steps) = wired_in_blocks(HodgkinHuxley::new(), ExpEuler, n, 0.025, 40.0, &wire);
    assert!(spikes > n / 5 && steps > 1000, "{spikes} spikes, {steps} block steps");
}

#[test]
fn the_izhikevich_network_scheme_is_stepped_in_blocks() {
    // As `net.m`: a, b, c, d per neuron, one-step current synapses, noise held over the step.
    let (n, ne) = (203, 160);
    let wire = |net: &mut Network, p: PopId| {
        let r = spread(n, 0.0, 1.0);
        let exc = |i: usize| i < ne;
        let a: Vec<f64> = (0..n).map(|i| if exc(i) { 0.02 } else { 0.02 + 0.08 * r[i] }).collect();
        let b: Vec<f64> = (0..n).map(|i| if exc(i) { 0.2 } else { 0.25 - 0.05 * r[i] }).collect();
        let c: Vec<f64> = (0..n).map(|i| if exc(i) { -65.0 + 15.0 * r[i] * r[i] } else { -65.0 }).collect();
        let d: Vec<f64> = (0..n).map(|i| if exc(i) { 8.0 - 6.0 * r[i] * r[i] } else { 2.0 }).collect();
        for (name, v) in [("a", a), ("b", b.clone()), ("c", c), ("d", d)] {
            net.set_param(p, name, Values::Array(v)).unwrap();
        }
        net.init_state(p, "u", Values::Array(b.iter().map(|b| -65.0 * b).collect())).unwrap();
        let syn = Target::exp_current("I", 1e-6);
        net.connect(Projection::new(p.slice(0..ne), p, Rule::AllToAll, syn.clone()).weight(Values::uniform(0.0, 0.5))).unwrap();
        net.connect(Projection::new(p.slice(ne..n), p, Rule::AllToAll, syn).weight(Values::uniform(-1.0, 0.0))).unwrap();
        let sd: Vec<f64> = (0..n).map(|i| if exc(i) { 5.0 } else { 2.0 }).collect();
        net.add_drive(p, "I", NoiseCurrent::per_step(sd)).unwrap();
    };
    let (spikes, steps) = wired_in_blocks(Izhikevich::new(), NetScheme { dt: 1.0 }, n, 1.0, 300.0, &wire);
    assert!(spikes > 150 && steps > 1000, "{spikes} spikes, {steps} block steps");
}

#[test]
fn hodgkin_huxley_exp_euler_and_rk4() {
    for (n, duration) in [(203, 25.0), (1027, 8.0)] {
        // Some neurons start exactly at the removable singularities of the rate functions
        // (V = -40 for α_m, -55 for α_n), where the generated code's `if` takes the limit.
        let mut s = hh_setup(n, 0.025, duration);
        s.init[0].1[3] = -40.0;
        s.init[0].1[12] = -55.0;
        assert!(blocks_equal_one_by_one(HodgkinHuxley::new(), ExpEuler, &s) > n / 10);
        assert!(blocks_equal_one_by_one(HodgkinHuxley::new(), Rk4, &s) > n / 10);
        // The same with the rates from lookup tables, read lane by lane.
        assert!(blocks_equal_one_by_one(HodgkinHuxleyTables::new(), ExpEuler, &s) > n / 10);
    }
    // At dt = 0.1 ms, |B·h| of m is above EXP_M1_SMALL in some lanes of a block and below it
    // in others (0.74 at -75 mV, 0.16 at -50 mV): exponential Euler's factor takes both forms
    // in one block, chosen lane by lane as the scalar step chooses.
    let n = 203;
    let s = hh_setup(n, 0.1, 30.0);
    assert!(blocks_equal_one_by_one(HodgkinHuxley::new(), ExpEuler, &s) > n / 10);
}

#[test]
fn lif_rk4_euler_heun_with_refractory_hold() {
    let n = 203;
    let s = Setup { n, dt: 0.125, duration: 150.0, input: "I", inputs: spread(n, 0.0, 600.0), init: vec![("V", spread(n, -70.0, -50.5))] };
    assert!(blocks_equal_one_by_one(Lif::new(), Rk4, &s) > 300);
    assert!(blocks_equal_one_by_one(Lif::new(), Euler::new(), &s) > 300);
    assert!(blocks_equal_one_by_one(Lif::new(), Heun, &s) > 300);
    // The exact propagator steps blocks whose neurons share their inputs (as in CUBA): one
    // propagator per pass, the held V restored lane by lane.
    let shared = Setup { inputs: vec![420.0; n], ..s.clone() };
    assert!(blocks_equal_one_by_one(Lif::new(), spyks::integrate::Linear::new(), &shared) > 300);
    // Inputs shared within each group of sixteen neurons (a block of eight or sixteen) but
    // not between groups: within one pass, every block's inputs differ from the last.
    let grouped = Setup { inputs: (0..n).map(|j| 380.0 + 15.0 * (j / 16) as f64).collect(), ..s };
    assert!(blocks_equal_one_by_one(Lif::new(), spyks::integrate::Linear::new(), &grouped) > 300);
}

#[test]
fn exponential_integrate_and_fire_models() {
    let n = 203;
    let s = Setup { n, dt: 0.05, duration: 100.0, input: "I", inputs: spread(n, 0.0, 1200.0), init: vec![("V", spread(n, -72.0, -45.0))] };
    // EIF: exp in the derivative, reset and a held V; AdEx: two variables, w += b at spikes.
    assert!(blocks_equal_one_by_one(Eif::new(), Rk4, &s) > 100);
    assert!(blocks_equal_one_by_one(Eif::new(), ExpEuler, &s) > 100);
    assert!(blocks_equal_one_by_one(Adex::new(), Heun, &s) > 100);
    assert!(blocks_equal_one_by_one(Adex::new(), ExpEuler, &s) > 100);
}

spyks::neuron_model! {
    /// Adaptation capped by a clip rule, V held while refractory and clipped above its reset
    /// value: in the blocks, hold then clip, lane by lane as one at a time.
    model CappedAdaptation;
    parameters { tau_m: 20 ms, tau_w: 80 ms, E_L: -60 mV, R_m: 100 Mohm, V_th: -50 mV, V_reset: -62 mV, V_floor: -61 mV, b: 40 pA, w_max: 100 pA, t_ref: 2 ms }
    state { V: -60 mV, w: 0 pA }
    inputs { I: 0 pA }
    equations { dV/dt = (E_L - V + R_m*(I - w)) / tau_m, dw/dt = -w / tau_w }
    threshold { V >= V_th }
    reset { V = V_reset, w += b }
    clip { w <= w_max, V >= V_floor }
    refractory { period = t_ref, hold = [V] }
}

#[test]
fn a_model_with_clip_and_a_held_variable() {
    let n = 203;
    let s = Setup { n, dt: 0.125, duration: 150.0, input: "I", inputs: spread(n, 0.0, 900.0), init: vec![("V", spread(n, -70.0, -50.5))] };
    const { assert!(CappedAdaptation::HAS_CLIP) };
    // Both rules act by the end: w at its cap in some neurons, V at its floor in others
    // (refractory ones, held and clipped above their reset value).
    let (states, _) = run(&CappedAdaptation::new(), Rk4, &s);
    let at = |v: usize, value: f64| states[v].iter().filter(|&&b| f64::from_bits(b) == value).count();
    assert!(at(1, 100.0) >= 3 && at(0, -61.0) >= 3, "w at w_max: {}, V at V_floor: {}", at(1, 100.0), at(0, -61.0));
    assert!(blocks_equal_one_by_one(CappedAdaptation::new(), Rk4, &s) > 300);
    assert!(blocks_equal_one_by_one(CappedAdaptation::new(), Euler::new(), &s) > 300);
}

#[test]
fn spyks_pospischil_and_biocm() {
    let n = 203;
    let s = spyks_setup(n);
    // Threshold-free models: their states must agree; the spike lists are empty.
    blocks_equal_one_by_one(Pospischil::new(), ExpEuler, &s);
    blocks_equal_one_by_one(Pospischil::new(), Rk4, &s);
    let s = Setup { inputs: spread(n, 0.0, 300.0), ..s };
    blocks_equal_one_by_one(Biocm::new(), ExpEuler, &s);
    blocks_equal_one_by_one(Biocm::new(), Rk4, &s);
}

#[test]
fn hodgkin_huxley_population_equals_single_neuron_runs() {
    // Independent of the population's scalar path: each neuron against `run_fixed` alone.
    let (n, dt, t_end) = (19, 0.025, 30.0);
    let currents = spread(n, 2.0 * UA_PER_CM2, 20.0 * UA_PER_CM2);
    let mut net = Network::new(dt, 1).unwrap();
    let p = net.add_population(Population::new("hh", n, HodgkinHuxley::new(), |_| ExpEuler)).unwrap();
    net.set_input(p, "I", Values::Array(currents.clone())).unwrap();
    let mon = net.record_state(p, &["v"], &(0..n).collect::<Vec<_>>(), dt).unwrap();
    net.run(t_end).unwrap();
    for (k, &i) in currents.iter().enumerate() {
        let hh = HodgkinHuxley::new();
        let stim = Stimulus::new().with("I", Signal::Const(i)).unwrap();
        let single = Simulation::new(&hh, t_end).stimulus(stim).record(RecordSpec::names(["v"])).run_fixed(&mut ExpEuler, dt).unwrap();
        let mine = net.states(mon).unwrap().values("v", k).unwrap();
        assert_eq!(mine.len(), single.columns[0].len());
        for (a, b) in mine.iter().zip(&single.columns[0]) {
            assert_eq!(a.to_bits(), b.to_bits(), "neuron {k}");
        }
    }
}

/// Whether this process's blocks fuse multiply-adds for a [`Fused`] method: AVX-512F, or AVX2
/// with FMA, unless `SPYKS_LANES` chose a path without them.
fn blocks_fuse() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        let lanes = std::env::var("SPYKS_LANES").unwrap_or_default();
        let avx512 = std::arch::is_x86_feature_detected!("avx512f");
        let avx2_fma = std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma");
        match lanes.as_str() {
            "off" | "sse2" => false,
            "avx2" if avx2_fma => true,
            _ => avx512 || avx2_fma,
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// `Fused` blocks against the unfused method one neuron at a time: the same spikes (neuron
/// and step), every state within `tol` relative, and (where the blocks fuse) different bits
/// somewhere, else the same bits. Returns the largest relative difference.
fn fused_within<M: NeuronModel, S: Stepper<M> + Clone + Send + Sync + 'static>(model: M, stepper: S, s: &Setup, tol: f64) -> f64 {
    let count = Arc::new(AtomicUsize::new(0));
    let fused = run(&model, Probe::counted(Fused(stepper.clone()), count.clone()), s);
    let one = run(&model, Probe::one_by_one(stepper), s);
    assert!(count.load(Ordering::Relaxed) > 0, "{}: no block steps", M::NAME);
    assert_eq!(fused.1, one.1, "{}: spikes", M::NAME);
    let (mut worst, mut differ) = (0.0_f64, 0);
    for (v, info) in M::State::INFO.iter().enumerate() {
        for (i, (&a, &b)) in fused.0[v].iter().zip(&one.0[v]).enumerate() {
            let (a, b) = (f64::from_bits(a), f64::from_bits(b));
            let rel = (a - b).abs() / b.abs().max(1e-3);
            assert!(rel <= tol, "{} `{}` of neuron {i}: {a} fused, {b} alone ({rel:e} relative)", M::NAME, info.name);
            worst = worst.max(rel);
            differ += usize::from(a.to_bits() != b.to_bits());
        }
    }
    if blocks_fuse() {
        assert!(differ > 0, "{}: fused blocks gave the unfused bits everywhere", M::NAME);
    } else {
        assert_eq!(differ, 0, "{}: no fused instructions here, so the bits must be the scalar ones", M::NAME);
    }
    println!("{}: {differ} state values differ, at most {worst:e} relative", M::NAME);
    worst
}

#[test]
fn fused_blocks_stay_within_rounding_of_the_scalar_step() {
    // Spiking Hodgkin-Huxley neurons for 25 ms (two to four spikes each): one rounding less
    // per multiply-add moves the states by a few ulps per step, which the spikes' upstrokes
    // amplify but do not accumulate (the limit cycle is stable), so the bound is far below
    // anything a spike time at dt = 0.025 ms could see.
    let n = 203;
    let s = hh_setup(n, 0.025, 25.0);
    fused_within(HodgkinHuxley::new(), ExpEuler, &s, 1e-9);
    fused_within(HodgkinHuxley::new(), Rk4, &s, 1e-9);
    // With the rates and exponential Euler's factors from lookup tables.
    fused_within(HodgkinHuxleyTables::new(), ExpEuler, &s, 1e-9);
    let s = spyks_setup(n);
    fused_within(Pospischil::new(), ExpEuler, &s, 1e-9);
    fused_within(Biocm::new(), ExpEuler, &Setup { inputs: spread(n, 0.0, 300.0), ..s }, 1e-9);
}

#[test]
fn fused_blocks_are_the_same_with_one_and_two_threads() {
    let s = hh_setup(1027, 0.025, 8.0);
    let one = spyks::network::with_threads(1, || run(&HodgkinHuxley::new(), Fused(ExpEuler), &s)).unwrap();
    let two = spyks::network::with_threads(2, || run(&HodgkinHuxley::new(), Fused(ExpEuler), &s)).unwrap();
    assert_same::<HodgkinHuxley>(&one, &two);
    assert!(!one.1.is_empty());
}
