// Tests for exercise 03.4 (attention.rotary-embedding): `rotaryEmbedding(_:heads:startPosition:theta:)`
// in exercises/03-attention/RotaryEmbedding.swift.
//
// The doc comment's example, position 0 (no rotation), the pairing (i, i + D/2) rather than
// neighbours, lengths kept, θ's effect on the slow pairs, the relative-position property, and
// random tensors of several heads at a start position against the kernel's `rotary` (which its
// fixture tests hold to Hugging Face transformers' Llama within 6e-6).

import Foundation
import XCTest
import LabKernel
import LabTestSupport
import ExerciseRotaryEmbedding

final class RotaryEmbeddingTests: XCTestCase {
    func testTheDocCommentExample() {
        guard let rotated = exercise({ rotaryEmbedding(Tensor([[1, 0]]), heads: 1, startPosition: 1, theta: 10_000) }) else { return }
        // cos 1 and sin 1 rounded to Float.
        assertClose(rotated, Tensor([[Float(cos(1.0)), Float(sin(1.0))]]), tolerance: 1e-6,
                    "[1, 0] at position 1 is rotated by 1 radian: [cos 1, sin 1]")
    }

    func testPositionZeroLeavesTheRowUnchanged() {
        var generator = SeededGenerator(seed: 2)
        let x = Tensor.randomNormal([1, 2 * 8], using: &generator)
        guard let rotated = exercise({ rotaryEmbedding(x, heads: 2, startPosition: 0, theta: 10_000) }) else { return }
        // Exact: every angle is 0, cos 0 = 1 and sin 0 = 0.
        assertClose(rotated, x, tolerance: 0, "at position 0 every angle is 0: nothing rotates")
    }

    func testPairsAreHalfAHeadApart() {
        // D = 4 at position 1 with θ = 10,000: pair 0 is (x[0], x[2]) turning by 1 rad, pair 1 is
        // (x[1], x[3]) turning by 10,000^(−1/2) = 0.01 rad. Neighbours (x[0], x[1]) are not a pair.
        guard let rotated = exercise({ rotaryEmbedding(Tensor([[1, 0, 0, 0]]), heads: 1, startPosition: 1, theta: 10_000) }) else { return }
        // cos/sin of 1 radian in Float.
        assertClose(rotated, Tensor([[Float(cos(1.0)), 0, Float(sin(1.0)), 0]]), tolerance: 1e-6,
                    "x[0] pairs with x[2] (i + D/2), not with x[1]: [1, 0, 0, 0] becomes [cos 1, 0, sin 1, 0]")
        guard let slow = exercise({ rotaryEmbedding(Tensor([[0, 1, 0, 0]]), heads: 1, startPosition: 1, theta: 10_000) }) else { return }
        assertClose(slow, Tensor([[0, Float(cos(0.01)), 0, Float(sin(0.01))]]), tolerance: 1e-6,
                    "pair 1 turns by θ^(−2·1/4) = 0.01 rad per position")
    }

    func testRotationKeepsEachPairsLength() {
        var generator = SeededGenerator(seed: 4)
        let x = Tensor.randomNormal([3, 8], using: &generator)
        guard let rotated = exercise({ rotaryEmbedding(x, heads: 1, startPosition: 17, theta: 10_000) }) else { return }
        guard rotated.shape == x.shape else { return XCTFail("expected shape \(x.shape.shapeDescription), got \(rotated.shape.shapeDescription)") }
        for t in 0..<3 {
            for i in 0..<4 {
                let before = x[t, i] * x[t, i] + x[t, i + 4] * x[t, i + 4]
                let after = rotated[t, i] * rotated[t, i] + rotated[t, i + 4] * rotated[t, i + 4]
                // Float rounding of a rotation.
                assertClose(after, before, tolerance: 1e-5, relativeTolerance: 1e-5, "row \(t), pair \(i): a rotation keeps the length")
            }
        }
    }

    func testScoresDependOnlyOnTheDistance() {
        var generator = SeededGenerator(seed: 6)
        let q = Tensor.randomNormal([1, 16], using: &generator)
        let k = Tensor.randomNormal([1, 16], using: &generator)
        func score(_ m: Int, _ n: Int) -> Float? {
            guard let rq = exercise({ rotaryEmbedding(q, heads: 1, startPosition: m, theta: 10_000) }),
                  let rk = exercise({ rotaryEmbedding(k, heads: 1, startPosition: n, theta: 10_000) }) else { return nil }
            return zip(rq.scalars, rk.scalars).map(*).reduce(0, +)
        }
        guard let near = score(7, 3), let far = score(107, 103), let other = score(7, 2) else { return }
        // Float rounding of angles up to ~100 radians.
        assertClose(far, near, tolerance: 1e-4, "q at 107 and k at 103 must score like q at 7 and k at 3 (distance 4 both)")
        XCTAssertGreaterThan(abs(other - near), 1e-3, "a different distance should give a different score")
    }

    func testRandomHeadsAtAStartPositionMatchTheKernel() {
        var generator = SeededGenerator(seed: 8)
        for (t, heads, d, start, theta) in [(5, 3, 8, 0, 10_000.0), (4, 2, 16, 60, 500_000.0), (1, 1, 2, 9, 10_000.0)] {
            let x = Tensor.randomNormal([t, heads * d], using: &generator)
            guard let rotated = exercise({ rotaryEmbedding(x, heads: heads, startPosition: start, theta: theta) }) else { return }
            let kernel = rotary(x, heads: heads, startPosition: start, table: RotaryTable(headSize: d, positions: start + t, theta: theta))
            // The kernel computes angles in Float (as transformers does); Double angles differ by
            // ~1e-5 rad at positions near 64, so values of size ~3 differ by up to ~5e-5.
            assertClose(rotated, kernel, tolerance: 1e-4,
                        "T = \(t), H = \(heads), D = \(d), positions \(start)..<\(start + t), θ = \(Int(theta)), against the kernel's rotary")
        }
    }
}
