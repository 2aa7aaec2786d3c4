// Tests for exercise 05.4 (sampling.min-p): `minPFilter(_:minP:)` in exercises/05-sampling/MinP.swift.
//
// transformers' MinPLogitsWarper on the committed fixture, the doc comment's examples, the cut
// adapting to peaked and flat rows, ties with the top token, minP = 0, removed tokens.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseMinP

final class MinPTests: XCTestCase {
    func testMatchesTransformersOnTheFixture() throws {
        let cases = try samplingFixtureCases(onlySetting: "min_p")
        XCTAssertGreaterThanOrEqual(cases.count, 10, "the fixture should hold min_p-only rows")
        for c in cases {
            guard let filtered = exercise({ minPFilter(c.logits, minP: c.setting) }) else { return }
            XCTAssertEqual(keptIDs(filtered), keptIDs(c.processed), "\(c.name): the kept token ids")
            // Kept logits unchanged, removed ones -infinity: exact.
            assertClose(filtered, c.processed, tolerance: 0, "\(c.name): filtered logits")
        }
    }

    func testTheDocCommentExamples() {
        let inf = -Float.infinity
        guard let fifth = exercise({ minPFilter([2, 1.5, 0.8, -0.3], minP: 0.2) }),
              let half = exercise({ minPFilter([2, 1.5, 0.8, -0.3], minP: 0.5) }),
              let tied = exercise({ minPFilter([5, 5, 1], minP: 1) }),
              let off = exercise({ minPFilter([2, 1.5, 0.8, -0.3], minP: 0) }) else { return }
        assertClose(fifth, [2, 1.5, 0.8, inf], tolerance: 0, "minP 0.2: 0.05 < 0.2 · 0.50 is removed, 0.15 stays")
        assertClose(half, [2, 1.5, inf, inf], tolerance: 0, "minP 0.5: the threshold is 0.25")
        assertClose(tied, [5, 5, inf], tolerance: 0, "minP 1: tokens tied with the top one are not below it")
        assertClose(off, [2, 1.5, 0.8, -0.3], tolerance: 0, "minP 0 keeps every token")
    }

    func testTheCutAdaptsToTheDistribution() {
        // Same minP, a peaked row and a flat row of 10 tokens.
        let peaked: [Float] = [8, 2, 1.5, 1, 0.5, 0, 0, 0, 0, 0]
        let flat: [Float] = [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]
        guard let fromPeaked = exercise({ minPFilter(peaked, minP: 0.1) }),
              let fromFlat = exercise({ minPFilter(flat, minP: 0.1) }) else { return }
        XCTAssertEqual(keptIDs(fromPeaked), [0], "a confident row keeps only its top token (e^-6 < 0.1)")
        XCTAssertEqual(keptIDs(fromFlat), Array(0..<10), "a flat row keeps all ten (e^-0.9 > 0.1)")
    }

    func testRandomRowsMatchTheKernel() {
        // The kernel's MinPFilter is checked against transformers (Tests/LabKernelTests/SamplingFixtureTests).
        var generator = SeededGenerator(seed: 53)
        for minP: Float in [0.01, 0.05, 0.2, 0.5, 0.9] {
            var logits = Tensor.randomNormal([300], standardDeviation: 2, using: &generator).scalars
            logits[7] = -.infinity   // a token removed earlier stays removed
            guard let filtered = exercise({ minPFilter(logits, minP: minP) }) else { return }
            XCTAssertEqual(keptIDs(filtered), keptIDs(MinPFilter(minP).processed(logits)), "minP = \(minP) on 300 random logits")
        }
    }
}
