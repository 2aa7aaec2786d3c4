// Exercise 03.5 (attention.decode-step-with-cache): one decoding step of multi-head (and
// grouped-query) attention with a KV cache. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter DecodeStepWithCacheTests

import Foundation
import LabKernel
import LabExercise

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
///
/// Do not call the kernel's attention functions; `exp` comes with the Foundation import above.
public func decodeStep(query: [Float], key: [Float], value: [Float], cache: inout LayerCache,
                       shape: AttentionShape) -> [Float] {
    // TODO: check the sizes, append key and value to the cache, then attend head by head.
    return todo([])
}
