#!/usr/bin/env python3
"""Work-precision benchmark of spyks 0.7 (the Python original), the other half of
benches/work_precision.rs.

Run from the repo root with the interpreter of bench-env/ (see setup.sh):

    bench-env/bin/python benches/compare/spyks_bench.py [--quick] [--models nakl,hh]

For each model in benches/compare/cases.json it

1. compiles the model with spyks' own `spykscc` into ${CARGO_TARGET_DIR:-target}/bench-compare/
   spyks-build/ (as spyks 0.7 builds it: c++ -O3, and a second build with spykscc --optimize);
2. computes a reference solution with scipy's solve_ivp (DOP853, rtol = atol = 1e-12) on spyks'
   compiled right-hand side, sampled every ref_dt_ms, and writes it to
   target/bench-compare/ref/<model>.csv (Rust's bench reads the same file);
3. times every way spyks 0.7 offers to integrate a continuous model:
   - `integrate(x0, dt)`: boost::odeint dense-output Dormand-Prince 5(4), tolerances fixed at
     1e-5 inside spyks, at several output intervals dt (method `spyks-dopri5`, and
     `spyks-dopri5-opt` for the `spykscc --optimize` build);
   - `step(x, t, dt)` called from a Python loop: one fixed Dormand-Prince step per call, the
     only fixed-step method spyks has for continuous models (method `spyks-step-rk5`);
   - as a yardstick that spyks 0.7 itself does not offer, the same generated C++ with the
     odeint tolerance edited from 1e-5 to other values (method `odeint-dopri5-tol`): this is
     what spyks' compiled C++ could reach if the tolerance were a setting.
   spyks' resetting Euler is for models with a reset; nakl and hh have none.
4. writes target/bench-compare/spyks.csv.

Columns (the same in spyks-rs.csv):
  model, method, setting, wall_s, error_mV, spikes, spike_time_err_ms, max_err_mV, reps
where
  wall_s            least wall time of one run over t_end_ms (model construction excluded,
                    output array included) in `reps` repetitions after a warm-up run;
  error_mV          RMS over the comparison grid of V - V_ref. The comparison grid is every
                    s = max(output interval, ref_dt_ms) ms from 0 to t_end_ms (exclusive);
  max_err_mV        max |V - V_ref| over the same grid (spike peaks included);
  spikes            upward crossings of spike_threshold_mV on the comparison grid;
  spike_time_err_ms max |t_k - t_ref_k| over spikes, crossing times linearly interpolated on the
                    comparison grid for the run and for the reference alike; inf if the spike
                    counts differ.
"""
import argparse
import csv
import hashlib
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
TARGET = os.environ.get("CARGO_TARGET_DIR", "target")
if not os.path.isabs(TARGET):
    TARGET = os.path.join(ROOT, TARGET)
OUT = os.path.join(TARGET, "bench-compare")
BUILD = os.path.join(OUT, "spyks-build")
REFDIR = os.path.join(OUT, "ref")

COLUMNS = ["model", "method", "setting", "wall_s", "error_mV", "spikes", "spike_time_err_ms", "max_err_mV", "reps"]

# Output intervals (ms) for spyks' integrate(); all divide or are multiples of ref_dt_ms = 0.05.
DOPRI_DT_OUT = [0.2, 0.1, 0.05, 0.025, 0.01]
STEP_DT = [0.1, 0.05, 0.025, 0.01]
PATCHED_TOL = [1e-3, 3e-4, 1e-4, 3e-5, 3e-6, 1e-6, 3e-7, 1e-7, 3e-8, 1e-8, 1e-9]
REF_TOL = 1e-12


def load_cases():
    with open(os.path.join(HERE, "cases.json")) as fp:
        return json.load(fp)


# ---------------------------------------------------------------------------- building


def spyks_cpp(model, yml):
    """Generates <model>.cpp with spykscc (no compile); returns its path."""
    d = os.path.join(BUILD, model, "src")
    os.makedirs(d, exist_ok=True)
    cpp = os.path.join(d, model + ".cpp")
    ymlpath = os.path.join(ROOT, yml)
    if not os.path.exists(cpp) or os.path.getmtime(cpp) < os.path.getmtime(ymlpath):
        run_spykscc(["--skip-compile", ymlpath, d])
    return cpp


