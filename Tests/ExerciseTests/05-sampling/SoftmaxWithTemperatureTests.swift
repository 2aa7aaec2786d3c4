// Tests for exercise 05.1 (sampling.softmax-with-temperature): `softmax(_:temperature:)` in
// exercises/05-sampling/SoftmaxWithTemperature.swift.
//
// transformers' temperature warper followed by a softmax (the committed fixture), the doc
// comment's hand-computed examples, the effect of T on how peaked the distribution is, removed
// tokens, and small temperatures that overflow a literal formula.

import Foundation
import XCTest
import LabKernel
import LabTestSupport
import ExerciseSoftmaxWithTemperature

final class SoftmaxWithTemperatureTests: XCTestCase {
    func testMatchesTransformersOnTheFixture() throws {
        let cases = try samplingFixtureCases(onlySetting: "temperature")
        XCTAssertGreaterThanOrEqual(cases.count, 10, "the fixture should hold temperature-only rows")
        for c in cases {
            guard let p = exercise({ softmax(c.logits, temperature: c.setting) }) else { return }
            // The fixture's probabilities are a float64 softmax of transformers' Float logits / T,
            // rounded once; a Float softmax is within a few 1e-8 of it. 1e-6 is the kit's bar.
            assertClose(p, c.probabilities, tolerance: 1e-6, "\(c.name): softmax(logits / \(c.setting))")
        }
    }

    func testTheDocCommentExamples() {
        let logits: [Float] = [1, 2, 3]
        for temperature in [1.0, 0.5, 2.0] {
            guard let p = exercise({ softmax(logits, temperature: Float(temperature)) }) else { return }
            // The definition in Double: e^(z/T) / Σ e^(z/T).
            let weights = [1.0, 2.0, 3.0].map { Foundation.exp($0 / temperature) }
            let expected = weights.map { Float($0 / weights.reduce(0, +)) }
            // Float rounding of three exponentials and a division.
            assertClose(p, expected, tolerance: 1e-6, "softmax([1, 2, 3], temperature: \(temperature))")
        }
    }

    func testLowTemperatureSharpensAndHighTemperatureFlattens() {
        let logits: [Float] = [0.5, 2, -1, 1]
        guard let cold = exercise({ softmax(logits, temperature: 0.25) }),
              let plain = exercise({ softmax(logits, temperature: 1) }),
              let hot = exercise({ softmax(logits, temperature: 4) }) else { return }
        guard cold.count == 4, plain.count == 4, hot.count == 4 else {
            XCTFail("one probability per logit: got \(cold.count), \(plain.count) and \(hot.count) for 4 logits")
            return
        }
        XCTAssertTrue(cold[1] > plain[1] && plain[1] > hot[1],
                      "the top token's probability must fall as T rises: T=0.25 \(cold[1]), T=1 \(plain[1]), T=4 \(hot[1])")
        XCTAssertEqual(cold.indices.sorted { cold[$0] > cold[$1] }, [1, 3, 0, 2],
                       "temperature never reorders the tokens, got \(cold)")
        XCTAssertEqual(hot.indices.sorted { hot[$0] > hot[$1] }, [1, 3, 0, 2],
                       "temperature never reorders the tokens, got \(hot)")
    }

    func testRemovedTokensGetProbabilityZero() {
        guard let p = exercise({ softmax([0, -.infinity, 1, -.infinity], temperature: 0.7) }) else { return }
        let weights = [1.0, 0, Foundation.exp(1 / 0.7), 0]
        let expected = weights.map { Float($0 / weights.reduce(0, +)) }
        // Exact zeros for the removed tokens; Float rounding for the other two.
        assertClose(p, expected, tolerance: 1e-6, "tokens at -infinity (removed by a filter) must get probability 0")
    }

    func testSmallTemperaturesDoNotOverflow() {
        // 60 / 0.05 = 1200: e^1200 is infinity in Float, and inf / inf is NaN.
        guard let p = exercise({ softmax([60, 59, 10], temperature: 0.05) }) else { return }
        XCTAssertTrue(p.allSatisfy(\.isFinite), "got \(p): subtract the largest scaled logit before exp")
        let expected = softmax(Tensor([1200, 1180, 200])).scalars   // the kernel's softmax of logits / T
        // e^-20 ≈ 2e-9 for the second token, 0 for the third; Float rounding only.
        assertClose(p, expected, tolerance: 1e-6, "softmax([60, 59, 10], temperature: 0.05)")
    }
}
