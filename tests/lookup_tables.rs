//! Lookup tables for rate functions (`tables { .. }` in a model, `tables:` in YAML).
//!
//! `HhTab` is the Hodgkin-Huxley preset's model (`spyks::presets::hodgkin_huxley`, HH 1952)
//! with a `tables` block. It is checked against:
//! - the preset itself (the exact model): tables off is the preset bit for bit, values outside
//!   the range are the exact ones, spike times over 200 ms agree within a pinned bound;
//! - the six rates written out independently here (HH 1952, eq. 26, shifted to rest at
//!   -65 mV), whose second derivatives (by central differences) give the a-priori bound
//!   h²/8·max|f''| of linear interpolation, which the measured table error must respect;
//! - a fresh model for the parameter-change rules (tables rebuilt when `phi` changes, not
//!   when `g_Na` does).
//!
//! The YAML test tabulates `tests/data/tables/pospischil_tables.yml` (a copy of the shipped
//! `pospischil.yml` with a `tables` key) against the untabulated file.
//!
//! Measured (printed with `--nocapture`) are the table errors and the spike-time differences.

use spyks::integrate::Dopri5;
use spyks::presets::hodgkin_huxley::{HodgkinHuxley, UA_PER_CM2};
use spyks::{NeuronModel, RecordSpec, Signal, Simulation, Stimulus};

spyks::neuron_model! {
    /// The Hodgkin-Huxley preset with its rates tabulated every 0.1 mV over [-100, 60] mV.
    model HhTab;
    parameters {
        C_m: 1 uF/cm^2, g_Na: 120 mS/cm^2, g_K: 36 mS/cm^2, g_L: 0.3 mS/cm^2,
        E_Na: 50 mV, E_K: -77 mV, E_L: -54.387 mV, phi: 1, V_th: -20 mV, t_ref: 2 ms,
    }
    state { v: -65 mV, m: 0.05293248525724958, h: 0.5961207535084603, n: 0.31767691406069737 }
    inputs { I: 0 uA/cm^2 }
    expressions {
        I_Na = g_Na*m^3*h*(E_Na - v),
        I_K = g_K*n^4*(E_K - v),
        I_L = g_L*(E_L - v),
        x_m = (v + 40 mV)/(10 mV),
        x_n = (v + 55 mV)/(10 mV),
    }
    equations {
        dv/dt = (I_Na + I_K + I_L + I) / C_m,
        m: alpha = phi * 1 1/ms * (if x_m == 0 { 1 } else { -x_m/expm1(-x_m) }),
           beta = phi * 4 1/ms * exp(-(v + 65 mV)/(18 mV)),
        h: alpha = phi * 0.07 1/ms * exp(-(v + 65 mV)/(20 mV)),
           beta = phi * 1 1/ms / (1 + exp(-(v + 35 mV)/(10 mV))),
        n: alpha = phi * 0.1 1/ms * (if x_n == 0 { 1 } else { -x_n/expm1(-x_n) }),
           beta = phi * 0.125 1/ms * exp(-(v + 65 mV)/(80 mV)),
    }
    threshold { v >= V_th }
    refractory { period = t_ref, hold = [] }
    tables { v: -100 mV .. 60 mV step 0.1 mV }
}

spyks::include_model!("data/tables/pospischil_tables.yml" as PospischilTab);
spyks::include_model!("../spyks-core/models/spyks/pospischil.yml" as Pospischil);

type State = HhTabState;

/// The six rates (1/ms) at phi = 1, written independently: HH 1952, eq. 26, with V the
/// membrane potential (rest -65 mV). The 0/0 points take their limits.
fn hh_rates(v: f64) -> [f64; 6] {
    let am = if v == -40.0 { 1.0 } else { 0.1 * (v + 40.0) / (1.0 - (-(v + 40.0) / 10.0).exp()) };
    let an = if v == -55.0 { 0.1 } else { 0.01 * (v + 55.0) / (1.0 - (-(v + 55.0) / 10.0).exp()) };
    [
        am,
        4.0 * (-(v + 65.0) / 18.0).exp(),
        0.07 * (-(v + 65.0) / 20.0).exp(),
        1.0 / (1.0 + (-(v + 35.0) / 10.0).exp()),
        an,
        0.125 * (-(v + 65.0) / 80.0).exp(),
    ]
}

