//! Dormand-Prince 5(4): an explicit adaptive Runge-Kutta method with error control, a PI
//! step-size controller and a fourth-order dense output, driven by
//! [`Simulation::run_adaptive`](crate::Simulation::run_adaptive), which also locates spike
//! times on the dense output.

#[path = "dopri_tableau.rs"]
mod tableau;

pub use tableau::DenseStep;

use crate::error::SimError;
use crate::math;
use crate::vector::Vector;

/// ln 1e-4: the PI controller's memory after a start or restart (DOPRI5's FACOLD = 1e-4).
const LN_FACOLD_0: f64 = -9.210340371976184;

/// A right-hand side f(t, x) as the engine evaluates it at each stage.
///
/// A trait rather than a closure so that the driver's implementation can be
/// `#[inline(always)]`: the inliner does not always inline a large closure at six call sites,
/// and the model's derivative belongs in the stages, where its constants are hoisted and
/// nothing is passed through memory.
pub(crate) trait RightHandSide<S> {
    /// f(t, x).
    fn eval(&self, t: f64, x: &S) -> S;

    /// The error to report when f is not finite at time `t` whatever the state, if it is not:
    /// an input that is not finite there. Asked only when a run is about to fail, to name
    /// the cause.
    fn input_fault(&self, _t: f64) -> Option<SimError> {
        None
    }
}

impl<S, F: Fn(f64, &S) -> S> RightHandSide<S> for F {
    #[inline(always)]
    fn eval(&self, t: f64, x: &S) -> S {
        self(t, x)
    }
}

/// The absolute tolerance of the error control, in each variable's internal unit.
#[derive(Clone, Debug, PartialEq)]
pub enum Atol {
    /// The same tolerance for every state variable.
    Scalar(f64),
    /// One tolerance per state variable, in the model's state order.
    PerVariable(Vec<f64>),
}

/// Settings of the Dormand-Prince 5(4) method (Dormand & Prince 1980; Hairer, Nørsett &
/// Wanner, *Solving ODEs I*, §II.4–II.6 and their code DOPRI5).
///
/// A step is accepted when the RMS over the variables of eᵢ / (atolᵢ + rtol·max(|x₀ᵢ|, |x₁ᵢ|))
/// is at most 1, where e is the difference between the fifth- and fourth-order solutions.
/// The next step size follows Gustafsson's PI controller as in DOPRI5:
/// h ← h · clamp(safety · err^(-α) · err_prev^β, fac_min, fac_max) with α = 0.2 - 0.75·β, and
/// after a rejection h ← h · max(fac_min, safety · err^(-α)), never growing right after a
/// rejection. Each accepted step costs six evaluations of the model (first same as last).
///
/// The controller's defaults are DOPRI5's. They were checked against the V error of a 1e-12
/// reference on spyks' nakl and on Hodgkin-Huxley (1 s, `benches/compare/`). For RMS errors
/// from 0.1 to 1e-4 mV on nakl, the evaluations needed change by -2 to +1 % with β = 0, +1 to
/// +3 % with β = 0.08, -5 to 0 % with safety 0.8, +3 to +11 % with safety 0.95, and not at all
/// with fac_max 2 or 5; HH's error (mostly accumulated spike phase) varies too irregularly
/// with the tolerance to rank them. No change is worth making, so they are kept. The
/// controller's powers (an `ln` and an `exp` per step, on the path from one step's error to
/// the next step's stages) cost nothing measurable: with six-digit polynomial `log2`/`exp2`
/// instead, 1 s of nakl or HH was no faster (from 9 % slower to 3 % faster across the
/// tolerances; the next step's first stages overlap them).
///
/// With a timing tolerance τᵢ ([`Dopri5::timing_tol`]), variable i's error scale also has
/// τᵢ·max(|ẋᵢ(t₀)|, |ẋᵢ(t₁)|) added: the error that a shift of τᵢ in time would make. See
/// [`Dopri5::timing_tol`] for when that is the accuracy to ask for.
///
/// ```
/// use spyks_core::integrate::Dopri5;
/// let solver = Dopri5::new().tolerances(1e-8, 1e-8).event_tol(1e-10).h_max(1.0);
/// assert_eq!(solver.rtol, 1e-8);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Dopri5 {
    /// Relative tolerance (not negative; 1e-6 by default).
    pub rtol: f64,
    /// Absolute tolerance (positive; 1e-6 by default).
    pub atol: Atol,
    /// The first step size (ms); `None` (the default) selects it automatically (Hairer's
    /// algorithm: a step for which an explicit Euler step would have error about 0.01, refined
    /// with an estimate of the second derivative).
    pub h_init: Option<f64>,
    /// The smallest step size (ms) the controller may choose before the run fails with
    /// [`SimError::StepSizeCollapse`] (1e-12 by default; never below 16 ulp of the time).
    /// Steps shortened to end on an input discontinuity may be shorter; the automatic first
    /// step is at least `h_min`.
    pub h_min: f64,
    /// The largest step size (ms); infinite by default.
    pub h_max: f64,
    /// The accuracy (ms) to which spike times are located on the dense output (1e-9 by
    /// default).
    pub event_tol: f64,
    /// Safety factor of the step-size controller (0.9).
    pub safety: f64,
    /// The PI controller's β (0.04, DOPRI5's default; 0 gives the classical I controller).
    pub beta: f64,
    /// The smallest factor by which a step may shrink (0.2).
    pub fac_min: f64,
    /// The largest factor by which a step may grow (10).
    pub fac_max: f64,
    /// Timing tolerances (ms) by state variable name; none by default. See
    /// [`Dopri5::timing_tol`].
    pub timing_tol: Vec<(String, f64)>,
    /// The most steps (accepted and rejected) a run may take before it fails with
    /// [`SimError::TooManySteps`] (10⁷ by default; DOPRI5 and DifferentialEquations.jl stop at
    /// 10⁵). A run whose solution blows up without becoming infinite shrinks its steps
    /// towards `h_min` and would otherwise go on until its recording fills the memory.
    pub max_steps: u64,
}

