// The logit lens: what each layer's residual stream would predict if the model stopped there.
//
// A transformer adds each block's output into one residual stream, and only the last state goes
// through the final norm and the LM head. The logit lens (nostalgebraist, 2020) sends every
// intermediate state through the same final norm and head: the norm normalizes each position's
// vector with its own mean and spread (so a layer's slice is read on the scale the head expects),
// and the head turns it into logits over the vocabulary. Early layers usually predict the current
// token or something generic; later ones converge on the model's answer. The lens of the last
// block is, by construction, the model's own logits (a test holds them equal to the bit).
// Both go through the model's own code: `hiddenStates` for the states, and the final norm and head
// of TransformerModel.forward.
// Left out: the tuned lens (a learned map per layer), and lenses inside a block.

extension TransformerModel {
    /// One layer's reading through the lens: the state's name (`embedding`, `block 0`, …) and its
    /// logits (T, V), row t the prediction after position t.
    public struct LensReading {
        public let layer: String
        public let logits: Tensor
    }

    /// The residual stream after the embedding and after every block, each through the final norm
    /// and the LM head: 1 + N readings of (T, V), for `tokens` from position 0.
    ///
    ///     let lens = model.logitLens(tokens: ids)
    ///     lens.last!.logits == model.forward(tokens: ids)   // true: the last block's reading is the output
    public func logitLens(tokens: [Int]) -> [LensReading] {
        let context = BlockContext(config: config, rotaryTable: rotaryTable)
        let finalNorm = parameters[names.finalNorm]!, finalNormBias = names.finalNormBias.map { parameters[$0]! }
        return hiddenStates(tokens: tokens).filter { $0.name == "embedding" || $0.name.hasPrefix("block ") }.map { state in
            let normalized = context.norm(state.output, finalNorm, finalNormBias)  // (T, C), each row with its own statistics
            return LensReading(layer: state.name, logits: linear(normalized, weight: head, bias: nil))  // (T, V)
        }
    }
}

extension TransformerModel.LensReading {
    /// The `count` most likely tokens at `position` with their probabilities (softmax of the row),
    /// most likely first; ties keep the lower id first.
    public func top(_ count: Int, at position: Int) -> [(id: Int, probability: Float)] {
        let probabilities = softmax(logits.row(position)).scalars
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
        return order.prefix(count).map { ($0, probabilities[$0]) }
    }
}
