// RepetitionPenalty: making already-seen tokens less likely, as CTRL (Keskar et al., 2019) and
// Hugging Face define it.
//
// Every token id that occurs in the previous tokens (once or many times: the penalty is applied
// once per distinct id) has its logit moved toward "less likely" by the factor θ: a positive logit
// is divided by θ, a negative one multiplied by θ (dividing a negative logit would raise it).
// θ = 1 changes nothing; θ > 1 discourages repetition, 0 < θ < 1 encourages it. This is exactly
// transformers' `RepetitionPenaltyLogitsProcessor` (`score < 0 ? score * θ : score / θ`, in Float).
// Note the quirk it inherits: the penalty is multiplicative, so a logit of 0 is not penalized, and
// its strength depends on where the logits happen to be centered.
// Left out: ignoring the prompt (transformers' `prompt_ignore_length`): pass only the ids to penalize.

/// Divides positive / multiplies negative logits of every token seen in `previousTokens` by θ.
///
///     RepetitionPenalty(2).processed([4, -4, 4], previousTokens: [0, 1, 1])   // [2.0, -8.0, 4.0]
public struct RepetitionPenalty: LogitsProcessor {
    public let penalty: Float

    /// - Precondition: `penalty` is finite and > 0.
    public init(_ penalty: Float) {
        precondition(penalty > 0 && penalty.isFinite, "RepetitionPenalty: the penalty must be finite and > 0, got \(penalty)")
        self.penalty = penalty
    }

    public func process(_ logits: inout [Float], previousTokens: [Int]) {
        var seen = Set<Int>()
        for id in previousTokens where seen.insert(id).inserted {
            // transformers drops ids ≥ V (an embedding table larger than the output layer); so do we.
            guard logits.indices.contains(id) else { continue }
            let z = logits[id]
            logits[id] = keptFinite(z < 0 ? z * penalty : z / penalty, from: z)  // no overflow to ±infinity
        }
    }
}
