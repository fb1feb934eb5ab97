//! The right-hand side that an adaptive run's stages evaluate, and where they read the inputs.

use crate::error::SimError;
use crate::integrate::RightHandSide;
use crate::model::NeuronModel;
use crate::stimulus::Stimulus;
use crate::vector::Vector;

/// Where the stages of one step read the model's inputs.
pub(super) trait StepInputs<'s, M: NeuronModel> {
    /// The inputs of a step from `t` that may reach `t_lim`, before which the inputs do not
    /// jump.
    fn for_step(stimulus: &'s Stimulus<M>, t: f64, t_lim: f64) -> Self;

    /// The inputs at time `s`, which [`Rhs`] clamps to just before a jump at `t_lim`.
    fn at(&self, s: f64) -> M::Inputs;
}

/// Inputs read once per step, for a stimulus whose signals are all piecewise constant
/// ([`Stimulus::piecewise_constant`]): steps end on their jumps, so the inputs are the same at
/// every stage of a step. They are read inside the step's range, away from its ends, where no
/// rounding of a jump time can put a read on the wrong side of the jump.
///
/// Why a type of its own (and a second instance of the run's loop): with no call in the
/// stages, the compiler keeps the stages' values in registers. Without the call that reads a
/// signal, even though constant inputs never took it, Dormand-Prince with cubic tables ran
/// 1.06x (spyks' nakl) and 1.09x (Hodgkin-Huxley) as fast, on the exact nakl 1.06x, on the
/// exact Hodgkin-Huxley 0.96x.
pub(super) struct PerStep<M: NeuronModel>(M::Inputs);

impl<'s, M: NeuronModel> StepInputs<'s, M> for PerStep<M> {
    #[inline(always)]
    fn for_step(stimulus: &'s Stimulus<M>, t: f64, t_lim: f64) -> Self {
        PerStep(stimulus.at(t + 0.5 * (t_lim - t)))
    }

    #[inline(always)]
    fn at(&self, _s: f64) -> M::Inputs {
        self.0
    }
}

/// Inputs read at every stage (ramps, linearly interpolated waveforms, functions of time).
pub(super) struct PerStage<'s, M: NeuronModel>(&'s Stimulus<M>);

impl<'s, M: NeuronModel> StepInputs<'s, M> for PerStage<'s, M> {
    #[inline(always)]
    fn for_step(stimulus: &'s Stimulus<M>, _t: f64, _t_lim: f64) -> Self {
        PerStage(stimulus)
    }

    #[inline(always)]
    fn at(&self, s: f64) -> M::Inputs {
        self.0.at(s)
    }
}

/// The right-hand side over one step.
pub(super) struct Rhs<'s, M: NeuronModel, I> {
    /// The run's model, its tables brought up to date ([`crate::table::prepared`]) and
    /// borrowed for the whole run.
    pub(super) model: &'s M,
    pub(super) inputs: I,
    /// Inputs are read at min(s, clamp): just before a discontinuity on which the step ends,
    /// so that the stages at the step's end see the input's left limit.
    pub(super) clamp: f64,
    /// Whether the held variables are frozen (their derivatives are zero).
    pub(super) refractory: bool,
}

impl<'s, M: NeuronModel, I: StepInputs<'s, M>> Rhs<'s, M, I> {
    /// The inputs at stage time `s`.
    #[inline(always)]
    pub(super) fn inputs(&self, s: f64) -> M::Inputs {
        self.inputs.at(s.min(self.clamp))
    }
}

impl<'s, M: NeuronModel, I: StepInputs<'s, M>> RightHandSide<M::State> for Rhs<'s, M, I> {
    #[inline(always)]
    fn eval(&self, s: f64, x: &M::State) -> M::State {
        // The model is prepared and not changed during the run: its tables are current.
        let mut d = self.model.derivative_prepared(s, x, &self.inputs(s));
        if self.refractory {
            for &i in M::HELD {
                d.set_index(i, 0.0);
            }
        }
        d
    }

    fn input_fault(&self, s: f64) -> Option<SimError> {
        let s = s.min(self.clamp);
        crate::simulate::check_inputs::<M>(s, &self.inputs.at(s)).err()
    }
}
