// GPT-2, assembled in the lesson from the pieces of Pieces.swift, reading its weights by their
// Hugging Face names. The Llama family's block is in LlamaBlock.swift, as a marked diff of this one.
//
//     tokens -> wte[token] + wpe[position] -> N × block -> ln_f -> logits = x·wteᵀ
//
// `forward` returns the residual stream after every layer (the same steps, with the same names,
// as the kernel's `hiddenStates`), so LayerComparison.swift can compare the two layer by layer.
// Left out: the KV cache and batches (the kernel's TransformerModel has both).

import LabKernel

/// A transformer language model written for reading: a config and a dictionary of weights.
struct LessonTransformer {
    let config: TransformerConfig
    /// Every weight by its full Hugging Face name (`transformer.h.0.ln_1.weight`, `model.norm.weight`, …).
    var weights: [String: Tensor]
    /// The norms' ε; normally the config's (a broken copy in LayerComparison.swift changes it).
    var normEpsilon: Float

    init(config: TransformerConfig, weights: [String: Tensor]) {
        self.config = config
        self.weights = weights
        normEpsilon = config.normEpsilon
    }

    /// A weight the model cannot do without.
    func weight(_ name: String) -> Tensor {
        guard let tensor = weights[name] else { preconditionFailure("LessonTransformer: no weight named \(name)") }
        return tensor
    }

    /// The output after every layer for `tokens` from position 0: `embedding` (T, C),
    /// `block 0` … (T, C), `final norm` (T, C), `logits` (T, V).
    func forward(tokens: [Int]) -> [(name: String, output: Tensor)] {
        let llama = config.architecture.isLlamaFamily
        let prefix = llama ? "model." : "transformer."
        // Embedding: row `token` of the table; GPT-2 adds row `position` of a second, learned table.
        var x = rows(of: weight(prefix + (llama ? "embed_tokens.weight" : "wte.weight")), tokens)  // (T, C)
        if !llama { x = x + rows(of: weight("transformer.wpe.weight"), Array(0..<tokens.count)) }
        var states: [(name: String, output: Tensor)] = [("embedding", x)]
        for layer in 0..<config.layers {
            x = llama ? llamaBlock(x, layer: layer) : gpt2Block(x, layer: layer)
            states.append(("block \(layer)", x))
        }
        x = llama ? lessonRMSNorm(x, gain: weight("model.norm.weight"), epsilon: normEpsilon)
            : lessonLayerNorm(x, gain: weight("transformer.ln_f.weight"), bias: weight("transformer.ln_f.bias"), epsilon: normEpsilon)
        states.append(("final norm", x))
        // The LM head scores every token of the vocabulary; GPT-2 reuses the embedding table (tied).
        let head = weights["lm_head.weight"] ?? weight(prefix + (llama ? "embed_tokens.weight" : "wte.weight"))
        states.append(("logits", linearOutIn(x, head, nil)))  // (T, C)·(V, C)ᵀ -> (T, V)
        return states
    }

    /// GPT-2's block: x (T, C) -> (T, C).
    func gpt2Block(_ x: Tensor, layer: Int) -> Tensor {
        let p = "transformer.h.\(layer)."
        let (c, heads) = (config.width, config.heads)
        // Attention: one fused projection makes q, k and v side by side, (T, C) -> (T, 3C).
        let h = lessonLayerNorm(x, gain: weight(p + "ln_1.weight"), bias: weight(p + "ln_1.bias"), epsilon: normEpsilon)
        let qkv = linearConv1D(h, weight(p + "attn.c_attn.weight"), weights[p + "attn.c_attn.bias"])
        let (q, k, v) = (columns(qkv, 0..<c), columns(qkv, c..<(2 * c)), columns(qkv, (2 * c)..<(3 * c)))  // 3 × (T, C)
        let attended = lessonAttention(query: q, keys: k, values: v, heads: heads, kvHeads: heads, headSize: c / heads)
        let residual = x + linearConv1D(attended, weight(p + "attn.c_proj.weight"), weights[p + "attn.c_proj.bias"])
        // MLP: C -> 4C -> C with GELU between.
        let h2 = lessonLayerNorm(residual, gain: weight(p + "ln_2.weight"), bias: weight(p + "ln_2.bias"), epsilon: normEpsilon)
        return residual + lessonGPT2MLP(h2, up: weight(p + "mlp.c_fc.weight"), upBias: weights[p + "mlp.c_fc.bias"],
                                        down: weight(p + "mlp.c_proj.weight"), downBias: weights[p + "mlp.c_proj.bias"],
                                        activation: config.activation)
    }
}

/// Rows `ids` of a table (V, C): an embedding lookup, (T, C).
func rows(of table: Tensor, _ ids: [Int]) -> Tensor {
    let c = table.shape[1]
    var out = Tensor.zeros([ids.count, c])
    for (t, id) in ids.enumerated() { for i in 0..<c { out[t, i] = table[id, i] } }
    return out
}

/// Columns `range` of x (T, N): (T, range.count).
func columns(_ x: Tensor, _ range: Range<Int>) -> Tensor {
    var out = Tensor.zeros([x.shape[0], range.count])
    for t in 0..<x.shape[0] { for (j, column) in range.enumerated() { out[t, j] = x[t, column] } }
    return out
}
