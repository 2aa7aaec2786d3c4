// The residual stream after every layer, for comparing two implementations layer by layer.
//
// When a model's logits are wrong, the last numbers say little: one wrong layer early on (a
// dropped bias, a transposed weight, the wrong norm epsilon) spoils everything after it. Recording
// the hidden states after the embedding, after each block and after the final norm, and then the
// logits, lets a lesson or a test compare them one by one and name the first that diverges.
// The steps are exactly those of `forward(tokens:cache:)`, run through the same block code.
//
// Left out: the states inside a block (after attention, before the MLP); a block is one step.

extension TransformerModel {
    /// Every layer's output for a sequence from position 0, in order: `embedding` (T, C), then
    /// `block 0` … `block N-1` (T, C) each, `final norm` (T, C) and `logits` (T, V).
    ///
    ///     let states = model.hiddenStates(tokens: [1, 2, 3])
    ///     states.map(\.name)   // ["embedding", "block 0", "block 1", "final norm", "logits"]
    public func hiddenStates(tokens: [Int]) -> [(name: String, output: Tensor)] {
        precondition(!tokens.isEmpty && tokens.count <= config.contextLength,
                     "hiddenStates: needs 1...\(config.contextLength) tokens, got \(tokens.count)")
        var cache = KVCache(config: config, capacity: tokens.count)
        cache.reserve(tokens.count)
        let context = BlockContext(config: config, rotaryTable: rotaryTable)
        var x = embedding(parameters[names.embedding]!, ids: tokens)  // (T, C)
        if let positions = names.positions {
            x = x + embedding(parameters[positions]!, ids: Array(0..<tokens.count))
        }
        var states: [(name: String, output: Tensor)] = [("embedding", x)]
        for (layer, layerNames) in names.layers.enumerated() {
            x = context.forward(x, layer: layer, names: layerNames, parameters: parameters, cache: &cache)
            states.append(("block \(layer)", x))
        }
        x = context.norm(x, parameters[names.finalNorm]!, names.finalNormBias.map { parameters[$0]! })
        states.append(("final norm", x))
        states.append(("logits", linear(x, weight: parameters[names.head]!, bias: nil, layout: .outputsByInputs)))
        return states
    }
}
