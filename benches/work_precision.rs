//! Work-precision sweep of every integration method on spyks' `nakl` model and on classic
//! Hodgkin-Huxley (`benches/compare/hh.yml`), the Rust half of the comparison with spyks 0.7
//! (`benches/compare/spyks_bench.py`; both read `benches/compare/cases.json`).
//!
//! ```text
//! cargo bench --bench work_precision [-- --quick] [-- --models nakl,hh] [-- --methods dopri5,rk4]
//! ```
//!
//! Needs the reference solutions that `spyks_bench.py` writes to
//! `${CARGO_TARGET_DIR:-target}/bench-compare/ref/<model>.csv` (scipy DOP853 at rtol = atol =
//! 1e-12; `benches/compare/run.sh` does everything in order). Writes
//! `${CARGO_TARGET_DIR:-target}/bench-compare/spyks-rs.csv` with the same columns and the same
//! error definitions as `spyks.csv`:
//!
//! - `wall_s`: least wall time of one run over `t_end_ms` in `reps` repetitions after a warm-up
//!   run (model built beforehand; recording every state variable every `max(dt, ref_dt_ms)` ms
//!   included, as spyks' `integrate` returns every state at every output time);
//! - `error_mV`: RMS of V − V_ref over the comparison grid, every s = max(output interval,
//!   ref_dt_ms) ms from 0 to `t_end_ms` (exclusive); `max_err_mV`: max |V − V_ref| there;
//! - `spikes`: upward crossings of `spike_threshold_mV` on that grid; `spike_time_err_ms`: max
//!   |t_k − t_ref_k| with crossings linearly interpolated on the grid for run and reference
//!   alike (`inf` when the counts differ).

use spyks_core::integrate::{BackwardEuler, Dopri5, Euler, ExpEuler, ExpMidpoint, Heun, Rk4, Rosenbrock};
use spyks_core::{NeuronModel, RecordSpec, Signal, SimError, Simulation, Stimulus, Trajectory, Vector};
use std::path::{Path, PathBuf};
use std::time::Instant;

spyks_core::include_model!("../spyks-core/models/spyks/nakl.yml");
spyks_core::include_model!("compare/hh.yml");
// The same two models with their rate functions in cubic lookup tables (step 0.05 mV).
spyks_core::include_model!("compare/nakl_tables.yml");
spyks_core::include_model!("compare/hh_tables.yml");

const COLUMNS: &str = "model,method,setting,wall_s,error_mV,spikes,spike_time_err_ms,max_err_mV,reps";

/// The numbers of one model's case in `cases.json`.
struct Case {
    name: String,
    params: Vec<(String, f64)>,
    iinj: f64,
    t_end: f64,
    ref_dt: f64,
    threshold: f64,
    /// The reference V every `ref_dt` ms from 0.
    v_ref: Vec<f64>,
}

struct Row {
    method: String,
    setting: String,
    wall_s: f64,
    reps: usize,
    err: Errors,
}

#[derive(Clone, Copy)]
struct Errors {
    rms: f64,
    max: f64,
    spikes: usize,
    spike_dt: f64,
}

type Run = Result<Trajectory, SimError>;

/// A run recording into a given trajectory ([`timed`]).
type RunInto = Result<(), SimError>;

struct Options {
    quick: bool,
    models: Option<Vec<String>>,
    /// Only these methods (for profiling one method); all by default.
    methods: Option<Vec<String>>,
}

impl Options {
    fn wants(&self, method: &str) -> bool {
        self.methods.as_ref().is_none_or(|m| m.iter().any(|n| n == method))
    }
}

fn main() {
    let mut opts = Options { quick: false, models: None, methods: None };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--quick" => opts.quick = true,
            "--models" => opts.models = args.next().map(|s| s.split(',').map(str::to_string).collect()),
            "--methods" => opts.methods = args.next().map(|s| s.split(',').map(str::to_string).collect()),
            _ => {} // `cargo bench` passes `--bench`; ignore what is not ours
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let target = if target.is_absolute() { target } else { root.join(target) };
    let out_dir = target.join("bench-compare");
    let cases: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("benches/compare/cases.json")).expect("benches/compare/cases.json"))
            .expect("cases.json is JSON");

    let mut csv = String::from(COLUMNS);
    csv.push('\n');
    for name in ["nakl", "hh"] {
        if opts.models.as_ref().is_some_and(|m| !m.iter().any(|n| n == name)) {
            continue;
        }
        let case = load_case(&cases, name, &out_dir);
        let rows = match name {
            "nakl" => sweep::<Nakl>(&case, &opts).into_iter().chain(sweep_tables::<NaklTables>(&case, &opts)).collect::<Vec<_>>(),
            _ => sweep::<Hh>(&case, &opts).into_iter().chain(sweep_tables::<HhTables>(&case, &opts)).collect(),
        };
        for r in rows {
            csv.push_str(&format!(
                "{},{},{},{},{},{},{},{},{}\n",
                case.name,
                r.method,
                r.setting,
                num(r.wall_s),
                num(r.err.rms),
                r.err.spikes,
                num(r.err.spike_dt),
                num(r.err.max),
                r.reps
            ));
        }
    }
    std::fs::create_dir_all(&out_dir).expect("create the output folder");
    let path = out_dir.join("spyks-rs.csv");
    std::fs::write(&path, csv).expect("write spyks-rs.csv");
    eprintln!("[work_precision] wrote {}", path.strip_prefix(root).unwrap_or(&path).display());
}

