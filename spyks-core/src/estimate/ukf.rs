//! Unscented Kalman filter for joint estimation of hidden states and parameters from one
//! noisy observed state variable (usually the membrane potential).
//!
//! The filter follows the neuron data-assimilation literature: H. U. Voss, J. Timmer and
//! J. Kurths, "Nonlinear dynamical system identification from uncertain and indirect
//! measurements", Int. J. Bifurc. Chaos 14:1905 (2004), and G. Ullah and S. J. Schiff,
//! "Tracking and control of neuronal Hodgkin-Huxley dynamics", Phys. Rev. E 79:040901 (2009).
//!
//! * The filter state is z = (model state, chosen parameters). Parameters follow a random
//!   walk: constant in the transition, plus process noise. A parameter can be filtered as
//!   its logarithm ([`Ukf::positive`]), which keeps it positive and makes its uncertainty
//!   relative.
//! * The transition integrates the model with classic RK4 over one sampling interval
//!   (`substeps` steps), with the inputs of the stimulus at each stage's time.
//! * The measurement is one state variable plus Gaussian noise of standard deviation R.
//!   It is linear in z, so the update is the Kalman filter's, exact.
//! * Sigma points are the scaled set of Julier (2002) and van der Merwe: 2L+1 points
//!   z̄ ± √(L+λ)·(columns of the Cholesky factor of P), λ = α²(L+κ) − L, mean weights
//!   λ/(L+λ) and 1/(2(L+λ)), the centre's covariance weight plus 1 − α² + β. The defaults
//!   α = 1, β = 2, κ = 0 put the points at ±√L standard deviations with a zero mean
//!   weight at the centre; a small α (10⁻³, often quoted) gives the centre a weight of
//!   about −10⁶, which loses positive definiteness with the steep gating functions of
//!   conductance-based models.
//! * Additive process noise Q (diagonal, per sampling interval) and measurement noise R.
//!   P is symmetrised after every step; a Cholesky factorisation that fails is an error
//!   naming the time, never a panic, and so is a sigma point whose integration is not finite.
//!
//! ```
//! use spyks_core::estimate::Ukf;
//! use spyks_core::presets::hodgkin_huxley::{HodgkinHuxley, HodgkinHuxleyState, UA_PER_CM2};
//! use spyks_core::{NeuronModel, RecordSpec, Signal, Simulation, Stimulus};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // The voltage of HH under 10 µA/cm², and a filter that starts with wrong gates and twice
//! // the true g_K.
//! let model = HodgkinHuxley::new();
//! let stim = Stimulus::new().with("I", Signal::Const(10.0 * UA_PER_CM2))?;
//! let truth = Simulation::new(&model, 60.0).stimulus(stim.clone()).record(RecordSpec::all().every(0.02)).run_fixed(&mut spyks_core::integrate::Rk4, 0.004)?;
//! let mut wrong = model.clone();
//! wrong.params_mut().g_K = 0.72;
//! let run = Ukf::new(&wrong, &["g_K"])?
//!     .initial_state(HodgkinHuxleyState { v: -65.0, m: 0.5, h: 0.5, n: 0.5 })
//!     .positive(&["g_K"])?
//!     .measurement_noise(0.1)?
//!     .run(0.02, truth.column("v").unwrap(), &stim)?;
//! let (n_est, n_true) = (run.state("n")?, truth.column("n").unwrap());
//! assert!((n_est.last().unwrap() - n_true.last().unwrap()).abs() < 0.01); // the hidden gate
//! let (_, g_k, sd) = run.final_params()[0];
//! assert!((g_k / 0.36 - 1.0).abs() < 0.03, "{g_k} ± {sd}");
//! # Ok(())
//! # }
//! ```

use nalgebra::{DMatrix, DVector};

use super::ukf_run::{UkfError, UkfRun};
use crate::error::SimError;
use crate::integrate::{Rk4, Stepper};
use crate::model::NeuronModel;
use crate::stimulus::{Interp, Signal, Stimulus};
use crate::vector::Vector;

