// Tests for exercise 03.2 (attention.causal-softmax): `causalSoftmax(_:)` in
// exercises/03-attention/CausalSoftmax.swift.
//
// The doc comment's example, the mask (exact zeros above the diagonal, shifted when S > T as with
// a KV cache), rows summing to 1, T = 1, scores in the hundreds (overflow), and random scores
// against the kernel's attention weights `attentionProbabilities` (checked against Hugging Face
// transformers within 6e-6 by the kernel's fixture tests).

import Foundation
import XCTest
import LabKernel
import LabTestSupport
import ExerciseCausalSoftmax

final class CausalSoftmaxTests: XCTestCase {
    func testTheDocCommentExample() {
        guard let weights = exercise({ causalSoftmax(Tensor([[1, 5, 9], [0, 0, 7], [2, 2, 2]])) }) else { return }
        // Exact up to one rounding of 1/3.
        assertClose(weights, Tensor([[1, 0, 0], [0.5, 0.5, 0], [1.0 / 3, 1.0 / 3, 1.0 / 3]]), tolerance: 1e-7,
                    "row t sees keys 0...t; equal visible scores share the weight equally")
    }

    func testTheFutureGetsExactlyZeroAndRowsSumToOne() {
        var generator = SeededGenerator(seed: 5)
        let scores = Tensor.randomNormal([7, 7], standardDeviation: 3, using: &generator)
        guard let weights = exercise({ causalSoftmax(scores) }) else { return }
        guard weights.shape == [7, 7] else { return XCTFail("expected weights of shape [7, 7], got \(weights.shape.shapeDescription)") }
        for t in 0..<7 {
            for j in (t + 1)..<7 where weights[t, j] != 0 {
                return XCTFail("weight [\(t), \(j)] is \(weights[t, j]), but key \(j) is in the future of query \(t): it must be exactly 0")
            }
            let total = (0..<7).map { weights[t, $0] }.reduce(0, +)
            // Float rounding of a sum of at most 7 terms below 1.
            assertClose(total, 1, tolerance: 1e-6, "row \(t) must sum to 1")
        }
    }

    func testWithACachedPastTheMaskIsShifted() {
        // T = 2 new queries after 3 cached positions (S = 5): query 0 is at position 3 and sees keys 0...3.
        let scores = Tensor([[0, 0, 0, 0, 9], [0, 0, 0, 0, 0]])
        guard let weights = exercise({ causalSoftmax(scores) }) else { return }
        // Exact up to one rounding of 1/4 and 1/5.
        assertClose(weights, Tensor([[0.25, 0.25, 0.25, 0.25, 0], [0.2, 0.2, 0.2, 0.2, 0.2]]), tolerance: 1e-7,
                    "with S = 5 keys and T = 2 queries, row 0 is position 3 (sees keys 0...3) and row 1 position 4 (sees all)")
    }

    func testOneQueryRowSeesEveryKey() {
        // T = 1 (one decoding step): the query is the last position, so nothing is masked.
        guard let weights = exercise({ causalSoftmax(Tensor([[1, 2, 3]])) }) else { return }
        let e = [1.0, 2.0, 3.0].map { Foundation.exp($0) }
        let expected = Tensor([e.map { Float($0 / e.reduce(0, +)) }])  // ≈ [0.0900, 0.2447, 0.6652]
        // Float rounding of three exponentials.
        assertClose(weights, expected, tolerance: 1e-6, "one query row against 3 keys is a plain softmax of the row")
    }

    func testLargeScoresDoNotOverflow() {
        guard let weights = exercise({ causalSoftmax(Tensor([[500, 0], [1000, 1001]])) }) else { return }
        if weights.scalars.contains(where: { !$0.isFinite }) {
            return XCTFail("the weights contain NaN or infinity (\(weights.scalars)): exp(1000) overflows Float; subtract the row's largest visible score before exp")
        }
        let e1 = Float(1 / (1 + Foundation.exp(1.0)))  // softmax([1000, 1001])[0] = 1/(1 + e)
        // Float rounding of e^−1 and a division.
        assertClose(weights, Tensor([[1, 0], [e1, 1 - e1]]), tolerance: 1e-6, "scores of 500 and 1000")
    }

    func testRandomScoresMatchTheKernelsAttentionWeights() {
        var generator = SeededGenerator(seed: 17)
        for (start, t, d) in [(0, 9, 16), (4, 3, 8), (6, 1, 4)] {
            let q = Tensor.randomNormal([t, d], using: &generator)
            let k = Tensor.randomNormal([start + t, d], using: &generator)
            let scores = matmul(q, transposed: k) * (1 / Float(d).squareRoot())  // (T, S)
            guard let weights = exercise({ causalSoftmax(scores) }) else { return }
            let kernel = attentionProbabilities(query: q, keys: k, shape: AttentionShape(heads: 1, kvHeads: 1, headSize: d),
                                                head: 0, startPosition: start)
            // Float rounding through exp and a normalization.
            assertClose(weights, kernel, tolerance: 1e-6,
                        "T = \(t) queries after \(start) cached positions, against the kernel's attentionProbabilities")
        }
    }
}
