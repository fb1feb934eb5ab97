//! Spike delivery helpers of the network loop: which rows of a projection fired, fetching
//! the next rows ahead of their use, and adding rows with consecutive targets together.

use super::connectivity::SynapseTable;

/// Delivers rows whose targets are consecutive (all-to-all, one-to-one) into `buf`, in row
/// order. Up to four rows with the same targets go in one pass, `((b + w1) + w2) + ...` per
/// target: the same additions in the same order as one pass per row, but the rows stream from
/// memory together and the targets are read and written once (the Izhikevich network's rows
/// come from 8 MB of weights in the last-level cache).
pub(super) fn deliver_contiguous_rows(buf: &mut [f64], rows: impl Iterator<Item = std::ops::Range<usize>>, target: &[u32], weight: &[f64]) {
    // The targets of a non-empty row.
    let place = |syn: &std::ops::Range<usize>| target[syn.start] as usize..target[syn.start] as usize + syn.len();
    // Rows waiting, all with the targets `at`.
    let mut pending: [std::ops::Range<usize>; 4] = Default::default();
    let (mut waiting, mut at) = (0, 0..0);
    let mut flush = |pending: &[std::ops::Range<usize>], at: &std::ops::Range<usize>| {
        let dst = &mut buf[at.clone()];
        match pending {
            [] => {}
            [a] => super::packed::add_row(dst, &weight[a.clone()]),
            [a, b] => super::packed::add_rows2(dst, &weight[a.clone()], &weight[b.clone()]),
            [a, b, c] => {
                super::packed::add_rows2(dst, &weight[a.clone()], &weight[b.clone()]);
                super::packed::add_row(dst, &weight[c.clone()]);
            }
            [a, b, c, d, ..] => {
                super::packed::add_rows4(dst, [&weight[a.clone()], &weight[b.clone()], &weight[c.clone()], &weight[d.clone()]])
            }
        }
    };
    for syn in rows {
        if syn.is_empty() {
            continue;
        }
        let here = place(&syn);
        if waiting > 0 && (here != at || waiting == pending.len()) {
            flush(&pending[..waiting], &at);
            waiting = 0;
        }
        at = here;
        pending[waiting] = syn;
        waiting += 1;
    }
    flush(&pending[..waiting], &at);
}

/// The rows that fired (see [`presynaptic_rows`]) with their synapses in `table`. Taking a
/// row asks the processor to fetch the bounds of the row [`ROWS_AHEAD`] further on: a row's
/// bounds are a cache miss of their own (the table's `row_start` takes 8 bytes a neuron, 512
/// KiB at 64000 neurons, read at scattered rows), on which [`prefetch_next`]'s fetch of the
/// next row's synapses waited (half of the delivery loop's samples in `perf`, COBA at 64000).
/// With it, that wait is gone from the profile and the loop waits on the fetches themselves:
/// COBA at 64000 neurons 2-5 % faster in interleaved runs, about this machine's noise.
pub(super) fn fired_rows<'a>(
    spikes: &'a [u32],
    pre_start: usize,
    pre_len: usize,
    table: &'a SynapseTable,
) -> impl Iterator<Item = (usize, std::ops::Range<usize>)> + 'a {
    let fired = presynaptic_spikes(spikes, pre_start, pre_len);
    fired.iter().enumerate().map(move |(k, &i)| {
        if let Some(&ahead) = fired.get(k + ROWS_AHEAD) {
            prefetch_slice(&table.row_start[ahead as usize - pre_start..], 1);
        }
        let row = i as usize - pre_start;
        (row, table.row(row))
    })
}

/// How many fired rows ahead [`fired_rows`] fetches the bounds of (a row of 80 synapses takes
/// longer to deliver than a fetch from memory).
const ROWS_AHEAD: usize = 4;

