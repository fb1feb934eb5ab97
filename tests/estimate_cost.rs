//! The cost-and-gradient interface of a trace fit: the gradient and the residual Jacobian
//! against central finite differences of the cost (through every transform, and with the model
//! coupled to the data), errors for bad setups, a plain gradient descent of the user's own on
//! top of it, and a fit's report (table, CSV, PNG).

use spyks_core::estimate::{FitError, ForwardSensitivity, Free, Recording, TraceCost};
use spyks_core::integrate::Rk4;
use spyks_core::presets::spyks::Nakl;
use spyks_core::{RecordSpec, Signal, Simulation, Stimulus};

const DT: f64 = 0.02;

/// 60 ms of nakl under a step and ramp current (two spikes), sampled every DT, with the
/// voltage shifted by a smooth offset so that the residuals are not zero.
fn recording() -> Recording {
    let model = Nakl::new();
    let current: Vec<f64> = (0..=3000).map(|k| if k < 500 { 0.0 } else { 1500.0 + k as f64 }).collect();
    let stim = Stimulus::new().with("Iinj", Signal::sampled(DT, current.clone(), spyks_core::Interp::Linear)).unwrap();
    let tr = Simulation::new(&model, 60.0).stimulus(stim).record(RecordSpec::names(["V"])).run_fixed(&mut Rk4, DT / 4.0).unwrap();
    let v: Vec<f64> = tr.column("V").unwrap().iter().step_by(4).enumerate().map(|(k, v)| v + (k as f64 * 0.01).sin()).collect();
    Recording::new(DT, v, "mV", current, "pA").unwrap()
}

fn free() -> Vec<Free> {
    vec![
        Free::param("gna").log().guess(100.0),
        Free::param("gk").logistic(5.0, 60.0).guess(25.0),
        Free::param("Ek").bounds(-100.0, -50.0).guess(-75.0),
        Free::initial("V").guess(-68.0),
    ]
}

/// Relative difference of the analytic gradient from central differences of the cost, worst
/// over the coordinates.
fn gradient_error(cost: &mut TraceCost<'_, Nakl>) -> f64 {
    let z = cost.z0();
    let (f, g) = cost.cost_and_gradient(&z).unwrap();
    assert_eq!(f, cost.cost(&z).unwrap(), "the cost with and without sensitivities");
    let mut worst: f64 = 0.0;
    for j in 0..z.len() {
        let h = 1e-6 * z[j].abs().max(1.0);
        let (mut zp, mut zm) = (z.clone(), z.clone());
        zp[j] += h;
        zm[j] -= h;
        let fd = (cost.cost(&zp).unwrap() - cost.cost(&zm).unwrap()) / (2.0 * h);
        println!("coordinate {j}: analytic {:.8e}, finite difference {fd:.8e}", g[j]);
        worst = worst.max((g[j] - fd).abs() / fd.abs().max(1e-3 * f));
    }
    worst
}

#[test]
fn gradient_against_finite_differences_through_the_transforms() {
    let (model, rec) = (Nakl::new(), recording());
    let mut cost = TraceCost::new(&model, &rec, "Iinj", "V", free()).unwrap();
    let e = gradient_error(&mut cost);
    assert!(e < 1e-5, "worst relative gradient error {e:.2e}");
}

#[test]
fn coupled_gradient_against_finite_differences() {
    let (model, rec) = (Nakl::new(), recording());
    let mut cost = TraceCost::new(&model, &rec, "Iinj", "V", free()).unwrap();
    let z = cost.z0();
    let plain = cost.cost(&z).unwrap();
    cost.synchronise(1.0).unwrap();
    assert_eq!(cost.coupling_gain(), 1.0);
    let coupled = cost.cost(&z).unwrap();
    // Pulled towards the data, the model is closer to it.
    assert!(coupled < 0.5 * plain, "{coupled} vs {plain}");
    let e = gradient_error(&mut cost);
    assert!(e < 1e-5, "worst relative gradient error {e:.2e}");
    cost.synchronise(0.0).unwrap();
    assert_eq!(cost.cost(&z).unwrap(), plain);
}