/// max |f''| over [lo, hi] for each rate, by central second differences (step 1e-3 mV) on a
/// 0.01 mV grid, with 1 % added for the maxima between the samples.
fn max_second_derivatives(lo: f64, hi: f64) -> [f64; 6] {
    let (d, mut out) = (1e-3, [0.0f64; 6]);
    let n = ((hi - lo) / 0.01).round() as usize;
    for i in 0..=n {
        let v = lo + i as f64 * 0.01;
        let (a, b, c) = (hh_rates(v - d), hh_rates(v), hh_rates(v + d));
        for k in 0..6 {
            out[k] = out[k].max(((a[k] - 2.0 * b[k] + c[k]) / (d * d)).abs());
        }
    }
    out.map(|x| x * 1.01)
}

fn states() -> Vec<State> {
    let mut out = Vec::new();
    for (i, v) in [-99.95, -80.0, -65.0, -55.0, -40.0, -40.05, -12.34, 0.0, 25.0, 59.9].iter().enumerate() {
        let g = (i as f64 + 0.5) / 10.0;
        out.push(State { v: *v, m: g, h: 1.0 - g, n: 0.5 * g });
    }
    out
}

fn inputs() -> HhTabInputs {
    HhTabInputs { I: 10.0 * UA_PER_CM2 }
}

#[test]
fn the_macro_finds_the_six_rates() {
    assert_eq!(HhTab::TABLE_FUNCTIONS.len(), 6, "{:#?}", HhTab::TABLE_FUNCTIONS);
    let m = HhTab::new();
    let t = m.table().expect("new() builds the table");
    assert_eq!(t.points(), 1601);
    // Each column is one of the independent rates at a grid point (up to rounding).
    let exact: Vec<[f64; 6]> = [-90.0, -40.0, -12.3, 30.0].iter().map(|&v| hh_rates(v)).collect();
    for k in 0..6 {
        let col = |v: f64| t.exact(v)[k];
        let r = (0..6)
            .find(|&r| [-90.0, -40.0, -12.3, 30.0].iter().zip(&exact).all(|(&v, e)| (col(v) - e[r]).abs() <= 1e-12 * e[r].abs().max(1.0)));
        assert!(r.is_some(), "column {k} (`{}`) is none of the rates", HhTab::TABLE_FUNCTIONS[k]);
    }
}

#[test]
fn interpolation_error_within_the_a_priori_bound() {
    let m = HhTab::new();
    let h = m.table_spec().step;
    let reports = m.table_report().unwrap();
    let t = m.table().unwrap();
    let second = max_second_derivatives(-100.0, 60.0);
    for (k, r) in reports.iter().enumerate() {
        // Which rate the column is: the one matching at -12.3 mV.
        let x = t.exact(-12.3)[k];
        let rate = (0..6).find(|&j| (hh_rates(-12.3)[j] - x).abs() <= 1e-12 * x.abs()).unwrap();
        let bound = h * h / 8.0 * second[rate];
        println!(
            "{:<50} max |err| {:.3e} at {:.2} mV (rel {:.2e}), a-priori bound {:.3e}, table's own estimate {:.3e}",
            HhTab::TABLE_FUNCTIONS[k],
            r.max_abs,
            r.at_abs,
            r.max_rel,
            bound,
            r.bound
        );
        // Rounding adds a few ulp of the largest value.
        let scale = hh_rates(-100.0)[rate].max(hh_rates(60.0)[rate]).abs();
        assert!(r.max_abs <= bound + 1e-14 * scale, "column {k}: {} > {bound}", r.max_abs);
        assert!(r.max_abs <= r.bound + 1e-14 * scale, "column {k}: the report's bound {} is below its error {}", r.bound, r.max_abs);
        // The bound is not vacuous: the error is at least a tenth of it.
        assert!(r.max_abs >= 0.1 * bound, "column {k}: {} far below {bound}", r.max_abs);
    }
}

