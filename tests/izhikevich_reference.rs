//! The Izhikevich protocols against an independent transcription of the published scripts:
//! `tests/data/izhikevich/figure1.py` re-implements `figure1.m` (Izhikevich 2004, Fig. 1), the
//! 2003 figure script `izhi2003.m` (ModelDB 39948) and the 2003 `net.m` scheme in plain Python
//! and records the spike times in `figure1_spikes.json`. Equal spike counts and times (to
//! 1e-9 ms) guard the transcription of every protocol, the schemes and the driver's timing.

use spyks::presets::izhikevich::{CLASSES, FEATURES, ProtocolRun};

fn reference() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/izhikevich/figure1_spikes.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

fn assert_same(label: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{label}: {} spikes, the reference has {}: {got:?} vs {want:?}", got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-9, "{label}: spike at {g} ms, the reference at {w} ms");
    }
}

fn steps(run: &ProtocolRun) -> usize {
    run.times.len() - 1
}

#[test]
fn twenty_features_match_figure1_m() {
    let r = reference();
    for p in &FEATURES {
        let want = &r["features"][p.letter];
        let run = p.run().unwrap();
        assert_eq!(steps(&run), want["steps"].as_u64().unwrap() as usize, "{}: number of steps", p.title);
        assert_eq!(run.step, want["tau"].as_f64().unwrap());
        assert_same(p.title, &run.script_spike_times(), &floats(&want["spikes"]));
    }
}

#[test]
fn eight_classes_match_the_2003_figure_script() {
    let r = reference();
    for p in &CLASSES {
        let want = &r["classes"][p.letter];
        let run = p.run().unwrap();
        assert_eq!(steps(&run), want["steps"].as_u64().unwrap() as usize, "{}: number of steps", p.name);
        assert_same(p.name, &run.script_spike_times(), &floats(&want["spikes"]));
    }
}

#[test]
fn eight_classes_match_the_net_m_scheme() {
    let r = reference();
    for p in &CLASSES {
        let want = &r["classes"][p.letter];
        let run = p.run_net().unwrap();
        assert_eq!(steps(&run), want["net_steps"].as_u64().unwrap() as usize, "{}: number of steps", p.name);
        // net.m records a spike at the end of the step in which v crossed, as the driver does.
        assert_same(p.name, &run.spikes, &floats(&want["net_spikes"]));
    }
}

#[test]
fn the_reference_covers_every_panel() {
    let r = reference();
    assert_eq!(r["features"].as_object().unwrap().len(), FEATURES.len());
    assert_eq!(r["classes"].as_object().unwrap().len(), CLASSES.len());
}
