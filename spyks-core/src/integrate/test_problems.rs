//! Test problems shared by the steppers' unit tests (in the manner of diffsol's): models with
//! known solutions or known behaviour, and the order fit.

crate::neuron_model! {
    /// dx/dt = -k·x: x(t) = x0·e^(-kt).
    pub model Decay;
    parameters { k: 2 1/ms }
    state { x: 1 }
    equations { dx/dt = -k * x }
}

crate::neuron_model! {
    /// dx/dt = r·x·(1 - x): x(t) = 1 / (1 + (1/x0 - 1)·e^(-rt)).
    pub model Logistic;
    parameters { r: 1 1/ms }
    state { x: 0.1 }
    equations { dx/dt = r * x * (1 - x) }
}

crate::neuron_model! {
    /// dx/dt = -k·x + I(t); with I = sin t and x(0) = 0:
    /// x = (k·sin t - cos t + e^(-kt)) / (k² + 1).
    pub model Forced;
    parameters { k: 2 1/ms }
    state { x: 0 }
    inputs { I: 0 1/ms }
    equations { dx/dt = -k * x + I }
}

crate::neuron_model! {
    /// Eigenvalues -1 (along (1, 1)) and -1000 (along (1, -1)); from (2, 0):
    /// x = e^-t + e^-1000t, y = e^-t - e^-1000t.
    pub model Stiff;
    parameters { p: 500.5 1/ms, q: 499.5 1/ms }
    state { x: 2, y: 0 }
    equations {
        dx/dt = -p * x + q * y,
        dy/dt = q * x - p * y
    }
}

crate::neuron_model! {
    /// Izhikevich (2003) below threshold (no reset): smooth and mildly nonlinear.
    pub model Izh;
    parameters { a: 0.02 1/ms, b: 0.2 1/ms }
    state { v: -65 mV, u: -13 mV/ms }
    inputs { I: 2 mV/ms }
    equations {
        dv/dt = 0.04 1/(ms*mV) * v^2 + 5 1/ms * v + 140 mV/ms - u + I,
        du/dt = a * (b * v - u)
    }
}

/// The last sample of a recorded variable.
pub fn last(traj: &crate::Trajectory, name: &str) -> f64 {
    *traj.column(name).unwrap().last().unwrap()
}

/// Least-squares slope of log(error) against log(h).
pub fn slope(hs: &[f64], errs: &[f64]) -> f64 {
    let (lx, ly): (Vec<f64>, Vec<f64>) = hs.iter().zip(errs).map(|(h, e)| (h.ln(), e.ln())).unzip();
    let n = lx.len() as f64;
    let (mx, my) = (lx.iter().sum::<f64>() / n, ly.iter().sum::<f64>() / n);
    let sxy: f64 = lx.iter().zip(&ly).map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = lx.iter().map(|x| (x - mx).powi(2)).sum();
    sxy / sxx
}

/// The observed order over five halvings of h from `h0`.
pub fn observed_order(h0: f64, error: impl Fn(f64) -> f64) -> f64 {
    let hs: Vec<f64> = (0..5).map(|i| h0 / f64::from(1 << i)).collect();
    let errs: Vec<f64> = hs.iter().map(|&h| error(h)).collect();
    slope(&hs, &errs)
}
