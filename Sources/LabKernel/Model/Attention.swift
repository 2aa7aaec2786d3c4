// Causal multi-head attention with grouped-query heads: a readable reference and a fast path.
//
// Layout. Queries arrive as (T, H·D): row t holds the H heads of position t side by side, which
// is what a projection produces (and what Hugging Face views as (B, T, H, D)). Keys and values
// are (S, KVH·D) with KVH ≤ H key/value heads; query head h reads key/value head h / (H / KVH)
// (HF's `repeat_kv` order: consecutive query heads share one KV head). Query row t sits at
// position `startPosition + t` and may attend to keys 0...startPosition + t: that is the causal
// mask, and with a KV cache the first `startPosition` keys are the cached past.
//
//     scores = q·kᵀ / sqrt(D)     masked where key position > query position
//     out    = softmax(scores)·v
//
// A sliding window (Mistral's `sliding_window` W) masks the distant past too: position p sees
// keys p - W + 1 ... p, W keys at most, as Hugging Face's sliding-window mask does.
//
// The reference builds each head's (T, S) score matrix with the kernel's matmul and softmax.
// The fast path never materializes it: one task per (query row, head) computes that row's
// scores into a scratch row, then a two-pass softmax (max, then exp and sum) and the weighted
// sum of value rows, threaded over rows and heads with `Parallel`.
// The differentiable version (training) recomputes probabilities in its backward rule.
//
// Left out: attention dropout, padding masks and batches (B = 1; batch by calling per
// sequence). The KV cache keeps every position even under a window (KVCache.swift).

import Foundation

/// Where the heads of one attention call live and how they map onto each other.
public struct AttentionShape: Sendable, Equatable {
    /// H: query heads.
    public var heads: Int
    /// KVH: key/value heads, dividing H.
    public var kvHeads: Int
    /// D: the size of a head.
    public var headSize: Int
    /// W: how many positions a query sees, itself included (nil: all earlier positions).
    public var window: Int?

    public init(heads: Int, kvHeads: Int, headSize: Int, window: Int? = nil) {
        precondition(heads > 0 && kvHeads > 0 && heads % kvHeads == 0,
                     "attention: kvHeads (\(kvHeads)) must divide heads (\(heads))")
        precondition(window.map { $0 > 0 } ?? true, "attention: a sliding window must be at least 1 position, got \(window ?? 0)")
        self.heads = heads
        self.kvHeads = kvHeads
        self.headSize = headSize
        self.window = window
    }

    /// The key/value head that query head `head` reads.
    @inlinable public func kvHead(for head: Int) -> Int { head / (heads / kvHeads) }

    /// The key positions a query at `position` attends to: all earlier ones and itself, or the
    /// last `window` of them.
    @inlinable public func visibleKeys(at position: Int) -> Range<Int> {
        (window.map { max(0, position - $0 + 1) } ?? 0)..<(position + 1)
    }
}

// MARK: - Reference

/// Causal attention the readable way: for each head, the full (T, S) score matrix, the mask,
/// the softmax and the weighted sum of values.
///
/// - Parameters:
///   - query: (T, H·D), row t at position `startPosition + t`
///   - keys: (S, KVH·D), S = startPosition + T
///   - values: (S, KVH·D)
/// - Returns: (T, H·D)
public func causalAttentionReference(query: Tensor, keys: Tensor, values: Tensor, shape: AttentionShape,
                                     startPosition: Int = 0) -> Tensor {
    let (t, _, d) = checkAttentionShapes(query: query, keys: keys, values: values, shape: shape, startPosition: startPosition)
    var output = Tensor.zeros([t, shape.heads * d])
    for h in 0..<shape.heads {
        let probabilities = attentionProbabilities(query: query, keys: keys, shape: shape, head: h,
                                                   startPosition: startPosition)  // (T, S)
        let v = headColumns(values, head: shape.kvHead(for: h), size: d)  // (S, KVH·D) -> (S, D)
        let mixed = matmul(probabilities, v)  // (T, S)·(S, D) -> (T, D)
        for row in 0..<t {
            for i in 0..<d { output[row, h * d + i] = mixed[row, i] }
        }
    }
    return output
}

