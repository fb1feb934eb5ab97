//! A growable array of `f64` whose first value sits on a 64-byte boundary: the arrays that the
//! network's packed loops read and write a whole register at a time (a population's state,
//! inputs and parameters, the per-synapse weights, the delay buffers).
//!
//! The system allocator aligns a `Vec<f64>` to 16 bytes, so each 64-byte AVX-512 load or store
//! of a block spanned two cache lines. Measured on an AMD EPYC (Zen 5), the state, inputs,
//! per-neuron parameters and synaptic arrays aligned against a `Vec` each (interleaved runs,
//! same spikes): CUBA 1.21x, 1.31x and 1.13x faster at 4000, 16000 and 64000 neurons (its
//! blocks read the synaptic currents too), COBA 1.04x at 4000 and 16000, HH 1.02x. The
//! weights stored per synapse and the delay buffers, aligned too: the Izhikevich network
//! (all-to-all rows of 1000 weights added into a delay buffer) 1.02-1.08x in three batches of
//! interleaved runs.

use std::ops::{Deref, DerefMut};

/// Values per cache line.
const PER_LINE: usize = 8;

/// One cache line of values: `repr(C)` over an array, so lines follow one another with no
/// padding and the values of consecutive lines are consecutive `f64`s.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Line([f64; PER_LINE]);

const _: () = assert!(size_of::<Line>() == PER_LINE * size_of::<f64>() && align_of::<Line>() == 64);

/// `f64` values from a 64-byte boundary, used as a slice (`Deref`), with the few growing
/// methods of `Vec` the network uses.
#[derive(Clone, Default)]
pub(crate) struct AlignedVec {
    lines: Vec<Line>,
    /// Values in use: the first `len` of the lines' (at most seven of the last line's unused).
    len: usize,
}

impl AlignedVec {
    /// `len` copies of `value`.
    pub(crate) fn filled(len: usize, value: f64) -> Self {
        let mut v = AlignedVec::default();
        v.resize(len, value);
        v
    }

    /// `len` copies of `value`, or `None` where the memory cannot be had (a delay buffer,
    /// whose size follows from the delays a user gives).
    pub(crate) fn try_filled(len: usize, value: f64) -> Option<Self> {
        let mut v = AlignedVec::default();
        v.lines.try_reserve_exact(len.div_ceil(PER_LINE)).ok()?;
        v.resize(len, value);
        Some(v)
    }

    /// Grows to `len` values, the new ones `value`, or shortens to `len`. Each new value is
    /// written once.
    pub(crate) fn resize(&mut self, len: usize, value: f64) {
        if len > self.len {
            // The unused tail of the last line first, then whole new lines of `value`.
            let tail = (self.lines.len() * PER_LINE).min(len);
            let old = self.len;
            self.len = tail;
            self[old..].fill(value);
            self.lines.resize(len.div_ceil(PER_LINE), Line([value; PER_LINE]));
        } else {
            self.lines.truncate(len.div_ceil(PER_LINE));
        }
        self.len = len;
    }

    /// Removes every value (keeping the allocation).
    pub(crate) fn clear(&mut self) {
        self.lines.clear();
        self.len = 0;
    }

    /// Appends `values`, each written once (the network's per-step copy of a chunk's inputs).
    pub(crate) fn extend_from_slice(&mut self, values: &[f64]) {
        // The unused tail of the last line first, then whole lines.
        let tail = (self.lines.len() * PER_LINE - self.len).min(values.len());
        let (head, rest) = values.split_at(tail);
        let old = self.len;
        self.len += tail;
        self[old..].copy_from_slice(head);
        self.lines.reserve(rest.len().div_ceil(PER_LINE));
        let mut whole = rest.chunks_exact(PER_LINE);
        for line in &mut whole {
            self.lines.push(Line(line.try_into().expect("chunks_exact gives whole lines")));
        }
        if !whole.remainder().is_empty() {
            let mut l = Line([0.0; PER_LINE]);
            l.0[..whole.remainder().len()].copy_from_slice(whole.remainder());
            self.lines.push(l);
        }
        self.len += rest.len();
    }
}

