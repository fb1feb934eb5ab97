"""Izhikevich (2003) network (net.m) in NEST: izhikevich with consistent_integration=False.

With consistent_integration=False NEST's izhikevich uses net.m's numerics: two half steps of
v (synaptic input inside both), then u with the new v; resolution 1 ms. Spikes reach their
targets after one step (delay 1 ms), as net.m's fired neurons act on the next update. The
thalamic input is one noise_generator per population (independent per target, new value each
ms, std 5 resp. 2 pA, i.e. net.m's 5 randn / 2 randn); NEST applies generator current from
the step after it is drawn.
"""
import nest
import numpy as np

import nest_common
from common import arguments

args, w = arguments("izhikevich")
ne, ni = w["n_exc"], w["n_inh"]
args.n = ne + ni


def build():
    rng = np.random.default_rng(args.seed)
    re = rng.uniform(size=ne)
    ri = rng.uniform(size=ni)
    G = nest.Create("izhikevich", ne + ni, params={"consistent_integration": False,
                                                  "V_th": w["V_th"], "V_m": w["v0"]})
    exc, inh = G[:ne], G[ne:]
    exc.set(a=0.02, b=0.2, c=list(-65 + 15 * re**2), d=list(8 - 6 * re**2))
    inh.set(a=list(0.02 + 0.08 * ri), b=list(0.25 - 0.05 * ri), c=-65.0, d=2.0)
    exc.set(U_m=list(0.2 * w["v0"] * np.ones(ne)))
    inh.set(U_m=list((0.25 - 0.05 * ri) * w["v0"]))
    c0 = nest.num_connections
    a2a = {"rule": "all_to_all", "allow_autapses": True}
    nest.Connect(exc, G, a2a, {"weight": nest.random.uniform(0.0, w["w_exc_max"]), "delay": w["dt"]})
    nest.Connect(inh, G, a2a, {"weight": nest.random.uniform(-w["w_inh_max"], 0.0), "delay": w["dt"]})
    n_syn = nest.num_connections - c0
    ng_e = nest.Create("noise_generator", params={"mean": 0.0, "std": w["noise_exc"], "dt": w["dt"]})
    ng_i = nest.Create("noise_generator", params={"mean": 0.0, "std": w["noise_inh"], "dt": w["dt"]})
    nest.Connect(ng_e, exc, syn_spec={"delay": w["dt"]})
    nest.Connect(ng_i, inh, syn_spec={"delay": w["dt"]})
    sr = nest.Create("spike_recorder")
    nest.Connect(G, sr)
    return sr, exc, n_syn


nest_common.run("izhikevich", args, w["dt"], build, ne, ni)
