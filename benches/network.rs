//! Criterion benchmarks of the network workloads of the Brian2 and NEST comparison
//! (`benches/common/network_workloads.rs`), single-threaded: building each network
//! (`build/...`) and simulating it (`simulate/...`, the full duration from a freshly built
//! network, building excluded). `cargo bench --bench network [-- FILTER]`.
//! For one JSON record per workload with peak memory, see `examples/network_bench.rs`.

#[path = "common/network_workloads.rs"]
mod workloads;

use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use workloads::Workload;

fn network(c: &mut Criterion) {
    let mut build = c.benchmark_group("build");
    build.sample_size(10).warm_up_time(Duration::from_millis(200)).measurement_time(Duration::from_secs(2));
    for w in Workload::all() {
        build.bench_function(format!("{}/{}", w.name, w.n), |b| {
            b.iter(|| spyks::network::with_threads(1, || w.build(1).expect("valid workload")).expect("thread pool"))
        });
    }
    build.finish();
    let mut sim = c.benchmark_group("simulate");
    sim.sample_size(10).warm_up_time(Duration::from_millis(100)).measurement_time(Duration::from_secs(5));
    // Not in the comparison: a second conductance-based population for the block update.
    let extra = Workload::new("pospischil", 10000).expect("known workload");
    for w in Workload::all().into_iter().chain([extra]) {
        sim.bench_function(format!("{}/{}", w.name, w.n), |b| {
            b.iter_batched(
                || w.build(1).expect("valid workload").0,
                |mut net| spyks::network::with_threads(1, || net.run(w.duration)).expect("thread pool").expect("run"),
                BatchSize::PerIteration,
            )
        });
    }
    sim.finish();
}

// No HTML plots: they need system fonts, and the numbers are what matters here.
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = network
}
criterion_main!(benches);
