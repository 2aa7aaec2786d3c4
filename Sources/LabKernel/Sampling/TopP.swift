// TopP (nucleus sampling, Holtzman et al., 2019): keeping the smallest set of most likely tokens
// whose probabilities add up to at least p.
//
// Rank the tokens from most to least likely and walk down the ranking adding probabilities: a
// token is kept when the mass ranked strictly above it is still below p. So the token that makes
// the running total cross p is kept (with p = 0.9 and probabilities 0.5, 0.3, 0.15, 0.05 the first
// three are kept: 0.8 < 0.9 before the third), and the most likely token is always kept
// (transformers' min_tokens_to_keep = 1). This is transformers' `TopPLogitsWarper`, which sorts
// ascending and removes tokens whose ascending cumulative sum is ≤ 1 − p: the same set.
//
// Ties: among equal logits the lower id ranks first. transformers leaves this to `torch.sort`,
// which is not stable, so when tied tokens straddle the cut its choice is arbitrary; the fixtures
// leave such rows out. Probabilities are summed in Double (transformers sums float32), so only a
// row whose cut lies within rounding of p could differ.
//
// Cost: one sort of the tokens that are still finite and not negligibly unlikely (see the body;
// only k of them after top-k). p ≥ 1 keeps every token (transformers' generate skips the step then, too).
// Left out: min_tokens_to_keep > 1 (beam search).

/// Keeps the most likely tokens until their probability mass reaches `p`; the rest become -infinity.
///
///     TopPFilter(0.9).processed([2, 1.5, 0.8, -0.3])   // probabilities ≈ 0.50, 0.30, 0.15, 0.05
///     // [2.0, 1.5, 0.8, -inf]
public struct TopPFilter: LogitsProcessor {
    public let p: Float

    /// - Precondition: 0 ≤ p ≤ 1.
    public init(_ p: Float) {
        precondition(p >= 0 && p <= 1, "TopPFilter: p must be in [0, 1], got \(p); use 1 to switch top-p off")
        self.p = p
    }

    public func process(_ logits: inout [Float], previousTokens: [Int]) {
        guard p < 1 else { return }
        let probabilities = probabilitiesOfLogits(logits)
        // Tokens with probability below (1 − p) / V are removed without sorting them: together they
        // hold less than 1 − p and they rank below every other token, so each one's mass from the
        // bottom up is < 1 − p, i.e. the mass above it is > p. For a 150,000-token row this leaves
        // a few thousand tokens to sort instead of all of them.
        let floor = (1 - p) / Float(logits.count)
        var ranking: [Int] = []
        for j in logits.indices where logits[j] > -.infinity {
            if probabilities[j] < floor { logits[j] = -.infinity } else { ranking.append(j) }
        }
        // Rank the rest: larger logit first, lower id first among equals.
        ranking.sort { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        var massAbove = 0.0
        var keepCount = ranking.count
        for (rank, id) in ranking.enumerated() {
            if rank > 0 && massAbove >= Double(p) { keepCount = rank; break }
            massAbove += Double(probabilities[id])
        }
        for id in ranking[keepCount...] { logits[id] = -.infinity }
    }
}
