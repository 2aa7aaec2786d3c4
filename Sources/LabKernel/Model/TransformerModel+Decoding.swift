// Decoding one token: the forward pass of TransformerModel.swift and TransformerBlock.swift for
// a single new position, worked in place on a few rows of scratch memory.
//
// Generating text runs the model once per new token, with T = 1. Then nearly all of the time
// goes into reading the weights (matrix-vector products, limited by memory bandwidth), and what
// is left between those products is tiny: a norm over C numbers, a rotation, a residual add.
// On the general path each of those steps still allocates its (1, C) result and looks its
// weights up by name; in a small model (stories15M: C = 288) that bookkeeping, done on one thread
// while the other waits for the next product, was about a tenth of every token on two threads.
// Here the same steps run on one row kept in the cache's scratch memory:
//
//     x         ← embedding row of the token (+ its position row, GPT-2)
//     for each block:
//       normed  ← norm₁(x)
//       q|k|v   ← the three projections in one parallel pass, RoPE applied to q and k
//       cache   ← k and v appended as row `position` of the layer's keys and values
//       mixed   ← attention of q over cached rows 0...position (one task per head)
//       x      += output projection of mixed
//       normed  ← norm₂(x)
//       hidden  ← act(gate·normed) ⊙ (up·normed)      (GPT-2: act(up·normed))
//       x      += down projection of hidden
//     logits    ← head · final norm(x)
//
// Every step calls the same functions as the general path (`normalizeRow`, `linear`,
// `applyRotary`, `causalAttention`, `activateInPlace`), in the same order; only q, k and v (and
// the gate and up projections) go through `linearOnOneRow`, one parallel pass that computes each
// row exactly as separate `linear` calls do. So the logits are bit for bit those of the general
// path; a test holds the two paths to that for GPT-2, Llama (GQA), Qwen2 and Mistral.
//
// A quantized model takes the same steps; `linear` and `linearOnOneRow` run the int8 products
// (Quantization/QuantizedProducts.swift) and the embedding row is read back from its blocks.
//
// Left out: several tokens at once (prompts go through the general path, where matrix products
// share each weight read across the tokens), and observers (`hiddenStates` takes the general path).

