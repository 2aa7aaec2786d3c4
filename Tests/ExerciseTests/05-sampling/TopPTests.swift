// Tests for exercise 05.3 (sampling.top-p): `topPFilter(_:p:)` in exercises/05-sampling/TopP.swift.
//
// transformers' TopPLogitsWarper on the committed fixture, the doc comment's examples, the token
// that crosses p (kept), p = 0 (one token) and p = 1 (all), ties ranked by id, removed tokens.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseTopP

final class TopPTests: XCTestCase {
    func testMatchesTransformersOnTheFixture() throws {
        let cases = try samplingFixtureCases(onlySetting: "top_p")
        XCTAssertGreaterThanOrEqual(cases.count, 10, "the fixture should hold top_p-only rows")
        for c in cases {
            guard let filtered = exercise({ topPFilter(c.logits, p: c.setting) }) else { return }
            XCTAssertEqual(keptIDs(filtered), keptIDs(c.processed), "\(c.name): the kept token ids")
            // Kept logits unchanged, removed ones -infinity: exact.
            assertClose(filtered, c.processed, tolerance: 0, "\(c.name): filtered logits")
        }
    }

    func testTheDocCommentExamples() {
        let logits: [Float] = [2, 1.5, 0.8, -0.3]   // probabilities ≈ 0.498, 0.302, 0.150, 0.050
        let inf = -Float.infinity
        guard let nine = exercise({ topPFilter(logits, p: 0.9) }),
              let half = exercise({ topPFilter(logits, p: 0.5) }),
              let zero = exercise({ topPFilter(logits, p: 0) }),
              let one = exercise({ topPFilter(logits, p: 1) }) else { return }
        assertClose(nine, [2, 1.5, 0.8, inf], tolerance: 0,
                    "p = 0.9: 0.80 lies above the third token, so it is kept (it crosses 0.9); 0.95 lies above the fourth")
        assertClose(half, [2, 1.5, inf, inf], tolerance: 0,
                    "p = 0.5: only 0.498 lies above the second token, so it is kept")
        assertClose(zero, [2, inf, inf, inf], tolerance: 0, "p = 0 keeps the most likely token alone")
        assertClose(one, logits, tolerance: 0, "p = 1 keeps every token")
    }

    func testTiesRankTheLowerIDFirst() {
        // Four equal logits, each probability 0.25: p = 0.5 keeps the first two ids.
        guard let filtered = exercise({ topPFilter([1, 1, 1, 1], p: 0.5) }) else { return }
        XCTAssertEqual(keptIDs(filtered), [0, 1], "0.25 lies above id 1 and 0.5 above id 2: ids 0 and 1 stay")
    }

    func testRemovedTokensStayRemoved() {
        let inf = -Float.infinity
        guard let filtered = exercise({ topPFilter([inf, 3, inf, 3, 0], p: 0.6) }) else { return }
        // Probabilities ≈ 0, 0.488, 0, 0.488, 0.024: id 1 (0 above), id 3 (0.488 above), then 0.976 ≥ 0.6.
        assertClose(filtered, [inf, 3, inf, 3, inf], tolerance: 0, "top-p on a row with removed tokens")
    }

    func testRandomRowsMatchTheKernel() {
        // The kernel's TopPFilter is checked against transformers (Tests/LabKernelTests/SamplingFixtureTests).
        var generator = SeededGenerator(seed: 52)
        for p: Float in [0.05, 0.3, 0.75, 0.9, 0.99] {
            let logits = Tensor.randomNormal([200], standardDeviation: 3, using: &generator).scalars
            guard let filtered = exercise({ topPFilter(logits, p: p) }) else { return }
            XCTAssertEqual(keptIDs(filtered), keptIDs(TopPFilter(p).processed(logits)), "p = \(p) on 200 random logits")
        }
    }
}
