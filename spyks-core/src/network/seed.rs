//! Random streams derived from the network's seed.
//!
//! Every random quantity of a network draws from its own stream, determined by the seed and
//! by what it is for (a purpose tag, a population or projection number, a chunk or variable
//! number), never by a thread: results do not depend on the number of threads. A stream is a
//! `Xoshiro256PlusPlus` seeded with a SplitMix64 hash of these numbers.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// What a stream is used for (part of its key, so that streams for different purposes never
/// coincide).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Initial values and per-neuron parameters.
    Init = 1,
    /// The integrator of a chunk of neurons (noise).
    Stepper = 2,
    /// Connectivity, weights and delays of a projection.
    Connect = 3,
    /// A spike source.
    Source = 4,
    /// A plasticity rule or another user extension.
    User = 5,
    /// A current drive of a population's input (noise currents).
    Drive = 6,
}

/// One round of SplitMix64 (Steele, Lea & Flood 2014): a bijective 64-bit mixer.
#[inline]
pub fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The 64-bit seed of the stream for (`seed`, `purpose`, `a`, `b`).
pub fn stream_seed(seed: u64, purpose: Purpose, a: u64, b: u64) -> u64 {
    let mut h = splitmix64(seed);
    h = splitmix64(h ^ purpose as u64);
    h = splitmix64(h ^ a);
    splitmix64(h ^ b.rotate_left(17))
}

/// The stream for (`seed`, `purpose`, `a`, `b`).
pub fn stream(seed: u64, purpose: Purpose, a: u64, b: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(stream_seed(seed, purpose, a, b))
}

/// A stable 64-bit hash of a name (FNV-1a), to key streams by variable name.
pub fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}
