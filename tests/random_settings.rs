//! Seeded random settings, bad ones included (NaN, ±∞, 0, negatives, 1e300, subnormals), for
//! single-neuron runs, networks, fits and figures: no case may panic, an error must say something,
//! and a run that succeeds must hold finite values only. The cases are fixed by the seeds, so
//! a failure names a case that replays. Each bug this kind of search found (a wrapped spike
//! step, an overflowing connection gap, a plot that hung, runs that filled the memory) has
//! its own test beside the code; this file guards the whole surface against new ones.

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use spyks::estimate::{Free, LevenbergMarquardt, Recording, TraceCost, Ukf};
use spyks::integrate::{BackwardEuler, Dopri5, Euler, ExpEuler, Heun, Rk4, Rosenbrock};
use spyks::network::{Network, PoissonSource, Population, Projection, Rule, SpikeTimes, Target, Values};
use spyks::plot::{Figure, Panel};
use spyks::presets::hodgkin_huxley::HodgkinHuxley;
use spyks::presets::integrate_and_fire::{Adex, Lif, LifCond};
use spyks::presets::izhikevich::Izhikevich;
use spyks::presets::spyks::Nakl;
use spyks::{Interp, NeuronModel, RecordSpec, Signal, Simulation, Stimulus, Vector};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Values that break naive code.
const NASTY: [f64; 12] = [0.0, -0.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e300, -1e300, 1e-300, 5e-324, f64::MAX, 1e9];

/// A case's random choices.
struct Draw(Xoshiro256PlusPlus);

impl Draw {
    fn below(&mut self, n: usize) -> usize {
        self.0.random_range(0..n.max(1))
    }
    fn chance(&mut self, p: f64) -> bool {
        self.0.random_bool(p)
    }
    fn nasty(&mut self) -> f64 {
        NASTY[self.below(NASTY.len())]
    }
    /// Around `typical` (a factor 0.1 to 3), or a nasty value with probability `p`.
    fn value(&mut self, typical: f64, p: f64) -> f64 {
        if self.chance(p) { self.nasty() } else { typical * self.0.random_range(0.1..3.0) }
    }
    /// A time or step: nasty values that end no run in reasonable time (1e9 ms at 0.01 ms)
    /// are left out; those that cannot run at all are in.
    fn time(&mut self, typical: f64) -> f64 {
        const BAD: [f64; 8] = [0.0, -1.0, f64::NAN, f64::INFINITY, 1e300, f64::MAX, 5e-324, 1e-300];
        if self.chance(0.15) { BAD[self.below(BAD.len())] } else { typical * self.0.random_range(0.1..3.0) }
    }
}

/// Runs `case` for each seed, collecting panics and the case's own complaints.
fn check_cases(what: &str, seeds: std::ops::Range<u64>, case: impl Fn(&mut Draw) -> Result<(), String>) {
    let mut failures = Vec::new();
    for seed in seeds {
        let mut d = Draw(Xoshiro256PlusPlus::seed_from_u64(seed));
        match catch_unwind(AssertUnwindSafe(|| case(&mut d))) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failures.push(format!("{what} seed {seed}: {e}")),
            Err(p) => {
                let msg = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()));
                failures.push(format!("{what} seed {seed}: panic {}", msg.unwrap_or_default()));
            }
        }
    }
    assert!(failures.is_empty(), "{} failing cases:\n{}", failures.len(), failures.join("\n"));
}

fn signal(d: &mut Draw, depth: usize) -> Signal {
    match d.below(7) {
        0 => Signal::Const(d.value(10.0, 0.2)),
        1 => Signal::Step { at: d.value(20.0, 0.2), before: d.value(1.0, 0.1), after: d.value(10.0, 0.1) },
        2 => Signal::Pulses {
            start: d.value(5.0, 0.2),
            width: d.value(2.0, 0.2),
            period: d.value(10.0, 0.2),
            count: [0, 3, usize::MAX][d.below(3)],
            amplitude: d.value(10.0, 0.1),
        },
        3 => Signal::Ramp { start: d.value(5.0, 0.2), end: d.value(20.0, 0.2), from: d.value(1.0, 0.1), to: d.value(10.0, 0.1) },
        4 => {
            let values: Vec<f64> = (0..[0, 1, 40][d.below(3)]).map(|_| d.value(5.0, 0.05)).collect();
            Signal::sampled(d.time(0.1), values, if d.chance(0.5) { Interp::Nearest } else { Interp::Linear })
        }
        5 if depth < 2 => Signal::Sum((0..d.below(3)).map(|_| signal(d, depth + 1)).collect()),
        _ => Signal::ornstein_uhlenbeck(d.value(1.0, 0.1), d.value(1.0, 0.1), d.value(5.0, 0.1), d.time(0.1), d.time(50.0), 7)
            .unwrap_or(Signal::Const(0.0)),
    }
}

