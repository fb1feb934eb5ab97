//! spyks runtime.