extension TransformerModel {
    /// Logits (1, V) for `token` at position `cache.count`, appending its keys and values to the
    /// cache and advancing it: the general path's numbers, without its allocations.
    func decodeStep(_ token: Int, cache: inout KVCache) -> Tensor {
        let position = cache.count
        precondition(token >= 0 && token < config.vocabularySize,
                     "forward: token id \(token) is outside the vocabulary 0..<\(config.vocabularySize)")
        cache.reserve(1)
        let context = BlockContext(config: config, rotaryTable: rotaryTable)
        let shape = context.attentionShape
        let (width, queryWidth, kvWidth) = (config.width, shape.heads * shape.headSize, cache.rowWidth)
        let hiddenWidth = 2 * config.feedForwardWidth  // gate and up side by side (GPT-2 uses half)

        // The scratch rows, one after another: x, normed, q|k|v, mixed, projected, hidden.
        let scratchCount = 3 * width + 2 * queryWidth + 2 * kvWidth + hiddenWidth
        var scratch = cache.scratch.count >= scratchCount ? cache.scratch : [Float](repeating: 0, count: scratchCount)
        cache.scratch = []  // hand the buffer over: one owner, no copy on write
        let logits = scratch.withUnsafeMutableBufferPointer { buffer -> Tensor in
            let x = buffer.baseAddress!, normed = x + width, qkv = normed + width
            let (query, key, value) = (qkv, qkv + queryWidth, qkv + queryWidth + kvWidth)
            let mixed = value + kvWidth, projected = mixed + queryWidth, hidden = projected + width

            if let table = quantizedMatrices[names.embedding] {  // a quantized model: the row read back from int8
                table.dequantizeRow(token, into: x)
            } else {
                copyRow(token, of: parameters[names.embedding]!, into: x)
            }
            if let positions = names.positions {  // GPT-2: add the learned position vector
                parameters[positions]!.withUnsafeBufferPointer { table in
                    for j in 0..<width { x[j] += table[position * width + j] }
                }
            }
            for (layer, w) in blocks.enumerated() {
                // Attention: x += o(attention(rotary(q, k), v)) of norm₁(x).
                normalize(x, into: normed, w.attentionNorm, w.attentionNormBias)
                if let fused = w.fusedQueryKeyValue {  // GPT-2: one (C, 3C) product
                    linear(normed, rows: 1, weight: fused, bias: w.fusedQueryKeyValueBias, into: qkv)
                } else {
                    linearOnOneRow(normed, [(w.query!, w.queryBias), (w.key!, w.keyBias), (w.value!, w.valueBias)], into: qkv)
                }
                if let rotaryTable {
                    applyRotary(query, rows: 1, heads: shape.heads, startPosition: position, table: rotaryTable)
                    applyRotary(key, rows: 1, heads: shape.kvHeads, startPosition: position, table: rotaryTable)
                }
                cache.keys[layer].withUnsafeMutableBufferPointer {
                    ($0.baseAddress! + position * kvWidth).update(from: key, count: kvWidth)
                }
                cache.values[layer].withUnsafeMutableBufferPointer {
                    ($0.baseAddress! + position * kvWidth).update(from: value, count: kvWidth)
                }
                cache.keys[layer].withUnsafeBufferPointer { keys in
                    cache.values[layer].withUnsafeBufferPointer { values in
                        causalAttention(query: query, rows: 1, keys: keys.baseAddress!, values: values.baseAddress!,
                                        shape: shape, startPosition: position, output: mixed)
                    }
                }
                linear(mixed, rows: 1, weight: w.output, bias: w.outputBias, into: projected)
                for j in 0..<width { x[j] += projected[j] }

                // MLP: x += down(act(gate(h)) ⊙ up(h)) of h = norm₂(x); GPT-2: down(act(up(h))).
                normalize(x, into: normed, w.mlpNorm, w.mlpNormBias)
                let f = config.feedForwardWidth
                if let gate = w.gate {
                    linearOnOneRow(normed, [(gate, w.gateBias), (w.up, w.upBias)], into: hidden)
                    activateInPlace(hidden, count: f, config.activation)
                    for j in 0..<f { hidden[j] *= hidden[f + j] }
                    linear(hidden, rows: 1, weight: w.down, bias: w.downBias, into: projected)
                } else {
                    linear(normed, rows: 1, weight: w.up, bias: w.upBias, into: hidden)
                    activateInPlace(hidden, count: f, config.activation)
                    linear(hidden, rows: 1, weight: w.down, bias: w.downBias, into: projected)
                }
                for j in 0..<width { x[j] += projected[j] }
            }
            normalize(x, into: normed, parameters[names.finalNorm]!, names.finalNormBias.map { parameters[$0]! })
            let vocabulary = config.vocabularySize  // every logit is written: no zeroing first
            let logits = [Float](unsafeUninitializedCapacity: vocabulary) { row, initialized in
                linear(normed, rows: 1, weight: head, bias: nil, into: row.baseAddress!)
                initialized = vocabulary
            }
            return Tensor(shape: [1, vocabulary], scalars: logits)
        }
        cache.scratch = scratch
        cache.count += 1
        return logits
    }

    /// LayerNorm (with a bias) or RMSNorm of one row, as `BlockContext.norm` decides for a Tensor.
    private func normalize(_ x: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>,
                           _ weight: Tensor, _ bias: Tensor?) {
        weight.withUnsafeBufferPointer { w in
            withOptionalBuffer(bias) { b in
                _ = normalizeRow(x, into: output, width: config.width, weight: w.baseAddress!, bias: b?.baseAddress,
                                 epsilon: config.normEpsilon, centered: bias != nil)
            }
        }
    }
}

/// Copies row `index` of a (rows, C) table into `output`.
private func copyRow(_ index: Int, of table: Tensor, into output: UnsafeMutablePointer<Float>) {
    let width = table.shape[1]
    table.withUnsafeBufferPointer { output.update(from: $0.baseAddress! + index * width, count: width) }
}
