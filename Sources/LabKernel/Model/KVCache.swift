// The KV cache: keys and values of past positions, kept so decoding one more token costs one
// row of work per layer instead of recomputing the whole prefix.
//
// Each layer's keys (after RoPE, for Llama) and values are appended as rows of a (rows, KVH·D)
// buffer. A forward call over T new tokens starts at position `count`, attends to rows
// 0..<count + T, and then advances `count`. Buffers grow by doubling up to `capacity` (a real
// model's full context can need gigabytes, most sequences far less), so almost no token
// allocates.
//
// Left out: eviction (the cache fills up at `capacity`; under Mistral's sliding window it still
// keeps every position, and attention reads only the window), batches, and quantized caches.

/// Cached keys and values of every layer, for one sequence.
public struct KVCache: Sendable {
    /// KVH·D: the width of one cached row.
    public let rowWidth: Int
    /// The number of positions the cache can hold.
    public let capacity: Int
    /// The number of positions cached so far (the next token's position).
    public internal(set) var count = 0
    /// Per layer: (rows, KVH·D) keys with rows ≤ capacity; rows 0..<count valid.
    var keys: [[Float]]
    /// Per layer: (rows, KVH·D) values.
    var values: [[Float]]
    /// Working memory of the one-token decoding step (TransformerModel+Decoding.swift), kept
    /// here so that decoding a token allocates nothing but its logits.
    var scratch: [Float] = []

    /// An empty cache for `config`, holding up to `capacity` positions (default: the context length).
    public init(config: TransformerConfig, capacity: Int? = nil) {
        rowWidth = config.kvHeads * config.headSize
        self.capacity = capacity ?? config.contextLength
        keys = Array(repeating: [], count: config.layers)
        values = keys
    }

    /// Forgets every cached position (keeps the memory).
    public mutating func reset() { count = 0 }

    /// Makes room for `newPositions` more rows in every layer, growing the buffers by doubling.
    mutating func reserve(_ newPositions: Int) {
        let needed = count + newPositions
        precondition(needed <= capacity,
                     "KV cache full: \(count) cached + \(newPositions) new positions exceed its capacity \(capacity)")
        guard let current = keys.first?.count, current < needed * rowWidth else { return }
        let rows = min(capacity, max(needed, 2 * current / max(rowWidth, 1), 16))
        for layer in keys.indices {
            keys[layer].append(contentsOf: repeatElement(0, count: rows * rowWidth - keys[layer].count))
            values[layer].append(contentsOf: repeatElement(0, count: rows * rowWidth - values[layer].count))
        }
    }

    /// The cached keys of `layer` as a Tensor (count, KVH·D), for inspection (lessons, heatmaps).
    public func keys(layer: Int) -> Tensor {
        Tensor(shape: [count, rowWidth], scalars: Array(keys[layer][0..<(count * rowWidth)]))
    }

    /// The cached values of `layer`, (count, KVH·D).
    public func values(layer: Int) -> Tensor {
        Tensor(shape: [count, rowWidth], scalars: Array(values[layer][0..<(count * rowWidth)]))
    }
}
