#!/usr/bin/env python3
"""Independent reference for the Izhikevich presets: spike times of the published protocols.

Transcribed by hand (plain Python 3, no dependencies) from two MATLAB scripts:

* ``figure1.m``, published by E. M. Izhikevich with "Which model to use for cortical spiking
  neurons?", IEEE Trans. Neural Netw. 15:1063-1070 (2004), Fig. 1: the twenty panels (A)-(T),
  each with its parameters, initial state, step ``tau``, duration and input.
* ``izhi2003.m`` of ModelDB accession 39948 ("Artificial neuron model (Izhikevich 2003, 2004,
  2007)"), which draws Fig. 2 of "Simple model of spiking neurons", IEEE Trans. Neural Netw.
  14:1569-1572 (2003): the eight panels RS, IB, CH, FS, TC (tonic, from rest), TC (rebound
  burst, from a hyperpolarised state), RZ and LTS, in the same scheme as figure1.m.

Scheme of both scripts ("euler"): for t in 0:tau:T (T/tau + 1 steps), the input I(t) is
evaluated at the step's start t, then
    V = V + tau*(0.04*V^2 + 5*V + 140 - u + I)      (0.04*V^2 + 4.1*V + 108 in panels G, L)
    u = u + tau*a*(b*V - u)                         (new V; tau*a*(b*(V+65)) in panel R)
    if V > 30: V = c; u = u + d                     (the script records t, the step's start)
with u0 = b*V0 (u0 = -16 in panel R).

The eight 2003 classes are also run in the scheme of the paper's own network script
``net.m`` (2003, "net"): dt = 1 ms, v advanced in two half steps of 0.5 ms, then u with the
new v; a spike is v >= 30 found at the start of the next iteration and recorded at that
iteration's time, i.e. at the end of the step in which v crossed.

Times: this transcription uses t = k*tau in binary floating point, as the Rust driver does.
MATLAB's colon operator may differ from k*tau in the last bit; the script checks that the
input sequences do not change when t is instead the correctly rounded decimal k*tau, so that
the comparisons of the scripts (t > T1 ...) give the same inputs either way.

Output: figure1_spikes.json next to this file, with, per panel, the step size, the number of
steps, the 0-based indices of the steps in which a spike occurred and the spike times as the
script records them.
"""

import json
import os
from fractions import Fraction


def std_quad(V):
    return 0.04 * V * V + 5 * V + 140


def gl_quad(V):
    return 0.04 * V * V + 4.1 * V + 108


def std_u(a, b, V, u, tau):
    return u + tau * a * (b * V - u)


def accommodation_u(a, b, V, u, tau):
    return u + tau * a * (b * (V + 65))


def window(t, start, width):
    return (t > start) and (t < start + width)


def run_euler(p):
    """figure1.m's loop; returns the 0-based indices of the spiking steps."""
    a, b, c, d = p["abcd"]
    tau, T = p["tau"], p["T"]
    V = p["V0"]
    u = p.get("u0", b * V)
    quad = p.get("quad", std_quad)
    uupd = p.get("uupd", std_u)
    n = round(T / tau) + 1
    steps = []
    for k in range(n):
        t = k * tau
        I = p["I"](t)
        V = V + tau * (quad(V) - u + I)
        u = uupd(a, b, V, u, tau)
        if V > 30:
            steps.append(k)
            V = c
            u = u + d
    return steps


def run_net(p):
    """net.m's scheme (dt = 1 ms, two half steps for v, then u); spiking step indices."""
    a, b, c, d = p["abcd"]
    T = p["T"]
    v = p["V0"]
    u = b * v
    n = round(T / 1.0) + 1
    steps = []
    for k in range(n):
        t = k * 1.0
        I = p["I"](t)
        v = v + 0.5 * (0.04 * v * v + 5 * v + 140 - u + I)
        v = v + 0.5 * (0.04 * v * v + 5 * v + 140 - u + I)
        u = u + a * (b * v - u)
        if v >= 30:
            steps.append(k)
            v = c
            u = u + d
    return steps


