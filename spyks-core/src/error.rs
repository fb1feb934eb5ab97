//! Run-time errors: precise messages, never a panic on user input.

use crate::meta::VarInfo;

/// A variable name that the model does not have.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("unknown name `{name}`; the valid names are: {}", valid.join(", "))]
pub struct NameError {
    /// The name asked for.
    pub name: String,
    /// The names that exist.
    pub valid: Vec<&'static str>,
}

impl NameError {
    /// Builds the error from the name asked for and the variables that exist.
    pub fn new(name: &str, info: &'static [VarInfo]) -> Self {
        NameError { name: name.to_string(), valid: info.iter().map(|v| v.name).collect() }
    }
}

/// A slice of the wrong length where a whole vector was expected.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("expected {expected} values, found {found}")]
pub struct LengthError {
    /// The length required.
    pub expected: usize,
    /// The length given.
    pub found: usize,
}

/// Why a simulation could not run or stopped. Every variant names what went wrong, where
/// (time, variable) and the offending value.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SimError {
    /// A state variable became NaN or infinite.
    #[error("state variable `{var}` became {value} at t = {t} ms")]
    NonFinite {
        /// Time (ms) of the step that produced it.
        t: f64,
        /// The variable.
        var: &'static str,
        /// Its value (NaN or ±inf).
        value: f64,
    },
    /// A recorded named expression was NaN while the state was finite: the expression is
    /// undefined there (the square root or logarithm of a negative number, 0/0), and a file
    /// of its values would carry a NaN no one asked for. (An infinite value is recorded as
    /// such.)
    #[error(
        "the named expression `{name}` is NaN at t = {t} ms, where the state is finite: it is undefined there (a square root or logarithm of a negative number, 0/0, ...)"
    )]
    UndefinedExpression {
        /// The first recorded time (ms) at which it is NaN.
        t: f64,
        /// The expression.
        name: &'static str,
    },
    /// The adaptive step size fell below the minimum.
    #[error(
        "the step size collapsed to {} ms at t = {t} ms (minimum {} ms), held back by `{var}` = {}{} changing at {} {}: the model is too stiff or discontinuous there, or its solution blows up",
        number(*h),
        number(*h_min),
        number(*value),
        unit_suffix(unit),
        number(*rate),
        per_ms(unit)
    )]
    StepSizeCollapse {
        /// Time (ms).
        t: f64,
        /// The rejected step size (ms).
        h: f64,
        /// The configured minimum (ms).
        h_min: f64,
        /// The state variable with the largest error in the last step tried (the one that
        /// kept the step size down).
        var: &'static str,
        /// Its value at `t` (internal unit).
        value: f64,
        /// Its time derivative at `t` (internal unit per ms): huge for a blow-up (an
        /// exponential integrate-and-fire's upstroke far above its threshold), moderate for
        /// stiffness or a discontinuity.
        rate: f64,
        /// Its internal unit ("1" if dimensionless, as in the model's variable table).
        unit: &'static str,
    },
    /// An adaptive run took the most steps it may ([`crate::integrate::Dopri5::max_steps`]).
    #[error(
        "the run took {steps} steps and reached only t = {t} ms: the solution changes too fast there for the tolerances (raise Dopri5::max_steps if the run needs more steps)"
    )]
    TooManySteps {
        /// Time reached (ms).
        t: f64,
        /// The number of steps taken (the limit).
        steps: u64,
    },
    /// A parameter value that makes the model meaningless.
    #[error("parameter `{name}` = {value} is invalid: {reason}")]
    InvalidParameter {
        /// The parameter.
        name: &'static str,
        /// Its value.
        value: f64,
        /// Why it is invalid.
        reason: String,
    },
    /// A run setting (time step, duration, tolerance, ...) that cannot work.
    #[error("invalid setting `{name}` = {value}: {reason}")]
    InvalidSetting {
        /// The setting.
        name: &'static str,
        /// Its value.
        value: f64,
        /// Why it is invalid.
        reason: String,
    },
    /// A list of names (the parameters or initial values a sensitivity run differentiates
    /// by, ...) that holds one name twice.
    #[error("the {kind} `{name}` is listed twice in `{setting}`")]
    RepeatedName {
        /// The setting holding the list.
        setting: &'static str,
        /// What the names are (parameter, state variable).
        kind: &'static str,
        /// The name listed twice.
        name: &'static str,
    },
    /// A stimulus with an invalid parameter, or an input that is not finite at a time a run
    /// reads it (fixed-step or adaptive), `what` giving the time.
    #[error("the stimulus of input `{input}` has an invalid {what}: {value}")]
    InvalidInput {
        /// The input.
        input: String,
        /// What is wrong.
        what: String,
        /// The value.
        value: f64,
    },
    /// A name that the model does not have.
    #[error(transparent)]
    Name(#[from] NameError),
    /// A linear solve failed (singular iteration matrix in an implicit method): the matrix
    /// I - h·γ·J has no usable pivot in the column of `var`, as when a growth rate of the
    /// model is near 1/(γh).
    #[error("the {method} iteration matrix is singular at t = {t} ms, in the column of `{var}` (= {value} there); try a smaller step")]
    Singular {
        /// The method.
        method: &'static str,
        /// Time (ms) of the step's start.
        t: f64,
        /// The state variable of the column without a usable pivot.
        var: &'static str,
        /// Its value where the Jacobian was evaluated (internal unit).
        value: f64,
    },
    /// An implicit method evaluated the model's Jacobian where an entry is NaN or infinite (a
    /// square root or a logarithm at 0, a division by zero).
    #[error("the {method} step needs the Jacobian, and ∂(d{equation}/dt)/∂{var} is {entry} at t = {t} ms, where `{var}` = {value}")]
    NonFiniteJacobian {
        /// The method.
        method: &'static str,
        /// Time (ms) where the Jacobian was evaluated.
        t: f64,
        /// The state variable whose equation is differentiated (the entry's row).
        equation: &'static str,
        /// The state variable it is differentiated by (the entry's column).
        var: &'static str,
        /// The entry (NaN or ±inf).
        entry: f64,
        /// The value of `var` there (internal unit).
        value: f64,
    },
    /// Newton's iteration of an implicit method did not converge.
    #[error("the {method} Newton iteration did not converge at t = {t} ms: after {iterations} iterations {}; try a smaller step", newton_state(var, *value, *update))]
    NoConvergence {
        /// The method.
        method: &'static str,
        /// Time (ms) of the step's start.
        t: f64,
        /// The iterations made.
        iterations: usize,
        /// The state variable with the largest update, relative to its tolerance, in the last
        /// iteration.
        var: &'static str,
        /// Its last iterate (internal unit).
        value: f64,
        /// Its last update (NaN when the iteration produced NaN).
        update: f64,
    },
    /// The method cannot integrate this model (for instance noise with a deterministic method).
    #[error("{0}")]
    Unsupported(String),
    /// Writing output failed.
    #[error("cannot write `{path}`: {message}")]
    Io {
        /// The file.
        path: String,
        /// The system's message.
        message: String,
    },
}

