//! Izhikevich models (2003, 2004, 2007) with the published parameter sets.
