//! Forward sensitivities S = ∂x/∂θ of a fixed-step RK4 trajectory, integrated alongside it.
//!
//! With x' = f(t, x, p, u), the sensitivities obey S' = J_x S + J_θ, where J_θ holds the
//! columns of ∂f/∂p of the chosen parameters and zero columns for chosen initial-state
//! components; S(0) is zero for a parameter and the unit vector of the component for an
//! initial state. Each RK4 stage of the augmented system evaluates the Jacobians at that
//! stage's model state, so S is the exact derivative of the discrete RK4 map (up to
//! rounding), and finite differences of two RK4 runs at the same step converge to it.
//!
//! A reset or a clip makes the trajectory jump, and its derivative would need a saltation
//! term at each jump: models that reset, clip or hold their state are refused. A threshold
//! that only detects spikes (as in the Hodgkin-Huxley preset) leaves the state alone, so
//! the sensitivities pass through it unchanged.
//!
//! **Coupling to data.** [`ForwardSensitivity::couple`] adds a term g·(d(t) − x_i) to the
//! equation of one state variable x_i, which pulls the model towards a recorded trace d with
//! rate g (synchronisation, or "nudging": Parlitz 1996; Abarbanel et al. 2008, Biol. Cybern.
//! 99:449). The Jacobian gains −g on its diagonal entry, so the sensitivities are those of the
//! coupled system. A fit that starts with a strong coupling and lowers it to zero follows the
//! data's spikes from the start and cannot lock onto a wrong spike train.

use crate::error::{NameError, SimError};
use crate::model::NeuronModel;
use crate::simulate::{Simulation, check_state, fixed_steps, recording_stride, validate_run};
use crate::stimulus::Signal;
use crate::vector::Vector;

/// Forward-sensitivity integrator for the model `M`: chosen parameters and initial-state
/// components, and the working memory of the augmented RK4 step (allocated once).
#[derive(Clone, Debug)]
pub struct ForwardSensitivity<M: NeuronModel> {
    /// Indices of the chosen parameters.
    params: Vec<usize>,
    /// Indices of the state components whose initial values are chosen.
    initial: Vec<usize>,
    /// ∂f/∂x, N×N column-major.
    jx: Vec<f64>,
    /// ∂f/∂p, N×P column-major.
    jp: Vec<f64>,
    /// S, N×K column-major.
    s: Vec<f64>,
    /// S at the current stage.
    s_stage: Vec<f64>,
    /// dS/dt at the current stage.
    l: Vec<f64>,
    /// L1 + 2 L2 + 2 L3 + L4.
    acc: Vec<f64>,
    /// The coupling to data, if any.
    coupling: Option<Coupling>,
    _model: std::marker::PhantomData<fn() -> M>,
}

/// The term g·(d(t) − x_i) added to the equation of state variable `var`.
#[derive(Clone, Debug)]
struct Coupling {
    var: usize,
    gain: f64,
    target: Signal,
}

/// The trajectory and its sensitivities at the recorded samples.
///
/// Storage is flat so that a run can be repeated into the same buffers without allocating:
/// the state at sample `k` is `states[k*N .. (k+1)*N]`, and the sensitivity matrix at sample
/// `k` is the N×K column-major block `sens[k*N*K ..]`, entry ∂x_i/∂θ_j at `i + N*j`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SensitivityRun {
    /// Sample times (ms).
    pub times: Vec<f64>,
    /// Names of the state variables (N of them), in model order.
    pub names: Vec<&'static str>,
    /// Names of the chosen parameters, in the order of the first columns of S.
    pub params: Vec<&'static str>,
    /// Names of the state components whose initial values are chosen: the last columns of S.
    pub initial: Vec<&'static str>,
    /// The states, sample after sample.
    pub states: Vec<f64>,
    /// The sensitivity matrices, sample after sample.
    pub sens: Vec<f64>,
}

impl SensitivityRun {
    /// Number of state variables N.
    pub fn n_states(&self) -> usize {
        self.names.len()
    }

