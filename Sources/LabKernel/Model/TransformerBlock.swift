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

/// One block's parameters, taken from the model's dictionary by name once (`LayerNames`), so
/// the block's code reads `w.output` rather than a lookup: vectors (norm gains, biases) of type P
/// and weight matrices of type M, Tensors and `LinearWeight`s (float or quantized) for inference,
/// Variables for training. nil where the architecture has no such tensor. A class, so that handing
/// a block its weights (every layer of every decoded token) copies one reference, not two dozen.
final class BlockWeights<P, M> {
    let attentionNorm: P, attentionNormBias: P?
    /// GPT-2's fused (C, 3C) projection and its bias; nil for the Llama family.
    let fusedQueryKeyValue: M?, fusedQueryKeyValueBias: P?
    /// The Llama family's q, k and v projections, (out, in); nil for GPT-2.
    let query: M?, key: M?, value: M?
    let queryBias: P?, keyBias: P?, valueBias: P?
    let output: M, outputBias: P?
    let mlpNorm: P, mlpNormBias: P?
    let up: M, upBias: P?
    /// Llama's gate_proj; nil for GPT-2.
    let gate: M?, gateBias: P?
    let down: M, downBias: P?

    /// The vectors named by `n` in `p`, which must hold every one of them, and the matrices as
    /// `matrix(name)` gives them.
    init(_ n: LayerNames, in p: [String: P], matrix: (String) -> M) {
        func required(_ name: String) -> P {
            guard let value = p[name] else { preconditionFailure("BlockWeights: no parameter \"\(name)\"") }
            return value
        }
        func optional(_ name: String?) -> P? { name.map(required) }
        attentionNorm = required(n.attentionNorm); attentionNormBias = optional(n.attentionNormBias)
        fusedQueryKeyValue = n.fusedQueryKeyValue.map(matrix); fusedQueryKeyValueBias = optional(n.fusedQueryKeyValueBias)
        query = n.query.map(matrix); key = n.key.map(matrix); value = n.value.map(matrix)
        queryBias = optional(n.queryBias); keyBias = optional(n.keyBias); valueBias = optional(n.valueBias)
        output = matrix(n.output); outputBias = optional(n.outputBias)
        mlpNorm = required(n.mlpNorm); mlpNormBias = optional(n.mlpNormBias)
        up = matrix(n.up); upBias = optional(n.upBias)
        gate = n.gate.map(matrix); gateBias = optional(n.gateBias)
        down = matrix(n.down); downBias = optional(n.downBias)
    }
}

extension BlockWeights where P == M {
    /// Every parameter, vectors and matrices alike, from `p` (training: all Variables).
    convenience init(_ n: LayerNames, in p: [String: P]) {
        self.init(n, in: p) { name in
            guard let value = p[name] else { preconditionFailure("BlockWeights: no parameter \"\(name)\"") }
            return value
        }
    }
}

extension BlockWeights: Sendable where P: Sendable, M: Sendable {}

