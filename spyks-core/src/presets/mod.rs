//! Ready-made models, written in the model language itself.

pub mod spyks;
