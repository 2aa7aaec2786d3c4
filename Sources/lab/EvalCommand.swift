// `lab eval --model DIR`: how well a model predicts held-out text, against an n-gram baseline.
//
// Scope: the model's cross-entropy (nats per token) and perplexity on the held-out end of a text
// (by default the very text the checkpoint was trained on, from its training_state.json: the same
// corpus, split and tokenizer), and, on the same tokens with the same tokenizer, those of an
// interpolated n-gram model counted on the training part (NGramLanguageModel) and of unigram counts. The
// held-out stream is cut into windows of `--context` tokens that do not overlap; every token after
// the first is predicted once, by the model from the tokens before it in its window and by the
// n-gram from the 3 before it. (A window's first tokens have little context, so the model's figure
// is, if anything, pessimistic.) With `--quantize q8` the same windows also run through the model
// with int8 weight matrices (Q8_0): its cross-entropy and perplexity beside float32's, and how often
// the two predict the same next token (top-1 agreement). Left out: other metrics (accuracy, calibration), batching options.

import Foundation
import LabCorpora
import LabKernel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum EvalCommand {
    static let usage = """
        usage: lab eval --model DIR [--corpus stories|recipes|qa|FILE [--bytes N] [--seed N]] [options]

        Measures a model's cross-entropy and perplexity on held-out text and compares it with
        n-gram counts on the same tokens. Without --corpus, the text is the one the model was
        trained on (a folder written by lab train records it), and the held-out part is the part
        training never saw.

        options:
          --model DIR       the model folder (config.json, model.safetensors, tokenizer.json)
          --corpus NAME     stories, recipes, qa or a text file (default: the model's training text)
          --bytes N         how much text to generate (default: the training run's, else 2M)
          --seed N          the corpus's seed (default: the training run's, else 1)
          --validation F    the held-out fraction at the end of the text (default: the run's, else 0.1)
          --context N       the window length (default: the run's context, else the model's positions up to 256)
          --ngram N         the order of the n-gram baseline, 1 to 4 (default: 4)
          --max-tokens N    evaluate at most this many held-out tokens (default: all)
          --threads N       threads for the kernel (default: all \(Parallel.coreCount) cores)
          --quantize q8     also evaluate the model with int8 weight matrices (Q8_0): perplexity beside
                            float32's and the share of positions where both predict the same next token
          --json            one JSON object instead of the table
          --help            show this help
        """

    private static func usageError(_ message: String) -> UsageError { UsageError(message: message, command: "eval") }

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "eval")
        if arguments.flag("--help", "-h") {
            print(usage)
            return
        }
        let json = arguments.flag("--json")
        guard let modelPath = try arguments.value("--model") else { throw usageError("--model DIR is required") }
        let corpus = try arguments.value("--corpus")
        let bytesText = try arguments.value("--bytes"), seedText = try arguments.value("--seed")
        let validationText = try arguments.value("--validation")
        func positive(_ name: String) throws -> Int? {
            try arguments.value(name).map { t in
                guard let v = Int(t), v > 0 else { throw usageError("\(name) expects a positive whole number; got '\(printable(t))'") }
                return v
            }
        }
        let context = try positive("--context"), order = try positive("--ngram") ?? 4
        let maximumTokens = try positive("--max-tokens"), threads = try positive("--threads")
        let quantize = try quantizeOption(&arguments, command: "eval")
        try arguments.finish()
        guard (1...4).contains(order) else { throw usageError("--ngram expects 1 to 4; got \(order)") }
        if let threads, threads > TrainCommand.maximumThreads {
            throw usageError("--threads expects 1 to \(TrainCommand.maximumThreads); got \(threads)")
        }
        if let threads { Parallel.threadCount = threads }

        let folder = URL(fileURLWithPath: modelPath)
        let loaded = try loadModelFolder(path: modelPath)
        guard !loaded.model.isQuantized else {
            throw CommandFailure(message: "\(modelPath) is a quantized folder; lab eval measures the float32 model, "
                + "and with --quantize q8 the int8 one beside it: give the float folder")
        }
        guard let tokenizer = loaded.tokenizer else { throw CommandFailure(message: "\(modelPath) has no tokenizer: lab eval reads text") }
        // A training state that is there must be sound: its record decides the text and the window.
        var saved: SavedTraining?
        if TrainingCheckpoint.isCheckpoint(folder) {
            do { saved = try TrainingCheckpoint.load(folder) } catch {
                throw CommandFailure(message: "\(error) (to evaluate the model alone, remove \(TrainingCheckpoint.stateFile) and give --corpus)")
            }
        }
        // The data: flags first, then what the training run recorded, then defaults.
        var options = TrainCommand.Options()
        if let saved { try TrainCommand.applyRecordedData(saved.data, to: &options, text: corpus == nil, checkpoint: modelPath) }
        if let corpus { options.corpus = corpus }
        guard saved != nil || corpus != nil else {
            throw usageError("which text? give --corpus stories (or recipes, qa, a file): \(modelPath) does not record its training text")
        }
        if let bytesText {
            guard let b = CorpusCommand.parseByteCount(bytesText), b > 0, b <= maximumTextFileBytes else {
                throw usageError("--bytes expects a positive size up to \(formatBytes(maximumTextFileBytes)) such as 2M; got '\(printable(bytesText))'")
            }
            options.corpusBytes = b
        }
        if let seedText {
            guard let s = UInt64(seedText) else { throw usageError("--seed expects a whole number; got '\(printable(seedText))'") }
            options.corpusSeed = s
        }
        if let validationText {
            guard let f = Double(validationText), f > 0, f < 0.5 else {
                throw usageError("--validation expects a fraction between 0 and 0.5; got '\(printable(validationText))'")
            }
            options.validationFraction = f
        }
        let model = loaded.model
        let window = context ?? saved?.settings.context ?? min(256, model.config.contextLength)
        guard window <= model.config.contextLength else {
            throw usageError("--context \(window) is longer than the model's \(model.config.contextLength) positions")
        }
        if let problem = model.config.memoryProblem(plus: [("--context \(window) (the activations of one window)",
                                                            model.config.trainingWorkspaceBytes(batch: 1, context: window))]) {
            throw CommandFailure(message: problem)
        }
        // The baseline's counts key contexts by 15-bit ids: a GPT-2-sized vocabulary does not fit.
        let countedVocabulary = max(model.config.vocabularySize, tokenizer.vocabularySize)
        guard countedVocabulary <= NGramLanguageModel.maximumVocabularySize else {
            throw CommandFailure(message: "\(modelPath): the n-gram baseline counts vocabularies of at most "
                + "\(NGramLanguageModel.maximumVocabularySize) tokens, and this model has \(countedVocabulary); lab eval compares "
                + "with the baseline, so it evaluates models of the kit's vocabulary sizes")
        }
        guard tokenizer.vocabularySize <= model.config.vocabularySize else {
            throw CommandFailure(message: "\(modelPath): the tokenizer has \(tokenizer.vocabularySize) tokens, more than the model's "
                                 + "vocab_size \(model.config.vocabularySize): its ids would not all have an embedding")
        }

        let tokens = tokenizer.encode(try TrainCommand.loadText(options).text)
        let (train, heldOut) = TokenWindows.split(tokens, validationFraction: options.validationFraction)
        let validation = maximumTokens.map { Array(heldOut.tokens.prefix($0)) } ?? heldOut.tokens
        guard validation.count > window else {
            throw CommandFailure(message: "the held-out text has \(validation.count) tokens, too few for a window of \(window + 1)")
        }
        // The model: windows of `window` + 1 tokens overlapping by one, so each token after the first is a target once.
        let trainer = TrainableTransformer(model)
        var total = 0.0, counted = 0, positions: [Int] = []
        var start = 0
        while start + 1 < validation.count {
            let end = min(validation.count, start + window + 1)
            let length = end - start - 1
            let loss = trainer.loss(inputs: Array(validation[start..<(end - 1)]), targets: Array(validation[(start + 1)..<end]),
                                    batch: 1, context: length, computeGradients: false)
            total += Double(loss) * Double(length)
            counted += length
            positions += (start + 1)..<end
            start = end - 1
        }
        let modelLoss = total / Double(counted)
        guard modelLoss.isFinite else {
            // Weights can be finite and still overflow in the forward pass: say where, as generate does.
            let first = Array(validation.prefix(window))
            let broken = model.firstNonFiniteState(tokens: first)
            throw CommandFailure(message: "\(modelPath): the model's cross-entropy is not finite (\(modelLoss))"
                + (broken.map { "; the forward pass first produced a NaN or an infinity in \"\($0.layer)\" at position \($0.position)" } ?? "")
                + "; the weights overflow Float (a training run that diverged?)")
        }
        let comparison = try quantize ? compareQuantized(model, validation: validation, window: window) : nil
        let ngram = NGramLanguageModel(ids: train.tokens, vocabularySize: max(model.config.vocabularySize, tokenizer.vocabularySize), order: order)
        let ngramLoss = ngram.crossEntropy(on: validation, positions: positions)
        let unigram = NGramLanguageModel(ids: train.tokens, vocabularySize: max(model.config.vocabularySize, tokenizer.vocabularySize), order: 1)
        let unigramLoss = unigram.crossEntropy(on: validation, positions: positions)
        let improvement = 1 - modelLoss / ngramLoss
        if json {
            print(jsonLine([("model", .string(modelPath)), ("tokens", .integer(counted)), ("context", .integer(window)),
                            ("model_cross_entropy", .precise(modelLoss)), ("model_perplexity", .precise(exp(modelLoss))),
                            ("ngram_order", .integer(order)), ("ngram_cross_entropy", .precise(ngramLoss)),
                            ("ngram_perplexity", .precise(exp(ngramLoss))), ("unigram_cross_entropy", .precise(unigramLoss)),
                            ("improvement_over_ngram", .precise(improvement))]
                           + (comparison.map { c in
                               [("quantize", .string("q8")), ("float32_weight_bytes", .integer(model.weightBytes)),
                                ("q8_weight_bytes", .integer(c.weightBytes)),
                                ("float32_cross_entropy", .precise(c.floatLoss)), ("q8_cross_entropy", .precise(c.quantizedLoss)),
                                ("float32_perplexity", .precise(exp(c.floatLoss))), ("q8_perplexity", .precise(exp(c.quantizedLoss))),
                                ("perplexity_change", .precise(exp(c.quantizedLoss - c.floatLoss) - 1)),
                                ("top1_agreement", .precise(c.agreement))]
                           } ?? [])))
            return
        }
        let source = CorpusKind(rawValue: options.corpus) != nil
            ? "\(options.corpus), \(formatBytes(options.corpusBytes)), seed \(options.corpusSeed)" : options.corpus
        print("held-out text: the last \(Int((options.validationFraction * 100).rounded()))% of \(source): \(counted) tokens "
              + "predicted (windows of \(window)), tokenizer of \(tokenizer.vocabularySize) tokens")
        print("  model (\(modelPath))".padding(toLength: 40, withPad: " ", startingAt: 0)
              + "cross-entropy \(formatFixed(modelLoss, decimals: 4)) nats/token, perplexity \(formatPerplexity(modelLoss))")
        print("  \(order)-gram counts (training part)".padding(toLength: 40, withPad: " ", startingAt: 0)
              + "cross-entropy \(formatFixed(ngramLoss, decimals: 4)) nats/token, perplexity \(formatPerplexity(ngramLoss))")
        print("  unigram counts".padding(toLength: 40, withPad: " ", startingAt: 0)
              + "cross-entropy \(formatFixed(unigramLoss, decimals: 4)) nats/token, perplexity \(formatPerplexity(unigramLoss))")
        print("the model's cross-entropy is \(formatFixed(abs(improvement) * 100, decimals: 1))% "
              + "\(improvement >= 0 ? "below" : "above") the \(order)-gram's")
        if let c = comparison {
            let change = exp(c.quantizedLoss - c.floatLoss) - 1
            print("int8 weights (Q8_0, \(formatFigure(Double(c.weightBytes) / 1e6)) MB instead of "
                  + "\(formatFigure(Double(model.weightBytes) / 1e6)) MB): perplexity \(formatPerplexity(c.quantizedLoss, decimals: 4)) "
                  + "against float32's \(formatPerplexity(c.floatLoss, decimals: 4)) (\(change >= 0 ? "+" : "")\(formatFixed(change * 100, decimals: 3))%), "
                  + "same next token at \(formatFixed(c.agreement * 100, decimals: 2))% of \(c.positions) positions")
        }
    }

    /// float32 against Q8_0 on the same windows (the kernel's QuantizationComparison), with the
    /// quantized weights' bytes.
    static func compareQuantized(_ model: TransformerModel, validation: [Int], window: Int) throws
        -> (floatLoss: Double, quantizedLoss: Double, agreement: Double, positions: Int, weightBytes: Int) {
        let quantized = try quantizing(model, true)
        let c = QuantizationComparison(reference: model, quantized: quantized, tokens: validation, window: window)
        return (c.floatLoss, c.quantizedLoss, c.agreement, c.positions, quantized.weightBytes)
    }
}

/// e^crossEntropy with two decimals, or "above 1e308" when a (finite) cross-entropy of more than
/// 709 nats makes it overflow Double: a figure to print, never "inf".
func formatPerplexity(_ crossEntropy: Double, decimals: Int = 2) -> String {
    let perplexity = exp(crossEntropy)
    return perplexity.isFinite ? formatFixed(perplexity, decimals: decimals) : "above 1e308"
}