impl Default for Dopri5 {
    fn default() -> Self {
        Dopri5::new()
    }
}

impl Dopri5 {
    /// The method with rtol = atol = 1e-6, automatic first step, h_min = 1e-12 ms, no h_max,
    /// spike times located to 1e-9 ms and at most 10⁷ steps.
    pub fn new() -> Self {
        Dopri5 {
            rtol: 1e-6,
            atol: Atol::Scalar(1e-6),
            h_init: None,
            h_min: 1e-12,
            h_max: f64::INFINITY,
            event_tol: 1e-9,
            safety: 0.9,
            beta: 0.04,
            fac_min: 0.2,
            fac_max: 10.0,
            timing_tol: Vec::new(),
            max_steps: 10_000_000,
        }
    }

    /// Sets the relative and (scalar) absolute tolerances.
    pub fn tolerances(mut self, rtol: f64, atol: f64) -> Self {
        self.rtol = rtol;
        self.atol = Atol::Scalar(atol);
        self
    }

    /// Sets one absolute tolerance per state variable, in the model's state order.
    pub fn atol_per_variable(mut self, atol: impl Into<Vec<f64>>) -> Self {
        self.atol = Atol::PerVariable(atol.into());
        self
    }

    /// Sets the timing tolerance `tau` (ms) of the state variable `var`: an error in `var` is
    /// also accepted up to what a shift of `tau` in time would make, τ·|d`var`/dt| at the
    /// step's ends, on top of `atol + rtol·|var|`.
    ///
    /// Why: in a spiking model, the membrane potential's error during a spike is a matter of
    /// timing. The upstroke moves V by hundreds of mV per ms, so a step that is 1 µs late
    /// there is off by a fraction of a millivolt in V, and the plain error test shortens the
    /// steps until that error in value is within `atol`. What the run's spike times and
    /// trace actually need (measured against a 1e-12 reference, `benches/compare/`) is far
    /// less: with τ = 300·tol on V alone, Dormand-Prince reached the same RMS error of V in
    /// 1.36-1.47x less time on spyks' nakl from 0.015 to 1e-4 mV (1.2x at 0.1 mV), and in
    /// 1.15-1.43x less on Hodgkin-Huxley, except at 0.001 mV (0.93-0.98x), where the plain
    /// test's error happens to dip. Between spikes V moves slowly and the usual tolerance
    /// governs. Gating variables are better left without: with τ on every variable, the
    /// error grew erratically with the tolerance.
    ///
    /// Check it on your model: on the Hodgkin-Huxley preset (1 s, 10 µA/cm²) the same τ
    /// reached each spike-time error from 1e-4 to 3e-6 ms with 1.3-1.45x fewer evaluations,
    /// but on the AdEx preset (an exponential upswing cut at a threshold, then a reset; 1 s
    /// at 1 nA) only 1.2x fewer for errors from 1e-3 to 1e-4 ms, and at rtol 1e-5 its spike
    /// times were off by 2.9 ms against 0.04 ms without (one adaptation-shifted spike
    /// changes all that follow).
    ///
    /// boost::odeint's default error test has a term of this kind on every variable,
    /// rtol·h·|ẋ|: a timing tolerance that shrinks with the step (rtol·h).
    ///
    /// The name is checked when the run starts (an unknown name is an error that lists the
    /// state variables); setting a variable again replaces its tolerance.
    ///
    /// ```
    /// use spyks_core::integrate::Dopri5;
    /// let tol = 1e-6;
    /// let solver = Dopri5::new().tolerances(tol, tol).timing_tol("V", 300.0 * tol);
    /// assert_eq!(solver.timing_tol, vec![("V".to_string(), 3e-4)]);
    /// ```
    pub fn timing_tol(mut self, var: &str, tau: f64) -> Self {
        self.timing_tol.retain(|(v, _)| v != var);
        self.timing_tol.push((var.to_string(), tau));
        self
    }

