//! Rebuild a table when, and only when, the parameters it depends on change.

/// A value (usually a table) built from a parameter list, rebuilt only when the list changes.
///
/// Parameters compare bit for bit, so 0.0 and −0.0 differ (a spurious rebuild, never a stale
/// table) and a NaN parameter equals itself.
///
/// ```
/// use spyks_core::table::{ParamCache, Table1D, TableSpec};
/// let mut cache = ParamCache::new();
/// for phi in [1.0, 1.0, 3.0] {
///     let t = cache.get_or_build(&[phi], || Table1D::new(move |v: f64| phi * (-(v + 65.0) / 18.0).exp(), TableSpec::new(-100.0, 50.0, 0.1)))?;
///     assert!((t.eval(-65.0) - phi).abs() < 1e-12);
/// }
/// assert_eq!(cache.builds(), 2);
/// # Ok::<(), spyks_core::table::TableError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct ParamCache<T> {
    key: Vec<u64>,
    value: Option<T>,
    builds: usize,
}

impl<T> ParamCache<T> {
    /// An empty cache.
    pub fn new() -> Self {
        ParamCache { key: Vec::new(), value: None, builds: 0 }
    }

    /// The value built for `params`: the cached one if `params` equal the last ones, else a
    /// new one from `build` (whose error is passed on, leaving the cache empty).
    pub fn get_or_build<E>(&mut self, params: &[f64], build: impl FnOnce() -> Result<T, E>) -> Result<&T, E> {
        let same = self.value.is_some() && self.key.len() == params.len() && self.key.iter().zip(params).all(|(k, p)| *k == p.to_bits());
        if !same {
            self.value = None;
            let value = build()?;
            self.builds += 1;
            self.key.clear();
            self.key.extend(params.iter().map(|p| p.to_bits()));
            self.value = Some(value);
        }
        Ok(self.value.as_ref().expect("built above"))
    }

    /// How many times a value was built (for checking that unchanged parameters reuse it).
    pub fn builds(&self) -> usize {
        self.builds
    }
}
