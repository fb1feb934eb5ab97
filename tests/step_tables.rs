//! Exponential-Euler step tables: with a fixed step h, a model with lookup tables also
//! tabulates each gating variable's update factors G = expm1(B·h) and F = A·expm1(B·h)/B
//! (X ← X + G·X + F), as NEURON's `hh.mod` does with `DEPEND dt`.
//!
//! Checked against the exact model (`HodgkinHuxley`, no tables) stepped by the same
//! exponential Euler: one step from many states differs by at most the a-priori interpolation
//! bounds of G and F (|ΔG|·|X| + |ΔF|), and V's update is untouched; against the rules of a
//! cache (built for h and the parameters, not used for another step or after a parameter
//! change, off with the tables); and through the drivers (spike times of a whole run).

use spyks::integrate::{ExpEuler, Stepper};
use spyks::presets::hodgkin_huxley::{HodgkinHuxley, HodgkinHuxleyState, HodgkinHuxleyTables, HodgkinHuxleyTablesState};
use spyks::{NeuronModel, Vector};

const H: f64 = 0.01;

fn step<M: NeuronModel>(m: &M, x: &mut M::State, i: f64) {
    let u = M::Inputs::from_slice(&[i]).unwrap();
    ExpEuler.step(m, 0.0, H, x, &|_| u).unwrap();
}

/// Deterministic states over the table's range and beyond its ends (where the exact
/// functions are used).
fn states() -> Vec<[f64; 4]> {
    let mut s: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..4000).map(|k| [-110.0 + 180.0 * k as f64 / 3999.0, next(), next(), next()]).collect()
}

#[test]
fn hodgkin_huxley_tabulates_the_three_gates_and_not_v() {
    assert_eq!(<HodgkinHuxleyTables as NeuronModel>::STEP_TABULATED, &[false, true, true, true]);
    assert!(<HodgkinHuxley as NeuronModel>::STEP_TABULATED.is_empty());
    let mut m = HodgkinHuxleyTables::new();
    assert!(m.step_table(H).is_none() && m.needs_refresh_step(H));
    m.refresh_step(H).unwrap();
    let t = m.step_table(H).expect("built");
    assert_eq!(t.function().h, H);
    assert!(!m.needs_refresh_step(H));
    // Six columns: G and F of m, h and n in that order (v's A and B read no table), against
    // expm1(B·h) and A·expm1(B·h)/B from the exact model's coefficients.
    let exact = HodgkinHuxley::new();
    for v in [-80.0, -52.3, -10.0, 35.0] {
        let x = HodgkinHuxleyState { v, m: 0.1, h: 0.5, n: 0.3 };
        let (a, b) = exact.linear_coefficients(0.0, &x, &<HodgkinHuxley as NeuronModel>::Inputs::default());
        let cols = t.exact(v);
        assert_eq!(cols.len(), 6);
        for (g, (ag, bg)) in [(a.m, b.m), (a.h, b.h), (a.n, b.n)].into_iter().enumerate() {
            let gh = (bg * H).exp_m1();
            assert!((cols[2 * g] - gh).abs() <= 1e-14 * gh.abs(), "G of gate {g} at {v}");
            assert!((cols[2 * g + 1] - ag * gh / bg).abs() <= 1e-14 * (ag * gh / bg).abs(), "F of gate {g} at {v}");
        }
    }
}

#[test]
fn one_step_differs_from_the_exact_step_by_at_most_the_interpolation_bounds() {
    let exact = HodgkinHuxley::new();
    let mut tab = HodgkinHuxleyTables::new();
    tab.refresh_step(H).unwrap();
    let table = tab.step_table(H).unwrap();
    let bounds = table.max_error(|v| table.exact(v), 16);
    let (lo, hi) = (table.spec().lo, table.top());
    let mut worst = [0.0f64; 3];
    for s in states() {
        let mut xe = HodgkinHuxleyState::from_slice(&s).unwrap();
        let mut xt = HodgkinHuxleyTablesState::from_slice(&s).unwrap();
        step(&exact, &mut xe, 10.0);
        step(&tab, &mut xt, 10.0);
        assert_eq!(xt.v.to_bits(), xe.v.to_bits(), "v is not tabulated: at {s:?}");
        let inside = s[0] >= lo && s[0] <= hi;
        for (g, (te, tt)) in [(xe.m, xt.m), (xe.h, xt.h), (xe.n, xt.n)].into_iter().enumerate() {
            let d = (te - tt).abs();
            if inside {
                let bound = bounds[2 * g].bound * s[g + 1].abs() + bounds[2 * g + 1].bound + 1e-15;
                assert!(d <= bound, "gate {g} at {s:?}: {d:e} > {bound:e}");
                worst[g] = worst[g].max(d);
            } else {
                // Outside the grid the exact step functions: the exact step up to round-off.
                assert!(d <= 1e-15, "gate {g} at {s:?} (outside): {d:e}");
            }
        }
    }
    println!("largest one-step gate differences against the exact model (m, h, n): {:.2e} {:.2e} {:.2e}", worst[0], worst[1], worst[2]);
    // The tables are not trivially exact: the comparison above can fail.
    assert!(worst.iter().all(|&w| w > 0.0 && w < 1e-6), "{worst:?}");
}

