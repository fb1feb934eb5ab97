"""A population of independent neurons of a spyks 0.7 YAML model in Brian2, exponential Euler.

The YAML file is read here (with PyYAML) and turned into Brian2 equations with Brian2's own
units, so that Brian2 checks every dimension: the membrane equation `V: expr` becomes
`dV/dt = expr : volt`, a gate given by `inf`/`tau` becomes `dx/dt = (x_inf - x)/x_tau`, one
given by `alpha`/`beta` becomes `dx/dt = x_alpha*(1 - x) - x_beta*x`. Parameters and the
forcing keep the file's values and units; every neuron gets the constant current of the
workload (`I_inj`, pA) and starts from the file's initial state. Spikes are upward crossings of
`spike_threshold` (with refractory='V > threshold', so each spike counts once).

Used by brian2_pospischil.py and brian2_biocm.py.
"""
import os
import re

import brian2 as b2
import yaml

import brian2_common
from common import ROOT, arguments

#: Units the spyks model files use, in Brian2's names.
UNITS = {"mV": "mV", "V": "volt", "pA": "pA", "nA": "nA", "nS": "nS", "uS": "uS", "mS": "mS",
         "pF": "pF", "nF": "nF", "uF": "uF", "ms": "ms", "s": "second", "um": "um"}


def quantity(text):
    """'290 pF', '11.6 ms^-1', '0.26 1/ms', '0.85', '123e-5 1/ms' as a Brian2 quantity."""
    text = str(text).strip()
    m = re.match(r"^([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*(.*)$", text)
    if not m:
        raise ValueError(f"cannot read the quantity {text!r}")
    value, unit = float(m.group(1)), m.group(2).strip()
    if not unit:
        return value
    unit = unit.replace("^", "**")
    expr = re.sub(r"[A-Za-z]+", lambda w: UNITS[w.group(0)], unit)
    if expr.startswith("1/"):
        expr = "1/(" + expr[2:] + ")"
    return value * eval(expr, {n: getattr(b2, n) for n in set(UNITS.values())})


def brian2_unit_name(q):
    """The Brian2 unit string of a state variable's initial value ('volt' or '1')."""
    return "1" if isinstance(q, float) else repr(b2.get_unit(q.dim))


def equations(model):
    """Brian2 equations and the initial state of a spyks model dictionary."""
    lines, init = [], {}
    for name, value in model["state"].items():
        init[name] = quantity(value)
    for name, eq in model["equations"].items():
        unit = brian2_unit_name(init[name])
        if isinstance(eq, str):
            lines.append(f"d{name}/dt = {' '.join(eq.split())} : {unit}")
        elif "inf" in eq and "tau" in eq:
            lines.append(f"d{name}/dt = ({name}_inf - {name})/{name}_tau : {unit}")
            lines.append(f"{name}_inf = {eq['inf']} : 1")
            lines.append(f"{name}_tau = {eq['tau']} : second")
        elif "alpha" in eq and "beta" in eq:
            lines.append(f"d{name}/dt = {name}_alpha*(1 - {name}) - {name}_beta*{name} : {unit}")
            lines.append(f"{name}_alpha = {eq['alpha']} : hertz")
            lines.append(f"{name}_beta = {eq['beta']} : hertz")
        else:
            raise ValueError(f"equation of {name}: neither an expression, inf/tau nor alpha/beta")
    return "\n".join(lines), init


def main(workload):
    args, w = arguments(workload, with_mode=True)
    with open(os.path.join(ROOT, w["model_file"])) as f:
        model = yaml.safe_load(f)
    n = args.n

    def build():
        b2.defaultclock.dt = w["dt"] * b2.ms
        eqs, init = equations(model)
        ns = {name: quantity(v) for name, v in model["parameters"].items()}
        forcing = list(model.get("forcing", {}))
        if len(forcing) != 1:
            raise ValueError("this script drives models with exactly one forcing term")
        ns[forcing[0]] = w["I_inj"] * b2.pA
        ns["vthr"] = w["spike_threshold"] * b2.mV
        v = list(model["state"])[0]
        G = b2.NeuronGroup(n, eqs, threshold=f"{v} > vthr", refractory=f"{v} > vthr",
                           method=w["method_brian2"], namespace=ns)
        for name, value in init.items():
            setattr(G, name, value)
        mon = b2.SpikeMonitor(G, record=False)
        return b2.Network(G, mon), mon, []

    brian2_common.run(workload, args, build, n, 0)
