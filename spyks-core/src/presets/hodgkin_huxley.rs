//! Hodgkin-Huxley-type conductance-based models.