#[test]
fn the_step_table_is_used_only_for_its_step_and_parameters() {
    let mut m = HodgkinHuxleyTables::new();
    m.refresh_step(H).unwrap();
    let s = [-52.013, 0.2, 0.5, 0.4]; // off the grid
    let run = |m: &HodgkinHuxleyTables, h: f64| {
        let mut x = HodgkinHuxleyTablesState::from_slice(&s).unwrap();
        let u = <HodgkinHuxleyTables as NeuronModel>::Inputs::from_slice(&[10.0]).unwrap();
        ExpEuler.step(m, 0.0, h, &mut x, &|_| u).unwrap();
        x
    };
    // The rate-table path: the same model without a step table.
    let rates_only = HodgkinHuxleyTables::new();
    assert!(rates_only.step_table(H).is_none());
    let (with_step, without) = (run(&m, H), run(&rates_only, H));
    assert_ne!(with_step, without, "the step table is read");
    assert!((with_step.m - without.m).abs() < 1e-8);
    // Another step (beyond round-off): the rate tables.
    assert!(m.step_table(2.0 * H).is_none() && m.step_table(H * (1.0 + 1e-12)).is_some());
    assert_eq!(run(&m, 2.0 * H), run(&rates_only, 2.0 * H));
    // A parameter they do not use: still current; a parameter the gates use: stale.
    let mut p = m.clone();
    p.params.g_Na = 100.0;
    assert!(p.step_table(H).is_some());
    p.params.phi = 2.0;
    assert!(p.step_table(H).is_none() && p.needs_refresh_step(H));
    // ... and so is its rate table: the step is the exact model's with these parameters.
    let mut exact_p = HodgkinHuxley::new();
    (exact_p.params.g_Na, exact_p.params.phi) = (100.0, 2.0);
    let mut xe = HodgkinHuxleyState::from_slice(&s).unwrap();
    step(&exact_p, &mut xe, 10.0);
    assert_eq!(run(&p, H).to_vec(), xe.to_vec());
    // Tables off: no step table either, and the exact model bit for bit.
    let off = m.clone().without_tables();
    assert!(off.step_table(H).is_none() && !off.needs_refresh_step(H));
    let exact = {
        let mut x = HodgkinHuxleyState::from_slice(&s).unwrap();
        step(&HodgkinHuxley::new(), &mut x, 10.0);
        x
    };
    assert_eq!(run(&off, H).to_vec(), exact.to_vec());
    // A new table specification drops the step table until the next refresh.
    let mut fine = m.clone();
    fine.set_table_spec(HodgkinHuxleyTables::declared_table_spec().interp(spyks::table::Interp::CubicHermite)).unwrap();
    assert!(fine.step_table(H).is_none());
    fine.refresh_step(H).unwrap();
    assert_eq!(fine.step_table(H).unwrap().spec().interp, spyks::table::Interp::CubicHermite);
}

#[test]
fn drivers_build_the_step_table_for_their_step() {
    let m = HodgkinHuxleyTables::new();
    let prepared = spyks::table::prepared_for_step(&m, Some(H)).unwrap();
    assert!(prepared.step_table(H).is_some());
    // Nothing to build: the model itself.
    let mut built = m.clone();
    built.refresh_step(H).unwrap();
    assert!(matches!(spyks::table::prepared_for_step(&built, Some(H)).unwrap(), std::borrow::Cow::Borrowed(_)));
}

spyks::neuron_model! {
    /// A membrane with an instantaneous sodium activation (a table read in v's own
    /// coefficients, kept as a column of the step table) and one gate.
    model Inst;
    parameters { g_na: 20 mS/cm^2, g_k: 10 mS/cm^2, E_na: 50 mV, E_k: -90 mV, C: 1 uF/cm^2, tau: 4 ms, k: 9 mV }
    state { v: -65 mV, n: 0.1 }
    inputs { I: 0 uA/cm^2 }
    equations {
        dv/dt = (I - g_na / (1 + exp(-(v + 20 mV)/k)) * (v - E_na) - g_k*n*(v - E_k)) / C,
        dn/dt = (1 / (1 + exp(-(v + 25 mV)/(5 mV))) - n) / tau,
    }
    tables { v: -100 mV .. 60 mV step 0.05 mV }
}

