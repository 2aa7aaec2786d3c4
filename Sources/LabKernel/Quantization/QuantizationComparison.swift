// What quantization costs in quality: a float32 model and its quantized twin read the same text.
//
// Both models run the inference forward pass over consecutive windows of the text, overlapping
// by one token so that every token after the first is predicted exactly once. The comparison
// keeps each model's mean cross-entropy (perplexity is its exponential) and the share of
// positions where both pick the same most likely next token (top-1 agreement). `lab eval
// --quantize q8` and lesson 07 print these.
// Left out: other metrics (KL divergence per token, as llama.cpp's perplexity tool also reports).

/// A float32 model against its quantized twin on the same tokens.
public struct QuantizationComparison: Sendable, Equatable {
    /// Mean cross-entropy of each model, nats per predicted token.
    public var floatLoss: Double
    public var quantizedLoss: Double
    /// The share of positions whose most likely next token is the same for both, in 0...1.
    public var agreement: Double
    /// Predicted positions: tokens.count − 1.
    public var positions: Int

    /// Compares `reference` and `quantized` on `tokens`, read in windows of at most `window`
    /// inputs (at most the models' context length).
    ///
    ///     let c = QuantizationComparison(reference: model, quantized: try model.quantized(), tokens: ids, window: 256)
    ///     exp(c.quantizedLoss) / exp(c.floatLoss) - 1   // the perplexity's relative change
    public init(reference: TransformerModel, quantized: TransformerModel, tokens: [Int], window: Int) {
        precondition(tokens.count >= 2, "QuantizationComparison: needs at least 2 tokens, got \(tokens.count)")
        precondition(window >= 1 && window <= min(reference.config.contextLength, quantized.config.contextLength),
                     "QuantizationComparison: window \(window) outside 1...the models' context length")
        var floatTotal = 0.0, quantizedTotal = 0.0, agreeing = 0, counted = 0, start = 0
        while start + 1 < tokens.count {
            let end = min(tokens.count, start + window + 1)
            let inputs = Array(tokens[start..<(end - 1)]), targets = Array(tokens[(start + 1)..<end])
            let exact = reference.forward(tokens: inputs), approximate = quantized.forward(tokens: inputs)  // (T, V) each
            floatTotal += Double(crossEntropy(logits: exact, targets: targets)) * Double(targets.count)
            quantizedTotal += Double(crossEntropy(logits: approximate, targets: targets)) * Double(targets.count)
            for t in 0..<targets.count where greedyToken(exact.row(t).scalars) == greedyToken(approximate.row(t).scalars) {
                agreeing += 1
            }
            counted += targets.count
            start = end - 1
        }
        floatLoss = floatTotal / Double(counted)
        quantizedLoss = quantizedTotal / Double(counted)
        agreement = Double(agreeing) / Double(counted)
        positions = counted
    }
}
