"""Runs a NEST network single-threaded and times it.

`build_s` covers creating nodes and connections (after `import nest`), `sim_s` is
nest.Simulate, `total_s` both. `peak_rss_mib` is this process's VmHWM (Python and NEST's
library included); `baseline_rss_mib` is VmHWM right after `import nest`, before building.
"""
import os
import time

os.environ.setdefault("PYNEST_QUIET", "1")
import nest  # noqa: E402

from common import emit, vm_hwm_mib  # noqa: E402


def run(workload, args, dt, build, n_exc, n_inh):
    """`build()` creates the network and returns (spike recorder, exc nodes, number of synapses)."""
    baseline = vm_hwm_mib()
    nest.verbosity = nest.VerbosityLevel.ERROR
    nest.ResetKernel()
    nest.local_num_threads = 1
    nest.resolution = dt
    nest.rng_seed = args.seed
    t0 = time.perf_counter()
    sr, exc, n_syn = build()
    nest.Prepare()
    t1 = time.perf_counter()
    nest.Run(args.duration)
    t2 = time.perf_counter()
    nest.Cleanup()
    senders = sr.get("events")["senders"]
    first_exc = exc.tolist()[0]
    ce = int(((senders >= first_exc) & (senders < first_exc + n_exc)).sum())
    ci = int(len(senders) - ce)
    t = args.duration / 1000.0
    rec = {"tool": "nest", "workload": workload, "n": n_exc + n_inh, "seed": args.seed,
           "duration_ms": args.duration, "version": nest.__version__, "threads": 1,
           "synapses": int(n_syn),
           "build_s": t1 - t0, "sim_s": t2 - t1, "total_s": t2 - t0,
           "peak_rss_mib": vm_hwm_mib(), "baseline_rss_mib": baseline,
           "rate_exc": ce / (n_exc * t), "rate_inh": ci / (n_inh * t) if n_inh else None,
           "rate_all": (ce + ci) / ((n_exc + n_inh) * t)}
    return emit(rec)