#[test]
fn the_tabulated_derivative_errs_by_the_rate_errors_only() {
    let m = HhTab::new();
    let exact = HodgkinHuxley::new();
    let u = inputs();
    let second = max_second_derivatives(-100.0, 60.0);
    let eps = second.map(|s| 0.01 / 8.0 * s + 1e-15);
    for x in states() {
        let (a, b) = (
            m.derivative(0.0, &x, &u),
            exact.derivative(0.0, &State::from_array(x.to_array()).into(), &spyks::presets::hodgkin_huxley::HodgkinHuxleyInputs { I: u.I }),
        );
        // The voltage equation has no table; the gates err by |1 - x|·ε_α + x·ε_β.
        assert_eq!(a.v, b.v);
        for (i, (g, (ea, eb))) in [(x.m, (eps[0], eps[1])), (x.h, (eps[2], eps[3])), (x.n, (eps[4], eps[5]))].into_iter().enumerate() {
            let d = (a.to_array()[i + 1] - b.to_array()[i + 1]).abs();
            assert!(d <= (1.0 - g).abs() * ea + g * eb, "gate {i} at v = {}: {d}", x.v);
        }
    }
}

impl From<State> for spyks::presets::hodgkin_huxley::HodgkinHuxleyState {
    fn from(x: State) -> Self {
        Self::from_array(x.to_array())
    }
}

/// The preset's state and inputs for the same values.
fn preset_io(
    x: &State,
    u: &HhTabInputs,
) -> (spyks::presets::hodgkin_huxley::HodgkinHuxleyState, spyks::presets::hodgkin_huxley::HodgkinHuxleyInputs) {
    ((*x).into(), spyks::presets::hodgkin_huxley::HodgkinHuxleyInputs { I: u.I })
}

/// The derivative and exponential-Euler coefficients as bits, for exact comparisons.
fn bits_tab(m: &HhTab, x: &State, u: &HhTabInputs) -> Vec<u64> {
    let (a, b) = m.linear_coefficients(0.0, x, u);
    [m.derivative(0.0, x, u).to_array(), a.to_array(), b.to_array()].concat().iter().map(|v| v.to_bits()).collect()
}

fn bits_exact(m: &HodgkinHuxley, x: &State, u: &HhTabInputs) -> Vec<u64> {
    let (x, u) = preset_io(x, u);
    let (a, b) = m.linear_coefficients(0.0, &x, &u);
    [m.derivative(0.0, &x, &u).to_array(), a.to_array(), b.to_array()].concat().iter().map(|v| v.to_bits()).collect()
}

#[test]
fn tables_off_is_the_exact_model_bit_for_bit() {
    let (m, exact, u) = (HhTab::new().without_tables(), HodgkinHuxley::new(), inputs());
    assert!(!m.tables_enabled());
    for x in states() {
        assert_eq!(bits_tab(&m, &x, &u), bits_exact(&exact, &x, &u), "v = {}", x.v);
    }
    // Whole runs too.
    let solver = Dopri5::new().tolerances(1e-8, 1e-8);
    let a = Simulation::new(&m, 50.0)
        .stimulus(Stimulus::new().with("I", Signal::Const(10.0 * UA_PER_CM2)).unwrap())
        .record(RecordSpec::all().every(0.5))
        .run_adaptive(&solver)
        .unwrap();
    let b = Simulation::new(&exact, 50.0)
        .stimulus(Stimulus::new().with("I", Signal::Const(10.0 * UA_PER_CM2)).unwrap())
        .record(RecordSpec::all().every(0.5))
        .run_adaptive(&solver)
        .unwrap();
    assert_eq!(a.spikes, b.spikes);
    assert_eq!(a.columns, b.columns);
}

#[test]
fn outside_the_range_the_exact_functions() {
    let (m, exact, u) = (HhTab::new(), HodgkinHuxley::new(), inputs());
    assert!(m.table().is_some());
    for v in [-130.0, -100.0 - 1e-9, 60.0 + 1e-9, 85.0] {
        let x = State { v, m: 0.3, h: 0.4, n: 0.5 };
        assert_eq!(bits_tab(&m, &x, &u), bits_exact(&exact, &x, &u), "v = {v}");
    }
    // Inside, the table is used: values differ from the exact ones (by the table error).
    let x = State { v: -63.27, m: 0.3, h: 0.4, n: 0.5 };
    assert_ne!(bits_tab(&m, &x, &u), bits_exact(&exact, &x, &u));
}

