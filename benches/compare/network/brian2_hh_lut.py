"""The `hh` workload with the six rate functions read from lookup tables by lut4brian 0.1.

lut4brian (PyPI) gives Brian2 a function `lutinterpol(x, k)` that interpolates row k of a table
linearly between grid points (clamping outside the grid), from a C file it writes into the
working directory; the table is set as module variables `tbl`, `Xmin`, `Xmax`, `dX`. Here the
rows are alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n (1/ms) of V (mV) on the grid of the
`hh_lut` workload, the grid our tabulated Hodgkin-Huxley uses. Everything else is
brian2_hh.py. lut4brian writes lut4brian.c to the current directory and reads it from there
(its path is fixed when it is imported), so the script works in the Brian2 build directory.
"""
import os

import numpy as np

from common import ROOT, arguments

args, w = arguments("hh_lut", with_mode=True)
work = os.path.join(args.build_dir, f"hh_lut-{args.n}-table")
os.makedirs(work, exist_ok=True)
os.chdir(work)

import brian2 as b2  # noqa: E402
from brian2 import mV, ms, nS, pA, pF  # noqa: E402
import lut4brian.lut4brian as lut  # noqa: E402

import brian2_common  # noqa: E402

n_neurons = args.n


def rates(v):
    """The classic HH rates (1/ms) at v (mV), as brian2_hh.py writes them."""
    xm, xn = (v + 40.0) / 10.0, (v + 55.0) / 10.0
    with np.errstate(invalid="ignore", divide="ignore"):
        am = np.where(xm == 0, 1.0, xm / -np.expm1(-xm))
        an = np.where(xn == 0, 0.1, 0.1 * xn / -np.expm1(-xn))
    return np.array([am, 4 * np.exp(-(v + 65) / 18), 0.07 * np.exp(-(v + 65) / 20),
                     1 / (1 + np.exp(-(v + 35) / 10)), an, 0.125 * np.exp(-(v + 65) / 80)])


def build():
    lo, hi, step = w["table_min"], w["table_max"], w["table_step"]
    grid = lo + step * np.arange(int(round((hi - lo) / step)) + 1)
    lut.tbl, lut.Xmin, lut.Xmax, lut.dX = rates(grid), lo, hi, step
    lut.lutinit()
    b2.defaultclock.dt = w["dt"] * ms
    ns = dict(C=w["C"] * pF, gna=w["g_na"] * nS, gk=w["g_k"] * nS, gl=w["g_l"] * nS,
              Ena=w["E_na"] * mV, Ek=w["E_k"] * mV, El=w["E_l"] * mV, I=w["I_inj"] * pA,
              vthr=w["spike_threshold"] * mV, lutinterpol=lut.lutinterpol)
    eqs = """
    dv/dt = (gna*m**3*h*(Ena - v) + gk*n**4*(Ek - v) + gl*(El - v) + I)/C : volt
    dm/dt = alpha_m*(1 - m) - beta_m*m : 1
    dh/dt = alpha_h*(1 - h) - beta_h*h : 1
    dn/dt = alpha_n*(1 - n) - beta_n*n : 1
    alpha_m = lutinterpol(v/mV, 0)/ms : Hz
    beta_m = lutinterpol(v/mV, 1)/ms : Hz
    alpha_h = lutinterpol(v/mV, 2)/ms : Hz
    beta_h = lutinterpol(v/mV, 3)/ms : Hz
    alpha_n = lutinterpol(v/mV, 4)/ms : Hz
    beta_n = lutinterpol(v/mV, 5)/ms : Hz
    """
    G = b2.NeuronGroup(n_neurons, eqs, threshold="v > vthr", refractory="v > vthr",
                       method=w["method_brian2"], namespace=ns)
    G.v = w["v0"] * mV
    r = rates(np.array([w["v0"]]))[:, 0]
    G.m, G.h, G.n = r[0] / (r[0] + r[1]), r[2] / (r[2] + r[3]), r[4] / (r[4] + r[5])
    mon = b2.SpikeMonitor(G, record=False)
    return b2.Network(G, mon), mon, []


brian2_common.run("hh_lut", args, build, n_neurons, 0)
