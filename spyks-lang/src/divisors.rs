//! The parameters a model divides by: a value of zero for one of them makes its equations
//! meaningless (a time constant of zero), which a run reports before it starts instead of as
//! the NaN it would turn into.

use crate::ir::{Ir, Model, Sym};

/// The parameters (indices, ascending) that are a factor of some divisor in the model's
/// equations, named expressions, threshold, reset, clip bounds or refractory period: `x/p`,
/// `x/(a·p)`, `x/p^2`, `p^-1`. Divisions inside a branch of an `if` are left out, since the
/// condition may keep them from being evaluated where the parameter is zero.
pub fn divisor_params(m: &Model) -> Vec<usize> {
    let mut found = vec![false; m.params.len()];
    let mut note = |e: &Ir| collect(e, &mut found);
    m.rhs.iter().chain(&m.named_defs).chain(&m.threshold).for_each(&mut note);
    m.reset.iter().for_each(|(_, e)| note(e));
    m.clip.iter().for_each(|c| note(&c.bound));
    if let Some((period, _)) = &m.refractory {
        note(period);
    }
    (0..found.len()).filter(|&i| found[i]).collect()
}

fn collect(e: &Ir, found: &mut [bool]) {
    e.visit(&mut |x| match x {
        Ir::If(c, _, _) => {
            collect(c, found);
            false
        }
        Ir::Div(_, b) => {
            factors(b, found);
            true
        }
        Ir::Powi(a, n) if *n < 0 => {
            factors(a, found);
            true
        }
        Ir::Powf(a, b) if matches!(**b, Ir::Const(c) if c < 0.0) => {
            factors(a, found);
            true
        }
        _ => true,
    });
}

/// Marks the parameters that are a factor of `e`: zero when they are.
fn factors(e: &Ir, found: &mut [bool]) {
    match e {
        Ir::Var(Sym::Param(i)) => found[*i] = true,
        Ir::Neg(a) | Ir::Powi(a, _) => factors(a, found),
        Ir::Mul(a, b) => {
            factors(a, found);
            factors(b, found);
        }
        Ir::Powf(a, b) if matches!(**b, Ir::Const(c) if c > 0.0) => factors(a, found),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Func;

    fn p(i: usize) -> Box<Ir> {
        Box::new(Ir::Var(Sym::Param(i)))
    }
    fn v() -> Box<Ir> {
        Box::new(Ir::Var(Sym::State(0)))
    }

    fn of(e: Ir, n: usize) -> Vec<usize> {
        let mut found = vec![false; n];
        collect(&e, &mut found);
        (0..n).filter(|&i| found[i]).collect()
    }

    #[test]
    fn factors_of_divisors_are_found_and_sums_and_branches_are_not() {
        // v / (p0 · p1^2) + v / (p2 + p3) + p4^-1 + exp(v / p5)
        let e = Ir::Add(
            Box::new(Ir::Add(
                Box::new(Ir::Div(v(), Box::new(Ir::Mul(p(0), Box::new(Ir::Powi(p(1), 2)))))),
                Box::new(Ir::Div(v(), Box::new(Ir::Add(p(2), p(3))))),
            )),
            Box::new(Ir::Add(Box::new(Ir::Powi(p(4), -1)), Box::new(Ir::Call(Func::Exp, vec![Ir::Div(v(), p(5))])))),
        );
        assert_eq!(of(e, 6), vec![0, 1, 4, 5]);
        // if p1 > 0 { v / p0 } else { 0 }: the branch may guard the division.
        let guarded = Ir::If(
            Box::new(Ir::Cmp(crate::ir::Cmp::Gt, p(1), Box::new(Ir::Const(0.0)))),
            Box::new(Ir::Div(v(), p(0))),
            Box::new(Ir::Const(0.0)),
        );
        assert_eq!(of(guarded, 2), Vec::<usize>::new());
        // A dividend is no divisor.
        assert_eq!(of(Ir::Div(p(0), v()), 1), Vec::<usize>::new());
    }
}
