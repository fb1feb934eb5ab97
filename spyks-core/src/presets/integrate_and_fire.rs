//! Integrate-and-fire models: leaky (current- and conductance-based), exponential, adaptive exponential and quadratic.
