// Tests for exercise 03.3 (attention.split-heads): `splitHeads(_:heads:)` and `mergeHeads(_:)` in
// exercises/03-attention/SplitHeads.swift.
//
// The doc comment's example, shapes, one head (a reshape), T = 1, the round trip both ways, and
// the point of it all: attention run head by head on the split pieces with the kernel's
// single-head attention, then merged, must equal the kernel's multi-head attention (which its
// fixture tests hold to Hugging Face transformers within 6e-6).

import XCTest
import LabKernel
import LabTestSupport
import ExerciseSplitHeads

final class SplitHeadsTests: XCTestCase {
    func testTheDocCommentExample() {
        guard let split = exercise({ splitHeads(Tensor([[0, 1, 2, 3], [4, 5, 6, 7]]), heads: 2) }) else { return }
        // Exact: elements are copied.
        assertClose(split, Tensor(shape: [2, 2, 2], scalars: [0, 1, 4, 5, 2, 3, 6, 7]), tolerance: 0,
                    "head 0 is columns 0..<2 of both rows, head 1 columns 2..<4")
    }

    func testSplitShapeAndWhereAnElementGoes() {
        let x = Tensor.arange(3 * 12).reshaped([3, 12])  // T = 3, H = 4, D = 3: x[t, c] = 12t + c
        guard let split = exercise({ splitHeads(x, heads: 4) }) else { return }
        XCTAssertEqual(split.shape, [4, 3, 3], "(T, H·D) = (3, 4·3) splits into (H, T, D) = (4, 3, 3)")
        guard split.shape == [4, 3, 3] else { return }
        // Exact: x[2, 2·3 + 1] = 12·2 + 7 = 31 must land at [h 2, t 2, i 1].
        assertClose(split[2, 2, 1], 31, tolerance: 0, "element [h 2, t 2, i 1] must be x[2, 2·3 + 1]")
        assertClose(split[3, 0, 0], 9, tolerance: 0, "element [h 3, t 0, i 0] must be x[0, 3·3 + 0]")
    }

    func testOneHeadIsJustAReshape() {
        let x = Tensor([[1, 2, 3], [4, 5, 6]])
        guard let split = exercise({ splitHeads(x, heads: 1) }) else { return }
        assertClose(split, x.reshaped([1, 2, 3]), tolerance: 0, "with one head, (T, D) becomes (1, T, D) unchanged")
    }

    func testMergeIsTheInverseOfSplit() {
        var generator = SeededGenerator(seed: 7)
        for (t, heads, d) in [(5, 3, 4), (1, 4, 2), (2, 1, 6)] {
            let x = Tensor.randomNormal([t, heads * d], using: &generator)
            guard let split = exercise({ splitHeads(x, heads: heads) }),
                  let merged = exercise({ mergeHeads(split) }) else { return }
            assertClose(merged, x, tolerance: 0, "mergeHeads(splitHeads(x)) must give x back exactly, (T, H, D) = (\(t), \(heads), \(d))")
        }
    }

    func testMergePutsEachHeadInItsColumnBlock() {
        let heads = Tensor(shape: [2, 1, 3], scalars: [1, 2, 3, 7, 8, 9])  // H = 2 heads, T = 1 token, D = 3
        guard let merged = exercise({ mergeHeads(heads) }) else { return }
        // Exact: copied.
        assertClose(merged, Tensor([[1, 2, 3, 7, 8, 9]]), tolerance: 0, "one token: head 0 then head 1, side by side")
    }

    func testHeadByHeadAttentionOnTheSplitEqualsTheKernelsMultiHeadAttention() {
        var generator = SeededGenerator(seed: 19)
        let (t, heads, d) = (6, 4, 8)
        let q = Tensor.randomNormal([t, heads * d], using: &generator)
        let k = Tensor.randomNormal([t, heads * d], using: &generator)
        let v = Tensor.randomNormal([t, heads * d], using: &generator)
        guard let qs = exercise({ splitHeads(q, heads: heads) }), let ks = exercise({ splitHeads(k, heads: heads) }),
              let vs = exercise({ splitHeads(v, heads: heads) }) else { return }
        guard qs.shape == [heads, t, d] else { return XCTFail("splitHeads gave shape \(qs.shape.shapeDescription), expected [4, 6, 8]") }
        let one = AttentionShape(heads: 1, kvHeads: 1, headSize: d)
        let perHead = (0..<heads).map { causalAttention(query: qs.row($0), keys: ks.row($0), values: vs.row($0), shape: one) }
        guard let merged = exercise({ mergeHeads(Tensor.stack(perHead)) }) else { return }
        let kernel = causalAttention(query: q, keys: k, values: v, shape: AttentionShape(heads: heads, kvHeads: heads, headSize: d))
        // The same arithmetic per head; only rounding could differ.
        assertClose(merged, kernel, tolerance: 1e-6,
                    "split, one kernel attention per head, merge: must equal the kernel's 4-head attention")
    }
}