/// What every block of a model shares: the config and the RoPE table (nil for GPT-2).
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
    func forward(_ x: Tensor, layer: Int, weights w: BlockWeights<Tensor, LinearWeight>, cache: inout KVCache) -> Tensor {
        let shape = attentionShape
        let (t, start) = (x.shape[0], cache.count)
        precondition(cache.keys[layer].count >= (start + t) * cache.rowWidth,
                     "KV cache: room for positions up to \(start + t) must be reserved first (KVCache.reserve)")
        let (q, k, v) = queriesKeysValues(x, weights: w, start: start)
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
        var residual = x + linear(attended, weight: w.output, bias: w.outputBias)
        let h2 = norm(residual, w.mlpNorm, w.mlpNormBias)
        if let gate = w.gate {
            residual = residual + gatedMLP(h2, gate: gate, gateBias: w.gateBias, up: w.up, upBias: w.upBias,
                                           down: w.down, downBias: w.downBias, activation: config.activation)
        } else {
            residual = residual + plainMLP(h2, up: w.up, upBias: w.upBias, down: w.down, downBias: w.downBias,
                                           activation: config.activation)
        }
        return residual
    }

    /// The attention inputs of block input x (T, C) at positions start..<start + T: normalized,
    /// projected to q (T, H·D), k and v (T, KVH·D), and for Llama q and k rotated by position.
    func queriesKeysValues(_ x: Tensor, weights w: BlockWeights<Tensor, LinearWeight>, start: Int) -> (Tensor, Tensor, Tensor) {
        let h = norm(x, w.attentionNorm, w.attentionNormBias)  // (T, C)
        var (q, k, v) = projectQueryKeyValue(h, weights: w)
        if let rotaryTable {  // NEW (Llama): rotate queries and keys by their positions
            q = rotary(q, heads: attentionShape.heads, startPosition: start, table: rotaryTable)
            k = rotary(k, heads: attentionShape.kvHeads, startPosition: start, table: rotaryTable)
        }
        return (q, k, v)
    }

    /// q (T, H·D), k and v (T, KVH·D) from the normalized input h (T, C).
    private func projectQueryKeyValue(_ h: Tensor, weights w: BlockWeights<Tensor, LinearWeight>) -> (Tensor, Tensor, Tensor) {
        if let fused = w.fusedQueryKeyValue {
            let qkv = linear(h, weight: fused, bias: w.fusedQueryKeyValueBias)
            let c = config.width  // (T, 3C) -> three (T, C) column blocks
            return (columnSlice(qkv, 0..<c), columnSlice(qkv, c..<(2 * c)), columnSlice(qkv, (2 * c)..<(3 * c)))
        }
        return (linear(h, weight: w.query!, bias: w.queryBias),
                linear(h, weight: w.key!, bias: w.keyBias),
                linear(h, weight: w.value!, bias: w.valueBias))
    }

}

// MARK: - Differentiable

extension BlockContext {
    func norm(_ x: Variable, _ weight: Variable, _ bias: Variable?) -> Variable {
        bias != nil ? layerNorm(x, weight: weight, bias: bias, epsilon: config.normEpsilon)
            : rmsNorm(x, weight: weight, epsilon: config.normEpsilon)
    }

    /// One block on Variables over a whole sequence from position 0: x (T, C) -> (T, C).
    func forward(_ x: Variable, weights w: BlockWeights<Variable, Variable>) -> Variable {
        let shape = attentionShape
        let h = norm(x, w.attentionNorm, w.attentionNormBias)
        var q: Variable, k: Variable, v: Variable
        if let fused = w.fusedQueryKeyValue {
            let qkv = linear(h, weight: fused, bias: w.fusedQueryKeyValueBias, layout: .inputsByOutputs)
            let c = config.width  // (T, 3C) -> three (T, C)
            (q, k, v) = (columns(qkv, 0..<c), columns(qkv, c..<(2 * c)), columns(qkv, (2 * c)..<(3 * c)))
        } else {
            q = linear(h, weight: w.query!, bias: w.queryBias, layout: .outputsByInputs)
            k = linear(h, weight: w.key!, bias: w.keyBias, layout: .outputsByInputs)
            v = linear(h, weight: w.value!, bias: w.valueBias, layout: .outputsByInputs)
        }
        if let rotaryTable {
            q = rotary(q, heads: shape.heads, table: rotaryTable)
            k = rotary(k, heads: shape.kvHeads, table: rotaryTable)
        }
        let attended = causalAttention(query: q, keys: k, values: v, shape: shape)
        let layout: WeightLayout = config.architecture == .gpt2 ? .inputsByOutputs : .outputsByInputs
        let residual = x + linear(attended, weight: w.output, bias: w.outputBias, layout: layout)
        let h2 = norm(residual, w.mlpNorm, w.mlpNormBias)
        if let gate = w.gate {
            return residual + gatedMLP(h2, gate: gate, gateBias: w.gateBias, up: w.up, upBias: w.upBias,
                                       down: w.down, downBias: w.downBias, activation: config.activation)
        }
        return residual + plainMLP(h2, up: w.up, upBias: w.upBias, down: w.down, downBias: w.downBias,
                                   activation: config.activation)
    }
}