fn num(v: f64) -> String {
    if v.is_finite() { format!("{v:e}") } else { "inf".to_string() }
}

fn load_case(cases: &serde_json::Value, name: &str, out_dir: &Path) -> Case {
    let m = &cases["models"][name];
    let f = |v: &serde_json::Value| v.as_f64().expect("a number in cases.json");
    let params = m["params"].as_object().expect("params").iter().map(|(k, v)| (k.clone(), f(v))).collect();
    let ref_path = out_dir.join("ref").join(format!("{name}.csv"));
    let text = std::fs::read_to_string(&ref_path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}. The reference solutions come from benches/compare/spyks_bench.py \
             (`bash benches/compare/run.sh`, or `bench-env/bin/python benches/compare/spyks_bench.py --reference-only`)",
            ref_path.display()
        )
    });
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    assert_eq!(header.get(1), Some(&"V"), "the reference's second column must be V");
    let v_ref = lines.map(|l| l.split(',').nth(1).and_then(|s| s.parse::<f64>().ok()).expect("a number")).collect();
    Case {
        name: name.to_string(),
        params,
        iinj: f(&m["Iinj_pA"]),
        t_end: f(&cases["t_end_ms"]),
        ref_dt: f(&cases["ref_dt_ms"]),
        threshold: f(&cases["spike_threshold_mV"]),
        v_ref,
    }
}

/// Upward crossings of `thr` by samples `v` spaced `s` ms apart, linearly interpolated.
fn crossings(v: &[f64], s: f64, thr: f64) -> Vec<f64> {
    v.windows(2)
        .enumerate()
        .filter(|(_, w)| w[0] < thr && w[1] >= thr)
        .map(|(k, w)| (k as f64 + (thr - w[0]) / (w[1] - w[0])) * s)
        .collect()
}

/// The error metrics of a V trace sampled every `d_out` ms from t = 0 (see the file's doc).
fn errors(v_run: &[f64], d_out: f64, c: &Case) -> Errors {
    let s = d_out.max(c.ref_dt);
    let n = (c.t_end / s - 1e-9).round() as usize;
    let jr = (s / d_out).round() as usize;
    let ir = (s / c.ref_dt).round() as usize;
    assert!((jr as f64 * d_out - s).abs() < 1e-12 && (ir as f64 * c.ref_dt - s).abs() < 1e-12, "output interval off the grid");
    let v: Vec<f64> = v_run.iter().step_by(jr).take(n).copied().collect();
    let vr: Vec<f64> = c.v_ref.iter().step_by(ir).take(n).copied().collect();
    assert!(v.len() == n && vr.len() == n, "trace too short: {} / {} of {n}", v.len(), vr.len());
    let sp = crossings(&v, s, c.threshold);
    let spr = crossings(&vr, s, c.threshold);
    let spike_dt = if sp.len() == spr.len() && !sp.is_empty() {
        sp.iter().zip(&spr).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max)
    } else {
        f64::INFINITY
    };
    let (mut ss, mut mx) = (0.0, 0.0f64);
    for (a, b) in v.iter().zip(&vr) {
        let e = a - b;
        ss += e * e;
        mx = mx.max(e.abs());
    }
    if !ss.is_finite() {
        return Errors { rms: f64::INFINITY, max: f64::INFINITY, spikes: sp.len(), spike_dt: f64::INFINITY };
    }
    Errors { rms: (ss / n as f64).sqrt(), max: mx, spikes: sp.len(), spike_dt }
}

