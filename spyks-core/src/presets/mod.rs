//! Ready-made models, written in the model language itself, with parameter names as in the
//! papers that introduced them and the papers cited in each model's documentation.

pub mod hodgkin_huxley;
pub mod integrate_and_fire;
pub mod izhikevich;
pub mod spyks;
