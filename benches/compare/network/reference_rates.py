"""Reference population rates for the Rust network tests.

Runs the Brian2 (C++ standalone, one thread) and NEST scripts of CUBA and COBA at N = 4000
and of the Izhikevich network for the seeds in workloads.json, and writes the mean and the
sample standard deviation over seeds of the exc, inh and all rates to
tests/data/network/brian2_rates.json and tests/data/network/nest_rates.json, with every run.

    bench-env-network/bin/python benches/compare/network/reference_rates.py
"""
import json
import os
import statistics
import subprocess
import sys
import time

from common import HERE, ROOT, workloads

CASES = [("cuba", 4000), ("coba", 4000), ("izhikevich", 1000)]


def one(tool, workload, n, seed):
    cmd = [sys.executable, os.path.join(HERE, f"{tool}_{workload}.py"), "--n", str(n),
           "--seed", str(seed)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    seeds = workloads()["reference_seeds"]
    out_dir = os.path.join(ROOT, "tests", "data", "network")
    os.makedirs(out_dir, exist_ok=True)
    for tool in ["brian2", "nest"]:
        doc = {"tool": tool, "date": time.strftime("%Y-%m-%d"), "seeds": seeds, "workloads": {}}
        for workload, n in CASES:
            runs = []
            for s in seeds:
                r = one(tool, workload, n, s)
                print(tool, workload, s, r["rate_exc"], r["rate_inh"], r["rate_all"], flush=True)
                runs.append(r)
            doc["version"] = runs[0]["version"]
            entry = {"n": n, "duration_ms": runs[0]["duration_ms"],
                     "mode": runs[0].get("mode", "nest"), "runs": []}
            for key in ["rate_exc", "rate_inh", "rate_all"]:
                vals = [r[key] for r in runs]
                entry[key] = {"mean": statistics.fmean(vals), "sd": statistics.stdev(vals),
                              "min": min(vals), "max": max(vals)}
            entry["synapses_mean"] = statistics.fmean(r["synapses"] for r in runs)
            entry["runs"] = [{"seed": r["seed"], "rate_exc": r["rate_exc"],
                              "rate_inh": r["rate_inh"], "rate_all": r["rate_all"],
                              "synapses": r["synapses"]} for r in runs]
            doc["workloads"][workload] = entry
        with open(os.path.join(out_dir, f"{tool}_rates.json"), "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
