//! Time-dependent inputs: one [`Signal`] per input of a model, gathered in a [`Stimulus`].
//!
//! A signal is a plain enum (matched, not dispatched through a vtable, in the hot loop) in
//! the model's internal units. Discontinuities are reported so that adaptive integrators step
//! onto them instead of smearing them.

use crate::error::SimError;
use crate::model::NeuronModel;
use crate::vector::Vector;
use std::sync::Arc;

mod validate;

/// How a sampled waveform is read between samples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interp {
    /// The nearest sample: index `round(t/dt)` (half away from zero), clamped to the array.
    /// This is spyks' rule, so a step written at sample k takes effect at (k - 0.5)·dt.
    Nearest,
    /// Linear interpolation between samples, held constant outside the array.
    Linear,
}

/// A scalar signal of time (ms), in the internal unit of the input it drives.
#[derive(Clone)]
pub enum Signal {
    /// A constant.
    Const(f64),
    /// `before` until `at`, then `after`.
    Step {
        /// Time of the step (ms): +∞ for a step that never comes, −∞ for one that came
        /// before any run.
        at: f64,
        /// Value before.
        before: f64,
        /// Value from `at` on.
        after: f64,
    },
    /// `amplitude` on [start + k·period, start + k·period + width) for k = 0..count, 0 otherwise.
    Pulses {
        /// First pulse onset (ms).
        start: f64,
        /// Pulse width (ms): +∞ for a pulse that never ends.
        width: f64,
        /// Onset-to-onset period (ms): +∞ only for a single pulse.
        period: f64,
        /// Number of pulses.
        count: usize,
        /// Pulse amplitude.
        amplitude: f64,
    },
    /// 0 before `start`, rising linearly from `from` at `start` towards `to` at `end`, and 0
    /// from `end` on: on [start, end), like a pulse (so a step that starts at `end` reads 0).
    Ramp {
        /// Start time (ms).
        start: f64,
        /// End time (ms).
        end: f64,
        /// Value at `start`.
        from: f64,
        /// The value approached at `end` (its limit from before).
        to: f64,
    },
    /// A sampled waveform starting at t = 0 with interval `dt` (ms).
    Sampled {
        /// Sampling interval (ms).
        dt: f64,
        /// The samples.
        values: Arc<[f64]>,
        /// How to read between samples.
        interp: Interp,
    },
    /// The sum of several signals.
    Sum(Vec<Signal>),
    /// An arbitrary function of time.
    Func(Arc<dyn Fn(f64) -> f64 + Send + Sync>),
}

impl std::fmt::Debug for Signal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Signal::Const(v) => write!(f, "Const({v})"),
            Signal::Step { at, before, after } => write!(f, "Step {{ at: {at}, before: {before}, after: {after} }}"),
            Signal::Pulses { start, width, period, count, amplitude } => {
                write!(f, "Pulses {{ start: {start}, width: {width}, period: {period}, count: {count}, amplitude: {amplitude} }}")
            }
            Signal::Ramp { start, end, from, to } => write!(f, "Ramp {{ start: {start}, end: {end}, from: {from}, to: {to} }}"),
            Signal::Sampled { dt, values, interp } => write!(f, "Sampled {{ dt: {dt}, len: {}, interp: {interp:?} }}", values.len()),
            Signal::Sum(s) => f.debug_tuple("Sum").field(s).finish(),
            Signal::Func(_) => write!(f, "Func(..)"),
        }
    }
}

impl Signal {
    /// A sampled waveform.
    pub fn sampled(dt: f64, values: impl Into<Arc<[f64]>>, interp: Interp) -> Self {
        Signal::Sampled { dt, values: values.into(), interp }
    }

    /// An arbitrary function of time.
    pub fn func(f: impl Fn(f64) -> f64 + Send + Sync + 'static) -> Self {
        Signal::Func(Arc::new(f))
    }

    /// A signal that is `amplitude` on [start, stop) and 0 elsewhere (pyN's current schedule):
    /// a single pulse. `stop` must be after `start`, and may be +∞ (on from `start`).
    pub fn window(start: f64, stop: f64, amplitude: f64) -> Self {
        Signal::Pulses { start, width: stop - start, period: f64::INFINITY, count: 1, amplitude }
    }

