// Causal attention: the fast path against the reference (with GQA and cached keys), the causal
// mask, and the differentiable version's gradient.

import LabKernel
import LabTestSupport
import XCTest

final class AttentionTests: XCTestCase {
    func testFastPathMatchesReferenceWithGroupedHeadsAndCache() {
        var generator = SeededGenerator(seed: 1)
        let shape = AttentionShape(heads: 6, kvHeads: 2, headSize: 8)
        let (start, t) = (5, 4)
        let q = Tensor.randomNormal([t, 48], using: &generator)
        let k = Tensor.randomNormal([start + t, 16], using: &generator)
        let v = Tensor.randomNormal([start + t, 16], using: &generator)
        let fast = causalAttention(query: q, keys: k, values: v, shape: shape, startPosition: start)
        let reference = causalAttentionReference(query: q, keys: k, values: v, shape: shape, startPosition: start)
        assertClose(fast, reference, tolerance: 1e-5)  // different summation orders only
    }

    func testSlidingWindowMasksTheDistantPast() {
        var generator = SeededGenerator(seed: 3)
        let (start, t) = (6, 5)
        let q = Tensor.randomNormal([t, 16], using: &generator)
        let k = Tensor.randomNormal([start + t, 8], using: &generator), v = Tensor.randomNormal([start + t, 8], using: &generator)
        let windowed = AttentionShape(heads: 4, kvHeads: 2, headSize: 4, window: 3)
        let fast = causalAttention(query: q, keys: k, values: v, shape: windowed, startPosition: start)
        assertClose(fast, causalAttentionReference(query: q, keys: k, values: v, shape: windowed, startPosition: start),
                    tolerance: 1e-5)  // summation order
        // Row t (position start + t) puts weight only on keys start + t - 2 ... start + t.
        let p = attentionProbabilities(query: q, keys: k, shape: windowed, head: 1, startPosition: start)
        for row in 0..<t {
            let position = start + row
            for key in 0..<(start + t) {
                let inside = key <= position && key > position - 3
                XCTAssertEqual(p[row, key] > 0, inside, "row \(row) key \(key)")
            }
        }
        // A window as long as the sequence changes nothing; a window of 1 returns each value row.
        let full = AttentionShape(heads: 4, kvHeads: 2, headSize: 4)
        let long = AttentionShape(heads: 4, kvHeads: 2, headSize: 4, window: start + t)
        XCTAssertEqual(causalAttention(query: q, keys: k, values: v, shape: long, startPosition: start).scalars,
                       causalAttention(query: q, keys: k, values: v, shape: full, startPosition: start).scalars)
        let one = causalAttention(query: q, keys: k, values: v, shape: AttentionShape(heads: 4, kvHeads: 2, headSize: 4, window: 1),
                                  startPosition: start)
        for row in 0..<t {
            for h in 0..<4 {
                for i in 0..<4 { XCTAssertEqual(one[row, h * 4 + i], v[start + row, (h / 2) * 4 + i], accuracy: 1e-6) }
            }
        }
    }

    func testThreadedFastPathIsIdenticalToOneThread() {
        // Large enough (T = 96, H = 8) for Parallel to split rows and heads across threads; each
        // (row, head) is computed by one thread in a fixed order, so the results are bit-identical.
        var generator = SeededGenerator(seed: 7)
        let shape = AttentionShape(heads: 8, kvHeads: 4, headSize: 16)
        let q = Tensor.randomNormal([96, 128], using: &generator)
        let k = Tensor.randomNormal([96, 64], using: &generator), v = Tensor.randomNormal([96, 64], using: &generator)
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        Parallel.threadCount = 1
        let single = causalAttention(query: q, keys: k, values: v, shape: shape)
        Parallel.threadCount = 4
        let threaded = causalAttention(query: q, keys: k, values: v, shape: shape)
        XCTAssertEqual(threaded.scalars, single.scalars)
        assertClose(threaded, causalAttentionReference(query: q, keys: k, values: v, shape: shape), tolerance: 1e-5)  // summation order
    }

