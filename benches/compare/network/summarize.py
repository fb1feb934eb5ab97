"""Joins the raw records of run.sh into results.json and results.md.

results.json: a list of records, one per (tool, workload, n), the run with the least
simulation time kept. Other tools' records (e.g. spyks) can be appended with the same keys:
tool, workload, n, synapses, build_s, sim_s, total_s, rate_exc, rate_inh, rate_all,
peak_rss_mib. results.md: one table with both tools side by side and the NEST/Brian2 ratio.

    python summarize.py results.raw.jsonl [more.jsonl ...]
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ORDER = {"cuba": 0, "coba": 1, "izhikevich": 2, "hh": 3}


def load(paths):
    best = {}
    for p in paths:
        with open(p) as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                r = json.loads(line)
                k = (r["tool"], r["workload"], r["n"])
                if k not in best or r["sim_s"] < best[k]["sim_s"]:
                    best[k] = r
    return sorted(best.values(), key=lambda r: (ORDER.get(r["workload"], 9), r["n"], r["tool"]))


def fmt(x, d=2):
    return "-" if x is None else f"{x:.{d}f}"


def table(records):
    by = {(r["workload"], r["n"], r["tool"]): r for r in records}
    keys = sorted({(r["workload"], r["n"]) for r in records}, key=lambda k: (ORDER.get(k[0], 9), k[1]))
    lines = [
        "| workload | N | synapses | Brian2 sim (s) | Brian2 build / compile (s) | Brian2 total (s) "
        "| NEST sim (s) | NEST build (s) | NEST total (s) | NEST/Brian2 sim | rate Brian2 / NEST (Hz) "
        "| peak RSS Brian2 / NEST (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for wl, n in keys:
        b = by.get((wl, n, "brian2"))
        s = by.get((wl, n, "nest"))
        syn = (b or s)["synapses"]
        ratio = s["sim_s"] / b["sim_s"] if b and s else None
        lines.append(
            f"| {wl} | {n} | {syn} | {fmt(b and b['sim_s'], 3)} "
            f"| {fmt(b and b['build_s'])} / {fmt(b and b.get('compile_s'))} | {fmt(b and b['total_s'])} "
            f"| {fmt(s and s['sim_s'], 3)} | {fmt(s and s['build_s'])} | {fmt(s and s['total_s'])} "
            f"| {fmt(ratio, 1)} | {fmt(b and b['rate_all'])} / {fmt(s and s['rate_all'])} "
            f"| {fmt(b and b['peak_rss_mib'], 0)} / {fmt(s and s['peak_rss_mib'], 0)} |")
    return "\n".join(lines)


def main():
    records = load(sys.argv[1:])
    with open(os.path.join(HERE, "results.json"), "w") as f:
        json.dump(records, f, indent=1, sort_keys=True)
        f.write("\n")
    r0 = records[0]
    versions = sorted({f"{r['tool']} {r['version']}" for r in records})
    md = [
        "# Network comparison: Brian2 and NEST",
        "",
        f"Measured {r0['date']} on one machine ({', '.join(versions)}, Python {r0['python']}), "
        "one thread each. Brian2 in C++ standalone mode: sim = its own timing of the run loop; "
        "build = Python-side construction and code generation plus the binary's set-up "
        "(synapse creation); compile (make) is apart and not in total. NEST: build = creating "
        "nodes and connections, sim = nest.Run. Peak RSS: Brian2 = the simulation binary alone; "
        "NEST = the whole Python process (about 88 MiB of it is Python and NEST's library "
        "before anything is built). Rates are the population mean over all neurons for the one "
        "seed (1) timed here; see tests/data/network for rates over 10 seeds.",
        "",
        table(records),
        "",
    ]
    with open(os.path.join(HERE, "results.md"), "w") as f:
        f.write("\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
