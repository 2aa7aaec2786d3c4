// Tests for exercise 03.1 (attention.attention-scores): `attentionScores(query:keys:)` in
// exercises/03-attention/AttentionScores.swift.
//
// The doc comment's example, hand-computed cases (the √D scale, T = 1 and S = 1, D = 1), the
// shape (T, S) with T ≠ S, and random inputs against the kernel: its matmul (q·kᵀ) and its
// attention weights, which are the softmax of these scores (the kernel's attention matches
// Hugging Face transformers within 6e-6 in its fixture tests).

import XCTest
import LabKernel
import LabTestSupport
import ExerciseAttentionScores

final class AttentionScoresTests: XCTestCase {
    func testTheDocCommentExample() {
        guard let scores = exercise({
            attentionScores(query: Tensor([[2, 0, 0, 0]]), keys: Tensor([[0, 0, 2, 0], [2, 0, 0, 0], [1, 1, 1, 1]]))
        }) else { return }
        // Exact: small integers divided by √4 = 2.
        assertClose(scores, Tensor([[0, 2, 1]]), tolerance: 0,
                    "q = [2, 0, 0, 0] against three keys, D = 4: (q·k)/2")
    }

    func testScoresAreDividedBySquareRootOfTheHeadSize() {
        // q = k = all ones of size D: q·k = D, so the score is D/√D = √D.
        for d in [1, 4, 9, 64] {
            let ones = Tensor.ones([1, d])
            guard let scores = exercise({ attentionScores(query: ones, keys: ones) }) else { return }
            // Float rounding of D additions of 1 and one multiplication.
            assertClose(scores, Tensor([[Float(d).squareRoot()]]), tolerance: 1e-5,
                        "q = k = ones(\(d)): q·k = \(d), and the score is \(d)/√\(d) = √\(d); did you divide by √D (not D)?")
        }
    }

    func testShapeIsQueriesByKeys() {
        var generator = SeededGenerator(seed: 3)
        let q = Tensor.randomNormal([2, 8], using: &generator)
        let k = Tensor.randomNormal([5, 8], using: &generator)
        guard let scores = exercise({ attentionScores(query: q, keys: k) }) else { return }
        XCTAssertEqual(scores.shape, [2, 5], "2 queries against 5 keys give a (T, S) = (2, 5) score matrix")
    }

    func testOneQueryAndOneKeyOfSizeOne() {
        guard let scores = exercise({ attentionScores(query: Tensor([[3]]), keys: Tensor([[-2]])) }) else { return }
        // Exact: 3·(−2)/√1.
        assertClose(scores, Tensor([[-6]]), tolerance: 0, "T = S = D = 1: the score is q·k = 3·(−2)")
    }

    func testRandomInputsMatchTheKernelsMatmul() {
        var generator = SeededGenerator(seed: 11)
        for (t, s, d) in [(1, 7, 16), (6, 6, 32), (9, 4, 5)] {
            let q = Tensor.randomNormal([t, d], using: &generator)
            let k = Tensor.randomNormal([s, d], using: &generator)
            guard let scores = exercise({ attentionScores(query: q, keys: k) }) else { return }
            let expected = matmul(q, transposed: k) * (1 / Float(d).squareRoot())  // (T, D)·(S, D)ᵀ -> (T, S)
            // Float rounding of D products summed in a different order: ~1e-6 for unit normals.
            assertClose(scores, expected, tolerance: 1e-5, "(T, S, D) = (\(t), \(s), \(d)) against the kernel's matmul(q, kᵀ)/√D")
        }
    }

    func testSoftmaxOfTheScoresGivesTheKernelsAttentionWeights() {
        // With one query row at the last position every key is visible, so no mask applies:
        // the kernel's attention weights are exactly softmax(scores).
        var generator = SeededGenerator(seed: 13)
        let (s, d) = (10, 16)
        let q = Tensor.randomNormal([1, d], using: &generator)
        let k = Tensor.randomNormal([s, d], using: &generator)
        guard let scores = exercise({ attentionScores(query: q, keys: k) }) else { return }
        let kernel = attentionProbabilities(query: q, keys: k, shape: AttentionShape(heads: 1, kvHeads: 1, headSize: d),
                                            head: 0, startPosition: s - 1)
        guard scores.shape == [1, s] else { return XCTFail("expected scores of shape [1, \(s)], got \(scores.shape.shapeDescription)") }
        // Float rounding through exp and a normalization.
        assertClose(softmax(scores), kernel, tolerance: 1e-6,
                    "softmax of your scores must be the kernel's attention weights for the last position")
    }
}
