// MinP (Nguyen et al., 2024): keeping the tokens at least a fraction of the top token's probability.
//
// A token is removed when its probability is below min_p · (probability of the most likely token),
// so the cut adapts: a confident distribution keeps few tokens, a flat one keeps many. It is
// transformers' `MinPLogitsWarper`: probabilities from softmax, "remove if strictly below the
// threshold", and the most likely token always kept (min_tokens_to_keep = 1; ties with it have the
// same probability and are kept anyway). transformers' generate applies it after temperature, on
// purpose, so that temperature changes which tokens survive; the kit's pipeline does the same.
// Left out: min_tokens_to_keep > 1 (beam search).

/// Removes the tokens whose probability is below `minP` times the largest probability.
///
///     MinPFilter(0.2).processed([2, 1.5, 0.8, -0.3])   // probabilities ≈ 0.50, 0.30, 0.15, 0.05
///     // [2.0, 1.5, 0.8, -inf]: 0.05 < 0.2 · 0.50
public struct MinPFilter: LogitsProcessor {
    public let minP: Float

    /// - Precondition: 0 ≤ minP ≤ 1.
    public init(_ minP: Float) {
        precondition(minP >= 0 && minP <= 1, "MinPFilter: minP must be in [0, 1], got \(minP); use 0 to switch min-p off")
        self.minP = minP
    }

    public func process(_ logits: inout [Float], previousTokens: [Int]) {
        let probabilities = probabilitiesOfLogits(logits)
        let top = greedyToken(logits)
        let threshold = minP * probabilities[top]
        for j in logits.indices where j != top && probabilities[j] < threshold { logits[j] = -.infinity }
    }
}
