//! Whether a population updates its chunks in parallel: measured at the start of each run
//! rather than guessed.
//!
//! Handing chunks to other threads costs a few microseconds per step, which is more than a
//! step of a few thousand integrate-and-fire neurons takes (measured with two threads: the
//! 4000-neuron CUBA network 12 % and COBA at 16000 neurons 20 % slower than with one), while
//! 10000 Hodgkin-Huxley neurons run 1.9 times faster. So the first steps of a run try both
//! ways in turn, two steps each of which the second is timed (the first step after a switch
//! pays for the other threads waking up or the caches changing hands), and the rest of the
//! run takes the way whose least time was shorter, probing again every [`REPROBE`] steps.
//! Interleaving matters, and so does probing again: a network's activity, and with it the
//! time of a step, changes in its first milliseconds. What is timed
//! is the whole step, from one update of the population to the next: the update alone can be
//! faster in parallel while the step is slower (the spikes are then delivered into states
//! that sit in the other core's cache: COBA at 4000 neurons, update 18 % faster, step 40 %
//! slower). The choice changes no result: chunks are independent and their spikes are
//! gathered in chunk order.

use std::time::Duration;

/// Steps timed each way.
const PROBES: u32 = 8;
/// Steps at the start of a run that are not timed.
const WARM_UP: u32 = 8;
/// The steps of the probe: the warm-up, then cycles of four steps (sequential untimed,
/// sequential timed, parallel untimed, parallel timed).
const STEPS: u32 = WARM_UP + 4 * PROBES;

/// Steps between the end of a probe and the next.
pub(super) const REPROBE: u32 = 2000;

/// Whether step `k` of a probe is parallel and whether it is timed.
fn probe_step(k: u32) -> (bool, bool) {
    if k < WARM_UP {
        return (false, false);
    }
    let phase = (k - WARM_UP) % 4;
    (phase >= 2, phase % 2 == 1)
}

/// The parallel update must be at least this much faster to be chosen.
const MARGIN: f64 = 0.9;

#[derive(Clone, Debug)]
pub(super) enum Schedule {
    /// Timing: `step` steps done, the least time of each way so far.
    Probing { step: u32, sequential: Duration, parallel: Duration },
    /// Decided (and probing again after `left` more steps).
    Decided { parallel: bool, left: u32 },
    /// For good: one chunk or one thread.
    Sequential,
}

impl Schedule {
    /// A schedule for a run of a population of `chunks` chunks on `threads` threads: a probe
    /// when both ways are possible.
    pub(super) fn new(chunks: usize, threads: usize) -> Self {
        if chunks < 2 || threads < 2 { Schedule::Sequential } else { Self::probe() }
    }

    fn probe() -> Self {
        Schedule::Probing { step: 0, sequential: Duration::MAX, parallel: Duration::MAX }
    }

    /// Counts a step taken the decided way; the probe starts again when it is due.
    pub(super) fn tick(&mut self) {
        if let Schedule::Decided { left, .. } = self {
            *left = left.saturating_sub(1);
            if *left == 0 {
                *self = Self::probe();
            }
        }
    }

    /// Whether this step updates the chunks in parallel.
    pub(super) fn parallel(&self) -> bool {
        match self {
            Schedule::Probing { step, .. } => probe_step(*step).0,
            Schedule::Decided { parallel, .. } => *parallel,
            Schedule::Sequential => false,
        }
    }

    /// Whether this step is timed.
    pub(super) fn timing(&self) -> bool {
        matches!(self, Schedule::Probing { .. })
    }

    /// Records the time the step took (the way [`Schedule::parallel`] said) and decides once
    /// the probe is over.
    pub(super) fn record(&mut self, elapsed: Duration) {
        if let Schedule::Probing { step, sequential, parallel } = self {
            let (parallel_step, timed) = probe_step(*step);
            if timed {
                if parallel_step {
                    *parallel = (*parallel).min(elapsed);
                } else {
                    *sequential = (*sequential).min(elapsed);
                }
            }
            *step += 1;
            if *step >= STEPS {
                let parallel = parallel.as_secs_f64() < MARGIN * sequential.as_secs_f64();
                *self = Schedule::Decided { parallel, left: REPROBE };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(sequential_us: u64, parallel_us: u64) -> Schedule {
        let mut s = Schedule::new(4, 2);
        while s.timing() {
            let us = if s.parallel() { parallel_us } else { sequential_us };
            s.record(Duration::from_micros(us));
        }
        s
    }

    #[test]
    fn the_faster_way_is_chosen_after_the_probe() {
        assert!(matches!(probe(100, 55), Schedule::Decided { parallel: true, .. }));
        assert!(matches!(probe(10, 14), Schedule::Decided { parallel: false, .. }));
        // Within the margin: not worth the threads.
        assert!(matches!(probe(100, 95), Schedule::Decided { parallel: false, .. }));
        // One chunk or one thread: no probe.
        assert!(matches!(Schedule::new(1, 2), Schedule::Sequential));
        assert!(matches!(Schedule::new(8, 1), Schedule::Sequential));
    }

    #[test]
    fn the_probe_interleaves_the_ways_and_times_the_second_step_of_each() {
        let mut s = Schedule::new(4, 2);
        let mut ways = Vec::new();
        while s.timing() {
            let k = ways.len() as u32;
            ways.push(s.parallel());
            // The warm-up and the first step after each switch are slow (not timed), and one
            // timed parallel step is slow (a noisy step): the least time counts.
            let us = match (s.parallel(), k) {
                (_, k) if k < WARM_UP || (k - WARM_UP).is_multiple_of(2) => 5000,
                (true, k) if k == WARM_UP + 3 => 1000,
                (true, _) => 40,
                (false, _) => 100,
            };
            s.record(Duration::from_micros(us));
        }
        assert_eq!(ways.len() as u32, STEPS);
        assert!(ways[..WARM_UP as usize].iter().all(|&p| !p));
        for (c, cycle) in ways[WARM_UP as usize..].chunks(4).enumerate() {
            assert_eq!(cycle, [false, false, true, true], "cycle {c}");
        }
        assert!(matches!(s, Schedule::Decided { parallel: true, .. }));
        // The decision holds for REPROBE steps, then the probe starts again.
        for _ in 1..REPROBE {
            s.tick();
            assert!(s.parallel() && !s.timing());
        }
        s.tick();
        assert!(s.timing() && !s.parallel());
    }
}
