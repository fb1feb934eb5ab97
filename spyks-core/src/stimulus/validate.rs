//! The checks of a [`Signal`]'s parameters, made when it is given to a [`Stimulus`](super::Stimulus).

use super::Signal;
use crate::error::SimError;

impl Signal {
    /// Checks the parameters of the signal; the error names the input (`name`) and the field.
    ///
    /// Every value must be finite, and so must every time, except where infinity means
    /// something: a step's time may be +∞ (a step that never comes) or −∞ (one that came
    /// before any run), a pulse's width +∞ (a pulse that never ends, as a window without a
    /// stop), and the period of a single pulse +∞. NaN is rejected everywhere.
    // `!(x > 0.0)` on purpose: it also rejects NaN.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    pub fn validate(&self, name: &str) -> Result<(), SimError> {
        let bad = |what: &str, value: f64| Err(SimError::InvalidInput { input: name.to_string(), what: what.to_string(), value });
        match self {
            Signal::Const(v) if !v.is_finite() => bad("value", *v),
            Signal::Step { at, .. } if at.is_nan() => bad("step time", *at),
            Signal::Step { before, after, .. } => {
                for (w, v) in [("value before", before), ("value after", after)] {
                    if !v.is_finite() {
                        return bad(w, *v);
                    }
                }
                Ok(())
            }
            Signal::Pulses { start, .. } if !start.is_finite() => bad("pulse start", *start),
            // A single pulse with no period is what `Signal::window` makes from a start and a
            // stop: the error speaks of those (the stop recovered up to rounding).
            Signal::Pulses { start, width, period, count: 1, .. } if !(*width > 0.0) && *period == f64::INFINITY => {
                let why = if *width < 0.0 { "before" } else { "not after" };
                bad(&format!("window stop ({why} its start, {start} ms)"), start + width)
            }
            Signal::Pulses { width, .. } if !(*width > 0.0) => bad("pulse width", *width),
            Signal::Pulses { period, .. } if !(*period > 0.0) => bad("pulse period", *period),
            Signal::Pulses { period, count, .. } if period.is_infinite() && *count > 1 => {
                bad(&format!("pulse period for {count} pulses (only a single pulse may have an infinite period)"), *period)
            }
            Signal::Pulses { amplitude, .. } if !amplitude.is_finite() => bad("pulse amplitude", *amplitude),
            Signal::Ramp { start, .. } if !start.is_finite() => bad("ramp start", *start),
            Signal::Ramp { end, .. } if !end.is_finite() => bad("ramp end", *end),
            Signal::Ramp { start, end, .. } if !(end > start) => bad("ramp end (must be after its start)", *end),
            Signal::Ramp { from, .. } if !from.is_finite() => bad("ramp value `from`", *from),
            Signal::Ramp { to, .. } if !to.is_finite() => bad("ramp value `to`", *to),
            Signal::Sampled { dt, values, .. } => {
                if !(*dt > 0.0 && dt.is_finite()) {
                    return bad("sampling interval", *dt);
                }
                if values.is_empty() {
                    return bad("number of samples", 0.0);
                }
                if let Some((i, v)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                    return bad(&format!("sample {i}"), *v);
                }
                Ok(())
            }
            Signal::Sum(s) => s.iter().try_for_each(|s| s.validate(name)),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message of the error that `signal` gives for an input called `I`.
    fn message(signal: Signal) -> String {
        signal.validate("I").map_or_else(|e| e.to_string(), |()| "accepted".into())
    }

    #[test]
    fn pulse_amplitudes_and_ramp_values_must_be_finite() {
        let pulses = |amplitude| Signal::Pulses { start: 1.0, width: 2.0, period: 5.0, count: 3, amplitude };
        assert_eq!(message(pulses(f64::NAN)), "the stimulus of input `I` has an invalid pulse amplitude: NaN");
        assert_eq!(message(pulses(f64::NEG_INFINITY)), "the stimulus of input `I` has an invalid pulse amplitude: -inf");
        let ramp = |from, to| Signal::Ramp { start: 1.0, end: 2.0, from, to };
        assert_eq!(message(ramp(f64::NAN, 1.0)), "the stimulus of input `I` has an invalid ramp value `from`: NaN");
        assert_eq!(message(ramp(0.0, f64::INFINITY)), "the stimulus of input `I` has an invalid ramp value `to`: inf");
        assert_eq!(
            message(Signal::Sum(vec![Signal::Const(1.0), pulses(f64::INFINITY)])),
            "the stimulus of input `I` has an invalid pulse amplitude: inf"
        );
        assert_eq!(message(pulses(-3.0)), "accepted");
        assert_eq!(message(ramp(-1.0, 1.0)), "accepted");
    }

    #[test]
    fn times_must_be_finite_where_infinity_means_nothing() {
        let pulses = |start, width| Signal::Pulses { start, width, period: 5.0, count: 3, amplitude: 1.0 };
        assert_eq!(message(pulses(f64::NAN, 1.0)), "the stimulus of input `I` has an invalid pulse start: NaN");
        assert_eq!(message(pulses(f64::INFINITY, 1.0)), "the stimulus of input `I` has an invalid pulse start: inf");
        assert_eq!(message(pulses(f64::NEG_INFINITY, 1.0)), "the stimulus of input `I` has an invalid pulse start: -inf");
        assert_eq!(message(pulses(0.0, f64::NAN)), "the stimulus of input `I` has an invalid pulse width: NaN");
        let ramp = |start, end| Signal::Ramp { start, end, from: 0.0, to: 1.0 };
        assert_eq!(message(ramp(f64::NAN, 2.0)), "the stimulus of input `I` has an invalid ramp start: NaN");
        assert_eq!(message(ramp(f64::NEG_INFINITY, 2.0)), "the stimulus of input `I` has an invalid ramp start: -inf");
        assert_eq!(message(ramp(1.0, f64::INFINITY)), "the stimulus of input `I` has an invalid ramp end: inf");
        assert_eq!(message(ramp(1.0, f64::NAN)), "the stimulus of input `I` has an invalid ramp end: NaN");
        let step = |at| Signal::Step { at, before: 1.0, after: 2.0 };
        assert_eq!(message(step(f64::NAN)), "the stimulus of input `I` has an invalid step time: NaN");
        // Infinity where it means something: a step that never comes or came before any
        // run, and a pulse that never ends.
        assert_eq!(message(step(f64::INFINITY)), "accepted");
        assert_eq!(message(step(f64::NEG_INFINITY)), "accepted");
        assert_eq!((step(f64::INFINITY).at(1e300), step(f64::NEG_INFINITY).at(-1e300)), (1.0, 2.0));
        let on = Signal::window(2.0, f64::INFINITY, 1.0);
        assert_eq!(message(on.clone()), "accepted");
        assert_eq!((on.at(1.0), on.at(2.0), on.at(1e300)), (0.0, 1.0, 1.0));
    }

    #[test]
    fn a_sampling_interval_must_be_finite() {
        let sampled = |dt| Signal::sampled(dt, vec![1.0, 2.0], crate::Interp::Linear);
        assert_eq!(message(sampled(f64::INFINITY)), "the stimulus of input `I` has an invalid sampling interval: inf");
        assert_eq!(message(sampled(f64::NAN)), "the stimulus of input `I` has an invalid sampling interval: NaN");
        assert_eq!(message(sampled(0.5)), "accepted");
    }

    #[test]
    fn only_a_single_pulse_may_have_an_infinite_period() {
        let pulses = |count| Signal::Pulses { start: 1.0, width: 2.0, period: f64::INFINITY, count, amplitude: 1.0 };
        assert_eq!(
            message(pulses(1_000_000_000)),
            "the stimulus of input `I` has an invalid pulse period for 1000000000 pulses (only a single pulse may have an infinite period): inf"
        );
        assert_eq!(message(pulses(1)), "accepted");
        assert_eq!(message(pulses(0)), "accepted");
        assert_eq!(message(Signal::window(1.0, 3.0, 1.0)), "accepted");
    }

    #[test]
    fn a_window_that_stops_before_it_starts_is_named_so() {
        assert_eq!(
            message(Signal::window(5.0, 3.0, 1.0)),
            "the stimulus of input `I` has an invalid window stop (before its start, 5 ms): 3"
        );
        assert_eq!(
            message(Signal::window(5.0, 5.0, 1.0)),
            "the stimulus of input `I` has an invalid window stop (not after its start, 5 ms): 5"
        );
        assert_eq!(
            message(Signal::window(5.0, f64::NAN, 1.0)),
            "the stimulus of input `I` has an invalid window stop (not after its start, 5 ms): NaN"
        );
        // A train's width is the user's own: the error still names it.
        let train = |period, count| Signal::Pulses { start: 5.0, width: -2.0, period, count, amplitude: 1.0 };
        assert_eq!(message(train(10.0, 3)), "the stimulus of input `I` has an invalid pulse width: -2");
        assert_eq!(message(train(f64::NEG_INFINITY, 1)), "the stimulus of input `I` has an invalid pulse width: -2");
    }
}
