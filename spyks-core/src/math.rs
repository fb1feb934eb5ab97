//! Fast f64 `exp`, `exp_m1`, `ln`, `tanh`, `cosh` and `sinh` for generated model code.
//!
//! The model macros emit calls to these functions instead of `f64::exp` and friends: a
//! neuron model's derivative is mostly rate functions, and through std each is a call into
//! the platform's libm (glibc's `tanh` calls `expm1`, so two calls), which the compiler can
//! neither inline nor interleave with the rest of the derivative (every vector register is
//! caller-saved, so live values are spilled around each call), nor vectorise when a
//! population evaluates many neurons at once. Here every function is `#[inline(always)]` in
//! optimised builds (in unoptimised ones, where inlining only adds the callee's locals to the
//! caller's frame, a plain call: a 400-variable model's Jacobian would overflow the stack),
//! branch-free (special cases are selects on comparisons, no early returns; the one branch,
//! `exp_m1`'s short form for |x| < [`EXP_M1_SMALL`], gives the same bits either way, and
//! blocks of lanes call the branch-free forms directly) and uses no fused multiply-add (the
//! baseline x86-64 target has none, and a software `fma` is slow).
//!
//! Why our own: no maintained crate gives this for f64 on stable Rust. `libm` is a port of
//! musl's scalar code with branches (not faster than the platform's); `sleef` (the Rust port)
//! needs nightly `portable_simd`; `sleef-sys` builds and links C; the fast-math crates found
//! are f32-only or need AVX2/FMA at compile time.
//!
//! # Method
//!
//! `exp` (and `cosh`, through it) reduces x = (64k + j)·ln 2/64 + r, |r| ≤ ln 2/128, with a
//! two-part ln 2 (Cody & Waite), and e^x = 2^k·T_j·e^r with T_j = 2^(j/64) from a 64-entry
//! table (1 KiB, with each entry's rounding error τ_j): the result is S + S·(τ_j + (e^r - 1))
//! with S = T_j·2^k exact and e^r - 1 a degree-5 minimax polynomial, so that only the last
//! addition rounds at the size of the result. The table is the one deliberate exception to
//! "vectorisable without gathers": without it, `exp` needs a degree-12 polynomial and was
//! measured 1.7 times slower than glibc's in latency (the integrators' stages are a chain of
//! dependent evaluations, so latency is what counts); with it, it is within 40 %.
//!
//! `exp_m1`, `tanh` and `sinh` need e^x - 1 without cancellation for small |x|, which the
//! table form does not give, so they reduce x = k·ln 2 + r, |r| ≤ ln 2/2 (no table), with the
//! rounding error c of r carried along, e^r - 1 - r = r²·g(r) with g a degree-10 minimax
//! polynomial (error 1.6e-19 in r²g), and assemble ((2^k - 1) + 2^k·r) + 2^k·(r²g + c·(1 + r)),
//! the rounding error of the first sum recovered (Fast2Sum) and added with the small terms.
//! For |x| < [`EXP_M1_SMALL`] (k = 0, so r = x, c = 0 and the scaling is exact) that is
//! x + x²·g(x) rounded once, which `exp_m1` and `tanh` compute directly, in a third of the
//! operations (the tests check that both forms have the same bits below the bound). The
//! exponential-Euler factor expm1(B·h)/B is nearly always there, and [`phi1_small`] gives it
//! without the division as h·φ₁(B·h), φ₁(x) = (e^x - 1)/x = 1 + x·g(x).
//!
//! For 2|x| above the bound, where e^y - 1 is at least 0.29 and at most 3.4 times smaller
//! than e^y, `tanh` takes u = expm1(2|x|) from `exp`'s table reduction instead: (S - 1) +
//! S·(τ_j + (e^r - 1)), S - 1 exact for S in [½, 2] and otherwise rounded once at the size of
//! the result (1.00 ulp at most, measured as `exp_m1`). Its chain of operations is a third
//! shorter than the general form's: as `exp_m1` it took 18 ns in a dependent chain instead of
//! 23, and Dormand-Prince on spyks' `nakl` (six `tanh` per evaluation) became 23 % faster.
//! `exp_m1` itself keeps the general form above the bound: in blocks of lanes, which cannot
//! branch per lane, the table form costs the short form's work as well (both, then a select),
//! and 4000 Hodgkin-Huxley neurons (two `expm1` per neuron) took 4 % longer with it (8 %
//! with a branch per block), while single Hodgkin-Huxley neurons gained nothing measurable.
//! For `tanh` blocks of lanes do branch, once per call and block: the short form only when a
//! lane needs it (Pospischil et al.'s cell, five `tanh` per neuron, 5 % faster in populations
//! than with both forms always).
//! From the forms of e^x - 1:
//!
//! - tanh(x) = u/(u + 2) with u = expm1(2|x|) ≥ 0 (every term positive; the relative error of u
//!   is attenuated by 2/(u + 2)), the sign copied from x;
//! - sinh(x) = v + v/(2v + 1), v = (e^|x| - 1)/2, every term positive; cosh(x) = E + ¼/E with
//!   E = e^|x|/2.
//!
//! `ln` splits x = 2^k·m with m ∈ [√½, √2), and with f = m - 1, s = f/(2 + f) evaluates
//! ln m = f - (f²/2 - s·(f²/2 + R)) (the arrangement of fdlibm's `log`) with R = s²·P(s²), P a
//! degree-6 minimax polynomial (error below 3e-19); subnormal x is scaled by 2^54 first.
//! All coefficients were fitted for this module (Remez exchange in 60-digit arithmetic).
//!
//! # Accuracy
//!
//! The largest error found, in ulp of the exact value (computed with 40 digits, at 80 000
//! points per function: uniform over |x| ≤ 50, over the whole finite range, and log-uniform
//! down to 2^-60), and the largest distance from std (glibc, itself within about half an
//! ulp) that the tests (`math/tests.rs`, some 336 000 points per function with the thresholds
//! and every multiple of ln 2/2 up to ±30) assert:
//!
//! | function | largest error (ulp) | tests assert (ulp from std) |
//! |---|---|---|
//! | `exp` | 0.72 | 1 |
//! | `exp_m1` | 0.99 | 2 |
//! | `ln` | 0.75 | 1 |
//! | `tanh` | 2.23 (near 0.06: the rounding of u + 2) | 2 |
//! | `cosh` | 0.99 | 2 |
//! | `sinh` | 1.69 | 2 |
//!
//! Speed (one core, baseline x86-64; independent calls / a dependent chain): on an AMD EPYC
//! (Zen 3, 2.45 GHz), `exp_m1` 9.4 / 23 ns against glibc's 9.3 / 23, `tanh` 12.4 / 26.6
//! against 15.2 / 40.7 (12.7 / 28.9 with the general form above the bound); on an earlier
//! machine, `sinh` 7.5 / 25 against 9.1 / 31, `cosh` 4.1 / 18 against 4.7 / 16, `exp` 4.1 / 16
//! against 3.8 / 11 (glibc's `exp` uses fused multiply-adds, chosen at run time), `ln` 5.4 / 20
//! against 3.7 / 13. `ln` is used once per adaptive step (the step-size controller) and rarely
//! by models.
//!
//! Overflow gives +∞ (−∞ for `sinh`), underflow 0 (through the subnormals, rounded once), NaN
//! gives NaN, `exp(-∞) = 0`, `exp_m1(-∞) = -1`, `tanh(±∞) = ±1`, signed zeros are kept,
//! `ln(0) = -∞`, `ln(x < 0) = NaN`, `ln(+∞) = +∞`, as std.

