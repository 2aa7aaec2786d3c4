// The pre-norm residual block shared by GPT-2 and the Llama family.
//
//     x = x + attention(norm₁(x))        norm: LayerNorm (GPT-2) or RMSNorm (Llama)
//     x = x + mlp(norm₂(x))              mlp: GELU (GPT-2) or SwiGLU (Llama)
//
// Normalizing the input of each sublayer (not its output, as the 2017 paper did) leaves an
// unnormalized residual path from the embedding to the head, which keeps deep stacks trainable.
// Two versions of the same steps: on Tensors with a KV cache (inference, the fast attention), and
// on Variables over a whole sequence (training, differentiable).
//
// Left out: dropout, parallel attention/MLP blocks (GPT-J), and post-norm.

/// What every block of a model shares: the config and the RoPE table (nil for GPT-2). The
/// parameters themselves are looked up by name (`LayerNames`) in the model's dictionary.
struct BlockContext {
    let config: TransformerConfig
    let rotaryTable: RotaryTable?
    var attentionShape: AttentionShape {
        AttentionShape(heads: config.heads, kvHeads: config.kvHeads, headSize: config.headSize,
                       window: config.slidingWindow)
    }
}

extension BlockContext {
    /// LayerNorm when the norm has a bias (GPT-2), else RMSNorm.
    func norm(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?) -> Tensor {
        bias != nil ? layerNorm(x, weight: weight, bias: bias, epsilon: config.normEpsilon)
            : rmsNorm(x, weight: weight, epsilon: config.normEpsilon)
    }

    /// One block on Tensors: x (T, C) -> (T, C), rows at positions cache.count..<cache.count + T.
    /// Appends this layer's keys and values to `cache` (the caller reserves room first and
    /// advances `cache.count` after the last layer).
    func forward(_ x: Tensor, layer: Int, names n: LayerNames, parameters p: [String: Tensor],
                 cache: inout KVCache) -> Tensor {
        let shape = attentionShape
        let (t, start) = (x.shape[0], cache.count)
        precondition(cache.keys[layer].count >= (start + t) * cache.rowWidth,
                     "KV cache: room for positions up to \(start + t) must be reserved first (KVCache.reserve)")
        let (q, k, v) = queriesKeysValues(x, names: n, parameters: p, start: start)
        // Append k, v as rows start..<start + T of the cache, then attend over rows 0..<start + T.
        let rowWidth = cache.rowWidth
        cache.keys[layer].withUnsafeMutableBufferPointer { keys in
            k.withUnsafeBufferPointer { (keys.baseAddress! + start * rowWidth).update(from: $0.baseAddress!, count: t * rowWidth) }
        }
        cache.values[layer].withUnsafeMutableBufferPointer { values in
            v.withUnsafeBufferPointer { (values.baseAddress! + start * rowWidth).update(from: $0.baseAddress!, count: t * rowWidth) }
        }
        var attended = Tensor.zeros([t, shape.heads * shape.headSize])  // (T, H·D)
        q.withUnsafeBufferPointer { qs in
            cache.keys[layer].withUnsafeBufferPointer { keys in
                cache.values[layer].withUnsafeBufferPointer { values in
                    attended.withUnsafeMutableBufferPointer { out in
                        causalAttention(query: qs.baseAddress!, rows: t, keys: keys.baseAddress!, values: values.baseAddress!,
                                        shape: shape, startPosition: start, output: out.baseAddress!)
                    }
                }
            }
        }
        let layout: WeightLayout = config.architecture == .gpt2 ? .inputsByOutputs : .outputsByInputs
        var residual = x + linear(attended, weight: p[n.output]!, bias: n.outputBias.map { p[$0]! }, layout: layout)
        let h2 = norm(residual, p[n.mlpNorm]!, n.mlpNormBias.map { p[$0]! })
        let (upBias, downBias) = (n.upBias.map { p[$0]! }, n.downBias.map { p[$0]! })
        if let gate = n.gate {
            residual = residual + gatedMLP(h2, gate: p[gate]!, gateBias: n.gateBias.map { p[$0]! }, up: p[n.up]!, upBias: upBias,
                                           down: p[n.down]!, downBias: downBias, activation: config.activation)
        } else {
            residual = residual + plainMLP(h2, up: p[n.up]!, upBias: upBias, down: p[n.down]!, downBias: downBias,
                                           activation: config.activation)
        }
        return residual
    }

