//! Connection rules and the compact synapse table they build (CSR by presynaptic neuron).

use rand::RngExt;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::error::NetworkError;

/// Which pairs (presynaptic i, postsynaptic j) a projection connects. Indices are local to the
/// projection's presynaptic and postsynaptic selections.
///
/// Random rules cost O(synapses), not O(N_pre·N_post): fixed probability skips between
/// synapses with geometric gaps. Self-connections (i and j the same neuron, possible when both
/// selections are in one population) are excluded by [`super::Projection::allow_self`]`(false)`
/// for every rule but [`Rule::Explicit`], whose pairs are taken as given.
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// Every pair.
    AllToAll,
    /// i → i (both selections must have the same size).
    OneToOne,
    /// Each pair independently with probability p (Erdős–Rényi).
    FixedProbability(f64),
    /// Each postsynaptic neuron receives from exactly k distinct presynaptic neurons.
    FixedInDegree(usize),
    /// Each presynaptic neuron projects to exactly k distinct postsynaptic neurons.
    FixedOutDegree(usize),
    /// The pairs (`pre[s]`, `post[s]`); weight or delay arrays follow this order.
    Explicit {
        /// Presynaptic indices.
        pre: Vec<u32>,
        /// Postsynaptic indices.
        post: Vec<u32>,
    },
}

/// The synapses of a projection, stored by presynaptic neuron: the synapses of presynaptic
/// neuron i are `row_start[i]..row_start[i + 1]`, with postsynaptic indices `target[..]`
/// (sorted within a row, except for explicit pairs, which keep their order).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SynapseTable {
    /// Start of each row, length N_pre + 1.
    pub row_start: Vec<usize>,
    /// Postsynaptic index (local to the postsynaptic selection) of each synapse.
    pub target: Vec<u32>,
}

impl SynapseTable {
    /// The number of synapses.
    pub fn len(&self) -> usize {
        self.target.len()
    }
    /// Whether there are no synapses.
    pub fn is_empty(&self) -> bool {
        self.target.is_empty()
    }
    /// The synapse range of presynaptic neuron `i`.
    pub fn row(&self, i: usize) -> std::ops::Range<usize> {
        self.row_start[i]..self.row_start[i + 1]
    }
    /// The presynaptic index of every synapse (computed; length `len()`).
    pub fn sources(&self) -> Vec<u32> {
        let mut s = Vec::with_capacity(self.len());
        for i in 0..self.row_start.len().saturating_sub(1) {
            s.extend(std::iter::repeat_n(i as u32, self.row_start[i + 1] - self.row_start[i]));
        }
        s
    }
}

