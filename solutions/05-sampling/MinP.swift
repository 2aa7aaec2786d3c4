// Solution 05.4 (sampling.min-p): a threshold relative to the top probability.

#if canImport(Glibc)
import Glibc     // exp(_: Float) on Linux
#elseif canImport(Darwin)
import Darwin    // exp(_: Float) on macOS
#endif

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
    let maximum = logits.max()!
    // Shifted by the maximum, the top token's weight is e^0 = 1.
    let exponentials = logits.map { exp($0 - maximum) }
    let total = exponentials.reduce(0, +)
    let probabilities = exponentials.map { $0 / total }
    let threshold = minP * probabilities.max()!
    return logits.indices.map { probabilities[$0] < threshold ? -.infinity : logits[$0] }
}
