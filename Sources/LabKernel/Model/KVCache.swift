// The KV cache: keys and values of past positions, kept so decoding one more token costs one
// row of work per layer instead of recomputing the whole prefix.
//
// Each layer's keys (after RoPE, for Llama) and values are appended as rows of a preallocated
// (capacity, KVH·D) buffer. A forward call over T new tokens starts at position `count`,
// attends to rows 0..<count + T, and then advances `count`. Nothing is allocated per token.
//
// Left out: eviction and sliding windows (the cache fills up at `capacity`), batches, and
// quantized caches.

/// Cached keys and values of every layer, for one sequence.
public struct KVCache: Sendable {
    /// KVH·D: the width of one cached row.
    public let rowWidth: Int
    /// The number of positions the cache can hold.
    public let capacity: Int
    /// The number of positions cached so far (the next token's position).
    public internal(set) var count = 0
    /// Per layer: (capacity, KVH·D) keys, rows 0..<count valid.
    var keys: [[Float]]
    /// Per layer: (capacity, KVH·D) values.
    var values: [[Float]]

    /// An empty cache for `config`, holding up to `capacity` positions (default: the context length).
    public init(config: TransformerConfig, capacity: Int? = nil) {
        rowWidth = config.kvHeads * config.headSize
        self.capacity = capacity ?? config.contextLength
        keys = Array(repeating: [Float](repeating: 0, count: self.capacity * rowWidth), count: config.layers)
        values = keys
    }

    /// Forgets every cached position (keeps the memory).
    public mutating func reset() { count = 0 }

    /// The cached keys of `layer` as a Tensor (count, KVH·D), for inspection (lessons, heatmaps).
    public func keys(layer: Int) -> Tensor {
        Tensor(shape: [count, rowWidth], scalars: Array(keys[layer][0..<(count * rowWidth)]))
    }

    /// The cached values of `layer`, (count, KVH·D).
    public func values(layer: Int) -> Tensor {
        Tensor(shape: [count, rowWidth], scalars: Array(values[layer][0..<(count * rowWidth)]))
    }
}