    /// Sets the first step size (ms) instead of selecting it automatically (at least
    /// `h_min`).
    pub fn h_init(mut self, h: f64) -> Self {
        self.h_init = Some(h);
        self
    }

    /// Sets the smallest step size (ms) before [`SimError::StepSizeCollapse`].
    pub fn h_min(mut self, h: f64) -> Self {
        self.h_min = h;
        self
    }

    /// Sets the largest step size (ms).
    pub fn h_max(mut self, h: f64) -> Self {
        self.h_max = h;
        self
    }

    /// Sets the most steps (accepted and rejected) a run may take.
    pub fn max_steps(mut self, n: u64) -> Self {
        self.max_steps = n;
        self
    }

    /// Sets the accuracy (ms) of located spike times.
    pub fn event_tol(mut self, tol: f64) -> Self {
        self.event_tol = tol;
        self
    }

    /// Sets the PI controller's β (between 0 and 0.2; 0.04 to 0.08 are the usual choices).
    pub fn beta(mut self, beta: f64) -> Self {
        self.beta = beta;
        self
    }

    /// The timing tolerance of each state variable of `S` (zero where none is set), or `None`
    /// when no variable has one. Errors name an unknown variable or a tolerance that is not
    /// finite and non-negative.
    pub fn timing_tolerances<S: Vector>(&self) -> Result<Option<S>, SimError> {
        if self.timing_tol.is_empty() {
            return Ok(None);
        }
        let mut tau = S::zeros();
        for (var, t) in &self.timing_tol {
            let i = S::index_of(var)?;
            if !(*t >= 0.0 && t.is_finite()) {
                return Err(SimError::InvalidSetting {
                    name: "timing_tol",
                    value: *t,
                    reason: format!("the timing tolerance of `{var}` must be finite and not negative"),
                });
            }
            tau.set_index(i, *t);
        }
        Ok(Some(tau))
    }

    /// Checks the settings for a state type `S` and returns the absolute tolerance of each
    /// state variable.
    pub fn validate<S: Vector>(&self) -> Result<S, SimError> {
        let bad = |name, value, reason: &str| Err(SimError::InvalidSetting { name, value, reason: reason.into() });
        if !(self.rtol >= 0.0 && self.rtol.is_finite()) {
            return bad("rtol", self.rtol, "the relative tolerance must be finite and not negative");
        }
        let atol = match &self.atol {
            Atol::Scalar(a) => S::default().map(|_| *a),
            Atol::PerVariable(v) => match S::from_slice(v) {
                Ok(a) => a,
                Err(e) => {
                    return bad("atol", e.found as f64, &format!("one absolute tolerance per state variable ({}) is needed", e.expected));
                }
            },
        };
        for i in 0..S::LEN {
            let a = atol.get_index(i).unwrap_or(0.0);
            if !(a > 0.0 && a.is_finite()) {
                return bad("atol", a, "the absolute tolerance must be finite and positive");
            }
        }
        if !(self.h_min >= 0.0 && self.h_min.is_finite()) {
            return bad("h_min", self.h_min, "the smallest step must be finite and not negative");
        }
        if let Some(h) = self.h_init
            && !(h > 0.0 && h.is_finite() && h >= self.h_min)
        {
            return bad("h_init", h, &format!("the first step must be finite, positive and at least h_min ({} ms)", self.h_min));
        }
        if !(self.h_max > 0.0 && self.h_max >= self.h_min) {
            return bad("h_max", self.h_max, "the largest step must be positive and at least h_min");
        }
        if !(self.event_tol > 0.0 && self.event_tol.is_finite()) {
            return bad("event_tol", self.event_tol, "the spike-time tolerance must be finite and positive");
        }
        if !(self.safety > 0.0 && self.safety <= 1.0) {
            return bad("safety", self.safety, "the safety factor must be in (0, 1]");
        }
        if !(self.beta >= 0.0 && self.beta < 0.2) {
            return bad("beta", self.beta, "the PI controller's beta must be in [0, 0.2)");
        }
        if !(self.fac_min > 0.0 && self.fac_min <= 1.0) {
            return bad("fac_min", self.fac_min, "the smallest step factor must be in (0, 1]");
        }
        if !(self.fac_max >= 1.0 && self.fac_max.is_finite()) {
            return bad("fac_max", self.fac_max, "the largest step factor must be finite and at least 1");
        }
        if self.max_steps == 0 {
            return bad("max_steps", 0.0, "a run needs at least one step");
        }
        self.timing_tolerances::<S>()?;
        Ok(atol)
    }

