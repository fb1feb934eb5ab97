"""Runs a Brian2 network in C++ standalone mode (single thread) or runtime mode and times it.

Standalone timing: `python_s` is the Python side of building (objects, code generation),
`compile_s` the C++ compilation (make), `binary_setup_s` the part of the binary's wall time
that is not the simulation loop (creating synapses, initial values, writing results) and
`sim_s` Brian2's own measurement of the run loop (last_run_info.txt). `build_s` is
python_s + binary_setup_s; `total_s` is build_s + sim_s (compilation excluded, reported apart;
`total_with_compile_s` includes it). `peak_rss_mib` is the peak RSS of the simulation binary.
"""
import json
import os
import shutil
import sys
import tempfile
import time

import brian2 as b2

from common import HERE, emit, vm_hwm_mib


def ei_network(P, n_exc, p, ns):
    """The CUBA/COBA wiring of group P: its first n_exc neurons excite (`ge += we`), the rest
    inhibit (`gi += wi`), each pair connected with probability p; returns what `build()`
    returns to `run` (network, spike monitor, synapses)."""
    Ce = b2.Synapses(P, P, on_pre="ge += we", namespace=ns)
    Ci = b2.Synapses(P, P, on_pre="gi += wi", namespace=ns)
    Ce.connect(f"i<{n_exc}", p=p)
    Ci.connect(f"i>={n_exc}", p=p)
    mon = b2.SpikeMonitor(P, record=False)
    return b2.Network(P, Ce, Ci, mon), mon, [Ce, Ci]

def run(workload, args, build, n_exc, n_inh):
    """`build()` creates the objects and returns (spike monitor, synapse objects list)."""
    t0 = time.perf_counter()
    standalone = args.mode == "standalone"
    if standalone:
        directory = os.path.join(args.build_dir, f"{workload}-{args.n}")
        os.makedirs(directory, exist_ok=True)
        b2.set_device("cpp_standalone", directory=directory, build_on_run=False)
        b2.prefs.devices.cpp_standalone.openmp_threads = 0
        rss_file = os.path.join(tempfile.mkdtemp(), "rss.json")
        os.environ["RSS_WRAPPER_OUT"] = rss_file
        b2.prefs.devices.cpp_standalone.run_cmd_unix = [
            sys.executable,
            os.path.join(HERE, "rss_wrapper.py"),
            "./main",
        ]
    else:
        b2.prefs.codegen.target = "cython"
    b2.seed(args.seed)
    net, mon, synapses = build()
    net.run(args.duration * b2.ms)
    t1 = time.perf_counter()
    rec = {"tool": "brian2", "workload": workload, "n": args.n, "seed": args.seed,
           "duration_ms": args.duration, "version": b2.__version__}
    if standalone:
        b2.device.build(directory=directory, compile=True, run=True, with_output=False)
        t2 = time.perf_counter()
        with open(rss_file) as f:
            binary = json.load(f)
        shutil.rmtree(os.path.dirname(rss_file), ignore_errors=True)
        compile_s = b2.device.timers["compile"]["make"] + (b2.device.timers["compile"]["clean"] or 0.0)
        sim_s = b2.device._last_run_time
        codegen_s = (t2 - t1) - compile_s - b2.device.timers["run_binary"]
        python_s = (t1 - t0) + codegen_s
        binary_setup_s = binary["wall_s"] - sim_s
        rec.update(mode="cpp_standalone", threads=1, python_s=python_s, compile_s=compile_s,
                   binary_setup_s=binary_setup_s, build_s=python_s + binary_setup_s,
                   sim_s=sim_s, total_s=python_s + binary_setup_s + sim_s,
                   total_with_compile_s=python_s + binary_setup_s + sim_s + compile_s,
                   peak_rss_mib=binary["maxrss_mib"], peak_rss_python_mib=vm_hwm_mib())
    else:
        t2 = time.perf_counter()
        rec.update(mode="runtime_cython", threads=1, total_s=t2 - t0, peak_rss_mib=vm_hwm_mib())
    counts = mon.count[:]
    ce = int(counts[:n_exc].sum())
    ci = int(counts[n_exc:].sum())
    t = args.duration / 1000.0
    rec["synapses"] = int(sum(len(s) for s in synapses))
    rec["rate_exc"] = ce / (n_exc * t)
    rec["rate_inh"] = ci / (n_inh * t) if n_inh else None
    rec["rate_all"] = (ce + ci) / ((n_exc + n_inh) * t)
    return emit(rec)