def run_spykscc(args):
    exe = os.path.join(os.path.dirname(sys.executable), "spykscc")
    r = subprocess.run([exe] + args, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stdout + r.stderr)
        raise SystemExit("spykscc failed")


def built_module(d, model):
    import sysconfig

    return os.path.join(d, model + sysconfig.get_config_var("EXT_SUFFIX"))


def build_variant(model, yml, variant):
    """Builds one variant and returns its folder. Variants: 'default' (spykscc), 'opt'
    (spykscc --optimize), 'tol=<x>' (spykscc's C++ with odeint's 1e-5 replaced by x)."""
    d = os.path.join(BUILD, model, variant)
    os.makedirs(d, exist_ok=True)
    so = built_module(d, model)
    ymlpath = os.path.join(ROOT, yml)
    if os.path.exists(so) and os.path.getmtime(so) >= os.path.getmtime(ymlpath):
        return d
    print(f"[spyks_bench] compiling {model} ({variant})", flush=True)
    if variant == "default":
        run_spykscc([ymlpath, d])
    elif variant == "opt":
        run_spykscc(["--optimize", ymlpath, d])
    elif variant.startswith("tol="):
        tol = float(variant[4:])
        src = open(spyks_cpp(model, yml)).read()
        needle = "ode::make_dense_output(1.0e-5, 1.0e-5,"
        assert needle in src, "spyks' generated C++ changed: cannot patch the tolerance"
        cpp = os.path.join(d, model + ".cpp")
        with open(cpp, "w") as fp:
            fp.write(src.replace(needle, f"ode::make_dense_output({tol!r}, {tol!r},"))
        # spyks' own build function (c++ -O3 -std=c++11 ...), in a child to keep its output quiet.
        code = "import sys; from spyks.build import build_module; build_module(*sys.argv[1:])"
        r = subprocess.run([sys.executable, "-c", code, cpp, model, d], capture_output=True, text=True)
        if r.returncode != 0:
            sys.stderr.write(r.stdout + r.stderr)
    else:
        raise ValueError(variant)
    if not os.path.exists(so):
        raise SystemExit(f"build of {model} ({variant}) failed")
    return d


def import_from(d, model):
    sys.path.insert(0, d)
    try:
        import importlib

        return importlib.import_module(model)
    finally:
        sys.path.remove(d)


def model_setup(cases, name):
    """Parameter vector, initial state and forcing for one model case."""
    from spyks.core import load_model, to_array

    c = cases["models"][name]
    desc = load_model(os.path.join(ROOT, c["yml"]))
    pnames = [k for k, _ in desc["parameters"]]
    params = to_array(desc["parameters"])
    for k, v in c["params"].items():
        params[pnames.index(k)] = v
    x0 = to_array(desc["state"])
    t_end = cases["t_end_ms"]
    # One forcing sample held for the whole run: spyks' integrate() runs to N * forcing_dt.
    forcing = np.full((1, 1), c["Iinj_pA"], dtype="d")
    return np.ascontiguousarray(params), x0, forcing, t_end


# ---------------------------------------------------------------------------- reference


