//! A tiny seeded PRNG (SplitMix64). Randomness is seeded via the options, so tests are
//! deterministic; the wasm shell seeds it from `crypto.getRandomValues`.

use std::time::Duration;

/// SplitMix64: fast, small, good enough for retry jitter and idempotency ids (not for secrets).
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in [0, 1).
    pub(crate) fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// The delay before retry number `attempt` (1 for the first) after `base`: RTB1a's backoff
    /// `min((attempt + 2) / 3, 2)` times RTB1b's jitter, a factor in (0.8, 1.0].
    pub(crate) fn retry_delay(&mut self, base: Duration, attempt: u32) -> Duration {
        let backoff = (f64::from(attempt.saturating_add(2)) / 3.0).min(2.0);
        let jitter = 1.0 - self.next_f64() * 0.2;
        base.mul_f64(backoff * jitter)
    }

    pub(crate) fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_is_deterministic_and_in_range() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
            let f = a.next_f64();
            assert!((0.0..1.0).contains(&f));
            b.next_f64();
        }
        let mut buf = [0u8; 9];
        a.fill(&mut buf);
        assert_ne!(buf, [0; 9]);
    }
}
