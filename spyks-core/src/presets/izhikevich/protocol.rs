//! A published stimulus protocol and its runner.

use super::{FigureScheme, Izhikevich, IzhikevichParams, IzhikevichState, NetScheme};
use crate::error::SimError;
use crate::integrate::Stepper;
use crate::simulate::Simulation;
use crate::stimulus::{Signal, Stimulus};

/// One panel of a published figure: parameters, initial state, step, duration and input, as
/// in the script that drew it.
///
/// The scripts loop over t = 0, τ, 2τ, ..., T (`tspan = 0:tau:T`, T/τ + 1 steps, so the run
/// ends at T + τ), evaluate the input at the step's start t with the script's own comparisons
/// (`t > T1`, `(t > T1) & (t < T1 + 3)`, ...), advance V then u, and reset when V > 30 mV.
#[derive(Clone, Copy, Debug)]
pub struct Protocol {
    /// Panel label: the letter of Izhikevich (2004), Fig. 1, or the class abbreviation of
    /// Izhikevich (2003), Fig. 2.
    pub letter: &'static str,
    /// The behaviour or class, in words.
    pub name: &'static str,
    /// The panel's title as printed in the figure.
    pub title: &'static str,
    /// The model's parameters.
    pub params: IzhikevichParams,
    /// Initial v (mV).
    pub v0: f64,
    /// Initial u (mV/ms); `None` for the scripts' usual u0 = b·v0.
    pub u0: Option<f64>,
    /// The script's step τ (ms).
    pub tau: f64,
    /// The script's T (ms): the loop runs over 0:τ:T.
    pub duration: f64,
    /// The injected current I(t) (mV/ms).
    pub input: fn(f64) -> f64,
}

/// The traces of a protocol's run, sampled at every step.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProtocolRun {
    /// Sample times t_k = k·step (ms), from 0 to the end of the last step.
    pub times: Vec<f64>,
    /// v (mV) at each sample; at a step that ended in a spike, v_peak, as the scripts plot it
    /// (the state itself was reset to c).
    pub v: Vec<f64>,
    /// u (mV/ms) at each sample, after any reset.
    pub u: Vec<f64>,
    /// The input I(t_k) (mV/ms): the current of the step that starts at t_k.
    pub input: Vec<f64>,
    /// Spike times (ms): the end of the step in which v crossed v_peak. The scripts record the
    /// step's start, [`ProtocolRun::script_spike_times`].
    pub spikes: Vec<f64>,
    /// The step (ms).
    pub step: f64,
}

impl ProtocolRun {
    /// Spike times as the scripts record them: the start of the step in which v crossed.
    pub fn script_spike_times(&self) -> Vec<f64> {
        self.spikes.iter().map(|s| s - self.step).collect()
    }

    /// Spike times within [t0, t1).
    pub fn spikes_between(&self, t0: f64, t1: f64) -> Vec<f64> {
        self.spikes.iter().copied().filter(|&s| s >= t0 && s < t1).collect()
    }
}

impl Protocol {
    /// The model with this panel's parameters.
    pub fn model(&self) -> Izhikevich {
        Izhikevich { params: self.params }
    }

    /// The initial state (v0, u0), with u0 = b·v0 unless the panel sets it.
    pub fn initial_state(&self) -> IzhikevichState {
        IzhikevichState { v: self.v0, u: self.u0.unwrap_or(self.params.b * self.v0) }
    }

    /// Runs the panel in its script's scheme ([`FigureScheme`] with the panel's τ).
    pub fn run(&self) -> Result<ProtocolRun, SimError> {
        self.run_with(&mut FigureScheme { tau: self.tau }, self.tau)
    }

    /// Runs the panel's protocol in the scheme of the 2003 paper's `net.m` ([`NetScheme`],
    /// 1 ms steps), over the same span 0:1:T.
    pub fn run_net(&self) -> Result<ProtocolRun, SimError> {
        self.run_with(&mut NetScheme { dt: 1.0 }, 1.0)
    }

    /// Runs the protocol with any stepper and step `dt` (ms), over 0:dt:T (T/dt + 1 steps,
    /// rounded to the nearest whole number).
    pub fn run_with<S: Stepper<Izhikevich>>(&self, stepper: &mut S, dt: f64) -> Result<ProtocolRun, SimError> {
        if !(dt > 0.0 && dt.is_finite()) {
            return Err(SimError::InvalidSetting { name: "dt", value: dt, reason: "the time step must be positive".into() });
        }
        if !(self.duration >= 0.0 && self.duration.is_finite()) {
            return Err(SimError::InvalidSetting {
                name: "duration",
                value: self.duration,
                reason: "must be finite and not negative".into(),
            });
        }
        let steps = (self.duration / dt).round() + 1.0;
        let model = self.model();
        let stimulus = Stimulus::new().with("I", Signal::func(self.input))?;
        let traj = Simulation::new(&model, steps * dt).state(self.initial_state()).stimulus(stimulus).run_fixed(stepper, dt)?;
        let v_col = traj.column("v").unwrap_or(&[]);
        let mut v = v_col.to_vec();
        let mut next = 0;
        for (k, &t) in traj.times.iter().enumerate() {
            while next < traj.spikes.len() && traj.spikes[next] < t {
                next += 1;
            }
            if next < traj.spikes.len() && traj.spikes[next] == t {
                v[k] = self.params.v_peak;
            }
        }
        Ok(ProtocolRun {
            input: traj.times.iter().map(|&t| (self.input)(t)).collect(),
            u: traj.column("u").unwrap_or(&[]).to_vec(),
            v,
            spikes: traj.spikes,
            times: traj.times,
            step: dt,
        })
    }
}
