// The memory a `lab` run asks for beyond the weights, checked before it is allocated.
//
// A model that loaded has passed the kernel's budget for its weights (ModelConfig+Validation.swift).
// The options then ask for more: `lab generate` a KV cache for the prompt and every token it may
// generate (allocated as the sequence grows, but budgeted for its longest), `lab logits` the
// logits of every position, `lab train` and `lab eval` the training workspace of a batch shape
// and the held-out batches. Each part is added to the kernel's budget with the option (or the
// config.json field, or the training_state.json setting) that sets its size, so the refusal names
// what to change: one or two lines, the figure, and the option.
//
// Left out: the tokenizer and the text, which are bounded by the file size limits
// (`maximumTextFileBytes`), and the n-gram baseline of `lab eval`, which grows with the text.

import LabKernel

enum MemoryBudget {
    /// Refuses a generation whose KV cache (prompt plus up to `maxTokens` new tokens, within the
    /// context) and prompt pass do not fit beside the weights.
    static func checkGeneration(_ config: TransformerConfig, promptTokens: Int, maxTokens: Int,
                                available: Double = TransformerConfig.availableMemory) throws {
        let room = config.contextLength - promptTokens
        guard room > 0 else { return }  // too long a prompt is the generator's own error
        let positions = promptTokens + min(room, maxTokens)
        let cache = maxTokens < room
            ? "--max-tokens \(maxTokens) (a KV cache of \(positions) positions)"
            : "field \"\(config.contextLengthField)\" (a KV cache of all \(config.contextLength) positions; a smaller --max-tokens needs less)"
        let parts = [(cache, config.kvCacheBytes(positions: positions)),
                     ("the prompt's \(promptTokens) tokens", config.forwardScratchBytes(tokens: promptTokens, logitRows: 1))]
        if let problem = config.memoryProblem(available: available, plus: parts) { throw CommandFailure(message: problem) }
    }

    /// Refuses a forward pass over `tokens` ids (their KV cache, scratch and every position's
    /// logits) that does not fit beside the weights; `option` names where the ids came from.
    static func checkForward(_ config: TransformerConfig, tokens: Int, option: String,
                             available: Double = TransformerConfig.availableMemory) throws {
        let parts = [("\(option) (\(tokens) positions: KV cache, scratch and \(tokens) rows of logits)",
                      config.kvCacheBytes(positions: tokens) + config.forwardScratchBytes(tokens: tokens, logitRows: tokens))]
        if let problem = config.memoryProblem(available: available, plus: parts) { throw CommandFailure(message: problem) }
    }

    /// The parts a training run adds to its 4 copies of the model: the workspace of one micro-batch
    /// and the held-out batches (kept as token ids, 8 bytes each, inputs and targets). `names`
    /// are the options (or saved settings) of batch, context and evaluation batches.
    static func trainingProblem(_ config: TransformerConfig, _ settings: TrainingSettings,
                                names: (batch: String, context: String, evaluationBatches: String)) -> String? {
        let workspace = config.trainingWorkspaceBytes(batch: settings.batch, context: settings.context)
        let evaluation = Double(settings.evaluationBatches) * Double(settings.batch) * Double(settings.context) * 16
        return config.memoryProblem(copies: 4, plus: [
            ("\(names.batch) \(settings.batch) × \(names.context) \(settings.context) (the activations a step keeps)", workspace),
            ("\(names.evaluationBatches) \(settings.evaluationBatches) (the held-out batches)", evaluation),
        ])
    }
}
