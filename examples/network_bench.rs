//! The network benchmark workloads timed once each, one JSON record per workload on standard
//! output, in the record format of the Brian2 and NEST comparison
//! (`benches/compare/network/`), so that the records join by (workload, n).
//!
//! ```text
//! cargo run --release --example network_bench                 # every workload
//! cargo run --release --example network_bench -- cuba 16000   # one
//! cargo run --release --example network_bench -- hh 10000 10  # one, 10 ms only
//! SPYKS_LANES=off cargo run --release --example network_bench -- hh 10000  # one neuron at a time
//! CUBA_METHOD=rk4 cargo run --release --example network_bench -- cuba 4000  # CUBA with RK4 (default: the exact propagator)
//! ```
//!
//! `SPYKS_LANES` (`off`, `sse2`, `avx2`, or unset for the best the processor has) selects how
//! populations integrate blocks of neurons (see `spyks_core::network`'s block update).
//!
//! Every workload runs in a fresh process (this program re-runs itself), so that the peak
//! resident memory (VmHWM) is that workload's alone. Single-threaded (or `THREADS`), seed 1
//! (or `SEED`).
//! Build time is everything before the run: populations, initial values, connectivity,
//! weights; simulation time is `Network::run`.

#[path = "../benches/common/network_workloads.rs"]
mod workloads;

use std::process::Command;
use std::time::Instant;

use workloads::{CubaMethod, Workload, names};

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// The number of threads: `THREADS`, or one.
fn threads() -> Result<usize, String> {
    match std::env::var("THREADS") {
        Ok(s) => s.parse().map_err(|_| format!("THREADS must be a number of threads, not `{s}`")),
        Err(_) => Ok(1),
    }
}

fn run_one(w: Workload, seed: u64) -> Result<String, Box<dyn std::error::Error>> {
    let (n, n_e) = (w.n, w.n_exc());
    let threads = threads()?;
    let (build_s, sim_s, synapses, rates) = spyks::network::with_threads(threads, || -> Result<_, spyks::network::NetworkError> {
        let t0 = Instant::now();
        let (mut net, spikes) = w.build(seed)?;
        let build_s = t0.elapsed().as_secs_f64();
        let t1 = Instant::now();
        net.run(w.duration)?;
        let sim_s = t1.elapsed().as_secs_f64();
        let sm = net.spikes(spikes)?;
        let rate = |r: std::ops::Range<usize>| -> Result<String, spyks::network::NetworkError> {
            Ok(if r.is_empty() { "null".to_string() } else { format!("{}", sm.mean_rate(r, w.duration)?) })
        };
        Ok((build_s, sim_s, net.synapse_count(), [rate(0..n)?, rate(0..n_e)?, rate(n_e..n)?]))
    })??;
    Ok(format!(
        "{{\"build_s\": {build_s}, \"duration_ms\": {}, \"n\": {n}, \"peak_rss_mib\": {}, \"rate_all\": {}, \"rate_exc\": {}, \
         \"rate_inh\": {}, \"seed\": {seed}, \"sim_s\": {sim_s}, \"synapses\": {synapses}, \"threads\": {threads}, \"tool\": \"spyks\", \
         \"total_s\": {}, \"version\": \"{}\", \"workload\": \"{}\"}}",
        w.duration,
        peak_rss_mib(),
        rates[0],
        rates[1],
        rates[2],
        build_s + sim_s,
        env!("CARGO_PKG_VERSION"),
        w.name
    ))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seed: u64 = std::env::var("SEED").ok().map(|s| s.parse()).transpose()?.unwrap_or(1);
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [name, n, rest @ ..] = args.as_slice()
        && rest.len() <= 1
    {
        let mut w = Workload::new(name, n.parse()?).ok_or_else(|| {
            format!("no workload `{name}` of {n} neurons ({}; izhikevich has 1000)", names().collect::<Vec<_>>().join(", "))
        })?;
        if let Some(d) = rest.first() {
            w.duration = d.parse()?;
        }
        if let Ok(m) = std::env::var("CUBA_METHOD") {
            w.cuba_method = CubaMethod::parse(&m).ok_or_else(|| format!("unknown CUBA_METHOD `{m}` (linear, rk4)"))?;
        }
        println!("{}", run_one(w, seed)?);
        return Ok(());
    }
    if !args.is_empty() {
        return Err("usage: network_bench [WORKLOAD N [DURATION_MS]]".into());
    }
    let exe = std::env::current_exe()?;
    for w in Workload::all() {
        let out = Command::new(&exe).arg(w.name).arg(w.n.to_string()).output()?;
        if !out.status.success() {
            return Err(format!("{} N={}: {}", w.name, w.n, String::from_utf8_lossy(&out.stderr)).into());
        }
        print!("{}", String::from_utf8_lossy(&out.stdout));
    }
    Ok(())
}
