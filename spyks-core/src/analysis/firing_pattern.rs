//! Firing patterns under a step current, classified from the spike train alone.
//!
//! The eight classes are those of Naud, Marcille, Clopath & Gerstner (2008), *Biol Cybern*
//! 99:335, Fig. 4. Everything is computed from the interspike intervals (ISIs)
//! I₁, I₂, … inside the stimulus window and their normalised differences
//!
//! d_i = (I_{i+1} − I_i)/(I_{i+1} + I_i), between −1 and 1,
//!
//! which give the **adaptation index** of Naud et al. (2008), A = mean of d_i over the
//! intervals after the first `skip` (positive when the intervals lengthen, negative when
//! they shorten, zero for a regular train), and the **local variation** of Shinomoto et al.
//! (2003), *Neural Comput* 15:2823, LV = 3·mean(d_i²) (0 for a regular train, 1 for a Poisson
//! train, small for a train whose intervals change smoothly).
//!
//! # The decision, in order
//!
//! 1. No spike: [`FiringPattern::Silent`].
//! 2. **Stopped**: the silence after the last spike is longer than both `stop_factor` times
//!    the longest ISI and `stop_fraction` of the window: [`FiringPattern::TransientSpiking`].
//! 3. Fewer than `min_isis` ISIs: an error (too few to say more).
//! 4. **Bursts**: sort the ISIs; if some consecutive pair differs by a factor of at least
//!    `burst_ratio`, the ISIs are bimodal and those below the largest such gap are
//!    intra-burst. A burst is a run of intra-burst ISIs (two or more spikes).
//!    - one burst, at the first spike, then only long intervals (at least two):
//!      [`FiringPattern::InitialBurst`];
//!    - two or more bursts whose periods (onset to onset) vary by a coefficient of
//!      variation of at most `burst_cv`: regular bursting, [`FiringPattern::DelayedRegularBursting`]
//!      when the first spike comes at least `burst_delay` times the median burst period after
//!      the onset (a neuron that bursts on the onset fires its first burst within a few
//!      intra-burst intervals), else [`FiringPattern::RegularBursting`];
//!    - two or more bursts with irregular periods: [`FiringPattern::IrregularSpiking`].
//! 5. LV ≥ `lv_irregular`: [`FiringPattern::IrregularSpiking`].
//! 6. A ≥ `adaptation`: [`FiringPattern::Adapting`]; A ≤ −`acceleration`:
//!    [`FiringPattern::DelayedAccelerating`] (in the AdEx, acceleration comes from a negative
//!    coupling a, which also delays the first spike; Naud's scheme has no accelerating
//!    pattern without delay); otherwise [`FiringPattern::TonicSpiking`].
//!
//! The thresholds of [`Criteria::default`] lie between the values measured on the eight sets
//! of [`naud2008`](crate::presets::integrate_and_fire::naud2008) in 500 ms windows from the
//! onset, roughly at the geometric mean of the nearest values on either side (measured: A is
//! 0.117 adapting, 0.0006 tonic, −0.0088 accelerating; LV 0.063 adapting, 0.57 irregular;
//! the largest ratio of sorted ISIs 1.6 adapting and 1.5 irregular, 7 to 24 for bursters;
//! latency over burst period 0.12 regular, 0.78 delayed; `tests/adex_patterns.rs` checks
//! them). A is a mean over intervals, so a slow trend is diluted in a long window: other
//! window lengths may need other thresholds.
//!
//! ```
//! use spyks_core::analysis::firing_pattern::{classify, Criteria, FiringPattern};
//! // Intervals lengthening from 10 ms towards 50 ms: an adapting train.
//! let mut t = vec![5.0];
//! for i in 0..12 {
//!     let isi = 50.0 - 40.0 * (-(i as f64) / 3.0).exp();
//!     t.push(t[i] + isi);
//! }
//! let p = classify(&t, 0.0, t[12] + 20.0, &Criteria::default()).unwrap();
//! assert_eq!(p, FiringPattern::Adapting);
//! ```

use std::fmt;

/// A firing pattern of Naud et al. (2008), Fig. 4, or silence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FiringPattern {
    /// Regular intervals from the first spike on.
    TonicSpiking,
    /// Intervals lengthening towards a steady state (spike-frequency adaptation).
    Adapting,
    /// A burst at the onset, then single spikes.
    InitialBurst,
    /// Bursts at regular intervals from the onset on.
    RegularBursting,
    /// A delayed first spike, then shortening intervals.
    DelayedAccelerating,
    /// A delayed first burst, then bursts at regular intervals.
    DelayedRegularBursting,
    /// A few spikes, then silence while the stimulus lasts.
    TransientSpiking,
    /// Sustained firing with irregular intervals.
    IrregularSpiking,
    /// No spike at all.
    Silent,
}