#[test]
fn a_step_table_with_rate_columns_matches_the_exact_step_and_its_lanes() {
    use spyks::lanes::{F64s, Real};
    assert_eq!(<Inst as NeuronModel>::STEP_TABULATED, &[false, true]);
    let mut m = Inst::new();
    m.refresh_step(H).unwrap();
    assert!(m.step_table(H).is_some());
    let exact = Inst::new().without_tables();
    let u = InstInputs { I: 3.0 };
    let xs: Vec<InstState> = (0..64).map(|k| InstState { v: -95.0 + 2.3 * k as f64, n: 0.015 * k as f64 }).collect();
    let mut worst_v = 0.0f64;
    for x0 in &xs {
        let (mut xt, mut xe) = (*x0, *x0);
        ExpEuler.step(&m, 0.0, H, &mut xt, &|_| u).unwrap();
        ExpEuler.step(&exact, 0.0, H, &mut xe, &|_| u).unwrap();
        // v's update reads the sodium activation from the step table (linear, 0.05 mV): a
        // rate error of order 1e-6 over 0.01 ms; n the same order.
        assert!((xt.v - xe.v).abs() < 1e-5 && (xt.n - xe.n).abs() < 1e-7, "{x0:?}: {xt:?} against {xe:?}");
        assert_ne!(xt, *x0);
        worst_v = worst_v.max((xt.v - xe.v).abs());
    }
    // The interpolated column is read: v is not the exact step.
    assert!(worst_v > 0.0);
    // The lane method: each lane bit for bit the scalar factors.
    for block in xs.chunks(8) {
        let x: Vec<F64s<8>> = (0..2).map(|v| F64s(std::array::from_fn(|l| block[l].to_vec()[v]))).collect();
        let uu = [F64s::<8>::splat(3.0)];
        let (mut a, mut b) = (vec![F64s::<8>::splat(0.0); 2], vec![F64s::<8>::splat(0.0); 2]);
        assert!(m.step_factors_lanes(0.0, H, &x, &uu, &mut a, &mut b));
        for (l, x0) in block.iter().enumerate() {
            let (sa, sb) = m.step_factors(0.0, H, x0, &u).unwrap();
            for v in 0..2 {
                assert_eq!(a[v].0[l].to_bits(), sa.to_vec()[v].to_bits());
                assert_eq!(b[v].0[l].to_bits(), sb.to_vec()[v].to_bits());
            }
        }
    }
    assert!(!exact.step_factors_lanes(
        0.0,
        H,
        &[F64s::<8>::splat(-60.0), F64s::splat(0.1)],
        &[F64s::splat(0.0)],
        &mut [F64s::splat(0.0); 2],
        &mut [F64s::splat(0.0); 2]
    ));
}

spyks::include_model!("../benches/common/models/pospischil_spiking_tables.yml");
spyks::include_model!("../benches/common/models/biocm_spiking_tables.yml");

/// Spike times in the benchmark's setting (exponential Euler at 0.01 ms, spike times
/// interpolated inside the step) over 500 ms, with the step table and with the tables
/// switched off.
fn spikes_with_and_without<M: NeuronModel>(m: &M, input: &str, pa: f64, off: &M) -> (Vec<f64>, Vec<f64>) {
    let run = |m: &M| {
        let stim = spyks::Stimulus::new().with(input, spyks::Signal::Const(pa)).unwrap();
        spyks::Simulation::new(m, 500.0)
            .stimulus(stim)
            .spike_timing(spyks::SpikeTiming::Interpolated)
            .run_fixed(&mut ExpEuler, H)
            .unwrap()
            .spikes
    };
    (run(m), run(off))
}

