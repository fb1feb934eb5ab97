//! The Dormand-Prince 5(4) tableau, one trial step, and the dense output of an accepted step.
//!
//! Coefficients as in Hairer, Nørsett & Wanner, *Solving Ordinary Differential Equations I*
//! (2nd ed., 1993), Table II.5.2 and the code DOPRI5 (error coefficients eᵢ = bᵢ - b̂ᵢ and the
//! dense-output coefficients dᵢ of its continuous extension, §II.6).

use crate::vector::Vector;

/// Nodes cᵢ (the last two stages are at the step's end).
const C: [f64; 7] = [0.0, 1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0, 1.0, 1.0];

/// The times at which a trial step from `t` to `t1` evaluates its stages (after the first),
/// as [`trial`] computes them.
pub(super) fn stage_times(t: f64, t1: f64) -> [f64; 6] {
    let h = t1 - t;
    [t + C[1] * h, t + C[2] * h, t + C[3] * h, t + C[4] * h, t1, t1]
}

/// The Runge-Kutta matrix, row i holding aᵢⱼ for j < i. Row 7 is the fifth-order weights b
/// (the method is FSAL: stage 7 is f at the new point).
const A: [[f64; 6]; 7] = [
    [0.0; 6],
    [1.0 / 5.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [3.0 / 40.0, 9.0 / 40.0, 0.0, 0.0, 0.0, 0.0],
    [44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0, 0.0, 0.0, 0.0],
    [19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0, 0.0, 0.0],
    [9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0, 0.0],
    [35.0 / 384.0, 0.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0],
];

/// Error weights eᵢ = bᵢ - b̂ᵢ (fifth- minus fourth-order weights).
const E: [f64; 7] = [71.0 / 57600.0, 0.0, -71.0 / 16695.0, 71.0 / 1920.0, -17253.0 / 339200.0, 22.0 / 525.0, -1.0 / 40.0];

/// Weights dᵢ of the fifth coefficient of the continuous extension (Hairer's DOPRI5).
const D: [f64; 7] = [
    -12715105075.0 / 11282082432.0,
    0.0,
    87487479700.0 / 32700410799.0,
    -10690763975.0 / 1880347072.0,
    701980252875.0 / 199316789632.0,
    -1453857185.0 / 822651844.0,
    69997945.0 / 29380423.0,
];

/// Σᵢ cᵢ·kᵢ over the given stages. Always inlined with constant coefficients, so that the
/// zero ones (e₂, d₂) cost nothing and the sum is straight-line field arithmetic.
#[inline(always)]
fn combo<S: Vector>(c: &[f64], k: &[S]) -> S {
    // From -0, the identity of addition (0 + x would turn a -0 product into +0, and the
    // compiler must keep that addition; -0 + x it drops).
    let mut acc = S::zeros().map(|_| -0.0);
    for (&ci, ki) in c.iter().zip(k) {
        if ci != 0.0 {
            acc = acc.zip_map(ki, |a, x| a + ci * x);
        }
    }
    acc
}

/// One Dormand-Prince step from (t, x) to `t1` = t + h, with the stages in `k`: `k[0]` holds
/// f(t, x) on entry (FSAL) and is not changed; `k[1]`…`k[6]` are overwritten, `k[6]` being
/// f(t₁, x₁). The last two stages are evaluated at `t1` exactly, so a step can end exactly on
/// a time given by the caller. Returns the fifth-order solution x₁ and the local error
/// estimate h·Σ eᵢkᵢ (fifth- minus fourth-order solution). Six evaluations of `f`.
///
/// The stages are written out rather than looped over so that, with `f` inlined, every
/// coefficient is a constant and no stage vector goes through memory it need not.
///
/// Each stage point is summed as x + (h·aᵢ₁)·k₁ + … + (h·aᵢ,ᵢ₋₁)·kᵢ₋₁, in that order: the
/// older stages are summed into x while the newest is evaluated, and the newest adds one
/// multiply and one add to the path from one evaluation to the next (x + h·Σ aᵢⱼkⱼ added it
/// last inside the sum, then multiplied by h and added x). Against that form, 1 s of
/// Dormand-Prince with cubic tables ran 1.04-1.05x as fast on spyks' nakl and on
/// Hodgkin-Huxley, and on the exact Hodgkin-Huxley 1.05-1.06x, with the same steps and
/// errors to the digits shown. (Before the tables' parameter check left the stages, the same
/// change had made nakl 3-9 % slower.)
#[inline(always)]
pub(super) fn trial<S: Vector, F: super::RightHandSide<S>>(f: &F, t: f64, t1: f64, x: &S, k: &mut [S; 7]) -> (S, S) {
    let h = t1 - t;
    let y = |i: usize, k: &[S; 7]| -> S {
        let mut acc = *x;
        for (&a, kj) in A[i][..i].iter().zip(&k[..i]) {
            if a != 0.0 {
                let c = h * a;
                acc = acc.zip_map(kj, |s, kj| s + c * kj);
            }
        }
        acc
    };
    k[1] = f.eval(t + C[1] * h, &y(1, k));
    k[2] = f.eval(t + C[2] * h, &y(2, k));
    k[3] = f.eval(t + C[3] * h, &y(3, k));
    k[4] = f.eval(t + C[4] * h, &y(4, k));
    k[5] = f.eval(t1, &y(5, k));
    let x1 = y(6, k);
    k[6] = f.eval(t1, &x1);
    let e = combo(&E, &k[..]);
    (x1, e.map(|e| h * e))
}

/// The dense output of one accepted Dormand-Prince step: the fourth-order continuous
/// extension of Dormand & Prince (Shampine's, in the form used by Hairer's DOPRI5),
///
/// x(t₀ + θh) ≈ r₁ + θ(r₂ + (1-θ)(r₃ + θ(r₄ + (1-θ)r₅))), θ ∈ [0, 1],
///
/// with r₁ = x₀, r₂ = x₁ - x₀, r₃ = h·k₁ - r₂, r₄ = r₂ - h·k₇ - r₃, r₅ = h·Σ dᵢkᵢ. It
/// interpolates x₀ and x₁ and the derivatives k₁ and k₇ at both ends, with a local error
/// O(h⁵) inside the step, and costs no evaluation of the model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DenseStep<S: Vector> {
    t0: f64,
    t1: f64,
    r: [S; 5],
}

