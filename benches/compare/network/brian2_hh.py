"""10000 independent classic Hodgkin-Huxley neurons (6.3 C) in Brian2, exponential Euler.

Written for a 100 um^2 patch (1 uF/cm^2 -> 1 pF, mS/cm^2 -> nS, uA/cm^2 -> pA), a constant
current I_inj that makes every neuron fire repetitively; spikes are upward crossings of
spike_threshold (with refractory='v > threshold' so that each spike counts once).
"""
import brian2 as b2
from brian2 import mV, ms, nS, pA, pF

import brian2_common
from common import arguments

args, w = arguments("hh", with_mode=True)
n_neurons = args.n


def build():
    b2.defaultclock.dt = w["dt"] * ms
    ns = dict(C=w["C"] * pF, gna=w["g_na"] * nS, gk=w["g_k"] * nS, gl=w["g_l"] * nS,
              Ena=w["E_na"] * mV, Ek=w["E_k"] * mV, El=w["E_l"] * mV, I=w["I_inj"] * pA,
              vthr=w["spike_threshold"] * mV)
    eqs = """
    dv/dt = (gna*m**3*h*(Ena - v) + gk*n**4*(Ek - v) + gl*(El - v) + I)/C : volt
    dm/dt = alpha_m*(1 - m) - beta_m*m : 1
    dh/dt = alpha_h*(1 - h) - beta_h*h : 1
    dn/dt = alpha_n*(1 - n) - beta_n*n : 1
    alpha_m = 0.1/mV*(v + 40*mV)/(1 - exp(-(v + 40*mV)/(10*mV)))/ms : Hz
    beta_m = 4*exp(-(v + 65*mV)/(18*mV))/ms : Hz
    alpha_h = 0.07*exp(-(v + 65*mV)/(20*mV))/ms : Hz
    beta_h = 1/(1 + exp(-(v + 35*mV)/(10*mV)))/ms : Hz
    alpha_n = 0.01/mV*(v + 55*mV)/(1 - exp(-(v + 55*mV)/(10*mV)))/ms : Hz
    beta_n = 0.125*exp(-(v + 65*mV)/(80*mV))/ms : Hz
    """
    G = b2.NeuronGroup(n_neurons, eqs, threshold="v > vthr", refractory="v > vthr",
                       method=w["method_brian2"], namespace=ns)
    G.v = w["v0"] * mV
    # steady state of the gates at v0
    G.m = "alpha_m / (alpha_m + beta_m)"
    G.h = "alpha_h / (alpha_h + beta_h)"
    G.n = "alpha_n / (alpha_n + beta_n)"
    mon = b2.SpikeMonitor(G, record=False)
    return b2.Network(G, mon), mon, []


brian2_common.run("hh", args, build, n_neurons, 0)
