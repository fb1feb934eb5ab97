//! A held variable during the refractory period: jumps onto it that arrive while a neuron is
//! refractory are dropped, the others added, whether they arrive at once or after a delay,
//! for neurons stepped in blocks and one at a time; a value set during the period is kept.

use spyks::integrate::Euler;
use spyks::network::{Network, Population, Projection, Rule, SpikeTimes, Target, Values};

spyks::neuron_model! {
    /// A potential that moves only by jumps: it fires above 0, is reset to -10 and held for
    /// 2 ms.
    model Still;
    parameters { t_ref: 2 ms, tau: 1e9 ms }
    state { v: 0 mV, w: 0 mV }
    equations { dv/dt = -w / tau, dw/dt = -w / tau }
    threshold { v > 0 mV }
    reset { v = -10 mV }
    refractory { period = t_ref, hold = [v] }
}

/// 40 neurons (two blocks of sixteen or five of eight, and the rest one at a time): the even
/// ones start above the threshold and fire at the first step's end (t = 0.1 ms), refractory
/// until 2.1 ms; the odd ones never fire. A source sends one jump of -1 mV to all at
/// `t_early` (inside the refractory period) and one at `t_late` (after it), with `delay`.
fn run(delay: f64, t_early: f64, t_late: f64) -> Vec<f64> {
    let n = 40;
    let mut net = Network::new(0.1, 1).unwrap();
    let p = net.add_population(Population::new("still", n, Still::new(), |_| Euler::new())).unwrap();
    net.init_state(p, "v", Values::Array((0..n).map(|i| if i % 2 == 0 { 1.0 } else { 0.0 }).collect())).unwrap();
    let src = net.add_source(SpikeTimes::new("src", vec![vec![t_early, t_late]])).unwrap();
    net.connect(Projection::new(src, p, Rule::AllToAll, Target::state("v")).weight(-1.0).delay(delay)).unwrap();
    net.run(5.0).unwrap();
    (0..n).map(|i| net.get(p, "v", i).unwrap()).collect()
}

#[test]
fn jumps_onto_a_held_variable_are_dropped_while_refractory() {
    // Direct delivery (no delay: into the state at once) and through the delay ring.
    for (delay, t_early, t_late) in [(0.0, 0.5, 3.0), (0.1, 0.5, 3.0), (1.0, 0.2, 2.5)] {
        let v = run(delay, t_early, t_late);
        for (i, &v) in v.iter().enumerate() {
            // Even: reset to -10, the early jump dropped, the late one added; odd: both added.
            let want = if i % 2 == 0 { -11.0 } else { -2.0 };
            assert_eq!(v, want, "neuron {i}, delay {delay} ms");
        }
    }
}

#[test]
fn a_held_variable_set_while_refractory_keeps_the_value() {
    let mut net = Network::new(0.1, 1).unwrap();
    let p = net.add_population(Population::new("still", 20, Still::new(), |_| Euler::new())).unwrap();
    net.init_state(p, "v", Values::Const(1.0)).unwrap();
    net.run(1.0).unwrap();
    assert_eq!(net.get(p, "v", 19).unwrap(), -10.0);
    net.init_state(p, "v", Values::Const(-30.0)).unwrap();
    net.run(0.5).unwrap();
    for i in 0..20 {
        assert_eq!(net.get(p, "v", i).unwrap(), -30.0, "neuron {i}");
    }
}
