//! The generated lane methods against the generated scalar methods, bit for bit: for every
//! preset model, at states and inputs scattered around the initial state (and at removable
//! singularities), `derivative_lanes`, `linear_coefficients_lanes` and `threshold_lanes`
//! evaluated on `f64` and on blocks of eight give, lane by lane, exactly `derivative`,
//! `linear_coefficients` and `threshold`, and `clip_lanes` applied to a block gives each lane's
//! `clip`. A wrapper that hides the generated lane methods (as a
//! hand-written model has none) checks the trait's default implementations the same way, and
//! that a population of it, which cannot take the block path, still matches.

mod common;

use common::Rng;
use spyks::integrate::ExpEuler;
use spyks::lanes::{F64s, Mask, Real};
use spyks::network::{Network, Population, Values};
use spyks::presets::hodgkin_huxley::{HodgkinHuxley, HodgkinHuxleyTables, TraubMiles};
use spyks::presets::integrate_and_fire::{Adex, Eif, Lif, LifCond, LifCuba, Qif};
use spyks::presets::spyks::{Biocm, Nakl, Pospischil};
use spyks::{NeuronModel, Vector};

type B = F64s<8>;

/// A state near the initial one: each variable moved by up to ±40 (mV-sized) or ±0.5 (gates),
/// every fifth state with V-like variables on the grid of multiples of 5, where the rate
/// functions' removable singularities lie.
fn sample<M: NeuronModel>(m: &M, rng: &mut Rng, k: usize) -> (M::State, M::Inputs) {
    let mut x = m.initial_state();
    for v in 0..M::State::LEN {
        let x0 = x.get_index(v).unwrap();
        let scale = if x0.abs() > 2.0 { 40.0 } else { 0.5 };
        let mut y = x0 + scale * (2.0 * rng.uniform(0.0, 1.0) - 1.0);
        if k.is_multiple_of(5) && scale == 40.0 {
            y = (y / 5.0).round() * 5.0;
        }
        x.set_index(v, y);
    }
    let mut u = M::Inputs::default();
    for i in 0..M::Inputs::LEN {
        u.set_index(i, 500.0 * rng.uniform(0.0, 1.0));
    }
    (x, u)
}

fn bits<V: Vector>(v: &V) -> Vec<u64> {
    v.to_vec().iter().map(|x| x.to_bits()).collect()
}

/// Lanes of per-variable blocks as vectors.
fn lane<V: Vector>(x: &[B], l: usize) -> V {
    spyks::lanes::gather_lane(x, l)
}

/// Returns how many samples `clip` changed.
fn check_model<M: NeuronModel>(m: &M, expect_generated: bool) -> usize {
    assert_eq!(M::HAS_LANES, expect_generated, "{}", M::NAME);
    let (n, ni) = (M::State::LEN, M::Inputs::LEN);
    let mut rng = Rng::new(17);
    let t = 3.5;
    let mut changed = 0;
    for k in 0..400 {
        let samples: Vec<(M::State, M::Inputs)> = (0..8).map(|l| sample(m, &mut rng, 8 * k + l)).collect();
        let mut xb = vec![B::splat(0.0); n];
        let mut ub = vec![B::splat(0.0); ni];
        for (l, (x, u)) in samples.iter().enumerate() {
            spyks::lanes::scatter_lane(x, &mut xb, l);
            spyks::lanes::scatter_lane(u, &mut ub, l);
        }
        let mut d = vec![B::splat(0.0); n];
        let (mut a, mut b) = (vec![B::splat(0.0); n], vec![B::splat(0.0); n]);
        m.derivative_lanes(t, &xb, &ub, &mut d);
        m.linear_coefficients_lanes(t, &xb, &ub, &mut a, &mut b);
        let th = m.threshold_lanes(t, &xb, &ub);
        let mut clipped = xb.clone();
        m.clip_lanes(t, &mut clipped, &ub);
        for (l, (x, u)) in samples.iter().enumerate() {
            let what = format!("{} at {x:?}, {u:?}", M::NAME);
            let mut c = *x;
            m.clip(t, &mut c, u);
            assert_eq!(bits(&lane::<M::State>(&clipped, l)), bits(&c), "clip, {what}");
            changed += usize::from(bits(&c) != bits(x));
            assert_eq!(bits(&lane::<M::State>(&d, l)), bits(&m.derivative(t, x, u)), "derivative, {what}");
            let (sa, sb) = m.linear_coefficients(t, x, u);
            assert_eq!(bits(&lane::<M::State>(&a, l)), bits(&sa), "A, {what}");
            assert_eq!(bits(&lane::<M::State>(&b, l)), bits(&sb), "B, {what}");
            assert_eq!(th.lane(l), m.threshold(t, x, u), "threshold, {what}");
            // The f64 instantiation.
            let (xs, us) = (x.to_vec(), u.to_vec());
            let mut d1 = vec![0.0; n];
            m.derivative_lanes::<f64>(t, &xs, &us, &mut d1);
            assert_eq!(bits(&M::State::from_slice(&d1).unwrap()), bits(&m.derivative(t, x, u)), "f64 derivative, {what}");
        }
    }
    changed
}

