//! Whether a model is a linear system with state-free coefficients, dx/dt = A·x + b(t, u),
//! so that a propagator exp(A·h) integrates it exactly (Brian2's `linear` method).

use crate::diff::{depends_on, derivative, in_condition, simplify, substitute};
use crate::ir::{Ir, Sym};

/// Whether the right-hand sides `rhs` (named expressions inlined, one per state variable,
/// `xi` included) form a linear system with coefficients free of the state: no noise term,
/// no state variable in a condition (`if`, `heaviside`, comparisons, where differentiation
/// would not see it) and no state variable in any entry of the symbolic Jacobian. The test is
/// syntactic after simplification, as [`crate::diff::linear_form`]'s: `x*x/x` is not linear.
pub fn is_linear_system(rhs: &[Ir]) -> bool {
    let n = rhs.len();
    rhs.iter().all(|r| {
        !depends_on(r, Sym::Noise)
            && (0..n).all(|j| !in_condition(r, Sym::State(j)) && !simplify(derivative(r, Sym::State(j))).uses_state())
    })
}

/// Which state variables each one's evolution depends on, directly or through others: the
/// reflexive-transitive closure of "the i-th right-hand side mentions x_j", row-major (entry
/// i·n + j). Where it is `false`, every propagator e^{A·h} of the linear system has an exact
/// zero (no path leads from x_j to x_i in A's graph, and no power of A has a nonzero entry
/// there), so that the runtime's `Linear` stepper may skip it in its matrix-vector product.
/// Mentioning is checked syntactically (`x - x` counts), which only keeps more entries than
/// needed.
pub fn propagator_pattern(rhs: &[Ir]) -> Vec<bool> {
    let n = rhs.len();
    let mut p: Vec<bool> = (0..n * n).map(|k| k / n == k % n || depends_on(&rhs[k / n], Sym::State(k % n))).collect();
    // Warshall's closure: i reaches j through k.
    for k in 0..n {
        for i in 0..n {
            if p[i * n + k] {
                for j in 0..n {
                    p[i * n + j] |= p[k * n + j];
                }
            }
        }
    }
    p
}

/// For each right-hand side, whether its state-free part f_i(t, 0, u) can be nonzero: `false`
/// where every term mentions a state variable (after simplification, with the state set to
/// zero), as the CUBA neuron's decays dge/dt = −ge/τ_e. Only `false` is a promise.
pub fn state_free_terms(rhs: &[Ir]) -> Vec<bool> {
    let n = rhs.len();
    rhs.iter()
        .map(|r| {
            let at_zero = (0..n).fold(r.clone(), |e, j| substitute(&e, Sym::State(j), &Ir::Const(0.0)));
            !matches!(simplify(at_zero), Ir::Const(c) if c == 0.0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::tests::parse;

    fn system(src: &[&str]) -> bool {
        is_linear_system(&src.iter().map(|s| parse(s)).collect::<Vec<_>>())
    }

    #[test]
    fn affine_systems_with_state_free_coefficients_are_linear() {
        // CUBA (Vogels & Abbott 2005): dv = (ge + gi - (v - El))/tau_m, dge = -ge/tau_e, ...
        assert!(system(&["(m + h - (V - p0))/p1", "-m/p2", "-h/5"]));
        // LIF with an input current and time-dependent forcing
        assert!(system(&["(-(V - p0) + I*exp(-t/p2))/p1"]));
        // coefficients may depend on inputs and time (frozen over a step by the integrator)
        assert!(system(&["-I*V + exp(-t)", "V - m*p0"]));
        assert!(system(&["p0"]));
    }

    #[test]
    fn nonlinear_noisy_or_switched_systems_are_not_linear() {
        // Izhikevich (2003)
        assert!(!system(&["0.04*V^2 + 5*V + 140 - m + I", "p0*(p1*V - m)"]));
        // a gate with voltage-dependent rates (Hodgkin & Huxley 1952)
        assert!(!system(&["-V", "0.1*(V+40)/(1-exp(-(V+40)/10))*(1-m) - 4*exp(-(V+65)/18)*m"]));
        // exponential term (AdEx, Brette & Gerstner 2005)
        assert!(!system(&["-(V - p0) + p1*exp((V - p2)/p1) - m", "(p0*(V - p1) - m)/p2"]));
        // bilinear coupling (conductance-based synapse)
        assert!(!system(&["m*(p0 - V)", "-m/p1"]));
        // noise
        assert!(!system(&["-(V - p0)/p1 + xi"]));
        assert!(!system(&["-(V - p0)/p1 + p2*xi"]));
        // state in a condition: differentiation ignores it, the system is piecewise linear
        assert!(!system(&["heaviside(V + 30)*p0 - V"]));
        assert!(!system(&["if(m > 0, -V, V)", "-m"]));
    }

    fn pattern(src: &[&str]) -> Vec<bool> {
        propagator_pattern(&src.iter().map(|s| parse(s)).collect::<Vec<_>>())
    }

    #[test]
    fn propagator_patterns_follow_every_path_between_variables() {
        let (t, f) = (true, false);
        // CUBA: v is driven by both synaptic variables, which decay on their own.
        assert_eq!(pattern(&["(m + h - (V - p0))/p1", "-m/p2", "-h/5"]), [t, t, t, f, t, f, f, f, t]);
        // A chain V <- m <- h: V depends on h through m; nothing depends on V; the diagonal is
        // kept for a variable whose equation does not mention it (dh/dt = 1).
        assert_eq!(pattern(&["-V + m", "-m + h", "1"]), [t, t, t, f, t, t, f, f, t]);
        // A cycle couples everything in it.
        assert_eq!(pattern(&["m", "h", "V"]), [t; 9]);
        assert!(pattern(&[]).is_empty());
    }

    #[test]
    fn state_free_terms_are_those_left_with_the_state_at_zero() {
        let terms = |src: &[&str]| state_free_terms(&src.iter().map(|s| parse(s)).collect::<Vec<_>>());
        let (t, f) = (true, false);
        // CUBA: the membrane has its resting potential, the synaptic variables decay.
        assert_eq!(terms(&["(m + h - (V - p0))/p1", "-m/p2", "-h/5"]), [t, f, f]);
        // An input, a parameter or time is a state-free term; a product with a state is not.
        assert_eq!(terms(&["-V/p0 + I", "p1 - m", "t*h", "exp(-t)*(V - m)"]), [t, t, f, f]);
    }

    #[test]
    fn uses_state_sees_named_expressions() {
        assert!(parse("p0 + V").uses_state());
        assert!(parse("n0*p1").uses_state());
        assert!(!parse("p0*I + t").uses_state());
    }
}
