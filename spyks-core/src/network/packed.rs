//! Which packed instructions the network's loops use (chosen once per process, see
//! [`super::blocks`] for `SPYKS_LANES`), and the passes over a chunk or a row outside the block
//! update (spike delivery, arrivals, clearing a ring slot), each compiled for the widest.

use std::sync::OnceLock;

/// Which instructions the packed loops use (chosen once per process).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Path {
    Scalar,
    Baseline,
    Avx2,
    Avx512,
}

/// The widest path the processor has, unless `SPYKS_LANES` chooses another.
pub(super) fn path() -> Path {
    static PATH: OnceLock<Path> = OnceLock::new();
    *PATH.get_or_init(|| {
        let choice = std::env::var("SPYKS_LANES").unwrap_or_default();
        match choice.as_str() {
            "off" => Path::Scalar,
            "sse2" => Path::Baseline,
            "avx2" if avx2() => Path::Avx2,
            _ if avx512() => Path::Avx512,
            _ if avx2() => Path::Avx2,
            _ => Path::Baseline,
        }
    })
}

#[cfg(target_arch = "x86_64")]
pub(super) fn avx2() -> bool {
    std::arch::is_x86_feature_detected!("avx2")
}

#[cfg(not(target_arch = "x86_64"))]
pub(super) fn avx2() -> bool {
    false
}

#[cfg(target_arch = "x86_64")]
pub(super) fn fma() -> bool {
    std::arch::is_x86_feature_detected!("fma")
}

#[cfg(target_arch = "x86_64")]
pub(super) fn avx512() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
}

#[cfg(not(target_arch = "x86_64"))]
pub(super) fn avx512() -> bool {
    false
}

/// Defines a function over slices whose body runs compiled for the widest packed instructions
/// the processor has (AVX-512F, AVX2 or the baseline, as [`path`] chose): the passes over a
/// chunk or a row outside the block update.
macro_rules! widest {
    ($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),*) $body:block) => {
        $(#[$doc])*
        pub(super) fn $name($($arg: $ty),*) {
            #[inline(always)]
            fn generic($($arg: $ty),*) $body
            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx512f")]
            fn avx512($($arg: $ty),*) {
                generic($($arg),*)
            }
            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2")]
            fn avx2($($arg: $ty),*) {
                generic($($arg),*)
            }
            match path() {
                #[cfg(target_arch = "x86_64")]
                // SAFETY: `path` chose AVX-512F only where the processor has it.
                Path::Avx512 => unsafe { avx512($($arg),*) },
                #[cfg(target_arch = "x86_64")]
                // SAFETY: as above, for AVX2.
                Path::Avx2 => unsafe { avx2($($arg),*) },
                _ => generic($($arg),*),
            }
        }
    };
}

widest! {
    /// Adds `arrived[j]` to `x[j]` wherever it is not zero (the same bits as adding only what
    /// arrived: x + 0 would turn −0 into +0): a delayed jump projection's arrivals.
    fn add_arrivals(x: &mut [f64], arrived: &[f64]) {
        // A select rather than a branch, so that the loop vectorises.
        for (x, &w) in x.iter_mut().zip(arrived) {
            let sum = *x + w;
            *x = if w != 0.0 { sum } else { *x };
        }
    }
}

widest! {
    /// Adds `src` to `dst` element by element: the delivery of a row of synapses onto
    /// consecutive targets (all-to-all).
    fn add_row(dst: &mut [f64], src: &[f64]) {
        for (d, s) in dst.iter_mut().zip(src) {
            *d += s;
        }
    }
}

widest! {
    /// Adds `w` to every element of `dst`: the delivery of a row of synapses with one weight
    /// onto consecutive targets.
    fn add_const(dst: &mut [f64], w: f64) {
        for d in dst.iter_mut() {
            *d += w;
        }
    }
}

widest! {
    /// Adds `a` and then `b` to `dst`, element by element: the bits of two `add_row`s, in one
    /// pass.
    fn add_rows2(dst: &mut [f64], a: &[f64], b: &[f64]) {
        for ((d, x), y) in dst.iter_mut().zip(a).zip(b) {
            *d = (*d + x) + y;
        }
    }
}

widest! {
    /// Adds four rows to `dst` in order, element by element: the bits of four `add_row`s, in
    /// one pass.
    fn add_rows4(dst: &mut [f64], rows: [&[f64]; 4]) {
        let [a, b, c, e] = rows;
        let n = dst.len().min(a.len()).min(b.len()).min(c.len()).min(e.len());
        let (a, b, c, e) = (&a[..n], &b[..n], &c[..n], &e[..n]);
        for (j, d) in dst[..n].iter_mut().enumerate() {
            *d = (((*d + a[j]) + b[j]) + c[j]) + e[j];
        }
    }
}

widest! {
    /// Sets `buf` to zero (a ring buffer's consumed slot).
    fn clear(buf: &mut [f64]) {
        buf.fill(0.0)
    }
}