/// Least wall time of `run` after one warm-up run, over at least 3 runs and 0.3 s (at most 30
/// runs), and the last result. The least, not the median: other processes on the machine only
/// ever add time. Every run records into the same trajectory (`run_*_into`), so that no run
/// pays for fresh memory: whether a freed recording's pages go back to the system between
/// runs depends on what else the process holds, and that would be timed with the method.
fn timed(quick: bool, mut run: impl FnMut(&mut Trajectory) -> RunInto) -> (f64, Run, usize) {
    let (min_total, min_reps, max_reps) = if quick { (0.05, 1, 3) } else { (0.3, 3, 30) };
    let mut out = Trajectory::default();
    let mut res = run(&mut out);
    let mut times = Vec::new();
    let mut total = 0.0;
    while times.len() < min_reps || (total < min_total && times.len() < max_reps) {
        let t0 = Instant::now();
        res = std::hint::black_box(run(&mut out));
        let dt = t0.elapsed().as_secs_f64();
        times.push(dt);
        total += dt;
    }
    let k = times.len();
    (times.into_iter().fold(f64::INFINITY, f64::min), res.map(|()| out), k)
}

fn model_for<M: NeuronModel>(c: &Case) -> M {
    let mut p = M::Params::default();
    for (k, v) in &c.params {
        p.set(k, *v).unwrap_or_else(|e| panic!("{}: {e}", c.name));
    }
    M::with_params(p)
}

fn sweep<M: NeuronModel>(c: &Case, opts: &Options) -> Vec<Row> {
    let model = model_for::<M>(c);
    let stim = Stimulus::<M>::new().with("Iinj", Signal::Const(c.iinj)).expect("the model has an input Iinj");
    let sim = Simulation::new(&model, c.t_end).stimulus(stim);
    let v_col = M::State::INFO[0].name;
    assert_eq!(v_col, "V", "V must be the first state variable");
    let mut rows = Vec::new();

    // One timed run: `run` integrates the whole case, recording every `d_out` ms.
    let mut measure = |label: &str, setting: String, d_out: f64, run: &mut dyn FnMut(&Simulation<'_, M>, &mut Trajectory) -> RunInto| {
        if opts.wants(label) {
            let s = sim.clone().record(RecordSpec::all().every(d_out));
            rows.push(row(c, label, setting, timed(opts.quick, |out| run(&s, out)), d_out));
        }
    };
    let mut fixed = |label: &str, dts: &[f64], make: &mut dyn FnMut(&Simulation<'_, M>, f64, &mut Trajectory) -> RunInto| {
        for dt in pick(opts, dts) {
            measure(label, format!("dt={dt}"), dt.max(c.ref_dt), &mut |s, out| make(s, dt, out));
        }
    };
    // Step sizes that divide or are multiples of ref_dt (0.05 ms), so that every run is
    // compared on the same grid.
    fixed("euler", &[0.05, 0.025, 0.01, 0.005, 0.0025, 0.001], &mut |s, dt, out| s.run_fixed_into(&mut Euler::new(), dt, out));
    fixed("heun", &[0.1, 0.05, 0.025, 0.01, 0.005, 0.0025], &mut |s, dt, out| s.run_fixed_into(&mut Heun, dt, out));
    fixed("rk4", &[0.2, 0.1, 0.05, 0.025, 0.01, 0.005], &mut |s, dt, out| s.run_fixed_into(&mut Rk4, dt, out));
    fixed("exp-euler", &[0.1, 0.05, 0.025, 0.01, 0.005, 0.0025, 0.001], &mut |s, dt, out| s.run_fixed_into(&mut ExpEuler, dt, out));
    fixed("exp-midpoint", &[0.1, 0.05, 0.025, 0.01, 0.005, 0.0025, 0.001], &mut |s, dt, out| s.run_fixed_into(&mut ExpMidpoint, dt, out));
    fixed("backward-euler", &[0.1, 0.05, 0.025, 0.01, 0.005, 0.0025, 0.001], &mut |s, dt, out| {
        s.run_fixed_into(&mut BackwardEuler::new(), dt, out)
    });
    fixed("rosenbrock-ros2", &[0.2, 0.1, 0.05, 0.025, 0.01, 0.005, 0.0025], &mut |s, dt, out| {
        s.run_fixed_into(&mut Rosenbrock::ros2(), dt, out)
    });
    fixed("rosenbrock-ros34pw2", &[0.2, 0.1, 0.05, 0.025, 0.01, 0.005], &mut |s, dt, out| {
        s.run_fixed_into(&mut Rosenbrock::ros34pw2(), dt, out)
    });
    // Adaptive Dormand-Prince 5(4) with rtol = atol (as spyks' 1e-5/1e-5), recording by dense
    // output every ref_dt ms (as spyks' integrate(x0, 0.05)).
    for (label, timing) in DOPRI_VARIANTS {
        for tol in pick(opts, &DOPRI_TOLERANCES) {
            let solver = dopri(tol, timing);
            measure(label, format!("tol={tol:e}"), c.ref_dt, &mut |s, out| s.run_adaptive_into(&solver, out));
        }
    }
    rows
}