/// Asks the processor to fetch the cache lines of the first `n` elements of `data` (one
/// request per 64-byte line; nothing where the target has no prefetch instruction here).
#[inline(always)]
fn prefetch_slice<T>(data: &[T], n: usize) {
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (data, n);
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let n = n.min(data.len());
        let per_line = (64 / std::mem::size_of::<T>().max(1)).max(1);
        for k in (0..n).step_by(per_line) {
            // SAFETY: a prefetch reads nothing and cannot fault; the pointer is in bounds.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(data[k..].as_ptr().cast()) };
        }
    }
}

/// Asks the processor to fetch the next fired row's targets and weights into the cache while
/// the row before it is delivered: with 80 synapses per neuron the synapse table outgrows the
/// caches (61 MB at 64000 neurons with a weight per synapse, 20 MB with one for all), and each
/// row's first loads waited on memory. Prefetching
/// the next row made COBA and CUBA 10-15 % faster at 16000 and 64000 neurons (AVX2 EPYC,
/// interleaved runs; prefetching a row just before adding it, tried earlier, came too late to
/// help). A contiguous row's delivery reads only its first target.
#[inline(always)]
pub(super) fn prefetch_next<I: Iterator<Item = (usize, std::ops::Range<usize>)>>(
    rows: &mut std::iter::Peekable<I>,
    target: &[u32],
    weight: &[f64],
    contiguous: bool,
) {
    let Some((_, syn)) = rows.peek() else {
        return;
    };
    let t = &target[syn.clone()];
    prefetch_slice(t, if contiguous { 1 } else { t.len() });
    // No weights to fetch for a projection whose synapses share one (`weight` empty).
    let w = weight.get(syn.clone()).unwrap_or_default();
    prefetch_slice(w, w.len());
}

/// The rows of a projection (its presynaptic neurons `pre_start..pre_start + pre_len`) that
/// fired, from the sorted spiking neurons of its source.
pub(super) fn presynaptic_rows(spikes: &[u32], pre_start: usize, pre_len: usize) -> impl Iterator<Item = usize> + '_ {
    presynaptic_spikes(spikes, pre_start, pre_len).iter().map(move |&i| i as usize - pre_start)
}

/// The neurons of `pre_start..pre_start + pre_len` among the sorted spiking neurons `spikes`.
fn presynaptic_spikes(spikes: &[u32], pre_start: usize, pre_len: usize) -> &[u32] {
    let lo = spikes.partition_point(|&i| (i as usize) < pre_start);
    let hi = spikes.partition_point(|&i| (i as usize) < pre_start + pre_len);
    &spikes[lo..hi.max(lo)]
}

#[cfg(test)]
mod tests {
    use super::deliver_contiguous_rows;

    /// Rows delivered together give the bits of rows delivered one by one, in order: the first
    /// 1 to 14 rows of all-to-all rows (so groups of four, three, two and one), rows with other
    /// targets in between, and empty rows (one in the middle, one last); the weights are of
    /// mixed magnitudes, so that another order of the additions would round differently.
    #[test]
    fn grouped_rows_add_in_row_order() {
        let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let m = ((s >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 2.0;
            m * [1e-3, 1.0, 1e8][(s >> 3) as usize % 3]
        };
        // Row r: 37 targets from `first[r]` (0 for most), rows 5 and 13 empty.
        let first = [0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0];
        let (mut target, mut weight, mut ranges) = (Vec::new(), Vec::new(), Vec::new());
        for (r, &f) in first.iter().enumerate() {
            let len = if r == 5 || r == 13 { 0 } else { 37 };
            let start = target.len();
            for j in 0..len {
                target.push((f + j) as u32);
                weight.push(next());
            }
            ranges.push(start..target.len());
        }
        for fired in 1..=first.len() {
            let rows = &ranges[..fired];
            let mut expected: Vec<f64> = (0..50).map(|_| next()).collect();
            let mut got = expected.clone();
            for syn in rows {
                for s in syn.clone() {
                    expected[target[s] as usize] += weight[s];
                }
            }
            deliver_contiguous_rows(&mut got, rows.iter().cloned(), &target, &weight);
            assert_eq!(
                got.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                expected.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                "{fired} rows"
            );
        }
    }
}
