//! The update of a population's chunk: the synaptic inputs computed first, receptor by
//! receptor; then integration (in blocks of lanes where the model and the method allow it),
//! and the neurons that fired or failed.

use super::{Chunk, Receptor, Resolved, non_finite};
use crate::error::SimError;
use crate::integrate::Stepper;
use crate::model::NeuronModel;
use crate::network::aligned::AlignedVec;
use crate::network::error::NetworkError;
use crate::vector::Vector;

/// The step a chunk update makes: from `t` by `h`, ending step number `step_end` (counted from
/// 1), in a network of time step `dt`, in the population called `name`.
#[derive(Clone, Copy)]
pub(super) struct Step<'a> {
    pub t: f64,
    pub h: f64,
    pub step_end: u64,
    pub dt: f64,
    pub name: &'a str,
}

/// The update of a chunk in two passes: the first (integrate, hold, clip, test) has no early
/// exit and no spike bookkeeping and can be compiled as one tight loop over the chunk's
/// arrays, the second handles the few neurons that fired or failed, in neuron order (a
/// failed step is reported before a non-finite state). Neurons with their own values of the
/// parameters `hetero` are stepped in blocks too when the model takes parameters from the
/// lanes; one at a time, each with a model set to its parameters.
///
/// The chunk's state is `state`, variable v of neuron j at `v * stride + j`.
///
/// With `synaptic`, the inputs are the chunk's `u0` (at the step's start) and `u1` (at its end,
/// for clip, threshold and reset) that [`synaptic_inputs`] computed, else the chunk's inputs.
/// Methods that read the inputs only at the step's start take `u0` as constant (and step in
/// blocks); the others get the inputs interpolated linearly from `u0` to `u1` within the step,
/// one neuron at a time.
pub(super) fn update_chunk<M: NeuronModel, S: Stepper<M>>(
    c: &mut Chunk<S>,
    state: &mut [f64],
    stride: usize,
    m: &M,
    hetero: &[usize],
    synaptic: bool,
    step: &Step,
) -> Result<(), NetworkError> {
    // The input arrays are moved out of the chunk for the update and always put back.
    let (start, end) = if synaptic {
        (std::mem::take(&mut c.u0), std::mem::take(&mut c.u1))
    } else {
        (std::mem::take(&mut c.inputs), AlignedVec::default())
    };
    let result = update_with_inputs(c, state, stride, m, hetero, &start, if synaptic { Some(&end[..]) } else { None }, step);
    if synaptic {
        (c.u0, c.u1) = (start, end);
    } else {
        c.inputs = start;
    }
    result
}

