// Cell: the KV cache. A from-scratch decode loop for one head that appends each token's key and
// value to a cache and attends with one query row, checked against full causal attention; then
// a random kernel model decoding the same tokens with and without its KVCache, timed.
//
// Left out: cache eviction and sliding windows, batching several sequences, paged caches.

import LabKernel
import LabNotebook

/// Cached keys and values of one head, appended one row per decoded token.
struct TinyKVCache {
    /// (S, D): one row per position seen so far.
    var keys: [[Float]] = []
    var values: [[Float]] = []

    /// Appends this token's key and value, then attends with its query over everything cached:
    /// one row of T = 1 against S = count keys. Returns the token's output (D).
    mutating func step(query: [Float], key: [Float], value: [Float]) -> [Float] {
        keys.append(key)      // NEW: the cache grows by one row
        values.append(value)
        // One query, every cached key visible: no mask is needed, the future is not there yet.
        return attentionWithLoops(queries: [query], keys: keys, values: values).outputs[0]
    }
}

extension AttentionLesson {
    func kvCacheCell() {
        notebook.prose("""
            Generation adds one token at a time. To choose token t + 1 the model needs the output \
            at position t, which attends to the keys and values of positions 0...t. Without a \
            cache, each step runs the whole prefix through the model again: step t costs t tokens \
            of work, N steps cost about N²/2. But the mask cell showed that a token's keys and \
            values never change once computed. So keep them: a KV cache holds, for every layer, the \
            keys and values of all past positions, and each step computes one new row and attends \
            with one query.
            """)
        notebook.code("""
            mutating func step(query: [Float], key: [Float], value: [Float]) -> [Float] {
                keys.append(key)        // NEW: the cache grows by one row
                values.append(value)
                return attentionWithLoops(queries: [query], keys: keys, values: values).outputs[0]
            }
            """)
        var generator = SeededGenerator(seed: 17)
        let (t, d) = (10, 8)
        let q = Tensor.randomNormal([t, d], using: &generator)
        let k = Tensor.randomNormal([t, d], using: &generator)
        let v = Tensor.randomNormal([t, d], using: &generator)
        var cache = TinyKVCache()
        let decoded = Tensor((0..<t).map { cache.step(query: q.row($0).scalars, key: k.row($0).scalars, value: v.row($0).scalars) })
        let full = causalAttention(query: q, keys: k, values: v, shape: AttentionShape(heads: 1, kvHeads: 1, headSize: d))
        let difference = decoded.maxAbsoluteDifference(full)
        // Tolerance: the same weighted averages in a different order.
        notebook.check(difference < 1e-5, "decoding \(t) tokens one by one with the cache gives the kernel's full causal attention: largest difference \(formatFixed(difference, decimals: 6)) (tolerance 1e-5)")

        let sizes = self.sizes
        let config = sizes.decodeConfig
        let model = TransformerModel.random(config: config, seed: 3)
        let prompt = (0..<sizes.promptTokens).map { ($0 * 37 + 11) % config.vocabularySize }
        let n = sizes.decodedTokens
        notebook.prose("""
            Now a whole model: a randomly initialized Llama-style model from the kernel \
            (\(config.layers) layers, width \(config.width), \(config.heads) heads of \
            \(config.headSize), vocabulary \(config.vocabularySize)), decoding \(n) tokens greedily \
            after a prompt of \(prompt.count) tokens, twice: once running the whole sequence for every \
            new token, once with the kernel's `KVCache`.
            """)
        notebook.code("""
            // without a cache: the whole sequence, every step
            let logits = model.forward(tokens: sequence)                          // (T, V), keep the last row
            // with a cache: the new token only
            let logits = model.forward(tokens: [next], cache: &cache)             // (1, V)
            """)
        var withoutCache: [Int] = [], withCache: [Int] = []
        var lastWithout = Tensor.zeros([1]), lastWith = Tensor.zeros([1])
        let timeWithout = Stopwatch.measure(repetitions: 1, warmup: 0) {
            var sequence = prompt
            withoutCache = []
            for _ in 0..<n {
                let logits = model.forward(tokens: sequence)
                lastWithout = logits.row(sequence.count - 1)
                let next = lastWithout.argmax(alongAxis: 0)[0]
                withoutCache.append(next)
                sequence.append(next)
            }
        }
        let timeWith = Stopwatch.measure(repetitions: 3, warmup: 1) {
            var kvCache = KVCache(config: config, capacity: prompt.count + n)
            var logits = model.forward(tokens: prompt, cache: &kvCache, lastPositionOnly: true)  // (1, V)
            withCache = []
            for _ in 0..<n {
                lastWith = logits.row(0)
                let next = lastWith.argmax(alongAxis: 0)[0]
                withCache.append(next)
                logits = model.forward(tokens: [next], cache: &kvCache)
            }
        }
        var table = Table(["decoding", "time", "tokens/s", "speed-up"])
        table.append(["whole sequence every step", notebook.duration(timeWithout.median),
                      notebook.measured(formatFixed(Double(n) / timeWithout.median, decimals: 0)), notebook.speedup(1)])
        table.append(["KV cache", notebook.duration(timeWith.median),
                      notebook.measured(formatFixed(Double(n) / timeWith.median, decimals: 0)),
                      notebook.speedup(timeWithout.median / timeWith.median)])
        notebook.table(table)
        let logitDifference = lastWith.maxAbsoluteDifference(lastWithout)
        // Tolerance: the same model through different matrix shapes (T rows vs 1 row): rounding only.
        notebook.checks([
            (withCache == withoutCache, "both decode the same \(n) tokens"),
            (logitDifference < 1e-4, "the last step's logits agree: largest difference \(formatFixed(logitDifference, decimals: 6)) (tolerance 1e-4)"),
        ])
        let bytesPerToken = 2 * config.layers * config.kvHeads * config.headSize * 4
        notebook.prose("""
            The speed-up grows with the length: the uncached loop does about N²/2 token-passes, the \
            cached one N. The price is memory: 2 (keys and values) × \(config.layers) layers × \
            \(config.kvHeads) key/value heads × \(config.headSize) × 4 bytes (Float) = \
            \(bytesPerToken) bytes per token for this model. For a real model that becomes the \
            largest thing in memory after the weights, which the next cell attacks.
            """)
    }
}
