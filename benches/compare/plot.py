#!/usr/bin/env python3
"""Plots the work-precision comparison and writes its summary.

    bench-env/bin/python benches/compare/plot.py [--out-dir docs]

Reads ${CARGO_TARGET_DIR:-target}/bench-compare/spyks.csv (spyks 0.7, from spyks_bench.py) and
spyks-rs.csv (ours, from `cargo bench --bench work_precision`); writes <out-dir>/work-precision.png
and <out-dir>/work-precision.md.

Times are shown relative to spyks 0.7's own `integrate()` (Dormand-Prince, tolerances 1e-5,
output every 0.05 ms) on the same model, so the numbers do not depend on the machine.
Runs whose spike count differs from the reference's are not plotted (the error is then
meaningless: a spike missing or added). "At equal accuracy" compares, for a given error level,
the least time any method of a side needs to reach it, interpolated log-log between
consecutive settings of the same method.
"""
import argparse
import csv
import datetime
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
TARGET = os.environ.get("CARGO_TARGET_DIR", "target")
if not os.path.isabs(TARGET):
    TARGET = os.path.join(ROOT, TARGET)
DATA = os.path.join(TARGET, "bench-compare")

BASELINE = ("spyks-dopri5", "dt_out=0.05")
# What spyks 0.7 offers as it is; odeint-dopri5-tol (its C++ with the tolerance edited) is not.
SHIPPED = ("spyks-dopri5", "spyks-dopri5-opt", "spyks-step-rk5")
MODELS = [("nakl", "spyks nakl (C = 1 pF, 20 pA)"), ("hh", "Hodgkin-Huxley (100 µm² patch, 10 pA)")]
LEVELS = [1.0, 1e-1, 1e-2, 1e-3, 1e-4]

SPYKS_STYLE = {
    "spyks-dopri5": dict(color="black", marker="s", label="spyks 0.7 integrate() (dopri5, tol 1e-5; output dt varied)"),
    "spyks-dopri5-opt": dict(color="dimgray", marker="D", label="spyks 0.7, spykscc --optimize"),
    "spyks-step-rk5": dict(color="tab:brown", marker="v", label="spyks 0.7 step() loop (fixed-step RK5, dt varied)"),
    "odeint-dopri5-tol": dict(color="darkgray", marker="o", label="spyks' C++ with odeint tolerance edited (not a spyks option)"),
}


def read(path, side):
    rows = []
    with open(path) as fp:
        for r in csv.DictReader(fp):
            for k in ("wall_s", "error_mV", "spike_time_err_ms", "max_err_mV"):
                r[k] = float(r[k])
            r["spikes"] = int(r["spikes"])
            r["side"] = side
            rows.append(r)
    return rows


def merge_rounds(stem):
    """Merges <stem>.round<i>.csv into <stem>.csv: per (model, method, setting), the row of the
    round with the least wall time (the errors are the same in every round), with reps summed."""
    import glob

    paths = sorted(glob.glob(os.path.join(DATA, f"{stem}.round*.csv")))
    if not paths:
        return
    best, order, reps = {}, [], {}
    for path in paths:
        with open(path) as fp:
            rd = csv.DictReader(fp)
            cols = rd.fieldnames
            for r in rd:
                k = (r["model"], r["method"], r["setting"])
                if k not in best:
                    order.append(k)
                reps[k] = reps.get(k, 0) + int(r["reps"])
                if k not in best or float(r["wall_s"]) < float(best[k]["wall_s"]):
                    best[k] = r
    with open(os.path.join(DATA, f"{stem}.csv"), "w", newline="") as fp:
        w = csv.DictWriter(fp, fieldnames=cols)
        w.writeheader()
        for k in order:
            w.writerow(dict(best[k], reps=reps[k]))
    print(f"plot.py: merged {len(paths)} round(s) into {stem}.csv")


def setting_value(s):
    return float(s.split("=", 1)[1])


def valid(r):
    return math.isfinite(r["error_mV"]) and math.isfinite(r["spike_time_err_ms"]) and r["error_mV"] > 0


def curves(rows):
    """{method: [rows sorted by wall time]} of valid rows."""
    out = {}
    for r in rows:
        if valid(r):
            out.setdefault(r["method"], []).append(r)
    for v in out.values():
        v.sort(key=lambda r: r["wall_s"])
    return out


def time_at(rows, level, key="error_mV"):
    """Least wall time at which some method of `rows` reaches error <= level, interpolating
    log-log between consecutive settings of a method; (time, method) or (inf, None)."""
    best = (math.inf, None)
    for method, pts in curves(rows).items():
        pts = sorted(pts, key=lambda r: setting_value(r["setting"]))
        for r in pts:
            if r[key] <= level and r["wall_s"] < best[0]:
                best = (r["wall_s"], method)
        for a, b in zip(pts, pts[1:]):
            ea, eb = a[key], b[key]
            lo, hi = sorted((ea, eb))
            if lo < level < hi and ea != eb:
                f = (math.log(level) - math.log(ea)) / (math.log(eb) - math.log(ea))
                t = math.exp(math.log(a["wall_s"]) + f * (math.log(b["wall_s"]) - math.log(a["wall_s"])))
                if t < best[0]:
                    best = (t, method)
    return best