#[test]
fn a_parameter_of_the_rates_rebuilds_the_tables_and_others_do_not() {
    let u = inputs();
    let mut m = HhTab::new();
    assert_eq!(m.table_builds(), 1);
    assert!(!m.needs_refresh());
    // g_Na is not in any rate: the table stays current.
    m.params.g_Na = 100.0 * 0.01;
    assert!(!m.needs_refresh());
    m.refresh().unwrap();
    assert_eq!(m.table_builds(), 1);
    assert!(m.table().is_some());
    // phi scales every rate: the table is stale, and a stale table is never read.
    m.params.phi = 3.0;
    assert!(m.needs_refresh() && m.table().is_none());
    let off = m.clone().without_tables();
    for x in states() {
        assert_eq!(bits_tab(&m, &x, &u), bits_tab(&off, &x, &u), "stale table used at v = {}", x.v);
    }
    m.refresh().unwrap();
    assert_eq!(m.table_builds(), 2);
    m.refresh().unwrap();
    assert_eq!(m.table_builds(), 2);
    // The same results as a model built fresh with these parameters.
    let mut fresh = HhTab::with_params(m.params);
    assert!(fresh.table().is_none(), "with_params builds no table");
    fresh.refresh().unwrap();
    for x in states() {
        assert_eq!(bits_tab(&m, &x, &u), bits_tab(&fresh, &x, &u), "v = {}", x.v);
    }
    // The rebuilt rates are phi times the old ones (up to rounding).
    let (t3, t1) = (m.table().unwrap(), HhTab::new());
    let t1 = t1.table().unwrap();
    for v in [-80.0, -40.03, 12.0] {
        for (a, b) in t3.eval(v).iter().zip(t1.eval(v)) {
            assert!((a - 3.0 * b).abs() <= 1e-14 * a.abs());
        }
    }
}

#[test]
fn derivative_prepared_reads_the_tables_without_comparing_their_parameters() {
    let u = inputs();
    let bits = |d: State| d.to_array().map(f64::to_bits);
    // Current tables, tables off, and a model without tables: the same bits as `derivative`.
    let mut m = HhTab::new();
    let off = m.clone().without_tables();
    let (exact, uu) = (HodgkinHuxley::new(), preset_io(&states()[0], &u).1);
    for x in states() {
        assert_eq!(bits(m.derivative_prepared(0.0, &x, &u)), bits(m.derivative(0.0, &x, &u)), "v = {}", x.v);
        assert_eq!(bits(off.derivative_prepared(0.0, &x, &u)), bits(off.derivative(0.0, &x, &u)), "v = {}", x.v);
        let xe = preset_io(&x, &u).0;
        assert_eq!(
            exact.derivative_prepared(0.0, &xe, &uu).to_array().map(f64::to_bits),
            exact.derivative(0.0, &xe, &uu).to_array().map(f64::to_bits)
        );
    }
    // Stale: `derivative` evaluates the exact functions for the new phi, `derivative_prepared`
    // the table built for the old one, which is why only a driver that prepared the model
    // calls it (a run refreshes it first: the next test).
    m.params.phi = 3.0;
    let mut off3 = off.clone();
    off3.params.phi = 3.0;
    for x in states() {
        assert_eq!(bits(m.derivative(0.0, &x, &u)), bits(off3.derivative(0.0, &x, &u)), "v = {}", x.v);
        assert_ne!(bits(m.derivative_prepared(0.0, &x, &u)), bits(m.derivative(0.0, &x, &u)), "v = {}", x.v);
    }
}