def features():
    f = {}
    f["A"] = dict(abcd=(0.02, 0.2, -65, 6), V0=-70, tau=0.25, T=100, I=lambda t: 14 if t > 100 / 10 else 0)
    f["B"] = dict(abcd=(0.02, 0.25, -65, 6), V0=-64, tau=0.25, T=200, I=lambda t: 0.5 if t > 20 else 0)
    f["C"] = dict(abcd=(0.02, 0.2, -50, 2), V0=-70, tau=0.25, T=220, I=lambda t: 15 if t > 22 else 0)
    f["D"] = dict(abcd=(0.02, 0.25, -55, 0.05), V0=-64, tau=0.2, T=200, I=lambda t: 0.6 if t > 20 else 0)
    f["E"] = dict(abcd=(0.02, 0.2, -55, 4), V0=-70, tau=0.25, T=160, I=lambda t: 10 if t > 160 / 10 else 0)
    f["F"] = dict(abcd=(0.01, 0.2, -65, 8), V0=-70, tau=0.25, T=85, I=lambda t: 30 if t > 85 / 10 else 0)
    f["G"] = dict(abcd=(0.02, -0.1, -55, 6), V0=-60, tau=0.25, T=300, quad=gl_quad,
                  I=lambda t: 0.075 * (t - 30) if t > 30 else 0)
    f["H"] = dict(abcd=(0.2, 0.26, -65, 0), V0=-64, tau=0.25, T=300,
                  I=lambda t: -0.5 + 0.015 * (t - 30) if t > 30 else -0.5)
    f["I"] = dict(abcd=(0.02, 0.2, -65, 6), V0=-70, tau=0.2, T=100,
                  I=lambda t: 7.04 if window(t, 100 / 10, 3) else 0)
    f["J"] = dict(abcd=(0.05, 0.26, -60, 0), V0=-62, tau=0.25, T=200,
                  I=lambda t: 2 if window(t, 200 / 10, 5) else 0)
    k1 = 400 / 10
    k2 = k1 + 20
    k3 = 0.7 * 400
    k4 = k3 + 40
    f["K"] = dict(abcd=(0.1, 0.26, -60, -1), V0=-62, tau=0.25, T=400,
                  I=lambda t: 0.65 if any(window(t, s, 4) for s in (k1, k2, k3, k4)) else 0)
    l1 = 100 / 11
    l2 = l1 + 5
    l3 = 0.7 * 100
    l4 = l3 + 10
    f["L"] = dict(abcd=(0.02, -0.1, -55, 6), V0=-60, tau=0.25, T=100, quad=gl_quad,
                  I=lambda t: 9 if any(window(t, s, 2) for s in (l1, l2, l3, l4)) else 0)
    f["M"] = dict(abcd=(0.03, 0.25, -60, 4), V0=-64, tau=0.2, T=200, I=lambda t: -15 if window(t, 20, 5) else 0)
    f["N"] = dict(abcd=(0.03, 0.25, -52, 0), V0=-64, tau=0.2, T=200, I=lambda t: -15 if window(t, 20, 5) else 0)

    def o_input(t):
        if window(t, 10, 5) or window(t, 80, 5):
            return 1
        if window(t, 70, 5):
            return -6
        return 0

    f["O"] = dict(abcd=(0.03, 0.25, -60, 4), V0=-64, tau=0.25, T=100, I=o_input)
    p1 = 300 / 8
    f["P"] = dict(abcd=(0.1, 0.26, -60, 0), V0=-61, tau=0.25, T=300,
                  I=lambda t: 1.24 if (window(t, p1, 5) or window(t, 216, 5)) else 0.24)
    f["Q"] = dict(abcd=(1, 0.2, -60, -21), V0=-70, tau=0.1, T=50, I=lambda t: 20 if abs(t - 10) < 1 else 0)

    def r_input(t):
        if t < 200:
            return t / 25
        if t < 300:
            return 0
        if t < 312.5:
            return (t - 300) / 12.5 * 4
        return 0

    f["R"] = dict(abcd=(0.02, 1, -55, 4), V0=-65, u0=-16, tau=0.5, T=400, uupd=accommodation_u, I=r_input)
    f["S"] = dict(abcd=(-0.02, -1, -60, 8), V0=-63.8, tau=0.5, T=350,
                  I=lambda t: 80 if (t < 50 or t > 250) else 75)
    f["T"] = dict(abcd=(-0.026, -1, -45, -2), V0=-63.8, tau=0.5, T=350,
                  I=lambda t: 80 if (t < 50 or t > 250) else 75)
    return f