/// log₂ e.
pub(crate) const LOG2E: f64 = std::f64::consts::LOG2_E;
/// ln 2 to 32 significant bits (fdlibm's split): k·LN2_HI is exact for |k| < 2^21.
pub(crate) const LN2_HI: f64 = f64::from_bits(0x3FE6_2E42_FEE0_0000);
/// ln 2 - LN2_HI.
pub(crate) const LN2_LO: f64 = f64::from_bits(0x3DEA_39EF_3579_3C76);
/// 1.5·2^52: adding and subtracting it rounds to the nearest integer (for |y| < 2^51), and
/// the integer is in the low bits of the sum.
pub(crate) const SHIFT: f64 = 6_755_399_441_055_744.0;

/// Minimax coefficients of g(r) = (e^r - 1 - r)/r² on |r| ≤ ln 2 / 2, degree 10, for `exp_m1`,
/// `tanh` and `sinh` (Remez exchange in 60-digit arithmetic; largest error 1.4e-18 in g,
/// 1.6e-19 in r²g).
pub(crate) const G: [f64; 11] = [
    0.5,
    0.1666666666666667,
    0.041666666666666685,
    0.008333333333326141,
    0.0013888888888874409,
    0.00019841269874802182,
    2.4801587347313884e-05,
    2.755725542384572e-06,
    2.7557252937264853e-07,
    2.5105207087608074e-08,
    2.0921580965056646e-09,
];