#[test]
fn a_run_refreshes_a_stale_model_without_changing_it() {
    let mut stale = HhTab::new();
    stale.params.phi = 2.0;
    let mut fresh = stale.clone();
    fresh.refresh().unwrap();
    let stim = Stimulus::new().with("I", Signal::Const(10.0 * UA_PER_CM2)).unwrap();
    let solver = Dopri5::new().tolerances(1e-8, 1e-8);
    let a = Simulation::new(&stale, 30.0).stimulus(stim.clone()).record(RecordSpec::all().every(0.5)).run_adaptive(&solver).unwrap();
    let b = Simulation::new(&fresh, 30.0).stimulus(stim).record(RecordSpec::all().every(0.5)).run_adaptive(&solver).unwrap();
    assert_eq!(a.columns, b.columns);
    assert_eq!(a.spikes, b.spikes);
    // The run refreshed a clone: the model itself is as it was.
    assert!(stale.needs_refresh());
    assert_eq!(stale.table_builds(), 1);
}

/// Spike times over 200 ms at 10 µA/cm² from rest, with Dormand-Prince at rtol = atol = 1e-10
/// so that the integration error (well below 1e-6 ms) does not mask the table's.
fn spike_times<M: NeuronModel>(m: &M) -> Vec<f64> {
    let stim = Stimulus::new().with("I", Signal::Const(10.0 * UA_PER_CM2)).unwrap();
    Simulation::new(m, 200.0).stimulus(stim).run_adaptive(&Dopri5::new().tolerances(1e-10, 1e-10)).unwrap().spikes
}

/// The largest difference between two spike trains of equal length.
fn max_shift(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max)
}

/// Spike-time bound: a relative rate error ε shifts the period by at most about ε·T
/// (T = 14.6 ms), and the shifts add up over the N = 14 spikes of 200 ms. At step 0.1 mV the
/// largest relative error of any rate is 1.24e-5 (`table_report`; β_h near -22 mV), so the
/// drift is at most about 14 · 14.6 ms · 1.24e-5 ≈ 2.5e-3 ms; pinned at 5e-3 ms.
/// Measured: 4.6e-4 ms.
#[test]
fn spike_times_agree_with_the_exact_model() {
    let exact = spike_times(&HodgkinHuxley::new());
    let tab = spike_times(&HhTab::new());
    assert_eq!(exact.len(), 14, "{exact:?}");
    let shift = max_shift(&exact, &tab);
    println!("HH, step 0.1 mV, linear: {} spikes, largest spike-time difference {shift:.3e} ms", exact.len());
    assert!(shift <= 5e-3, "{shift}");
    // A coarser step shifts spikes more: the bound is not met by accident.
    let mut coarse = HhTab::new();
    coarse.set_table_spec(HhTab::declared_table_spec().interp(spyks::table::Interp::Linear)).unwrap();
    let mut coarse_spec = coarse.table_spec();
    coarse_spec.step = 2.0;
    coarse.set_table_spec(coarse_spec).unwrap();
    let far = max_shift(&exact, &spike_times(&coarse));
    println!("HH, step 2 mV, linear: largest spike-time difference {far:.3e} ms");
    assert!(far > shift);
}

/// Upward crossings of 0 mV of `V`, sampled every 0.005 ms by the dense output and located
/// by linear interpolation (an error of order 1e-5 ms, the same in both runs compared).
fn crossings<M: NeuronModel>(m: &M) -> Vec<f64> {
    let stim = Stimulus::new().with("Iinj", Signal::Const(1000.0)).unwrap();
    let run = Simulation::new(m, 200.0)
        .stimulus(stim)
        .record(RecordSpec::names(["V"]).every(0.005))
        .run_adaptive(&Dopri5::new().tolerances(1e-10, 1e-10))
        .unwrap();
    let (t, v) = (&run.times, run.column("V").unwrap());
    (1..t.len()).filter(|&i| v[i - 1] < 0.0 && v[i] >= 0.0).map(|i| t[i - 1] + (t[i] - t[i - 1]) * -v[i - 1] / (v[i] - v[i - 1])).collect()
}

