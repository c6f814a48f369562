//! Deterministic input generator (splitmix64) shared by the crate's unit tests, integration
//! tests and the vector generator, so the vectors stay reproducible from one definition. Not
//! used by the program (fat LTO drops it from the SBPF build).

/// splitmix64: `state += 0x9E3779B97F4A7C15`, then the standard output mix.
#[derive(Clone, Debug)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    /// The next 64 random bits. (Not an `Iterator`: the stream never ends and callers mix
    /// `next`, `any` and `below` draws.)
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A u64 of random bit length (log-uniform-ish): edge magnitudes show up often.
    pub fn any(&mut self) -> u64 {
        let v = self.next();
        v >> (self.next() % 64)
    }

    /// Uniform-ish in `[0, n)` (modulo bias is irrelevant for tests); `n = 0` gives any u64.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return self.next();
        }
        self.next() % n
    }
}
