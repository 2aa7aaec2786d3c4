// Solution 05.3 (sampling.top-p): rank, accumulate, cut after the token that crosses p.

#if canImport(Glibc)
import Glibc     // exp(_: Float) on Linux
#elseif canImport(Darwin)
import Darwin    // exp(_: Float) on macOS
#endif

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
    // Softmax in Double, the maximum subtracted first.
    let maximum = Double(logits.max()!)
    let exponentials = logits.map { exp(Double($0) - maximum) }
    let total = exponentials.reduce(0, +)
    // Most likely first; among equal logits the lower id first.
    let ranking = logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
    var result = logits
    var massAbove = 0.0
    for (rank, id) in ranking.enumerated() {
        // The first token is always kept; later ones only while the mass above them is below p.
        if rank > 0 && massAbove >= Double(p) { result[id] = -.infinity }
        massAbove += exponentials[id] / total
    }
    return result
}