/// Minimax coefficients of P(z) with ln((1+s)/(1-s)) = 2s + s·z·P(z), z = s², for
/// |s| ≤ (√2 - 1)/(√2 + 1), degree 6 (Remez exchange; largest error of s·z·P 2.4e-19).
const P: [f64; 7] = [
    0.666666666666681,
    0.39999999999014696,
    0.285714288184077,
    0.22222191653915035,
    0.1818389089005268,
    0.1530633940898566,
    0.14868000107532653,
];

/// 2^k for -1022 ≤ k ≤ 1023 (built from the exponent bits; 2^1024 gives +∞).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn pow2i(k: i64) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// `lo` if x < lo, `hi` if x > hi, else x; NaN stays NaN (its comparisons are false).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn clamp_keep_nan(x: f64, lo: f64, hi: f64) -> f64 {
    let x = if x > hi { hi } else { x };
    if x < lo { lo } else { x }
}

/// The reduction x = k·ln 2 + r + c (see the module docs), for |x| < 2^20: returns (k, r, c,
/// r²·g(r)), where e^(r + c) = 1 + (r + (r²g + c·(1 + r))) to well below an ulp.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn reduce(x: f64) -> (i64, f64, f64, f64) {
    let y = x * LOG2E + SHIFT;
    let kf = y - SHIFT;
    let k = (y.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    // x - kf·LN2_HI is exact (kf·LN2_HI is, and they are within a factor 2 when kf ≠ 0);
    // c is the rounding error of r (Fast2Sum).
    let hi = x - kf * LN2_HI;
    let lo = kf * LN2_LO;
    let r = hi - lo;
    let c = (hi - r) - lo;
    (k, r, c, r2g(r))
}

/// r²·g(r) = e^r - 1 - r (to 1.6e-19) for |r| ≤ ln 2 / 2.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn r2g(r: f64) -> f64 {
    (r * r) * g_poly(r)
}

/// g(r) = (e^r - 1 - r)/r² (to 1.4e-18) for |r| ≤ ln 2 / 2.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn g_poly(r: f64) -> f64 {
    // Estrin's scheme: short dependency chains, so calls overlap.
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let g01 = G[0] + G[1] * r;
    let g23 = G[2] + G[3] * r;
    let g45 = G[4] + G[5] * r;
    let g67 = G[6] + G[7] * r;
    let g89 = G[8] + G[9] * r;
    (g01 + r2 * g23) + r4 * (g45 + r2 * g67) + r8 * (g89 + r2 * G[10])
}

/// φ₁(x) = (e^x - 1)/x for |x| < [`EXP_M1_SMALL`] (1 at 0), as 1 + x·g(x): the factor
/// exponential Euler needs, expm1(B·h)/(B·h), without a division and without cancellation.
/// Within an ulp or so of the exact value (the tests bound it by 2 against its series);
/// meaningless for larger |x|.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn phi1_small(x: f64) -> f64 {
    1.0 + x * g_poly(x)
}