def reference(cases, name, mod):
    """V on the grid of ref_dt_ms (and the other states), cached by a hash of the inputs."""
    from scipy.integrate import solve_ivp

    c = cases["models"][name]
    key = hashlib.sha256()
    key.update(open(os.path.join(ROOT, c["yml"]), "rb").read())
    key.update(json.dumps([c, cases["t_end_ms"], cases["ref_dt_ms"], REF_TOL], sort_keys=True).encode())
    key = key.hexdigest()[:16]
    os.makedirs(REFDIR, exist_ok=True)
    path = os.path.join(REFDIR, name + ".csv")
    meta = os.path.join(REFDIR, name + ".json")
    if os.path.exists(path) and os.path.exists(meta) and json.load(open(meta)).get("key") == key:
        return np.loadtxt(path, delimiter=",", skiprows=1)
    params, x0, forcing, t_end = model_setup(cases, name)
    m = mod.model(params, forcing, t_end)
    n = int(round(t_end / cases["ref_dt_ms"]))
    t = np.arange(n + 1) * cases["ref_dt_ms"]

    def rhs(tt, x):
        return m(x, tt)

    sols = {}
    t0 = time.perf_counter()
    for tol in (REF_TOL, 10 * REF_TOL):
        print(f"[spyks_bench] {name}: reference solve_ivp DOP853 rtol=atol={tol:g}", flush=True)
        s = solve_ivp(rhs, (0.0, t_end), x0, method="DOP853", rtol=tol, atol=tol, t_eval=t)
        assert s.success, s.message
        sols[tol] = s.y.T
    dev = float(np.max(np.abs(sols[REF_TOL][:, 0] - sols[10 * REF_TOL][:, 0])))
    print(f"[spyks_bench] {name}: reference done in {time.perf_counter() - t0:.1f} s; "
          f"max |V(1e-12) - V(1e-11)| = {dev:.2e} mV", flush=True)
    data = np.column_stack([t, sols[REF_TOL]])
    from spyks.core import load_model

    states = [k for k, _ in load_model(os.path.join(ROOT, c["yml"]))["state"]]
    np.savetxt(path, data, delimiter=",", header=",".join(["t"] + states), comments="", fmt="%.17g")
    json.dump({"key": key, "method": f"scipy solve_ivp DOP853 rtol=atol={REF_TOL:g} on spyks' compiled RHS",
               "max_abs_dV_vs_rtol_1e-11_mV": dev, "Iinj_pA": c["Iinj_pA"], "t_end_ms": t_end},
              open(meta, "w"), indent=1)
    return data


# ---------------------------------------------------------------------------- metrics


def crossings(v, s, thr):
    """Upward crossings of thr by samples v spaced s ms apart, linearly interpolated."""
    a, b = v[:-1], v[1:]
    k = np.nonzero((a < thr) & (b >= thr))[0]
    return (k + (thr - a[k]) / (b[k] - a[k])) * s


def errors(v_run, d_out, ref, cases):
    """Error metrics of a V trace sampled every d_out ms from t = 0 (see the module doc)."""
    g = cases["ref_dt_ms"]
    t_end = cases["t_end_ms"]
    s = max(d_out, g)
    n = int(round(t_end / s - 1e-9))  # samples k*s for k < n (t < t_end)
    jr, ir = int(round(s / d_out)), int(round(s / g))
    assert abs(jr * d_out - s) < 1e-12 and abs(ir * g - s) < 1e-12, "output interval not on the grid"
    v = np.asarray(v_run)[: n * jr : jr]
    vr = ref[: n * ir : ir, 1]
    assert len(v) == n and len(vr) == n, (len(v), len(vr), n)
    e = v - vr
    thr = cases["spike_threshold_mV"]
    sp, spr = crossings(v, s, thr), crossings(vr, s, thr)
    st = float(np.max(np.abs(sp - spr))) if len(sp) == len(spr) and len(sp) > 0 else float("inf")
    if not np.all(np.isfinite(e)):
        return dict(error_mV=float("inf"), max_err_mV=float("inf"), spikes=len(sp), spike_time_err_ms=float("inf"))
    return dict(error_mV=float(np.sqrt(np.mean(e * e))), max_err_mV=float(np.max(np.abs(e))),
                spikes=len(sp), spike_time_err_ms=st)


def timed(fn, min_total=0.3, min_reps=3, max_reps=30):
    """Least wall time of fn() over the repetitions (after one warm-up run), and the last
    result. The least, not the median: other processes on the machine only ever add time."""
    out = fn()
    times = []
    total = 0.0
    while len(times) < min_reps or (total < min_total and len(times) < max_reps):
        t0 = time.perf_counter()
        out = fn()
        dt = time.perf_counter() - t0
        times.append(dt)
        total += dt
    return min(times), out, len(times)


# ---------------------------------------------------------------------------- worker


