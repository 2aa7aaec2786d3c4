// Exercise 05.5 (sampling.sample-index): draw a token from a distribution with one uniform
// random number. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter SampleIndexTests

import LabExercise

/// The token drawn by the uniform number `uniform`: inverse-CDF sampling.
///
/// Lay the probabilities end to end on a line from 0 to their total: token 0 owns [0, p0),
/// token 1 owns [p0, p0 + p1), and so on. A uniform random number in [0, total) lands in token
/// i's interval with probability exactly p_i / total, so returning the token whose interval
/// holds `uniform` draws from the distribution. A seeded generator then fixes every choice:
/// same seed, same uniform numbers, same tokens. The exact rule (the kit's `sampleToken`):
///
/// - Walk the ids in order, adding p_i (in Double) to a running sum; return the first i where
///   uniform < running sum. So a token with p_i = 0 (removed by a filter) is never returned.
/// - If rounding leaves uniform ≥ the final sum, return the last id with p_i > 0.
///
/// - Parameters:
///   - probabilities: (V) non-negative numbers, at least one > 0. They need not sum to exactly 1.
///   - uniform: a number in [0, total), e.g. `generator.nextDouble() * total`.
/// - Returns: the drawn id, in 0..<V.
///
///     sampleIndex(probabilities: [0.25, 0.5, 0.25], uniform: 0.1)    // 0: 0.1 < 0.25
///     sampleIndex(probabilities: [0.25, 0.5, 0.25], uniform: 0.6)    // 1: 0.25 ≤ 0.6 < 0.75
///     sampleIndex(probabilities: [0.25, 0.5, 0.25], uniform: 0.75)   // 2: 0.75 ≤ 0.75 < 1.0
///     sampleIndex(probabilities: [0.5, 0, 0.5], uniform: 0.5)        // 2, never the 0
public func sampleIndex(probabilities: [Float], uniform: Double) -> Int {
    // TODO: walk the cumulative sum until it passes `uniform`.
    return todo(0)
}
