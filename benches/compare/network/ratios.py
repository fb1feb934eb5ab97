"""Prints the table of side_by_side.sh: per workload and size, the least simulation time of
each tool over the repeats, the ratios Brian2/spyks and NEST/spyks (above 1: spyks faster),
total times, rates and peak memory. A spyks-only workload with `compare_with` in
workloads.json (lookup tables, fused multiply-adds) is set against the other tools' runs of
that workload.

    python ratios.py side_by_side.jsonl
"""
import json
import os
import sys


def main(path):
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "workloads.json")) as f:
        workloads = json.load(f)
    best = {}
    order = []
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            key = (r["workload"], r["n"])
            if key not in order:
                order.append(key)
            k = key + (r["tool"],)
            if k not in best or r["sim_s"] < best[k]["sim_s"]:
                best[k] = r

    def cell(r, field, d=3):
        return "-" if r is None or r.get(field) is None else f"{r[field]:.{d}f}"

    print("| workload | N | sim s: spyks / Brian2 / NEST | Brian2/spyks sim | NEST/spyks sim "
          "| total s: spyks / Brian2 / NEST | rate Hz: spyks / Brian2 / NEST | peak RSS MiB: spyks / Brian2 / NEST |")
    print("|---|---:|---|---:|---:|---|---|---|")
    for wl, n in order:
        s, b, e = (best.get((wl, n, t)) for t in ("spyks", "brian2", "nest"))
        base = workloads.get(wl, {}).get("compare_with")
        if base and b is None and e is None:
            # spyks only: against the other tools' runs of the workload it stands for.
            b, e = (best.get((base, n, t)) for t in ("brian2", "nest"))
        ratio = lambda o: "-" if o is None or s is None else f"{o['sim_s'] / s['sim_s']:.2f}"
        print(f"| {wl} | {n} | {cell(s, 'sim_s')} / {cell(b, 'sim_s')} / {cell(e, 'sim_s')} "
              f"| {ratio(b)} | {ratio(e)} "
              f"| {cell(s, 'total_s')} / {cell(b, 'total_s')} / {cell(e, 'total_s')} "
              f"| {cell(s, 'rate_all', 2)} / {cell(b, 'rate_all', 2)} / {cell(e, 'rate_all', 2)} "
              f"| {cell(s, 'peak_rss_mib', 0)} / {cell(b, 'peak_rss_mib', 0)} / {cell(e, 'peak_rss_mib', 0)} |")


if __name__ == "__main__":
    main(sys.argv[1])
