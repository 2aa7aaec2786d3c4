// FrequencyPresencePenalty: additive penalties on seen tokens, as OpenAI's API defines them.
//
// For a token j seen c_j times in the previous tokens:
//
//     z_j ← z_j − c_j · frequency − (c_j > 0 ? 1 : 0) · presence
//
// The frequency penalty grows with every repetition (it damps a word that keeps coming back);
// the presence penalty is a flat cost for having appeared at all (it nudges toward new topics).
// Unlike the repetition penalty they subtract, so they work the same wherever the logits are
// centered. Negative values encourage repetition. transformers has no such processor, so there is
// no fixture; the tests check the definition above directly.
// Left out: counting only generated tokens and not the prompt (OpenAI's choice): the caller
// passes whichever ids it wants counted.

/// Subtracts `count · frequency + (count > 0) · presence` from the logit of each seen token.
///
///     FrequencyPresencePenalty(frequency: 0.5, presence: 1).processed([3, 3, 3], previousTokens: [1, 1])
///     // [3.0, 1.0, 3.0]: token 1 seen twice, 3 - 2·0.5 - 1
public struct FrequencyPresencePenalty: LogitsProcessor {
    public let frequency: Float
    public let presence: Float

    /// - Precondition: both penalties are finite.
    public init(frequency: Float, presence: Float) {
        precondition(frequency.isFinite && presence.isFinite,
                     "FrequencyPresencePenalty: penalties must be finite, got frequency \(frequency), presence \(presence)")
        self.frequency = frequency
        self.presence = presence
    }

    public func process(_ logits: inout [Float], previousTokens: [Int]) {
        var counts: [Int: Int] = [:]
        for id in previousTokens where logits.indices.contains(id) { counts[id, default: 0] += 1 }
        for (id, count) in counts {
            logits[id] -= Float(count) * frequency + presence
        }
    }
}