#[test]
fn coupling_a_passive_membrane_to_a_constant_has_the_closed_form() {
    // dV/dt = (gl (El − V) + I)/C + g (d − V): a linear equation whose rest is the weighted
    // mean of the model's rest and d, approached at rate gl/C + g.
    spyks_core::neuron_model! {
        model Passive;
        parameters { C: 250 pF, gl: 10 nS, El: -65 mV }
        state { V: -65 mV }
        inputs { I: 0 pA }
        equations { dV/dt = (gl * (El - V) + I) / C }
    }
    let m = Passive::new();
    let (g, d) = (0.5, -20.0);
    let mut fs = ForwardSensitivity::<Passive>::new(&["El"], &[]).unwrap();
    fs.couple("V", g, Signal::sampled(1.0, vec![d; 101], spyks_core::Interp::Linear)).unwrap();
    let run = fs.run(&Simulation::new(&m, 100.0), 0.01).unwrap();
    let (k, rate) = (0.04, 0.04 + g); // gl/C = 10/250 per ms
    let v_inf = (k * -65.0 + g * d) / rate;
    let v = run.state("V").unwrap();
    let dv = run.sensitivity("V", "El").unwrap();
    for (i, &t) in run.times.iter().enumerate().step_by(500) {
        let exact = v_inf + (-65.0 - v_inf) * (-rate * t).exp();
        let exact_s = k / rate * (1.0 - (-rate * t).exp());
        assert!((v[i] - exact).abs() < 1e-9, "t {t}: {} vs {exact}", v[i]);
        assert!((dv[i] - exact_s).abs() < 1e-11, "t {t}: {} vs {exact_s}", dv[i]);
    }
    let e = fs.couple("V", -1.0, Signal::sampled(1.0, vec![0.0], spyks_core::Interp::Linear)).unwrap_err();
    assert!(e.to_string().contains("non-negative"), "{e}");
    assert!(fs.couple("W", 1.0, Signal::sampled(1.0, vec![0.0], spyks_core::Interp::Linear)).is_err());
}

#[test]
fn bad_setups_are_errors_that_say_what_is_wrong() {
    let (model, rec) = (Nakl::new(), recording());
    let err = |free: Vec<Free>| TraceCost::new(&model, &rec, "Iinj", "V", free).unwrap_err().to_string();
    assert!(err(vec![]).contains("nothing to fit"));
    assert!(err(vec![Free::param("gnaa")]).contains("gnaa"));
    assert_eq!(err(vec![Free::param("gna"), Free::param("gna")]), "invalid fit setup: `gna` is listed twice");
    assert_eq!(err(vec![Free::initial("V"), Free::initial("V")]), "invalid fit setup: `V` is listed twice");
    assert!(err(vec![Free::param("gna").log().guess(-1.0)]).contains("outside the bounds"));
    assert!(err(vec![Free::param("Ek").logistic(-50.0, -100.0)]).contains("empty"));
    assert!(err(vec![Free::param("Ek").bounds(-70.0, -60.0)]).contains("-77 is outside"));
    // A current density cannot drive a model whose input is a current.
    let dens = Recording::new(DT, vec![-65.0; 10], "mV", vec![0.0; 10], "uA/cm^2").unwrap();
    let e = TraceCost::new(&model, &dens, "Iinj", "V", vec![Free::param("gna")]).unwrap_err();
    assert!(matches!(&e, FitError::Spec(s) if s.contains("input `Iinj` is in pA")), "{e}");
    let mut cost = TraceCost::new(&model, &rec, "Iinj", "V", free()).unwrap();
    assert_eq!(cost.cost(&[1.0]).unwrap_err(), FitError::Length { expected: 4, found: 1 });
    assert!(cost.synchronise(f64::NAN).is_err());
    // A parameter that makes the run meaningless fails the evaluation, not the process.
    let mut neg = TraceCost::new(&model, &rec, "Iinj", "V", vec![Free::param("C")]).unwrap();
    assert!(neg.cost_and_gradient(&[-250.0]).is_err());
}