/// The attention weights of query head `head`: softmax over keys of the scaled, causally masked
/// scores, (T, S) with rows summing to 1 and zeros above the diagonal (shifted by
/// `startPosition`) and, with a sliding window, left of the window. What an attention heatmap
/// shows; the reference path and the backward rule both start from it.
///
/// - Parameters:
///   - query: (T, H·D), row t at position `startPosition + t`
///   - keys: (S, KVH·D), S = startPosition + T
public func attentionProbabilities(query: Tensor, keys: Tensor, shape: AttentionShape, head: Int,
                                   startPosition: Int = 0) -> Tensor {
    let (t, s, d) = checkAttentionShapes(query: query, keys: keys, values: keys, shape: shape, startPosition: startPosition)
    precondition(head >= 0 && head < shape.heads, "attentionProbabilities: head \(head) outside 0..<\(shape.heads)")
    let q = headColumns(query, head: head, size: d)                  // (T, H·D) -> (T, D)
    let k = headColumns(keys, head: shape.kvHead(for: head), size: d)  // (S, KVH·D) -> (S, D)
    var scores = matmul(q, transposed: k) * (1 / Float(d).squareRoot())  // (T, S)
    for row in 0..<t {
        let visible = shape.visibleKeys(at: startPosition + row)
        for column in 0..<visible.lowerBound { scores[row, column] = -.infinity }  // outside the window
        for column in visible.upperBound..<s { scores[row, column] = -.infinity }  // the future
    }
    return softmax(scores)
}

/// Columns of head `head` of a (N, heads·D) matrix: (N, D).
func headColumns(_ x: Tensor, head: Int, size: Int) -> Tensor {
    columnSlice(x, (head * size)..<((head + 1) * size))
}

private func checkAttentionShapes(query: Tensor, keys: Tensor, values: Tensor, shape: AttentionShape,
                                  startPosition: Int) -> (Int, Int, Int) {
    let d = shape.headSize
    precondition(query.rank == 2 && query.shape[1] == shape.heads * d,
                 "attention: query must be (T, H·D) = (T, \(shape.heads)·\(d)), got \(query.shape.shapeDescription)")
    let t = query.shape[0], s = startPosition + t
    precondition(keys.shape == [s, shape.kvHeads * d] && values.shape == keys.shape,
                 "attention: keys and values must be (S, KVH·D) = \([s, shape.kvHeads * d].shapeDescription) (S = start \(startPosition) + T \(t)), got \(keys.shape.shapeDescription) and \(values.shape.shapeDescription)")
    return (t, s, d)
}

// MARK: - Fast path

/// Causal attention on Tensors through the fast path; same contract as `causalAttentionReference`.
public func causalAttention(query: Tensor, keys: Tensor, values: Tensor, shape: AttentionShape,
                            startPosition: Int = 0) -> Tensor {
    let (t, _, d) = checkAttentionShapes(query: query, keys: keys, values: values, shape: shape, startPosition: startPosition)
    var output = Tensor.zeros([t, shape.heads * d])
    query.withUnsafeBufferPointer { q in
        keys.withUnsafeBufferPointer { k in
            values.withUnsafeBufferPointer { v in
                output.withUnsafeMutableBufferPointer { o in
                    causalAttention(query: q.baseAddress!, rows: t, keys: k.baseAddress!, values: v.baseAddress!,
                                    shape: shape, startPosition: startPosition, output: o.baseAddress!)
                }
            }
        }
    }
    return output
}