/// 2^(j/64) for j = 0…63, rounded to double (bit patterns), for `exp`'s table reduction.
pub(crate) const EXP_T: [u64; 64] = [
    0x3FF0000000000000,
    0x3FF02C9A3E778061,
    0x3FF059B0D3158574,
    0x3FF0874518759BC8,
    0x3FF0B5586CF9890F,
    0x3FF0E3EC32D3D1A2,
    0x3FF11301D0125B51,
    0x3FF1429AAEA92DE0,
    0x3FF172B83C7D517B,
    0x3FF1A35BEB6FCB75,
    0x3FF1D4873168B9AA,
    0x3FF2063B88628CD6,
    0x3FF2387A6E756238,
    0x3FF26B4565E27CDD,
    0x3FF29E9DF51FDEE1,
    0x3FF2D285A6E4030B,
    0x3FF306FE0A31B715,
    0x3FF33C08B26416FF,
    0x3FF371A7373AA9CB,
    0x3FF3A7DB34E59FF7,
    0x3FF3DEA64C123422,
    0x3FF4160A21F72E2A,
    0x3FF44E086061892D,
    0x3FF486A2B5C13CD0,
    0x3FF4BFDAD5362A27,
    0x3FF4F9B2769D2CA7,
    0x3FF5342B569D4F82,
    0x3FF56F4736B527DA,
    0x3FF5AB07DD485429,
    0x3FF5E76F15AD2148,
    0x3FF6247EB03A5585,
    0x3FF6623882552225,
    0x3FF6A09E667F3BCD,
    0x3FF6DFB23C651A2F,
    0x3FF71F75E8EC5F74,
    0x3FF75FEB564267C9,
    0x3FF7A11473EB0187,
    0x3FF7E2F336CF4E62,
    0x3FF82589994CCE13,
    0x3FF868D99B4492ED,
    0x3FF8ACE5422AA0DB,
    0x3FF8F1AE99157736,
    0x3FF93737B0CDC5E5,
    0x3FF97D829FDE4E50,
    0x3FF9C49182A3F090,
    0x3FFA0C667B5DE565,
    0x3FFA5503B23E255D,
    0x3FFA9E6B5579FDBF,
    0x3FFAE89F995AD3AD,
    0x3FFB33A2B84F15FB,
    0x3FFB7F76F2FB5E47,
    0x3FFBCC1E904BC1D2,
    0x3FFC199BDD85529C,
    0x3FFC67F12E57D14B,
    0x3FFCB720DCEF9069,
    0x3FFD072D4A07897C,
    0x3FFD5818DCFBA487,
    0x3FFDA9E603DB3285,
    0x3FFDFC97337B9B5F,
    0x3FFE502EE78B3FF6,
    0x3FFEA4AFA2A490DA,
    0x3FFEFA1BEE615A27,
    0x3FFF50765B6E4540,
    0x3FFFA7C1819E90D8,
];

/// `(2^(j/64) - EXP_T[j]) / EXP_T[j]`: the relative rounding error of each table entry.
pub(crate) const EXP_TAIL: [f64; 64] = [
    0.0,
    -1.507066976926039e-17,
    4.9997448722726326e-17,
    7.357846871247418e-18,
    8.189317638195515e-17,
    1.6665881442326747e-18,
    -7.402825309426177e-17,
    -6.170654745608695e-17,
    -2.7939114859515733e-17,
    4.776959425256223e-17,
    9.341710609905046e-17,
    4.585670326662351e-17,
    7.826573258636076e-17,
    2.823784425951061e-17,
    3.2904726646008416e-17,
    4.721368121170128e-17,
    3.3484623336251524e-17,
    5.527550048505249e-17,
    -6.346552106729483e-17,
    -1.5456342819397733e-17,
    3.750854201303127e-17,
    -5.346099009198751e-18,
    2.1023049675215714e-18,
    1.3357510088834541e-17,
    1.9572585293112036e-17,
    -5.478069123926778e-17,
    -2.1571477251208752e-17,
    6.663804589232195e-17,
    5.68648095791174e-17,
    7.007875046906994e-17,
    -4.8923067513522756e-17,
    -6.872303720902018e-17,
    -6.835808657661922e-17,
    -8.416011634717156e-18,
    -2.092304381843353e-17,
    -3.833464968654295e-17,
    -2.3591094770850053e-17,
    9.50689710108796e-18,
    -6.735219232374683e-17,
    -7.226635472101257e-17,
    5.1548301170786783e-17,
    2.4253985766689806e-17,
    -6.432131775424189e-18,
    -6.336161863401293e-17,
    1.5341410053603723e-17,
    -4.123367330661149e-17,
    -6.152602891550265e-17,
    3.540948262646183e-17,
    4.875160526227062e-17,
    -4.719539664590972e-18,
    -1.0772487078934056e-17,
    1.821405440362259e-17,
    1.685487290628973e-17,
    3.621615935336894e-17,
    1.01562190116415e-17,
    -5.495118966122005e-17,
    1.790126907604513e-17,
    5.265370768556274e-17,
    -3.266924100901318e-17,
    1.7963932659833022e-17,
    -5.545065618639427e-17,
    5.336805878514151e-17,
    4.5784915277060095e-17,
    2.0414278897578303e-17,
];