/// Pospischil et al. (2008) from YAML with `tables:` against the shipped file: the functions
/// found (the four steady states and reciprocal time constants, and the `alpha`/`beta` of
/// `na_h`), their errors within the table's own a-priori estimate, and the spike times at
/// 1000 pA (13 spikes, slowing down as `km_m` adapts). Bound as for HH: the largest relative
/// rate error at step 0.1 mV is 5.0e-5 (β of `na_h` near -100 mV; printed), which over 200 ms
/// shifts spikes by at most about 200 ms · 5e-5 = 0.01 ms; pinned there. Measured: 2.5e-3 ms
/// (2.6e-3 with the time constants themselves tabulated).
#[test]
fn a_yaml_model_with_tables() {
    assert_eq!(PospischilTab::TABLE_FUNCTIONS.len(), 8, "{:#?}", PospischilTab::TABLE_FUNCTIONS);
    let tab = PospischilTab::new();
    let mut rel = 0.0f64;
    for (f, r) in PospischilTab::TABLE_FUNCTIONS.iter().zip(tab.table_report().unwrap()) {
        println!("{f:<70} max |err| {:.3e} (rel {:.2e}), bound {:.3e}", r.max_abs, r.max_rel, r.bound);
        assert!(r.max_abs <= r.bound * 1.0001 + 1e-15, "{r:?}");
        rel = rel.max(r.max_rel);
    }
    assert!(rel < 1e-4, "{rel}");
    let (a, b) = (crossings(&tab), crossings(&Pospischil::new()));
    assert_eq!(b.len(), 13, "{b:?}");
    let shift = max_shift(&a, &b);
    println!("pospischil, step 0.1 mV, linear, 1000 pA: {} spikes, largest spike-time difference {shift:.3e} ms", b.len());
    assert!(shift <= 0.01, "{shift}");
}

/// Runs three unconnected HH neurons with per-neuron values of `param` in a network (RK4,
/// dt = 0.01 ms, 10 µA/cm²) and returns each neuron's V trace.
fn network_traces(model: &HhTab, param: &str, values: &[f64]) -> Vec<Vec<f64>> {
    use spyks::network::{Network, Population, Values};
    let dt = 0.01;
    let mut net = Network::new(dt, 3).unwrap();
    let p = net.add_population(Population::new("hh", 3, model.clone(), |_| spyks::integrate::Rk4)).unwrap();
    net.set_input(p, "I", (10.0 * UA_PER_CM2).into()).unwrap();
    net.set_param(p, param, Values::Array(values.to_vec())).unwrap();
    let sm = net.record_state(p, &["v"], &[0, 1, 2], dt).unwrap();
    net.run(30.0).unwrap();
    (0..3).map(|k| net.states(sm).unwrap().values("v", k).unwrap().to_vec()).collect()
}

fn single_trace(m: &HhTab) -> Vec<f64> {
    let stim = Stimulus::new().with("I", Signal::Const(10.0 * UA_PER_CM2)).unwrap();
    Simulation::new(m, 30.0).stimulus(stim).record(RecordSpec::names(["v"])).run_fixed(&mut spyks::integrate::Rk4, 0.01).unwrap().columns[0]
        .clone()
}

/// Per-neuron parameters in a population: one the tables do not use (`g_Na`) keeps the shared
/// table (each neuron equals a tabulated single-neuron run bit for bit); one they use (`phi`)
/// makes the shared table stale for the neurons that differ, which then evaluate the exact
/// functions (each equals an exact single-neuron run bit for bit).
#[test]
fn per_neuron_parameters_in_a_population() {
    let model = HhTab::new();
    let g_na = [1.0, 1.2, 1.4];
    for (k, trace) in network_traces(&model, "g_Na", &g_na).iter().enumerate() {
        let mut m = model.clone();
        m.params.g_Na = g_na[k];
        assert!(!m.needs_refresh());
        assert_eq!(trace, &single_trace(&m), "neuron {k} (g_Na)");
    }
    let phi = [1.0, 1.5, 2.0];
    for (k, trace) in network_traces(&model, "phi", &phi).iter().enumerate() {
        let mut m = model.clone();
        m.params.phi = phi[k];
        // Neuron 0 has the shared model's phi: its table is current.
        let m = if k == 0 { m } else { m.without_tables() };
        assert_eq!(trace, &single_trace(&m), "neuron {k} (phi)");
    }
}

