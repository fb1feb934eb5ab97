"""10000 independent classic Hodgkin-Huxley neurons in NEST: hh_psc_alpha, single thread.

Same membrane as the Brian2 script (100 um^2 patch: C_m = 1 pF, g in nS, I_e in pA, classic
rate functions, which hh_psc_alpha uses). NEST integrates with GSL's adaptive RKF45 (not
exponential Euler) at resolution 0.01 ms and counts a spike when V_m crosses 0 mV (then
t_ref = 2 ms without new spikes); the Brian2 script counts crossings of -20 mV.
"""
import nest

import nest_common
from common import arguments

args, w = arguments("hh")
n = args.n


def build():
    G = nest.Create("hh_psc_alpha", n, params={
        "C_m": w["C"], "g_Na": w["g_na"], "g_K": w["g_k"], "g_L": w["g_l"],
        "E_Na": w["E_na"], "E_K": w["E_k"], "E_L": w["E_l"], "I_e": w["I_inj"], "V_m": w["v0"]})
    sr = nest.Create("spike_recorder")
    nest.Connect(G, sr)
    return sr, G, 0


nest_common.run("hh", args, w["dt"], build, n, 0)
