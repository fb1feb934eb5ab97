//! Where a population's state variables are: one array, chunk after chunk, so that a chunk is
//! one contiguous part (parallel work) and a variable of a chunk's neurons is one row (blocks).

use super::CHUNK;

/// Where a population's state variables are in its one array: chunk after chunk, each chunk's
/// variables `stride` apart, so that a neuron's variable is found by arithmetic alone.
#[derive(Clone, Copy, Debug)]
pub(super) struct StateLayout {
    /// The distance between a chunk's variables' arrays: [`CHUNK`], or N when there is one
    /// chunk.
    pub(super) stride: usize,
    /// The model's number of state variables.
    pub(super) vars: usize,
}

impl StateLayout {
    pub(super) fn new(n: usize, vars: usize) -> Self {
        StateLayout { stride: n.min(CHUNK), vars }
    }

    /// The length of a chunk's part (at least one, so that the state splits into one part per
    /// chunk even for a model without variables).
    pub(super) fn chunk(self) -> usize {
        (self.vars * self.stride).max(1)
    }

    /// Where variable `var` of neuron `i` is: its variable's array of the first chunk, then
    /// [`StateLayout::offset`].
    #[inline(always)]
    pub(super) fn index(self, var: usize, i: usize) -> usize {
        var * self.stride + self.offset(i)
    }

    /// Where neuron `i`'s value of any variable is, counted from that variable's first value:
    /// i + (i / CHUNK)·(chunk − CHUNK). With several chunks (stride = CHUNK), each chunk before
    /// i's holds CHUNK of the variable's values and chunk − CHUNK of the others'; with one,
    /// i < CHUNK. Fewer instructions than dividing i into chunk and place (the scattered
    /// delivery computes it per synapse, with [`offset_with`](Self::offset_with)).
    #[inline(always)]
    pub(super) fn offset(self, i: usize) -> usize {
        Self::offset_with(i, self.vars)
    }

    /// [`offset`](Self::offset) in a layout of `vars` variables, as i + (i − i mod CHUNK)·(vars − 1):
    /// the same place (with several chunks, i / CHUNK chunks before i's hold (vars − 1)·CHUNK of
    /// the other variables' values each; with one, i < CHUNK), whatever the stride, and with
    /// `vars` a constant (the model's, where the caller is generic over it) the product is one
    /// `lea` for models of 2, 3, 5 or 9 variables.
    #[inline(always)]
    pub(super) fn offset_with(i: usize, vars: usize) -> usize {
        i + (i & !(CHUNK - 1)) * vars.saturating_sub(1)
    }

    /// Where variable `var` of the `len` neurons from `start` (in one chunk) are.
    pub(super) fn row(self, var: usize, start: usize, len: usize) -> std::ops::Range<usize> {
        let at = self.index(var, start);
        at..at + len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A neuron's variable is where the layout's definition puts it (chunk after chunk, each
    /// `vars · stride` long, the chunk's variables `stride` apart, the neuron at its place in
    /// its chunk), written out here, and every one has a place of its own inside the state:
    /// one chunk (shorter than CHUNK or exactly as long), several (the last one short), models
    /// of one to five variables.
    #[test]
    fn a_neurons_variable_is_where_the_layout_puts_it() {
        for n in [1, 37, CHUNK, CHUNK + 1, 3 * CHUNK + 5] {
            for vars in 1..=5 {
                let layout = StateLayout::new(n, vars);
                let stride = n.min(CHUNK);
                let len = n.div_ceil(CHUNK) * vars * stride;
                let mut seen = vec![false; len];
                for var in 0..vars {
                    for i in 0..n {
                        let at = layout.index(var, i);
                        assert_eq!(
                            at,
                            (i / CHUNK) * vars * stride + var * stride + i % CHUNK,
                            "n {n}, {vars} variables, var {var}, neuron {i}"
                        );
                        assert!(at < len && !seen[at], "n {n}, {vars} variables, var {var}, neuron {i}: place {at} taken or outside");
                        seen[at] = true;
                    }
                }
            }
        }
    }
}
