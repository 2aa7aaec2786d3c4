// Generation: the loop that turns a prompt into a continuation, one token at a time.
//
//     prompt ids ──one forward over all T prompt tokens──▶ logits of the last position (1, V)
//                                                             │ TokenSampler picks an id
//        ┌────────────────────────────────────────────────────┘
//        ▼
//     id ─▶ IncrementalDecoder (whole characters only) ─▶ StopMonitor (eos, stop strings, max)
//        │                                                     │ printable text ─▶ onText
//        └──one forward over [id] on the KV cache──▶ logits (1, V) ─▶ next id ...
//
// Two phases with very different speeds. Prompt processing pushes all T prompt tokens through the
// model in one call, so every weight matrix is multiplied by a (T, C) block: a real matrix
// product that keeps the cores busy. Decoding feeds one token per call (a matrix-vector product
// per weight), and its speed is bounded by how fast the weights stream from memory. The result
// therefore reports the two rates separately: prompt tokens per second (prompt processing up to
// the first chosen token, the "time to first token") and generation tokens per second (the
// tokens after the first, over the time between the first and the last; the first token's cost
// is all in the prompt phase, as llama.cpp and llama2.c's run.c count it).
//
// The naive twin, `usingCache: false`, recomputes the whole sequence from position 0 at every
// step and reads the last row: the same arithmetic without a KV cache, T times the work. The
// tests hold the two to identical greedy ids; lesson 05 times them side by side.
//
// The context: a sequence can hold `config.contextLength` tokens. A prompt that leaves no room
// for one new token is an error (`GenerationError.promptTooLong`); a generation that fills the
// context stops with `.contextFull` instead of running past the model's positions.
//
// Left out: batches of prompts, beam search and speculative decoding; stop sequences given as
// ids (stop strings are matched on text, StopConditions.swift); a chat format (the `lab generate
// --chat` command wraps the prompt itself).

import Foundation

/// Why a generation could not start; the description says what to change.
public enum GenerationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The prompt has no tokens: there is no position to predict from.
    case emptyPrompt
    /// The prompt fills the context (tokens ≥ contextLength), leaving no position for a new token.
    case promptTooLong(tokens: Int, contextLength: Int)
    /// A prompt id is not a row of the model's embedding (0..<vocabularySize).
    case tokenOutOfRange(id: Int, position: Int, vocabularySize: Int)
    /// Stop strings or text prompts need a tokenizer to match and decode text.
    case needsTokenizer(String)
    /// The model's logits for the next token hold a NaN or an infinity: `layer` is where the
    /// forward pass first went non-finite, at sequence position `position`.
    case nonFiniteLogits(position: Int, layer: String)

    public var description: String {
        switch self {
        case .emptyPrompt:
            return "the prompt is empty; give at least one token (a model predicts from the tokens before)"
        case .promptTooLong(let tokens, let contextLength):
            return "the prompt has \(tokens) tokens but the model's context holds \(contextLength), "
                + "which leaves no room for a new token; shorten the prompt to at most \(contextLength - 1) tokens"
        case .tokenOutOfRange(let id, let position, let vocabularySize):
            return "prompt token \(id) at position \(position) is outside the model's vocabulary 0..<\(vocabularySize)"
        case .needsTokenizer(let what):
            return "\(what) needs a tokenizer, and none was given (a model folder's tokenizer.json, or vocab.json + merges.txt)"
        case .nonFiniteLogits(let position, let layer):
            return "the model's output is not finite: the forward pass first produced a NaN or an infinity in \"\(layer)\" "
                + "at position \(position); the weights overflow Float (a gain or scale far too large)"
        }
    }
}

/// Why a generation ended: one of the `StopConditions`, or the model's context being full.
public enum GenerationStopReason: Equatable, Sendable {
    /// The token `id` is an end-of-sequence id (it is in `generatedIDs`, its text is not shown).
    case endOfSequence(id: Int)
    /// The text reached this stop string (left out of `text`).
    case stopString(String)
    /// `maxTokens` tokens were generated.
    case maxTokens(Int)
    /// The sequence (prompt + generated) reached the context length, so no position is left.
    case contextFull(Int)

    init(_ reason: StopReason) {
        switch reason {
        case .endOfSequence(let id): self = .endOfSequence(id: id)
        case .stopString(let text): self = .stopString(text)
        case .maxTokens(let count): self = .maxTokens(count)
        }
    }

