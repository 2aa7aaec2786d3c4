// Tests for exercise 02.2 (language-models.cross-entropy-loss): `crossEntropyLoss(logits:targets:ignoreIndex:)`
// and `perplexity(loss:)` in exercises/02-language-models/CrossEntropyLoss.swift.
//
// The doc comment's examples, PyTorch's `F.cross_entropy` on the committed fixture
// (Tests/Fixtures/kernel/cross_entropy.json, made by scripts/fixtures/make_kernel_fixtures.py),
// logits of ±10,000 that overflow a naive exp, ignored rows (PyTorch's -100 and a padding id),
// every row ignored (NaN), equal logits giving ln V, perplexity, and random logits against the
// kernel's `crossEntropy(logits:targets:ignoreIndex:)` (itself checked against that fixture).

import Foundation
import XCTest
import LabKernel
import LabTestSupport
import ExerciseCrossEntropyLoss

final class CrossEntropyLossTests: XCTestCase {
    /// ln(1 + e^-1 + e^-2): the loss of the largest of three logits 1 apart, worked out in Double.
    private let topOfThree = Float(log(1 + exp(-1.0) + exp(-2.0)))   // 0.40760596

    func testTheDocCommentExamples() {
        guard let best = exercise({ crossEntropyLoss(logits: Tensor([[1, 2, 3]]), targets: [2]) }),
              let worst = exercise({ crossEntropyLoss(logits: Tensor([[1, 2, 3]]), targets: [0]) }),
              let uniform = exercise({ crossEntropyLoss(logits: Tensor([[0, 0, 0, 0]]), targets: [1]) }),
              let ignored = exercise({ crossEntropyLoss(logits: Tensor([[1, 2, 3], [5, 0, 0]]), targets: [2, -100]) }),
              let shifted = exercise({ crossEntropyLoss(logits: Tensor([[10001, 10002, 10003]]), targets: [2]) })
        else { return }
        // Losses below 3: a few Float steps (2.4e-7 each) of rounding in exp and log.
        assertClose(best, topOfThree, tolerance: 1e-6,
                    "logits [1, 2, 3], target 2: −ln(e³ / (e + e² + e³)) = ln(1 + e⁻¹ + e⁻²)")
        assertClose(worst, 2 + topOfThree, tolerance: 1e-6,
                    "logits [1, 2, 3], target 0: logsumexp − z[0] = (3 − 1) + ln(1 + e⁻¹ + e⁻²)")
        assertClose(uniform, Float(log(4.0)), tolerance: 1e-6, "four equal logits: every token has p = 1/4, loss ln 4")
        assertClose(ignored, topOfThree, tolerance: 1e-6,
                    "targets [2, -100]: row 1 is ignored, so the mean is over row 0 alone (divide by 1, not 2)")
        if !shifted.isFinite {
            return XCTFail("logits [10001, 10002, 10003] gave \(shifted): e^10003 overflows Float to infinity; "
                           + "subtract the row's largest logit before exp")
        }
        // The difference of logits is exact, so only the log of the sum rounds: as for [1, 2, 3].
        assertClose(shifted, topOfThree, tolerance: 1e-6,
                    "adding 10,000 to every logit does not change the softmax, so the loss is that of [1, 2, 3]")
    }

    func testMatchesPyTorchOnTheFixture() throws {
        // PyTorch's F.cross_entropy in float64: a mean over rows, some ignored, some confident and
        // wrong (logits × 50), some shifted by +1000.
        for c in try Fixture.load("kernel/cross_entropy.json").cases("cases") {
            let name = try c.string("name")
            let ignoreIndex = c.contains("ignore_index") ? try c.int("ignore_index") : -100
            let logits = try c.tensor("logits"), targets = try c.ints("targets")
            guard let loss = exercise({ crossEntropyLoss(logits: logits, targets: targets, ignoreIndex: ignoreIndex) })
            else { return }
            // rtol 1e-5: a few Float steps. Logits near 1000 are 6e-5 apart in Float, so the case
            // "shifted by +1000" passes only if (m − z[y]) is formed before the log of the sum is added.
            assertClose(loss, try c.float("loss"), tolerance: 0, relativeTolerance: 1e-5,
                        "\(name) (logits \(logits.shape.shapeDescription), targets \(targets)), compared with PyTorch")
        }
    }

    func testHugeLogitsDoNotOverflow() {
        // Row 0: the target's logit is 10,000 below the top one, so its loss is 10,000 (plus ~e^-10000).
        // Row 1: the top of three logits 1 apart. Row 2: all equal and far below 0, where e^z is 0 in Float.
        let logits = Tensor([[10_000, 0, -10_000],
                             [10_000, 9_999, 9_998],
                             [-10_000, -10_000, -10_000]])
        guard let loss = exercise({ crossEntropyLoss(logits: logits, targets: [1, 0, 0]) }) else { return }
        if !loss.isFinite {
            return XCTFail("logits of ±10,000 gave \(loss): e^10000 is infinity and e^-10000 is 0 in Float, so a naive "
                           + "softmax gives ∞/∞ or 0/0; subtract each row's largest logit first (then the largest term is e^0 = 1)")
        }
        let expected = Float((10_000 + Double(topOfThree) + log(3.0)) / 3)
        // A loss of 3,334: Float steps there are 2.4e-4, so rtol 1e-6 is a few of them.
        assertClose(loss, expected, tolerance: 0, relativeTolerance: 1e-6,
                    "mean of 10,000 (the target is 10,000 below the top), ln(1 + e⁻¹ + e⁻²) and ln 3 (three equal logits)")
        assertClose(loss, crossEntropy(logits: logits, targets: [1, 0, 0]), tolerance: 0, relativeTolerance: 1e-6,
                    "compared with the kernel's crossEntropy on the same logits")
    }