#[test]
fn a_users_own_optimiser_on_the_cost_and_gradient() {
    // Gradient descent with backtracking on one log-conductance: the interface is enough to
    // bring one's own method, and it finds the value the data were made with.
    let model = Nakl::new();
    let current: Vec<f64> = (0..=2000).map(|k| if k < 300 { 0.0 } else { 800.0 }).collect();
    let stim = Stimulus::new().with("Iinj", Signal::sampled(DT, current.clone(), spyks_core::Interp::Linear)).unwrap();
    let tr = Simulation::new(&model, 40.0).stimulus(stim).record(RecordSpec::names(["V"])).run_fixed(&mut Rk4, DT).unwrap();
    let rec = Recording::new(DT, tr.column("V").unwrap().to_vec(), "mV", current, "pA").unwrap();
    let mut cost = TraceCost::new(&model, &rec, "Iinj", "V", vec![Free::param("gk").log().guess(14.0)]).unwrap();
    let mut z = cost.z0();
    for _ in 0..200 {
        let (f, g) = cost.cost_and_gradient(&z).unwrap();
        if f < 1e-14 {
            break;
        }
        let mut step = 1.0 / g[0].abs().max(1e-300) * f.min(1.0);
        loop {
            let trial = [z[0] - step * g[0]];
            if cost.cost(&trial).is_ok_and(|ft| ft < f) {
                z = trial.to_vec();
                break;
            }
            step *= 0.5;
            assert!(step > 1e-20, "no descent");
        }
    }
    let gk = cost.to_theta(&z)[0];
    assert!((gk / 20.0 - 1.0).abs() < 1e-4, "gk {gk}");
}

#[test]
fn a_fit_reports_as_a_table_a_csv_and_a_png() {
    use spyks_core::estimate::LevenbergMarquardt;
    let (model, rec) = (Nakl::new(), recording());
    let mut cost =
        TraceCost::new(&model, &rec, "Iinj", "V", vec![Free::param("gk").log().guess(25.0), Free::param("Ek").guess(-70.0)]).unwrap();
    let fit = LevenbergMarquardt::default().fit(&mut cost).unwrap();
    let table = fit.to_string();
    assert!(table.starts_with("quantity"), "{table}");
    assert!(table.contains("gk ") && table.contains("Ek ") && table.contains("95 % interval") && table.contains("RMS residual"), "{table}");
    let (gk, se) = fit.get("gk").unwrap();
    assert!(gk > 0.0 && se > 0.0 && fit.get("gna").is_none());

    let dir = std::env::temp_dir().join(format!("spyks-fit-report-{}", std::process::id()));
    fit.write_csv(&rec, dir.join("fit.csv")).unwrap();
    let text = std::fs::read_to_string(dir.join("fit.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("t_ms,data_mV,predicted_mV,residual_mV"));
    let rows: Vec<Vec<f64>> = lines.map(|l| l.split(',').map(|x| x.parse().unwrap()).collect()).collect();
    assert_eq!(rows.len(), rec.len());
    for (k, r) in rows.iter().enumerate().step_by(97) {
        assert_eq!((r[0], r[1], r[2]), (k as f64 * DT, rec.voltage()[k], fit.predicted[k]));
        assert_eq!(r[3], r[2] - r[1]);
    }
    fit.save_png(&rec, dir.join("fit.png")).unwrap();
    let png = std::fs::read(dir.join("fit.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // The report of a fit against another recording is refused.
    let other = Recording::new(DT, vec![-65.0; 10], "mV", vec![0.0; 10], "pA").unwrap();
    assert!(fit.write_csv(&other, dir.join("x.csv")).unwrap_err().to_string().contains("pass the recording that was fitted"));
    assert!(fit.save_png(&other, dir.join("x.png")).is_err());
    std::fs::remove_dir_all(&dir).ok();
}
