//! The same model written inline and in YAML generates the same derivative and Jacobians.

mod common;

use common::*;
use spyks_core::{NeuronModel, Vector};

spyks_core::include_model!("../spyks-core/models/spyks/nakl.yml");
spyks_core::include_model!("../spyks-core/models/spyks/pospischil.yml");

spyks_core::neuron_model! {
    /// nakl written inline; conductances in µS and capacitance in nF on purpose, so that the
    /// unit conversion is exercised (0.25 nF = 250 pF, 0.12 µS = 120 nS).
    pub model NaklInline;
    parameters {
        C: 0.25 nF, gna: 0.12 uS, Ena: 50 mV, gk: 20 nS, Ek: -77 mV, gl: 0.3 nS, El: -54.4 mV,
        vm: -40 mV, dvm: 15 mV, tm0: 0.1 ms, tm1: 400 us, vmt: -40 mV, dvmt: 15 mV,
        vh: -60 mV, dvh: -15 mV, th0: 1 ms, th1: 7 ms, vht: -60 mV, dvht: -15 mV,
        vn: -55 mV, dvn: 40 mV, tn0: 1 ms, tn1: 5 ms, vnt: -55 mV, dvnt: -30 mV,
    }
    state { V: -70 mV, m: 0, h: 0, n: 0 }
    inputs { Iinj: 0 pA }
    expressions {
        I_na = gna*m^3*h*(Ena - V),
        I_k = gk*n^4*(Ek - V),
    }
    equations {
        dV/dt = (I_na + I_k + gl*(El - V) + Iinj) / C,
        m: inf = (1 + tanh((V - vm)/dvm))/2, tau = tm0 + tm1*(1 - tanh((V - vmt)/dvmt)^2),
        h: inf = (1 + tanh((V - vh)/dvh))/2, tau = th0 + th1*(1 - tanh((V - vht)/dvht)**2),
        n: inf = (1 + tanh((V - vn)/dvn))/2, tau = tn0 + tn1*(1 - tanh((V - vnt)/dvnt)^2),
    }
}

spyks_core::neuron_model! {
    /// pospischil written inline, with the sodium inactivation in alpha/beta form.
    pub model PospischilInline;
    parameters {
        C: 290 pF, E_l: -70 mV, E_na: 50 mV, E_k: -90 mV, g_l: 29 nS, g_na: 14.5 uS,
        g_kd: 1000 nS, g_km: 37 nS, nam_v: -35 mV, nam_dv: 13.8 mV, nam_t0: 0.025 ms,
        nam_t1: 11.6 1/ms, nam_tv: -22 mV, nam_tdv1: 32 mV, nam_t2: 1.85 ms^-1, nam_tdv2: 21.6 mV,
        nah_a0: 0.128 kHz, nah_va: -44 mV, nah_dva: 18 mV, nah_b0: 4 ms^-1, nah_vb: -21 mV,
        nah_dvb: 5 mV, kdm_v: -34.8 mV, kdm_dv: 22.1 mV, kdm_t0: 0.294 ms, kdm_t1: 1.32 ms,
        kdm_tv: -49.9 mV, kdm_tdv: 35.0 mV, kmm_v: -35 mV, kmm_dv: 20 mV, kmm_t0: 4.7 ms,
        kmm_t1: 0.283 s, kmm_tv: -46.9 mV, kmm_tdv: 30.5 mV,
    }
    state { V: -70.4 mV, na_m: 0.000, na_h: 0.999, kd_m: 0.001, km_m: 0.027 }
    inputs { Iinj: 0 pA }
    equations {
        dV/dt = 1/C * (g_l*(E_l - V) + g_na*na_m^3*na_h*(E_na - V) + g_kd*kd_m^4*(E_k - V)
                       + g_km*km_m*(E_k - V) + Iinj),
        na_m: inf = (1 + tanh((V - nam_v)/nam_dv))/2,
              tau = nam_t0 + 1/(nam_t1*exp((V - nam_tv)/nam_tdv1) + nam_t2*exp(-(V - nam_tv)/nam_tdv2)),
        na_h: alpha = nah_a0*exp(-(V - nah_va)/nah_dva), beta = nah_b0/(1 + exp(-(V - nah_vb)/nah_dvb)),
        kd_m: inf = (1 + tanh((V - kdm_v)/kdm_dv))/2, tau = kdm_t0 + kdm_t1*(1 - tanh((V - kdm_tv)/kdm_tdv)^2),
        km_m: inf = (1 + tanh((V - kmm_v)/kmm_dv))/2, tau = kmm_t0 + kmm_t1*(1 - tanh((V - kmm_tv)/kmm_tdv)^2),
    }
}

/// Compares two models with the same variables at random states: derivative, state Jacobian
/// and parameter Jacobian, relative to the size of each entry.
fn same<A: NeuronModel, B: NeuronModel>(seed: u64) {
    let (a, b) = (A::with_params(A::Params::default()), B::with_params(B::Params::default()));
    assert_eq!(a.params().to_vec(), b.params().to_vec(), "defaults after unit conversion");
    let n = A::State::LEN;
    let np = A::Params::LEN;
    let mut rng = Rng::new(seed);
    for xa in random_states::<A>(&mut rng, 100) {
        let xb = B::State::from_slice(&xa.to_vec()).unwrap();
        let ua = A::Inputs::from_slice(&[rng.uniform(-200.0, 800.0)]).unwrap();
        let ub = B::Inputs::from_slice(&ua.to_vec()).unwrap();
        let close = |x: &[f64], y: &[f64]| {
            for (p, q) in x.iter().zip(y) {
                assert!((p - q).abs() <= 1e-12 * p.abs().max(q.abs()).max(1e-12), "{p} vs {q}");
            }
        };
        close(&a.derivative(0.0, &xa, &ua).to_vec(), &b.derivative(0.0, &xb, &ub).to_vec());
        let (mut ja, mut jb) = (vec![0.0; n * n], vec![0.0; n * n]);
        a.jacobian(0.0, &xa, &ua, &mut ja);
        b.jacobian(0.0, &xb, &ub, &mut jb);
        close(&ja, &jb);
        let (mut pa, mut pb) = (vec![0.0; n * np], vec![0.0; n * np]);
        a.param_jacobian(0.0, &xa, &ua, &mut pa);
        b.param_jacobian(0.0, &xb, &ub, &mut pb);
        close(&pa, &pb);
        assert_eq!(a.linear_coefficients(0.0, &xa, &ua).1.to_vec().len(), n);
    }
    assert_eq!(A::LINEAR, B::LINEAR);
}

#[test]
fn nakl_inline_equals_yaml() {
    same::<NaklInline, Nakl>(1);
    // The named expressions are readable from outside.
    let m = NaklInline::new();
    let x = NaklInlineState { V: -20.0, m: 0.5, h: 0.5, n: 0.5 };
    let e = m.expressions(0.0, &x, &NaklInlineInputs::default());
    assert!((e.I_na - 120.0 * 0.125 * 0.5 * 70.0).abs() < 1e-10);
    assert!((e.I_k - 20.0 * 0.0625 * (-57.0)).abs() < 1e-10);
}

#[test]
fn pospischil_inline_equals_yaml() {
    same::<PospischilInline, Pospischil>(2);
    // Exponential Euler: every gating variable is linear in itself, V too (conductance-based).
    assert_eq!(Pospischil::LINEAR, &[true; 5]);
}