def fmt_ratio(x):
    if not math.isfinite(x):
        return "–"
    return f"{x:.2f}" if x < 10 else f"{x:.0f}"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out-dir", default=os.path.join(ROOT, "docs"))
    p.add_argument("--merge-rounds", action="store_true",
                   help="first merge spyks.round*.csv into spyks.csv and spyks-rs.round*.csv into spyks-rs.csv, "
                   "keeping each run's least time over the rounds")
    a = p.parse_args()
    if a.merge_rounds:
        merge_rounds("spyks")
        merge_rounds("spyks-rs")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    spyks = read(os.path.join(DATA, "spyks.csv"), "spyks")
    ours = read(os.path.join(DATA, "spyks-rs.csv"), "ours")
    os.makedirs(a.out_dir, exist_ok=True)

    fig, axes = plt.subplots(2, len(MODELS), figsize=(13, 10), squeeze=False)
    cmap = plt.get_cmap("tab10")
    our_methods = sorted({r["method"] for r in ours}, key=lambda m: [r["method"] for r in ours].index(m))
    # tab10 without the brown and grey of spyks' lines, then darker colours so that no two of our
    # methods share one.
    palette = [cmap(i) for i in (0, 1, 2, 3, 4, 6, 8, 9)] + ["navy", "darkgreen", "crimson", "darkgoldenrod"]
    our_style = {m: dict(color=palette[i % len(palette)], marker="o^v<>pP*hX"[i % 10], label=f"ours: {m}") for i, m in enumerate(our_methods)}
    md_rows = {}
    for col, (model, title) in enumerate(MODELS):
        srows = [r for r in spyks if r["model"] == model]
        orows = [r for r in ours if r["model"] == model]
        base = [r for r in srows if (r["method"], r["setting"]) == BASELINE]
        if not base:
            print(f"plot.py: no spyks baseline {BASELINE} for {model}", file=sys.stderr)
            continue
        base = base[0]
        t0 = base["wall_s"]
        for row, (key, ylabel) in enumerate([("error_mV", "RMS error of V (mV)"), ("spike_time_err_ms", "max spike-time error (ms)")]):
            ax = axes[row][col]
            for side_rows, styles, ls in ((srows, SPYKS_STYLE, "--"), (orows, our_style, "-")):
                for method, pts in curves(side_rows).items():
                    pts = sorted(pts, key=lambda r: setting_value(r["setting"]))
                    st = dict(styles.get(method, dict(color="k", marker="x", label=method)))
                    ax.plot([r["wall_s"] / t0 for r in pts], [max(r[key], 1e-12) for r in pts], ls=ls, ms=5, lw=1.2, **st)
            ax.plot([1], [max(base[key], 1e-12)], marker="*", ms=16, color="red", ls="", label="spyks 0.7 default (output dt 0.05 ms)", zorder=5)
            ax.axvline(0.2, color="red", lw=0.8, ls=":", label="5x faster than spyks 0.7 default")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.grid(True, which="both", alpha=0.3)
            ax.set_xlabel("wall time relative to spyks 0.7 default (1 = spyks integrate(), output dt 0.05 ms)")
            ax.set_ylabel(ylabel)
            if row == 0:
                ax.set_title(title)
        # summary numbers
        levels = [("spyks 0.7 default's error", base["error_mV"])] + [(f"{lv:g} mV", lv) for lv in LEVELS]
        lines = []
        shipped = [r for r in srows if r["method"] in SHIPPED]
        for label, lv in levels:
            ts, ms = time_at(shipped, lv)
            ta, ma = time_at(srows, lv)
            to, mo = time_at(orows, lv)
            lines.append((label, lv, ts / t0, ms, ta / t0, ma, to / t0, mo))
        md_rows[model] = (base, lines)
    handles = {}
    for ax in axes.flat:
        for h, l in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(l, h)
    fig.legend(handles.values(), handles.keys(), loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.suptitle("Work-precision: spyks-rs vs spyks 0.7 (1 s of model time, constant current; lower left is better)")
    fig.tight_layout(rect=(0, 0.12, 1, 0.97))
    png = os.path.join(a.out_dir, "work-precision.png")
    fig.savefig(png, dpi=110)
    print(f"plot.py: wrote {os.path.relpath(png, ROOT)}")
    write_md(a.out_dir, md_rows, ours, spyks)


def git_rev():
    """The commit, with "-dirty" when files other than this script's own outputs differ from
    it (the plot is written before the page that names the commit)."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    try:
        rev = git("describe", "--always")
        changed = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs/work-precision.md", ":!docs/work-precision.png")
        return rev + ("-dirty" if changed else "")
    except OSError:
        return "?"


def write_md(out_dir, md_rows, ours, spyks):
    o = []
    o.append("# Work-precision: spyks-rs against spyks 0.7\n")
    o.append("![work-precision plot](work-precision.png)\n")
    o.append(
        "Error against wall time for every integration method, on spyks' `nakl` model (C = 1 pF, "
        "20 pA) and classic Hodgkin-Huxley (`benches/compare/hh.yml`, a 100 µm² patch, 10 pA), "
        "1 s of model time from the models' initial states, side by side with spyks 0.7.0 itself "
        "(its generated C++, compiled by its own `spykscc`). Reproduce with "
        "`bash benches/compare/run.sh` (cases in `benches/compare/cases.json`).\n"
    )
    o.append(
        "Times are ratios to spyks 0.7's `integrate()` (boost::odeint Dormand-Prince 5(4) at its "
        "fixed tolerances 1e-5, output every 0.05 ms), measured on the same machine in the same run "
        "(each time is the least over repetitions and over rounds that alternate the two sides); "
        "absolute times depend on the machine. Errors are against a DOP853 solution at rtol = atol = "
        "1e-12 (scipy), on a 0.05 ms grid: RMS of V - V_ref in mV, and the largest spike-time "
        "difference. \"Time to reach\" is the least time any method of that side needs for an RMS "
        "error at or below the level (log-log interpolation between a method's settings); a "
        "speed-up above 1 means ours is faster.\n"
    )
    for model, (base, lines) in md_rows.items():
        o.append(f"\n## {model}\n")
        o.append(
            f"spyks 0.7 default: RMS error {base['error_mV']:.3g} mV, spike-time error "
            f"{base['spike_time_err_ms']:.2g} ms, {base['spikes']} spikes.\n"
        )
        opt = [r for r in spyks if r["model"] == model and (r["method"], r["setting"]) == ("spyks-dopri5-opt", BASELINE[1])]
        to = lines[0][6]
        if math.isfinite(to) and to > 0:
            head = f"At spyks 0.7's default accuracy, ours takes **{to:.2f}x** the time of spyks' `integrate()`"
            if opt:
                head += f" and **{to * base['wall_s'] / opt[0]['wall_s']:.2f}x** that of its `spykscc --optimize` build"
            o.append(head + f" (speed-up {1 / to:.2f}x; the target is 5x).\n")
        o.append("| RMS error level | spyks 0.7 as shipped: time (method) | spyks' C++, any tolerance: time (method) | ours: time (method) | speed-up vs shipped | speed-up vs any tolerance |")
        o.append("| --- | --- | --- | --- | --- | --- |")
        for label, lv, ts, ms, ta, ma, to, mo in lines:
            if label.startswith("spyks"):
                label = f"{lv:.3g} mV ({label})"

            def sp(x):
                return f"**{fmt_ratio(x)}x**" if math.isfinite(x) else "–"

            o.append(
                f"| {label} | {fmt_ratio(ts)} ({ms or 'not reached'}) | {fmt_ratio(ta)} ({ma or 'not reached'}) | "
                f"{fmt_ratio(to)} ({mo or 'not reached'}) | {sp(ts / to)} | {sp(ta / to)} |"
            )
        o.append("")
        o.append("<details><summary>every run</summary>\n")
        o.append("| side | method | setting | time (rel.) | RMS error (mV) | max error (mV) | spikes | spike-time error (ms) |")
        o.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for r in [r for r in spyks if r["model"] == model] + [r for r in ours if r["model"] == model]:
            o.append(
                f"| {'spyks 0.7' if r['side'] == 'spyks' else 'ours'} | {r['method']} | {r['setting']} | "
                f"{r['wall_s'] / base['wall_s']:.3g} | {r['error_mV']:.3g} | {r['max_err_mV']:.3g} | {r['spikes']} | "
                f"{r['spike_time_err_ms']:.2g} |"
            )
        o.append("\n</details>\n")
    o.append(
        "\nMethods. spyks 0.7: `integrate()` (dense-output Dormand-Prince, tolerances fixed at 1e-5, "
        "so only the output interval can vary), the same built with `spykscc --optimize`, and its "
        "`step()` (one fixed Dormand-Prince step per Python call, the only fixed-step option for "
        "continuous models). `odeint-dopri5-tol` is spyks' generated C++ with odeint's tolerance "
        "edited, which spyks does not offer, as a yardstick for its compiled C++ at other "
        "accuracies. Ours: every fixed-step method at several dt (the recording interval is "
        "max(dt, 0.05 ms)) and the adaptive methods at several tolerances (rtol = atol = tol; the "
        "`-timing` methods also give V a timing tolerance of 300·tol ms, `Dopri5::timing_tol`; the "
        "`-tables` methods read the rate functions from cubic lookup tables). Runs with a wrong spike "
        "count are left out of the plot.\n"
    )
    o.append(f"\nGenerated by `benches/compare/plot.py` on {datetime.date.today().isoformat()} at commit {git_rev()}.\n")
    path = os.path.join(out_dir, "work-precision.md")
    with open(path, "w") as fp:
        fp.write("\n".join(o))
    print(f"plot.py: wrote {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    main()
