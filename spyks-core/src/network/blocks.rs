//! The integration of a chunk's neurons in blocks of [`LANES`], with packed instructions.
//!
//! A population whose neurons share one model and whose inputs are constant over the step
//! (the uniform update) reads each state variable of [`LANES`] consecutive neurons straight
//! from the chunk's per-variable arrays, steps them together with
//! [`Stepper::step_lanes`](crate::integrate::Stepper::step_lanes) and writes them back. Lane
//! `l` of a block is bit for bit the neuron's scalar step (see [`crate::lanes`]), so spikes
//! and states do not depend on whether a neuron was stepped in a block.
//!
//! On x86-64 with AVX2 the same loop is compiled a second time for 256-bit registers and
//! chosen at run time (no fused multiply-add is enabled, so every result stays the same).
//! What the compiler makes of it, read in the assembly of the network benchmark's HH
//! workload (exponential Euler, eight lanes): the block loop is packed `mulpd`/`addpd`/
//! `divpd` on xmm registers in the baseline version and `vmulpd`/`vaddpd`/`vdivpd` on ymm
//! registers in the AVX2 one, with `exp`'s table read as per-lane loads.
//!
//! The environment variable `SPYKS_LANES` selects the path for measurements: `off` (one
//! neuron at a time), `sse2` (blocks, baseline instructions) or anything else (blocks, AVX2
//! when the processor has it). It is read once per process.

use std::sync::OnceLock;

use crate::integrate::{LANE_SCRATCH, Stepper};
use crate::lanes::{F64s, Real};
use crate::model::NeuronModel;
use crate::vector::Vector;

/// Neurons per block: eight f64 lanes (two 256-bit or four 128-bit registers per value). With
/// four, the compiler unrolls the lane loops of `exp` and friends before vectorising them and
/// leaves most of their arithmetic scalar.
pub const LANES: usize = 8;

type Block = F64s<LANES>;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Path {
    Scalar,
    Baseline,
    Avx2,
}

fn path() -> Path {
    static PATH: OnceLock<Path> = OnceLock::new();
    *PATH.get_or_init(|| {
        let choice = std::env::var("SPYKS_LANES").unwrap_or_default();
        match choice.as_str() {
            "off" => Path::Scalar,
            "sse2" => Path::Baseline,
            _ if avx2() => Path::Avx2,
            _ => Path::Baseline,
        }
    })
}

#[cfg(target_arch = "x86_64")]
fn avx2() -> bool {
    std::arch::is_x86_feature_detected!("avx2")
}

#[cfg(not(target_arch = "x86_64"))]
fn avx2() -> bool {
    false
}

/// Steps the first whole blocks of a chunk's neurons (`len` of them, stored per variable
/// with stride `len`) from `t` to `t + h` with inputs constant over the step, and returns how
/// many neurons it stepped (a multiple of [`LANES`]; zero when the model or the method has no
/// block step). The caller steps the rest one by one, and any neuron of a block whose step
/// fails is left unchanged and counted as not stepped, so that the caller's scalar step
/// reports it exactly as before.
pub(super) fn step_blocks<M: NeuronModel, S: Stepper<M>>(
    state: &mut [f64],
    inputs: &[f64],
    len: usize,
    stepper: &mut S,
    m: &M,
    t: f64,
    h: f64,
) -> usize {
    if !M::HAS_LANES || !stepper.supports_lanes() || len < LANES {
        return 0;
    }
    match path() {
        Path::Scalar => 0,
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `path` chose AVX2 only where the processor has it.
        Path::Avx2 => unsafe { step_blocks_avx2(state, inputs, len, stepper, m, t, h) },
        _ => step_blocks_generic(state, inputs, len, stepper, m, t, h),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn step_blocks_avx2<M: NeuronModel, S: Stepper<M>>(
    state: &mut [f64],
    inputs: &[f64],
    len: usize,
    stepper: &mut S,
    m: &M,
    t: f64,
    h: f64,
) -> usize {
    step_blocks_generic(state, inputs, len, stepper, m, t, h)
}

#[inline(always)]
fn step_blocks_generic<M: NeuronModel, S: Stepper<M>>(
    state: &mut [f64],
    inputs: &[f64],
    len: usize,
    stepper: &mut S,
    m: &M,
    t: f64,
    h: f64,
) -> usize {
    let (n, ni) = (M::State::LEN, M::Inputs::LEN);
    let zero = Block::splat(0.0);
    let mut x = vec![zero; n];
    let mut u = vec![zero; ni];
    let mut scratch = vec![zero; LANE_SCRATCH * n];
    let blocks = len / LANES;
    for b in 0..blocks {
        let j = b * LANES;
        for (v, xv) in x.iter_mut().enumerate() {
            *xv = Block::load(&state[v * len + j..]);
        }
        for (i, ui) in u.iter_mut().enumerate() {
            *ui = Block::load(&inputs[i * len + j..]);
        }
        if stepper.step_lanes(m, t, h, &mut x, &u, &mut scratch).is_err() {
            return j;
        }
        for (v, xv) in x.iter().enumerate() {
            xv.store(&mut state[v * len + j..]);
        }
    }
    blocks * LANES
}
