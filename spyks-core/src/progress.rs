//! Progress bars for long runs (sweeps, populations, long simulations), built on indicatif.
//!
//! A bar is shown only when it helps: it is hidden when standard error is not a terminal
//! (pipes, CI logs, `cargo test` capturing output) and when the environment variable
//! `SPYKS_PROGRESS` is `0` (also `false`, `off` or `no`). A hidden bar holds no indicatif
//! state and every update is a single branch, so code can report progress unconditionally.
//!
//! ```
//! use spyks_core::progress::Progress;
//! let p = Progress::new(100, "sweep");
//! for _ in 0..100 {
//!     // ... one unit of work ...
//!     p.inc(1);
//! }
//! p.finish();
//! ```

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The environment variable that hides progress bars when set to `0`.
pub const ENV_VAR: &str = "SPYKS_PROGRESS";

/// A progress bar on standard error, or nothing when hidden (see the module docs).
#[derive(Clone, Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar counting to `total` with a short message in front; hidden when standard error
    /// is not a terminal or `SPYKS_PROGRESS=0`.
    pub fn new(total: u64, message: &str) -> Self {
        if !enabled() {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{msg} [{elapsed_precise}] {wide_bar} {percent:>3}% (eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message(message.to_string());
        Progress { bar: Some(bar) }
    }

    /// A bar that never shows.
    pub fn hidden() -> Self {
        Progress { bar: None }
    }

    /// Whether the bar is drawn.
    pub fn is_visible(&self) -> bool {
        self.bar.is_some()
    }

    /// Advances by `n`.
    #[inline]
    pub fn inc(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
        }
    }

    /// Sets the position (clamped to the total by the display).
    #[inline]
    pub fn set_position(&self, pos: u64) {
        if let Some(b) = &self.bar {
            b.set_position(pos);
        }
    }

    /// Fills the bar and leaves it on screen with the elapsed time.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            if let Some(total) = b.length() {
                b.set_position(total);
            }
            b.finish();
        }
    }
}

/// Whether bars are shown: standard error is a terminal and `SPYKS_PROGRESS` is not `0`.
pub fn enabled() -> bool {
    decide(std::env::var(ENV_VAR).ok().as_deref(), std::io::stderr().is_terminal())
}

/// The decision of [`enabled`] from the variable's value and whether stderr is a terminal.
fn decide(var: Option<&str>, terminal: bool) -> bool {
    let off = var.is_some_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "0" | "false" | "off" | "no"));
    terminal && !off
}

/// Reports the progress of a run through model time to a [`Progress`] bar in steps of 1‰,
/// so that the integration loop pays one comparison per step.
#[derive(Debug)]
pub(crate) struct TimeProgress {
    bar: Progress,
    t0: f64,
    span: f64,
    /// The model time of the next update (infinite when hidden).
    next: f64,
}

impl TimeProgress {
    /// Per mille resolution of the bar.
    const STEPS: u64 = 1000;

    /// A bar over [t0, t_end] when `show` (and bars are enabled), else an inert one.
    pub fn new(show: bool, t0: f64, t_end: f64, message: &str) -> Self {
        let span = t_end - t0;
        let bar = if show && span > 0.0 { Progress::new(Self::STEPS, message) } else { Progress::hidden() };
        let next = if bar.is_visible() { t0 } else { f64::INFINITY };
        TimeProgress { bar, t0, span, next }
    }

    /// Notes that the run reached model time `t`.
    #[inline(always)]
    pub fn at(&mut self, t: f64) {
        if t >= self.next {
            self.update(t);
        }
    }

    #[cold]
    fn update(&mut self, t: f64) {
        let k = (((t - self.t0) / self.span) * Self::STEPS as f64).floor().clamp(0.0, Self::STEPS as f64);
        self.bar.set_position(k as u64);
        self.next = self.t0 + (k + 1.0) / Self::STEPS as f64 * self.span;
    }

    /// Fills and closes the bar.
    pub fn finish(&self) {
        self.bar.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_only_on_a_terminal_and_not_switched_off() {
        assert!(decide(None, true));
        assert!(decide(Some("1"), true));
        assert!(!decide(None, false));
        assert!(!decide(Some("1"), false));
        for off in ["0", "false", "OFF", " no "] {
            assert!(!decide(Some(off), true), "{off}");
        }
    }

    #[test]
    fn hidden_bars_do_nothing() {
        let p = Progress::hidden();
        assert!(!p.is_visible());
        p.inc(5);
        p.set_position(3);
        p.finish();
        // Test runs capture stderr, so bars are hidden here whatever the variable says.
        assert!(!Progress::new(10, "x").is_visible() || std::io::stderr().is_terminal());
        let mut t = TimeProgress::new(false, 0.0, 10.0, "run");
        assert_eq!(t.next, f64::INFINITY);
        t.at(5.0);
        t.finish();
    }

    #[test]
    fn time_progress_advances_per_mille() {
        // A bar with state but drawn nowhere, so that positions can be read back.
        let bar = Progress { bar: Some(ProgressBar::with_draw_target(Some(1000), ProgressDrawTarget::hidden())) };
        let mut t = TimeProgress { bar, t0: 10.0, span: 100.0, next: 10.0 };
        let pos = |t: &TimeProgress| t.bar.bar.as_ref().unwrap().position();
        t.at(10.0);
        assert_eq!(pos(&t), 0);
        assert!((t.next - 10.1).abs() < 1e-12);
        t.at(10.05);
        assert!((t.next - 10.1).abs() < 1e-12);
        t.at(55.0);
        assert_eq!(pos(&t), 450);
        assert!((t.next - 55.1).abs() < 1e-9);
        t.at(200.0);
        assert_eq!(pos(&t), 1000);
        t.finish();
        assert!(t.bar.bar.as_ref().unwrap().is_finished());
    }

    crate::neuron_model! {
        model Lif;
        parameters { tau: 10 ms, E_l: -70 mV, v_th: -50 mV, v_r: -70 mV, R: 100 Mohm }
        state { v: -70 mV }
        inputs { I: 300 pA }
        equations { dv/dt = (E_l - v + R*I) / tau }
        threshold { v >= v_th }
        reset { v = v_r }
    }

    #[test]
    fn a_run_with_a_bar_gives_the_same_results() {
        use crate::integrate::{Dopri5, Rk4};
        let m = Lif::new();
        let sim = crate::Simulation::new(&m, 100.0);
        let fixed = |s: &crate::Simulation<Lif>| s.run_fixed(&mut Rk4, 0.1).unwrap();
        let (a, b) = (fixed(&sim), fixed(&sim.clone().progress(true)));
        assert_eq!(b.spikes.len(), 9);
        assert_eq!((a.times, a.columns, a.spikes), (b.times, b.columns, b.spikes));
        let adaptive = |s: &crate::Simulation<Lif>| s.run_adaptive(&Dopri5::new()).unwrap();
        let (a, b) = (adaptive(&sim), adaptive(&sim.clone().progress(true)));
        assert_eq!(a.spikes.len(), 9);
        // Independent reference: from reset, v rises to E_l + R I = -40 mV with time constant
        // tau, so it reaches -50 mV after tau ln((R I) / (R I - 20 mV)) = 10 ln 3 ms.
        let period = 10.0 * 3f64.ln();
        for (k, &t) in b.spikes.iter().enumerate() {
            assert!((t - (k + 1) as f64 * period).abs() < 1e-3, "spike {k} at {t} ms, period {period}");
        }
        assert_eq!((a.times, a.columns, a.spikes), (b.times, b.columns, b.spikes));
    }
}
