//! What an unscented Kalman filter run returns, and why it can fail.

use crate::error::{NameError, SimError};

/// Why [`Ukf`](super::Ukf) refused its settings or data, or stopped.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum UkfError {
    /// A state variable, parameter or input name the model does not have.
    #[error(transparent)]
    Name(#[from] NameError),
    /// A setting that cannot work (noise level, step, sigma-point constant, ...).
    #[error("invalid setting `{name}` = {value}: {reason}")]
    InvalidSetting {
        /// The setting (and the variable it is for, if any).
        name: String,
        /// Its value.
        value: f64,
        /// Why it is invalid.
        reason: String,
    },
    /// A recording that does not fit the model: its current cannot drive the input, or its
    /// voltage cannot be compared with the observed variable.
    #[error("{what}: {reason}")]
    RecordingMismatch {
        /// The input or observed variable, as "input `I`" or "observed `w`".
        what: String,
        /// Why, and what to do instead.
        reason: String,
    },
    /// Two series that must have the same length do not.
    #[error("length mismatch: {what} has {found} samples, expected {expected}")]
    Length {
        /// The series.
        what: &'static str,
        /// The length required.
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// A data value that is NaN or infinite.
    #[error("{what} sample {index} (t = {t} ms) is {value}")]
    NonFiniteData {
        /// The series.
        what: &'static str,
        /// The sample's index.
        index: usize,
        /// Its time (ms).
        t: f64,
        /// The value.
        value: f64,
    },
    /// The covariance lost positive definiteness (rounding, or noise levels far too small
    /// for the model's nonlinearity).
    #[error(
        "the {stage} covariance is not positive definite at t = {t} ms (smallest diagonal entry {min_diag}); increase the process noise or the initial uncertainty"
    )]
    NotPositiveDefinite {
        /// Time (ms) of the sample being processed.
        t: f64,
        /// Which covariance: `"predicted"`, `"filtered"` or `"initial"`.
        stage: &'static str,
        /// The smallest diagonal entry, to tell rounding from a negative variance.
        min_diag: f64,
    },
    /// Integrating a sigma point gave NaN or infinity.
    #[error(
        "sigma point {point} became non-finite in `{var}` while integrating from t = {t} ms; the uncertainty is too large for the model there (reduce the initial or process noise) or the parameters leave the model's valid range (constrain them positive)"
    )]
    NonFinite {
        /// Start time (ms) of the sampling interval.
        t: f64,
        /// The sigma point (0 is the mean).
        point: usize,
        /// The variable that became non-finite.
        var: &'static str,
    },
    /// The model cannot be filtered this way, or its stimulus or tables are invalid.
    #[error(transparent)]
    Sim(#[from] SimError),
}

/// The filtered estimates at every sample: means and standard deviations of the state
/// variables and of the estimated parameters, in the model's internal units.
///
/// Storage is flat, sample after sample: state variable `i` at sample `k` is
/// `state_mean[k * N + i]`, parameter `j` is `param_mean[k * P + j]`. For a parameter
/// filtered in log space the mean is exp of the filtered log-mean (the median of the
/// log-normal) and the standard deviation is its first-order propagation, exp(μ)·σ.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UkfRun {
    /// Sample times (ms).
    pub times: Vec<f64>,
    /// Names of the state variables (N), in model order.
    pub state_names: Vec<&'static str>,
    /// Names of the estimated parameters (P), in the order given to the filter.
    pub param_names: Vec<&'static str>,
    /// Filtered state means.
    pub state_mean: Vec<f64>,
    /// Filtered state standard deviations.
    pub state_sd: Vec<f64>,
    /// Filtered parameter means.
    pub param_mean: Vec<f64>,
    /// Filtered parameter standard deviations.
    pub param_sd: Vec<f64>,
    /// Innovations: data minus predicted observation, at every sample.
    pub innovation: Vec<f64>,
    /// Predicted standard deviation of each innovation (prediction plus measurement noise);
    /// innovation / innovation_sd should look like unit white noise when the filter is
    /// consistent.
    pub innovation_sd: Vec<f64>,
    /// The final covariance of the filter's own coordinates (state, then parameters with
    /// log-transformed ones as logs), row-major (N+P)².
    pub final_covariance: Vec<f64>,
}

impl UkfRun {
    /// Number of samples.
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// The filtered mean of the state variable `name` at every sample.
    pub fn state(&self, name: &str) -> Result<Vec<f64>, UkfError> {
        let i = find(name, &self.state_names)?;
        Ok(column(&self.state_mean, self.state_names.len(), i))
    }

    /// The standard deviation of the state variable `name` at every sample.
    pub fn state_sd(&self, name: &str) -> Result<Vec<f64>, UkfError> {
        let i = find(name, &self.state_names)?;
        Ok(column(&self.state_sd, self.state_names.len(), i))
    }

    /// The filtered mean of the estimated parameter `name` at every sample.
    pub fn param(&self, name: &str) -> Result<Vec<f64>, UkfError> {
        let j = find(name, &self.param_names)?;
        Ok(column(&self.param_mean, self.param_names.len(), j))
    }

    /// The standard deviation of the estimated parameter `name` at every sample.
    pub fn param_sd(&self, name: &str) -> Result<Vec<f64>, UkfError> {
        let j = find(name, &self.param_names)?;
        Ok(column(&self.param_sd, self.param_names.len(), j))
    }

    /// The final estimate of every estimated parameter: (name, mean, standard deviation).
    pub fn final_params(&self) -> Vec<(&'static str, f64, f64)> {
        let p = self.param_names.len();
        if self.is_empty() {
            return Vec::new();
        }
        let k = self.len() - 1;
        (0..p).map(|j| (self.param_names[j], self.param_mean[k * p + j], self.param_sd[k * p + j])).collect()
    }
}

fn find(name: &str, names: &[&'static str]) -> Result<usize, UkfError> {
    names.iter().position(|n| *n == name).ok_or_else(|| UkfError::Name(NameError { name: name.to_string(), valid: names.to_vec() }))
}

fn column(flat: &[f64], width: usize, i: usize) -> Vec<f64> {
    flat.chunks_exact(width.max(1)).map(|row| row[i]).collect()
}
