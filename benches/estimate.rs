//! The cost of one cost-and-gradient evaluation of a least-squares fit, against the same run
//! without sensitivities: spyks' `nakl` and classic Hodgkin-Huxley, 1 s of data sampled every
//! 0.02 ms (RK4 at that step), the gradient with respect to six parameters (the three maximal
//! conductances and three reversal potentials), as a fit of them needs it.
//! `cargo bench --bench estimate`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use spyks::estimate::{ForwardSensitivity, SensitivityRun};
use spyks::integrate::Rk4;
use spyks::presets::hodgkin_huxley::{HodgkinHuxley, UA_PER_CM2};
use spyks::presets::spyks::Nakl;
use spyks::{NeuronModel, RecordSpec, Signal, Simulation, Stimulus};

/// Time step and sampling interval (ms), and the length of the data (ms).
const DT: f64 = 0.02;
const T_END: f64 = 1000.0;

/// A multi-level step current: `levels` (model units) held for 50 ms each, in turn.
fn steps(levels: &[f64]) -> Signal {
    let values: Vec<f64> = (0..=(T_END / 50.0) as usize).map(|k| levels[k % levels.len()]).collect();
    Signal::sampled(50.0, values, spyks::Interp::Nearest)
}

fn bench_model<M: NeuronModel>(c: &mut Criterion, name: &str, model: M, input: &str, current: Signal, params: &[&str]) {
    let stim = Stimulus::new().with(input, current).expect("the model's input");
    let sim = Simulation::new(&model, T_END).stimulus(stim).record(RecordSpec::all().every(DT));
    let mut g = c.benchmark_group(format!("estimate/{name}"));
    g.sample_size(10).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(4));
    g.bench_function("run (no sensitivities)", |b| b.iter(|| black_box(sim.run_fixed(&mut Rk4, DT).expect("run"))));
    let mut fs = ForwardSensitivity::<M>::new(params, &[]).expect("parameter names");
    let mut out = SensitivityRun::default();
    let p = *model.params();
    g.bench_function("cost and gradient (6 parameters)", |b| {
        b.iter(|| {
            fs.run_into(&sim, &p, DT, &mut out).expect("run");
            // The cost and its gradient against a zero trace: r·r and 2 Sᵀr over the samples.
            let (n, k) = (out.n_states(), out.n_thetas());
            let mut cost = 0.0;
            let mut grad = vec![0.0; k];
            for s in 0..out.len() {
                let r = out.sample(s)[0];
                cost += r * r;
                let sens = out.sample_sensitivity(s);
                for (j, gj) in grad.iter_mut().enumerate() {
                    *gj += 2.0 * r * sens[n * j];
                }
            }
            black_box((cost, grad))
        })
    });
    g.finish();
}

fn estimate(c: &mut Criterion) {
    bench_model(c, "nakl", Nakl::new(), "Iinj", steps(&[0.0, 40.0, 120.0, 20.0, 80.0]), &["gna", "gk", "gl", "Ena", "Ek", "El"]);
    let ua = UA_PER_CM2;
    bench_model(
        c,
        "hh",
        HodgkinHuxley::new(),
        "I",
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