    /// An Ornstein-Uhlenbeck process with mean `mean`, standard deviation `sigma` and time
    /// constant `tau` (ms), sampled exactly on a grid of `dt` up to `t_end` from a seeded
    /// portable generator, read by linear interpolation.
    ///
    /// Errors (naming the argument): a mean that is not finite, a negative or non-finite
    /// `sigma`, a `tau` or `dt` that is not finite and positive, a negative or non-finite
    /// `t_end`, and more samples than can be held (more than 2⁵², or memory that cannot be
    /// allocated).
    ///
    /// ```
    /// use spyks_core::Signal;
    /// let noise = Signal::ornstein_uhlenbeck(0.0, 5.0, 10.0, 0.1, 1000.0, 7)?;
    /// assert_eq!(noise.at(0.0), 0.0);
    /// assert!(Signal::ornstein_uhlenbeck(0.0, 5.0, -10.0, 0.1, 1000.0, 7).is_err());
    /// # Ok::<(), spyks_core::SimError>(())
    /// ```
    // `!(x > 0.0)` on purpose: it also rejects NaN.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    pub fn ornstein_uhlenbeck(mean: f64, sigma: f64, tau: f64, dt: f64, t_end: f64, seed: u64) -> Result<Self, SimError> {
        use rand::SeedableRng;
        use rand_distr::Distribution;
        let bad = |name: &'static str, value: f64, reason: &str| Err(SimError::InvalidSetting { name, value, reason: reason.into() });
        if !mean.is_finite() {
            return bad("mean", mean, "the mean of the Ornstein-Uhlenbeck process must be finite");
        }
        if !(sigma >= 0.0 && sigma.is_finite()) {
            return bad("sigma", sigma, "the standard deviation must be finite and not negative");
        }
        if !(tau > 0.0 && tau.is_finite()) {
            return bad("tau", tau, "the time constant must be finite and positive");
        }
        if !(dt > 0.0 && dt.is_finite()) {
            return bad("dt", dt, "the sampling interval must be finite and positive");
        }
        if !(t_end >= 0.0 && t_end.is_finite()) {
            return bad("t_end", t_end, "the duration must be finite and not negative");
        }
        let steps = (t_end / dt).ceil();
        if steps > crate::simulate::MAX_COUNT {
            return bad("dt", dt, &format!("{steps:.3e} samples up to t_end = {t_end} ms are more than 2^52"));
        }
        let n = steps as usize + 1;
        let mut values = Vec::new();
        if values.try_reserve_exact(n).is_err() {
            return bad("dt", dt, &format!("{n} samples up to t_end = {t_end} ms do not fit in the memory"));
        }
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        let a = (-dt / tau).exp();
        let b = sigma * (1.0 - a * a).sqrt();
        let mut x = mean;
        for _ in 0..n {
            values.push(x);
            let z: f64 = rand_distr::StandardNormal.sample(&mut rng);
            x = mean + a * (x - mean) + b * z;
        }
        Ok(Signal::sampled(dt, values, Interp::Linear))
    }

    /// The value at time `t`.
    #[inline]
    pub fn at(&self, t: f64) -> f64 {
        match self {
            Signal::Const(v) => *v,
            Signal::Step { at, before, after } => {
                if t >= *at {
                    *after
                } else {
                    *before
                }
            }
            Signal::Pulses { start, width, period, count, amplitude } => {
                if t < *start || *count == 0 {
                    return 0.0;
                }
                // The last onset at or before t: past the train, its last pulse, which may
                // outlast the period.
                let k = if period.is_finite() { ((t - start) / period).floor() } else { 0.0 };
                let k = k.min((*count - 1) as f64);
                let onset = start + k * if period.is_finite() { *period } else { 0.0 };
                if t < onset + width { *amplitude } else { 0.0 }
            }
            Signal::Ramp { start, end, from, to } => {
                if t < *start || t >= *end {
                    0.0
                } else {
                    from + (to - from) * (t - start) / (end - start)
                }
            }
            Signal::Sampled { dt, values, interp } => sample(values, *dt, *interp, t),
            Signal::Sum(s) => s.iter().map(|s| s.at(t)).sum(),
            Signal::Func(f) => f(t),
        }
    }

    /// The first time in (t0, t1] where the signal jumps, if it has one there. Integrators
    /// end a step there so that a step current is not smeared over a step.
    pub fn next_jump(&self, t0: f64, t1: f64) -> Option<f64> {
        let inside = |x: f64| (x > t0 && x <= t1).then_some(x);
        match self {
            Signal::Const(_) | Signal::Func(_) => None,
            Signal::Step { at, .. } => inside(*at),
            Signal::Pulses { start, width, period, count, .. } => {
                let p = if period.is_finite() { *period } else { 0.0 };
                let onset = first_pulse_edge(*start, 0.0, p, *count, t0);
                let end = first_pulse_edge(*start, *width, p, *count, t0);
                [onset, end].into_iter().flatten().filter_map(inside).reduce(f64::min)
            }
            Signal::Ramp { start, end, .. } => inside(*start).or_else(|| inside(*end)),
            Signal::Sampled { dt, values, interp: Interp::Nearest } => {
                // Jumps at (k + 1/2)·dt, where sample k differs from sample k + 1: a run of
                // equal samples is one constant stretch, not a jump per sample.
                let first = (((t0 / dt) - 0.5).floor() + 1.0).max(0.0);
                let mut k = first as usize;
                while k + 1 < values.len() {
                    let x = (k as f64 + 0.5) * dt;
                    if x > t1 {
                        return None;
                    }
                    if x > t0 && values[k] != values[k + 1] {
                        return Some(x);
                    }
                    k += 1;
                }
                None
            }
            Signal::Sampled { .. } => None,
            Signal::Sum(s) => s.iter().filter_map(|s| s.next_jump(t0, t1)).reduce(f64::min),
        }
    }

    /// Whether the signal is constant between its jumps ([`next_jump`](Self::next_jump)):
    /// constants, steps, pulse trains, nearest-neighbour waveforms and sums of those.
    pub fn piecewise_constant(&self) -> bool {
        match self {
            Signal::Const(_) | Signal::Step { .. } | Signal::Pulses { .. } => true,
            Signal::Sampled { interp, .. } => *interp == Interp::Nearest,
            Signal::Sum(s) => s.iter().all(Signal::piecewise_constant),
            Signal::Ramp { .. } | Signal::Func(_) => false,
        }
    }
}