    /// A short snake_case name for scripts: "end_of_sequence", "stop_string", "max_tokens", "context_full".
    public var name: String {
        switch self {
        case .endOfSequence: return "end_of_sequence"
        case .stopString: return "stop_string"
        case .maxTokens: return "max_tokens"
        case .contextFull: return "context_full"
        }
    }
}

/// Wall-clock times of the two phases (seconds).
public struct GenerationTimings: Equatable, Sendable {
    /// Prompt tokens processed in the batched forward pass.
    public var promptTokens: Int
    /// From the start until the first token was chosen: the prompt's forward pass and one sampling step.
    public var promptSeconds: Double
    /// Tokens generated after the first one (each costs one cached forward pass and one sampling step).
    public var decodedTokens: Int
    /// From the first chosen token to the last.
    public var decodeSeconds: Double

    public init(promptTokens: Int, promptSeconds: Double, decodedTokens: Int, decodeSeconds: Double) {
        self.promptTokens = promptTokens
        self.promptSeconds = promptSeconds
        self.decodedTokens = decodedTokens
        self.decodeSeconds = decodeSeconds
    }

    /// Prompt-processing speed; 0 when nothing was timed.
    public var promptTokensPerSecond: Double { promptSeconds > 0 ? Double(promptTokens) / promptSeconds : 0 }
    /// Generation speed after the first token; 0 when fewer than two tokens were generated.
    public var generationTokensPerSecond: Double { decodeSeconds > 0 ? Double(decodedTokens) / decodeSeconds : 0 }
}

/// What a generation produced.
public struct GenerationResult: Equatable, Sendable {
    /// The prompt's token ids.
    public var promptIDs: [Int]
    /// The generated ids, in order, including an end-of-sequence id that stopped the generation.
    public var generatedIDs: [Int]
    /// The generated text as shown (no end-of-sequence text, no stop string); "" without a tokenizer.
    public var text: String
    public var stopReason: GenerationStopReason
    public var timings: GenerationTimings
}

/// A model and (optionally) its tokenizer, ready to continue prompts.
///
///     let loaded = try loadModel(folder: URL(fileURLWithPath: "models/gpt2"))
///     let generator = TextGenerator(model: loaded.model, tokenizer: loaded.tokenizer)
///     let result = try generator.generate(prompt: "Once upon a time",
///                                         sampling: SamplingSettings(temperature: 0.8, seed: 1),
///                                         stop: StopConditions(endOfSequenceIDs: [50256], maxTokens: 40)) {
///         print($0, terminator: "")   // streams whole characters as they are decided
///     }
///     result.timings.generationTokensPerSecond
public struct TextGenerator: Sendable {
    public let model: TransformerModel
    /// Needed for text prompts, stop strings and text output; nil for ids only.
    public let tokenizer: BPETokenizer?

    public init(model: TransformerModel, tokenizer: BPETokenizer? = nil) {
        self.model = model
        self.tokenizer = tokenizer
    }

    /// Encodes `prompt` with the tokenizer (special tokens such as `<|im_start|>` are recognized)
    /// and continues it; see `generate(promptIDs:…)`.
    /// - Throws: `GenerationError.needsTokenizer` without a tokenizer, and the errors of `generate(promptIDs:…)`.
    public func generate(prompt: String, sampling: SamplingSettings, stop: StopConditions,
                         usingCache: Bool = true, onText: (String) -> Void = { _ in }) throws -> GenerationResult {
        guard let tokenizer else { throw GenerationError.needsTokenizer("a text prompt") }
        return try generate(promptIDs: tokenizer.encode(prompt), sampling: sampling, stop: stop,
                            usingCache: usingCache, onText: onText)
    }