def worker(name, variant, d, quick):
    """Runs in its own process (every build of a model defines the same C++ types, which
    pybind11 cannot register twice in one process). Prints one JSON row per line."""
    cases = load_cases()
    mod = import_from(d, name)
    ref = np.loadtxt(os.path.join(REFDIR, name + ".csv"), delimiter=",", skiprows=1)
    params, x0, forcing, t_end = model_setup(cases, name)
    m = mod.model(params, forcing, t_end)  # `params` stays referenced: spyks keeps a raw pointer
    rows = []
    kw = dict(min_total=0.05, min_reps=1, max_reps=3) if quick else {}

    if variant in ("default", "opt"):
        method = "spyks-dopri5" if variant == "default" else "spyks-dopri5-opt"
        for dt in ([0.05] if quick else DOPRI_DT_OUT):
            w, X, reps = timed(lambda: m.integrate(x0, dt), **kw)
            rows.append(dict(method=method, setting=f"dt_out={dt:g}", wall_s=w, reps=reps, **errors(X[:, 0], dt, ref, cases)))
    else:
        dt = 0.05
        w, X, reps = timed(lambda: m.integrate(x0, dt), **kw)
        rows.append(dict(method="odeint-dopri5-tol", setting=f"tol={variant[4:]}", wall_s=w, reps=reps,
                         **errors(X[:, 0], dt, ref, cases)))

    if variant == "default":
        for dt in ([0.05] if quick else STEP_DT):
            n = int(round(t_end / dt))

            def loop():
                mm = mod.model(params, forcing, t_end)  # fresh stepper (it keeps FSAL state)
                out = np.empty((n, len(x0)))
                x = x0
                for i in range(n):
                    out[i] = x
                    x = mm.step(x, i * dt, dt)
                return out

            w, X, reps = timed(loop, **(kw or dict(min_total=0.3, min_reps=1, max_reps=3)))
            rows.append(dict(method="spyks-step-rk5", setting=f"dt={dt:g}", wall_s=w, reps=reps, **errors(X[:, 0], dt, ref, cases)))
    for r in rows:
        r["model"] = name
        print(json.dumps(r), flush=True)


# ---------------------------------------------------------------------------- main


def fmt(v):
    if isinstance(v, float):
        return repr(v) if np.isfinite(v) else "inf"
    return str(v)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", default=None, help="comma-separated subset of cases.json's models")
    p.add_argument("--quick", action="store_true", help="one setting per method, few repetitions (smoke test)")
    p.add_argument("--reference-only", action="store_true", help="only build the default modules and write the references")
    p.add_argument("--worker", nargs=3, metavar=("MODEL", "VARIANT", "DIR"), help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.worker:
        return worker(*a.worker, quick=a.quick)

    cases = load_cases()
    names = a.models.split(",") if a.models else list(cases["models"])
    rows = []
    for name in names:
        yml = cases["models"][name]["yml"]
        d = build_variant(name, yml, "default")
        reference(cases, name, import_from(d, name))
        if a.reference_only:
            continue
        variants = ["default", "opt"] + [f"tol={t:g}" for t in (PATCHED_TOL[1::2] if a.quick else PATCHED_TOL)]
        for v in variants:
            dv = build_variant(name, yml, v)
            cmd = [sys.executable, os.path.abspath(__file__), "--worker", name, v, dv] + (["--quick"] if a.quick else [])
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                sys.stderr.write(r.stderr)
                raise SystemExit(f"worker {name} {v} failed")
            for line in r.stdout.splitlines():
                row = json.loads(line)
                rows.append(row)
                print(f"[spyks_bench] {name:5s} {row['method']:18s} {row['setting']:14s} "
                      f"{row['wall_s'] * 1e3:9.2f} ms  rms {row['error_mV']:.3e} mV  "
                      f"spikes {row['spikes']}  dt_spike {row['spike_time_err_ms']:.2e} ms", flush=True)
    if a.reference_only:
        return
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "spyks.csv")
    with open(path, "w", newline="") as fp:
        w = csv.writer(fp)
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([fmt(r[c]) for c in COLUMNS])
    print(f"[spyks_bench] wrote {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    main()