spyks::neuron_model! {
    /// Clip rules both ways, with bounds of parameters and of an input, that the samples
    /// around the initial state straddle (and meet exactly, on the grid of multiples of 5).
    model Clipped;
    parameters { v_peak: -60 mV, w_max: 20 pA }
    state { v: -65 mV, w: 10 pA }
    inputs { v_floor: 0 mV }
    equations { dv/dt = -v/(10 ms), dw/dt = -w/(100 ms) }
    clip { v <= v_peak, v >= v_floor - 600 mV, w <= w_max }
}

#[test]
fn generated_lane_methods_equal_scalar_methods() {
    // Every rule binds in some samples and not in others.
    let changed = check_model(&Clipped::new(), true);
    assert!(changed > 800 && changed < 3000, "clip changed {changed} of 3200 samples");
    check_model(&HodgkinHuxley::new(), true);
    check_model(&TraubMiles::new(), true);
    check_model(&Pospischil::new(), true);
    check_model(&Biocm::new(), true);
    check_model(&Nakl::new(), true);
    check_model(&spyks::presets::spyks::Adex::new(), true);
    check_model(&Adex::new(), true);
    check_model(&Eif::new(), true);
    check_model(&Lif::new(), true);
    check_model(&LifCond::new(), true);
    check_model(&LifCuba::new(), true);
    check_model(&Qif::new(), true);
}

/// The second body of the generated lane methods: with the parameters carried in `u` after the
/// inputs, one set per lane (each the model's moved by a factor in [0.8, 1.2]), lane `l` is
/// exactly the scalar method of the model built with lane `l`'s parameters.
fn check_param_lanes<M: NeuronModel>(m: &M) {
    assert!(M::HAS_PARAM_LANES, "{}", M::NAME);
    let (n, ni, np) = (M::State::LEN, M::Inputs::LEN, M::Params::LEN);
    let mut rng = Rng::new(29);
    let t = 3.5;
    for k in 0..200 {
        let samples: Vec<(M::State, M::Inputs, M)> = (0..8)
            .map(|l| {
                let (x, u) = sample(m, &mut rng, 8 * k + l);
                let mut p = *m.params();
                for i in 0..np {
                    p.set_index(i, p.get_index(i).unwrap() * rng.uniform(0.8, 1.2));
                }
                (x, u, M::with_params(p))
            })
            .collect();
        let mut xb = vec![B::splat(0.0); n];
        let mut ub = vec![B::splat(0.0); ni + np];
        for (l, (x, u, ml)) in samples.iter().enumerate() {
            spyks::lanes::scatter_lane(x, &mut xb, l);
            spyks::lanes::scatter_lane(u, &mut ub[..ni], l);
            spyks::lanes::scatter_lane(ml.params(), &mut ub[ni..], l);
        }
        let mut d = vec![B::splat(0.0); n];
        let (mut a, mut b) = (vec![B::splat(0.0); n], vec![B::splat(0.0); n]);
        m.derivative_lanes(t, &xb, &ub, &mut d);
        m.linear_coefficients_lanes(t, &xb, &ub, &mut a, &mut b);
        let th = m.threshold_lanes(t, &xb, &ub);
        for (l, (x, u, ml)) in samples.iter().enumerate() {
            let what = format!("{} at {x:?}, {u:?}, {:?}", M::NAME, ml.params());
            assert_eq!(bits(&lane::<M::State>(&d, l)), bits(&ml.derivative(t, x, u)), "derivative, {what}");
            let (sa, sb) = ml.linear_coefficients(t, x, u);
            assert_eq!(bits(&lane::<M::State>(&a, l)), bits(&sa), "A, {what}");
            assert_eq!(bits(&lane::<M::State>(&b, l)), bits(&sb), "B, {what}");
            assert_eq!(th.lane(l), ml.threshold(t, x, u), "threshold, {what}");
        }
    }
}