impl<S: Vector> DenseStep<S> {
    /// Builds the interpolant of a step from (t0, x0) to (t1, x1) with stages `k`.
    #[inline(always)]
    pub(super) fn new(t0: f64, t1: f64, x0: &S, x1: &S, k: &[S; 7]) -> Self {
        let h = t1 - t0;
        let r2 = x1.zip_map(x0, |a, b| a - b);
        let r3 = k[0].zip_map(&r2, |k, d| h * k - d);
        let r4 = r2.zip3_map(&k[6], &r3, |d, k, b| d - h * k - b);
        let r5 = combo(&D, &k[..]).map(|s| h * s);
        DenseStep { t0, t1, r: [*x0, r2, r3, r4, r5] }
    }

    /// Start time of the step (ms).
    pub fn t0(&self) -> f64 {
        self.t0
    }

    /// End time of the step (ms).
    pub fn t1(&self) -> f64 {
        self.t1
    }

    /// Step size (ms).
    pub fn h(&self) -> f64 {
        self.t1 - self.t0
    }

    /// The interpolated state at t₀ + θh; θ = 0 gives x₀ exactly and θ = 1 gives x₁ up to
    /// rounding. Values of θ outside [0, 1] extrapolate (less accurately).
    #[inline]
    pub fn dense(&self, theta: f64) -> S {
        let th1 = 1.0 - theta;
        let [r1, r2, r3, r4, r5] = &self.r;
        let inner = r4.zip_map(r5, |a, b| a + th1 * b);
        let mid = r3.zip_map(&inner, |a, b| a + theta * b);
        let outer = r2.zip_map(&mid, |a, b| a + th1 * b);
        r1.zip_map(&outer, |a, b| a + theta * b)
    }