/// [`update_chunk`] with the inputs at the step's start, and at its end when they differ.
#[allow(clippy::too_many_arguments)]
fn update_with_inputs<M: NeuronModel, S: Stepper<M>>(
    c: &mut Chunk<S>,
    state: &mut [f64],
    stride: usize,
    m: &M,
    hetero: &[usize],
    inputs: &[f64],
    inputs_end: Option<&[f64]>,
    step: &Step,
) -> Result<(), NetworkError> {
    let Step { t, h, step_end, dt, name } = *step;
    let len = c.len;
    let end = inputs_end.unwrap_or(inputs);
    let t_next = t + h;
    c.periods_ended(step_end);
    let stepper = c.stepper.as_mut().expect("prepare builds the integrators");
    let interpolate = inputs_end.is_some() && !stepper.reads_inputs_at_start();
    // Whole blocks of neurons first, with packed instructions, when the model and the method
    // allow it (the same bits as the scalar step; blocks take their inputs as constants); the
    // rest one by one.
    c.flagged.clear();
    let arrays = crate::network::blocks::ChunkArrays {
        state: &mut *state,
        stride,
        inputs,
        // Only the user's inputs are known to be uniform (not those with synaptic currents).
        uniform_inputs: if inputs_end.is_some() { &[] } else { &c.uniform_inputs },
        inputs_end,
        refractory: &c.refractory,
        flags: &mut c.flags,
        flagged: &mut c.flagged,
        fired_blocks: &mut c.fired_blocks,
        hetero,
        params: &c.params,
        len,
    };
    let stepped = if interpolate { 0 } else { crate::network::blocks::step_blocks(arrays, stepper, m, t, h) };
    // For neurons with their own parameters, a clone of the model (made when a neuron needs
    // it) whose parameters are overwritten per neuron: it keeps the shared lookup tables,
    // which stay current while the per-neuron parameters are not theirs.
    let mut local = None;
    let mut failed: Option<(usize, SimError)> = None;
    for j in stepped..len {
        let mj = neuron_model(m, &mut local, hetero, &c.params, len, j);
        let mut x = M::State::load_strided(state, stride, j);
        // The held variables' values during a refractory period: those at the step's start.
        let start = x;
        let (u0, u) = (M::Inputs::load_strided(inputs, len, j), M::Inputs::load_strided(end, len, j));
        let stepped = if interpolate {
            stepper.step(mj, t, h, &mut x, &|s: f64| {
                let th = ((s - t) / h).clamp(0.0, 1.0);
                u0.zip_map(&u, |p, q| p + th * (q - p))
            })
        } else {
            stepper.step(mj, t, h, &mut x, &|_| u0)
        };
        if let Err(e) = stepped
            && failed.is_none()
        {
            failed = Some((j, e));
        }
        let refractory = step_end <= c.ref_until[j];
        if refractory {
            for &v in M::HELD {
                x.set_index(v, start.get_index(v).unwrap_or(0.0));
            }
        }
        mj.clip(t_next, &mut x, &u);
        let fire = M::HAS_THRESHOLD && !refractory && mj.threshold(t_next, &x, &u);
        c.flags[j] = u8::from(fire) | (u8::from(!x.all_finite()) << 1);
        if c.flags[j] != 0 {
            c.flagged.push(j as u32);
        }
        x.store_strided(state, stride, j);
    }
    if let Some((j, source)) = failed {
        return Err(NetworkError::Sim { context: format!("population `{name}`, neuron {}", c.start + j), source });
    }
    let flagged = std::mem::take(&mut c.flagged);
    for &j in &flagged {
        let j = j as usize;
        let f = c.flags[j];
        let mut x = M::State::load_strided(state, stride, j);
        if f & 2 != 0 {
            return Err(non_finite::<M>(&x, name, c.start + j, t_next));
        }
        let mj = neuron_model(m, &mut local, hetero, &c.params, len, j);
        let u = M::Inputs::load_strided(end, len, j);
        mj.reset(t_next, &mut x, &u);
        c.spiked(mj, j, step_end, dt);
        x.store_strided(state, stride, j);
    }
    c.flagged = flagged;
    Ok(())
}

/// The inputs of a chunk's neurons with the synaptic currents and conductances added, at the
/// step's start (`u0`) and end (`u1`), and the synaptic variables advanced over the step:
/// receptor after receptor on each input, as passes over the chunk (whose state is `state`, as
/// in [`update_chunk`]).
pub(super) fn synaptic_inputs<S>(c: &mut Chunk<S>, state: &[f64], stride: usize, receptors: &[Receptor], arrivals: &[&[f64]], dt: f64) {
    let len = c.len;
    c.u0.clear();
    c.u0.extend_from_slice(&c.inputs);
    c.u1.clear();
    c.u1.extend_from_slice(&c.inputs);
    for (r, rec) in receptors.iter().enumerate() {
        let (input, alpha, tau, conductance) = match rec.kind {
            Resolved::Jump { .. } => continue,
            Resolved::Current { input, alpha, tau } => (input, alpha, tau, None),
            Resolved::Conductance { input, alpha, tau, v, e_rev } => (input, alpha, tau, Some((v, e_rev))),
        };
        let arrived = &arrivals[r][c.start..c.start + len];
        let (s, x) = c.syn[2 * r * len..(2 * r + 2) * len].split_at_mut(len);
        let (u0, u1) = (&mut c.u0[input * len..(input + 1) * len], &mut c.u1[input * len..(input + 1) * len]);
        let k = Pass { decay: rec.decay, h_over_tau: dt / tau };
        let (v, e_rev) = match conductance {
            Some((v, e)) => (&state[v * stride..v * stride + len], e),
            None => (&[][..], 0.0),
        };
        let lanes = PassSlices { s, x, arrived, v, e_rev, u0, u1 };
        match (alpha, conductance.is_some()) {
            (false, false) => k.run::<false, false>(lanes),
            (true, false) => k.run::<true, false>(lanes),
            (false, true) => k.run::<false, true>(lanes),
            (true, true) => k.run::<true, true>(lanes),
        }
    }
}