/// The tolerances of the Dormand-Prince sweeps.
const DOPRI_TOLERANCES: [f64; 12] = [1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6, 3e-7, 1e-7, 3e-8, 1e-8, 1e-9];

/// The Dormand-Prince methods of [`sweep`] (the suffix `-tables` is added for
/// [`sweep_tables`]), and whether V has a timing tolerance.
const DOPRI_VARIANTS: [(&str, bool); 2] = [("dopri5", false), ("dopri5-timing", true)];

/// V's timing tolerance (ms) per unit of tolerance in the `-timing` methods: τ = 300·tol, so
/// 3e-4 ms at tol = 1e-6 (chosen on the error of a Python copy of the controller on both
/// models, among 100, 300 and 1000; see [`Dopri5::timing_tol`]).
const TIMING_PER_TOL: f64 = 300.0;

/// Dormand-Prince with rtol = atol = `tol`, and V's timing tolerance when `timing`.
fn dopri(tol: f64, timing: bool) -> Dopri5 {
    let solver = Dopri5::new().tolerances(tol, tol);
    if timing { solver.timing_tol("V", TIMING_PER_TOL * tol) } else { solver }
}

/// Dormand-Prince on the model with lookup tables (`*_tables.yml`), as the methods
/// `dopri5-tables` and `dopri5-timing-tables`: the same case, errors against the exact
/// model's reference.
fn sweep_tables<M: NeuronModel>(c: &Case, opts: &Options) -> Vec<Row> {
    let labels = DOPRI_VARIANTS.map(|(method, timing)| (format!("{method}-tables"), timing));
    if !labels.iter().any(|(label, _)| opts.wants(label)) {
        return Vec::new();
    }
    // Built once here (`with_params` builds no tables), not in every timed run.
    let mut model = model_for::<M>(c);
    model.refresh().expect("the tables build");
    let stim = Stimulus::<M>::new().with("Iinj", Signal::Const(c.iinj)).expect("the model has an input Iinj");
    let sim = Simulation::new(&model, c.t_end).stimulus(stim).record(RecordSpec::all().every(c.ref_dt));
    let mut rows = Vec::new();
    for (label, timing) in labels.iter().filter(|(label, _)| opts.wants(label)) {
        for tol in pick(opts, &DOPRI_TOLERANCES) {
            let solver = dopri(tol, *timing);
            rows.push(row(c, label, format!("tol={tol:e}"), timed(opts.quick, |out| sim.run_adaptive_into(&solver, out)), c.ref_dt));
        }
    }
    rows
}

/// The settings to run: all of them, or the middle one with `--quick`.
fn pick(opts: &Options, all: &[f64]) -> Vec<f64> {
    if opts.quick { vec![all[all.len() / 2]] } else { all.to_vec() }
}

/// The row of one timed run ([`timed`]'s least time, result and repetitions): its work
/// printed, and its errors against the case's reference on the `d_out` grid.
fn row(c: &Case, label: &str, setting: String, (wall, tr, reps): (f64, Run, usize), d_out: f64) -> Row {
    let err = match &tr {
        Ok(tr) => {
            let st = tr.stats;
            eprintln!(
                "[work_precision] {} {label} {setting}: {} steps, {} rejected, {} evaluations, {} Jacobians",
                c.name, st.steps, st.rejected, st.evaluations, st.jacobians
            );
            errors(tr.column("V").expect("V recorded"), d_out, c)
        }
        Err(e) => {
            eprintln!("[work_precision] {} {label} {setting}: the run failed: {e}", c.name);
            Errors { rms: f64::INFINITY, max: f64::INFINITY, spikes: 0, spike_dt: f64::INFINITY }
        }
    };
    report(&c.name, label, &setting, wall, &err);
    Row { method: label.to_string(), setting, wall_s: wall, reps, err }
}

fn report(model: &str, method: &str, setting: &str, wall: f64, e: &Errors) {
    eprintln!(
        "[work_precision] {model:5} {method:20} {setting:12} {:9.3} ms  rms {:.3e} mV  spikes {}  dt_spike {:.2e} ms",
        wall * 1e3,
        e.rms,
        e.spikes,
        e.spike_dt
    );
}