/// Reads a sampled array at time `t`.
#[inline]
fn sample(values: &[f64], dt: f64, interp: Interp, t: f64) -> f64 {
    let last = values.len() - 1;
    match interp {
        Interp::Nearest => {
            // f64::round rounds half away from zero, as spyks does.
            let k = (t / dt).round();
            let k = if k <= 0.0 { 0 } else { (k as usize).min(last) };
            values[k]
        }
        Interp::Linear => {
            let x = t / dt;
            if x <= 0.0 {
                return values[0];
            }
            let k = x.floor() as usize;
            if k >= last {
                return values[last];
            }
            let f = x - k as f64;
            values[k] + f * (values[k + 1] - values[k])
        }
    }
}

/// The signals driving each input of a model `M`, in the model's input order.
#[derive(Clone, Debug)]
pub struct Stimulus<M: NeuronModel> {
    signals: Vec<Signal>,
    /// The inputs when every signal is a constant (the common case, and the benchmark's):
    /// [`Stimulus::at`] is then one branch instead of a loop over the signals at every stage.
    constant: Option<M::Inputs>,
    _model: std::marker::PhantomData<fn() -> M>,
}

impl<M: NeuronModel> Default for Stimulus<M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M: NeuronModel> Stimulus<M> {
    /// Every input held at its declared default.
    pub fn new() -> Self {
        let signals = M::Inputs::INFO.iter().map(|v| Signal::Const(v.default)).collect();
        Stimulus { signals, constant: None, _model: std::marker::PhantomData }.with_constant()
    }

    /// Fills in `constant` when every signal is a constant (after any change of a signal).
    fn with_constant(mut self) -> Self {
        self.constant = None;
        if self.signals.iter().all(|s| matches!(s, Signal::Const(_))) {
            self.constant = Some(self.at(0.0));
        }
        self
    }

    /// Drives the input called `name` with `signal` (values in the input's internal unit).
    pub fn with(mut self, name: &str, signal: Signal) -> Result<Self, SimError> {
        let i = M::Inputs::index_of(name).map_err(SimError::Name)?;
        signal.validate(name)?;
        self.signals[i] = signal;
        Ok(self.with_constant())
    }

    /// The inputs at time `t`.
    #[inline]
    pub fn at(&self, t: f64) -> M::Inputs {
        if let Some(u) = self.constant {
            return u;
        }
        let mut u = M::Inputs::default();
        for (i, s) in self.signals.iter().enumerate() {
            u.set_index(i, s.at(t));
        }
        u
    }

    /// Whether every input is constant between the jumps [`next_jump`](Self::next_jump)
    /// finds ([`Signal::piecewise_constant`]).
    pub fn piecewise_constant(&self) -> bool {
        self.signals.iter().all(Signal::piecewise_constant)
    }

    /// The first jump of any input in (t0, t1].
    pub fn next_jump(&self, t0: f64, t1: f64) -> Option<f64> {
        if self.constant.is_some() {
            return None;
        }
        self.signals.iter().filter_map(|s| s.next_jump(t0, t1)).reduce(f64::min)
    }