/// Unscented Kalman filter of the model `M`: which parameters to estimate, the prior, the
/// noise levels and the sigma-point constants. Build it, then [`run`](Ukf::run) it on data.
///
/// Defaults: the observed variable is the first state variable; the prior mean is the
/// model's initial state and parameters; prior standard deviations are half of each
/// variable's scale (|value|, or 1 for a zero value) for the state and the parameters
/// (0.5 in log space for a positive parameter); process noise per sampling interval is
/// 10⁻³·scale·√(dt/ms) for state variables and 10⁻⁴·scale·√(dt/ms) for parameters;
/// measurement noise 1 (in the observed variable's unit, 1 mV for a voltage); one RK4
/// substep; α = 1, β = 2, κ = 0.
///
/// The first sigma points lie √L prior standard deviations from the mean (L = state
/// variables + estimated parameters). With the default prior of half the scale, a parameter
/// filtered as it is reaches 0 at L = 4 and goes negative beyond: a time constant or a
/// capacitance estimated with two state variables is divided by zero in the first interval,
/// and the run fails ("sigma point … became non-finite"). Filter such parameters with
/// [`positive`](Self::positive), or give them a smaller [`initial_sd`](Self::initial_sd).
#[derive(Clone, Debug)]
pub struct Ukf<'a, M: NeuronModel> {
    model: &'a M,
    params: Vec<usize>,
    log: Vec<bool>,
    observed: usize,
    x0: M::State,
    sd0: Vec<Option<f64>>,
    q: Vec<Option<f64>>,
    r: f64,
    substeps: usize,
    alpha: f64,
    beta: f64,
    kappa: f64,
}

impl<'a, M: NeuronModel> Ukf<'a, M> {
    /// A filter estimating the parameters `params` of `model` (whose values are the prior
    /// means) together with its state. Errors: an unknown or repeated parameter name, or a
    /// model that resets (the transition would jump).
    pub fn new(model: &'a M, params: &[&str]) -> Result<Self, UkfError> {
        if M::HAS_RESET {
            return Err(SimError::Unsupported(format!(
                "the model `{}` resets its state at spikes; the filter's transition must be continuous",
                M::NAME
            ))
            .into());
        }
        let idx = params.iter().map(|name| M::Params::index_of(name)).collect::<Result<Vec<_>, _>>()?;
        if let Some(&i) = super::repeated(&idx) {
            return Err(SimError::RepeatedName { setting: "params", kind: "parameter", name: M::Params::INFO[i].name }.into());
        }
        let l = M::State::LEN + idx.len();
        Ok(Ukf {
            model,
            log: vec![false; idx.len()],
            params: idx,
            observed: 0,
            x0: model.initial_state(),
            sd0: vec![None; l],
            q: vec![None; l],
            r: 1.0,
            substeps: 1,
            alpha: 1.0,
            beta: 2.0,
            kappa: 0.0,
        })
    }

    /// The observed state variable (default: the first one, the membrane potential of the
    /// shipped models).
    pub fn observe(mut self, name: &str) -> Result<Self, UkfError> {
        self.observed = M::State::index_of(name)?;
        Ok(self)
    }

    /// The prior mean of the state at the first sample (default: the model's initial state).
    pub fn initial_state(mut self, x0: M::State) -> Self {
        self.x0 = x0;
        self
    }

    /// Filters these estimated parameters as logarithms: they stay positive, and their prior
    /// and process-noise standard deviations are relative (0.1 is about 10 %). Errors: a
    /// name that is not estimated, or a prior value that is not positive.
    pub fn positive(mut self, names: &[&str]) -> Result<Self, UkfError> {
        for name in names {
            let j = self.param_slot(name)?;
            let v = self.model.params().get_index(self.params[j]).unwrap_or(f64::NAN);
            if !(v > 0.0 && v.is_finite()) {
                return Err(setting(format!("positive[{name}]"), v, "a log-transformed parameter needs a positive prior value"));
            }
            self.log[j] = true;
        }
        Ok(self)
    }

    /// The prior standard deviation of a state variable or estimated parameter (relative
    /// for a positive parameter). Errors: unknown name, value not positive and finite.
    pub fn initial_sd(mut self, name: &str, sd: f64) -> Result<Self, UkfError> {
        let i = self.slot(name)?;
        positive_setting(&format!("initial_sd[{name}]"), sd)?;
        self.sd0[i] = Some(sd);
        Ok(self)
    }

