//! Analysis of simulated activity.

pub mod firing_pattern;
