//! The integration of a chunk's neurons in blocks of [`LANES`] (sixteen with AVX-512 for small
//! models, see [`AVX512_TWO_MAX_VARS`]), with packed instructions.
//!
//! A population whose neurons share one model and whose inputs are constant over the step
//! (the uniform update) reads each state variable of a block of consecutive neurons straight
//! from the chunk's per-variable arrays, steps them together with [`Stepper::step_lanes`]
//! and writes them back. Lane `l` of a block is bit for bit the neuron's scalar step (see
//! [`crate::lanes`]), so spikes and states do not depend on whether a neuron was stepped in
//! a block. Neurons with their own parameter values get them as more lanes after the inputs
//! ([`NeuronModel::HAS_PARAM_LANES`]).
//!
//! On x86-64 the loop is compiled three times: for the baseline (SSE2), for AVX2 and for
//! AVX-512F, and the widest the processor has is chosen at run time. Enabling AVX-512F (or a
//! processor's FMA unit) changes no result: rustc never contracts `a*b + c` into a fused
//! multiply-add, and [`Real::mul_add`] rounds twice in these lane types; the tests run
//! whichever path the machine takes, and `SPYKS_LANES` (below) selects the others. A
//! [`Fused`](crate::integrate::Fused) method is the exception its user asks for: its blocks
//! are compiled a fourth and fifth time, with lane types whose `mul_add` is one fused
//! instruction (AVX-512F, or AVX2 with FMA; on other processors it takes the paths above).
//! Only such methods compile those (`Stepper::FUSED` is a constant). Measured on the HH
//! workload below (now 9.2 ns per neuron and step with AVX-512): 7.3 ns (1.30x), Pospischil
//! 1.21x, biocm 1.18x; with AVX2 and FMA, HH 1.22x and biocm no faster. The fused AVX-512
//! blocks (`F64x8<true>`) also take `exp` from an 8-row table by permutes, scaled by
//! `vscalefpd`: HH 5.8 ns, Pospischil 1.10x and biocm 1.33x faster again (before, blocks of
//! sixteen read a 32-row table by permutes, blocks of eight the 64-row one by gathers).
//!
//! What the compiler makes of it (the assembly of `examples/network_bench.rs`, HH with
//! exponential Euler, one block of eight neurons per iteration): the baseline version is
//! packed SSE2 throughout (about 500 `mulpd`, 430 `addpd` and 40 `divpd` on xmm registers, a
//! few scalar instructions for the per-step constants, before divisions by constants became
//! products). The AVX2 and AVX-512 ones use [`crate::lanes`]' `F64x4` and `F64x8`, whose
//! operations are intrinsics (`vmulpd`, `vaddpd`, `vdivpd` on ymm or zmm registers,
//! `vblendvpd` or mask registers for the selects), with `exp`'s table read as (entry, tail)
//! pairs, one 16-byte load per lane, under AVX2 and gathered with `vgatherqpd` under AVX-512.
//! The divisions left are those by expressions of the state (`-x/expm1(-x)`,
//! `1/(1 + exp(..))`): the generated code multiplies by the reciprocals of constant and
//! parameter divisors, computed outside the loop (HH 1.18x faster with AVX-512), and
//! exponential Euler's update does not divide where |B·h| is small (see
//! [`ExpEuler`](crate::integrate::ExpEuler)), which took 5 % off this workload on an AVX2
//! machine.
//!
//! Measured on that workload (10000 neurons, 100 ms at dt = 0.01 ms, one thread, a shared
//! two-core Xeon with AVX-512), in ns per neuron and step: 84 before blocks existed, 92 one
//! at a time now (exponential Euler calls [`crate::math::exp_m1`], which vectorises, where it
//! called glibc's `expm1`, which is faster one call at a time), 44 with SSE2 blocks, 29 with
//! AVX2, 21 with AVX-512 (blocks of sixteen). The `pospischil` workload (the same with the
//! tanh-based Pospischil et al. 2008 cell): 107 one at a time, 59, 37 and 28.
//!
//! The environment variable `SPYKS_LANES` selects the path for measurements: `off` (one
//! neuron at a time), `sse2` (blocks, baseline instructions), `avx2`, or anything else (blocks,
//! the widest instructions the processor has). It is read once per process.

use crate::integrate::{LANE_SCRATCH, Stepper};
use crate::lanes::{F64s, Mask, Real, Two};
#[cfg(target_arch = "x86_64")]
use crate::lanes::{F64x4, F64x8};
use crate::model::NeuronModel;
use crate::vector::Vector;

#[cfg(target_arch = "x86_64")]
use super::packed::fma;
use super::packed::{Path, path};

/// Neurons per block without AVX-512: eight f64 lanes. On the baseline path (SSE2, four
/// 128-bit registers per value) with `F64s<8>`: with four, the compiler unrolls the lane loops
/// of `exp` and friends before vectorising them and leaves most of their arithmetic scalar.
/// With AVX2 as two `F64x4` (two 256-bit registers, each operation an AVX instruction written
/// out): with `F64s<8>` there, the compiler packed exponential Euler's update of HH's four
/// gating variables across the variables instead of the lanes, with the transpositions that
/// takes, and read lookup tables lane by lane (HH 10 %, HH with tables 23 % fewer
/// instructions with `F64x4`).
pub const LANES: usize = 8;