/// `x` as `Display` writes it where that is short (`7.5`, `-70`, `0`), with an exponent below
/// 1e-4 and from 1e9 in magnitude (`1e-12`, `6.8e11`), where `Display` writes every digit of
/// the plain decimal form (`0.000000000001`).
fn number(x: f64) -> String {
    crate::output::number_in(x, 1e-4..1e9)
}

/// What the last Newton iteration left: "`x` = 2 still moved by 0.5", or "`x` became NaN".
fn newton_state(var: &str, value: f64, update: f64) -> String {
    if value.is_finite() && update.is_finite() {
        format!("`{var}` = {value} still moved by {update}")
    } else {
        format!("`{var}` became {}", if value.is_finite() { update } else { value })
    }
}

/// " mV" for a unit, nothing for a dimensionless value (unit "1" or empty).
fn unit_suffix(unit: &str) -> String {
    if crate::output::dimensionless(unit) { String::new() } else { format!(" {unit}") }
}

/// "mV/ms", or "1/ms" for a dimensionless value (unit "1" or empty).
fn per_ms(unit: &str) -> String {
    if crate::output::dimensionless(unit) { "1/ms".to_string() } else { format!("{unit}/ms") }
}

#[cfg(test)]
mod tests {
    use super::SimError;

    /// The collapse report reads as the README quotes it: step sizes near the 1e-12 ms
    /// minimum in scientific notation, not as thirteen zeros and the digits.
    #[test]
    fn a_collapsed_step_size_is_written_in_scientific_notation() {
        let e = SimError::StepSizeCollapse { t: 7.5, h: 7.9e-13, h_min: 1e-12, var: "V", value: -52.25, rate: 6.8e11, unit: "mV" };
        let msg = e.to_string();
        assert!(msg.starts_with("the step size collapsed to 7.9e-13 ms at t = 7.5 ms (minimum 1e-12 ms)"), "{msg}");
        assert!(msg.contains("held back by `V` = -52.25 mV changing at 6.8e11 mV/ms: "), "{msg}");
    }
}