    /// A stepping engine at (t, x) for the right-hand side `f`, over a run whose span is
    /// `span` ms (bounds the first step). `atol` comes from [`Dopri5::validate`], `tau` from
    /// [`Dopri5::timing_tolerances`].
    pub(crate) fn engine<S: Vector, F: RightHandSide<S>>(&self, atol: S, tau: Option<S>, t: f64, x: S, f: &F, span: f64) -> Engine<'_, S> {
        let mut e = Engine {
            cfg: self,
            atol,
            timed: tau.is_some(),
            tau: tau.unwrap_or_default(),
            t,
            x,
            k: [x; 7],
            h: 0.0,
            ln_facold: LN_FACOLD_0,
            last_rejected: false,
            accepted: 0,
            rejected: 0,
            evaluations: 0,
        };
        e.k[0] = f.eval(t, &x);
        e.evaluations += 1;
        e.h = match self.h_init {
            Some(h) => h.min(self.h_max),
            None => e.initial_step(f, span),
        };
        e
    }
}

/// max(|aᵢ|, |bᵢ|).
#[inline(always)]
fn abs_max<S: Vector>(a: &S, b: &S, i: usize) -> f64 {
    a.get_index(i).unwrap_or(0.0).abs().max(b.get_index(i).unwrap_or(0.0).abs())
}

/// The state of an adaptive integration: current point, FSAL derivative, proposed step and
/// controller memory, and work counts. Created by [`Dopri5::engine`].
pub struct Engine<'c, S: Vector> {
    cfg: &'c Dopri5,
    atol: S,
    /// Timing tolerances, used when `timed`.
    tau: S,
    timed: bool,
    t: f64,
    x: S,
    /// The stages of the last trial step; `k[0]` is f(t, x), the first stage of the next step
    /// (first same as last). Kept here so that a step writes its stages in place.
    k: [S; 7],
    /// The proposed next step size.
    h: f64,
    /// ln of the previous accepted error, at least 1e-4 (PI controller memory). Kept as a
    /// logarithm: the controller's powers are then one `exp` and one `ln` per step (inlined,
    /// from [`crate::math`]) instead of two calls to libm's `pow`.
    ln_facold: f64,
    last_rejected: bool,
    /// Accepted steps.
    pub(crate) accepted: u64,
    /// Rejected steps.
    pub(crate) rejected: u64,
    /// Evaluations of the right-hand side.
    pub(crate) evaluations: u64,
}