/// With AVX-512, models with at most this many state variables step blocks of sixteen
/// neurons as `Two<F64x8>` (two zmm registers per value), larger ones blocks of eight as one
/// `F64x8`. Measured on an Intel Xeon with AVX-512 (interleaved runs, least of three): one
/// register per value made biocm (eleven variables, 26 `exp` per neuron and step, each
/// inlined) 12 % faster than two, whose doubled code and live values the model's size
/// outgrows; two made HH (four) and Pospischil (five) 1-2 % faster, CUBA and COBA (three)
/// up to 7 %, and every model with lookup tables 10-15 %, biocm's included (its rates are
/// then table reads, not inlined `exp`s), so the rule gives that one up.
const AVX512_TWO_MAX_VARS: usize = 8;

/// The arrays of a chunk that the block update reads and writes (`len` neurons each, one
/// array of `len` per state variable, input and parameter with per-neuron values).
pub(super) struct ChunkArrays<'a> {
    /// Variable v of neuron j at `v * stride + j`.
    pub state: &'a mut [f64],
    /// At least `len`: the population's chunk size, so that the delivery of synapses finds a
    /// neuron's variable without looking up its chunk.
    pub stride: usize,
    pub inputs: &'a [f64],
    /// Per input, whether its array in `inputs` holds one value, bit for bit (missing: not
    /// known). Read once per pass, not per block, where there are no `inputs_end`.
    pub uniform_inputs: &'a [bool],
    /// The inputs at the step's end, for clip and threshold, when they differ from `inputs`
    /// (synaptic currents that change over the step).
    pub inputs_end: Option<&'a [f64]>,
    /// Bit `j % 8` of byte `j / 8` set where neuron j is refractory in this step.
    pub refractory: &'a [u8],
    /// Bit 0 crossed the threshold, bit 1 not finite: meaningful only for the neurons in
    /// `flagged` (the block pass writes no others).
    pub flags: &'a mut [u8],
    /// The neurons whose flag the pass set, in order (appended to).
    pub flagged: &'a mut Vec<u32>,
    /// Scratch for the pass: its blocks with a neuron that fired, as block·2¹⁶ + fired lanes.
    pub fired_blocks: &'a mut Vec<u32>,
    /// The parameters with per-neuron values (their numbers), and one array of `len` values
    /// for each; empty when the neurons share the model's.
    pub hetero: &'a [usize],
    pub params: &'a [f64],
    pub len: usize,
}

