"""COBA network (Brette et al. 2007, benchmark 1) in NEST: iaf_cond_exp, single thread.

g_l = 10 nS and C_m = 200 pF give tau_m = 20 ms; Brian2's relative conductances become
we = 0.6 g_l = 6 nS, wi = 6.7 g_l = 67 nS, and the 20 mV drive I_e = 20 mV * g_l = 200 pA.
iaf_cond_exp integrates with GSL's adaptive RKF45 (Brian2's script uses forward Euler).
"""
import nest

import nest_common
from common import arguments

args, w = arguments("coba")
n = args.n
n_exc = int(round(w["exc_fraction"] * n))
p = w["synapses_per_neuron"] / n
g_l = w["g_l_nest"]


def build():
    P = nest.Create("iaf_cond_exp", n, params={
        "C_m": g_l * w["tau_m"], "g_L": g_l, "tau_syn_ex": w["tau_e"], "tau_syn_in": w["tau_i"],
        "E_L": w["E_l"], "V_th": w["V_th"], "V_reset": w["V_reset"], "t_ref": w["t_ref"],
        "E_ex": w["E_e"], "E_in": w["E_i"], "I_e": w["I_ext_mV"] * g_l,
        "V_m": nest.random.normal(-55.0, 5.0)})
    c0 = nest.num_connections
    rule = {"rule": "pairwise_bernoulli", "p": p}
    nest.Connect(P[:n_exc], P, rule, {"weight": w["w_e_rel"] * g_l, "delay": w["dt"]})
    nest.Connect(P[n_exc:], P, rule, {"weight": -w["w_i_rel"] * g_l, "delay": w["dt"]})
    n_syn = nest.num_connections - c0
    sr = nest.Create("spike_recorder")
    nest.Connect(P, sr)
    return sr, P[:n_exc], n_syn


nest_common.run("coba", args, w["dt"], build, n_exc, n - n_exc)