/// The fast path on raw memory: `query` (T, H·D), `keys`/`values` at least (startPosition + T, KVH·D),
/// `output` (T, H·D). One task per (row, head); each keeps one scratch row of scores.
func causalAttention(query: UnsafePointer<Float>, rows: Int, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                     shape: AttentionShape, startPosition: Int, output: UnsafeMutablePointer<Float>) {
    let (heads, d) = (shape.heads, shape.headSize)
    let kvStride = shape.kvHeads * d, qStride = heads * d
    let scale = 1 / Float(d).squareRoot()
    let (q, k, v, o) = (SendableConstPointer(query), SendableConstPointer(keys), SendableConstPointer(values),
                        SendablePointer(output))
    let items = rows * heads
    let averageKeys = startPosition + (rows + 1) / 2
    // Per key: two passes over D (scores, then the weighted sum of values) and one exp.
    Parallel.forEachChunk(items, costPerItem: averageKeys * (4 * d + 16)) { range in
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: startPosition + rows)
        defer { scores.deallocate() }
        for item in range {
            let (row, h) = (item / heads, item % heads)
            let visible = shape.visibleKeys(at: startPosition + row)  // keys 0...position, or its window
            let queryRow = q.base + row * qStride + h * d
            let kvOffset = shape.kvHead(for: h) * d
            // Pass 1: scores and their maximum (subtracted before exp so that exp cannot overflow).
            var maximum = -Float.infinity
            for j in visible {
                scores[j] = dotProduct(queryRow, k.base + j * kvStride + kvOffset, count: d) * scale
                maximum = max(maximum, scores[j])
            }
            // Pass 2: exponentials (16 at a time), their sum, and the weighted sum of value rows.
            for j in visible { scores[j] -= maximum }
            exponential(scores + visible.lowerBound, into: scores + visible.lowerBound, count: visible.count)
            let outputRow = o.base + row * qStride + h * d
            outputRow.update(repeating: 0, count: d)
            var total: Float = 0
            for j in visible {
                let weight = scores[j]
                total += weight
                addScaled(weight, v.base + j * kvStride + kvOffset, to: outputRow, count: d)
            }
            let inverse = 1 / total
            for i in 0..<d { outputRow[i] *= inverse }
        }
    }
}

// MARK: - Differentiable

/// Differentiable causal self-attention over one whole sequence (no cache): query (T, H·D),
/// keys and values (T, KVH·D) -> (T, H·D). The forward value is the fast path.
///
/// Backward, per head with P the (T, T) probabilities, O = P·V and S = Q·Kᵀ/√D:
/// `dV = Pᵀ·dO`, `dP = dO·Vᵀ`, `dS = P ⊙ (dP − rowsum(dP ⊙ P))` (softmax's rule), then
/// `dQ = dS·K/√D` and `dK = dSᵀ·Q/√D`. Query heads sharing a KV head add their dK and dV.
public func causalAttention(query: Variable, keys: Variable, values: Variable, shape: AttentionShape) -> Variable {
    let (q, k, v) = (query.value, keys.value, values.value)
    let output = causalAttention(query: q, keys: k, values: v, shape: shape)
    return Variable.record("causalAttention", output, inputs: [query, keys, values]) { g in
        let (t, d) = (q.shape[0], shape.headSize)
        let scale = 1 / Float(d).squareRoot()
        var dq = Tensor.zeros(q.shape), dk = Tensor.zeros(k.shape), dv = Tensor.zeros(v.shape)
        for h in 0..<shape.heads {
            let kv = shape.kvHead(for: h)
            let qh = headColumns(q, head: h, size: d), kh = headColumns(k, head: kv, size: d)
            let vh = headColumns(v, head: kv, size: d), gh = headColumns(g, head: h, size: d)
            let p = attentionProbabilities(query: q, keys: k, shape: shape, head: h)  // (T, T)
            let dvh = matmul(transposed: p, gh)           // (T, T)ᵀ·(T, D) -> (T, D)
            let dp = matmul(gh, transposed: vh)           // (T, D)·(T, D)ᵀ -> (T, T)
            let rowDot = (dp * p).sum(alongAxis: 1, keepingAxis: true)  // (T, 1)
            let ds = p * (dp - rowDot) * scale            // (T, T); masked entries have p = 0
            let dqh = matmul(ds, kh)                      // (T, T)·(T, D) -> (T, D)
            let dkh = matmul(transposed: ds, qh)          // (T, T)ᵀ·(T, D) -> (T, D)
            for row in 0..<t {
                for i in 0..<d {
                    dq[row, h * d + i] = dqh[row, i]
                    dk[row, kv * d + i] += dkh[row, i]
                    dv[row, kv * d + i] += dvh[row, i]
                }
            }
        }
        return [dq, dk, dv]
    }
}