    /// The interpolated state at time `t` (ms), normally within [t₀, t₁].
    #[inline]
    pub fn at(&self, t: f64) -> S {
        let h = self.h();
        if h == 0.0 { self.r[0] } else { self.dense(self.theta(t)) }
    }

    /// θ for time `t` in a step of nonzero length, as [`at`](Self::at) computes it.
    #[inline]
    pub(crate) fn theta(&self, t: f64) -> f64 {
        (t - self.t0) / self.h()
    }

    /// Entry `i` at each of `thetas` ([`theta`](Self::theta)), appended to `out`: bit for bit
    /// entry `i` of [`at`](Self::at), read one entry at a time so that a recording fills each
    /// column in one pass (no state assembled per sample).
    #[inline]
    pub(crate) fn extend_entry(&self, i: usize, thetas: &[f64], out: &mut Vec<f64>) {
        let [r1, r2, r3, r4, r5] = std::array::from_fn(|j| self.r[j].get_index(i).unwrap_or(f64::NAN));
        // The operations of `dense`, in its order.
        out.extend(thetas.iter().map(|&theta| {
            let th1 = 1.0 - theta;
            r1 + theta * (r2 + th1 * (r3 + theta * (r4 + th1 * r5)))
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::neuron_model! {
        model Decay;
        parameters { k: 1 1/ms }
        state { x: 1 }
        equations { dx/dt = -k * x }
    }

    fn f(_t: f64, x: &DecayState) -> DecayState {
        DecayState { x: -x.x }
    }

    #[test]
    fn dopri_tableau_satisfies_the_order_conditions() {
        // Row sums equal the nodes; b and b̂ have order 5 and 4 on the quadrature conditions.
        for i in 0..7 {
            let s: f64 = A[i].iter().sum();
            assert!((s - C[i]).abs() < 1e-14, "row {i}: {s} vs {}", C[i]);
        }
        let b = &A[6];
        for q in 0..5 {
            let s: f64 = (0..6).map(|i| b[i] * C[i].powi(q)).sum();
            assert!((s - 1.0 / (q as f64 + 1.0)).abs() < 1e-14, "b, c^{q}: {s}");
            let bh: f64 = (0..7).map(|i| (if i < 6 { b[i] } else { 0.0 } - E[i]) * C[i].powi(q)).sum();
            if q < 4 {
                assert!((bh - 1.0 / (q as f64 + 1.0)).abs() < 1e-14, "b̂, c^{q}: {bh}");
            }
        }
        assert!(E.iter().sum::<f64>().abs() < 1e-15);
    }

    #[test]
    fn dopri_dense_output_is_fourth_order_inside_a_step() {
        // One step of x' = -x from 1: the interpolant's largest error over the step must fall
        // like h⁵ (local error of a fourth-order continuous extension).
        let mut errs = Vec::new();
        for h in [0.4, 0.2, 0.1] {
            let x0 = DecayState { x: 1.0 };
            let mut k = [f(0.0, &x0); 7];
            let (x1, _) = trial(&f, 0.0, h, &x0, &mut k);
            let d = DenseStep::new(0.0, h, &x0, &x1, &k);
            assert_eq!(d.dense(0.0), x0);
            assert!((d.dense(1.0).x - x1.x).abs() < 1e-15);
            let e = (0..=20).map(|j| j as f64 / 20.0).map(|th| (d.dense(th).x - (-th * h).exp()).abs()).fold(0.0, f64::max);
            errs.push(e);
        }
        let p1 = (errs[0] / errs[1]).log2();
        let p2 = (errs[1] / errs[2]).log2();
        println!("dopri dense output: local errors {errs:?}, orders {p1:.2}, {p2:.2}");
        assert!(p1 > 4.6 && p2 > 4.6, "orders {p1}, {p2}");
    }
}
