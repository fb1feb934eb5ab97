//! Named vectors of f64: the generated `State`, `Params`, `Inputs` and `Exprs` types.
//!
//! Each generated type is a plain struct with one public f64 field per variable (in the
//! internal units: ms, mV, pA, nS, pF, µm, mM). This trait gives generic code (integrators,
//! populations, estimators) index, name and slice access to them, and element-wise maps that
//! compile to straight-line field arithmetic.

use crate::error::NameError;
use crate::meta::VarInfo;

/// A fixed-size vector of named f64 values.
pub trait Vector: Copy + Clone + Default + PartialEq + core::fmt::Debug + Send + Sync + 'static {
    /// Number of entries.
    const LEN: usize;
    /// Name, dimension and units of each entry, in order.
    const INFO: &'static [VarInfo];

    /// The entry at `i`; `None` when out of range.
    fn get_index(&self, i: usize) -> Option<f64>;
    /// Sets the entry at `i`; returns `false` (and changes nothing) when out of range.
    fn set_index(&mut self, i: usize, value: f64) -> bool;
    /// Applies `f` to every entry.
    fn map(&self, f: impl FnMut(f64) -> f64) -> Self;
    /// Combines two vectors entry by entry.
    fn zip_map(&self, other: &Self, f: impl FnMut(f64, f64) -> f64) -> Self;
    /// Combines three vectors entry by entry.
    fn zip3_map(&self, b: &Self, c: &Self, f: impl FnMut(f64, f64, f64) -> f64) -> Self;

    /// Reads entry v from `data[v * stride + j]`: neuron `j` of structure-of-arrays storage
    /// with one array of `stride` values per entry. Generated types read their fields
    /// directly (no runtime index dispatch), which is what population updates need.
    ///
    /// # Panics
    /// If `data` is shorter than `(LEN - 1) * stride + j + 1` (a programming error).
    #[inline]
    fn load_strided(data: &[f64], stride: usize, j: usize) -> Self {
        let mut v = Self::default();
        for i in 0..Self::LEN {
            v.set_index(i, data[i * stride + j]);
        }
        v
    }

    /// Writes entry v to `data[v * stride + j]`, the inverse of [`Vector::load_strided`].
    ///
    /// # Panics
    /// If `data` is too short, as for [`Vector::load_strided`].
    #[inline]
    fn store_strided(&self, data: &mut [f64], stride: usize, j: usize) {
        for i in 0..Self::LEN {
            data[i * stride + j] = self.get_index(i).unwrap_or(0.0);
        }
    }

    /// Whether every entry is finite (neither NaN nor infinite).
    #[inline]
    fn all_finite(&self) -> bool {
        (0..Self::LEN).all(|i| self.get_index(i).is_some_and(f64::is_finite))
    }

    /// All zeros.
    fn zeros() -> Self {
        Self::default().map(|_| 0.0)
    }

    /// The index of the entry called `name`.
    fn index_of(name: &str) -> Result<usize, NameError> {
        Self::INFO.iter().position(|v| v.name == name).ok_or_else(|| NameError::new(name, Self::INFO))
    }

    /// The entry called `name`, in internal units.
    fn get(&self, name: &str) -> Result<f64, NameError> {
        let i = Self::index_of(name)?;
        Ok(self.get_index(i).expect("index_of returns valid indices"))
    }

    /// Sets the entry called `name`, in internal units.
    fn set(&mut self, name: &str, value: f64) -> Result<(), NameError> {
        let i = Self::index_of(name)?;
        self.set_index(i, value);
        Ok(())
    }

    /// Copies the entries into `out[..LEN]`.
    ///
    /// # Panics
    /// If `out` is shorter than `LEN` (a programming error, not a user-input error).
    fn write_to(&self, out: &mut [f64]) {
        for (i, o) in out[..Self::LEN].iter_mut().enumerate() {
            *o = self.get_index(i).unwrap_or(0.0);
        }
    }

    /// Reads the entries from `values`, which must hold exactly `LEN` numbers.
    fn from_slice(values: &[f64]) -> Result<Self, crate::error::LengthError> {
        if values.len() != Self::LEN {
            return Err(crate::error::LengthError { expected: Self::LEN, found: values.len() });
        }
        let mut v = Self::default();
        for (i, x) in values.iter().enumerate() {
            v.set_index(i, *x);
        }
        Ok(v)
    }

    /// The entries as a `Vec`.
    fn to_vec(&self) -> Vec<f64> {
        (0..Self::LEN).map(|i| self.get_index(i).unwrap_or(0.0)).collect()
    }

    /// The entries as a dynamically sized nalgebra vector.
    fn to_dvector(&self) -> nalgebra::DVector<f64> {
        nalgebra::DVector::from_vec(self.to_vec())
    }
}