    func testDecodingRowEqualsThePromptsLastRowOnAnyThreadCount() {
        // One query row (decoding) at position 299, its heads split between 1, 2 or 3 threads:
        // every head's numbers must be those of the last row of the whole prompt's attention,
        // with and without a sliding window.
        var generator = SeededGenerator(seed: 5)
        for window in [nil, 37] as [Int?] {
            let shape = AttentionShape(heads: 6, kvHeads: 3, headSize: 48, window: window)
            let keys = Tensor.randomNormal([300, 144], using: &generator), values = Tensor.randomNormal([300, 144], using: &generator)
            let queries = Tensor.randomNormal([300, 288], using: &generator)
            let saved = Parallel.threadCount
            defer { Parallel.threadCount = saved }
            Parallel.threadCount = 1
            let prompt = causalAttention(query: queries, keys: keys, values: values, shape: shape)  // one task per (row, head)
            let lastRow = prompt.row(299).scalars
            for threads in [1, 2, 3] {
                Parallel.threadCount = threads
                let decoded = causalAttention(query: queries.row(299).reshaped([1, 288]), keys: keys, values: values,
                                              shape: shape, startPosition: 299)
                XCTAssertEqual(decoded.scalars, lastRow, "window \(window.map(String.init) ?? "none"), \(threads) thread(s)")
            }
        }
    }

    func testFirstPositionSeesOnlyItselfAndHeadsShareKV() {
        var generator = SeededGenerator(seed: 2)
        let shape = AttentionShape(heads: 4, kvHeads: 2, headSize: 3)
        let q = Tensor.randomNormal([3, 12], using: &generator)
        let k = Tensor.randomNormal([3, 6], using: &generator), v = Tensor.randomNormal([3, 6], using: &generator)
        let out = causalAttention(query: q, keys: k, values: v, shape: shape)
        // Row 0 attends only to key 0, so head h outputs v[0] of kv head h / 2.
        for h in 0..<4 {
            for i in 0..<3 { XCTAssertEqual(out[0, h * 3 + i], v[0, (h / 2) * 3 + i], accuracy: 1e-6) }
        }
        // Changing a future key must not change earlier rows.
        var k2 = k
        k2[2, 1] += 5
        let out2 = causalAttention(query: q, keys: k2, values: v, shape: shape)
        assertClose(Tensor(shape: [2, 12], scalars: Array(out2.scalars[0..<24])),
                    Tensor(shape: [2, 12], scalars: Array(out.scalars[0..<24])), tolerance: 0)
    }

    func testProbabilitiesAreCausalDistributions() {
        var generator = SeededGenerator(seed: 6)
        let shape = AttentionShape(heads: 2, kvHeads: 1, headSize: 4)
        let (start, t) = (3, 3)
        let q = Tensor.randomNormal([t, 8], using: &generator), k = Tensor.randomNormal([start + t, 4], using: &generator)
        let p = attentionProbabilities(query: q, keys: k, shape: shape, head: 1, startPosition: start)
        XCTAssertEqual(p.shape, [t, start + t])
        for row in 0..<t {
            var total: Float = 0
            for column in 0..<(start + t) {
                if column > start + row { XCTAssertEqual(p[row, column], 0) } else { XCTAssertGreaterThan(p[row, column], 0) }
                total += p[row, column]
            }
            XCTAssertEqual(total, 1, accuracy: 1e-6)  // a softmax row, Float rounding
        }
    }

    func testGradientMatchesFiniteDifferences() {
        var generator = SeededGenerator(seed: 5)
        let shape = AttentionShape(heads: 4, kvHeads: 2, headSize: 3)
        let q = Variable(Tensor.randomNormal([4, 12], using: &generator), name: "q")
        let k = Variable(Tensor.randomNormal([4, 6], using: &generator), name: "k")
        let v = Variable(Tensor.randomNormal([4, 6], using: &generator), name: "v")
        let weights = Variable(Tensor.randomNormal([4, 12], using: &generator), requiresGrad: false)
        let result = gradientCheck([q, k, v]) { (causalAttention(query: q, keys: k, values: v, shape: shape) * weights).sum() }
        XCTAssertTrue(result.passes(tolerance: 1e-2), "\(result)")  // Float central differences, ε = 1e-3
    }
}