def classes():
    c = {}
    c["RS"] = dict(abcd=(0.02, 0.2, -65, 8), V0=-63, tau=0.25, T=150, I=lambda t: 14 if t > 150 / 10 else 0)
    c["IB"] = dict(abcd=(0.02, 0.2, -55, 4), V0=-70, tau=0.25, T=150, I=lambda t: 11 if t > 150 / 10 else 0)
    c["CH"] = dict(abcd=(0.02, 0.2, -50, 2), V0=-70, tau=0.25, T=150, I=lambda t: 10 if t > 150 / 10 else 0)
    c["FS"] = dict(abcd=(0.1, 0.2, -65, 2), V0=-70, tau=0.25, T=150, I=lambda t: 10 if t > 150 / 10 else 0)
    c["TC"] = dict(abcd=(0.02, 0.25, -65, 0.05), V0=-63, tau=0.25, T=150,
                   I=lambda t: 1.5 if t > 2 * 150 / 10 else 0)
    c["TC_burst"] = dict(abcd=(0.02, 0.25, -65, 0.05), V0=-87, tau=0.25, T=150,
                         I=lambda t: 0.0 if t > 3 * 150 / 10 else -25)

    def rz_input(t):
        t1 = 100 / 10
        t2 = t1 + 50
        if window(t, t2, 5):
            return 10
        if t > t1:
            return -0.5
        return -2

    c["RZ"] = dict(abcd=(0.1, 0.26, -65, 2), V0=-70, tau=0.25, T=100, I=rz_input)
    c["LTS"] = dict(abcd=(0.02, 0.25, -65, 2), V0=-63, tau=0.25, T=250, I=lambda t: 10.0 if t > 250 / 10 else 0)
    return c


def grid_is_robust(p, tau):
    """Whether the inputs are the same on t = k*tau and on the correctly rounded decimal grid."""
    n = round(p["T"] / tau) + 1
    ftau = Fraction(str(tau))
    return all(p["I"](k * tau) == p["I"](float(k * ftau)) for k in range(n))


def main():
    out = {"source": "tests/data/izhikevich/figure1.py", "features": {}, "classes": {}}
    for name, p in features().items():
        s = run_euler(p)
        assert grid_is_robust(p, p["tau"]), name
        out["features"][name] = dict(tau=p["tau"], steps=round(p["T"] / p["tau"]) + 1, spike_steps=s,
                                     spikes=[k * p["tau"] for k in s])
    for name, p in classes().items():
        s = run_euler(p)
        assert grid_is_robust(p, p["tau"]) and grid_is_robust(p, 1.0), name
        n = run_net(p)
        out["classes"][name] = dict(tau=p["tau"], steps=round(p["T"] / p["tau"]) + 1, spike_steps=s,
                                    spikes=[k * p["tau"] for k in s],
                                    net_steps=round(p["T"]) + 1, net_spike_steps=n,
                                    net_spikes=[(k + 1) * 1.0 for k in n])
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "figure1_spikes.json")
    with open(path, "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")
    for group in ("features", "classes"):
        for name, r in out[group].items():
            extra = f"  net.m scheme: {len(r['net_spikes'])}" if "net_spikes" in r else ""
            print(f"{name:9} {len(r['spikes']):3} spikes  first {r['spikes'][0] if r['spikes'] else '-'}{extra}")


if __name__ == "__main__":
    main()