/// The criterion for tables (spike times within 0.05 ms of the exact run) for the
/// spyks `pospischil` and `biocm` files with tables on the benchmark's grid (0.05 mV), whose
/// gates are all read from the step table. The drift estimate of `lookup_tables.rs` (relative
/// rate error times period times spike count) gives well under 1e-2 ms; pinned at 1e-2 ms.
#[test]
fn pospischil_and_biocm_with_step_tables_keep_their_spike_times() {
    // Every variable but V (the first) is a gate read from the step table, and the driver
    // builds one for the run's step.
    let p = PospischilSpikingTables::new();
    assert_eq!(<PospischilSpikingTables as NeuronModel>::STEP_TABULATED, &[false, true, true, true, true]);
    assert!(spyks::table::prepared_for_step(&p, Some(H)).unwrap().step_table(H).is_some());
    let (tab, exact) = spikes_with_and_without(&p, "Iinj", 500.0, &p.clone().without_tables());
    let b = BiocmSpikingTables::new();
    let flags = <BiocmSpikingTables as NeuronModel>::STEP_TABULATED;
    assert!(flags.len() == 11 && !flags[0] && flags[1..].iter().all(|&t| t), "{flags:?}");
    assert!(spyks::table::prepared_for_step(&b, Some(H)).unwrap().step_table(H).is_some());
    let (btab, bexact) = spikes_with_and_without(&b, "Iinj", 200.0, &b.clone().without_tables());
    // Pospischil's cell adapts (5 spikes in 500 ms); biocm fires 3 times and then stays
    // depolarised at 200 pA.
    for (name, tab, exact, least) in [("pospischil", tab, exact, 5), ("biocm", btab, bexact, 3)] {
        assert!(exact.len() >= least, "{name}: {exact:?}");
        assert_eq!(tab.len(), exact.len(), "{name}: {tab:?} against {exact:?}");
        let shift = tab.iter().zip(&exact).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        println!(
            "{name} with step tables (0.05 mV), exponential Euler at 0.01 ms: {} spikes, largest spike-time difference {shift:.3e} ms",
            exact.len()
        );
        assert!(shift <= 1e-2, "{name}: {shift}");
    }
}

spyks::neuron_model! {
    /// A variable that grows as exp(v/5 mV) (B > 0): expm1(B·h) overflows near the top of the
    /// table's range, so the step table cannot be built there, while the rate table can.
    model Growing;
    parameters { k: 5 mV, tau: 1e30 ms }
    state { v: -65 mV, w: 0.5 }
    inputs { I: 0 mV/ms }
    equations {
        dv/dt = I - v / (10 ms),
        dw/dt = w * exp(v/k) / tau,
    }
    tables { v: -100 mV .. 60 mV step 0.05 mV }
}

#[test]
fn a_step_table_that_cannot_be_built_leaves_the_rate_tables() {
    let mut m = Growing::new();
    assert_eq!(<Growing as NeuronModel>::STEP_TABULATED, &[false, true]);
    assert!(m.table().is_some());
    // At h = 1e30 ms, B·h = exp(v/k) overflows expm1 above v ≈ 32 mV.
    let h = 1e30;
    let e = m.refresh_step(h).unwrap_err();
    assert!(matches!(e, spyks::table::TableError::NonFinite { .. }), "{e}");
    assert!(m.step_table(h).is_none() && !m.needs_refresh_step(h), "not tried again");
    // A run with that step still works (on the rate tables): the driver's failed build is
    // not an error of the run.
    let stim = spyks::Stimulus::new().with("I", spyks::Signal::Const(0.0)).unwrap();
    let run = spyks::Simulation::new(&Growing::new(), 3.0 * h).stimulus(stim).run_fixed(&mut ExpEuler, h);
    assert!(run.is_ok(), "{:?}", run.err());
    // Another step builds.
    m.refresh_step(0.01).unwrap();
    assert!(m.step_table(0.01).is_some());
}

#[test]
fn a_population_whose_step_table_cannot_be_built_runs_on_the_rate_tables() {
    use spyks::network::{Network, Population};
    // A time constant so short that expm1(B·h) overflows at the top of the range for h = 0.1.
    let mut m = Growing::new();
    m.params.tau = 1e-3;
    let h = 0.1;
    assert!(m.clone().refresh_step(h).is_err(), "the step table must fail to build for this test");
    let mut net = Network::new(h, 1).unwrap();
    let p = net.add_population(Population::new("growing", 20, m.clone(), |_| ExpEuler)).unwrap();
    net.run(1.0).expect("a failed step table is not an error of the run");
    // Each neuron is ten exponential-Euler steps of the model on its rate tables.
    m.refresh().unwrap();
    assert!(m.table().is_some() && m.step_table(h).is_none());
    let mut x = GrowingState { v: -65.0, w: 0.5 };
    let mut t = 0.0;
    for _ in 0..10 {
        ExpEuler.step(&m, t, h, &mut x, &|_| GrowingInputs { I: 0.0 }).unwrap();
        t += h;
    }
    assert_ne!(x.w, 0.5);
    for i in [0, 7, 19] {
        assert_eq!(net.get(p, "v", i).unwrap().to_bits(), x.v.to_bits(), "v of neuron {i}");
        assert_eq!(net.get(p, "w", i).unwrap().to_bits(), x.w.to_bits(), "w of neuron {i}");
    }
}
