//! The checks of a [`Signal`]'s parameters, made when it is given to a [`Stimulus`](super::Stimulus).

use super::Signal;
use crate::error::SimError;

impl Signal {
    /// Checks the parameters of the signal.
    // `!(x > 0.0)` on purpose: it also rejects NaN.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    pub fn validate(&self, name: &str) -> Result<(), SimError> {
        let bad = |what: &str, value: f64| Err(SimError::InvalidInput { input: name.to_string(), what: what.to_string(), value });
        match self {
            Signal::Const(v) if !v.is_finite() => bad("value", *v),
            Signal::Step { at, before, after } => {
                for (w, v) in [("step time", at), ("value before", before), ("value after", after)] {
                    if !v.is_finite() {
                        return bad(w, *v);
                    }
                }
                Ok(())
            }
            Signal::Pulses { width, .. } if !(*width > 0.0) => bad("pulse width", *width),
            Signal::Pulses { period, .. } if !(*period > 0.0) => bad("pulse period", *period),
            Signal::Ramp { start, end, .. } if !(end > start) => bad("ramp end (must be after its start)", *end),
            Signal::Sampled { dt, values, .. } => {
                if !(*dt > 0.0) {
                    return bad("sampling interval", *dt);
                }
                if values.is_empty() {
                    return bad("number of samples", 0.0);
                }
                if let Some((i, v)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                    return Err(SimError::InvalidInput { input: name.to_string(), what: format!("sample {i}"), value: *v });
                }
                Ok(())
            }
            Signal::Sum(s) => s.iter().try_for_each(|s| s.validate(name)),
            _ => Ok(()),
        }
    }
}
