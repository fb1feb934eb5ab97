//! Lookup tables for rate functions: how much they speed a conductance-based model up, and
//! what they cost in accuracy, for the Hodgkin-Huxley preset's equations and for
//! Pospischil et al. (2008) from YAML.
//!
//! For each step (0.01, 0.05, 0.1, 0.5 mV) and interpolation (linear, cubic Hermite) it
//! prints the largest interpolation error of any rate (absolute, and relative to the rate
//! there) from `table_report()`, and the largest spike-time difference against the exact
//! model over 200 ms (HH at 10 µA/cm², Pospischil at 1000 pA; Dormand-Prince at rtol = atol =
//! 1e-10, so that the integrator's error is far below the table's). Then it times
//! `derivative` with and without tables over a sweep of states, and a whole RK4 run.
//! The table goes to `output/lookup_tables.csv`.
//!
//! Run with `cargo run --release --example lookup_tables`.

use spyks::integrate::{Dopri5, ExpEuler, Rk4};
use spyks::presets::hodgkin_huxley::{HodgkinHuxleyTables as HhTab, HodgkinHuxleyTablesInputs, HodgkinHuxleyTablesState};
use spyks::table::{Interp, TableSpec};
use spyks::{NeuronModel, RecordSpec, Signal, Simulation, Stimulus};
use std::hint::black_box;
use std::io::Write;
use std::time::Instant;

spyks::include_model!("../tests/data/tables/pospischil_tables.yml" as PospischilTab);

/// Upward crossings of `level` by variable `var`, from a dense recording every 0.005 ms.
fn crossings<M: NeuronModel>(m: &M, input: &str, value: f64, var: &str, level: f64) -> Result<Vec<f64>, Box<dyn std::error::Error>> {
    let run = Simulation::new(m, 200.0)
        .stimulus(Stimulus::new().with(input, Signal::Const(value))?)
        .record(RecordSpec::names([var]).every(0.005))
        .run_adaptive(&Dopri5::new().tolerances(1e-10, 1e-10))?;
    let (t, v) = (&run.times, run.column(var).ok_or("no column")?);
    Ok((1..t.len())
        .filter(|&i| v[i - 1] < level && v[i] >= level)
        .map(|i| t[i - 1] + (t[i] - t[i - 1]) * (level - v[i - 1]) / (v[i] - v[i - 1]))
        .collect())
}

fn max_shift(a: &[f64], b: &[f64]) -> f64 {
    if a.len() != b.len() {
        return f64::INFINITY;
    }
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max)
}

/// Error figures of one model over the steps and interpolations; one CSV row each.
#[allow(clippy::too_many_arguments)]
fn figures<M: NeuronModel>(
    name: &str,
    model: &M,
    set_spec: impl Fn(&mut M, TableSpec) -> Result<(), spyks::table::TableError>,
    declared: TableSpec,
    report: impl Fn(&M) -> Vec<spyks::table::ErrorReport>,
    without: impl Fn(&M) -> M,
    (input, value, var, level): (&str, f64, &str, f64),
    csv: &mut impl Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let exact = crossings(&without(model), input, value, var, level)?;
    println!("{name}: {} spikes in 200 ms", exact.len());
    println!("  {:>8} {:>7} {:>7} {:>12} {:>10} {:>14}", "step mV", "interp", "points", "max |err|", "max rel", "spike shift ms");
    for interp in [Interp::Linear, Interp::CubicHermite] {
        for step in [0.01, 0.05, 0.1, 0.5] {
            let mut m = model.clone();
            set_spec(&mut m, TableSpec { step, ..declared }.interp(interp))?;
            let r = report(&m);
            let abs = r.iter().map(|r| r.max_abs).fold(0.0, f64::max);
            let rel = r.iter().map(|r| r.max_rel).fold(0.0, f64::max);
            let shift = max_shift(&exact, &crossings(&m, input, value, var, level)?);
            let points = ((declared.hi - declared.lo) / step).round() as usize + 1;
            let interp = if interp == Interp::Linear { "linear" } else { "cubic" };
            println!("  {step:>8} {interp:>7} {points:>7} {abs:>12.3e} {rel:>10.2e} {shift:>14.2e}");
            writeln!(csv, "{name},{step},{interp},{points},{abs:e},{rel:e},{shift:e}")?;
        }
    }
    Ok(())
}

/// Wall time (ms) of 1 s of `m` at 0.1 µA/cm² with `stepper` at dt = 0.01 ms, V recorded
/// every ms.
fn ms_per_run(m: &HhTab, mut stepper: impl spyks::integrate::Stepper<HhTab>) -> Result<f64, Box<dyn std::error::Error>> {
    let stim = Stimulus::new().with("I", Signal::Const(0.1))?;
    let start = Instant::now();
    let t = Simulation::new(m, 1000.0).stimulus(stim).record(RecordSpec::names(["v"]).every(1.0)).run_fixed(&mut stepper, 0.01)?;
    black_box(t.spikes.len());
    Ok(start.elapsed().as_secs_f64() * 1e3)
}

