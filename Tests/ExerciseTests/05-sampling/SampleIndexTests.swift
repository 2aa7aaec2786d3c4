// Tests for exercise 05.5 (sampling.sample-index): `sampleIndex(probabilities:uniform:)` in
// exercises/05-sampling/SampleIndex.swift.
//
// The doc comment's examples, interval boundaries, tokens with probability 0 (never drawn), the
// rounding fallback, the kernel's `sampleToken(probabilities:uniform:)` on transformers'
// probabilities from the committed fixture, and a sweep of evenly spaced uniforms whose counts
// must reproduce the distribution (inverse-CDF sampling draws each token with its probability).

import XCTest
import LabKernel
import LabTestSupport
import ExerciseSampleIndex

final class SampleIndexTests: XCTestCase {
    func testTheDocCommentExamples() {
        // Quarters and halves are exact in Float, so the interval ends are exactly 0.25, 0.75 and 1.
        let p: [Float] = [0.25, 0.5, 0.25]
        guard let first = exercise({ sampleIndex(probabilities: p, uniform: 0.1) }),
              let second = exercise({ sampleIndex(probabilities: p, uniform: 0.6) }),
              let third = exercise({ sampleIndex(probabilities: p, uniform: 0.75) }),
              let skipped = exercise({ sampleIndex(probabilities: [0.5, 0, 0.5], uniform: 0.5) }) else { return }
        XCTAssertEqual(first, 0, "0.1 < 0.25: token 0 owns [0, 0.25)")
        XCTAssertEqual(second, 1, "0.25 ≤ 0.6 < 0.75: token 1 owns [0.25, 0.75)")
        XCTAssertEqual(third, 2, "0.75 is the start of token 2's interval [0.75, 1.0): intervals are closed on the left")
        XCTAssertEqual(skipped, 2, "a token with probability 0 owns an empty interval and is never drawn")
    }

    func testBoundariesAndEnds() {
        let p: [Float] = [0.25, 0.25, 0.25, 0.25]
        guard let zero = exercise({ sampleIndex(probabilities: p, uniform: 0) }),
              let boundary = exercise({ sampleIndex(probabilities: p, uniform: 0.5) }),
              let end = exercise({ sampleIndex(probabilities: p, uniform: 0.999_999) }),
              let leadingZeros = exercise({ sampleIndex(probabilities: [0, 0, 1], uniform: 0) }) else { return }
        XCTAssertEqual(zero, 0, "uniform 0 draws the first token with p > 0")
        XCTAssertEqual(boundary, 2, "uniform 0.5 is where token 2's interval starts")
        XCTAssertEqual(end, 3, "just below the total draws the last token")
        XCTAssertEqual(leadingZeros, 2, "uniform 0 with p = [0, 0, 1]: tokens 0 and 1 have empty intervals")
    }

    func testRoundingFallsBackToTheLastPossibleToken() {
        // The Float probabilities sum to a little under `uniform`: return the last id with p > 0.
        guard let id = exercise({ sampleIndex(probabilities: [0.3, 0.7, 0, 0], uniform: 1.0) }) else { return }
        XCTAssertEqual(id, 1, "uniform ≥ the sum of [0.3, 0.7, 0, 0] must give the last token with p > 0 (id 1), not a removed one")
    }

    func testMatchesTheKernelOnTransformersProbabilities() throws {
        // Distributions after temperature, top-k, top-p and min-p, as transformers computed them.
        let cases = try Fixture.load("sampling/logits_processors.json").cases("cases")
        var generator = SeededGenerator(seed: 55)
        for c in cases {
            let name = try c.string("name")
            let probabilities = try c.floats("probabilities")
            let total = probabilities.reduce(0.0) { $0 + Double($1) }
            for _ in 0..<20 {
                let uniform = generator.nextDouble() * total
                guard let id = exercise({ sampleIndex(probabilities: probabilities, uniform: uniform) }) else { return }
                XCTAssertEqual(id, sampleToken(probabilities: probabilities, uniform: uniform),
                               "\(name): uniform \(uniform) of total \(total)")
            }
        }
    }

    func testEvenlySpacedUniformsReproduceTheDistribution() {
        let p: [Float] = [0.1, 0, 0.45, 0.05, 0.4]
        let draws = 10_000
        var counts = [Int](repeating: 0, count: p.count)
        for i in 0..<draws {
            let uniform = (Double(i) + 0.5) / Double(draws)   // the midpoints of 10,000 equal steps of [0, 1)
            guard let id = exercise({ sampleIndex(probabilities: p, uniform: uniform) }) else { return }
            guard p.indices.contains(id) else {
                XCTFail("sampleIndex returned \(id), outside 0..<\(p.count)")
                return
            }
            counts[id] += 1
        }
        let frequencies = counts.map { Float($0) / Float(draws) }
        // Each interval holds its share of the midpoints to within one step (1e-4), plus Float rounding.
        assertClose(frequencies, p, tolerance: 2e-4, "how often each token is drawn by 10,000 evenly spaced uniforms")
    }
}
