// Greedy and multinomial sampling and the `TokenSampler` (Sources/LabKernel/Sampling/): the first
// maximum wins, the inverse-CDF draw follows its documented procedure, draw frequencies match the
// probabilities, and the same seed gives the same tokens.

import XCTest
@testable import LabKernel
import LabTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class SamplingSamplerTests: XCTestCase {
    func testGreedyPicksTheFirstMaximum() {
        XCTAssertEqual(greedyToken([1, 3, 3, 2]), 1)
        XCTAssertEqual(greedyToken([-.infinity, -5, -.infinity]), 1)
        XCTAssertEqual(greedyToken([7]), 0)
    }

    func testFastGreedyEqualsTheOneByOneLoop() {
        // Lengths around the SIMD width and a real vocabulary size; few distinct values (many
        // ties), -infinity, and signed zeros, which compare equal: the first maximum must win.
        var generator = SeededGenerator(seed: 11)
        let palette: [Float] = [-.infinity, -1, -0.0, 0, 0.5, 2]
        for length in Array(1...40) + [32000] {
            for _ in 0..<20 {
                let row = (0..<length).map { _ in palette[generator.nextInt(below: palette.count)] }
                XCTAssertEqual(greedyToken(row), greedyTokenNaive(row), "row \(row.prefix(40))")
            }
            let normal = (0..<length).map { _ in generator.nextNormal() }
            XCTAssertEqual(greedyToken(normal), greedyTokenNaive(normal), "length \(length)")
        }
    }

    func testInverseCDFIntervals() {
        // Token i owns [p_0 + … + p_(i-1), p_0 + … + p_i); zero-probability tokens own nothing.
        let p: [Float] = [0, 0.25, 0, 0.5, 0.25]
        XCTAssertEqual(sampleToken(probabilities: p, uniform: 0), 1)
        XCTAssertEqual(sampleToken(probabilities: p, uniform: 0.2499), 1)
        XCTAssertEqual(sampleToken(probabilities: p, uniform: 0.25), 3)
        XCTAssertEqual(sampleToken(probabilities: p, uniform: 0.75), 4)
        XCTAssertEqual(sampleToken(probabilities: p, uniform: 0.9999), 4)
        // Rounding past the end falls back to the last possible token, never to a zero one.
        XCTAssertEqual(sampleToken(probabilities: [0.5, 0.5, 0], uniform: 1.0), 1)
    }

    func testSampleTokenIsTheDocumentedProcedure() {
        // Recompute steps 1–5 by hand from the same generator state and compare.
        let logits: [Float] = [0.3, -1, 2, -.infinity, 0.5, 1.1]
        var a = SeededGenerator(seed: 99), b = SeededGenerator(seed: 99)
        for _ in 0..<200 {
            let p = softmax(Tensor(logits)).scalars
            let total = p.reduce(0.0) { $0 + Double($1) }
            let u = b.nextDouble() * total
            var cumulative = 0.0
            var expected = -1
            for (i, pi) in p.enumerated() {
                cumulative += Double(pi)
                if u < cumulative { expected = i; break }
            }
            XCTAssertEqual(sampleToken(logits: logits, using: &a), expected)
        }
    }

    func testMultinomialFrequenciesMatchProbabilities() {
        let probabilities: [Double] = [0.1, 0.2, 0.3, 0.05, 0.35]
        let logits = probabilities.map { Float(log($0)) } + [-.infinity]
        var rng = SeededGenerator(seed: 2024)
        let draws = 100_000
        var counts = [Int](repeating: 0, count: logits.count)
        for _ in 0..<draws { counts[sampleToken(logits: logits, using: &rng)] += 1 }
        XCTAssertEqual(counts[5], 0, "a -infinity token was drawn")
        var chiSquare = 0.0
        for (i, p) in probabilities.enumerated() {
            let expected = p * Double(draws)
            chiSquare += (Double(counts[i]) - expected) * (Double(counts[i]) - expected) / expected
        }
        // 4 degrees of freedom: P(χ² > 23.5) ≈ 1e-4 for a correct sampler; a sampler off by one
        // percentage point on any token gives χ² in the hundreds here. The seed is fixed, so the
        // test is deterministic; the bound only says the fixed outcome is an unsurprising one.
        XCTAssertLessThan(chiSquare, 23.5, "counts \(counts)")
    }

    func testSameSeedSameTokensDifferentSeedDifferentTokens() {
        var rng = SeededGenerator(seed: 3)
        let rows: [[Float]] = (0..<64).map { _ in (0..<40).map { _ in rng.nextNormal() * 2 } }
        func run(_ seed: UInt64) -> [Int] {
            var sampler = TokenSampler(settings: SamplingSettings(temperature: 1.2, topK: 20, topP: 0.95,
                                                                  repetitionPenalty: 1.1, seed: seed))
            var ids: [Int] = []
            for row in rows { ids.append(sampler.next(logits: row, previousTokens: ids)) }
            return ids
        }
        XCTAssertEqual(run(42), run(42))
        XCTAssertNotEqual(run(42), run(43))
    }

    func testTemperatureZeroIsGreedyAfterPenalties() {
        // Token 0 is the argmax, but it was seen: the repetition penalty 2 halves it below token 2.
        var sampler = TokenSampler(settings: SamplingSettings(temperature: 0, repetitionPenalty: 2, seed: 1))
        XCTAssertEqual(sampler.next(logits: [4, 1, 3], previousTokens: []), 0)
        XCTAssertEqual(sampler.next(logits: [4, 1, 3], previousTokens: [0]), 2)
    }

    func testTopKOneMakesSamplingGreedy() {
        var rng = SeededGenerator(seed: 8)
        var sampler = TokenSampler(settings: SamplingSettings(temperature: 1.5, topK: 1, seed: 8))
        for _ in 0..<100 {
            let row: [Float] = (0..<30).map { _ in rng.nextNormal() }
            XCTAssertEqual(sampler.next(logits: row, previousTokens: []), greedyToken(row))
        }
    }
}
