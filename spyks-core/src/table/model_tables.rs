//! The lookup tables a generated model carries: shared between clones, rebuilt only when the
//! parameters they depend on change, and switchable off for comparison.

use super::{Columns, TableError, TableSet, TableSpec};
use crate::NeuronModel;
use std::borrow::Cow;
use std::sync::Arc;

/// The tables of a model that declares a `tables` block (a hidden field of the generated
/// type). `F` holds the values of the parameters the tabulated functions use, so a table is
/// current exactly when its `F` matches the model's parameters; the generated code compares
/// them (a few f64 comparisons) before every lookup and calls the exact functions otherwise,
/// except in [`NeuronModel::derivative_prepared`], which drivers call on a model they refreshed
/// for the run ([`ModelTables::assume_current`]).
///
/// Clones share the tables (an [`Arc`]). Two models compare equal whatever their tables:
/// a table is a cache of the parameters, not part of the model.
pub struct ModelTables<const K: usize, F> {
    built: Option<Arc<TableSet<K, F>>>,
    /// The function object of the last build that failed (a table that cannot be built for
    /// these parameters is not tried again for them).
    failed: Option<F>,
    enabled: bool,
    builds: usize,
    /// A range, step or interpolation set at run time instead of the declared one.
    spec: Option<TableSpec>,
}

impl<const K: usize, F> Default for ModelTables<K, F> {
    fn default() -> Self {
        ModelTables { built: None, failed: None, enabled: true, builds: 0, spec: None }
    }
}

impl<const K: usize, F: Clone> Clone for ModelTables<K, F> {
    fn clone(&self) -> Self {
        ModelTables { built: self.built.clone(), failed: self.failed.clone(), enabled: self.enabled, builds: self.builds, spec: self.spec }
    }
}

impl<const K: usize, F> PartialEq for ModelTables<K, F> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<const K: usize, F> std::fmt::Debug for ModelTables<K, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelTables")
            .field("enabled", &self.enabled)
            .field("built", &self.built.is_some())
            .field("builds", &self.builds)
            .finish()
    }
}

impl<const K: usize, F: Columns<K>> ModelTables<K, F> {
    /// The table if it is switched on, built, and `current` accepts the parameters it was
    /// built for.
    #[inline(always)]
    pub fn current(&self, current: impl FnOnce(&F) -> bool) -> Option<&TableSet<K, F>> {
        match &self.built {
            Some(t) if self.enabled && current(t.function()) => Some(t),
            _ => None,
        }
    }

    /// The table if it is switched on and built, without checking the parameters it was built
    /// for: for a model whose tables a driver brought up to date ([`prepared`]) and which it
    /// holds immutably, so that they stay current (see
    /// [`NeuronModel::derivative_prepared`]).
    #[inline(always)]
    pub fn assume_current(&self) -> Option<&TableSet<K, F>> {
        self.current(|_| true)
    }

    /// The last table built, current or not.
    pub fn last(&self) -> Option<&TableSet<K, F>> {
        self.built.as_deref()
    }

    /// Builds the table of `f` (replacing the old one, which other clones keep). On error the
    /// model has no table and evaluates its exact functions.
    pub fn rebuild(&mut self, f: F, spec: TableSpec) -> Result<(), TableError>
    where
        F: Clone,
    {
        self.built = None;
        self.failed = None;
        match TableSet::new(f.clone(), spec) {
            Ok(t) => {
                self.built = Some(Arc::new(t));
                self.builds += 1;
                Ok(())
            }
            Err(e) => {
                self.failed = Some(f);
                Err(e)
            }
        }
    }

    /// Whether the last build failed for a function object that `same` accepts (so that a
    /// caller need not try again for the same parameters).
    pub fn failed_for(&self, same: impl FnOnce(&F) -> bool) -> bool {
        self.failed.as_ref().is_some_and(same)
    }

    /// Whether lookups are switched on.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Switches lookups on or off (off: the exact functions, bit for bit the untabulated model).
    pub fn set_enabled(&mut self, on: bool) {
        self.enabled = on;
    }

    /// The settings in force: those set by [`set_spec`](Self::set_spec), else `declared`.
    pub fn spec(&self, declared: TableSpec) -> TableSpec {
        self.spec.unwrap_or(declared)
    }

    /// Replaces the declared range, step, interpolation or out-of-range policy (to try a step
    /// without recompiling); the table is rebuilt at the next refresh.
    pub fn set_spec(&mut self, spec: TableSpec) {
        self.spec = Some(spec);
        self.built = None;
        self.failed = None;
    }

    /// How many times this model (or the model it was cloned from) built its table.
    pub fn builds(&self) -> usize {
        self.builds
    }
}

/// The model with its tables brought up to date: `model` itself when nothing needs building
/// (the usual case, free), else a refreshed clone. Drivers call this at the start of a run,
/// so a run is fast even right after a parameter change; refreshing the model itself
/// ([`NeuronModel::refresh`]) builds once for many runs instead of once per run.
pub fn prepared<M: NeuronModel>(model: &M) -> Result<Cow<'_, M>, crate::SimError> {
    prepared_for_step(model, None)
}

/// [`prepared`], and with a fixed step `h` also the step table
/// ([`NeuronModel::refresh_step`]) brought up to date where it can be built.
pub fn prepared_for_step<M: NeuronModel>(model: &M, h: Option<f64>) -> Result<Cow<'_, M>, crate::SimError> {
    let step = h.filter(|&h| model.needs_refresh_step(h));
    if !model.needs_refresh() && step.is_none() {
        return Ok(Cow::Borrowed(model));
    }
    let mut m = model.clone();
    refresh_for_step(&mut m, step)?;
    Ok(Cow::Owned(m))
}

/// Brings `model`'s rate tables up to date and, with a fixed step `h`, its step table where it
/// can be built: what every driver does at the start of a run ([`prepared_for_step`] on a
/// clone, populations on their own model). A step table is an optimisation: where it cannot
/// be built (a factor not finite somewhere on the grid, such as expm1(B·h) of a growing
/// variable at the range's end), the rate tables serve, with the same results up to their
/// interpolation, so only a rate table's error is returned.
pub fn refresh_for_step<M: NeuronModel>(model: &mut M, h: Option<f64>) -> Result<(), crate::table::TableError> {
    model.refresh()?;
    if let Some(h) = h {
        let _ = model.refresh_step(h);
    }
    Ok(())
}
