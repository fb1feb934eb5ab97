//! What a fit gives back to its user: a table of the estimates with their uncertainties, the
//! predicted trace beside the data as CSV, and a PNG of both with the residuals.

use super::data::Recording;
use super::least_squares::{FitResult, Stop};
use crate::error::SimError;
use std::fmt;
use std::path::Path;

impl fmt::Display for FitResult {
    /// One row per fitted quantity: estimate, standard error, relative standard error and
    /// the 95 % interval (±1.96 standard errors), and "at its bound" for an estimate that
    /// ended on a bound; then the RMS residual and how the iteration ended.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self.names.iter().map(String::len).max().unwrap_or(0).max(9);
        writeln!(f, "{:<w$} {:>12} {:>11} {:>8} {:>27}", "quantity", "estimate", "std error", "rel", "95 % interval")?;
        for (j, (name, est)) in self.names.iter().zip(&self.estimates).enumerate() {
            match self.std_errors.as_ref().map(|s| s[j]).filter(|se| !se.is_nan()) {
                Some(se) => {
                    let (lo, hi) = (est - 1.96 * se, est + 1.96 * se);
                    let rel = 100.0 * se / est.abs();
                    write!(f, "{name:<w$} {est:>12.6} {se:>11.3e} {rel:>7.2}% [{lo:>12.6}, {hi:>12.6}]")?;
                }
                None => write!(f, "{name:<w$} {est:>12.6} {:>11} {:>8} {:>27}", "-", "-", "(not determined)")?,
            }
            writeln!(f, "{}", if self.at_bound.get(j) == Some(&true) { " at its bound" } else { "" })?;
        }
        write!(
            f,
            "RMS residual {:.4} mV over {} samples; {} after {} iterations",
            self.rms,
            self.predicted.len(),
            self.solution.stop,
            self.solution.iterations
        )
    }
}

impl fmt::Display for Stop {
    /// Whether the iteration converged or stopped at a limit, and by which test:
    /// `converged (relative cost reduction below ftol)`, `stopped at max_iter`, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stop::Cost => "converged (relative cost reduction below ftol)",
            Stop::Step => "converged (relative step below xtol)",
            Stop::Gradient => "converged (gradient below gtol)",
            Stop::MaxIterations => "stopped at max_iter",
            Stop::NoProgress => "stopped without progress (no acceptable step)",
        })
    }
}

