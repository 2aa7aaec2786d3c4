// Batches for a language model: windows of a token stream, each input predicting its next token.
//
// A corpus, tokenized, is one long stream of ids. A training example is any window of T + 1
// consecutive ids: the first T are the inputs and the last T (shifted by one) the targets, so
// every position learns to predict the token after it. Training draws windows at random starts
// (our seeded generator, so a run is reproducible and a resumed run draws what the uninterrupted
// one would have); evaluation walks fixed, evenly spaced windows of the held-out stream, so two
// evaluations of the same weights give the same loss.
//
// The held-out stream is the end of the corpus (`split`): text the model never trains on, which
// measures how well it generalizes rather than how well it remembers.
// Left out: document boundaries inside a window (the separator token is just another token),
// shuffling without replacement, and padding (a window is always full).

/// A token stream to draw (B, T) batches of next-token examples from.
public struct TokenWindows: TrainingBatchSource {
    public let tokens: [Int]

    public init(_ tokens: [Int]) { self.tokens = tokens }

    /// Splits `tokens` into a training stream (the first part) and a held-out stream of about
    /// `validationFraction` of the tokens (the end).
    public static func split(_ tokens: [Int], validationFraction: Double) -> (train: TokenWindows, validation: TokenWindows) {
        precondition((0..<1).contains(validationFraction), "split: validationFraction must be in [0, 1), got \(validationFraction)")
        let cut = tokens.count - Int((Double(tokens.count) * validationFraction).rounded())
        return (TokenWindows(Array(tokens[..<cut])), TokenWindows(Array(tokens[cut...])))
    }

    /// Whether the stream holds at least one window of `context` + 1 tokens.
    public func hasWindow(context: Int) -> Bool { tokens.count > context }

    /// `batch` windows at random starts: inputs and targets, each batch·context ids, row-major.
    public func randomBatch(batch: Int, context: Int, using generator: inout SeededGenerator) -> (inputs: [Int], targets: [Int]) {
        precondition(hasWindow(context: context),
                     "randomBatch: the stream has \(tokens.count) tokens, fewer than a window of \(context + 1)")
        var inputs: [Int] = [], targets: [Int] = []
        inputs.reserveCapacity(batch * context)
        targets.reserveCapacity(batch * context)
        for _ in 0..<batch {
            let start = generator.nextInt(below: tokens.count - context)
            inputs += tokens[start..<(start + context)]
            targets += tokens[(start + 1)...(start + context)]
        }
        return (inputs, targets)
    }

    /// Up to `count` batches of evenly spaced windows covering the stream from its start to its
    /// end (overlapping when the stream is short), the same every time.
    public func evaluationBatches(batch: Int, context: Int, count: Int) -> [(inputs: [Int], targets: [Int])] {
        precondition(hasWindow(context: context),
                     "evaluationBatches: the stream has \(tokens.count) tokens, fewer than a window of \(context + 1)")
        let windows = batch * count, lastStart = tokens.count - context - 1
        let starts = (0..<windows).map { windows == 1 ? 0 : lastStart * $0 / (windows - 1) }
        return (0..<count).map { b in
            var inputs: [Int] = [], targets: [Int] = []
            for start in starts[(b * batch)..<((b + 1) * batch)] {
                inputs += tokens[start..<(start + context)]
                targets += tokens[(start + 1)...(start + context)]
            }
            return (inputs, targets)
        }
    }
}
