//! Shared test helpers: reference data, a small portable RNG (uniform and normal deviates that do
//! not depend on a random-number crate's version), finite-difference Jacobians.
#![allow(dead_code)]

use spyks_core::{NeuronModel, Vector};

/// SplitMix64: a tiny portable generator, enough for sampling test points.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    /// Uniform on [lo, hi).
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
    }
    /// Standard normal, by Box-Muller (one deviate per two uniforms).
    pub fn normal(&mut self) -> f64 {
        let (u1, u2) = (1.0 - self.uniform(0.0, 1.0), self.uniform(0.0, 1.0));
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// Upward crossings of 0 mV in a sampled voltage trace: its spikes.
pub fn spike_count(v: &[f64]) -> usize {
    v.windows(2).filter(|w| w[0] < 0.0 && w[1] >= 0.0).count()
}

/// Root mean square of `a − b`.
pub fn rms(a: &[f64], b: &[f64]) -> f64 {
    (a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>() / a.len() as f64).sqrt()
}

/// One reference point of a spyks derivative file.
pub struct RefPoint {
    pub state: Vec<f64>,
    pub params: Vec<f64>,
    pub forcing: Vec<f64>,
    pub dxdt: Vec<f64>,
}

/// The parsed reference file of one model.
pub struct Reference {
    pub json: serde_json::Value,
    pub points: Vec<RefPoint>,
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

fn names(v: &serde_json::Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
}

/// Loads `tests/data/spyks-reference/<model>.json` and checks that the variable order matches
/// the model's.
pub fn reference<M: NeuronModel>(model: &str) -> Reference {
    let path = format!("{}/tests/data/spyks-reference/{model}.json", env!("CARGO_MANIFEST_DIR"));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let ours = |info: &[spyks_core::VarInfo]| info.iter().map(|v| v.name.to_string()).collect::<Vec<_>>();
    assert_eq!(names(&json["state_names"]), ours(M::State::INFO));
    assert_eq!(names(&json["param_names"]), ours(M::Params::INFO));
    assert_eq!(names(&json["forcing_names"]), ours(M::Inputs::INFO));
    let points = json["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| RefPoint {
            state: floats(&p["state"]),
            params: floats(&p["params"]),
            forcing: floats(&p["forcing"]),
            dxdt: floats(&p["dxdt"]),
        })
        .collect();
    Reference { json, points }
}

/// Largest error of our derivative against spyks' at every reference point, relative to the
/// size of the terms: |ours - ref| / max(|ref|, scale) where `scale` is the magnitude the
/// component reaches at that point with every input zeroed out (a proxy for the size of the
/// terms that cancel). Returns the worst value.
pub fn max_rel_error<M: NeuronModel>(r: &Reference) -> f64 {
    let mut worst: f64 = 0.0;
    for p in &r.points {
        let model = M::with_params(M::Params::from_slice(&p.params).unwrap());
        let x = M::State::from_slice(&p.state).unwrap();
        let u = M::Inputs::from_slice(&p.forcing).unwrap();
        let dx = model.derivative(0.0, &x, &u).to_vec();
        for (i, (a, b)) in dx.iter().zip(&p.dxdt).enumerate() {
            let terms = term_scale::<M>(&model, &x, &u, i);
            let e = (a - b).abs() / b.abs().max(terms).max(1e-300);
            worst = worst.max(e);
        }
    }
    worst
}

/// The magnitude of the terms of component `i`: |f_i| plus |∂f_i/∂x_j · x_j| summed.
fn term_scale<M: NeuronModel>(m: &M, x: &M::State, u: &M::Inputs, i: usize) -> f64 {
    let n = M::State::LEN;
    let mut j = vec![0.0; n * n];
    m.jacobian(0.0, x, u, &mut j);
    let xs = x.to_vec();
    (0..n).map(|k| (j[i + n * k] * xs[k]).abs()).sum::<f64>()
}

/// Compares the analytic Jacobians (state and parameters) with central finite differences at
/// `points` states; returns the worst relative error.
pub fn jacobian_fd_error<M: NeuronModel>(model: &M, states: &[M::State], u: &M::Inputs) -> f64 {
    let n = M::State::LEN;
    let np = M::Params::LEN;
    let mut worst: f64 = 0.0;
    let mut j = vec![0.0; n * n];
    let mut jp = vec![0.0; n * np];
    for x in states {
        model.jacobian(0.0, x, u, &mut j);
        model.param_jacobian(0.0, x, u, &mut jp);
        let f0 = model.derivative(0.0, x, u).to_vec();
        let fscale: Vec<f64> = f0.iter().map(|v| v.abs()).collect();
        for k in 0..n {
            let xk = x.get_index(k).unwrap();
            let h = 1e-4 * xk.abs().max(1e-2);
            let fd_all = richardson(h, |dx| {
                let mut xp = *x;
                xp.set_index(k, xk + dx);
                model.derivative(0.0, &xp, u).to_vec()
            });
            for i in 0..n {
                let fd = fd_all[i];
                let an = j[i + n * k];
                let scale = an.abs().max(fd.abs()).max(1e-6 * (fscale[i] / h.max(1e-2)).max(1e-9));
                worst = worst.max((fd - an).abs() / scale);
            }
        }
        for k in 0..np {
            let pk = model.params().get_index(k).unwrap();
            let h = 1e-4 * pk.abs().max(1e-2);
            let fd_all = richardson(h, |dp| {
                let mut mp = model.clone();
                mp.params_mut().set_index(k, pk + dp);
                mp.derivative(0.0, x, u).to_vec()
            });
            for i in 0..n {
                let fd = fd_all[i];
                let an = jp[i + n * k];
                let scale = an.abs().max(fd.abs()).max(1e-6 * (fscale[i] / h.max(1e-2)).max(1e-9));
                worst = worst.max((fd - an).abs() / scale);
            }
        }
    }
    worst
}

/// Derivative of `f` at 0 by central differences with one Richardson extrapolation step
/// (error O(h^4)).
fn richardson(h: f64, f: impl Fn(f64) -> Vec<f64>) -> Vec<f64> {
    let d = |h: f64| -> Vec<f64> {
        let (p, m) = (f(h), f(-h));
        p.iter().zip(&m).map(|(a, b)| (a - b) / (2.0 * h)).collect()
    };
    let (d1, d2) = (d(h), d(h / 2.0));
    d1.iter().zip(&d2).map(|(a, b)| (4.0 * b - a) / 3.0).collect()
}

/// Random states in the sampling ranges of the reference data: V in [-90, 40] mV, gating
/// variables in [0, 1], other variables around their initial value.
pub fn random_states<M: NeuronModel>(rng: &mut Rng, count: usize) -> Vec<M::State> {
    (0..count)
        .map(|_| {
            let mut x = M::State::default();
            for (k, info) in M::State::INFO.iter().enumerate() {
                let v = match info.unit {
                    "mV" => rng.uniform(-90.0, 40.0),
                    "1" => rng.uniform(0.0, 1.0),
                    _ => info.default + rng.uniform(-500.0, 500.0),
                };
                x.set_index(k, v);
            }
            x
        })
        .collect()
}

/// The scalar methods of a `NeuronModel` that wraps another model as its field `.0`, each
/// delegated to it (`$wrap(<$inner>::with_params(p))` builds one from parameters): for test
/// models that change only some of the trait's constants, or leave out the generated lane
/// methods.
#[allow(unused_macros)]
macro_rules! delegate_scalar_methods {
    ($wrap:ident, $inner:ty) => {
        fn with_params(params: Self::Params) -> Self {
            $wrap(<$inner as spyks_core::NeuronModel>::with_params(params))
        }
        fn params(&self) -> &Self::Params {
            spyks_core::NeuronModel::params(&self.0)
        }
        fn params_mut(&mut self) -> &mut Self::Params {
            spyks_core::NeuronModel::params_mut(&mut self.0)
        }
        fn initial_state(&self) -> Self::State {
            spyks_core::NeuronModel::initial_state(&self.0)
        }
        fn derivative(&self, t: f64, x: &Self::State, u: &Self::Inputs) -> Self::State {
            spyks_core::NeuronModel::derivative(&self.0, t, x, u)
        }
        fn noise(&self, t: f64, x: &Self::State, u: &Self::Inputs) -> Self::State {
            spyks_core::NeuronModel::noise(&self.0, t, x, u)
        }
        fn jacobian(&self, t: f64, x: &Self::State, u: &Self::Inputs, out: &mut [f64]) {
            spyks_core::NeuronModel::jacobian(&self.0, t, x, u, out)
        }
        fn param_jacobian(&self, t: f64, x: &Self::State, u: &Self::Inputs, out: &mut [f64]) {
            spyks_core::NeuronModel::param_jacobian(&self.0, t, x, u, out)
        }
        fn linear_coefficients(&self, t: f64, x: &Self::State, u: &Self::Inputs) -> (Self::State, Self::State) {
            spyks_core::NeuronModel::linear_coefficients(&self.0, t, x, u)
        }
        fn expressions(&self, t: f64, x: &Self::State, u: &Self::Inputs) -> Self::Exprs {
            spyks_core::NeuronModel::expressions(&self.0, t, x, u)
        }
        fn threshold(&self, t: f64, x: &Self::State, u: &Self::Inputs) -> bool {
            spyks_core::NeuronModel::threshold(&self.0, t, x, u)
        }
        fn threshold_function(&self, t: f64, x: &Self::State, u: &Self::Inputs) -> f64 {
            spyks_core::NeuronModel::threshold_function(&self.0, t, x, u)
        }
        fn reset(&self, t: f64, x: &mut Self::State, u: &Self::Inputs) {
            spyks_core::NeuronModel::reset(&self.0, t, x, u)
        }
        fn clip(&self, t: f64, x: &mut Self::State, u: &Self::Inputs) {
            spyks_core::NeuronModel::clip(&self.0, t, x, u)
        }
        fn refractory_period(&self) -> f64 {
            spyks_core::NeuronModel::refractory_period(&self.0)
        }
    };
}
#[allow(unused_imports)]
pub(crate) use delegate_scalar_methods;

/// The period of the LIF preset under a constant current `i` (closed form):
/// t_ref + τ_m ln((R I + E_L − V_reset)/(R I + E_L − V_th)).
pub fn lif_period(p: &spyks_core::presets::integrate_and_fire::LifParams, i: f64) -> f64 {
    let v_inf = p.E_L + p.R_m * i;
    p.t_ref + p.tau_m * ((v_inf - p.V_reset) / (v_inf - p.V_th)).ln()
}

/// The voltage `V` of `model` driven through its input `I` by `current` (one sample every `dt`
/// ms, read linearly between samples), integrated by RK4 at `step` ms and sampled every `dt`
/// ms: the data of a twin experiment, before any noise.
pub fn driven_voltage<M: NeuronModel>(model: &M, current: &[f64], dt: f64, step: f64) -> Vec<f64> {
    use spyks_core::{Interp, RecordSpec, Signal, Simulation, Stimulus};
    let t_end = dt * (current.len() - 1) as f64;
    let stim = Stimulus::new().with("I", Signal::sampled(dt, current.to_vec(), Interp::Linear)).unwrap();
    let run = Simulation::new(model, t_end).stimulus(stim).record(RecordSpec::names(["V"]).every(dt));
    run.run_fixed(&mut spyks_core::integrate::Rk4, step).unwrap().column("V").unwrap().to_vec()
}
