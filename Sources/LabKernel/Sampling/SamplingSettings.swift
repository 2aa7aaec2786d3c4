// SamplingSettings: every knob of next-token selection in one plain value.
//
// The defaults switch everything off except plain sampling at temperature 1 (what the model's
// distribution says), so a lesson turns one knob at a time. `LogitsPipeline(settings:)` turns the
// knobs into processors in the kit's fixed order (LogitsProcessor.swift); `TokenSampler` uses it.
// Left out: stop conditions (StopConditions.swift) and the number of tokens, which belong to the
// generation loop, not to the choice of one token.

/// How the next token is chosen.
///
///     SamplingSettings(temperature: 0.7, topP: 0.9, seed: 42)
public struct SamplingSettings: Sendable, Equatable {
    /// Divides the logits: < 1 sharper, > 1 flatter. 0 means greedy decoding (the argmax after
    /// the penalties; no random draw). Default 1: the model's own distribution.
    public var temperature: Float
    /// Keep only the k most likely tokens (ties with the k-th kept too). Default nil: off.
    public var topK: Int?
    /// Keep the most likely tokens until their mass reaches p. Default 1: off.
    public var topP: Float
    /// Remove tokens below minP · (top probability). Default 0: off.
    public var minP: Float
    /// Divide positive / multiply negative logits of seen tokens (Hugging Face). Default 1: off.
    public var repetitionPenalty: Float
    /// Subtract count · frequencyPenalty from each seen token's logit (OpenAI). Default 0: off.
    public var frequencyPenalty: Float
    /// Subtract presencePenalty once from each seen token's logit (OpenAI). Default 0: off.
    public var presencePenalty: Float
    /// Seeds the `SeededGenerator` of the random draws: same seed and settings, same tokens. Default 0.
    public var seed: UInt64

    /// - Precondition: temperature ≥ 0 and finite; topK ≥ 1 if set; topP and minP in [0, 1];
    ///   repetitionPenalty > 0; penalties finite.
    public init(temperature: Float = 1, topK: Int? = nil, topP: Float = 1, minP: Float = 0,
                repetitionPenalty: Float = 1, frequencyPenalty: Float = 0, presencePenalty: Float = 0,
                seed: UInt64 = 0) {
        precondition(temperature >= 0 && temperature.isFinite,
                     "SamplingSettings: temperature must be finite and ≥ 0 (0 = greedy), got \(temperature)")
        precondition(topK.map { $0 >= 1 } ?? true, "SamplingSettings: topK must be ≥ 1 or nil (off), got \(topK!)")
        precondition(topP >= 0 && topP <= 1, "SamplingSettings: topP must be in [0, 1] (1 = off), got \(topP)")
        precondition(minP >= 0 && minP <= 1, "SamplingSettings: minP must be in [0, 1] (0 = off), got \(minP)")
        precondition(repetitionPenalty > 0 && repetitionPenalty.isFinite,
                     "SamplingSettings: repetitionPenalty must be finite and > 0 (1 = off), got \(repetitionPenalty)")
        precondition(frequencyPenalty.isFinite && presencePenalty.isFinite,
                     "SamplingSettings: penalties must be finite, got frequency \(frequencyPenalty), presence \(presencePenalty)")
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.frequencyPenalty = frequencyPenalty
        self.presencePenalty = presencePenalty
        self.seed = seed
    }

    /// Whether tokens are chosen by argmax (temperature 0) rather than drawn.
    public var isGreedy: Bool { temperature == 0 }
}