impl FromIterator<f64> for AlignedVec {
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut v = AlignedVec::default();
        v.lines.reserve(iter.size_hint().0.div_ceil(PER_LINE));
        for x in iter {
            let k = v.len % PER_LINE;
            if k == 0 {
                v.lines.push(Line([0.0; PER_LINE]));
            }
            if let Some(line) = v.lines.last_mut() {
                line.0[k] = x;
            }
            v.len += 1;
        }
        v
    }
}

impl Deref for AlignedVec {
    type Target = [f64];

    #[inline(always)]
    fn deref(&self) -> &[f64] {
        // SAFETY: the lines are one allocation of `lines.len()` `Line`s, each PER_LINE `f64`s
        // with no padding (checked above), all initialised; `len` never exceeds their count.
        // An empty `Vec`'s pointer is dangling but aligned and non-null, valid for length 0.
        unsafe { std::slice::from_raw_parts(self.lines.as_ptr().cast::<f64>(), self.len) }
    }
}

impl DerefMut for AlignedVec {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [f64] {
        // SAFETY: as in `deref`, borrowed mutably through `&mut self`.
        unsafe { std::slice::from_raw_parts_mut(self.lines.as_mut_ptr().cast::<f64>(), self.len) }
    }
}

impl std::fmt::Debug for AlignedVec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aligned(v: &AlignedVec) -> bool {
        (v.as_ptr() as usize).is_multiple_of(64)
    }

    #[test]
    fn values_start_on_a_64_byte_boundary_at_every_length() {
        for len in [1, 3, 8, 9, 1000, 3 * 1024, 49_152] {
            let v = AlignedVec::filled(len, 1.5);
            assert!(aligned(&v), "length {len}");
            assert_eq!(v.len(), len);
            assert!(v.iter().all(|&x| x == 1.5));
        }
    }

    /// The growing methods behave as `Vec`'s, checked against a `Vec` through a sequence that
    /// grows and shrinks across line boundaries.
    #[test]
    fn grows_and_shrinks_as_a_vec_does() {
        let mut a = AlignedVec::default();
        let mut v: Vec<f64> = Vec::new();
        assert!(a.is_empty());
        let steps: [(usize, f64); 6] = [(5, 1.0), (17, 2.0), (9, 3.0), (9, 4.0), (0, 5.0), (12, 6.0)];
        for (k, (len, value)) in steps.into_iter().enumerate() {
            a.resize(len, value);
            v.resize(len, value);
            assert_eq!(&a[..], &v[..], "resize {k}");
            let more: Vec<f64> = (0..k + 3).map(|i| i as f64 * 0.25 - 1.0).collect();
            a.extend_from_slice(&more);
            v.extend_from_slice(&more);
            assert_eq!(&a[..], &v[..], "extend {k}");
            assert!(aligned(&a));
        }
        a.clear();
        assert!(a.is_empty());
        // Shortened within a line, then grown again: the new values, not the old ones.
        let mut b = AlignedVec::filled(8, 7.0);
        b.resize(3, 0.0);
        b.resize(8, -1.0);
        assert_eq!(&b[..], &[7.0, 7.0, 7.0, -1.0, -1.0, -1.0, -1.0, -1.0]);
        // Collected with a known length, and with none (a filter's lower bound is zero).
        let c: AlignedVec = (0..20).map(f64::from).collect();
        assert_eq!(&c[..], &(0..20).map(f64::from).collect::<Vec<_>>()[..]);
        assert!(aligned(&c));
        let odd: AlignedVec = (0..41).filter(|i| i % 2 == 1).map(f64::from).collect();
        assert_eq!(&odd[..], &(0..41).filter(|i| i % 2 == 1).map(f64::from).collect::<Vec<_>>()[..]);
        assert!(aligned(&odd));
    }
}