/// Minimax coefficients of (e^r - 1 - r)/r² on |r| ≤ ln 2 / 128, degree 3 (Remez exchange;
/// largest error 1.5e-13 in the quotient, 4.4e-18 in e^r - 1).
pub(crate) const E: [f64; 4] = [0.4999999999998506, 0.16666666666658134, 0.04166670740334075, 0.008333342061741463];

/// e^x · 2^s (s = 0 or -1, for cosh), for x already clamped to [-746, 711], by the table
/// reduction x = (64k + j)·ln 2/64 + r, |r| ≤ ln 2/128: e^x = 2^k · 2^(j/64) · e^r. With the
/// table entry T and its relative tail τ, the result is S + S·(τ + (e^r - 1)) with S = T·2^k
/// (exactly), so that the only rounding at the size of the result is the last addition.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn exp_scaled(x: f64, s: i64) -> f64 {
    let (k, t, tmp) = table_reduce(x);
    // The power of two in two exact halves: S stays normal, so a subnormal result is rounded
    // once (by the last product), and 2^1024·T·e^r (just below the largest double) is reached.
    let k = k + s;
    let k1 = k >> 1;
    let sc = f64::from_bits(t.wrapping_add((k1 as u64) << 52));
    (sc + sc * tmp) * pow2i(k - k1)
}

/// The table reduction of `exp` and `expm1_table`: x = (64k + j)·ln 2/64 + r, |r| ≤ ln 2/128,
/// for x within [-746, 711]. Returns k, the bits of the table entry T = 2^(j/64) and
/// τ_j + (e^r - 1), τ_j the entry's relative rounding error (so that e^x = 2^k·T·(1 + that)).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn table_reduce(x: f64) -> (i64, u64, f64) {
    let y = x * (64.0 * LOG2E) + SHIFT;
    let kd = y - SHIFT;
    let ki = (y.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    // Exact: kd·LN2_HI/64 has at most 49 significant bits and x is within ln 2/128 of it.
    let r = (x - kd * (LN2_HI / 64.0)) - kd * (LN2_LO / 64.0);
    let j = (ki & 63) as usize;
    // τ + (e^r - 1), summed so that the dependency chain from r is short (Estrin's scheme).
    let r2 = r * r;
    let tmp = ((EXP_TAIL[j] + r) + r2 * (E[0] + r * E[1])) + (r2 * r2) * (E[2] + r * E[3]);
    (ki >> 6, EXP_T[j], tmp)
}

/// (e^x - 1)·2^s for x clamped to [-45, 710.5] and s ≤ 0 with k + s ≤ 1023 (s = -1 up to
/// 709.8, s = -2 up to 710.5).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn expm1_scaled(x: f64, s: i64) -> f64 {
    let (k, r, c, q) = reduce(x);
    let t = pow2i(k + s);
    // 2^(k+s) - 2^s is exact for k ≤ 53 and rounds harmlessly beyond; 2^(k+s)·r is exact.
    // Their sum is rounded, and its rounding error `e` recovered (Fast2Sum: |2^k - 1| ≥
    // |2^k·r| for every k) and added with the small terms, so that only the last addition
    // rounds at the size of the result.
    let a = t - pow2i(s);
    let b = t * r;
    let hi = a + b;
    let e = (a - hi) + b;
    hi + (t * (q + c * (1.0 + r)) + e)
}

/// (e^x - 1) for x clamped to [-45, 709.8], by `exp`'s table reduction: with S = 2^k·T the
/// power of two and table entry, e^x - 1 = (S - 1) + S·(τ + (e^r - 1)). S - 1 is exact for
/// S in [½, 2] (Sterbenz) and otherwise rounded once at the size of the result, which for
/// |x| ≥ [`EXP_M1_SMALL`] is at least 0.29 and at most 3.4 times smaller than S: about an ulp
/// in all, and a third shorter in latency than the reduction without a table (the chain of a
/// degree-5 polynomial instead of a degree-12 one). Computed at half scale and doubled
/// (exactly, or to +∞ past 709.78), so that S/2 stays finite up to the overflow. Meaningless
/// for |x| below the bound, where S - 1 cancels.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn expm1_table(x: f64) -> f64 {
    let (k, t, tmp) = table_reduce(x);
    // S/2 = T·2^(k-1): normal for k ≥ -65 (x ≥ -45), finite for k ≤ 1024.
    let half = f64::from_bits(t.wrapping_add(((k - 1) as u64) << 52));
    2.0 * ((half - 0.5) + half * tmp)
}

