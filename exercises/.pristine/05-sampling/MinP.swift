// Exercise 05.4 (sampling.min-p): keep the tokens that are at least a fraction of the top
// token's probability. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter MinPTests

#if canImport(Glibc)
import Glibc     // exp(_: Float) on Linux
#elseif canImport(Darwin)
import Darwin    // exp(_: Float) on macOS
#endif
import LabExercise

/// Min-p filtering: remove every token whose probability is below minP × (the largest probability).
///
/// The cut adapts to the model's confidence: when one token has probability 0.9 and minP = 0.1,
/// only tokens above 0.09 survive; when the distribution is flat, many do. The conventions (those
/// of Hugging Face transformers' `MinPLogitsWarper`):
///
/// - "Below" is strict: a token exactly at the threshold is kept.
/// - The most likely token is always kept (it is never below a fraction ≤ 1 of itself).
/// - A removed token's logit becomes -infinity; kept logits are returned unchanged; logits that
///   are already -infinity stay -infinity.
///
/// - Parameters:
///   - logits: (V) logits, V ≥ 1, at least one finite.
///   - minP: the fraction, 0 ≤ minP ≤ 1; 0 keeps every token.
/// - Returns: (V) logits, the removed ones -infinity.
///
///     minPFilter([2, 1.5, 0.8, -0.3], minP: 0.2)   // probabilities ≈ 0.50, 0.30, 0.15, 0.05
///                                                  // [2, 1.5, 0.8, -inf]: 0.05 < 0.2 · 0.50
///     minPFilter([2, 1.5, 0.8, -0.3], minP: 0.5)   // [2, 1.5, -inf, -inf]
///     minPFilter([5, 5, 1], minP: 1)               // [5, 5, -inf]: ties with the top are kept
public func minPFilter(_ logits: [Float], minP: Float) -> [Float] {
    // TODO: softmax, find the largest probability, remove the tokens below minP times it.
    return todo(logits)
}
