// Lesson 03 in --quick mode prints what the golden file says (timings masked, no colors), and the
// lesson's own code holds up beyond the cases it prints: its loops, matrices and multi-head
// attention against the kernel's (which its fixture tests hold to transformers) with a cached past
// (S > T) and grouped-query heads, its RoPE against the kernel's at far positions, split and
// merge, and the KV-cache sizes of the published configs against numbers worked out by hand.

import XCTest
import LabKernel
import LabNotebook
import LabTestSupport
@testable import attention

final class AttentionLessonTests: XCTestCase {
    func testQuickRunMatchesGoldenOutput() throws {
        let output = CapturedOutput()
        let notebook = Notebook(options: NotebookOptions(quick: true), colors: false, maskTimings: true, output: output)
        AttentionLesson(notebook: notebook).run()
        XCTAssertGreaterThan(output.text.count, 1000, "the lesson printed almost nothing")
        let failed = output.text.split(separator: "\n").filter { $0.contains("✗") }.joined(separator: "\n")
        XCTAssertTrue(failed.isEmpty, "a check in the lesson failed:\n\(failed)")
        assertExportsAreWellFormed(notebook)
        try assertMatchesGolden(output.text, named: "attention-quick.txt")
    }

    // MARK: - The lesson's attention against the kernel's

    func testLoopsAndMatricesMatchTheKernelWithACachedPast() {
        // T = 3 new queries after 5 cached positions: query t sees keys 0...5 + t.
        var generator = SeededGenerator(seed: 41)
        let (start, t, d) = (5, 3, 8)
        let q = Tensor.randomNormal([t, d], using: &generator)
        let k = Tensor.randomNormal([start + t, d], using: &generator)
        let v = Tensor.randomNormal([start + t, d], using: &generator)
        let kernel = causalAttentionReference(query: q, keys: k, values: v, shape: AttentionShape(heads: 1, kvHeads: 1, headSize: d),
                                              startPosition: start)
        let rows = { (x: Tensor) in (0..<x.shape[0]).map { x.row($0).scalars } }
        let loops = attentionWithLoops(queries: rows(q), keys: rows(k), values: rows(v), causal: true)
        // Float rounding of averages of unit normals in another order.
        assertClose(Tensor(loops.outputs), kernel, tolerance: 1e-5, "loops with 5 cached positions")
        assertClose(attentionAsMatrices(q: q, k: k, v: v, causal: true).output, kernel, tolerance: 1e-5,
                    "matrices with 5 cached positions")
        XCTAssertEqual(loops.weights[0][start + 1], 0, "query 0 at position 5 must not see key 6")
    }

    func testMultiHeadAttentionMatchesTheKernelForMHAGQAAndMQA() {
        var generator = SeededGenerator(seed: 43)
        for (heads, kvHeads) in [(1, 1), (4, 4), (6, 2), (4, 1)] {
            let (start, t, d) = (4, 5, 8)
            let q = Tensor.randomNormal([t, heads * d], using: &generator)
            let k = Tensor.randomNormal([start + t, kvHeads * d], using: &generator)
            let v = Tensor.randomNormal([start + t, kvHeads * d], using: &generator)
            let kernel = causalAttention(query: q, keys: k, values: v,
                                         shape: AttentionShape(heads: heads, kvHeads: kvHeads, headSize: d), startPosition: start)
            // Float rounding only.
            assertClose(multiHeadAttention(query: q, keys: k, values: v, heads: heads, kvHeads: kvHeads), kernel,
                        tolerance: 1e-5, "H = \(heads), KVH = \(kvHeads), 4 cached positions")
        }
    }

    func testSplitAndMergeHeadsMoveColumnBlocks() {
        let x = Tensor.arange(24).reshaped([2, 12])  // T = 2, H = 3, D = 4
        let split = splitHeads(x, heads: 3)
        XCTAssertEqual(split.shape, [3, 2, 4])
        XCTAssertEqual(split.row(1), Tensor([[4, 5, 6, 7], [16, 17, 18, 19]]), "head 1 is columns 4..<8 of every row")
        XCTAssertEqual(mergeHeads(split), x)
    }

    func testRotateHalfMatchesTheKernelFarFromTheStart() {
        var generator = SeededGenerator(seed: 47)
        let x = Tensor.randomNormal([4, 3 * 32], using: &generator)
        for (start, theta) in [(0, 10_000.0), (2_000, 500_000.0)] {
            let table = RotaryTable(headSize: 32, positions: start + 4, theta: theta)
            // The same Float angles and Double cos/sin: equal up to one rounding.
            assertClose(rotateHalf(x, heads: 3, startPosition: start, theta: theta),
                        rotary(x, heads: 3, startPosition: start, table: table), tolerance: 1e-6,
                        "RoPE at positions \(start)..<\(start + 4), θ = \(theta)")
        }
    }

    func testRoPEScoreDependsOnlyOnDistance() {
        var generator = SeededGenerator(seed: 53)
        let q = Tensor.randomNormal([32], using: &generator), k = Tensor.randomNormal([32], using: &generator)
        let near = ropeScore(query: q, key: k, m: 9, n: 4, theta: 10_000)
        // Float rounding of angles up to ~500 radians.
        assertClose(ropeScore(query: q, key: k, m: 509, n: 504, theta: 10_000), near, tolerance: 1e-3, "distance 5, shifted by 500")
        XCTAssertGreaterThan(abs(ropeScore(query: q, key: k, m: 9, n: 3, theta: 10_000) - near), 1e-3,
                             "another distance gives another score")
    }

    // MARK: - KV-cache sizes

    func testCacheSizesOfThePublishedConfigs() throws {
        let configs = try publishedConfigs.map { try TransformerConfig(json: Array($0.json.utf8), source: $0.name) }
        // Llama 3 8B: 32 layers, 8 KV heads of 128, bf16: 2·32·8·128·2 = 131,072 bytes = 128 KiB per token.
        XCTAssertEqual(kvCacheBytesPerToken(layers: configs[0].layers, kvHeads: configs[0].kvHeads, headSize: configs[0].headSize,
                                            bytesPerNumber: 2), 131_072)
        // SmolLM2-135M: 30 layers, 3 KV heads of 576/9 = 64: 2·30·3·64·2 = 23,040 bytes.
        XCTAssertEqual(configs[1].headSize, 64)
        XCTAssertEqual(kvCacheBytesPerToken(layers: configs[1].layers, kvHeads: configs[1].kvHeads, headSize: configs[1].headSize,
                                            bytesPerNumber: 2), 23_040)
        XCTAssertEqual(formatBinaryBytes(131_072 * 8192), "1.00 GiB")
        XCTAssertEqual(formatBinaryBytes(23_040), "22.5 KiB")
        XCTAssertEqual(formatBinaryBytes(512), "512 bytes")
    }

    func testTinyKVCacheStepsEqualFullCausalAttention() {
        var generator = SeededGenerator(seed: 59)
        let q = Tensor.randomNormal([6, 4], using: &generator)
        let k = Tensor.randomNormal([6, 4], using: &generator)
        let v = Tensor.randomNormal([6, 4], using: &generator)
        var cache = TinyKVCache()
        let steps = Tensor((0..<6).map { cache.step(query: q.row($0).scalars, key: k.row($0).scalars, value: v.row($0).scalars) })
        // Float rounding only.
        assertClose(steps, causalAttention(query: q, keys: k, values: v, shape: AttentionShape(heads: 1, kvHeads: 1, headSize: 4)),
                    tolerance: 1e-5, "six decode steps against full causal attention")
        XCTAssertEqual(cache.keys.count, 6, "one cached row per step")
    }
}
