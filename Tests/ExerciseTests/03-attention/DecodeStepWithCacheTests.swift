// Tests for exercise 03.5 (attention.decode-step-with-cache): `decodeStep(query:key:value:cache:shape:)`
// in exercises/03-attention/DecodeStepWithCache.swift.
//
// The doc comment's example, the cache's growth and contents, the first step (T = 1: a token can
// only see itself), the GQA head mapping on a hand-made case, and random sequences decoded step
// by step against the kernel's causal attention over the whole sequence, for MHA, GQA, MQA and
// one head (the kernel's attention matches Hugging Face transformers within 6e-6).

import XCTest
import LabKernel
import LabTestSupport
import ExerciseDecodeStepWithCache

final class DecodeStepWithCacheTests: XCTestCase {
    func testTheDocCommentExample() {
        var cache = LayerCache(rowWidth: 2)
        let shape = AttentionShape(heads: 1, kvHeads: 1, headSize: 2)
        guard let first = exercise({ decodeStep(query: [1, 0], key: [1, 0], value: [10, 0], cache: &cache, shape: shape) })
        else { return }
        // Exact: one visible position has weight 1.
        assertClose(first, [10, 0], tolerance: 0, "the first token can only see itself: its output is its own value")
        guard let second = exercise({ decodeStep(query: [0, 0], key: [0, 1], value: [0, 20], cache: &cache, shape: shape) })
        else { return }
        // Exact: a zero query scores 0 everywhere, so the weights are 1/2 each.
        assertClose(second, [5, 10], tolerance: 1e-6, "a zero query gives equal weights: the average of [10, 0] and [0, 20]")
        XCTAssertEqual(cache.count, 2, "after two steps the cache holds two positions")
    }

    func testTheCacheKeepsEveryKeyAndValueInOrder() {
        var cache = LayerCache(rowWidth: 4)
        let shape = AttentionShape(heads: 2, kvHeads: 2, headSize: 2)
        for step in 0..<3 {
            let base = Float(step * 10)
            guard exercise({
                decodeStep(query: [1, 1, 1, 1], key: [base, base + 1, base + 2, base + 3],
                           value: [-base, -base - 1, -base - 2, -base - 3], cache: &cache, shape: shape)
            }) != nil else { return }
        }
        XCTAssertEqual(cache.keys, [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23], "the keys of the three steps, one row each, in order")
        XCTAssertEqual(cache.values, [0, -1, -2, -3, -10, -11, -12, -13, -20, -21, -22, -23], "the values of the three steps, in order")
    }

    func testGroupedQueryHeadsReadTheirSharedKeyValueHead() {
        // H = 4 query heads, KVH = 2, D = 1: heads 0 and 1 read KV head 0, heads 2 and 3 read KV head 1.
        var cache = LayerCache(rowWidth: 2)
        let shape = AttentionShape(heads: 4, kvHeads: 2, headSize: 1)
        guard exercise({ decodeStep(query: [0, 0, 0, 0], key: [0, 0], value: [1, 100], cache: &cache, shape: shape) }) != nil,
              let output = exercise({ decodeStep(query: [0, 0, 0, 0], key: [0, 0], value: [3, 300], cache: &cache, shape: shape) })
        else { return }
        // Exact: equal weights 1/2 over two positions.
        assertClose(output, [2, 2, 200, 200], tolerance: 1e-5,
                    "query heads 0, 1 average KV head 0's values (1, 3); heads 2, 3 average KV head 1's (100, 300): h / (H/KVH)")
    }

    func testStepByStepEqualsTheKernelsFullCausalAttention() {
        var generator = SeededGenerator(seed: 29)
        for (heads, kvHeads, d) in [(4, 4, 8), (6, 2, 4), (4, 1, 8), (1, 1, 16)] {
            let t = 7
            let q = Tensor.randomNormal([t, heads * d], using: &generator)
            let k = Tensor.randomNormal([t, kvHeads * d], using: &generator)
            let v = Tensor.randomNormal([t, kvHeads * d], using: &generator)
            let shape = AttentionShape(heads: heads, kvHeads: kvHeads, headSize: d)
            var cache = LayerCache(rowWidth: kvHeads * d)
            var rows: [[Float]] = []
            for step in 0..<t {
                guard let row = exercise({
                    decodeStep(query: q.row(step).scalars, key: k.row(step).scalars, value: v.row(step).scalars, cache: &cache, shape: shape)
                }) else { return }
                guard row.count == heads * d else { return XCTFail("step \(step) returned \(row.count) numbers, expected H·D = \(heads * d)") }
                rows.append(row)
            }
            let kernel = causalAttention(query: q, keys: k, values: v, shape: shape)
            // Float rounding of averages of unit normals in another order.
            assertClose(Tensor(rows), kernel, tolerance: 1e-5,
                        "\(t) steps with H = \(heads), KVH = \(kvHeads), D = \(d), against the kernel's causal attention over the whole sequence (row t = step t)")
        }
    }
}
