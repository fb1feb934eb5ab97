//! The leaky integrate-and-fire neuron (Brette et al. 2007 membrane): its F-I curve simulated
//! with the adaptive Dormand-Prince method against the closed form
//! f = 1/(t_ref + τ_m ln((R_m I + E_L − V_reset)/(R_m I + E_L − V_th))), and a voltage trace.
//!
//! Run with `cargo run --release --example lif`; writes `output/lif.png`.

use spyks::integrate::Dopri5;
use spyks::plot::{Figure, Panel};
use spyks::presets::integrate_and_fire::{Lif, LifParams};
use spyks::{RecordSpec, Signal, Simulation, Stimulus};

/// The closed-form rate (Hz) under a constant current `i` (pA).
fn closed_form_rate(p: &LifParams, i: f64) -> f64 {
    let v_inf = p.E_L + p.R_m * i;
    if v_inf <= p.V_th {
        return 0.0;
    }
    1000.0 / (p.t_ref + p.tau_m * ((v_inf - p.V_reset) / (v_inf - p.V_th)).ln())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let lif = Lif::new();
    let p = lif.params;
    let solver = Dopri5::new().tolerances(1e-10, 1e-10);
    let t_end = 2000.0;
    println!("LIF (tau_m 20 ms, R_m 100 MOhm, E_L -60, V_th -50, V_reset -60 mV, t_ref 5 ms), {t_end} ms per current");
    println!("{:>8} {:>16} {:>16} {:>12}", "I (pA)", "simulated (Hz)", "closed form (Hz)", "rel. error");
    let (mut currents, mut simulated) = (Vec::new(), Vec::new());
    // 10, 30, ..., 990 pA: around the rheobase (100 pA) without landing on it, where the
    // closed form has an infinite period and round-off decides.
    for k in 0..50 {
        let i = 10.0 + 20.0 * k as f64;
        let stim = Stimulus::new().with("I", Signal::Const(i))?;
        let run = Simulation::new(&lif, t_end).stimulus(stim).record(RecordSpec::names(["V"]).every(t_end)).run_adaptive(&solver)?;
        // The rate of the steady train: intervals between the first and the last spike.
        let n = run.spikes.len();
        let rate = if n >= 2 { 1000.0 * (n - 1) as f64 / (run.spikes[n - 1] - run.spikes[0]) } else { 0.0 };
        let f = closed_form_rate(&p, i);
        if k % 5 == 0 || (4..=6).contains(&k) {
            let rel = if f > 0.0 { format!("{:.1e}", (rate - f).abs() / f) } else { "-".into() };
            println!("{i:>8.0} {rate:>16.6} {f:>16.6} {rel:>12}");
        }
        currents.push(i);
        simulated.push(rate);
    }
    let stim = Stimulus::new().with("I", Signal::Step { at: 20.0, before: 0.0, after: 200.0 })?;
    let trace = Simulation::new(&lif, 200.0).stimulus(stim).record(RecordSpec::all().every(0.05)).run_adaptive(&solver)?;
    println!("trace at 200 pA from 20 ms: {} spikes, first at {:.3} ms", trace.spikes.len(), trace.spikes[0]);
    // The closed form on a fine grid (with points just above the rheobase, where it rises
    // steeply), drawn as a line under the simulated points.
    let mut fine: Vec<f64> = (0..=1000).map(|k| k as f64).chain([100.001, 100.01, 100.1]).collect();
    fine.sort_by(f64::total_cmp);
    let fine_rate: Vec<f64> = fine.iter().map(|&i| closed_form_rate(&p, i)).collect();
    std::fs::create_dir_all("output")?;
    plot(&currents, &simulated, (&fine, &fine_rate), &trace)?;
    Ok(())
}

fn plot(i: &[f64], sim: &[f64], exact: (&[f64], &[f64]), trace: &spyks::Trajectory) -> Result<(), Box<dyn std::error::Error>> {
    let fi = Panel::new("F-I curve: simulated (Dormand-Prince) and closed form")
        .x_label("I (pA)")
        .y_label("rate (Hz)")
        .line(exact.0, exact.1, "closed form")
        .points(i, sim, "simulated");
    let v = Panel::new("V under 200 pA from 20 ms").x_label("t (ms)").y_label("V (mV)").y_range(-62.0, -49.0).line(
        &trace.times,
        trace.column("V").unwrap_or(&[]),
        "V",
    );
    Figure::new(2)
        .title("Leaky integrate-and-fire (Brette et al. 2007 membrane)")
        .panel_size(520, 340)
        .panel(fi)
        .panel(v)
        .save_png("output/lif.png")?;
    println!("wrote output/lif.png");
    Ok(())
}
