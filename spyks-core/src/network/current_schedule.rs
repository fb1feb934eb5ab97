//! Current schedules: rectangular current pulses into chosen neurons of a population, as the
//! `I_ext` lists of pyN (start, stop, amplitude, neurons).

use super::drive::Drive;
use super::error::NetworkError;

/// One window: `amplitude` into `neurons` from `start` to `stop` (ms).
#[derive(Clone, Debug, PartialEq)]
struct Window {
    start: f64,
    stop: f64,
    amplitude: f64,
    neurons: Vec<usize>,
    /// Steps k with `on.0 <= k < on.1` receive the current (set in `prepare`).
    on: (u64, u64),
}

/// Rectangular current pulses into subsets of a population's neurons, added to one of its
/// inputs with [`super::Network::add_drive`]. Windows may overlap; their currents add.
///
/// A window from `start` to `stop` acts in the steps k with start ≤ k·dt < stop (to a
/// tolerance of 10⁻⁹ steps), that is on [start, stop) rounded up to the grid, and is constant
/// over each step, so a window whose ends are on the grid is exactly the rectangular pulse.
/// Amplitudes are in the unit of the input (pA for most models).
///
/// ```
/// use spyks_core::integrate::Rk4;
/// use spyks_core::network::{CurrentSchedule, Network, Population};
/// use spyks_core::presets::integrate_and_fire::Lif;
///
/// let mut net = Network::new(0.1, 1)?;
/// let p = net.add_population(Population::new("lif", 10, Lif::new(), |_| Rk4))?;
/// // pyN: I_ext = [{'start': 10, 'stop': 60, 'mA': 250, 'neurons': [0, 1, 2]}, ...]
/// let schedule = CurrentSchedule::new("steps").window(10.0, 60.0, 250.0, [0, 1, 2]).window(30.0, 80.0, 150.0, 2..10);
/// net.add_drive(p, "I", schedule)?;
/// net.run(100.0)?;
/// # Ok::<(), spyks_core::network::NetworkError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CurrentSchedule {
    name: String,
    windows: Vec<Window>,
}

impl CurrentSchedule {
    /// An empty schedule.
    pub fn new(name: &str) -> Self {
        CurrentSchedule { name: name.to_string(), windows: Vec::new() }
    }

    /// Adds a window: `amplitude` into `neurons` (indices in the population) from `start` to
    /// `stop` (ms). Checked when the network runs.
    pub fn window(mut self, start: f64, stop: f64, amplitude: f64, neurons: impl IntoIterator<Item = usize>) -> Self {
        self.windows.push(Window { start, stop, amplitude, neurons: neurons.into_iter().collect(), on: (0, 0) });
        self
    }
}

impl Drive for CurrentSchedule {
    fn name(&self) -> &str {
        &self.name
    }

    fn prepare(&mut self, n: usize, dt: f64, _seed: u64) -> Result<(), NetworkError> {
        for (k, w) in self.windows.iter_mut().enumerate() {
            let ctx = |what: &str| format!("current schedule `{}`, window {k}: {what}", self.name);
            if !(w.start.is_finite() && w.start >= 0.0) {
                return Err(NetworkError::invalid(ctx("start"), w.start, "must be finite and not negative"));
            }
            if !(w.stop.is_finite() && w.stop > w.start) {
                return Err(NetworkError::invalid(ctx("stop"), w.stop, format!("must be finite and after the start {}", w.start)));
            }
            if !w.amplitude.is_finite() {
                return Err(NetworkError::invalid(ctx("amplitude"), w.amplitude, "must be finite"));
            }
            if let Some(&i) = w.neurons.iter().find(|&&i| i >= n) {
                return Err(NetworkError::Index { context: ctx("neurons"), index: i, len: n });
            }
            let first = |t: f64| (t / dt - 1e-9).ceil().max(0.0) as u64;
            w.on = (first(w.start), first(w.stop));
        }
        Ok(())
    }

    fn add(&mut self, step: u64, _t: f64, _h: f64, input: &mut [f64]) {
        for w in &self.windows {
            if w.on.0 <= step && step < w.on.1 {
                for &i in &w.neurons {
                    input[i] += w.amplitude;
                }
            }
        }
    }
}
