//! Whether a model is a linear system with state-free coefficients, dx/dt = A·x + b(t, u),
//! so that a propagator exp(A·h) integrates it exactly (Brian2's `linear` method).

use crate::diff::{depends_on, derivative, in_condition, simplify};
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

    #[test]
    fn uses_state_sees_named_expressions() {
        assert!(parse("p0 + V").uses_state());
        assert!(parse("n0*p1").uses_state());
        assert!(!parse("p0*I + t").uses_state());
    }
}