    /// The process-noise standard deviation of a state variable or estimated parameter per
    /// sampling interval (relative for a positive parameter): how far the model may be
    /// wrong, or the parameter may drift, in one interval. Errors as for
    /// [`initial_sd`](Self::initial_sd).
    pub fn process_noise(mut self, name: &str, sd: f64) -> Result<Self, UkfError> {
        let i = self.slot(name)?;
        positive_setting(&format!("process_noise[{name}]"), sd)?;
        self.q[i] = Some(sd);
        Ok(self)
    }

    /// The measurement-noise standard deviation R of the observed variable (its unit).
    pub fn measurement_noise(mut self, sd: f64) -> Result<Self, UkfError> {
        positive_setting("measurement_noise", sd)?;
        self.r = sd;
        Ok(self)
    }

    /// RK4 steps per sampling interval (default 1).
    pub fn substeps(mut self, n: usize) -> Result<Self, UkfError> {
        if n == 0 {
            return Err(setting("substeps".into(), 0.0, "at least one step per interval"));
        }
        self.substeps = n;
        Ok(self)
    }

    /// The sigma-point constants α (spread, 0 < α ≤ 1), β (prior knowledge of the
    /// distribution, 2 for a Gaussian) and κ (secondary scaling, L + κ > 0).
    pub fn sigma_points(mut self, alpha: f64, beta: f64, kappa: f64) -> Result<Self, UkfError> {
        if !(alpha > 0.0 && alpha <= 1.0) {
            return Err(setting("alpha".into(), alpha, "α must be in (0, 1]"));
        }
        if !beta.is_finite() || beta < 0.0 {
            return Err(setting("beta".into(), beta, "β must be finite and non-negative"));
        }
        let l = self.dim() as f64;
        if !(kappa.is_finite() && l + kappa > 0.0) {
            return Err(setting("kappa".into(), kappa, &format!("L + κ must be positive (L = {l})")));
        }
        (self.alpha, self.beta, self.kappa) = (alpha, beta, kappa);
        Ok(self)
    }

    /// Filters `data`, the observed variable sampled every `dt` ms from t = 0, with the
    /// model driven by `stimulus`. Errors: invalid `dt`, empty or non-finite data, a
    /// covariance that is not positive definite, a sigma point that is not finite.
    pub fn run(&self, dt: f64, data: &[f64], stimulus: &Stimulus<M>) -> Result<UkfRun, UkfError> {
        if !(dt > 0.0 && dt.is_finite()) {
            return Err(setting("dt".into(), dt, "the sampling interval must be positive"));
        }
        if data.is_empty() {
            return Err(UkfError::Length { what: "data", expected: 1, found: 0 });
        }
        check_finite("data", data, dt)?;
        Filter::new(self, dt)?.run(data, stimulus)
    }

    /// [`run`](Self::run) on a [`Recording`](super::Recording): its voltage is the data and its
    /// current drives the input `input`, read between samples with `interp` (as
    /// [`TraceCost`](super::TraceCost) reads it: `Linear` by default there). Errors as for
    /// `run`, plus an unknown input, a current whose dimension the input cannot take (a
    /// density for a model driven in pA), and an observed variable that is not a voltage
    /// (the default, the first state variable, may be a gate or a current).
    pub fn run_recording(&self, recording: &super::Recording, input: &str, interp: Interp) -> Result<UkfRun, UkfError> {
        let i = M::Inputs::index_of(input)?;
        if let Some(why) = recording.cannot_drive::<M>(i) {
            return Err(UkfError::RecordingMismatch { what: format!("input `{input}`"), reason: format!("the input {why}") });
        }
        if let Some(why) = super::Recording::cannot_compare::<M>(self.observed) {
            let voltage = M::State::INFO.iter().find(|v| v.dimension == Some(super::data::Dimension::Voltage.exponents()));
            let hint = voltage.map_or(String::new(), |v| format!("; observe the voltage with .observe(\"{}\")", v.name));
            let what = format!("observed `{}`", M::State::INFO[self.observed].name);
            return Err(UkfError::RecordingMismatch { what, reason: format!("{why}{hint}") });
        }
        let stim = Stimulus::<M>::new().with(input, recording.current_signal(interp))?;
        self.run(recording.dt(), recording.voltage(), &stim)
    }