/// e^x, within 1 ulp. See the [module docs](self).
///
/// ```
/// assert_eq!(spyks_core::math::exp(0.0), 1.0);
/// assert!((spyks_core::math::exp(1.0) - std::f64::consts::E).abs() <= f64::EPSILON * 3.0);
/// ```
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn exp(x: f64) -> f64 {
    // e^710 overflows and e^-746 underflows to 0 after the scaling: clamping there keeps k in
    // range without changing the result.
    exp_scaled(clamp_keep_nan(x, -746.0, 710.0), 0)
}

/// e^x - 1, accurate also for small |x|, within 2 ulp. See the [module docs](self).
///
/// ```
/// let x = 1e-10;
/// assert!((spyks_core::math::exp_m1(x) - x.exp_m1()).abs() <= 2.0 * f64::EPSILON * x);
/// ```
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn exp_m1(x: f64) -> f64 {
    // The branch is taken the same way call after call where models call it (the
    // exponential-Euler factor expm1(B·h) is small at nearly every step). Blocks of lanes do
    // not branch here (`F64s::exp_m1` is `exp_m1_any` lane by lane); exponential Euler's block
    // step tests the whole block once and calls `Real::phi1_small`.
    if x.abs() < EXP_M1_SMALL { exp_m1_small(x) } else { exp_m1_any(x) }
}

/// Below this |x|, [`exp_m1`]'s reduction has k = 0 (|x·log₂e| < ½: the sum with `SHIFT`
/// rounds to `SHIFT`), r = x and c = 0, and its result is x + r²·g(r) rounded once (the
/// halving and doubling around it are exact), which it then computes directly, in a third
/// of the operations ([`tanh`] too). Above it, `tanh` takes `exp`'s table reduction (see the
/// [module docs](self)). Below it too, [`phi1_small`] gives (e^x - 1)/x from the same
/// polynomial.
pub const EXP_M1_SMALL: f64 = 0.3465;

/// [`exp_m1`] for |x| < [`EXP_M1_SMALL`], bit for bit [`exp_m1_any`] there (the tests
/// compare them), without the reduction and the scaling.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn exp_m1_small(x: f64) -> f64 {
    tiny_is_x(x, x + r2g(x))
}

/// [`exp_m1`] for any x, branch-free.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn exp_m1_any(x: f64) -> f64 {
    // Below -45, e^x - 1 rounds to -1. Computed at half scale and doubled (exactly, or to
    // +∞ past 709.78), so that 2^k stays finite up to the overflow.
    tiny_is_x(x, 2.0 * expm1_scaled(clamp_keep_nan(x, -45.0, 709.8), -1))
}

/// `exp_m1`'s result `y` at x, or x itself below 1e-17, where e^x - 1 = x to rounding: this
/// also keeps -0 (x + 0 would give +0) and subnormals exact. One rule for both forms, whose
/// bits must agree.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn tiny_is_x(x: f64, y: f64) -> f64 {
    if x.abs() < 1e-17 { x } else { y }
}

/// The hyperbolic tangent, within 2.2 ulp (measured). See the [module docs](self).
///
/// ```
/// assert_eq!(spyks_core::math::tanh(-30.0), -1.0);
/// assert!((spyks_core::math::tanh(0.5) - 0.5f64.tanh()).abs() <= f64::EPSILON);
/// ```
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn tanh(x: f64) -> f64 {
    // tanh(20) rounds to 1; clamping there keeps expm1 finite.
    let y = tanh_y(x);
    // expm1(y), branch-free (both forms, then a select).
    let (small, large) = (tanh_small_u(y), expm1_table(y));
    tanh_from(x, if y < EXP_M1_SMALL { small } else { large })
}

