// SeededGenerator: the kit's own random numbers, identical on every platform and every run.
//
// Swift's `SystemRandomNumberGenerator` cannot be seeded, and platform generators differ, so
// lessons would print different numbers on macOS and Linux. This file implements xoshiro256**
// (Blackman and Vigna, 2018), seeded through SplitMix64, plus the few distributions the kit
// needs. Integer and uniform streams are bit-identical everywhere; normal samples go through
// `log`, `sin` and `cos` in Double precision, which every supported libm rounds the same way at
// Float precision in practice. Not cryptographic.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small, fast, seedable random number generator (xoshiro256**).
///
///     var rng = SeededGenerator(seed: 42)
///     rng.nextFloat()          // uniform in [0, 1)
///     rng.nextNormal()         // standard normal
///     Int.random(in: 0..<10, using: &rng)   // works with the standard library too
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)
    /// A second normal sample left over from the last Box–Muller pair.
    private var spareNormal: Double?

    /// A generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        // SplitMix64 spreads one 64-bit seed over the 256-bit state, so nearby seeds give
        // unrelated streams and the all-zero state (which xoshiro cannot leave) never occurs.
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The whole state, to save with a checkpoint: the four words of xoshiro256** and the bits of
    /// the spare normal sample (or of NaN when there is none). `init(savedState:)` restores it.
    public var savedState: [UInt64] {
        [state.0, state.1, state.2, state.3, (spareNormal ?? .nan).bitPattern]
    }

    /// A generator that continues exactly where the one that gave `savedState` was; nil when the
    /// list is not five words or is the all-zero state, which xoshiro cannot leave.
    public init?(savedState words: [UInt64]) {
        guard words.count == 5, words[0...3].contains(where: { $0 != 0 }) else { return nil }
        state = (words[0], words[1], words[2], words[3])
        let spare = Double(bitPattern: words[4])
        spareNormal = spare.isNaN ? nil : spare
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 24 random bits: every representable step of a Float in [0, 1).
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform in `[low, high)`.
    public mutating func nextFloat(in range: Range<Float>) -> Float {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextFloat()
    }

    /// A standard normal sample (mean 0, standard deviation 1) by the Box–Muller transform.
    ///
    /// Two uniforms u1, u2 give two independent normals `r cos θ` and `r sin θ` with
    /// `r = sqrt(-2 ln u1)` and `θ = 2π u2`; the second is kept for the next call.
    public mutating func nextNormal() -> Float {
        if let spare = spareNormal {
            spareNormal = nil
            return Float(spare)
        }
        var u1 = nextDouble()
        while u1 <= .leastNormalMagnitude { u1 = nextDouble() }  // ln(0) is -inf
        let u2 = nextDouble()
        let radius = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spareNormal = radius * sin(angle)
        return Float(radius * cos(angle))
    }

    /// A uniform integer in `0..<upperBound` without modulo bias (Lemire's method).
    public mutating func nextInt(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "SeededGenerator.nextInt(below:): the bound must be positive, got \(upperBound)")
        return Int(next(upperBound: UInt64(upperBound)))
    }
}
