//! Runs into a reused trajectory (`run_adaptive_into`, `run_fixed_into`): the same results as
//! a fresh run whatever the trajectory held before, in the memory it already had.

use spyks_core::integrate::{Dopri5, Rk4};
use spyks_core::{RecordSpec, Signal, SimError, Simulation, Stimulus, Trajectory};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting the bytes each thread allocates (tests run in parallel
/// threads, so a global count would mix them).
struct Counting;

thread_local! {
    static ALLOCATED: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.with(|a| a.set(a.get() + layout.size()));
        // SAFETY: forwarded with the caller's layout, as GlobalAlloc requires.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATED.with(|a| a.set(a.get() + new_size));
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Bytes allocated by this thread while `f` runs.
fn allocated_by(f: impl FnOnce()) -> usize {
    let before = ALLOCATED.with(Cell::get);
    f();
    ALLOCATED.with(Cell::get) - before
}

spyks_core::neuron_model! {
    /// Leaky integrate-and-fire (V∞ = E_l + R I) with a trace w that jumps at each spike and
    /// decays: two columns to recycle.
    model LifTrace;
    parameters { tau: 10 ms, tau_w: 50 ms, E_l: -70 mV, v_th: -50 mV, v_r: -70 mV, R: 100 Mohm }
    state { v: -70 mV, w: 0 }
    inputs { I: 0 pA }
    equations {
        dv/dt = (E_l - v + R*I) / tau,
        dw/dt = -w / tau_w,
    }
    threshold { v >= v_th }
    reset { v = v_r, w += 1 }
}

fn sim(m: &LifTrace, i_ext: f64, t_end: f64, record: RecordSpec) -> Simulation<'_, LifTrace> {
    Simulation::new(m, t_end).stimulus(Stimulus::new().with("I", Signal::Const(i_ext)).unwrap()).record(record)
}

#[test]
fn a_run_into_a_used_trajectory_equals_a_fresh_run() {
    let m = LifTrace::new();
    let solver = Dopri5::new().tolerances(1e-9, 1e-9);
    // Filled first by a longer run with more spikes, one column and every accepted step.
    let mut out = sim(&m, 500.0, 200.0, RecordSpec::names(["w"])).run_adaptive(&solver).unwrap();
    let (old_spikes, old_samples) = (out.spikes.len(), out.times.len());
    let next = sim(&m, 300.0, 50.0, RecordSpec::all().every(0.05));
    next.run_adaptive_into(&solver, &mut out).unwrap();
    let fresh = next.run_adaptive(&solver).unwrap();
    assert!(old_spikes > out.spikes.len() && old_samples > 0);
    assert_eq!(out, fresh);
    assert_eq!(out.names, ["v", "w"]);

    // The same with a fixed step, into what the adaptive run left.
    sim(&m, 400.0, 80.0, RecordSpec::all().every(0.1)).run_fixed_into(&mut Rk4, 0.01, &mut out).unwrap();
    let fresh = sim(&m, 400.0, 80.0, RecordSpec::all().every(0.1)).run_fixed(&mut Rk4, 0.01).unwrap();
    assert_eq!(out, fresh);
}

#[test]
fn runs_into_one_trajectory_allocate_once_and_follow_the_closed_form() {
    // Above threshold (R I > v_th - E_l) the period is τ ln((R I) / (R I - 20 mV)).
    let m = LifTrace::new();
    let solver = Dopri5::new().tolerances(1e-10, 1e-10);
    let mut out = Trajectory::default();
    for (run, i_ext) in [250.0, 300.0, 400.0, 600.0].into_iter().enumerate() {
        let s = sim(&m, i_ext, 100.0, RecordSpec::all().every(0.05));
        let bytes = allocated_by(|| s.run_adaptive_into(&solver, &mut out).unwrap());
        // The recording is 3 columns of 2001 samples, 48 kB: allocated by the first run only.
        if run == 0 {
            assert!(bytes >= 3 * 2001 * 8, "{bytes} bytes");
        } else {
            assert!(bytes < 2048, "run {run}: {bytes} bytes");
        }
        let period = 10.0 * (0.1 * i_ext / (0.1 * i_ext - 20.0)).ln();
        assert_eq!(out.spikes.len(), (100.0 / period) as usize, "I = {i_ext} pA");
        for (k, t) in out.spikes.iter().enumerate() {
            let exact = (k + 1) as f64 * period;
            assert!((t - exact).abs() < 1e-7, "I = {i_ext} pA, spike {k}: {t} vs {exact}");
        }
        assert_eq!(out.times.len(), 2001);
    }
    // A fresh run allocates its recording anew.
    let s = sim(&m, 300.0, 100.0, RecordSpec::all().every(0.05));
    assert!(allocated_by(|| drop(s.run_adaptive(&solver).unwrap())) >= 3 * 2001 * 8);
}

#[test]
fn a_failed_run_into_leaves_the_trajectory_empty() {
    let m = LifTrace::new();
    let mut out = sim(&m, 300.0, 20.0, RecordSpec::all().every(0.1)).run_adaptive(&Dopri5::new()).unwrap();
    let bad = Dopri5::new().tolerances(-1.0, 1e-6);
    let err = sim(&m, 300.0, 20.0, RecordSpec::all()).run_adaptive_into(&bad, &mut out).unwrap_err();
    assert!(matches!(err, SimError::InvalidSetting { name: "rtol", .. }), "{err}");
    assert_eq!(out, Trajectory::default());
    let err = sim(&m, 300.0, 20.0, RecordSpec::all()).run_fixed_into(&mut Rk4, 0.0, &mut out).unwrap_err();
    assert!(matches!(err, SimError::InvalidSetting { name: "dt", .. }), "{err}");
    assert_eq!(out, Trajectory::default());
}