/// The preset variant `HodgkinHuxleyTables` (step 0.05 mV, linear) in the benchmark's setting
/// (exponential Euler, dt 0.01 ms, 10 µA/cm², 100 ms): the issue's criterion is spike times
/// within 0.05 ms of the exact model's run with the same integrator (spike times interpolated
/// inside the step; at step ends a crossing moved across a step boundary would show as a
/// whole step, 0.01 ms, whatever the table). By the drift estimate
/// above, with the largest relative rate error at 0.05 mV (a quarter of 0.1 mV's: the error
/// is h²-proportional), about 7 spikes · 14.6 ms · 3.1e-6 ≈ 3e-4 ms; pinned at 2e-3 ms.
#[test]
fn the_tabulated_preset_moves_spikes_by_far_less_than_the_issue_allows() {
    use spyks::presets::hodgkin_huxley::HodgkinHuxleyTables;
    fn run<M: NeuronModel>(m: &M) -> Vec<f64> {
        let stim = Stimulus::new().with("I", Signal::Const(10.0 * UA_PER_CM2)).unwrap();
        Simulation::new(m, 100.0)
            .stimulus(stim)
            .spike_timing(spyks::SpikeTiming::Interpolated)
            .run_fixed(&mut spyks::integrate::ExpEuler, 0.01)
            .unwrap()
            .spikes
    }
    let tab = HodgkinHuxleyTables::new();
    assert!(tab.tables_enabled() && !tab.needs_refresh());
    let (exact, tabulated) = (run(&HodgkinHuxley::new()), run(&tab));
    assert_eq!(exact.len(), 7, "{exact:?}");
    let shift = max_shift(&exact, &tabulated);
    println!("HodgkinHuxleyTables, exponential Euler at 0.01 ms: largest spike-time difference {shift:.3e} ms");
    assert!(shift <= 2e-3, "{shift}");
    // The same model text: with the tables off, the exact preset bit for bit.
    assert_eq!(run(&tab.clone().without_tables()), exact);
}

spyks::neuron_model! {
    /// A gate with a kink in each rate: |v + 40.03 mV| in α (at -40.03 mV) and a floor by
    /// `max` in β (at v = -65 + 20 ln 2 mV), tabulated every 0.1 mV.
    model Kinked;
    parameters { tau: 5 ms }
    state { v: -65 mV, m: 0.3 }
    equations {
        dv/dt = -v / tau,
        m: alpha = 1 1/ms * exp(-abs(v + 40.03 mV)/(5 mV)),
           beta = 0.5 1/ms * max(exp(-(v + 65 mV)/(20 mV)), 0.5),
    }
    tables { v: -100 mV .. 60 mV step 0.1 mV }
}

/// A rate with a kink (`abs`, `min` or `max` of the table variable) is not tabulated as a
/// whole: a linear table errs there by a fraction of step × slope jump (8.4e-3 1/ms at
/// -40.03 mV for α with 0.1 mV, 170 times the smooth bound h²/8·max|f''|, and above the
/// report's own bound), so only its smooth arguments are (β's exp). Checked against the rates
/// written out here: dm/dt errs by at most m·h²/8·max|β''| with β'' = β/400 (1/(ms·mV²)),
/// largest at -100 mV.
#[test]
fn a_rate_with_a_kink_is_not_tabulated_across_it() {
    let m = Kinked::new();
    assert!(m.table().is_some());
    let (h, x0) = (0.1, 0.3);
    let bound = x0 * h * h / 8.0 * (0.5 * (35.0f64 / 20.0).exp() / 400.0);
    let mut worst = 0.0f64;
    for j in 0..=16_000 {
        let v = -100.0 + 0.01 * j as f64 + 0.003;
        let alpha = (-(v + 40.03f64).abs() / 5.0).exp();
        let beta = 0.5 * (-(v + 65.0) / 20.0).exp().max(0.5);
        let exact = alpha * (1.0 - x0) - beta * x0;
        let d = m.derivative(0.0, &KinkedState { v, m: x0 }, &KinkedInputs {});
        worst = worst.max((d.m - exact).abs());
    }
    println!("kinked rates, step 0.1 mV: largest error of dm/dt {worst:.3e} 1/ms, bound {bound:.3e}");
    assert!(worst <= bound + 1e-15, "{worst} > {bound}");
}
