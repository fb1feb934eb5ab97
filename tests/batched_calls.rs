//! The scalar `derivative` and Jacobians evaluate a body's `exp`, `expm1`, `tanh`, `cosh` and
//! `sinh` calls together in lanes (several calls of one function at once). This model calls
//! every one of them in every way that matters to that: groups of four and a single call left
//! over, a function called once (not gathered), a call nested in another, a call in one branch
//! of an `if`, calls in named expressions that the equations use and in one they do not.
//! `derivative` must have exactly the bits of the lane-method body (a separate emitter that
//! calls each function on its own), and the Jacobians must be the derivatives of `derivative`.

use spyks_core::NeuronModel;
use spyks_core::Vector;

spyks_core::neuron_model! {
    /// Rate-like functions of v, called many times.
    model Calls;
    parameters { k: 3 }
    state { v: -60 mV, a: 0.1, b: 0.2 }
    expressions {
        x = (v + 40 mV)/(10 mV),
        /// Calls in a named expression the equations use.
        r = exp(-x) + tanh(x/k),
        /// Calls in a named expression only recorded.
        unused = exp(x/7) + exp(x/9),
    }
    equations {
        dv/dt = (exp(x/2) - exp(-x/3) + tanh(x) * cosh(x/4) + exp(tanh(x/5))) * 1 mV/ms,
        da/dt = ((if x == 0 { 1 } else { x/expm1(x) }) - a * (exp(x/11) + r)) * 1 1/ms,
        db/dt = (expm1(-x/2) + tanh(x/6) + sinh(x/8) + exp(x/13) - b) * 1 1/ms,
    }
}

fn state(v: f64) -> CallsState {
    CallsState { v, a: 0.3, b: -0.2 }
}

/// Membrane potentials over the rate functions' range, the removable singularity at -40 mV,
/// values where the calls over- and underflow, and the non-finite ones.
fn voltages() -> Vec<f64> {
    let mut v: Vec<f64> = (0..=4000).map(|i| -140.0 + 0.05 * i as f64).collect();
    v.extend([-40.0, -40.0 + 1e-12, -7200.0, 7200.0, -1e6, 1e6, f64::INFINITY, f64::NEG_INFINITY, f64::NAN]);
    v
}

#[test]
fn derivative_has_the_bits_of_one_call_at_a_time() {
    const { assert!(Calls::HAS_LANES, "the lane body is the reference here") };
    let m = Calls::new();
    let u = CallsInputs::default();
    for v in voltages() {
        let x = state(v);
        let d = m.derivative(0.0, &x, &u);
        let mut lanes = [0.0; 3];
        m.derivative_lanes::<f64>(0.0, &x.to_vec(), &[], &mut lanes);
        for (i, (got, want)) in d.to_vec().iter().zip(lanes).enumerate() {
            // NaN is NaN, whatever its sign bit (which the arithmetic does not define).
            let same = got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan());
            assert!(same, "variable {i} at v = {v}: {got} against {want}");
        }
    }
}

/// The equations written out by hand with the platform's functions (std, not
/// `spyks_core::math`), over the rate functions' range: an independent reference for which
/// call each local stands for and what it is applied to.
#[test]
fn derivative_equals_the_equations_written_by_hand() {
    let m = Calls::new();
    let u = CallsInputs::default();
    let k = m.params.k;
    let (a, b) = (state(0.0).a, state(0.0).b);
    for i in 0..=4000 {
        let v = -140.0 + 0.05 * i as f64;
        let x = (v + 40.0) / 10.0;
        let r = (-x).exp() + (x / k).tanh();
        let want = [
            (x / 2.0).exp() - (-x / 3.0).exp() + x.tanh() * (x / 4.0).cosh() + (x / 5.0).tanh().exp(),
            (if x == 0.0 { 1.0 } else { x / x.exp_m1() }) - a * ((x / 11.0).exp() + r),
            (-x / 2.0).exp_m1() + (x / 6.0).tanh() + (x / 8.0).sinh() + (x / 13.0).exp() - b,
        ];
        let got = m.derivative(0.0, &state(v), &u).to_vec();
        for (j, (g, w)) in got.iter().zip(want).enumerate() {
            assert!((g - w).abs() <= 1e-12 * (1.0 + w.abs()), "variable {j} at v = {v}: {g} against {w}");
        }
    }
}

#[test]
fn jacobians_are_the_derivatives_of_the_derivative() {
    let mut m = Calls::new();
    let u = CallsInputs::default();
    let f = |m: &Calls, x: &CallsState| m.derivative(0.0, x, &u).to_vec();
    for i in 0..=60 {
        // Away from the singular point, where the difference quotient of x/expm1(x) is exact
        // enough for the tolerance.
        let v = -100.5 + 2.0 * i as f64;
        let x = state(v);
        let mut jx = [0.0; 9];
        m.jacobian(0.0, &x, &u, &mut jx);
        for j in 0..3 {
            let h = 1e-6 * (1.0 + x.to_vec()[j].abs());
            let (mut xp, mut xm) = (x, x);
            xp.set_index(j, x.to_vec()[j] + h);
            xm.set_index(j, x.to_vec()[j] - h);
            let (fp, fm) = (f(&m, &xp), f(&m, &xm));
            for r in 0..3 {
                let fd = (fp[r] - fm[r]) / (2.0 * h);
                let got = jx[r + 3 * j];
                assert!((got - fd).abs() <= 1e-6 * (1.0 + fd.abs()), "∂f{r}/∂x{j} at v = {v}: {got} against {fd}");
            }
        }
        let mut jp = [0.0; 3];
        m.param_jacobian(0.0, &x, &u, &mut jp);
        let k = m.params.k;
        m.params.k = k + 1e-6;
        let fp = f(&m, &x);
        m.params.k = k - 1e-6;
        let fm = f(&m, &x);
        m.params.k = k;
        for r in 0..3 {
            let fd = (fp[r] - fm[r]) / 2e-6;
            assert!((jp[r] - fd).abs() <= 1e-6 * (1.0 + fd.abs()), "∂f{r}/∂k at v = {v}: {} against {fd}", jp[r]);
        }
    }
}
