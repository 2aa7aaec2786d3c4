// Solution 03.5 (attention.decode-step-with-cache): one decoding step of multi-head (and
// grouped-query) attention with a KV cache.

import Foundation
import LabKernel

/// The cached keys and values of one attention layer: one row per past position, each row the
/// KVH key/value heads of that position side by side (KVH·D numbers).
public struct LayerCache {
    /// (S, KVH·D) row-major: the keys of positions 0..<S.
    public var keys: [Float] = []
    /// (S, KVH·D) row-major: the values.
    public var values: [Float] = []
    /// KVH·D: the width of one row.
    public let rowWidth: Int
    /// S: the number of positions cached so far (the next token's position).
    public var count: Int { keys.count / rowWidth }

    /// An empty cache for rows of `rowWidth` = KVH·D numbers.
    public init(rowWidth: Int) {
        precondition(rowWidth > 0, "LayerCache: the row width KVH·D must be positive, got \(rowWidth)")
        self.rowWidth = rowWidth
    }
}

/// One decoding step: appends the new token's key and value to `cache`, then attends with its
/// query over every cached position (its own included).
///
/// The new token sits at position S = cache.count (before appending). After appending, the cache
/// holds S + 1 rows and all of them are visible: the future is not in the cache yet, so no mask
/// is needed. For each query head h (0..<H):
///
/// - it reads key/value head g = h / (H / KVH) (grouped-query attention: consecutive query heads
///   share a key/value head; with KVH = H each head has its own),
/// - scores every cached row j: `q_h · k_{j,g} / √D`,
/// - takes the softmax of those S + 1 scores (stably, the maximum subtracted first),
/// - outputs the weighted sum of the value rows `Σ_j w_j · v_{j,g}`, D numbers,
///
/// and the H outputs are returned side by side, like the query.
///
/// - Parameters:
///   - query: H·D numbers: the new token's query heads side by side
///   - key: KVH·D numbers: its key heads
///   - value: KVH·D numbers: its value heads
///   - cache: the layer's cache; one row is appended to its keys and to its values
///   - shape: H (`heads`), KVH (`kvHeads`) and D (`headSize`); `shape.kvHead(for: h)` gives g
/// - Returns: H·D numbers, the attention output of the new token.
///
///     var cache = LayerCache(rowWidth: 2)   // H = KVH = 1, D = 2
///     let shape = AttentionShape(heads: 1, kvHeads: 1, headSize: 2)
///     decodeStep(query: [1, 0], key: [1, 0], value: [10, 0], cache: &cache, shape: shape)   // [10, 0]: only itself to see
///     decodeStep(query: [0, 0], key: [0, 1], value: [0, 20], cache: &cache, shape: shape)   // [5, 10]: equal scores, the average
///     cache.count   // 2
public func decodeStep(query: [Float], key: [Float], value: [Float], cache: inout LayerCache,
                       shape: AttentionShape) -> [Float] {
    let d = shape.headSize
    precondition(query.count == shape.heads * d && key.count == cache.rowWidth && value.count == cache.rowWidth
                 && cache.rowWidth == shape.kvHeads * d,
                 "decodeStep: expected a query of H·D = \(shape.heads * d) and a key and value of KVH·D = \(shape.kvHeads * d) numbers (the cache's row width is \(cache.rowWidth)), got \(query.count), \(key.count) and \(value.count)")
    cache.keys.append(contentsOf: key)  // the cache grows by one row
    cache.values.append(contentsOf: value)
    let rows = cache.count
    let scale = 1 / Float(d).squareRoot()
    var output = [Float](repeating: 0, count: shape.heads * d)
    for h in 0..<shape.heads {
        let offset = shape.kvHead(for: h) * d  // where key/value head g starts within a row
        var scores = [Float](repeating: 0, count: rows)
        for j in 0..<rows {
            var dot: Float = 0
            for i in 0..<d { dot += query[h * d + i] * cache.keys[j * cache.rowWidth + offset + i] }
            scores[j] = dot * scale
        }
        let maximum = scores.max()!
        let weights = scores.map { exp($0 - maximum) }
        let total = weights.reduce(0, +)
        for j in 0..<rows {
            let w = weights[j] / total
            for i in 0..<d { output[h * d + i] += w * cache.values[j * cache.rowWidth + offset + i] }
        }
    }
    return output
}
