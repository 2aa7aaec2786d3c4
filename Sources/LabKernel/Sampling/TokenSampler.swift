// TokenSampler: the per-step object a generation loop calls with the model's last logits row.
//
// It owns the settings' pipeline and the seeded generator, so a loop is just
// `let id = sampler.next(logits: row, previousTokens: ids)`. Greedy settings (temperature 0)
// apply the penalties (as transformers does with do_sample=False) and take the argmax, drawing
// no random number; otherwise the full pipeline runs and one uniform number is drawn per step.
// Left out: the loop itself, the model call and stop conditions (StopConditions.swift).

/// Chooses next tokens with fixed settings and a seeded stream of random numbers.
///
///     var sampler = TokenSampler(settings: SamplingSettings(temperature: 0.8, topK: 40, seed: 7))
///     let id = sampler.next(logits: lastRow, previousTokens: promptAndGenerated)
public struct TokenSampler: Sendable {
    public let settings: SamplingSettings
    public let pipeline: LogitsPipeline
    private var generator: SeededGenerator

    public init(settings: SamplingSettings) {
        self.settings = settings
        pipeline = LogitsPipeline(settings: settings)
        generator = SeededGenerator(seed: settings.seed)
    }

    /// The logits (V) after the pipeline: what the next token is drawn from.
    public func processedLogits(_ logits: [Float], previousTokens: [Int]) -> [Float] {
        pipeline.processed(logits, previousTokens: previousTokens)
    }

    /// The next token for the logits row (V) of the last position.
    public mutating func next(logits: [Float], previousTokens: [Int]) -> Int {
        let row = processedLogits(logits, previousTokens: previousTokens)
        return settings.isGreedy ? greedyToken(row) : sampleToken(logits: row, using: &generator)
    }
}