impl<S: Vector> Engine<'_, S> {
    /// Current time (ms).
    pub(crate) fn t(&self) -> f64 {
        self.t
    }

    /// Current state.
    pub(crate) fn x(&self) -> S {
        self.x
    }

    /// Continues from (t, x) after a jump of the state or of the right-hand side: evaluates
    /// f(t, x) afresh (the FSAL stage is stale) and forgets the controller's history. The
    /// proposed step size is kept.
    pub(crate) fn restart<F: RightHandSide<S>>(&mut self, t: f64, x: S, f: &F) {
        self.t = t;
        self.x = x;
        self.k[0] = f.eval(t, &x);
        self.evaluations += 1;
        self.ln_facold = LN_FACOLD_0;
        self.last_rejected = false;
    }

    /// The square of the weighted RMS norm of the error estimate of a step from `x0` to `x1`
    /// with the stages in `self.k` (the step is accepted when it is at most 1; the controller
    /// needs only its logarithm, so no square root is taken).
    ///
    /// The branch on `timed` is taken once, outside the sum over the variables: tested inside
    /// it, the plain test's runs were 1-2 % slower.
    #[inline(always)]
    fn mean_square(&self, err: &S, x0: &S, x1: &S) -> f64 {
        if self.timed {
            // The derivatives at the step's start and end.
            let (start, end) = (&self.k[0], &self.k[6]);
            self.mean_square_with(err, x0, x1, |i| self.tau.get_index(i).unwrap_or(0.0) * abs_max(start, end, i))
        } else {
            self.mean_square_with(err, x0, x1, |_| 0.0)
        }
    }

    /// [`mean_square`](Self::mean_square) with `extra(i)` added to the error scale of
    /// variable i.
    #[inline(always)]
    fn mean_square_with(&self, err: &S, x0: &S, x1: &S, extra: impl Fn(usize) -> f64) -> f64 {
        if S::LEN == 0 {
            return 0.0;
        }
        let mut sum = 0.0;
        for i in 0..S::LEN {
            let sc = self.error_scale(x0, x1, i) + extra(i);
            sum += (err.get_index(i).unwrap_or(0.0) / sc).powi(2);
        }
        sum / S::LEN as f64
    }

    /// The error that variable i may have in a step from `x0` to `x1`: atol + rtol·max|x|.
    #[inline(always)]
    fn error_scale(&self, x0: &S, x1: &S, i: usize) -> f64 {
        self.atol.get_index(i).unwrap_or(0.0) + self.cfg.rtol * abs_max(x0, x1, i)
    }

    /// The error of a step size that collapsed to `h` at the current point after a trial
    /// step of `h_tried`: what made that trial fail when it was not the step size, namely an
    /// input that is not finite at one of its stage times ([`RightHandSide::input_fault`]), or
    /// a state that is not finite at its end ([`SimError::NonFinite`], the variable of the
    /// fifth-order solution, else of the fourth-order one); otherwise
    /// [`SimError::StepSizeCollapse`], naming the variable with the largest scaled error of
    /// that trial, its value and its rate of change (a blow-up shows as a huge rate).
    ///
    /// Why here: a NaN makes every trial fail, so the controller shrinks the step until it
    /// collapses, and the collapse alone would blame stiffness. Checked only on this path
    /// (cold, out of line), so runs that do not fail pay nothing for it.
    #[cold]
    #[inline(never)]
    fn collapse<F: RightHandSide<S>>(&self, f: &F, h_tried: f64, h: f64, h_floor: f64) -> SimError {
        let (t, t1) = (self.t, self.t + h_tried);
        if let Some(e) = tableau::stage_times(t, t1).into_iter().find_map(|s| f.input_fault(s)) {
            return e;
        }
        let mut k = self.k;
        let (x1, err) = tableau::trial(f, t, t1, &self.x, &mut k);
        for i in 0..S::LEN {
            let (a, e) = (x1.get_index(i).unwrap_or(0.0), err.get_index(i).unwrap_or(0.0));
            let value = if a.is_finite() { a - e } else { a };
            if !value.is_finite() {
                return SimError::NonFinite { t: t1, var: S::INFO.get(i).map_or("?", |v| v.name), value };
            }
        }
        // The variable that held the step size down: the largest scaled error of the trial.
        let mut worst = (0, f64::NEG_INFINITY);
        for i in 0..S::LEN {
            let scaled = (err.get_index(i).unwrap_or(0.0) / self.error_scale(&self.x, &x1, i)).abs();
            if scaled > worst.1 {
                worst = (i, scaled);
            }
        }
        let i = worst.0;
        let info = S::INFO.get(i);
        SimError::StepSizeCollapse {
            t,
            h,
            h_min: h_floor,
            var: info.map_or("?", |v| v.name),
            value: self.x.get_index(i).unwrap_or(f64::NAN),
            rate: f.eval(t, &self.x).get_index(i).unwrap_or(f64::NAN),
            unit: info.map_or("", |v| v.unit),
        }
    }

    /// Hairer's initial step selection (DOPRI5's HINIT), with RMS norms, raised to `h_min`:
    /// the estimate is a guess, not a trial the error test rejected, so a guess below `h_min`
    /// is no collapse.
    fn initial_step<F: RightHandSide<S>>(&mut self, f: &F, span: f64) -> f64 {
        let h_max = self.cfg.h_max.min(if span > 0.0 { span } else { f64::INFINITY });
        let sk = self.x.zip_map(&self.atol, |x, a| a + self.cfg.rtol * x.abs());
        let rms = |v: &S| {
            let s: f64 = (0..S::LEN).map(|i| (v.get_index(i).unwrap_or(0.0) / sk.get_index(i).unwrap_or(1.0)).powi(2)).sum();
            (s / S::LEN.max(1) as f64).sqrt()
        };
        let (d0, d1) = (rms(&self.x), rms(&self.k[0]));
        let h0 = if d0 <= 1e-5 || d1 <= 1e-5 { 1e-6 } else { 0.01 * d0 / d1 }.min(h_max);
        let y1 = self.x.zip_map(&self.k[0], |x, k| x + h0 * k);
        let f1 = f.eval(self.t + h0, &y1);
        self.evaluations += 1;
        let d2 = rms(&f1.zip_map(&self.k[0], |a, b| a - b)) / h0;
        let der12 = d2.max(d1);
        let h1 = if der12 <= 1e-15 { (h0 * 1e-3).max(1e-6) } else { (0.01 / der12).powf(0.2) };
        let h = (100.0 * h0).min(h1).min(h_max);
        if h > 0.0 && h.is_finite() { h } else { h0 }.max(self.cfg.h_min)
    }

    /// Takes one accepted step towards `t_lim`, retrying with smaller steps until the error
    /// test passes, and returns its dense output. A step that would end within 1 % of `t_lim`
    /// ends on it exactly (the stages at the step's end are evaluated at `t_lim`).
    #[inline(always)]
    pub(crate) fn step<F: RightHandSide<S>>(&mut self, f: &F, t_lim: f64) -> Result<DenseStep<S>, SimError> {
        let cfg = self.cfg;
        let alpha = 0.2 - 0.75 * cfg.beta;
        let t = self.t;
        let h_floor = cfg.h_min.max(16.0 * f64::EPSILON * t.abs());
        let mut h = self.h.min(cfg.h_max);
        // The length of the last rejected trial step (none yet: NaN).
        let mut h_rejected = f64::NAN;
        loop {
            if self.accepted + self.rejected >= cfg.max_steps {
                return Err(SimError::TooManySteps { t, steps: cfg.max_steps });
            }
            let landing = t + 1.01 * h >= t_lim;
            let t1 = if landing { t_lim } else { t + h };
            if !landing && h < h_floor {
                let tried = if h_rejected.is_nan() { h } else { h_rejected };
                return Err(self.collapse(f, tried, h, h_floor));
            }
            let h_step = t1 - t;
            let (x1, err) = tableau::trial(f, t, t1, &self.x, &mut self.k);
            self.evaluations += 6;
            let ms = self.mean_square(&err, &self.x, &x1);
            // ln of the RMS error err = √ms.
            let ln_err = 0.5 * math::ln(ms);
            if ms <= 1.0 {
                // safety / (err^α · err_prev^β); err = 0 gives ln = -∞ and the largest growth.
                let fac = (cfg.safety * math::exp(-(alpha * ln_err + cfg.beta * self.ln_facold))).clamp(cfg.fac_min, cfg.fac_max);
                let mut h_new = h_step * fac;
                if self.last_rejected {
                    h_new = h_new.min(h_step);
                }
                if landing && h_step < h {
                    // A step cut short to end on `t_lim` (an input jump, the end of a
                    // refractory period): the growth limit would throttle the next step, and
                    // a small error (none, for frozen variables) says little beyond `t_lim`.
                    // Predict without the limit, up to the step proposed before the cut.
                    let free = if ms > 0.0 { h_step * cfg.safety * math::exp(-alpha * ln_err) } else { h };
                    h_new = free.min(h).max(h_step * cfg.fac_min);
                }
                self.ln_facold = ln_err.max(LN_FACOLD_0);
                self.last_rejected = false;
                self.h = h_new.min(cfg.h_max);
                self.accepted += 1;
                let dense = DenseStep::new(t, t1, &self.x, &x1, &self.k);
                self.t = t1;
                self.x = x1;
                self.k[0] = self.k[6];
                return Ok(dense);
            }
            // Rejected (also when the trial produced NaN or infinity).
            h_rejected = h_step;
            self.rejected += 1;
            self.last_rejected = true;
            let shrink = if ms.is_finite() { (cfg.safety * math::exp(-alpha * ln_err)).max(cfg.fac_min) } else { cfg.fac_min };
            h = h_step * shrink.min(1.0);
        }
    }
}
