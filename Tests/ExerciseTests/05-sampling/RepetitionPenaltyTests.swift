// Tests for exercise 05.6 (sampling.repetition-penalty): `applyRepetitionPenalty(_:previousTokens:penalty:)`
// in exercises/05-sampling/RepetitionPenalty.swift.
//
// transformers' RepetitionPenaltyLogitsProcessor on the committed fixture, the doc comment's
// examples, repeated ids penalized once, out-of-range ids, penalties below 1, and random rows
// against the kernel's `RepetitionPenalty`.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseRepetitionPenalty

final class RepetitionPenaltyTests: XCTestCase {
    func testMatchesTransformersOnTheFixture() throws {
        let cases = try samplingFixtureCases(onlySetting: "repetition_penalty")
        XCTAssertGreaterThanOrEqual(cases.count, 5, "the fixture should hold repetition_penalty-only rows")
        for c in cases {
            guard let penalized = exercise({
                applyRepetitionPenalty(c.logits, previousTokens: c.previousTokens, penalty: c.setting)
            }) else { return }
            // One Float division or product per seen token, as torch does: the same bits. rtol 1e-6
            // (~8 Float steps) only allows for a compiler that rounds differently.
            assertClose(penalized, c.processed, tolerance: 0, relativeTolerance: 1e-6,
                        "\(c.name): previous ids \(c.previousTokens)")
        }
    }

    func testTheDocCommentExamples() {
        guard let both = exercise({ applyRepetitionPenalty([4, -4, 4], previousTokens: [0, 1, 1], penalty: 2) }),
              let zero = exercise({ applyRepetitionPenalty([4, 0, 1], previousTokens: [1, 7], penalty: 2) }) else { return }
        assertClose(both, [2, -8, 4], tolerance: 0,
                    "4 seen: 4 / 2; -4 seen (twice, penalized once): -4 · 2; the last 4 not seen")
        assertClose(zero, [4, 0, 1], tolerance: 0, "a logit of 0 stays 0, and id 7 is outside the row (ignored)")
    }

    func testRepeatedIDsArePenalizedOnce() {
        guard let once = exercise({ applyRepetitionPenalty([9, 9], previousTokens: [0, 0, 0, 0], penalty: 3) }) else { return }
        assertClose(once, [3, 9], tolerance: 0, "id 0 occurs four times but is divided by 3 once")
    }

    func testPenaltyBelowOneEncouragesRepetition() {
        let inf = -Float.infinity
        guard let encouraged = exercise({
            applyRepetitionPenalty([2, -2, inf, 1], previousTokens: [0, 1, 2], penalty: 0.5)
        }) else { return }
        assertClose(encouraged, [4, -1, inf, 1], tolerance: 0,
                    "θ = 0.5: 2 / 0.5 = 4, -2 · 0.5 = -1, -infinity stays -infinity, unseen 1 unchanged")
    }

    func testNoPreviousTokensChangesNothing() {
        guard let unchanged = exercise({ applyRepetitionPenalty([1, -1], previousTokens: [], penalty: 1.5) }) else { return }
        assertClose(unchanged, [1, -1], tolerance: 0, "nothing seen, nothing penalized")
    }

    func testRandomRowsMatchTheKernel() {
        // The kernel's RepetitionPenalty is checked against transformers (Tests/LabKernelTests/SamplingFixtureTests).
        var generator = SeededGenerator(seed: 56)
        for penalty: Float in [1.1, 1.3, 2, 0.8] {
            let logits = Tensor.randomNormal([64], standardDeviation: 3, using: &generator).scalars
            let previous = (0..<30).map { _ in generator.nextInt(below: 80) }   // some ids ≥ 64, some repeated
            guard let penalized = exercise({ applyRepetitionPenalty(logits, previousTokens: previous, penalty: penalty) }) else { return }
            assertClose(penalized, RepetitionPenalty(penalty).processed(logits, previousTokens: previous), tolerance: 0,
                        "θ = \(penalty) on 64 random logits, 30 previous ids")
        }
    }
}
