// Looking inside a model: the residual stream after every layer, and the attention weights of
// a layer's heads.
//
// When a model's logits are wrong, the last numbers say little: one wrong layer early on (a
// dropped bias, a transposed weight, the wrong norm epsilon) spoils everything after it. Recording
// the hidden states after the embedding, after each block and after the final norm, and then the
// logits, lets a lesson or a test compare them one by one and name the first that diverges.
// Both functions run the model's own forward pass (TransformerModel.swift) and block code.
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
        var states: [(name: String, output: Tensor)] = []
        _ = forward(tokens: tokens, cache: &cache, lastPositionOnly: false) { states.append(($0, $1)) }
        return states
    }

    /// Where a forward pass first stops being finite: the first layer (as `hiddenStates` names
    /// them) whose output holds a NaN or an infinity, and the first position in it; nil if none.
    /// Finite weights can still overflow (a huge norm gain, a logit beyond Float's range).
    public func firstNonFiniteState(tokens: [Int]) -> (layer: String, position: Int)? {
        for (name, output) in hiddenStates(tokens: tokens) {
            if let (index, _) = firstNonFinite(output) { return (name, index / output.shape[1]) }
        }
        return nil
    }

    /// The attention weights of every head of block `layer` for a sequence from position 0:
    /// H tensors (T, T), row t the weights query t puts on keys 0...t (what a heatmap shows).
    public func attentionWeights(tokens: [Int], layer: Int) -> [Tensor] {
        precondition(layer >= 0 && layer < config.layers, "attentionWeights: layer \(layer) outside 0..<\(config.layers)")
        let input = hiddenStates(tokens: tokens)[layer].output  // the embedding, or block layer - 1's output
        let context = BlockContext(config: config, rotaryTable: rotaryTable)
        let (q, k, _) = context.queriesKeysValues(input, weights: blocks[layer], start: 0)
        return (0..<config.heads).map {
            attentionProbabilities(query: q, keys: k, shape: context.attentionShape, head: $0)
        }
    }
}