/// One receptor's pass over a chunk in [`synaptic_inputs`], for each kind (alpha or
/// exponential, current or conductance) compiled on its own and without branches (selects in
/// their place) so that it vectorises: the arrivals added, s and x advanced, s·drive added to
/// the inputs at the start and the end of the step, for the neurons with anything in s or x
/// (the others keep their values: a −0 input stays −0).
struct Pass {
    decay: f64,
    h_over_tau: f64,
}

/// What a [`Pass`] reads and writes: the synaptic variables, the arrivals, the membrane
/// potential and reversal potential (conductances), the inputs at the step's start and end.
struct PassSlices<'a> {
    s: &'a mut [f64],
    x: &'a mut [f64],
    arrived: &'a [f64],
    v: &'a [f64],
    e_rev: f64,
    u0: &'a mut [f64],
    u1: &'a mut [f64],
}

/// [`Pass::body`] compiled for AVX-512F and for AVX2 (it is inlined into each), so that a
/// pass uses the widest packed instructions the processor has, as the block update does.
macro_rules! pass_for {
    ($name:ident, $feature:literal) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = $feature)]
        fn $name<const ALPHA: bool, const CONDUCTANCE: bool>(&self, lanes: PassSlices) {
            self.body::<ALPHA, CONDUCTANCE>(lanes)
        }
    };
}

impl Pass {
    pass_for!(run_avx512, "avx512f");
    pass_for!(run_avx2, "avx2");

    #[inline]
    fn run<const ALPHA: bool, const CONDUCTANCE: bool>(&self, lanes: PassSlices) {
        use crate::network::packed::{Path, path};
        match path() {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `path` chose AVX-512F only where the processor has it.
            Path::Avx512 => unsafe { self.run_avx512::<ALPHA, CONDUCTANCE>(lanes) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: as above, for AVX2.
            Path::Avx2 => unsafe { self.run_avx2::<ALPHA, CONDUCTANCE>(lanes) },
            _ => self.body::<ALPHA, CONDUCTANCE>(lanes),
        }
    }

    #[inline(always)]
    fn body<const ALPHA: bool, const CONDUCTANCE: bool>(&self, lanes: PassSlices) {
        let PassSlices { s, x, arrived, v, e_rev, u0, u1 } = lanes;
        // Every slice to the same length, so that the loop has no bounds checks and vectorises.
        let n = arrived.len();
        let (s, x, u0, u1) = (&mut s[..n], &mut x[..n], &mut u0[..n], &mut u1[..n]);
        let v = if CONDUCTANCE { &v[..n] } else { v };
        for j in 0..n {
            if ALPHA {
                x[j] += arrived[j];
            } else {
                s[j] += arrived[j];
            }
            let (s0, x0) = (s[j], x[j]);
            let active = s0 != 0.0 || x0 != 0.0;
            let (s1, x1) = propagate(s0, x0, ALPHA, self.decay, self.h_over_tau);
            s[j] = if active { s1 } else { s0 };
            x[j] = if active { x1 } else { x0 };
            let drive = if CONDUCTANCE { e_rev - v[j] } else { 1.0 };
            u0[j] = if active { u0[j] + s0 * drive } else { u0[j] };
            u1[j] = if active { u1[j] + s1 * drive } else { u1[j] };
        }
    }
}

/// The propagator of a synaptic variable over one step: (s, x) → (s', x') with
/// ds/dt = −s/τ + (e/τ)·x (alpha) or s alone (exponential), dx/dt = −x/τ.
#[inline]
fn propagate(s: f64, x: f64, alpha: bool, decay: f64, h_over_tau: f64) -> (f64, f64) {
    if alpha { (decay * (s + std::f64::consts::E * h_over_tau * x), decay * x) } else { (decay * s, 0.0) }
}

/// The model with neuron `j`'s parameters: `m` itself when the neurons share its parameters
/// (`hetero` empty), else `local` (a clone of `m`, made on first use) set to them (`params`:
/// one array of `len` per parameter in `hetero`).
#[inline]
fn neuron_model<'a, M: NeuronModel>(m: &'a M, local: &'a mut Option<M>, hetero: &[usize], params: &[f64], len: usize, j: usize) -> &'a M {
    if hetero.is_empty() {
        return m;
    }
    // A clone of `m` on first use: only the per-neuron entries change from neuron to neuron.
    let l = local.get_or_insert_with(|| m.clone());
    let p = l.params_mut();
    for (k, &pi) in hetero.iter().enumerate() {
        p.set_index(pi, params[k * len + j]);
    }
    l
}