#[test]
fn lane_methods_with_parameters_in_the_lanes_equal_scalar_methods_of_each_lanes_model() {
    check_param_lanes(&HodgkinHuxley::new());
    check_param_lanes(&TraubMiles::new());
    check_param_lanes(&Pospischil::new());
    check_param_lanes(&Biocm::new());
    check_param_lanes(&Nakl::new());
    check_param_lanes(&spyks::presets::spyks::Adex::new());
    check_param_lanes(&Adex::new());
    check_param_lanes(&Eif::new());
    check_param_lanes(&Lif::new());
    check_param_lanes(&LifCond::new());
    check_param_lanes(&LifCuba::new());
    check_param_lanes(&Qif::new());
    // Tables are built for one parameter set: no second body.
    const { assert!(!HodgkinHuxleyTables::HAS_PARAM_LANES) };
}

spyks::include_model!("data/tables/pospischil_tables.yml" as PospischilTables);

/// Models with lookup tables read them lane by lane (`TableSet::eval_lanes`): with the table
/// current (samples reach below its -100 mV, where the exact functions take over), stale
/// (a parameter of the rates changed: the exact functions), switched off, and cubic (lane by
/// lane through `eval`); and a YAML model with tables.
#[test]
fn lane_methods_with_lookup_tables_equal_scalar_methods() {
    let current = HodgkinHuxleyTables::new();
    assert!(current.tables_enabled() && !current.needs_refresh());
    check_model(&current, true);
    let mut stale = HodgkinHuxleyTables::new();
    stale.params.phi = 1.5;
    assert!(stale.needs_refresh());
    check_model(&stale, true);
    check_model(&HodgkinHuxleyTables::new().without_tables(), true);
    let mut cubic = HodgkinHuxleyTables::new();
    cubic.set_table_spec(HodgkinHuxleyTables::declared_table_spec().interp(spyks::table::Interp::CubicHermite)).unwrap();
    check_model(&cubic, true);
    check_model(&PospischilTables::new(), true);
}

/// A model without generated lane methods: every scalar item delegates to `M`, the lane
/// methods are the trait's defaults.
#[derive(Clone, Debug)]
struct Plain<M>(M);

impl<M: NeuronModel> NeuronModel for Plain<M> {
    type State = M::State;
    type Params = M::Params;
    type Inputs = M::Inputs;
    type Exprs = M::Exprs;
    const NAME: &'static str = M::NAME;
    const HAS_THRESHOLD: bool = M::HAS_THRESHOLD;
    const HAS_NOISE: bool = M::HAS_NOISE;
    const LINEAR: &'static [bool] = M::LINEAR;
    const HELD: &'static [usize] = M::HELD;
    const HAS_RESET: bool = M::HAS_RESET;
    const HAS_CLIP: bool = M::HAS_CLIP;
    common::delegate_scalar_methods!(Plain, M);
}

#[test]
fn default_lane_methods_equal_scalar_methods() {
    check_model(&Plain(HodgkinHuxley::new()), false);
    check_model(&Plain(Eif::new()), false);
    assert!(check_model(&Plain(Clipped::new()), false) > 800);
    assert!(!<bool as Mask>::splat(false));
}

#[test]
fn a_model_without_lane_methods_runs_one_by_one_with_the_same_result() {
    // The generated HH takes the block path; the wrapper cannot. Same spikes, same states.
    let run = |blocks: bool| {
        let n = 37;
        let mut net = Network::new(0.025, 1).unwrap();
        let currents: Vec<f64> = (0..n).map(|i| 0.01 * i as f64).collect();
        let (p, v) = if blocks {
            let p = net.add_population(Population::new("hh", n, HodgkinHuxley::new(), |_| ExpEuler)).unwrap();
            (p, "v")
        } else {
            let p = net.add_population(Population::new("hh", n, Plain(HodgkinHuxley::new()), |_| ExpEuler)).unwrap();
            (p, "v")
        };
        net.set_input(p, "I", Values::Array(currents)).unwrap();
        let s = net.record_spikes(p, None).unwrap();
        net.run(30.0).unwrap();
        let sm = net.spikes(s).unwrap();
        let spikes: Vec<(u64, u32)> = sm.times().iter().zip(sm.indices()).map(|(t, &j)| (t.to_bits(), j)).collect();
        let states: Vec<u64> = (0..n).map(|i| net.get(p, v, i).unwrap().to_bits()).collect();
        (spikes, states)
    };
    let (a, b) = (run(true), run(false));
    assert!(a.0.len() > 20);
    assert_eq!(a, b);
}