    /// Number of sensitivity columns K (parameters, then initial-state components).
    pub fn n_thetas(&self) -> usize {
        self.params.len() + self.initial.len()
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// ∂x_var/∂θ_theta at sample `k` (indices: state variable, column of S, sample).
    ///
    /// # Panics
    /// If an index is out of range (a programming error, as for slice indexing).
    #[inline]
    pub fn d(&self, var: usize, theta: usize, k: usize) -> f64 {
        let (n, nk) = (self.n_states(), self.n_thetas());
        assert!(var < n && theta < nk, "sensitivity index ({var}, {theta}) out of range ({n}×{nk})");
        self.sens[k * n * nk + var + n * theta]
    }

    /// The state at sample `k`.
    ///
    /// # Panics
    /// If `k` is out of range.
    pub fn sample(&self, k: usize) -> &[f64] {
        let n = self.n_states();
        &self.states[k * n..(k + 1) * n]
    }

    /// The sensitivity matrix (N×K, column-major) at sample `k`.
    ///
    /// # Panics
    /// If `k` is out of range.
    pub fn sample_sensitivity(&self, k: usize) -> &[f64] {
        let nk = self.n_states() * self.n_thetas();
        &self.sens[k * nk..(k + 1) * nk]
    }

    /// The time series of the state variable `var`.
    pub fn state(&self, var: &str) -> Result<Vec<f64>, SimError> {
        let i = self.var_index(var)?;
        let n = self.n_states();
        Ok((0..self.len()).map(|k| self.states[k * n + i]).collect())
    }

    /// The time series of ∂var/∂p for the chosen parameter `param`.
    pub fn sensitivity(&self, var: &str, param: &str) -> Result<Vec<f64>, SimError> {
        let i = self.var_index(var)?;
        let j = self.params.iter().position(|p| *p == param).ok_or_else(|| Self::unknown(param, &self.params))?;
        Ok(self.column(i, j))
    }

    /// The time series of ∂var/∂x0_state for the chosen initial-state component `state`.
    pub fn initial_sensitivity(&self, var: &str, state: &str) -> Result<Vec<f64>, SimError> {
        let i = self.var_index(var)?;
        let j = self.initial.iter().position(|p| *p == state).ok_or_else(|| Self::unknown(state, &self.initial))?;
        Ok(self.column(i, self.params.len() + j))
    }

    fn column(&self, i: usize, j: usize) -> Vec<f64> {
        (0..self.len()).map(|k| self.d(i, j, k)).collect()
    }

    fn var_index(&self, var: &str) -> Result<usize, SimError> {
        self.names.iter().position(|v| *v == var).ok_or_else(|| Self::unknown(var, &self.names))
    }

    fn unknown(name: &str, valid: &[&'static str]) -> SimError {
        SimError::Name(NameError { name: name.to_string(), valid: valid.to_vec() })
    }

    /// Empties the run, keeping its buffers.
    fn clear(&mut self) {
        self.times.clear();
        self.names.clear();
        self.params.clear();
        self.initial.clear();
        self.states.clear();
        self.sens.clear();
    }
}

impl<M: NeuronModel> ForwardSensitivity<M> {
    /// Sensitivities with respect to the parameters `params` and the initial values of the
    /// state variables `initial` (names as declared in the model). Errors: an unknown name,
    /// or a name listed twice in either list (its two columns would be the same).
    pub fn new(params: &[&str], initial: &[&str]) -> Result<Self, SimError> {
        let params = params.iter().map(|p| M::Params::index_of(p)).collect::<Result<Vec<_>, _>>()?;
        let initial = initial.iter().map(|s| M::State::index_of(s)).collect::<Result<Vec<_>, _>>()?;
        let lists = [("params", "parameter", &params, M::Params::INFO), ("initial", "state variable", &initial, M::State::INFO)];
        for (setting, kind, list, info) in lists {
            if let Some(&i) = super::repeated(list) {
                let name = info.get(i).map_or("?", |v| v.name);
                return Err(SimError::RepeatedName { setting, kind, name });
            }
        }
        let (n, np, nk) = (M::State::LEN, M::Params::LEN, params.len() + initial.len());
        Ok(ForwardSensitivity {
            params,
            initial,
            jx: vec![0.0; n * n],
            jp: vec![0.0; n * np],
            s: vec![0.0; n * nk],
            s_stage: vec![0.0; n * nk],
            l: vec![0.0; n * nk],
            acc: vec![0.0; n * nk],
            coupling: None,
            _model: std::marker::PhantomData,
        })
    }

    /// Sensitivities with respect to every parameter of the model.
    pub fn all_params() -> Self {
        let names: Vec<&str> = M::Params::INFO.iter().map(|v| v.name).collect();
        Self::new(&names, &[]).expect("the model's own parameter names are valid")
    }

    /// Couples state variable `var` to the trace `target` with rate `gain` (1/ms): the term
    /// `gain`·(target(t) − var) joins its equation in every later run (see the module
    /// documentation). A gain of zero removes the coupling.
    pub fn couple(&mut self, var: &str, gain: f64, target: Signal) -> Result<(), SimError> {
        let var = M::State::index_of(var)?;
        if !(gain >= 0.0 && gain.is_finite()) {
            return Err(SimError::InvalidSetting {
                name: "gain",
                value: gain,
                reason: "a coupling gain must be finite and non-negative".into(),
            });
        }
        self.coupling = (gain > 0.0).then_some(Coupling { var, gain, target });
        Ok(())
    }

    /// The coupling gain (0 when uncoupled).
    pub fn coupling_gain(&self) -> f64 {
        self.coupling.as_ref().map_or(0.0, |c| c.gain)
    }

    /// The same coupling with no sensitivity columns: a plain (coupled) RK4 run.
    pub(crate) fn without_columns(&self) -> Self {
        let mut plain = Self::new(&[], &[]).expect("no names to look up");
        plain.coupling = self.coupling.clone();
        plain
    }

    /// Number of sensitivity columns K.
    pub fn n_thetas(&self) -> usize {
        self.params.len() + self.initial.len()
    }

    /// Integrates `sim` (its model, initial state, stimulus, time span and recording
    /// interval; every state variable is recorded, whatever names it lists) with RK4 at step `dt` (ms), together with
    /// the sensitivities.
    pub fn run(&mut self, sim: &Simulation<'_, M>, dt: f64) -> Result<SensitivityRun, SimError> {
        let mut out = SensitivityRun::default();
        self.run_into(sim, sim.model.params(), dt, &mut out)?;
        Ok(out)
    }

    /// As [`ForwardSensitivity::run`], with the parameters `params` in place of the
    /// simulation model's, into `out`, whose buffers are reused: repeated runs with new
    /// parameter vectors (as a fit does) allocate nothing once `out` has grown to size.
    /// The model is rebuilt from `params` with [`NeuronModel::with_params`].
    pub fn run_into(&mut self, sim: &Simulation<'_, M>, params: &M::Params, dt: f64, out: &mut SensitivityRun) -> Result<(), SimError> {
        let m = M::with_params(*params);
        validate_run(&m, sim.t0, sim.t_end)?;
        if !(dt > 0.0 && dt.is_finite()) {
            return Err(SimError::InvalidSetting { name: "dt", value: dt, reason: "the time step must be positive".into() });
        }
        check_supported(&m)?;
        if sim.record.times.is_some() {
            return Err(SimError::Unsupported(
                "sensitivities are recorded every k-th step (RecordSpec::every), not at requested times".into(),
            ));
        }
        let every = recording_stride(sim.record.interval, dt)?;
        check_state::<M>(sim.t0, &sim.x0)?;
        let (n, nk) = (M::State::LEN, self.n_thetas());
        let steps = fixed_steps(sim.t_end - sim.t0, dt)?;
        let samples = steps / every + 2;
        out.clear();
        out.names.extend(M::State::INFO.iter().map(|v| v.name));
        out.params.extend(self.params.iter().map(|&p| M::Params::INFO[p].name));
        out.initial.extend(self.initial.iter().map(|&i| M::State::INFO[i].name));
        // The whole recording, or an error before the run if it cannot be had (as
        // `Trajectory` does for a plain run).
        let too_large = || SimError::InvalidSetting {
            name: "recording interval",
            value: sim.record.interval.unwrap_or(dt),
            reason: format!(
                "the recording would hold {samples} samples of {} values (states and sensitivities), more than the memory can: record less often",
                n + n * nk
            ),
        };
        let len = |per: usize| usize::try_from(samples).ok().and_then(|s| s.checked_mul(per)).ok_or_else(too_large);
        out.times.try_reserve_exact(len(1)?).map_err(|_| too_large())?;
        out.states.try_reserve_exact(len(n)?).map_err(|_| too_large())?;
        out.sens.try_reserve_exact(len(n * nk)?).map_err(|_| too_large())?;

        self.s.fill(0.0);
        for (j, &i) in self.initial.iter().enumerate() {
            self.s[i + n * (self.params.len() + j)] = 1.0;
        }
        let mut x = sim.x0;
        let mut t = sim.t0;
        push(out, t, &x, &self.s);
        for k in 0..steps {
            let t_next = (sim.t0 + (k + 1) as f64 * dt).min(sim.t_end);
            let h = t_next - t;
            // The inputs as `Simulation::run_fixed` reads them: right-continuous at the step's
            // start, left limit at its end.
            let before_end = t_next.next_down();
            let inputs = |s: f64| sim.stimulus.at(s.min(before_end));
            self.step(&m, t, h, &mut x, &inputs);
            check_state::<M>(t_next, &x)?;
            if let Some(i) = self.s.iter().position(|v| !v.is_finite()) {
                let (var, col) = (i % n, i / n);
                return Err(SimError::Unsupported(format!(
                    "the sensitivity of `{}` to `{}` became {} at t = {t_next} ms",
                    M::State::INFO[var].name,
                    self.theta_name(col),
                    self.s[i]
                )));
            }
            t = t_next;
            if (k + 1) % every == 0 || k + 1 == steps {
                push(out, t, &x, &self.s);
            }
        }
        Ok(())
    }

    /// The name of column `j` of S, for messages.
    fn theta_name(&self, j: usize) -> String {
        match self.params.get(j) {
            Some(&p) => M::Params::INFO[p].name.to_string(),
            None => format!("{}(0)", M::State::INFO[self.initial[j - self.params.len()]].name),
        }
    }

    /// One RK4 step of the model and its sensitivities, with the same stage states (and the
    /// same arithmetic for x) as [`Rk4`](crate::integrate::Rk4).
    #[inline]
    fn step<U: Fn(f64) -> M::Inputs>(&mut self, m: &M, t: f64, h: f64, x: &mut M::State, inputs: &U) {
        let half = t + 0.5 * h;
        let (u0, u_half, u1) = (inputs(t), inputs(half), inputs(t + h));
        let k1 = self.derivative(m, t, x, &u0);
        self.stage(m, t, x, &u0, false);
        self.advance(0.5 * h, 1.0, true);
        let x2 = x.zip_map(&k1, |x, k| x + 0.5 * h * k);
        let k2 = self.derivative(m, half, &x2, &u_half);
        self.stage(m, half, &x2, &u_half, true);
        self.advance(0.5 * h, 2.0, false);
        let x3 = x.zip_map(&k2, |x, k| x + 0.5 * h * k);
        let k3 = self.derivative(m, half, &x3, &u_half);
        self.stage(m, half, &x3, &u_half, true);
        self.advance(h, 2.0, false);
        let x4 = x.zip_map(&k3, |x, k| x + h * k);
        let k4 = self.derivative(m, t + h, &x4, &u1);
        self.stage(m, t + h, &x4, &u1, true);
        let s = k1.zip3_map(&k2, &k3, |a, b, c| a + 2.0 * b + 2.0 * c);
        *x = x.zip3_map(&s, &k4, |x, s, d| x + h / 6.0 * (s + d));
        for ((s, a), l) in self.s.iter_mut().zip(&self.acc).zip(&self.l) {
            *s += h / 6.0 * (a + l);
        }
    }

    /// The model's derivative, plus the coupling term if any.
    #[inline]
    fn derivative(&self, m: &M, t: f64, x: &M::State, u: &M::Inputs) -> M::State {
        let mut d = m.derivative(t, x, u);
        if let Some(c) = &self.coupling {
            let (xi, di) = (x.get_index(c.var).unwrap_or(0.0), d.get_index(c.var).unwrap_or(0.0));
            d.set_index(c.var, di + c.gain * (c.target.at(t) - xi));
        }
        d
    }

    /// L = J_x S_stage + J_θ at the stage state `x` (S itself at the first stage).
    #[inline]
    fn stage(&mut self, m: &M, t: f64, x: &M::State, u: &M::Inputs, from_stage: bool) {
        if self.n_thetas() == 0 {
            // No columns: no Jacobian is needed.
            return;
        }
        let n = M::State::LEN;
        m.jacobian(t, x, u, &mut self.jx);
        if let Some(c) = &self.coupling {
            self.jx[c.var + n * c.var] -= c.gain;
        }
        if !self.params.is_empty() {
            m.param_jacobian(t, x, u, &mut self.jp);
        }
        let s_in = if from_stage { &self.s_stage } else { &self.s };
        for j in 0..self.n_thetas() {
            let col = &mut self.l[n * j..n * (j + 1)];
            match self.params.get(j) {
                Some(&p) => col.copy_from_slice(&self.jp[n * p..n * (p + 1)]),
                None => col.fill(0.0),
            }
            for q in 0..n {
                let sq = s_in[q + n * j];
                if sq != 0.0 {
                    for (c, a) in col.iter_mut().zip(&self.jx[n * q..n * (q + 1)]) {
                        *c += a * sq;
                    }
                }
            }
        }
    }

    /// Adds `weight`·L to the accumulator (starting it when `first`) and sets the next
    /// stage's S = S + `c`·L.
    #[inline]
    fn advance(&mut self, c: f64, weight: f64, first: bool) {
        for (((a, st), s), l) in self.acc.iter_mut().zip(self.s_stage.iter_mut()).zip(&self.s).zip(&self.l) {
            *a = if first { *l } else { *a + weight * l };
            *st = s + c * l;
        }
    }
}

/// Appends a sample.
fn push<X: Vector>(out: &mut SensitivityRun, t: f64, x: &X, s: &[f64]) {
    out.times.push(t);
    out.states.extend((0..X::LEN).map(|i| x.get_index(i).unwrap_or(0.0)));
    out.sens.extend_from_slice(s);
}

/// Refuses models whose trajectory jumps or is not differentiable in the deterministic sense:
/// noise, resets, clips and held variables, as the model declares them.
fn check_supported<M: NeuronModel>(m: &M) -> Result<(), SimError> {
    let refuse = |what: &str| {
        Err(SimError::Unsupported(format!(
            "the model `{}` {what}: the trajectory jumps there, and forward sensitivities through jumps are not implemented",
            M::NAME
        )))
    };
    if M::HAS_NOISE {
        return Err(SimError::Unsupported(format!(
            "the model `{}` has a white-noise term; forward sensitivities need a deterministic model",
            M::NAME
        )));
    }
    if M::HAS_RESET {
        return refuse("resets its state after a spike");
    }
    if M::HAS_CLIP {
        return refuse("clips its state");
    }
    if !M::HELD.is_empty() && m.refractory_period() > 0.0 {
        return refuse("holds state variables during its refractory period");
    }
    Ok(())
}