/// Builds the table. `self_offset` is `Some(d)` when pre i and post i + d are the same neuron
/// and self-connections are to be excluded. Returns the table and, for explicit pairs, the
/// original position of each stored synapse.
pub(crate) fn build(
    rule: &Rule,
    n_pre: usize,
    n_post: usize,
    self_offset: Option<i64>,
    rng: &mut Xoshiro256PlusPlus,
    ctx: &str,
) -> Result<(SynapseTable, Option<Vec<usize>>), NetworkError> {
    if n_post > u32::MAX as usize || n_pre > u32::MAX as usize {
        return Err(NetworkError::invalid(ctx, n_post.max(n_pre) as f64, "selections are limited to 2^32 - 1 neurons"));
    }
    // The postsynaptic index that is neuron i itself, if excluded.
    let own = |i: usize| -> Option<usize> {
        let j = i as i64 + self_offset?;
        (0..n_post as i64).contains(&j).then_some(j as usize)
    };
    let mut row_start: Vec<usize> = Vec::new();
    row_start
        .try_reserve_exact(n_pre + 1)
        .map_err(|_| NetworkError::invalid(ctx, n_pre as f64, "that many presynaptic rows do not fit in the memory"))?;
    row_start.push(0);
    let mut target: Vec<u32> = Vec::new();
    match rule {
        Rule::AllToAll => {
            reserve_synapses(&mut target, n_pre.checked_mul(n_post), ctx)?;
            for i in 0..n_pre {
                let o = own(i);
                target.extend((0..n_post as u32).filter(|&j| Some(j as usize) != o));
                row_start.push(target.len());
            }
        }
        Rule::OneToOne => {
            if n_pre != n_post {
                return Err(NetworkError::Length {
                    context: format!("{ctx}: one-to-one needs equal sizes (postsynaptic)"),
                    expected: n_pre,
                    found: n_post,
                });
            }
            for i in 0..n_pre {
                if own(i) != Some(i) {
                    target.push(i as u32);
                }
                row_start.push(target.len());
            }
        }
        &Rule::FixedProbability(p) => {
            if !(0.0..=1.0).contains(&p) {
                return Err(NetworkError::invalid(ctx, p, "a connection probability must be in [0, 1]"));
            }
            // The expected count and a margin (a count beyond it grows the table as usual).
            let expected = p * n_pre as f64 * n_post as f64 * 1.01 + 16.0;
            reserve_synapses(&mut target, (expected < usize::MAX as f64).then_some(expected as usize), ctx)?;
            // ln(1 − p); where 1 − p rounds to 1 (p below 1.1e-16) that is 0, and the gaps
            // below would be −∞ (the index then ran backwards and overflowed), so there the
            // accurate ln_1p(−p). (Only there: elsewhere ln_1p would change the gaps' last
            // bits, and with them the connections of every seeded network.)
            let log_q = match (1.0 - p).ln() {
                l if l < 0.0 => l,
                _ => (-p).ln_1p(),
            };
            for i in 0..n_pre {
                let o = own(i);
                if p >= 1.0 {
                    target.extend((0..n_post as u32).filter(|&j| Some(j as usize) != o));
                } else if p > 0.0 {
                    // Gaps between successes are geometric: skip ⌊ln U / ln(1 − p)⌋ pairs.
                    let mut j: i64 = -1;
                    loop {
                        let u: f64 = 1.0 - rng.random::<f64>(); // (0, 1]
                        // Non-negative: `as` truncates to the floor (and saturates), without
                        // a call to `floor` per synapse (CUBA's 320 000 synapses built 1.35
                        // times faster, the same ones).
                        let gap = (u.ln() / log_q) as i64;
                        if gap >= n_post as i64 - j {
                            break;
                        }
                        j += 1 + gap;
                        if j >= n_post as i64 {
                            break;
                        }
                        if Some(j as usize) != o {
                            target.push(j as u32);
                        }
                    }
                }
                row_start.push(target.len());
            }
        }
        &Rule::FixedOutDegree(k) => {
            reserve_synapses(&mut target, n_pre.checked_mul(k), ctx)?;
            for i in 0..n_pre {
                let o = own(i);
                let avail = n_post - o.is_some() as usize;
                if k > avail {
                    return Err(NetworkError::invalid(ctx, k as f64, format!("an out-degree cannot exceed the {avail} available targets")));
                }
                let start = target.len();
                for j in rand::seq::index::sample(rng, avail, k) {
                    let j = match o {
                        Some(o) if j >= o => j + 1,
                        _ => j,
                    };
                    target.push(j as u32);
                }
                target[start..].sort_unstable();
                row_start.push(target.len());
            }
        }
        &Rule::FixedInDegree(k) => {
            // Draw the sources of each target, then sort the pairs by source (counting sort,
            // stable: rows come out sorted by target).
            let mut pre = Vec::new();
            reserve_synapses(&mut pre, n_post.checked_mul(k), ctx)?;
            for j in 0..n_post {
                // The presynaptic index that is post j itself.
                let o = self_offset.and_then(|d| {
                    let i = j as i64 - d;
                    (0..n_pre as i64).contains(&i).then_some(i as usize)
                });
                let avail = n_pre - o.is_some() as usize;
                if k > avail {
                    return Err(NetworkError::invalid(ctx, k as f64, format!("an in-degree cannot exceed the {avail} available sources")));
                }
                for i in rand::seq::index::sample(rng, avail, k) {
                    let i = match o {
                        Some(o) if i >= o => i + 1,
                        _ => i,
                    };
                    pre.push(i as u32);
                }
            }
            let post: Vec<u32> = (0..n_post as u32).flat_map(|j| std::iter::repeat_n(j, k)).collect();
            let (table, _) = from_pairs(&pre, &post, n_pre);
            return Ok((table, None));
        }
        Rule::Explicit { pre, post } => {
            if pre.len() != post.len() {
                return Err(NetworkError::Length {
                    context: format!("{ctx}: explicit postsynaptic indices"),
                    expected: pre.len(),
                    found: post.len(),
                });
            }
            if let Some(&i) = pre.iter().find(|&&i| i as usize >= n_pre) {
                return Err(NetworkError::Index { context: format!("{ctx}: explicit presynaptic index"), index: i as usize, len: n_pre });
            }
            if let Some(&j) = post.iter().find(|&&j| j as usize >= n_post) {
                return Err(NetworkError::Index { context: format!("{ctx}: explicit postsynaptic index"), index: j as usize, len: n_post });
            }
            let (table, perm) = from_pairs(pre, post, n_pre);
            return Ok((table, Some(perm)));
        }
    }
    Ok((SynapseTable { row_start, target }, None))
}

/// Reserves room for `n` synapses (`None`: more than a usize counts), or an error naming
/// the projection when the memory cannot be had: a projection too large to build is an
/// error, not an abort (all-to-all between two populations of 10⁵ is 10¹⁰ synapses, 40 GB
/// of table before its weights).
fn reserve_synapses(v: &mut Vec<u32>, n: Option<usize>, ctx: &str) -> Result<(), NetworkError> {
    let too_many = |n: f64| NetworkError::invalid(ctx, n, "that many synapses do not fit in the memory");
    let n = n.ok_or_else(|| too_many(f64::INFINITY))?;
    v.try_reserve_exact(n).map_err(|_| too_many(n as f64))
}

/// CSR from pairs by a stable counting sort on the presynaptic index; also returns, for each
/// stored synapse, its position among the pairs.
fn from_pairs(pre: &[u32], post: &[u32], n_pre: usize) -> (SynapseTable, Vec<usize>) {
    let mut row_start = vec![0usize; n_pre + 1];
    for &i in pre {
        row_start[i as usize + 1] += 1;
    }
    for i in 0..n_pre {
        row_start[i + 1] += row_start[i];
    }
    let mut fill = row_start.clone();
    let mut target = vec![0u32; pre.len()];
    let mut perm = vec![0usize; pre.len()];
    for (s, (&i, &j)) in pre.iter().zip(post).enumerate() {
        let at = fill[i as usize];
        target[at] = j;
        perm[at] = s;
        fill[i as usize] += 1;
    }
    (SynapseTable { row_start, target }, perm)
}
