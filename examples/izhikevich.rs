//! Izhikevich (2003) neurons of the four cortical classes of the paper's Fig. 2, simulated with
//! the paper's own scheme (v advanced in two 0.5 ms steps, then u, with a step current of 10
//! starting at 10 ms) on the model compiled by `neuron_model!`.
//!
//! Run with `cargo run --release --example izhikevich`.

use spyks::{NeuronModel, Vector};

spyks::neuron_model! {
    /// Izhikevich (2003), "Simple model of spiking neurons", IEEE TNN 14:1569.
    pub model Izhikevich;
    parameters { a: 0.02 1/ms, b: 0.2 1/ms, c: -65 mV, d: 8 mV/ms }
    state { v: -65 mV, u: -13 mV/ms }
    inputs { I: 0 mV/ms }
    equations {
        dv/dt = 0.04 1/(ms*mV) * v^2 + 5 1/ms * v + 140 mV/ms - u + I,
        du/dt = a * (b*v - u),
    }
    threshold { v >= 30 mV }
    reset { v = c, u += d }
}

/// The paper's scheme: two half steps for v, one step for u, reset after the step.
fn simulate(model: &Izhikevich, t_end: f64, current: f64) -> Vec<f64> {
    let mut x = model.initial_state();
    x.u = model.params.b * x.v;
    let mut spikes = Vec::new();
    let dt = 1.0;
    let mut t = 0.0;
    while t < t_end {
        let u_in = IzhikevichInputs { I: if t >= 10.0 { current } else { 0.0 } };
        for _ in 0..2 {
            let d = model.derivative(t, &x, &u_in);
            x.v += 0.5 * dt * d.v;
        }
        x.u += dt * model.derivative(t, &x, &u_in).u;
        if model.threshold(t, &x, &u_in) {
            spikes.push(t);
            model.reset(t, &mut x, &u_in);
        }
        t += dt;
    }
    spikes
}

fn main() {
    let classes = [
        ("regular spiking (RS)", [0.02, 0.2, -65.0, 8.0]),
        ("intrinsically bursting (IB)", [0.02, 0.2, -55.0, 4.0]),
        ("chattering (CH)", [0.02, 0.2, -50.0, 2.0]),
        ("fast spiking (FS)", [0.1, 0.2, -65.0, 2.0]),
    ];
    println!("Izhikevich (2003) cortical classes, I = 10 from 10 ms, 200 ms");
    println!("{:<30} {:>7} {:>14} {:>16}", "class", "spikes", "first (ms)", "last ISI (ms)");
    for (name, p) in classes {
        let model = Izhikevich::with_params(IzhikevichParams::from_array(p));
        let s = simulate(&model, 200.0, 10.0);
        let isi = if s.len() > 1 { s[s.len() - 1] - s[s.len() - 2] } else { f64::NAN };
        println!("{:<30} {:>7} {:>14.1} {:>16.1}", name, s.len(), s.first().copied().unwrap_or(f64::NAN), isi);
    }
    println!("\nvariables of the generated model:");
    for v in Izhikevich::variables() {
        println!("  {:<3} {:?} in {}", v.name, v.kind, v.unit);
    }
    let _ = IzhikevichState::LEN;
}