impl FitResult {
    /// The estimate of `name` and its standard error, or `None` for a name not fitted.
    ///
    /// The standard error is NaN when it is not determined: for a quantity the data do not
    /// constrain (JᵀJ, the information matrix, is singular along it; the others keep their
    /// errors), or for every quantity when there are no more samples than fitted quantities
    /// ([`std_errors`](Self::std_errors) is then `None`). The table prints "(not
    /// determined)". Test it with `is_nan()`: NaN is equal to nothing, itself included.
    ///
    /// ```
    /// use spyks_core::estimate::{Free, LevenbergMarquardt, Recording, TraceCost};
    /// spyks_core::neuron_model! {
    ///     model Passive;
    ///     parameters { tau: 10 ms, E: -70 mV, R: 100 Mohm }
    ///     state { V: -70 mV }
    ///     inputs { I: 0 pA }
    ///     equations { dV/dt = (E - V + R * I) / tau }
    /// }
    /// let model = Passive::new();
    /// // One sample: an estimate, but no residual left to measure its error by.
    /// let rec = Recording::new(0.1, vec![-65.0], "mV", vec![0.0], "pA")?;
    /// let mut cost = TraceCost::new(&model, &rec, "I", "V", vec![Free::initial("V")])?;
    /// let fit = LevenbergMarquardt::default().fit(&mut cost)?;
    /// let (v0, se) = fit.get("V").unwrap();
    /// assert!((v0 + 65.0).abs() < 1e-9);
    /// assert!(se.is_nan() && fit.std_errors.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&self, name: &str) -> Option<(f64, f64)> {
        let j = self.names.iter().position(|n| n == name)?;
        Some((self.estimates[j], self.std_errors.as_ref().map_or(f64::NAN, |s| s[j])))
    }

    /// Writes `t_ms, data_mV, predicted_mV, residual_mV` for every sample of the fitted
    /// `recording`.
    pub fn write_csv(&self, recording: &Recording, path: impl AsRef<Path>) -> Result<(), SimError> {
        let path = path.as_ref();
        let io = |e: &dyn fmt::Display| SimError::Io { path: path.display().to_string(), message: e.to_string() };
        self.check_recording(recording)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| io(&e))?;
        }
        let mut w = csv::Writer::from_path(path).map_err(|e| io(&e))?;
        w.write_record(["t_ms", "data_mV", "predicted_mV", "residual_mV"]).map_err(|e| io(&e))?;
        for (k, (d, p)) in recording.voltage().iter().zip(&self.predicted).enumerate() {
            let t = k as f64 * recording.dt();
            w.write_record([t.to_string(), d.to_string(), p.to_string(), (p - d).to_string()]).map_err(|e| io(&e))?;
        }
        w.flush().map_err(|e| io(&e))
    }

    fn check_recording(&self, recording: &Recording) -> Result<(), SimError> {
        if recording.len() != self.predicted.len() {
            return Err(SimError::Unsupported(format!(
                "the recording has {} samples but the fit predicted {}: pass the recording that was fitted",
                recording.len(),
                self.predicted.len()
            )));
        }
        Ok(())
    }

    /// Two panels: the data (grey) and the fitted model's voltage over the whole recording,
    /// and the residuals; the title lists the estimates with their standard errors.
    #[cfg(feature = "plot")]
    pub fn figure(&self, recording: &Recording) -> Result<crate::plot::Figure, SimError> {
        use crate::plot::{Figure, Panel, Style};
        self.check_recording(recording)?;
        let t = recording.times();
        let resid: Vec<f64> = self.predicted.iter().zip(recording.voltage()).map(|(p, d)| p - d).collect();
        let grey = Style::rgb(150, 150, 150).width(1);
        let trace = Panel::new("data and fitted model")
            .x_label("t (ms)")
            .y_label("V (mV)")
            .line_with(&t, recording.voltage(), "data", grey)
            .line_with(&t, &self.predicted, "fit", Style::rgb(214, 39, 40).width(1));
        let residuals =
            Panel::new(&format!("residuals (RMS {:.3} mV)", self.rms)).x_label("t (ms)").y_label("mV").line_with(&t, &resid, "", grey);
        let title = self
            .names
            .iter()
            .zip(&self.estimates)
            .enumerate()
            .map(|(j, (n, e))| match self.std_errors.as_ref() {
                Some(se) => format!("{n} = {e:.4} ± {:.2e}", se[j]),
                None => format!("{n} = {e:.4}"),
            })
            .collect::<Vec<_>>()
            .join(", ");
        Ok(Figure::new(1).title(&title).panel_size(1100, 300).panel(trace).panel(residuals))
    }

    /// Saves [`FitResult::figure`] as a PNG.
    #[cfg(feature = "plot")]
    pub fn save_png(&self, recording: &Recording, path: impl AsRef<Path>) -> Result<(), SimError> {
        let path = path.as_ref();
        self.figure(recording)?.save_png(path).map_err(|e| SimError::Io { path: path.display().to_string(), message: e.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::Stop;

    /// The report says in words whether the fit converged: a convergence test reads
    /// "converged", a limit "stopped", never the variant's bare name.
    #[test]
    fn a_stop_says_whether_the_fit_converged() {
        for stop in [Stop::Cost, Stop::Step, Stop::Gradient, Stop::MaxIterations, Stop::NoProgress] {
            let text = stop.to_string();
            let word = if stop.converged() { "converged" } else { "stopped" };
            assert!(text.starts_with(word), "{stop:?}: {text}");
            assert_ne!(text, format!("{stop:?}"));
        }
    }
}
