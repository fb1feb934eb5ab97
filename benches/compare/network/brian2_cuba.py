"""CUBA network (Brette et al. 2007, benchmark 2) in Brian2, as in Brian2's examples/CUBA.py.

Connection probability synapses_per_neuron / N keeps 80 synapses per neuron at every size;
weights are those of N = 4000.
"""
import brian2 as b2
from brian2 import mV, ms

import brian2_common
from common import arguments

args, w = arguments("cuba", with_mode=True)
n = args.n
n_exc = int(round(w["exc_fraction"] * n))
p = w["synapses_per_neuron"] / n


def build():
    b2.defaultclock.dt = w["dt"] * ms
    ns = dict(taum=w["tau_m"] * ms, taue=w["tau_e"] * ms, taui=w["tau_i"] * ms,
              Vt=w["V_th"] * mV, Vr=w["V_reset"] * mV, El=w["E_l"] * mV,
              we=w["w_e"] * mV, wi=w["w_i"] * mV)
    eqs = """
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    """
    P = b2.NeuronGroup(n, eqs, threshold="v>Vt", reset="v = Vr", refractory=w["t_ref"] * ms,
                       method=w["method_brian2"], namespace=ns)
    P.v = "Vr + rand() * (Vt - Vr)"
    P.ge = 0 * mV
    P.gi = 0 * mV
    return brian2_common.ei_network(P, n_exc, p, ns)


brian2_common.run("cuba", args, build, n_exc, n - n_exc)
