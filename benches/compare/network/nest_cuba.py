"""CUBA network (Brette et al. 2007, benchmark 2) in NEST: iaf_psc_exp, single thread.

Brian2's voltage-valued synaptic variables become currents: with C_m = 250 pF and
tau_m = 20 ms (g_l = 12.5 nS), a jump of w mV in ge is a jump of w * C_m / tau_m pA in I_syn.
iaf_psc_exp integrates exactly (like Brian2's 'linear'). Delays are one step (NEST's minimum;
Brian2's zero-delay spike also acts from the next step on).
"""
import nest

import nest_common
from common import arguments

args, w = arguments("cuba")
n = args.n
n_exc = int(round(w["exc_fraction"] * n))
p = w["synapses_per_neuron"] / n
C_m = 250.0
scale = C_m / w["tau_m"]


def build():
    P = nest.Create("iaf_psc_exp", n, params={
        "C_m": C_m, "tau_m": w["tau_m"], "tau_syn_ex": w["tau_e"], "tau_syn_in": w["tau_i"],
        "E_L": w["E_l"], "V_th": w["V_th"], "V_reset": w["V_reset"], "t_ref": w["t_ref"],
        "I_e": 0.0, "V_m": nest.random.uniform(w["V_reset"], w["V_th"])})
    c0 = nest.num_connections
    rule = {"rule": "pairwise_bernoulli", "p": p}
    nest.Connect(P[:n_exc], P, rule, {"weight": w["w_e"] * scale, "delay": w["dt"]})
    nest.Connect(P[n_exc:], P, rule, {"weight": w["w_i"] * scale, "delay": w["dt"]})
    n_syn = nest.num_connections - c0
    sr = nest.Create("spike_recorder")
    nest.Connect(P, sr)
    return sr, P[:n_exc], n_syn


nest_common.run("cuba", args, w["dt"], build, n_exc, n - n_exc)
