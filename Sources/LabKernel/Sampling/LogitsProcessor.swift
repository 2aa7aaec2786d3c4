// LogitsProcessor: one step that reshapes a row of next-token logits, and the fixed pipeline of them.
//
// A language model gives one logit per vocabulary entry for the next token, a row of V numbers.
// Sampling settings (penalties, temperature, top-k, top-p, min-p) are small functions that rewrite
// that row before a token is drawn: penalties lower the logits of tokens already seen, temperature
// sharpens or flattens the distribution, and the filters remove unlikely tokens by setting their
// logit to -infinity (probability exactly 0 after softmax), as Hugging Face `transformers` does.
//
// The order matters (temperature before min-p gives a different cut than after), so the kit fixes
// it, following what transformers' `generate` does when it assembles its list (in
// `GenerationMixin._get_logits_processor`): the repetition penalty belongs to the "processors"
// that run first, and the sampling "warpers" are appended after them as temperature, then top-k,
// then top-p, then min-p (min-p deliberately after temperature). transformers has no frequency or
// presence penalty; the kit puts them next to the repetition penalty, before temperature, because
// all three are penalties on the raw logits of seen tokens (vLLM orders them the same way).
//
//     repetition penalty → frequency/presence penalty → temperature → top-k → top-p → min-p
//
// Left out: the other warpers of transformers (typical-p, epsilon, eta, top-h), no-repeat n-grams,
// bad-word lists and batches of rows; the generation loop over a model, which calls `TokenSampler`
// (TokenSampler.swift) once per step.

/// One transformation of a logits row (V), applied in place.
///
/// `previousTokens` are the ids the penalties look at (the prompt and the tokens generated so far,
/// or only the generated ones: the caller decides, as transformers lets it). Filters mark removed
/// tokens with `-Float.infinity`.
public protocol LogitsProcessor: Sendable {
    /// Rewrites `logits` (V) in place.
    func process(_ logits: inout [Float], previousTokens: [Int])
}

extension LogitsProcessor {
    /// The processed copy of `logits` (V).
    public func processed(_ logits: [Float], previousTokens: [Int] = []) -> [Float] {
        var row = logits
        process(&row, previousTokens: previousTokens)
        return row
    }
}

/// The processors of a `SamplingSettings`, in the kit's fixed order (see the file header):
/// repetition penalty, frequency/presence penalty, temperature, top-k, top-p, min-p.
/// A setting at its "off" value adds no step, so the pipeline of the defaults is empty.
public struct LogitsPipeline: Sendable {
    /// The steps, applied first to last.
    public let processors: [any LogitsProcessor]

    /// A pipeline with exactly these steps, in this order (for experiments; the lessons use
    /// `init(settings:)`).
    public init(processors: [any LogitsProcessor]) {
        self.processors = processors
    }

    /// The pipeline for `settings`. Temperature 0 means greedy decoding: like transformers'
    /// `generate` with `do_sample=False`, only the penalties are applied (the filters could not
    /// change the argmax anyway: each keeps the first largest logit), and `TokenSampler` takes
    /// the argmax of the result.
    public init(settings: SamplingSettings) {
        var steps: [any LogitsProcessor] = []
        if settings.repetitionPenalty != 1 { steps.append(RepetitionPenalty(settings.repetitionPenalty)) }
        if settings.frequencyPenalty != 0 || settings.presencePenalty != 0 {
            steps.append(FrequencyPresencePenalty(frequency: settings.frequencyPenalty, presence: settings.presencePenalty))
        }
        if settings.isGreedy {
            processors = steps
            return
        }
        if settings.temperature != 1 { steps.append(TemperatureScaling(settings.temperature)) }
        if let k = settings.topK { steps.append(TopKFilter(k)) }
        if settings.topP < 1 { steps.append(TopPFilter(settings.topP)) }
        if settings.minP > 0 { steps.append(MinPFilter(settings.minP)) }
        processors = steps
    }

    /// Applies every step to `logits` (V) in order.
    public func process(_ logits: inout [Float], previousTokens: [Int]) {
        for step in processors { step.process(&logits, previousTokens: previousTokens) }
    }

    /// The processed copy of `logits` (V).
    public func processed(_ logits: [Float], previousTokens: [Int] = []) -> [Float] {
        var row = logits
        process(&row, previousTokens: previousTokens)
        return row
    }
}
