// Tests for exercise 00.3 (tensors.softmax): `softmax(_: [Float])` in exercises/00-tensors/Softmax.swift.
//
// A hand-computed case, the properties every distribution has, the edge cases (one logit, none,
// a masked -infinity), and the point of the exercise: logits shifted by +100, scaled by 1000 or
// very negative, where the literal formula gives inf/inf or 0/0 = NaN. Random logits are compared
// with the kernel's `softmax` (here `softmax(Tensor(x))`, the student's is `softmax(x)`).

import Foundation
import XCTest
import LabKernel
import LabTestSupport
import ExerciseSoftmax

final class SoftmaxTests: XCTestCase {
    func testThreeLogitsMatchTheHandComputedProbabilities() {
        guard let p = exercise({ softmax([1, 2, 3]) }) else { return }
        // The definition, evaluated in Double: e^x[i] / Σ_j e^x[j].
        let exponentials = [1.0, 2.0, 3.0].map { Foundation.exp($0) }
        let total = exponentials.reduce(0, +)
        let expected = exponentials.map { Float($0 / total) }   // ≈ [0.0900, 0.2447, 0.6652]
        // Float rounding of three exponentials and a division: a few units in the 7th digit.
        assertClose(p, expected, tolerance: 1e-6, "softmax([1, 2, 3]) = e^x / (e^1 + e^2 + e^3)")
    }

    func testProbabilitiesArePositiveAndSumToOne() {
        var generator = SeededGenerator(seed: 5)
        let logits = Tensor.randomNormal([50], standardDeviation: 3, using: &generator).scalars
        guard let p = exercise({ softmax(logits) }) else { return }
        XCTAssertEqual(p.count, logits.count, "softmax returns one probability per logit")
        XCTAssertTrue(p.allSatisfy { $0 > 0 && $0 <= 1 },
                      "every probability of finite logits lies in (0, 1], got min \(p.min() ?? .nan), max \(p.max() ?? .nan)")
        // Float rounding of a sum of 50 terms below 1: well under 1e-5.
        assertClose(p.reduce(0, +), 1, tolerance: 1e-5, "the probabilities of 50 random logits must sum to 1")
    }

    func testEqualLogitsGiveAUniformDistribution() {
        guard let p = exercise({ softmax([5, 5, 5, 5]) }) else { return }
        // Exact in a correct implementation: four equal terms, each divided by their sum.
        assertClose(p, [0.25, 0.25, 0.25, 0.25], tolerance: 1e-7,
                    "four equal logits must share the probability equally")
    }

    func testLargerLogitGetsLargerProbability() {
        guard let p = exercise({ softmax([0.5, -1, 2, 0]) }) else { return }
        XCTAssertEqual(p.count, 4, "softmax returns one probability per logit")
        guard p.count == 4 else { return }
        XCTAssertTrue(p[2] > p[0] && p[0] > p[3] && p[3] > p[1],
                      "softmax keeps the order of the logits (2 > 0.5 > 0 > -1), got probabilities \(p)")
    }

    func testSingleLogitGetsProbabilityOne() {
        guard let positive = exercise({ softmax([42]) }), let negative = exercise({ softmax([-7]) }) else { return }
        // Exact: e^0 / e^0.
        assertClose(positive, [1], tolerance: 0, "with one logit (42) all probability goes to it")
        assertClose(negative, [1], tolerance: 0, "with one logit (-7) all probability goes to it, even a negative one")
    }

    func testEmptyLogitsGiveAnEmptyResult() {
        guard let p = exercise({ softmax([]) }) else { return }
        XCTAssertEqual(p, [], "softmax of no logits is no probabilities, not a crash")
    }

