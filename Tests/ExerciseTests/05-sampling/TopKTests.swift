// Tests for exercise 05.2 (sampling.top-k): `topKFilter(_:k:)` in exercises/05-sampling/TopK.swift.
//
// transformers' TopKLogitsWarper on the committed fixture (same kept tokens, same logits), the doc
// comment's examples, the tie rule (more than k kept), k ≥ V, and rows already partly removed.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseTopK

final class TopKTests: XCTestCase {
    func testMatchesTransformersOnTheFixture() throws {
        let cases = try samplingFixtureCases(onlySetting: "top_k")
        XCTAssertGreaterThanOrEqual(cases.count, 10, "the fixture should hold top_k-only rows")
        for c in cases {
            guard let filtered = exercise({ topKFilter(c.logits, k: Int(c.setting)) }) else { return }
            XCTAssertEqual(keptIDs(filtered), keptIDs(c.processed), "\(c.name): the kept token ids")
            // Kept logits are returned unchanged, removed ones are -infinity on both sides: exact.
            assertClose(filtered, c.processed, tolerance: 0, "\(c.name): filtered logits")
        }
    }

    func testTheDocCommentExamples() {
        guard let tied = exercise({ topKFilter([1, 3, 2, 2], k: 2) }),
              let one = exercise({ topKFilter([1, 3, 2, 0], k: 1) }),
              let all = exercise({ topKFilter([1, 3], k: 5) }) else { return }
        let inf = -Float.infinity
        assertClose(tied, [inf, 3, 2, 2], tolerance: 0, "k = 2 on [1, 3, 2, 2]: both 2s tie with the 2nd largest and stay")
        assertClose(one, [inf, 3, inf, inf], tolerance: 0, "k = 1 keeps only the largest")
        assertClose(all, [1, 3], tolerance: 0, "k ≥ V keeps every token")
    }

    func testTiesAtTheKthValueAreAllKept() {
        let logits: [Float] = [0.5, 2, 0.5, 1, 0.5, -1]
        guard let filtered = exercise({ topKFilter(logits, k: 3) }) else { return }
        XCTAssertEqual(keptIDs(filtered), [0, 1, 2, 3, 4],
                       "the 3rd largest is 0.5 and three tokens have it: all three stay, so 5 tokens are kept")
    }

    func testRemovedTokensStayRemoved() {
        let inf = -Float.infinity
        guard let filtered = exercise({ topKFilter([inf, 4, inf, 1, 2], k: 2) }),
              let wide = exercise({ topKFilter([inf, 4, inf, 1], k: 3) }) else { return }
        assertClose(filtered, [inf, 4, inf, inf, 2], tolerance: 0, "k = 2 keeps 4 and 2")
        assertClose(wide, [inf, 4, inf, 1], tolerance: 0, "k = 3 with only two finite logits keeps both")
    }

    func testRandomRowsMatchTheKernel() {
        // The kernel's TopKFilter is checked against transformers (Tests/LabKernelTests/SamplingFixtureTests).
        var generator = SeededGenerator(seed: 51)
        for k in [1, 2, 7, 40, 99, 100, 150] {
            // Rounded to quarters so that ties occur.
            let logits = Tensor.randomNormal([100], standardDeviation: 2, using: &generator).scalars.map { ($0 * 4).rounded() / 4 }
            guard let filtered = exercise({ topKFilter(logits, k: k) }) else { return }
            assertClose(filtered, TopKFilter(k).processed(logits), tolerance: 0, "k = \(k) on 100 random logits with ties")
        }
    }
}
