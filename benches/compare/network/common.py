"""Helpers shared by the Brian2 and NEST scripts of the network comparison.

Every script prints one JSON record on its last line of standard output:
tool, workload, n, synapses, build_s, compile_s, sim_s, total_s, rates (Hz) and peak memory.
"""
import argparse
import json
import os
import platform
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def workloads():
    """The shared parameter file."""
    with open(os.path.join(HERE, "workloads.json")) as f:
        return json.load(f)


def arguments(workload, with_mode=False):
    """Command line: size, seed, duration override and (Brian2) the device."""
    w = workloads()[workload]
    p = argparse.ArgumentParser(description=f"{workload} network comparison")
    p.add_argument("--n", type=int, default=w["sizes"][0], help="number of neurons")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--duration", type=float, default=w["duration"], help="ms")
    if with_mode:
        p.add_argument("--mode", choices=["standalone", "runtime"], default="standalone")
        p.add_argument("--build-dir", default=os.path.join(ROOT, "bench-env-network", "standalone"))
    return p.parse_args(), w


def vm_hwm_mib():
    """Peak resident set size of this process (VmHWM), MiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def rates(spike_counts_exc, n_exc, spike_counts_inh, n_inh, duration_ms):
    """Mean population rates in Hz."""
    t = duration_ms / 1000.0
    r = {}
    r["rate_exc"] = spike_counts_exc / (n_exc * t) if n_exc else None
    r["rate_inh"] = spike_counts_inh / (n_inh * t) if n_inh else None
    r["rate_all"] = (spike_counts_exc + spike_counts_inh) / ((n_exc + n_inh) * t)
    return r


def emit(record):
    """Prints the record as one JSON line (and returns it)."""
    record.setdefault("host", platform.node())
    record.setdefault("python", platform.python_version())
    record.setdefault("date", time.strftime("%Y-%m-%d"))
    print(json.dumps(record, sort_keys=True), flush=True)
    sys.stdout.flush()
    return record
