"""COBA network (Brette et al. 2007, benchmark 1; Vogels and Abbott 2005) in Brian2.

Conductances in units of the leak conductance (we = 6 nS / 10 nS, wi = 67 nS / 10 nS), a
constant drive of 20 mV (times g_l), forward Euler as in Brian2's COBA benchmark scripts.
Connection probability synapses_per_neuron / N; weights are those of N = 4000.
"""
import brian2 as b2
from brian2 import mV, ms

import brian2_common
from common import arguments

args, w = arguments("coba", with_mode=True)
n = args.n
n_exc = int(round(w["exc_fraction"] * n))
p = w["synapses_per_neuron"] / n


def build():
    b2.defaultclock.dt = w["dt"] * ms
    ns = dict(taum=w["tau_m"] * ms, taue=w["tau_e"] * ms, taui=w["tau_i"] * ms,
              Vt=w["V_th"] * mV, Vr=w["V_reset"] * mV, El=w["E_l"] * mV,
              Erev_exc=w["E_e"] * mV, Erev_inh=w["E_i"] * mV, I=w["I_ext_mV"] * mV,
              we=w["w_e_rel"], wi=w["w_i_rel"])
    eqs = """
    dv/dt  = (ge*(Erev_exc-v)+gi*(Erev_inh-v)-(v-El) + I)*(1./taum) : volt (unless refractory)
    dge/dt = -ge/taue : 1
    dgi/dt = -gi/taui : 1
    """
    P = b2.NeuronGroup(n, eqs, threshold="v>Vt", reset="v = Vr", refractory=w["t_ref"] * ms,
                       method=w["method_brian2"], namespace=ns)
    P.v = "-55*mV + 5*mV*randn()"
    return brian2_common.ei_network(P, n_exc, p, ns)


brian2_common.run("coba", args, build, n_exc, n - n_exc)