    func testMaskedLogitGetsZeroProbability() {
        // Attention's causal mask sets forbidden scores to -infinity before the softmax.
        guard let p = exercise({ softmax([0, -Float.infinity, 0]) }) else { return }
        guard assertFinite(p, logits: "[0, -inf, 0]") else { return }
        // Exact: e^-inf is exactly 0, the other two are equal.
        assertClose(p, [0.5, 0, 0.5], tolerance: 1e-7,
                    "a logit of -infinity is masked out: probability exactly 0, the rest share the total")
    }

    func testLogitsShiftedByAHundredGiveTheSameProbabilities() {
        let logits: [Float] = [1, 2, 3, -1, 0.5]
        let shifted = logits.map { $0 + 100 }
        guard let p = exercise({ softmax(shifted) }) else { return }
        guard assertFinite(p, logits: "[101, 102, 103, 99, 100.5]") else { return }
        // Adding the same number to every logit does not change the softmax.
        let expected = softmax(Tensor(logits)).scalars   // the kernel's softmax of the unshifted logits
        // Float rounding after the shift (logits near 100 keep ~6 significant digits): below 1e-5.
        assertClose(p, expected, tolerance: 1e-5,
                    "softmax(x + 100) must equal softmax(x): only differences between logits matter")
    }

    func testLogitsScaledByAThousandDoNotOverflow() {
        let logits: [Float] = [1, 2, 3].map { $0 * 1000 }
        guard let p = exercise({ softmax(logits) }) else { return }
        guard assertFinite(p, logits: "[1000, 2000, 3000]") else { return }
        let expected = softmax(Tensor(logits)).scalars   // the kernel's: e^-1000 and e^-2000 are 0 in Float
        // The two small probabilities underflow to 0 and the largest is 1 (up to one rounding).
        assertClose(p, expected, tolerance: 1e-6,
                    "logits 1000 apart: practically all probability goes to the largest")
    }

    func testVeryNegativeLogitsDoNotBecomeZeroOverZero() {
        guard let p = exercise({ softmax([-1000, -1000, -1001]) }) else { return }
        guard assertFinite(p, logits: "[-1000, -1000, -1001]") else { return }
        // The definition in Double after factoring out e^-1000: weights 1, 1, e^-1.
        let weights = [1.0, 1.0, Foundation.exp(-1.0)]
        let expected = weights.map { Float($0 / weights.reduce(0, +)) }
        // Float rounding of e^-1 and a division.
        assertClose(p, expected, tolerance: 1e-6,
                    "exp(-1000) is 0 in Float, so the literal formula gives 0/0 = NaN; the answer is well defined")
    }

    func testRandomLogitsMatchTheKernelSoftmax() {
        var generator = SeededGenerator(seed: 9)
        for count in [2, 7, 1000] {
            let logits = Tensor.randomNormal([count], standardDeviation: 4, using: &generator)
            guard let p = exercise({ softmax(logits.scalars) }) else { return }
            guard assertFinite(p, logits: "\(count) random logits") else { return }
            // Float rounding; the kernel sums in the same Float precision, possibly in another order.
            assertClose(p, softmax(logits).scalars, tolerance: 1e-6,
                        "softmax of \(count) random logits, compared with the kernel's softmax")
        }
    }

    /// Fails, with an explanation of overflow, and returns false when the softmax produced NaN or
    /// infinity (the tests then stop: the comparison that follows would only repeat the NaNs).
    private func assertFinite(_ p: [Float], logits: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        guard let bad = p.firstIndex(where: { !$0.isFinite }) else { return true }
        let count = p.filter { !$0.isFinite }.count
        XCTFail("softmax(\(logits)) returned \(count) non-finite value(s), first \(p[bad]) at index \(bad). "
                + "Float's exp overflows to inf above about 88.7 and underflows to 0 below about -103, "
                + "so the literal e^x / Σ e^x gives inf/inf or 0/0 = NaN here. Rewrite the formula, "
                + "without changing its value, so that no exponent is large (see the doc comment in exercises/00-tensors/Softmax.swift).",
                file: file, line: line)
        return false
    }
}