    func testIgnoredRowsCountForNothing() {
        var generator = SeededGenerator(seed: 2201)
        let rows = Tensor.randomNormal([4, 6], standardDeviation: 2, using: &generator)
        let kept = Tensor(shape: [2, 6], scalars: Array(rows.scalars[0..<6] + rows.scalars[18..<24]))   // rows 0 and 3
        guard let withIgnored = exercise({ crossEntropyLoss(logits: rows, targets: [4, -100, -100, 1]) }),
              let withoutThem = exercise({ crossEntropyLoss(logits: kept, targets: [4, 1]) }) else { return }
        // The same two rows, so the same sums: only rounding could differ.
        assertClose(withIgnored, withoutThem, tolerance: 1e-6,
                    "targets [4, -100, -100, 1] must give the loss of rows 0 and 3 alone: the mean divides by 2 counted rows, not 4")

        // A padding id as the ignore index: rows whose target is 0 are skipped.
        let targets = [0, 3, 0, 5]
        guard let padded = exercise({ crossEntropyLoss(logits: rows, targets: targets, ignoreIndex: 0) }) else { return }
        assertClose(padded, crossEntropy(logits: rows, targets: targets, ignoreIndex: 0), tolerance: 1e-6,
                    "ignoreIndex 0 (a padding token) skips rows 0 and 2; compared with the kernel")
    }

    func testWhenEveryRowIsIgnoredTheLossIsNaN() {
        guard let loss = exercise({ crossEntropyLoss(logits: Tensor([[1, 2], [3, 4]]), targets: [-100, -100]) }) else { return }
        XCTAssertTrue(loss.isNaN, "every target is -100, so there is nothing to average: the mean must be 0 / 0 = NaN "
                      + "(as PyTorch and the kernel), got \(loss)")
    }

    func testEqualLogitsGiveLnV() {
        // V = 50,257 is GPT-2's vocabulary: an untrained model's loss is about 10.8.
        for v in [1, 2, 10, 1_000, 50_257] {
            let logits = Tensor(shape: [2, v], scalars: [Float](repeating: 3.5, count: v) + [Float](repeating: -20, count: v))
            guard let loss = exercise({ crossEntropyLoss(logits: logits, targets: [0, v - 1]) }) else { return }
            // ln V up to 10.8: rtol 1e-6 is a few Float steps (the sum of V ones is exact in Double).
            assertClose(loss, Float(log(Double(v))), tolerance: 1e-7, relativeTolerance: 1e-6,
                        "V = \(v) equal logits in a row: every token has probability 1/V, so the loss is −ln(1/V) = ln V")
        }
    }

    func testPerplexityIsTheNumberOfEqualChoices() {
        guard let certain = exercise({ perplexity(loss: 0) }) else { return }
        XCTAssertEqual(certain, 1, "a loss of 0 (the right token always had probability 1) is a perplexity of 1")
        for v in [2, 4, 50_257] {
            guard let fromLog = exercise({ perplexity(loss: Float(log(Double(v)))) }),
                  let fromLoss = exercise({ perplexity(loss: crossEntropyLoss(logits: Tensor.zeros([3, v]), targets: [0, 1, 0])) })
            else { return }
            // e^(ln V) rounds ln V to Float first: relative error up to ~1e-6 for ln V ≈ 10.8.
            assertClose(fromLog, Float(v), tolerance: 0, relativeTolerance: 2e-6,
                        "perplexity(loss: ln \(v)) must be e^(ln \(v)) = \(v)")
            assertClose(fromLoss, Float(v), tolerance: 0, relativeTolerance: 2e-6,
                        "a uniform model over \(v) tokens is as unsure as a fair choice among \(v): perplexity \(v)")
        }
    }

    func testRandomLogitsMatchTheKernel() {
        var generator = SeededGenerator(seed: 2202)
        for (n, v) in [(1, 1), (3, 5), (16, 40), (7, 300)] {
            let logits = Tensor.randomNormal([n, v], standardDeviation: 5, using: &generator)
            // About one row in four ignored, but never all of them.
            let targets = (0..<n).map { r in r > 0 && generator.nextInt(below: 4) == 0 ? -100 : generator.nextInt(below: v) }
            guard let loss = exercise({ crossEntropyLoss(logits: logits, targets: targets) }) else { return }
            // Losses up to ~20 summed in Double on both sides: rtol 1e-5 leaves room for Float exps.
            assertClose(loss, crossEntropy(logits: logits, targets: targets, ignoreIndex: -100),
                        tolerance: 1e-6, relativeTolerance: 1e-5,
                        "logits \([n, v].shapeDescription) (standard deviation 5), targets \(targets), compared with the kernel")
        }
    }
}