/// Nanoseconds per call of `derivative` over a sweep of membrane potentials.
fn ns_per_derivative<M: NeuronModel>(m: &M, states: &[M::State], u: &M::Inputs) -> f64 {
    let reps = 200;
    let start = Instant::now();
    for _ in 0..reps {
        for x in states {
            black_box(m.derivative(0.0, black_box(x), u));
        }
    }
    start.elapsed().as_nanos() as f64 / (reps * states.len()) as f64
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all("output")?;
    let mut csv = std::fs::File::create("output/lookup_tables.csv")?;
    writeln!(csv, "model,step_mV,interp,points,max_abs_error_per_ms,max_rel_error,max_spike_shift_ms")?;
    // The preset with its table at 0.1 mV (it declares 0.05 mV).
    let mut hh = HhTab::new();
    hh.set_table_spec(TableSpec { step: 0.1, ..HhTab::declared_table_spec() })?;
    figures(
        "hodgkin_huxley",
        &hh,
        HhTab::set_table_spec,
        HhTab::declared_table_spec(),
        |m| m.table_report().map(|r| r.to_vec()).unwrap_or_default(),
        |m| m.clone().without_tables(),
        ("I", 10.0 * spyks::presets::hodgkin_huxley::UA_PER_CM2, "v", -20.0),
        &mut csv,
    )?;
    let pos = PospischilTab::new();
    figures(
        "pospischil",
        &pos,
        PospischilTab::set_table_spec,
        PospischilTab::declared_table_spec(),
        |m| m.table_report().map(|r| r.to_vec()).unwrap_or_default(),
        |m| m.clone().without_tables(),
        ("Iinj", 1000.0, "V", 0.0),
        &mut csv,
    )?;

    // Speed: derivative over 2001 potentials in [-90, 50] mV (inside the table).
    println!("\nper-evaluation cost of `derivative` (ns), tables on / off:");
    let hx: Vec<HodgkinHuxleyTablesState> =
        (0..2001).map(|i| HodgkinHuxleyTablesState { v: -90.0 + 0.07 * i as f64, m: 0.3, h: 0.4, n: 0.5 }).collect();
    let hu = HodgkinHuxleyTablesInputs { I: 0.1 };
    let (on, off) = (ns_per_derivative(&hh, &hx, &hu), ns_per_derivative(&hh.clone().without_tables(), &hx, &hu));
    println!("  hodgkin_huxley: {on:.1} / {off:.1} ({:.2}x)", off / on);
    let mut cubic = hh.clone();
    cubic.set_table_spec(TableSpec { step: 0.5, ..HhTab::declared_table_spec() }.interp(Interp::CubicHermite))?;
    let c = ns_per_derivative(&cubic, &hx, &hu);
    println!("  hodgkin_huxley, cubic at 0.5 mV: {c:.1} ({:.2}x)", off / c);
    let px: Vec<PospischilTabState> =
        (0..2001).map(|i| PospischilTabState { V: -90.0 + 0.07 * i as f64, na_m: 0.3, na_h: 0.4, kd_m: 0.5, km_m: 0.1 }).collect();
    let pu = PospischilTabInputs { Iinj: 1000.0 };
    let (on, off) = (ns_per_derivative(&pos, &px, &pu), ns_per_derivative(&pos.clone().without_tables(), &px, &pu));
    println!("  pospischil:     {on:.1} / {off:.1} ({:.2}x)", off / on);

    // A whole run at dt = 0.01 ms over 1 s: RK4, and exponential Euler, which with a fixed
    // step also reads the gates' update factors from a step table built for that step
    // (`HhTab::step_table`).
    let (on, off, c) = (ms_per_run(&hh, Rk4)?, ms_per_run(&hh.clone().without_tables(), Rk4)?, ms_per_run(&cubic, Rk4)?);
    println!("  hodgkin_huxley, RK4 dt = 0.01 ms over 1 s: {on:.1} ms / {off:.1} ms ({:.2}x); cubic at 0.5 mV {c:.1} ms", off / on);
    let (on, off) = (ms_per_run(&hh, ExpEuler)?, ms_per_run(&hh.clone().without_tables(), ExpEuler)?);
    println!(
        "  hodgkin_huxley, exponential Euler dt = 0.01 ms over 1 s (rate and step tables): {on:.1} ms / {off:.1} ms ({:.2}x)",
        off / on
    );
    println!("\nwrote output/lookup_tables.csv");
    Ok(())
}