/// One run of model `M` with random parameters, state, inputs, recording and method.
fn single<M: NeuronModel>(d: &mut Draw) -> Result<(), String> {
    let mut p = M::Params::default();
    for i in 0..M::Params::LEN {
        if d.chance(0.1) {
            p.set_index(i, d.nasty());
        } else if d.chance(0.2) {
            let v = p.get_index(i).unwrap_or(1.0) * d.0.random_range(0.2..3.0);
            p.set_index(i, v);
        }
    }
    let mut model = M::with_params(p);
    let _ = model.refresh();
    let mut sim = Simulation::new(&model, d.time(50.0));
    let mut stim = Stimulus::<M>::new();
    for info in M::Inputs::INFO {
        if let Ok(s) = stim.clone().with(info.name, signal(d, 0)) {
            stim = s;
        }
    }
    sim = sim.stimulus(stim);
    if d.chance(0.1) {
        let mut x = model.initial_state();
        x.set_index(d.below(M::State::LEN), d.nasty());
        sim = sim.state(x);
    }
    sim = sim.record(match d.below(4) {
        0 => RecordSpec::all(),
        1 => RecordSpec::all().every(d.time(0.1)),
        2 => RecordSpec::all().at((0..d.below(4)).map(|_| d.time(10.0)).collect::<Vec<_>>()),
        // A variable of the model, or (one time in five) one it does not have.
        _ => RecordSpec::names([if d.chance(0.2) { "nope" } else { M::State::INFO[d.below(M::State::LEN)].name }]),
    });
    let dt = d.time(0.02);
    let run = match d.below(8) {
        0 => sim.run_fixed(&mut Euler::with_seed(3), dt),
        1 => sim.run_fixed(&mut Heun, dt),
        2 => sim.run_fixed(&mut Rk4, dt),
        3 => sim.run_fixed(&mut ExpEuler, dt),
        4 => sim.run_fixed(&mut BackwardEuler::new(), dt),
        5 => sim.run_fixed(&mut Rosenbrock::ros34pw2(), dt),
        _ => {
            let mut s = Dopri5::new().max_steps(200_000);
            if d.chance(0.5) {
                s = s.tolerances(d.value(1e-6, 0.2), d.value(1e-6, 0.2));
            }
            if d.chance(0.2) {
                s = s.h_max(d.value(1.0, 0.3));
            }
            if d.chance(0.2) {
                s = s.timing_tol(["V", "v", "x"][d.below(3)], d.value(1e-3, 0.3));
            }
            sim.run_adaptive(&s)
        }
    };
    match run {
        Ok(tr) => match tr.columns.iter().flatten().chain(&tr.times).find(|v| !v.is_finite()) {
            Some(v) => Err(format!("a successful run recorded {v}")),
            None => Ok(()),
        },
        Err(e) if e.to_string().is_empty() => Err("an empty error message".into()),
        Err(_) => Ok(()),
    }
}

#[test]
fn single_neuron_runs_with_random_settings() {
    check_cases("single neuron", 0..1200, |d| match d.below(6) {
        0 => single::<Lif>(d),
        1 => single::<Adex>(d),
        2 => single::<LifCond>(d),
        3 => single::<Izhikevich>(d),
        4 => single::<HodgkinHuxley>(d),
        _ => single::<Nakl>(d),
    });
}

fn values(d: &mut Draw, n: usize, typical: f64) -> Values {
    match d.below(4) {
        0 | 1 => Values::Const(d.value(typical, 0.15)),
        2 => Values::Array((0..if d.chance(0.9) { n } else { n + 1 }).map(|_| d.value(typical, 0.05)).collect()),
        _ => Values::normal(d.value(typical, 0.1), d.value(typical * 0.1, 0.1)),
    }
}