// The pieces of `tanh`, for blocks of lanes (`F64s::tanh`), which compute the short form
// only when a lane of the block needs it: the same bits, lane by lane.

/// y = 2|x|, clamped to [0, 40] (NaN stays NaN).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn tanh_y(x: f64) -> f64 {
    2.0 * clamp_keep_nan(x.abs(), 0.0, 20.0)
}

/// expm1(y) for y < [`EXP_M1_SMALL`] (the short form).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn tanh_small_u(y: f64) -> f64 {
    y + r2g(y)
}

/// tanh(x) from u = expm1(2|x|).
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub(crate) fn tanh_from(x: f64, u: f64) -> f64 {
    // Every term positive: the relative error of u is attenuated by 2/(u + 2). Dividing out
    // the rounding of u + 2 as well (Fast2Sum) would take the largest error from 2.15 to
    // 1.83 ulp, but costs 30 % more time per call (measured): not worth it here.
    (u / (u + 2.0)).copysign(x)
}

/// The hyperbolic cosine, within 2 ulp. See the [module docs](self).
///
/// ```
/// assert_eq!(spyks_core::math::cosh(0.0), 1.0);
/// ```
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn cosh(x: f64) -> f64 {
    // e^|x|/2 is finite up to |x| ≈ 710.48; 711 already overflows.
    let e = exp_scaled(clamp_keep_nan(x.abs(), 0.0, 711.0), -1);
    e + 0.25 / e
}

/// The hyperbolic sine, within 2 ulp. See the [module docs](self).
///
/// ```
/// assert_eq!(spyks_core::math::sinh(-0.0).to_bits(), (-0.0f64).to_bits());
/// ```
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn sinh(x: f64) -> f64 {
    let a = x.abs();
    // With v = (e^a - 1)/2, sinh a = v + v/(2v + 1), every term positive; computed as twice
    // that with w = v/2 so that 2^k stays finite up to the overflow at 710.48 (4w + 1 = e^a
    // may overflow first, leaving 2w, right there).
    let w = expm1_scaled(clamp_keep_nan(a, 0.0, 710.5), -2);
    let y = 2.0 * (w + w / (4.0 * w + 1.0));
    // Below 1e-8, sinh x = x to rounding (x³/6 is below half an ulp); halving a subnormal
    // inside v would lose it.
    if a < 1e-8 { x } else { y.copysign(x) }
}

/// The natural logarithm, within 1 ulp. See the [module docs](self).
///
/// ```
/// assert_eq!(spyks_core::math::ln(1.0), 0.0);
/// assert_eq!(spyks_core::math::ln(0.0), f64::NEG_INFINITY);
/// assert!(spyks_core::math::ln(-1.0).is_nan());
/// ```
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn ln(x: f64) -> f64 {
    // Subnormals (and 0, negatives, which are replaced below) are scaled into the normal range.
    let sub = x < f64::MIN_POSITIVE;
    let xs = if sub { x * f64::from_bits(0x4350_0000_0000_0000) } else { x }; // 2^54
    // x = 2^k·m with m ∈ [√½, √2): subtracting √½'s bits moves the binade boundary there.
    let ix = xs.to_bits();
    let tmp = ix.wrapping_sub(0x3FE6_A09E_667F_3BCD);
    let k = ((tmp as i64) >> 52) - if sub { 54 } else { 0 };
    let m = f64::from_bits(ix.wrapping_sub(tmp & (0xFFF << 52)));
    let f = m - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    let z2 = z * z;
    let z4 = z2 * z2;
    let p = (P[0] + z * P[1]) + z2 * (P[2] + z * P[3]) + z4 * ((P[4] + z * P[5]) + z2 * P[6]);
    let r = z * p;
    let hfsq = 0.5 * f * f;
    let kf = k as f64;
    let y = kf * LN2_HI + (f - (hfsq - (s * (hfsq + r) + kf * LN2_LO)));
    // ln(+∞) = +∞ and NaN stays NaN (both pass through); ln 0 = -∞; ln(x < 0) = NaN.
    let y = if x == 0.0 { f64::NEG_INFINITY } else { y };
    let y = if x < 0.0 { f64::NAN } else { y };
    if x.is_nan() || x == f64::INFINITY { x } else { y }
}

#[cfg(test)]
#[path = "math/tests.rs"]
pub(crate) mod tests;
