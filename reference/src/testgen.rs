//! The one generator of inputs for the reference's no-panic and property
//! tests, unit and integration alike: xorshift64 (Marsaglia, shifts 13, 7,
//! 17) from a fixed seed, so every failure reproduces from the seed the
//! test names.
//!
//! Not part of the API: hidden from the docs and public only so that the
//! integration tests in `tests/` can use it. Keys and nonces of the
//! OpenPGP tests come from a seeded ChaCha20 (`rand_chacha`), which is a
//! cryptographic RNG for key generation, not an input generator.
//!
//! - [`Gen::bytes`] and [`Gen::string`]: inputs made of pieces of an
//!   alphabet (the grammar's own tokens, so the parsers reach deep states).
//! - [`Gen::stream`]: raw octets, for `arbitrary::Unstructured` to read.

/// Multiplier that spreads a small case number over the 64 bits of a seed
/// (2^64 divided by the golden ratio).
const SPREAD: u64 = 0x9E37_79B9_7F4A_7C15;

/// The multiplier of Vigna's xorshift64*: the high bits of the state times
/// it are better mixed than the state's own, so [`Gen::byte`] takes the top
/// octet of the product.
const STAR: u64 = 0x2545_F491_4F6C_DD1D;

/// A deterministic generator; the same seed always gives the same values.
#[derive(Debug, Clone)]
pub struct Gen(u64);

impl Gen {
    /// A generator from a fixed 64-bit seed (0, which xorshift cannot leave,
    /// stands for [`SPREAD`]).
    pub fn new(seed: u64) -> Self {
        Self(if seed == 0 { SPREAD } else { seed })
    }

    /// A generator for case number `case` of a numbered loop: small,
    /// consecutive numbers give unrelated streams.
    pub fn for_case(case: u64) -> Self {
        Self::new(case.wrapping_mul(SPREAD) | 1)
    }

    /// The next 64-bit state.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// One octet: the top octet of the next state times [`STAR`].
    pub fn byte(&mut self) -> u8 {
        (self.next_u64().wrapping_mul(STAR) >> 56) as u8
    }

    /// `len` raw octets (what `arbitrary::Unstructured` reads).
    pub fn stream(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.byte()).collect()
    }

    /// 0 to `max` pieces of `alphabet`, each drawn alone, concatenated.
    pub fn bytes(&mut self, alphabet: &[&[u8]], max: u64) -> Vec<u8> {
        let n = self.next_u64() % (max + 1);
        let mut out = Vec::new();
        for _ in 0..n {
            out.extend_from_slice(alphabet[self.index(alphabet.len())]);
        }
        out
    }

    /// 0 to `max` pieces of `alphabet`, as [`Gen::bytes`].
    pub fn string(&mut self, alphabet: &[&str], max: u64) -> String {
        let n = self.next_u64() % (max + 1);
        (0..n)
            .map(|_| alphabet[self.index(alphabet.len())])
            .collect()
    }

    /// An index below `len` (`len` > 0).
    fn index(&mut self, len: usize) -> usize {
        (self.next_u64() % len as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_seeds_give_fixed_values() {
        // xorshift64 (13, 7, 17) from 1: the recurrence, worked by hand.
        let mut g = Gen::new(1);
        assert_eq!(g.next_u64(), 0x4082_2041);
        assert_eq!(g.next_u64(), 0x1000_4106_0C01_1441);
        assert_eq!(g.next_u64(), 0x9B1E_842F_6E86_2629);
        assert_eq!(Gen::for_case(7).stream(64), Gen::for_case(7).stream(64));
        assert_ne!(Gen::for_case(7).stream(64), Gen::for_case(8).stream(64));
        assert_eq!(Gen::new(0).next_u64(), Gen::new(SPREAD).next_u64());
    }

    #[test]
    fn pieces_stay_in_bounds() {
        let mut g = Gen::new(0x2545_F491_4F6C_DD1D);
        let mut longest = 0;
        for _ in 0..1000 {
            let s = g.string(&["ab", "c"], 5);
            assert!(s.len() <= 10);
            longest = longest.max(s.len());
            assert!(g.bytes(&[b"xyz"], 3).len() <= 9);
        }
        assert!(longest >= 9, "the generator never reached five pieces");
    }
}