    /// The signal of input `i`.
    pub fn signal(&self, i: usize) -> Option<&Signal> {
        self.signals.get(i)
    }
}

/// The first edge after `t0` of a pulse train: start + k·p + offset for the least k < `count`
/// with that time after `t0` (offset 0 for the onsets, the width for the ends), or `None`.
///
/// The pulse index is computed, never walked to: a step costs the same in a train of a
/// thousand pulses as in one of two. The edges do not decrease with k (rounding is
/// monotonic), so when rounding puts the computed index off, or the edges are too close for
/// the division to tell them apart, the index is found by bisection. (Walking from the
/// computed index visited every pulse of a train whose period was taken as 0.)
fn first_pulse_edge(start: f64, offset: f64, p: f64, count: usize, t0: f64) -> Option<f64> {
    let at = |k: usize| start + k as f64 * p + offset;
    let after = |k: usize| at(k) > t0;
    // The least k in [0, count] with an edge after t0 (count when there is none); a NaN
    // guess (a period of 0) is taken as 0.
    let guess = ((t0 - start - offset) / p).floor() + 1.0;
    let k = if guess > 0.0 { guess.min(count as f64) as usize } else { 0 };
    if (k == count || after(k)) && (k == 0 || !after(k - 1)) {
        return (k < count).then(|| at(k));
    }
    let (mut lo, mut hi) = (0, count);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if after(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    (lo < count).then(|| at(lo))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every onset and end of the train in (t0, t1], the least of them: the definition.
    fn pulses_next_jump_by_definition(start: f64, width: f64, period: f64, count: usize, t0: f64, t1: f64) -> Option<f64> {
        let p = if period.is_finite() { period } else { 0.0 };
        (0..count).flat_map(|k| [start + k as f64 * p, start + k as f64 * p + width]).filter(|&x| x > t0 && x <= t1).reduce(f64::min)
    }

    #[test]
    fn pulse_train_jumps_are_found_without_visiting_every_pulse() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        // Short and long trains, pulses shorter and longer than the period, one pulse, and
        // periods that are not binary fractions (rounding at the edges).
        let trains =
            [(10.0, 2.0, 5.0, 2), (0.0, 0.3, 0.7, 5000), (1.25, 1.0, 0.1, 300), (3.0, 7.5, f64::INFINITY, 1), (-4.0, 0.05, 1.0 / 3.0, 100)];
        for (start, width, period, count) in trains {
            let s = Signal::Pulses { start, width, period, count, amplitude: 1.0 };
            let span = (start + period.min(1e3) * count as f64 + width).max(20.0);
            let mut edges: Vec<f64> =
                (0..count.min(50)).map(|k| start + k as f64 * if period.is_finite() { period } else { 0.0 }).collect();
            edges.extend(edges.clone().iter().map(|e| e + width));
            for i in 0..4000 {
                // Random times, and times exactly on edges (a jump at t0 is not after it).
                let t0 = if i % 4 == 0 && !edges.is_empty() { edges[i / 4 % edges.len()] } else { rng.random_range(start - 5.0..span) };
                let t1 = t0 + rng.random_range(0.0..3.0);
                assert_eq!(
                    s.next_jump(t0, t1),
                    pulses_next_jump_by_definition(start, width, period, count, t0, t1),
                    "{s:?} on ({t0}, {t1}]"
                );
            }
        }
    }

    #[test]
    fn pulse_edges_are_found_without_walking_even_where_they_coincide() {
        // An infinite period (taken as 0) on a train that `validate` would reject: every onset
        // is the same time, and walking from the computed index visited all 2^64 pulses.
        let s = Signal::Pulses { start: 3.0, width: 2.0, period: f64::INFINITY, count: usize::MAX, amplitude: 1.0 };
        assert_eq!((s.next_jump(0.0, 10.0), s.next_jump(3.0, 10.0), s.next_jump(5.0, 10.0)), (Some(3.0), Some(5.0), None));
        // Onsets 1e-11 ms apart at 1e6 ms, where consecutive f64 are 1.16e-10 ms apart: about
        // a dozen pulses round to each representable time.
        let (start, width, period, count) = (1e6, 3e-11, 1e-11, 5000);
        let s = Signal::Pulses { start, width, period, count, amplitude: 1.0 };
        for i in 0..1000 {
            let t0 = start + (i as f64 - 100.0) * 7e-11;
            let t1 = t0 + 1e-9;
            assert_eq!(s.next_jump(t0, t1), pulses_next_jump_by_definition(start, width, period, count, t0, t1), "on ({t0}, {t1}]");
        }
    }

    #[test]
    fn pulses_longer_than_their_period_last_to_the_end_of_the_last() {
        // On [0, 3) ∪ [2, 5) ∪ [4, 7): on from 0 to 7 (times in quarters, exact in f64).
        let (start, width, period, count) = (0.0, 3.0, 2.0, 3);
        let s = Signal::Pulses { start, width, period, count, amplitude: 2.0 };
        for q in -4..40 {
            let t = q as f64 * 0.25;
            let on = (0..count).any(|k| start + k as f64 * period <= t && t < start + k as f64 * period + width);
            assert_eq!(s.at(t), if on { 2.0 } else { 0.0 }, "t = {t}");
        }
    }

    #[test]
    fn piecewise_constant_signals_are_those_constant_between_their_jumps() {
        let ramp = Signal::Ramp { start: 1.0, end: 2.0, from: 0.0, to: 1.0 };
        let pc = [
            Signal::Const(1.0),
            Signal::Step { at: 1.0, before: 0.0, after: 2.0 },
            Signal::window(1.0, 2.0, 3.0),
            Signal::sampled(0.5, vec![0.0, 1.0], Interp::Nearest),
            Signal::Sum(vec![Signal::Const(1.0), Signal::window(1.0, 2.0, 3.0)]),
        ];
        let not_pc = [
            ramp.clone(),
            Signal::sampled(0.5, vec![0.0, 1.0], Interp::Linear),
            Signal::func(|t| t),
            Signal::Sum(vec![Signal::Const(1.0), ramp]),
        ];
        assert!(pc.iter().all(Signal::piecewise_constant));
        assert!(!not_pc.iter().any(Signal::piecewise_constant));
    }

    #[test]
    fn nearest_sampling_follows_spyks_rounding() {
        let s = Signal::sampled(0.5, vec![0.0, 1.0, 2.0], Interp::Nearest);
        // index round(t/dt): t = 0.24 -> 0; 0.25 -> round(0.5) = 1 (half away from zero).
        assert_eq!(s.at(0.24), 0.0);
        assert_eq!(s.at(0.25), 1.0);
        assert_eq!(s.at(0.74), 1.0);
        assert_eq!(s.at(0.75), 2.0);
        assert_eq!(s.at(10.0), 2.0);
        assert_eq!(s.at(-1.0), 0.0);
        assert_eq!(s.next_jump(0.0, 1.0), Some(0.25));
        // A run of equal samples is one stretch: the only jump is between 0 and 1.
        let runs = Signal::sampled(1.0, vec![0.0, 0.0, 0.0, 1.0, 1.0], Interp::Nearest);
        assert_eq!(runs.next_jump(0.0, 10.0), Some(2.5));
        assert_eq!(runs.next_jump(0.0, 2.0), None);
        assert_eq!(runs.next_jump(2.5, 10.0), None);
    }

    #[test]
    fn shapes() {
        let p = Signal::Pulses { start: 10.0, width: 2.0, period: 5.0, count: 2, amplitude: 3.0 };
        assert_eq!((p.at(9.9), p.at(10.0), p.at(11.9), p.at(12.0), p.at(15.5), p.at(20.0)), (0.0, 3.0, 3.0, 0.0, 3.0, 0.0));
        assert_eq!(p.next_jump(10.0, 30.0), Some(12.0));
        let r = Signal::Ramp { start: 0.0, end: 10.0, from: 0.0, to: 5.0 };
        assert_eq!(r.at(4.0), 2.0);
        let l = Signal::sampled(1.0, vec![0.0, 10.0], Interp::Linear);
        assert_eq!(l.at(0.25), 2.5);
        let sum = Signal::Sum(vec![Signal::Const(1.0), Signal::window(5.0, 6.0, 2.0)]);
        assert_eq!((sum.at(4.0), sum.at(5.5), sum.at(6.0)), (1.0, 3.0, 1.0));
    }

    #[test]
    fn ou_process_has_the_requested_statistics() {
        let s = Signal::ornstein_uhlenbeck(2.0, 0.5, 10.0, 0.1, 50_000.0, 42).unwrap();
        let Signal::Sampled { values, .. } = &s else { panic!() };
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        // 50 s of a 10 ms process: ~5000 independent samples, so the mean is within ~0.02.
        assert!((mean - 2.0).abs() < 0.03, "{mean}");
        assert!((var.sqrt() - 0.5).abs() < 0.03, "{}", var.sqrt());
        // Same seed, same values.
        let t = Signal::ornstein_uhlenbeck(2.0, 0.5, 10.0, 0.1, 100.0, 42).unwrap();
        assert_eq!(t.at(33.3), s.at(33.3));
    }
}
