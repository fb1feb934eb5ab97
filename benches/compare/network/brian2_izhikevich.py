"""Izhikevich (2003) network, net.m of the paper, in Brian2.

net.m's scheme, written as a custom update (run_regularly in the 'groups' slot) instead of a
Brian2 integrator: per 1 ms step, v takes two half steps of forward Euler, then u one step
using the new v. The synaptic input of the neurons that fired in the previous step and the
thalamic noise (5 randn for excitatory, 2 randn for inhibitory neurons, drawn each ms) enter
both half steps, as in net.m. Brian2's order within a step (update, threshold, synapses,
reset) matches net.m's (fired = v >= 30 from the previous update; reset; I; update).
All-to-all connectivity including self-connections, S(i,j) = 0.5 rand for excitatory j and
-rand for inhibitory j. Per-neuron parameters from one uniform r per neuron, as in net.m.
"""
import brian2 as b2
from brian2 import ms

import brian2_common
from common import arguments

args, w = arguments("izhikevich", with_mode=True)
ne, ni = w["n_exc"], w["n_inh"]
args.n = ne + ni


def build():
    b2.defaultclock.dt = w["dt"] * ms
    eqs = """
    v : 1
    u : 1
    I_syn : 1
    I_noise : 1
    noise_sd : 1 (constant)
    r : 1 (constant)
    a : 1 (constant)
    b : 1 (constant)
    c : 1 (constant)
    d : 1 (constant)
    """
    G = b2.NeuronGroup(ne + ni, eqs, threshold=f"v >= {w['V_th']}", reset="v = c; u += d")
    G.run_regularly(
        """
        I_noise = noise_sd * randn()
        v += 0.5 * (0.04*v**2 + 5*v + 140 - u + I_syn + I_noise)
        v += 0.5 * (0.04*v**2 + 5*v + 140 - u + I_syn + I_noise)
        u += a * (b*v - u)
        I_syn = 0
        """,
        when="groups",
    )
    exc = G[:ne]
    inh = G[ne:]
    G.r = "rand()"
    exc.noise_sd = w["noise_exc"]
    inh.noise_sd = w["noise_inh"]
    exc.a = "0.02"
    exc.b = "0.2"
    exc.c = "-65 + 15 * r**2"
    exc.d = "8 - 6 * r**2"
    inh.a = "0.02 + 0.08 * r"
    inh.b = "0.25 - 0.05 * r"
    inh.c = "-65"
    inh.d = "2"
    G.v = w["v0"]
    G.u = "b * v"
    S = b2.Synapses(G, G, "w : 1", on_pre="I_syn_post += w")
    S.connect()
    S.w[f"i < {ne}"] = f"{w['w_exc_max']} * rand()"
    S.w[f"i >= {ne}"] = f"-{w['w_inh_max']} * rand()"
    mon = b2.SpikeMonitor(G, record=False)
    return b2.Network(G, S, mon), mon, [S]


brian2_common.run("izhikevich", args, build, ne, ni)