/// The first pass of the uniform update (step, hold during the refractory period, clip,
/// threshold and finiteness flags) for the first whole blocks of a chunk's neurons, with
/// inputs constant over the step from `t` to `t + h`. Returns how many neurons it handled (a
/// multiple of the block size; zero when the model or the method has no block step); the caller
/// handles the rest one by one. A block whose step fails is left unchanged and not counted,
/// so that the caller's scalar step reports the failure exactly as before.
///
/// Neurons with their own parameter values are stepped in blocks when the model takes its
/// parameters from the lanes ([`NeuronModel::HAS_PARAM_LANES`]) and has no clip
/// ([`NeuronModel::clip_lanes`] takes the model's parameters): the block's inputs are followed by
/// every parameter, the shared ones repeated in each lane.
pub(super) fn step_blocks<M: NeuronModel, S: Stepper<M>>(c: ChunkArrays, stepper: &mut S, m: &M, t: f64, h: f64) -> usize {
    if !M::HAS_LANES || !stepper.supports_lanes() {
        return 0;
    }
    if !c.hetero.is_empty() && (!M::HAS_PARAM_LANES || M::HAS_CLIP || !stepper.supports_param_lanes()) {
        return 0;
    }
    match path() {
        Path::Scalar => 0,
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `path` chose AVX2 only where the processor has it, and FMA is detected.
        // (`S::FUSED` is a constant, so other methods never compile this call.)
        Path::Avx2 if S::FUSED && fma() => unsafe { step_blocks_avx2_fma(c, stepper, m, t, h) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `path` chose AVX2 only where the processor has it.
        Path::Avx2 => unsafe { step_blocks_avx2(c, stepper, m, t, h) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above, for AVX-512F.
        Path::Avx512 => unsafe { step_blocks_avx512(c, stepper, m, t, h) },
        _ => step_blocks_generic::<M, S, F64s<LANES>>(c, stepper, m, t, h),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn step_blocks_avx2<M: NeuronModel, S: Stepper<M>>(c: ChunkArrays, stepper: &mut S, m: &M, t: f64, h: f64) -> usize {
    step_blocks_generic::<M, S, Two<F64x4>>(c, stepper, m, t, h)
}

/// `step_blocks_avx2` with fused multiply-adds, for [`Stepper::FUSED`] methods.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn step_blocks_avx2_fma<M: NeuronModel, S: Stepper<M>>(c: ChunkArrays, stepper: &mut S, m: &M, t: f64, h: f64) -> usize {
    step_blocks_generic::<M, S, Two<F64x4<true>>>(c, stepper, m, t, h)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn step_blocks_avx512<M: NeuronModel, S: Stepper<M>>(c: ChunkArrays, stepper: &mut S, m: &M, t: f64, h: f64) -> usize {
    // `S::FUSED` is a constant: a method compiles only its own two.
    let two = M::State::LEN <= AVX512_TWO_MAX_VARS;
    if S::FUSED {
        if two {
            step_blocks_generic::<M, S, Two<F64x8<true>>>(c, stepper, m, t, h)
        } else {
            step_blocks_generic::<M, S, F64x8<true>>(c, stepper, m, t, h)
        }
    } else if two {
        step_blocks_generic::<M, S, Two<F64x8>>(c, stepper, m, t, h)
    } else {
        step_blocks_generic::<M, S, F64x8>(c, stepper, m, t, h)
    }
}

/// The pass over a chunk's whole blocks, finding the neurons that fired by the list unless the
/// stepper's block step reads itself per block ([`Stepper::BLOCK_STEP_READS_SELF`]).
#[inline(always)]
fn step_blocks_generic<M: NeuronModel, S: Stepper<M>, T: Real>(c: ChunkArrays, stepper: &mut S, m: &M, t: f64, h: f64) -> usize {
    step_blocks_listing::<M, S, T>(c, stepper, m, t, h, !S::BLOCK_STEP_READS_SELF)
}

/// [`step_blocks_generic`] with the way the fired neurons are found given (`listed`: from the
/// list, else by a branch per block), a constant once inlined.
#[inline(always)]
fn step_blocks_listing<M: NeuronModel, S: Stepper<M>, T: Real>(
    c: ChunkArrays,
    stepper: &mut S,
    m: &M,
    t: f64,
    h: f64,
    listed: bool,
) -> usize {
    let (n, ni) = (M::State::LEN, M::Inputs::LEN);
    let zero = T::splat(0.0);
    // Models up to SMALL variables keep the block's values in fixed-size local arrays, which
    // the optimiser can hold in registers once everything is inlined (measured against heap
    // vectors: CUBA 1.5x, HH 1.1x, biocm 1.1x faster); larger ones use vectors.
    // The inputs, then (neurons with their own parameter values) every parameter. The shared
    // case keeps its small arrays: a larger one there made COBA 1.3 times slower.
    let nu = if c.hetero.is_empty() { ni } else { ni + M::Params::LEN };
    stepper.begin_lanes(m, t, h);
    // The arrays are zeroed once per pass: sized for four variables where that is enough
    // (HH, CUBA, COBA, Izhikevich), HH zeroes 1.3 KiB per pass instead of 4.6 (2 % of its
    // instructions, a `memset`).
    let done = if c.hetero.is_empty() && n.max(ni) <= TINY {
        shared_blocks::<M, S, T, TINY>(c, stepper, m, (t, h), listed)
    } else if c.hetero.is_empty() && n.max(ni) <= SMALL {
        shared_blocks::<M, S, T, SMALL>(c, stepper, m, (t, h), listed)
    } else if n <= SMALL && nu <= SMALL_INPUTS {
        let (mut x, mut u, mut scratch) = ([zero; SMALL], [zero; SMALL_INPUTS], [zero; LANE_SCRATCH * SMALL]);
        blocks_with::<M, S, T>(c, stepper, m, (t, h), listed, &mut x[..n], &mut u[..nu], &mut scratch[..LANE_SCRATCH * n])
    } else {
        let (mut x, mut u, mut scratch) = (vec![zero; n], vec![zero; nu], vec![zero; LANE_SCRATCH * n]);
        blocks_with::<M, S, T>(c, stepper, m, (t, h), listed, &mut x, &mut u, &mut scratch)
    };
    stepper.end_lanes();
    done
}

/// Models with at most this many state variables (every shipped model) take the local-array
/// path.
const SMALL: usize = 12;

/// ... with arrays of this size for models with at most this many variables and inputs.
const TINY: usize = 4;

/// ... and at most this many inputs, with the parameters when they are per neuron.
const SMALL_INPUTS: usize = 40;

/// [`blocks_with`] for neurons that share their parameters, with local arrays for up to `N`
/// variables and inputs.
#[inline(always)]
fn shared_blocks<M: NeuronModel, S: Stepper<M>, T: Real, const N: usize>(
    c: ChunkArrays,
    stepper: &mut S,
    m: &M,
    (t, h): (f64, f64),
    listed: bool,
) -> usize {
    let (n, ni) = (M::State::LEN, M::Inputs::LEN);
    let zero = T::splat(0.0);
    let (mut x, mut u, mut scratch) = ([zero; N], [zero; N], [[zero; N]; LANE_SCRATCH]);
    let scratch = &mut scratch.as_flattened_mut()[..LANE_SCRATCH * n];
    blocks_with::<M, S, T>(c, stepper, m, (t, h), listed, &mut x[..n], &mut u[..ni], scratch)
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn blocks_with<M: NeuronModel, S: Stepper<M>, T: Real>(
    mut c: ChunkArrays,
    stepper: &mut S,
    m: &M,
    (t, h): (f64, f64),
    listed: bool,
    x: &mut [T],
    u: &mut [T],
    scratch: &mut [T],
) -> usize {
    let len = c.len;
    let t_next = t + h;
    let zero = T::splat(0.0);
    // A mask lane per value lane (the masks' bits index the flags), a block's refractory bits
    // in whole bytes (blocks start at multiples of the lanes, a multiple of eight), and its
    // fired lanes in 16 bits (`fired_blocks`).
    const { assert!(T::LANES.is_multiple_of(8) && T::LANES <= 16 && <T::Mask as Mask>::LANES == T::LANES) };
    let lanes = T::LANES;
    let blocks = len / lanes;
    let ni = M::Inputs::LEN;
    // Every array checked once here, so that the block loop reads and writes without a
    // bounds check per access (a fifth of CUBA's instructions per block were those checks):
    // with j + lanes <= len, row r of an array of rows of `len` spans r·len + j .. r·len + j + lanes,
    // inside the array when it holds at least rows·len values. Arrays that do not (never the
    // case for a chunk) leave every neuron to the caller's scalar step.
    let sized = |a: usize, rows: usize| rows.checked_mul(len).is_some_and(|need| a >= need);
    // The state's rows are `stride` apart: the last ends at (rows − 1)·stride + len.
    let stride = c.stride;
    let state_need = x.len().checked_sub(1).map_or(Some(0), |last| last.checked_mul(stride).and_then(|s| s.checked_add(len)));
    let fits = stride >= len
        && state_need.is_some_and(|need| c.state.len() >= need)
        && sized(c.inputs.len(), ni)
        && c.inputs_end.is_none_or(|e| sized(e.len(), ni))
        && sized(c.params.len(), c.hetero.len())
        && c.refractory.len().checked_mul(8).is_some_and(|bits| bits >= len)
        && sized(c.flags.len(), 1)
        && blocks <= 1 << 16;
    if !fits {
        return 0;
    }
    // Shared parameters in every lane (per-neuron ones are loaded per block).
    for (k, uk) in u.iter_mut().enumerate().skip(ni) {
        *uk = T::splat(m.params().get_index(k - ni).unwrap_or(f64::NAN));
    }
    // An input with one value for the chunk is set once here, not loaded per block (COBA's
    // drive: 8 of the 40 bytes its blocks read per neuron). The inputs at the step's end
    // overwrite the values after each block's step: then every input is loaded.
    // Which inputs the blocks load (bit i; from the 64th on, all), decided once per pass.
    let uniform = |i: usize| len > 0 && c.inputs_end.is_none() && c.uniform_inputs.get(i) == Some(&true);
    let mut loaded = u64::MAX;
    for (i, ui) in u[..ni].iter_mut().enumerate().take(64) {
        if uniform(i) {
            *ui = T::splat(c.inputs[i * len]);
            loaded &= !(1 << i);
        }
    }
    // The running sum of the stored values (in products of two where that is cheaper, see
    // `finiteness_part`): finite when every one is (NaN and ±∞ carry through), so one packed
    // test after the pass, not one per block, tells whether any neuron's state is not finite
    // (or the sum overflowed: then the lane-by-lane look finds nothing).
    let mut sum = zero;
    let mut done = blocks * lanes;
    // `listed`: every block writes its entry (block·2¹⁶ + its fired lanes) to the next free
    // place of the room reserved here, and the place moves on only if a lane fired, without a
    // branch: a block fires at random (3.5 % of COBA's), and a branch on it was mispredicted
    // each time, losing the work begun on the blocks after it. The fired neurons are listed
    // after the pass.
    let first = if listed {
        c.fired_blocks.clear();
        c.fired_blocks.reserve(blocks);
        c.fired_blocks.as_mut_ptr()
    } else {
        std::ptr::null_mut()
    };
    let mut next = first;
    for b in 0..blocks {
        let j = b * lanes;
        // SAFETY (every `row`/`row_mut` below): j + lanes <= len, and each array was checked
        // above to hold its rows.
        for (v, xv) in x.iter_mut().enumerate() {
            *xv = T::load(unsafe { row(c.state, v * stride + j, lanes) });
        }
        for (i, ui) in u[..ni].iter_mut().enumerate() {
            if i >= 64 || loaded >> i & 1 != 0 {
                *ui = T::load(unsafe { row(c.inputs, i * len + j, lanes) });
            }
        }
        for (slot, &k) in c.hetero.iter().enumerate() {
            u[ni + k] = T::load(unsafe { row(c.params, slot * len + j, lanes) });
        }
        // A match, not `is_err()`: the error is dropped only where there is one (the drop of
        // a `Result` is otherwise a call per block).
        if let Err(e) = stepper.step_lanes(m, t, h, x, u, scratch) {
            drop(e);
            done = j;
            break;
        }
        if let Some(end) = c.inputs_end {
            for (i, ui) in u[..ni].iter_mut().enumerate() {
                *ui = T::load(unsafe { row(end, i * len + j, lanes) });
            }
        }
        // As the scalar pass: hold, clip, then threshold outside the refractory period.
        // From a bit per neuron (where the step counts take 8 bytes each: the blocks of CUBA
        // read 24 bytes per neuron instead of 32), the block's bytes read as one number.
        // Computed on every block, branch-free: with a refractory period of a few ms, a fifth
        // of the blocks of a network firing at 6 Hz have a refractory lane, at random, and a
        // branch on it was mispredicted (CUBA 5-11 % and COBA 24 % faster without it).
        // SAFETY: j + lanes <= len <= 8·refractory.len(), checked above, and 8 divides j.
        let bytes = unsafe { row(c.refractory, j / 8, lanes / 8) };
        let bits = bytes.iter().enumerate().fold(0u64, |b, (i, &byte)| b | u64::from(byte) << (8 * i));
        let refractory = <T::Mask as Mask>::from_bits(bits);
        // A held variable keeps its value from the step's start, still in the state array
        // (this block is stored below): no array of held values to read (CUBA at 64000
        // neurons 1.45 times faster, its 32 bytes per neuron and step then nearly all in L2).
        for &v in M::HELD {
            x[v] = T::select(refractory, T::load(unsafe { row(c.state, v * stride + j, lanes) }), x[v]);
        }
        if M::HAS_CLIP {
            m.clip_lanes(t_next, x, u);
        }
        // The refractory lanes taken out of the bits, not the masks (fewer instructions: the
        // masks' `and` and `not` went through general registers lane half by half).
        let fired = if M::HAS_THRESHOLD { m.threshold_lanes(t_next, x, u).bitmask() & !bits } else { 0 };
        for (v, xv) in x.iter().enumerate() {
            xv.store(unsafe { row_mut(c.state, v * stride + j, lanes) });
        }
        // The block's own part first: one addition per block on the pass's chain.
        sum = sum + finiteness_part(x);
        // Only the flags of the neurons in `flagged` are read: the others are left as they
        // are (a byte per neuron written on every block took 12 of CUBA's 94 instructions
        // per block).
        if listed {
            // SAFETY: at most b entries were kept before this one, so it goes at an index of
            // at most b < blocks, inside the room reserved above.
            unsafe {
                next.write(((b as u32) << 16) | fired as u32);
                next = next.add(usize::from(fired != 0));
            }
        } else if fired != 0 {
            list_fired(c.flags, c.flagged, j, fired);
        }
    }
    if listed {
        // SAFETY: the entries from `first` to `next` were written in the pass, in the room.
        unsafe { c.fired_blocks.set_len(next.offset_from(first) as usize) };
        for &e in c.fired_blocks.iter() {
            list_fired(c.flags, c.flagged, (e >> 16) as usize * lanes, u64::from(e & 0xffff));
        }
    }
    #[allow(clippy::eq_op)]
    if !(sum - sum).eq(zero).all() {
        flag_non_finite(&mut c, x.len(), done);
    }
    done
}

/// A block's part of the pass's running sum (see [`blocks_with`]): a value that is not
/// finite when any of `x` is not. With one-instruction multiply-adds
/// ([`Real::FMA_ANY`]), the variables two by two as x₀·x₁ + (x₂·x₃ + (… + x_last)), about half
/// the instructions of their sum (NaN or ±∞ in a product's operand makes the product NaN or ±∞,
/// ∞·0 included); a product of finite values that overflows is a false alarm, as an
/// overflowing sum is, which the lane-by-lane look dismisses. Otherwise their sum.
#[inline(always)]
fn finiteness_part<T: Real>(x: &[T]) -> T {
    let Some((&first, rest)) = x.split_first() else {
        return T::splat(0.0);
    };
    if !T::FMA_ANY {
        return rest.iter().fold(first, |s, &v| s + v);
    }
    // The odd one out (or zero) as the innermost addend.
    let n = x.len();
    let part = if n % 2 == 1 { x[n - 1] } else { T::splat(0.0) };
    x.chunks_exact(2).rev().fold(part, |part, p| p[0].mul_add_any(p[1], part))
}

/// Whether `values` are all one value, bit for bit (−0 is not 0, NaN payloads count): an
/// input that the block pass may read once (see [`ChunkArrays::uniform_inputs`]).
pub(super) fn one_value(values: &[f64]) -> bool {
    values.first().is_none_or(|first| values.iter().all(|x| x.to_bits() == first.to_bits()))
}

/// Flags and lists the neurons `j + l` for the bits `l` of `fired`. Out of line: where the
/// block loop calls it (a pass without the list), with this inlined the block's values were
/// kept in memory for the calls it may make.
#[cold]
#[inline(never)]
fn list_fired(flags: &mut [u8], flagged: &mut Vec<u32>, j: usize, mut fired: u64) {
    while fired != 0 {
        let l = fired.trailing_zeros() as usize;
        fired &= fired - 1;
        flags[j + l] = 1;
        flagged.push((j + l) as u32);
    }
}

/// After a pass whose stored values did not all sum to a finite number: flag (bit 1) every
/// neuron below `done` with a state variable that is not finite, keeping `flagged` in neuron
/// order with the fired ones.
#[cold]
fn flag_non_finite(c: &mut ChunkArrays, n: usize, done: usize) {
    let stride = c.stride;
    let fired = std::mem::take(c.flagged);
    let mut next = fired.iter().copied().peekable();
    for j in 0..done {
        let f = u8::from(next.next_if_eq(&(j as u32)).is_some());
        let finite = (0..n).all(|v| c.state[v * stride + j].is_finite());
        let flag = f | (u8::from(!finite) << 1);
        if flag != 0 {
            c.flags[j] = flag;
            c.flagged.push(j as u32);
        }
    }
}

/// The `n` values of `data` from `start`, without a bounds check.
///
/// # Safety
///
/// `start + n <= data.len()`.
#[inline(always)]
unsafe fn row<T>(data: &[T], start: usize, n: usize) -> &[T] {
    debug_assert!(start + n <= data.len());
    // SAFETY: the caller's.
    unsafe { data.get_unchecked(start..start + n) }
}

/// [`row`], mutable.
///
/// # Safety
///
/// `start + n <= data.len()`.
#[inline(always)]
unsafe fn row_mut<T>(data: &mut [T], start: usize, n: usize) -> &mut [T] {
    debug_assert!(start + n <= data.len());
    // SAFETY: the caller's.
    unsafe { data.get_unchecked_mut(start..start + n) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrate::ExpEuler;
    #[cfg(target_arch = "x86_64")]
    use crate::network::packed::{avx2, avx512};
    use crate::presets::hodgkin_huxley::{HodgkinHuxley, HodgkinHuxleyInputs, HodgkinHuxleyState, UA_PER_CM2};

    /// `$check::<T>()` for every unfused block type: the baseline ones always, the intrinsic
    /// ones where the processor has them.
    macro_rules! each_block_type {
        ($check:ident) => {{
            $check::<F64s<8>>();
            $check::<F64s<16>>();
            #[cfg(target_arch = "x86_64")]
            if avx2() {
                $check::<Two<F64x4>>();
            }
            #[cfg(target_arch = "x86_64")]
            if avx512() {
                $check::<F64x8>();
                $check::<Two<F64x8>>();
            }
        }};
    }

    /// The two ways a pass finds the neurons that fired, with exponential Euler: from its list,
    /// and by a branch per block.
    fn both_listings<T: Real>(check: impl Fn(&mut dyn FnMut(ChunkArrays, f64) -> usize)) {
        for listed in [true, false] {
            check(&mut |arrays, h| {
                step_blocks_listing::<HodgkinHuxley, ExpEuler, T>(arrays, &mut ExpEuler, &HodgkinHuxley::new(), 0.0, h, listed)
            });
        }
    }

    /// HH neurons with exponential Euler over a chunk of `ref_until.len()` neurons, in blocks
    /// (stepped by `pass`), from t = 0.
    fn hh_blocks(
        pass: &mut dyn FnMut(ChunkArrays, f64) -> usize,
        state: &mut [f64],
        stride: usize,
        inputs: &[f64],
        ref_until: &[u64],
        (flags, flagged): (&mut [u8], &mut Vec<u32>),
        (h, step_end): (f64, u64),
    ) -> usize {
        let len = ref_until.len();
        // Inputs with one value are marked so (the block pass then reads them once).
        let uniform = [one_value(inputs)];
        // The bits of the neurons refractory in the step, as a population keeps them.
        let mut refractory = vec![0u8; len.div_ceil(8)];
        for (j, &until) in ref_until.iter().enumerate() {
            refractory[j / 8] |= u8::from(step_end <= until) << (j % 8);
        }
        let arrays = ChunkArrays {
            state,
            stride,
            inputs,
            uniform_inputs: &uniform,
            inputs_end: None,
            refractory: &refractory,
            flags,
            flagged,
            fired_blocks: &mut Vec::new(),
            hetero: &[],
            params: &[],
            len,
        };
        pass(arrays, h)
    }

    /// Every block type, whatever the processor (the populations' tests take only the widest
    /// path it has; the intrinsic ones where it has AVX2 or AVX-512F): a chunk of 37 HH
    /// neurons, some refractory and some about to cross the threshold, stepped in blocks; the
    /// blocks cover all but the remainder, and every stepped neuron's state and flag are its
    /// scalar step's, bit for bit. The state's rows are further apart than the chunk is long
    /// (as in a population's last chunk), and what lies between them is left alone.
    fn check<T: Real>() {
        both_listings::<T>(|pass| check_with::<T>(pass));
    }

    fn check_with<T: Real>(pass: &mut dyn FnMut(ChunkArrays, f64) -> usize) {
        let (m, len, stride, h, step_end) = (HodgkinHuxley::new(), 37, 45, 0.01, 100);
        let x0: Vec<HodgkinHuxleyState> =
            (0..len).map(|j| HodgkinHuxleyState { v: -70.0 + 2.5 * j as f64, m: 0.02 * j as f64 % 1.0, h: 0.6, n: 0.3 }).collect();
        let u0: Vec<f64> = (0..len).map(|j| (j % 7) as f64 * 3.0 * UA_PER_CM2).collect();
        let gap = 1234.5;
        let mut state = vec![gap; 3 * stride + len];
        for (j, x) in x0.iter().enumerate() {
            x.store_strided(&mut state, stride, j);
        }
        // Refractory until after the step, until its very end (still refractory), until the
        // step before (no longer), never.
        let until = |j: u64| match j % 5 {
            0 => step_end + 3,
            1 => step_end,
            2 => step_end - 1,
            _ => 0,
        };
        let ref_until: Vec<u64> = (0..len as u64).map(until).collect();
        let (mut flags, mut flagged) = (vec![0u8; len], Vec::new());
        let stepped = hh_blocks(pass, &mut state, stride, &u0, &ref_until, (&mut flags, &mut flagged), (h, step_end));
        assert_eq!(stepped, len / T::LANES * T::LANES);
        let mut fired = Vec::new();
        for j in 0..stepped {
            let (mut x, u) = (x0[j], HodgkinHuxleyInputs { I: u0[j] });
            <ExpEuler as Stepper<HodgkinHuxley>>::step(&mut ExpEuler, &m, 0.0, h, &mut x, &|_| u).unwrap();
            let fire = step_end > ref_until[j] && m.threshold(h, &x, &u);
            if fire {
                fired.push(j as u32);
            }
            let got = HodgkinHuxleyState::load_strided(&state, stride, j);
            assert_eq!(got.to_array().map(f64::to_bits), x.to_array().map(f64::to_bits), "neuron {j}");
            if fire {
                assert_eq!(flags[j], 1, "neuron {j}");
            }
        }
        // The remainder is the caller's: untouched.
        for (j, x) in x0.iter().enumerate().skip(stepped) {
            assert_eq!(&HodgkinHuxleyState::load_strided(&state, stride, j), x);
        }
        for v in 0..3 {
            assert!(state[v * stride + len..(v + 1) * stride].iter().all(|&g| g == gap), "between rows {v} and {}", v + 1);
        }
        assert!(!fired.is_empty(), "no neuron crossed the threshold: the flags are not exercised");
        // Only the flags of the listed neurons are read (the others keep stale bytes).
        assert_eq!(flagged, fired, "the list of flagged neurons");
    }

    /// A pass with fired neurons and non-finite ones in different blocks: the non-finite are
    /// flagged with bit 1 (and bit 0 too where one also fired), and the list stays in neuron
    /// order; stale flag bytes of unlisted neurons do not leak into it.
    fn check_non_finite<T: Real>() {
        both_listings::<T>(|pass| check_non_finite_with::<T>(pass));
    }

    fn check_non_finite_with<T: Real>(pass: &mut dyn FnMut(ChunkArrays, f64) -> usize) {
        let (len, h, step_end) = (4 * T::LANES, 0.01, 100);
        let mut state = vec![0.0; 4 * len];
        let (bad_v, bad_n, hot) = (T::LANES + 3, 3 * T::LANES - 1, [1, T::LANES + 5, 3 * T::LANES]);
        for j in 0..len {
            let v = if hot.contains(&j) { -40.0 } else { -70.0 };
            let x = HodgkinHuxleyState { v, m: if hot.contains(&j) { 0.9 } else { 0.05 }, h: 0.6, n: 0.3 };
            x.store_strided(&mut state, len, j);
        }
        state[bad_v] = f64::NAN;
        state[3 * len + bad_n] = f64::INFINITY;
        let inputs = vec![40.0 * UA_PER_CM2; len];
        let ref_until = vec![0; len];
        // Stale bytes everywhere: only listed neurons' flags are meaningful.
        let (mut flags, mut flagged) = (vec![7u8; len], Vec::new());
        let stepped = hh_blocks(pass, &mut state, len, &inputs, &ref_until, (&mut flags, &mut flagged), (h, step_end));
        assert_eq!(stepped, len);
        let mut want: Vec<u32> = hot.iter().chain(&[bad_v, bad_n]).map(|&j| j as u32).collect();
        want.sort();
        assert_eq!(flagged, want);
        for &j in &flagged {
            let j = j as usize;
            let expected = if j == bad_v || j == bad_n { 2 } else { 1 };
            assert_eq!(flags[j], expected, "neuron {j}");
        }
    }

    #[test]
    fn one_value_compares_bits() {
        assert!(one_value(&[]) && one_value(&[2.5]) && one_value(&[f64::NAN, f64::NAN]) && one_value(&[-0.0, -0.0]));
        assert!(!one_value(&[0.0, -0.0]) && !one_value(&[1.0, 1.0, 1.0 + f64::EPSILON]));
        assert!(!one_value(&[f64::NAN, f64::from_bits(f64::NAN.to_bits() + 1)]));
    }

    #[test]
    fn non_finite_neurons_are_listed_in_order_with_the_fired() {
        each_block_type!(check_non_finite);
    }

    /// `finiteness_part` of one to five variables: not finite in exactly the lanes where a
    /// variable is NaN or ±∞, whatever the others hold (zeros included, against ∞·0, and the
    /// opposite infinity, against ∞ − ∞), on every block type.
    fn check_finiteness_part<T: Real>() {
        let ordinary = [0.0, -0.0, 1.0, -65.0, 1e-300, 3.5e100];
        let bad = [f64::NAN, -f64::NAN, f64::INFINITY, f64::NEG_INFINITY];
        for n in 1..=5 {
            for at in 0..n {
                for (k, &b) in bad.iter().enumerate() {
                    // Lane l: variable `at` bad in the even lanes, every variable ordinary
                    // (varied by lane and variable) elsewhere; where the bad value is +∞, the
                    // others −∞ in lane 2, so that it meets its opposite.
                    let x: Vec<T> = (0..n)
                        .map(|v| {
                            let mut lanes = T::splat(0.0);
                            for l in 0..T::LANES {
                                let o = ordinary[(l + 2 * v + k) % ordinary.len()];
                                let value = if v == at && l % 2 == 0 {
                                    b
                                } else if v != at && l == 2 && k == 2 {
                                    f64::NEG_INFINITY
                                } else {
                                    o
                                };
                                lanes.set_lane(l, value);
                            }
                            lanes
                        })
                        .collect();
                    let part = finiteness_part(&x);
                    for l in 0..T::LANES {
                        let expect_finite = (0..n).all(|v| x[v].lane(l).is_finite());
                        assert_eq!(part.lane(l).is_finite(), expect_finite, "n {n}, variable {at}, {b}, lane {l}: {}", part.lane(l));
                    }
                }
            }
        }
    }

    #[test]
    fn a_blocks_part_of_the_finiteness_sum_is_not_finite_where_a_value_is_not() {
        each_block_type!(check_finiteness_part);
        #[cfg(target_arch = "x86_64")]
        if avx512() {
            check_finiteness_part::<F64x8<true>>();
            check_finiteness_part::<Two<F64x8<true>>>();
        }
    }

    crate::neuron_model! {
        /// Clip rules both ways, with bounds of a parameter and of an input.
        model Clipped;
        parameters { v_peak: 30 mV, w_max: 50 pA }
        state { v: -65 mV, w: 0 pA }
        inputs { v_floor: -80 mV }
        equations { dv/dt = -v/(10 ms), dw/dt = -w/(100 ms) }
        clip { v <= v_peak, v >= v_floor, w <= w_max }
    }

    /// The generated `clip_lanes` against `clip` lane by lane, bit for bit, on every block
    /// type (the `Clipped` model and spyks' `adex.yml`): values below, at and above each bound,
    /// NaN, ±∞ and ±0, and bounds that differ by lane. (The trait's lane-by-lane default is
    /// checked in `tests/lanes_models.rs`.)
    fn check_clip<T: Real>() {
        let vs = [-100.0, -80.0, -79.9, 0.0, -0.0, 29.999, 30.0, 30.0001, 1e300, f64::NAN, f64::INFINITY, f64::NEG_INFINITY];
        let ws = [0.0, 49.0, 50.0, 51.0, f64::NAN, -1e9, 1e9, -0.0];
        let floors = [-80.0, -90.0, 0.0, f64::NAN, 40.0];
        let n = vs.len() * ws.len() * floors.len();
        let lanes = T::LANES;
        let points: Vec<(f64, f64, f64)> = (0..n.next_multiple_of(lanes))
            .map(|i| (vs[i % vs.len()], ws[(i / vs.len()) % ws.len()], floors[(i * 7) % floors.len()]))
            .collect();
        let clipped = Clipped::new();
        let adex = crate::presets::spyks::Adex::new();
        for block in points.chunks_exact(lanes) {
            let column = |f: fn(&(f64, f64, f64)) -> f64| T::load(&block.iter().map(f).collect::<Vec<_>>());
            let (v, w, floor) = (column(|p| p.0), column(|p| p.1), column(|p| p.2));
            let mut x = [v, w];
            clipped.clip_lanes(0.0, &mut x, &[floor]);
            let mut a = [v, w];
            adex.clip_lanes(0.0, &mut a, &[floor]);
            for (l, &(v, w, floor)) in block.iter().enumerate() {
                let mut y = ClippedState { v, w };
                clipped.clip(0.0, &mut y, &ClippedInputs { v_floor: floor });
                let want = [y.v.to_bits(), y.w.to_bits()];
                assert_eq!([x[0].lane(l).to_bits(), x[1].lane(l).to_bits()], want, "clip_lanes at v {v}, w {w}, floor {floor}");
                let mut z = crate::presets::spyks::AdexState { V: v, w };
                adex.clip(0.0, &mut z, &crate::presets::spyks::AdexInputs { Iinj: floor });
                assert_eq!([a[0].lane(l).to_bits(), a[1].lane(l).to_bits()], [z.V.to_bits(), z.w.to_bits()], "adex at V {v}");
            }
        }
    }

    #[test]
    fn clip_lanes_equal_the_scalar_clip() {
        each_block_type!(check_clip);
    }

    #[test]
    fn blocks_of_eight_and_sixteen_equal_the_scalar_step() {
        each_block_type!(check);
    }
}