    /// [`run`](Self::run) with the input `input` given as samples at the same times as
    /// `data`, held from each sample to the next (`current[k]` over [k·dt, (k+1)·dt)),
    /// the other inputs at their defaults. Errors as for `run`, plus an unknown input name,
    /// `current` not as long as `data`, or a non-finite current.
    pub fn run_sampled(&self, dt: f64, data: &[f64], input: &str, current: &[f64]) -> Result<UkfRun, UkfError> {
        M::Inputs::index_of(input)?;
        if current.len() != data.len() {
            return Err(UkfError::Length { what: "input", expected: data.len(), found: current.len() });
        }
        if !(dt > 0.0 && dt.is_finite()) {
            return Err(setting("dt".into(), dt, "the sampling interval must be positive"));
        }
        check_finite("input", current, dt)?;
        // `Nearest` reads sample round(t/dt): shifting by half a sample holds sample k over
        // the whole interval [k·dt, (k+1)·dt), where RK4 evaluates it (at the interval's
        // end the next sample applies, as a zero-order hold does).
        let mut held = Vec::with_capacity(current.len() + 1);
        held.push(current[0]);
        held.extend_from_slice(current);
        let signal = Signal::sampled(dt, held, Interp::Nearest);
        let shifted = Signal::func(move |t| signal.at(t + 0.5 * dt));
        let stim = Stimulus::<M>::new().with(input, shifted)?;
        self.run(dt, data, &stim)
    }

    fn dim(&self) -> usize {
        M::State::LEN + self.params.len()
    }

    fn param_slot(&self, name: &str) -> Result<usize, UkfError> {
        let i = M::Params::index_of(name)?;
        self.params.iter().position(|&p| p == i).ok_or_else(|| {
            let valid = self.params.iter().map(|&p| M::Params::INFO[p].name).collect();
            UkfError::Name(crate::error::NameError { name: name.to_string(), valid })
        })
    }

    /// The index in z of a state variable or estimated parameter.
    fn slot(&self, name: &str) -> Result<usize, UkfError> {
        if let Ok(i) = M::State::index_of(name) {
            return Ok(i);
        }
        match self.param_slot(name) {
            Ok(j) => Ok(M::State::LEN + j),
            Err(_) => {
                let mut valid: Vec<&'static str> = M::State::INFO.iter().map(|v| v.name).collect();
                valid.extend(self.params.iter().map(|&p| M::Params::INFO[p].name));
                Err(UkfError::Name(crate::error::NameError { name: name.to_string(), valid }))
            }
        }
    }
}

fn setting(name: String, value: f64, reason: &str) -> UkfError {
    UkfError::InvalidSetting { name, value, reason: reason.to_string() }
}

fn positive_setting(name: &str, v: f64) -> Result<(), UkfError> {
    if v > 0.0 && v.is_finite() { Ok(()) } else { Err(setting(name.to_string(), v, "must be positive and finite")) }
}

fn check_finite(what: &'static str, xs: &[f64], dt: f64) -> Result<(), UkfError> {
    match xs.iter().position(|x| !x.is_finite()) {
        Some(index) => Err(UkfError::NonFiniteData { what, index, t: index as f64 * dt, value: xs[index] }),
        None => Ok(()),
    }
}

/// The working state of one run.
struct Filter<'u, 'a, M: NeuronModel> {
    ukf: &'u Ukf<'a, M>,
    model: M,
    dt: f64,
    z: DVector<f64>,
    p: DMatrix<f64>,
    q: DVector<f64>,
    wm: (f64, f64),
    wc0: f64,
    gamma: f64,
}

