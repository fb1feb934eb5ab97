//! The cost of one cost-and-gradient evaluation of a least-squares fit (`TraceCost`, the
//! model's own trace as the data), against the same run without sensitivities: spyks' `nakl` and classic Hodgkin-Huxley, 1 s of data sampled every
//! 0.02 ms (RK4 at that step), the gradient with respect to six parameters (the three maximal
//! conductances and three reversal potentials), as a fit of them needs it.
//! `cargo bench --bench estimate`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use spyks::estimate::{Free, Recording, TraceCost};
use spyks::integrate::Rk4;
use spyks::presets::hodgkin_huxley::{HodgkinHuxley, UA_PER_CM2};
use spyks::presets::spyks::Nakl;
use spyks::{NeuronModel, RecordSpec, Signal, Simulation, Stimulus, Vector};

/// Time step and sampling interval (ms), and the length of the data (ms).
const DT: f64 = 0.02;
const T_END: f64 = 1000.0;

/// A multi-level step current: `levels` (model units) held for 50 ms each, in turn.
fn steps(levels: &[f64]) -> Signal {
    let values: Vec<f64> = (0..=(T_END / 50.0) as usize).map(|k| levels[k % levels.len()]).collect();
    Signal::sampled(50.0, values, spyks::Interp::Nearest)
}

/// The model's own trace under `current` as the data (recorded in mV, the current in
/// `unit`), fitted through `TraceCost` for `params`.
fn bench_model<M: NeuronModel>(c: &mut Criterion, name: &str, model: M, input: &str, unit: &str, current: Signal, params: &[&str]) {
    let stim = Stimulus::new().with(input, current).expect("the model's input");
    let v_name = M::State::INFO[0].name;
    let sim = Simulation::new(&model, T_END).stimulus(stim.clone()).record(RecordSpec::all().every(DT));
    let trace = sim.run_fixed(&mut Rk4, DT).expect("run");
    let i_in = M::Inputs::index_of(input).expect("the model's input");
    let samples: Vec<f64> = trace.times.iter().map(|&t| stim.at(t).get_index(i_in).unwrap_or(0.0)).collect();
    let recording = Recording::new(DT, trace.column(v_name).expect("V").to_vec(), "mV", samples, unit).expect("recording");
    let mut cost = TraceCost::new(&model, &recording, input, v_name, params.iter().map(|p| Free::param(p)).collect()).expect("cost");
    let z = cost.z0();
    let mut g = c.benchmark_group(format!("estimate/{name}"));
    g.sample_size(10).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(4));
    g.bench_function("run (no sensitivities)", |b| b.iter(|| black_box(sim.run_fixed(&mut Rk4, DT).expect("run"))));
    g.bench_function("cost and gradient (6 parameters)", |b| b.iter(|| black_box(cost.cost_and_gradient(&z).expect("cost"))));
    g.finish();
}

fn estimate(c: &mut Criterion) {
    bench_model(c, "nakl", Nakl::new(), "Iinj", "pA", steps(&[0.0, 40.0, 120.0, 20.0, 80.0]), &["gna", "gk", "gl", "Ena", "Ek", "El"]);
    let ua = UA_PER_CM2;
    bench_model(
        c,
        "hh",
        HodgkinHuxley::new(),
        "I",
        "pA/um^2",
        steps(&[0.0, 4.0 * ua, 12.0 * ua, 2.0 * ua, 8.0 * ua]),
        &["g_Na", "g_K", "g_L", "E_Na", "E_K", "E_L"],
    );
}

// No HTML plots: they need system fonts, and the numbers are what matters here.
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = estimate
}
criterion_main!(benches);
