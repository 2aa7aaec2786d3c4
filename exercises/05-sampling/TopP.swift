// Exercise 05.3 (sampling.top-p): nucleus sampling's filter, the smallest set of likely tokens
// whose probability adds up to p. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter TopPTests

#if canImport(Glibc)
import Glibc     // exp(_: Float) on Linux
#elseif canImport(Darwin)
import Darwin    // exp(_: Float) on macOS
#endif
import LabExercise

/// Top-p (nucleus) filtering: keep the most likely tokens until their probability reaches p.
///
/// Turn the logits into probabilities with a softmax, rank the tokens from most to least likely
/// and walk down the ranking adding up probabilities. A token is kept when the probability of
/// the tokens ranked above it is still below p; every later token becomes -infinity. The
/// conventions (those of Hugging Face transformers' `TopPLogitsWarper`):
///
/// - The token that makes the running total cross p is kept: with p = 0.9 and probabilities
///   0.5, 0.3, 0.15, 0.05 the first three are kept (only 0.8 lies above the third).
/// - The most likely token is always kept, even for p = 0.
/// - Ties: among equal logits the lower id ranks first.
/// - Logits that are already -infinity (probability 0) stay -infinity.
///
/// - Parameters:
///   - logits: (V) logits, V ≥ 1, at least one finite.
///   - p: the probability mass to keep, 0 ≤ p ≤ 1; p = 1 keeps every token.
/// - Returns: (V) logits: the kept ones unchanged, the removed ones -infinity.
///
///     topPFilter([2, 1.5, 0.8, -0.3], p: 0.9)   // probabilities ≈ 0.50, 0.30, 0.15, 0.05
///                                               // [2, 1.5, 0.8, -inf]
///     topPFilter([2, 1.5, 0.8, -0.3], p: 0.5)   // [2, 1.5, -inf, -inf]: 0.498 < 0.5 above 1.5
///     topPFilter([2, 1.5, 0.8, -0.3], p: 0)     // [2, -inf, -inf, -inf]
///
/// Summing the probabilities in Double avoids rounding surprises near p.
public func topPFilter(_ logits: [Float], p: Float) -> [Float] {
    // TODO: softmax, rank the ids by logit (ties: lower id first), keep while the mass above < p.
    return todo(logits)
}