impl<'u, 'a, M: NeuronModel> Filter<'u, 'a, M> {
    fn new(ukf: &'u Ukf<'a, M>, dt: f64) -> Result<Self, UkfError> {
        let (n, l) = (M::State::LEN, ukf.dim());
        let mut z = DVector::zeros(l);
        let mut sd0 = DVector::zeros(l);
        let mut q = DVector::zeros(l);
        let root_dt = dt.sqrt();
        for i in 0..l {
            let (value, log) = if i < n {
                (ukf.x0.get_index(i).unwrap_or(f64::NAN), false)
            } else {
                let j = i - n;
                (ukf.model.params().get_index(ukf.params[j]).unwrap_or(f64::NAN), ukf.log[j])
            };
            if !value.is_finite() {
                let name = if i < n { M::State::INFO[i].name } else { M::Params::INFO[ukf.params[i - n]].name };
                return Err(setting(format!("prior[{name}]"), value, "the prior mean must be finite"));
            }
            z[i] = if log { value.ln() } else { value };
            let scale = if log || value == 0.0 { 1.0 } else { value.abs() };
            sd0[i] = ukf.sd0[i].unwrap_or(0.5 * scale);
            let rel = if i < n { 1e-3 } else { 1e-4 };
            q[i] = ukf.q[i].unwrap_or(rel * scale * root_dt).powi(2);
        }
        let lf = l as f64;
        let lambda = ukf.alpha * ukf.alpha * (lf + ukf.kappa) - lf;
        let wm0 = lambda / (lf + lambda);
        let wi = 0.5 / (lf + lambda);
        let wc0 = wm0 + 1.0 - ukf.alpha * ukf.alpha + ukf.beta;
        let p = DMatrix::from_diagonal(&sd0.map(|s| s * s));
        let model = crate::table::prepared(ukf.model)?.into_owned();
        Ok(Filter { ukf, model, dt, z, p, q, wm: (wm0, wi), wc0, gamma: (lf + lambda).sqrt() })
    }

    fn run(mut self, data: &[f64], stimulus: &Stimulus<M>) -> Result<UkfRun, UkfError> {
        let (n, np) = (M::State::LEN, self.ukf.params.len());
        let k_len = data.len();
        let mut out = UkfRun {
            times: Vec::with_capacity(k_len),
            state_names: M::State::INFO.iter().map(|v| v.name).collect(),
            param_names: self.ukf.params.iter().map(|&p| M::Params::INFO[p].name).collect(),
            state_mean: Vec::with_capacity(k_len * n),
            state_sd: Vec::with_capacity(k_len * n),
            param_mean: Vec::with_capacity(k_len * np),
            param_sd: Vec::with_capacity(k_len * np),
            innovation: Vec::with_capacity(k_len),
            innovation_sd: Vec::with_capacity(k_len),
            final_covariance: Vec::new(),
        };
        for (k, &y) in data.iter().enumerate() {
            let t = k as f64 * self.dt;
            if k > 0 {
                self.predict((k - 1) as f64 * self.dt, stimulus)?;
            }
            self.update(t, y, &mut out)?;
            out.times.push(t);
            self.record(&mut out);
        }
        let l = self.ukf.dim();
        out.final_covariance = (0..l * l).map(|a| self.p[(a / l, a % l)]).collect();
        Ok(out)
    }

    /// The Kalman update with the observation of one component of z (a linear measurement).
    fn update(&mut self, t: f64, y: f64, out: &mut UkfRun) -> Result<(), UkfError> {
        let o = self.ukf.observed;
        let s = self.p[(o, o)] + self.ukf.r * self.ukf.r;
        let innovation = y - self.z[o];
        let gain = self.p.column(o) / s;
        self.z += &gain * innovation;
        // Joseph's form, (I − K H) P (I − K H)ᵀ + K R Kᵀ with H = e_o: positive semi-definite
        // whatever the rounding, where P − K H P cancels to zero or below when the
        // predicted variance dwarfs R (a wide prior).
        let pc = self.p.column(o).clone_owned();
        let mut m = &self.p - &gain * pc.transpose();
        let mc = m.column(o).clone_owned();
        m -= &mc * gain.transpose();
        m.ger(self.ukf.r * self.ukf.r, &gain, &gain, 1.0);
        self.p = m;
        symmetrise(&mut self.p);
        if (0..self.p.nrows()).any(|i| self.p[(i, i)].is_nan() || self.p[(i, i)] < 0.0) {
            return Err(UkfError::NotPositiveDefinite { t, stage: "filtered", min_diag: self.p.diagonal().min() });
        }
        out.innovation.push(innovation);
        out.innovation_sd.push(s.sqrt());
        Ok(())
    }