    /// The attention inputs of block input x (T, C) at positions start..<start + T: normalized,
    /// projected to q (T, H·D), k and v (T, KVH·D), and for Llama q and k rotated by position.
    func queriesKeysValues(_ x: Tensor, names n: LayerNames, parameters p: [String: Tensor], start: Int)
        -> (Tensor, Tensor, Tensor) {
        let h = norm(x, p[n.attentionNorm]!, n.attentionNormBias.map { p[$0]! })  // (T, C)
        var (q, k, v) = projectQueryKeyValue(h, names: n, parameters: p)
        if let rotaryTable {  // NEW (Llama): rotate queries and keys by their positions
            q = rotary(q, heads: attentionShape.heads, startPosition: start, table: rotaryTable)
            k = rotary(k, heads: attentionShape.kvHeads, startPosition: start, table: rotaryTable)
        }
        return (q, k, v)
    }

    /// q (T, H·D), k and v (T, KVH·D) from the normalized input h (T, C).
    private func projectQueryKeyValue(_ h: Tensor, names n: LayerNames, parameters p: [String: Tensor])
        -> (Tensor, Tensor, Tensor) {
        if let fused = n.fusedQueryKeyValue {
            let qkv = linear(h, weight: p[fused]!, bias: n.fusedQueryKeyValueBias.map { p[$0]! }, layout: .inputsByOutputs)
            let c = config.width  // (T, 3C) -> three (T, C) column blocks
            return (columnSlice(qkv, 0..<c), columnSlice(qkv, c..<(2 * c)), columnSlice(qkv, (2 * c)..<(3 * c)))
        }
        let layers = [(p[n.query!]!, n.queryBias.map { p[$0]! }), (p[n.key!]!, n.keyBias.map { p[$0]! }),
                      (p[n.value!]!, n.valueBias.map { p[$0]! })]
        if h.shape[0] == 1 {  // decoding: the three products in one parallel pass
            let qkv = linearOnOneRow(h, layers)
            return (qkv[0], qkv[1], qkv[2])
        }
        let (q, k, v) = (layers[0], layers[1], layers[2])
        return (linear(h, weight: q.0, bias: q.1, layout: .outputsByInputs),
                linear(h, weight: k.0, bias: k.1, layout: .outputsByInputs),
                linear(h, weight: v.0, bias: v.1, layout: .outputsByInputs))
    }

}

// MARK: - Differentiable

extension BlockContext {
    func norm(_ x: Variable, _ weight: Variable, _ bias: Variable?) -> Variable {
        bias != nil ? layerNorm(x, weight: weight, bias: bias, epsilon: config.normEpsilon)
            : rmsNorm(x, weight: weight, epsilon: config.normEpsilon)
    }

    /// One block on Variables over a whole sequence from position 0: x (T, C) -> (T, C).
    func forward(_ x: Variable, names n: LayerNames, parameters p: [String: Variable]) -> Variable {
        let shape = attentionShape
        let h = norm(x, p[n.attentionNorm]!, n.attentionNormBias.map { p[$0]! })
        var q: Variable, k: Variable, v: Variable
        if let fused = n.fusedQueryKeyValue {
            let qkv = linear(h, weight: p[fused]!, bias: n.fusedQueryKeyValueBias.map { p[$0]! }, layout: .inputsByOutputs)
            let c = config.width  // (T, 3C) -> three (T, C)
            (q, k, v) = (columns(qkv, 0..<c), columns(qkv, c..<(2 * c)), columns(qkv, (2 * c)..<(3 * c)))
        } else {
            q = linear(h, weight: p[n.query!]!, bias: n.queryBias.map { p[$0]! }, layout: .outputsByInputs)
            k = linear(h, weight: p[n.key!]!, bias: n.keyBias.map { p[$0]! }, layout: .outputsByInputs)
            v = linear(h, weight: p[n.value!]!, bias: n.valueBias.map { p[$0]! }, layout: .outputsByInputs)
        }
        if let rotaryTable {
            q = rotary(q, heads: shape.heads, table: rotaryTable)
            k = rotary(k, heads: shape.kvHeads, table: rotaryTable)
        }
        let attended = causalAttention(query: q, keys: k, values: v, shape: shape)
        let layout: WeightLayout = config.architecture == .gpt2 ? .inputsByOutputs : .outputsByInputs
        let residual = x + linear(attended, weight: p[n.output]!, bias: n.outputBias.map { p[$0]! }, layout: layout)
        let h2 = norm(residual, p[n.mlpNorm]!, n.mlpNormBias.map { p[$0]! })
        let (upBias, downBias) = (n.upBias.map { p[$0]! }, n.downBias.map { p[$0]! })
        if let gate = n.gate {
            return residual + gatedMLP(h2, gate: p[gate]!, gateBias: n.gateBias.map { p[$0]! }, up: p[n.up]!, upBias: upBias,
                                       down: p[n.down]!, downBias: downBias, activation: config.activation)
        }
        return residual + plainMLP(h2, up: p[n.up]!, upBias: upBias, down: p[n.down]!, downBias: downBias,
                                   activation: config.activation)
    }
}