impl FiringPattern {
    /// The name used in Naud et al. (2008).
    pub fn name(self) -> &'static str {
        match self {
            FiringPattern::TonicSpiking => "tonic spiking",
            FiringPattern::Adapting => "adaptation",
            FiringPattern::InitialBurst => "initial burst",
            FiringPattern::RegularBursting => "regular bursting",
            FiringPattern::DelayedAccelerating => "delayed accelerating",
            FiringPattern::DelayedRegularBursting => "delayed regular bursting",
            FiringPattern::TransientSpiking => "transient spiking",
            FiringPattern::IrregularSpiking => "irregular spiking",
            FiringPattern::Silent => "silent",
        }
    }
}

impl fmt::Display for FiringPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The thresholds of the decision (see the module documentation for where each enters).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Criteria {
    /// Silence after the last spike, in units of the longest ISI, that counts as stopped.
    pub stop_factor: f64,
    /// Silence after the last spike, as a fraction of the window, that counts as stopped.
    pub stop_fraction: f64,
    /// Fewest ISIs for a classification of sustained firing.
    pub min_isis: usize,
    /// Ratio between consecutive sorted ISIs that separates intra-burst from inter-burst.
    pub burst_ratio: f64,
    /// Largest coefficient of variation of the burst periods for regular bursting.
    pub burst_cv: f64,
    /// First-spike latency, in units of the median burst period, that counts as delayed.
    pub burst_delay: f64,
    /// Local variation from which a non-bursting train is irregular.
    pub lv_irregular: f64,
    /// Adaptation index from which a train is adapting.
    pub adaptation: f64,
    /// Adaptation index (negated) from which a train is accelerating.
    pub acceleration: f64,
    /// ISIs left out at the start of the adaptation index (the first starts from rest, not
    /// from a reset).
    pub skip: usize,
}

impl Default for Criteria {
    fn default() -> Self {
        Criteria {
            stop_factor: 3.0,
            stop_fraction: 0.25,
            min_isis: 3,
            burst_ratio: 3.0,
            burst_cv: 0.2,
            burst_delay: 0.3,
            lv_irregular: 0.2,
            adaptation: 0.01,
            acceleration: 0.002,
            skip: 1,
        }
    }
}

/// What the classification is based on, for a spike train in a stimulus window.
#[derive(Clone, Debug, PartialEq)]
pub struct Features {
    /// Length of the stimulus window (ms).
    pub window: f64,
    /// Spikes in the window.
    pub spikes: usize,
    /// Time from the onset to the first spike (ms), if any.
    pub latency: Option<f64>,
    /// Silence from the last spike to the end of the window (ms).
    pub silence_after: f64,
    /// The ISIs (ms).
    pub isis: Vec<f64>,
    /// Naud's adaptation index A (after `skip` ISIs), if there are at least two ISIs left.
    pub adaptation_index: Option<f64>,
    /// Shinomoto's local variation LV, if there are at least two ISIs.
    pub local_variation: Option<f64>,
    /// The ISI below which an interval is intra-burst, when the ISIs are bimodal.
    pub burst_threshold: Option<f64>,
    /// The bursts: (index of the first spike, number of spikes).
    pub bursts: Vec<(usize, usize)>,
}

/// Why a spike train could not be classified.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PatternError {
    /// The window is empty, reversed or not finite.
    #[error("the stimulus window [{onset}, {end}] ms must be finite and not empty")]
    Window {
        /// Onset (ms).
        onset: f64,
        /// End (ms).
        end: f64,
    },
    /// The spike times are not finite or not increasing.
    #[error("spike times must be finite and strictly increasing (spike {index} at {time} ms)")]
    Spikes {
        /// Index of the offending spike.
        index: usize,
        /// Its time (ms).
        time: f64,
    },
    /// Sustained firing with too few intervals to tell patterns apart.
    #[error("{isis} interspike intervals in the window; at least {needed} are needed to classify sustained firing")]
    TooFewSpikes {
        /// ISIs found.
        isis: usize,
        /// ISIs needed ([`Criteria::min_isis`]).
        needed: usize,
    },
}

/// Naud's adaptation index: the mean of (I_{i+1} − I_i)/(I_{i+1} + I_i) over the ISIs after
/// the first `skip`; `None` with fewer than two ISIs left.
pub fn adaptation_index(isis: &[f64], skip: usize) -> Option<f64> {
    let rest = isis.get(skip..)?;
    (rest.len() >= 2).then(|| rest.windows(2).map(|w| (w[1] - w[0]) / (w[1] + w[0])).sum::<f64>() / (rest.len() - 1) as f64)
}