    /// Propagates the sigma points over one interval from `t` and forms the predicted
    /// mean and covariance.
    fn predict(&mut self, t: f64, stimulus: &Stimulus<M>) -> Result<(), UkfError> {
        let l = self.ukf.dim();
        let chol = self.p.clone().cholesky().ok_or(UkfError::NotPositiveDefinite {
            t,
            stage: if t == 0.0 { "initial" } else { "filtered" },
            min_diag: self.p.diagonal().min(),
        })?;
        let sqrt_p = chol.l() * self.gamma;
        let mut points = DMatrix::zeros(l, 2 * l + 1);
        for c in 0..2 * l + 1 {
            let mut zi = self.z.clone();
            if c > 0 {
                let col = sqrt_p.column((c - 1) % l);
                if c <= l {
                    zi += col;
                } else {
                    zi -= col;
                }
            }
            self.transition(t, &mut zi, c, stimulus)?;
            points.set_column(c, &zi);
        }
        let (wm0, wi) = self.wm;
        let mut mean = points.column(0) * wm0;
        for c in 1..2 * l + 1 {
            mean += points.column(c) * wi;
        }
        let mut p = DMatrix::from_diagonal(&self.q);
        for c in 0..2 * l + 1 {
            let d = points.column(c) - &mean;
            let w = if c == 0 { self.wc0 } else { wi };
            p.ger(w, &d, &d, 1.0);
        }
        symmetrise(&mut p);
        if p.clone().cholesky().is_none() {
            return Err(UkfError::NotPositiveDefinite { t: t + self.dt, stage: "predicted", min_diag: p.diagonal().min() });
        }
        self.z = mean;
        self.p = p;
        Ok(())
    }

    /// Integrates one sigma point over one interval: its parameters into the model, RK4.
    fn transition(&mut self, t: f64, z: &mut DVector<f64>, point: usize, stimulus: &Stimulus<M>) -> Result<(), UkfError> {
        let n = M::State::LEN;
        for (j, &pi) in self.ukf.params.iter().enumerate() {
            let v = z[n + j];
            self.model.params_mut().set_index(pi, if self.ukf.log[j] { v.exp() } else { v });
        }
        let mut x = M::State::default();
        for i in 0..n {
            x.set_index(i, z[i]);
        }
        let h = self.dt / self.ukf.substeps as f64;
        let inputs = |s: f64| stimulus.at(s);
        for s in 0..self.ukf.substeps {
            Rk4.step(&self.model, t + s as f64 * h, h, &mut x, &inputs)?;
        }
        for i in 0..n {
            let v = x.get_index(i).unwrap_or(f64::NAN);
            if !v.is_finite() {
                return Err(UkfError::NonFinite { t, point, var: M::State::INFO[i].name });
            }
            z[i] = v;
        }
        Ok(())
    }

    fn record(&self, out: &mut UkfRun) {
        let n = M::State::LEN;
        for i in 0..n {
            out.state_mean.push(self.z[i]);
            out.state_sd.push(self.p[(i, i)].max(0.0).sqrt());
        }
        for j in 0..self.ukf.params.len() {
            let (m, v) = (self.z[n + j], self.p[(n + j, n + j)].max(0.0).sqrt());
            if self.ukf.log[j] {
                out.param_mean.push(m.exp());
                out.param_sd.push(m.exp() * v);
            } else {
                out.param_mean.push(m);
                out.param_sd.push(v);
            }
        }
    }
}

fn symmetrise(p: &mut DMatrix<f64>) {
    let l = p.nrows();
    for i in 0..l {
        for j in 0..i {
            let m = 0.5 * (p[(i, j)] + p[(j, i)]);
            p[(i, j)] = m;
            p[(j, i)] = m;
        }
    }
}