    /// Continues `promptIDs` until a stop condition holds or the context is full.
    ///
    /// - Parameters:
    ///   - promptIDs: (T) token ids, 1 ≤ T < contextLength.
    ///   - sampling: how each token is chosen (temperature 0: greedy); its seed fixes every draw.
    ///   - stop: end-of-sequence ids, stop strings (need a tokenizer) and the maximum token count.
    ///   - usingCache: true (default) processes the prompt once and then one token per step on the
    ///     KV cache; false recomputes the whole sequence at every step (the naive twin).
    ///   - onText: called with each piece of text as soon as it is certain: whole characters only,
    ///     never part of a stop string. Not called without a tokenizer.
    /// - Throws: `GenerationError` for an empty or too long prompt, ids outside the vocabulary, or
    ///   stop strings without a tokenizer.
    public func generate(promptIDs: [Int], sampling: SamplingSettings, stop: StopConditions,
                         usingCache: Bool = true, onText: (String) -> Void = { _ in }) throws -> GenerationResult {
        let config = model.config
        guard !promptIDs.isEmpty else { throw GenerationError.emptyPrompt }
        guard promptIDs.count < config.contextLength else {
            throw GenerationError.promptTooLong(tokens: promptIDs.count, contextLength: config.contextLength)
        }
        if let (position, id) = promptIDs.enumerated().first(where: { !(0..<config.vocabularySize).contains($0.element) }) {
            throw GenerationError.tokenOutOfRange(id: id, position: position, vocabularySize: config.vocabularySize)
        }
        if !stop.stopStrings.isEmpty && tokenizer == nil { throw GenerationError.needsTokenizer("a stop string") }

        let start = DispatchTime.now().uptimeNanoseconds
        var sampler = TokenSampler(settings: sampling)
        var monitor = StopMonitor(stop)
        var decoder = tokenizer.map { IncrementalDecoder(tokenizer: $0) }
        // The last generated token is never fed back, so the cache needs at most prompt + max − 1 rows.
        let room = config.contextLength - promptIDs.count  // positions left for new tokens
        var cache = KVCache(config: config, capacity: usingCache ? promptIDs.count + min(room, stop.maxTokens ?? room) : 1)
        var sequence = promptIDs
        var generated: [Int] = []
        var text = ""
        var firstTokenTime = start
        var reason: GenerationStopReason?

        // Prompt processing: all T tokens in one forward call, logits of the last position only.
        var logits = usingCache ? model.forward(tokens: promptIDs, cache: &cache, lastPositionOnly: true)  // (1, V)
                                : lastLogits(of: sequence)
        while reason == nil {
            // Sampling needs a finite row; say where the numbers broke instead of trapping there.
            if firstNonFinite(logits) != nil {
                let broken = model.firstNonFiniteState(tokens: sequence) ?? (layer: "logits", position: sequence.count - 1)
                throw GenerationError.nonFiniteLogits(position: broken.position, layer: broken.layer)
            }
            let id = sampler.next(logits: logits.scalars, previousTokens: sequence)
            generated.append(id)
            sequence.append(id)
            if generated.count == 1 { firstTokenTime = DispatchTime.now().uptimeNanoseconds }

            // An id the model can produce but the tokenizer lacks (padded vocabularies) shows nothing.
            let known = tokenizer?.tokens.indices.contains(id) ?? false
            let piece = known ? try decoder?.append(id) ?? "" : ""
            let decision = monitor.observe(id: id, text: piece)
            if let stopped = decision.reason {
                reason = GenerationStopReason(stopped)
            } else if sequence.count >= config.contextLength {
                reason = .contextFull(config.contextLength)
            }
            var shown = decision.text
            switch reason {
            case nil, .stopString?: break
            default: shown += monitor.finish() + (decoder?.finish() ?? "")  // ended without a stop string: release the rest
            }
            if decoder != nil && !shown.isEmpty {
                text += shown
                onText(shown)
            }
            if reason == nil {
                logits = usingCache ? model.forward(tokens: [id], cache: &cache) : lastLogits(of: sequence)  // (1, V)
            }
        }
        let end = DispatchTime.now().uptimeNanoseconds
        let timings = GenerationTimings(promptTokens: promptIDs.count,
                                        promptSeconds: Double(firstTokenTime - start) / 1e9,
                                        decodedTokens: generated.count - 1,
                                        decodeSeconds: Double(end - firstTokenTime) / 1e9)
        return GenerationResult(promptIDs: promptIDs, generatedIDs: generated, text: text,
                                stopReason: reason!, timings: timings)
    }

    /// The naive twin's step: the whole sequence from position 0, last row kept. (T) -> (1, V)
    private func lastLogits(of sequence: [Int]) -> Tensor {
        var cache = KVCache(config: model.config, capacity: sequence.count)
        return model.forward(tokens: sequence, cache: &cache, lastPositionOnly: true)
    }
}