/// Shinomoto's local variation 3·mean(((I_{i+1} − I_i)/(I_{i+1} + I_i))²); `None` with fewer
/// than two ISIs.
pub fn local_variation(isis: &[f64]) -> Option<f64> {
    (isis.len() >= 2).then(|| 3.0 * isis.windows(2).map(|w| ((w[1] - w[0]) / (w[1] + w[0])).powi(2)).sum::<f64>() / (isis.len() - 1) as f64)
}

/// The features of the spikes in [onset, end] (spikes outside are ignored).
pub fn features(spikes: &[f64], onset: f64, end: f64, c: &Criteria) -> Result<Features, PatternError> {
    if !(onset.is_finite() && end.is_finite() && end > onset) {
        return Err(PatternError::Window { onset, end });
    }
    for (i, &t) in spikes.iter().enumerate() {
        if !t.is_finite() || (i > 0 && t <= spikes[i - 1]) {
            return Err(PatternError::Spikes { index: i, time: t });
        }
    }
    let s: Vec<f64> = spikes.iter().copied().filter(|&t| t >= onset && t <= end).collect();
    let isis: Vec<f64> = s.windows(2).map(|w| w[1] - w[0]).collect();
    let burst_threshold = burst_threshold(&isis, c.burst_ratio);
    let mut bursts = Vec::new();
    if let Some(th) = burst_threshold {
        let mut i = 0;
        while i < isis.len() {
            if isis[i] < th {
                let start = i;
                while i < isis.len() && isis[i] < th {
                    i += 1;
                }
                bursts.push((start, i - start + 1));
            } else {
                i += 1;
            }
        }
    }
    Ok(Features {
        window: end - onset,
        spikes: s.len(),
        latency: s.first().map(|t| t - onset),
        silence_after: end - s.last().copied().unwrap_or(onset),
        adaptation_index: adaptation_index(&isis, c.skip),
        local_variation: local_variation(&isis),
        isis,
        burst_threshold,
        bursts,
    })
}

/// The geometric mean of the two ISIs across the largest ratio gap of the sorted ISIs, when
/// that ratio is at least `ratio`.
fn burst_threshold(isis: &[f64], ratio: f64) -> Option<f64> {
    let mut sorted = isis.to_vec();
    sorted.sort_by(f64::total_cmp);
    let (lo, hi) = sorted.windows(2).map(|w| (w[0], w[1])).max_by(|a, b| (a.1 / a.0).total_cmp(&(b.1 / b.0)))?;
    (hi / lo >= ratio).then(|| (lo * hi).sqrt())
}

/// The pattern of the spikes in the stimulus window [onset, end] (ms).
pub fn classify(spikes: &[f64], onset: f64, end: f64, c: &Criteria) -> Result<FiringPattern, PatternError> {
    classify_features(&features(spikes, onset, end, c)?, c)
}

/// The pattern from already computed features (see the module documentation).
pub fn classify_features(f: &Features, c: &Criteria) -> Result<FiringPattern, PatternError> {
    let Some(latency) = f.latency else { return Ok(FiringPattern::Silent) };
    let longest = f.isis.iter().copied().fold(0.0, f64::max);
    if f.silence_after > c.stop_factor * longest && f.silence_after > c.stop_fraction * f.window {
        return Ok(FiringPattern::TransientSpiking);
    }
    if f.isis.len() < c.min_isis {
        return Err(PatternError::TooFewSpikes { isis: f.isis.len(), needed: c.min_isis });
    }
    match f.bursts.as_slice() {
        [] => {}
        [(0, n)] => {
            if f.isis.len() - (n - 1) >= 2 {
                return Ok(FiringPattern::InitialBurst);
            }
        }
        [_] => {}
        bursts => {
            let onsets: Vec<f64> = bursts.iter().map(|&(i, _)| latency + f.isis[..i].iter().sum::<f64>()).collect();
            let periods: Vec<f64> = onsets.windows(2).map(|w| w[1] - w[0]).collect();
            let mean = periods.iter().sum::<f64>() / periods.len() as f64;
            let sd = (periods.iter().map(|p| (p - mean).powi(2)).sum::<f64>() / periods.len() as f64).sqrt();
            if sd / mean > c.burst_cv {
                return Ok(FiringPattern::IrregularSpiking);
            }
            let mut sorted = periods.clone();
            sorted.sort_by(f64::total_cmp);
            let median = sorted[sorted.len() / 2];
            return Ok(if latency >= c.burst_delay * median {
                FiringPattern::DelayedRegularBursting
            } else {
                FiringPattern::RegularBursting
            });
        }
    }
    if f.local_variation.is_some_and(|lv| lv >= c.lv_irregular) {
        return Ok(FiringPattern::IrregularSpiking);
    }
    Ok(match f.adaptation_index {
        Some(a) if a >= c.adaptation => FiringPattern::Adapting,
        Some(a) if a <= -c.acceleration => FiringPattern::DelayedAccelerating,
        _ => FiringPattern::TonicSpiking,
    })
}