#[test]
fn networks_with_random_settings() {
    check_cases("network", 0..600, |d| {
        let dt = if d.chance(0.1) { d.nasty() } else { 0.1 };
        let Ok(mut net) = Network::new(dt, 5) else { return Ok(()) };
        let n = [1, 7, 40][d.below(3)];
        let pop = match d.below(3) {
            0 => net.add_population(Population::new("lif", n, LifCond::new(), |_| Rk4)),
            1 => net.add_population(Population::new("izh", n, Izhikevich::new(), Euler::with_seed)),
            _ => net.add_population(Population::new("hh", n, HodgkinHuxley::new(), |_| Rk4)),
        };
        let Ok(p) = pop else { return Ok(()) };
        let m = [1, 20][d.below(2)];
        let src = if d.chance(0.5) {
            net.add_source(PoissonSource::new("poisson", m, d.value(20.0, 0.2)))
        } else {
            net.add_source(SpikeTimes::new("times", (0..m).map(|_| (0..d.below(4)).map(|_| d.value(5.0, 0.2)).collect()).collect()))
        };
        let pre = src.unwrap_or(p);
        let rule = match d.below(4) {
            0 => Rule::AllToAll,
            1 => Rule::FixedProbability(if d.chance(0.3) { d.nasty() } else { 0.2 }),
            2 => Rule::FixedInDegree(d.below(5)),
            _ => Rule::Explicit { pre: vec![0, 1, 50], post: vec![0, 3, 1] },
        };
        let target = match d.below(3) {
            0 => Target::state(["v", "V", "g_e"][d.below(3)]),
            1 => Target::exp_current("I", d.value(5.0, 0.2)),
            _ => Target::exp_conductance("I", d.value(5.0, 0.2), d.value(-70.0, 0.2), "v"),
        };
        let _ = net.connect(Projection::new(pre, p, rule, target).weight(values(d, 1000, 0.5)).delay(values(d, 1000, 1.0)));
        if d.chance(0.3) {
            let _ = net.init_state(p, ["v", "V"][d.below(2)], values(d, n, -60.0));
        }
        let spikes = net.record_spikes(p, None).ok();
        let _ = net.record_state(p, &["v"], &[0, n][..1 + d.below(2)], d.value(0.5, 0.2));
        let _ = net.run(d.time(10.0));
        if let Some(s) = spikes
            && let Some(t) = net.spikes(s).unwrap().times().iter().find(|t| !t.is_finite())
        {
            return Err(format!("a recorded spike at {t}"));
        }
        Ok(())
    });
}

#[test]
fn figures_with_random_data() {
    check_cases("figure", 0..800, |d| {
        let mut fig = Figure::new(1 + d.below(2));
        for _ in 0..1 + d.below(2) {
            let k = [0, 1, 2, 30][d.below(4)];
            let mut xy = || (0..k).map(|_| if d.chance(0.15) { d.nasty() } else { d.value(10.0, 0.0) - 10.0 }).collect::<Vec<f64>>();
            let (x, y) = (xy(), xy());
            let mut panel = match d.below(3) {
                0 => Panel::new("line").line(&x, &y, "l"),
                1 => Panel::new("points").points(&x, &y, "p"),
                _ => Panel::new("raster").raster(&[x.clone(), y.clone()]),
            };
            if d.chance(0.3) {
                panel = panel.x_range(d.value(0.1, 0.3) - 0.3, d.value(0.5, 0.3));
            }
            if d.chance(0.2) {
                panel = panel.hline(d.value(1.0, 0.3), "h");
            }
            fig = fig.panel(panel);
        }
        let _ = fig.render_rgb();
        Ok(())
    });
}

#[test]
fn fits_and_filters_with_random_data() {
    check_cases("estimation", 0..300, |d| {
        let n = [1, 2, 200][d.below(3)];
        let v: Vec<f64> = (0..n).map(|k| if d.chance(0.01) { d.nasty() } else { -65.0 + 5.0 * (k as f64 * 0.1).sin() }).collect();
        let i: Vec<f64> = (0..if d.chance(0.9) { n } else { n + 1 }).map(|_| d.value(20.0, 0.01)).collect();
        let units = [("mV", "pA"), ("V", "nA"), ("mV", "kg")][d.below(3)];
        let Ok(rec) = Recording::new(d.time(0.05), v, units.0, i, units.1) else { return Ok(()) };
        let _ = rec.head(d.time(5.0));
        let model = Lif::new();
        let names = ["tau_m", "R_m", "E_L", "nope"];
        if d.chance(0.5) {
            let free: Vec<Free> = (0..d.below(3))
                .map(|_| {
                    let f = Free::param(names[d.below(4)]);
                    match d.below(3) {
                        0 => f.log(),
                        1 => f.bounds(d.value(1.0, 0.2), d.value(50.0, 0.2)),
                        _ => f,
                    }
                })
                .collect();
            let Ok(mut cost) = TraceCost::new(&model, &rec, "I", "V", free) else { return Ok(()) };
            let z: Vec<f64> = (0..cost.n_free()).map(|_| d.value(1.0, 0.1)).collect();
            let _ = cost.cost_and_gradient(&z);
            let lm = LevenbergMarquardt { max_iter: 3, ..LevenbergMarquardt::default() };
            let _ = lm.fit(&mut cost);
        } else {
            let Ok(mut ukf) = Ukf::new(&model, &names[..d.below(3)]) else { return Ok(()) };
            if let Ok(u) = ukf.clone().measurement_noise(d.value(1.0, 0.2)) {
                ukf = u;
            }
            if let Ok(u) = ukf.clone().substeps([0, 1, 4][d.below(3)]) {
                ukf = u;
            }
            let _ = ukf.run_sampled(d.time(0.05), rec.voltage(), "I", rec.current());
        }
        Ok(())
    });
}
