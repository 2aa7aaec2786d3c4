// Edge cases and definitions of the logits processors (Sources/LabKernel/Sampling/) that the
// transformers fixture does not pin down: off values, k ≥ V, the fast top-k threshold against its
// naive twin, the OpenAI-style frequency/presence penalties, and the pipeline's fixed order.
// Invalid arguments (temperature ≤ 0, k < 1, p outside [0, 1]) stop with a precondition message;
// XCTest cannot catch a trap, so those messages are not tested here.

import XCTest
@testable import LabKernel
import LabTestSupport

final class SamplingProcessorTests: XCTestCase {
    func testTopKLargerThanVocabularyKeepsEverything() {
        let row: [Float] = [0.5, -2, 3, 1]
        XCTAssertEqual(TopKFilter(4).processed(row), row)
        XCTAssertEqual(TopKFilter(100).processed(row), row)
        XCTAssertEqual(TopKFilter(1).processed(row), [-.infinity, -.infinity, 3, -.infinity])
    }

    func testTopKKeepsEveryTokenTiedWithTheKth() {
        XCTAssertEqual(TopKFilter(2).processed([1, 3, 2, 2]), [-.infinity, 3, 2, 2])
    }

    func testTopKThresholdMatchesNaiveTwin() {
        var rng = SeededGenerator(seed: 11)
        for trial in 0..<50 {
            let v = 1 + rng.nextInt(below: 300)
            // Values on a coarse grid so that many are equal, plus some -infinity.
            let row: [Float] = (0..<v).map { _ in
                rng.nextInt(below: 10) == 0 ? -.infinity : Float(rng.nextInt(below: 20)) - 10
            }
            for k in [1, 2, 5, v / 2 + 1, v] where k >= 1 && k <= v {
                XCTAssertEqual(topKThreshold(row, k: k), topKThresholdNaive(row, k: k), "trial \(trial), V \(v), k \(k)")
            }
        }
    }

    func testTopPOneKeepsEveryTokenEvenWithUnderflowingProbabilities() {
        // exp(-200) underflows to probability 0 in Float, yet p = 1 must not remove the token.
        let row: [Float] = [0, -200, 5, -1000]
        XCTAssertEqual(TopPFilter(1).processed(row), row)
    }

    func testTopPKeepsTheTokenThatCrossesTheThreshold() {
        // Probabilities ≈ 0.498, 0.302, 0.150, 0.050: 0.80 < 0.9 before the third, so it stays.
        let row: [Float] = [2, 1.5, 0.8, -0.3]
        XCTAssertEqual(TopPFilter(0.9).processed(row), [2, 1.5, 0.8, -.infinity])
        // p = 0 keeps only the most likely token (the first among equals).
        XCTAssertEqual(TopPFilter(0).processed([1, 4, 4]), [-.infinity, 4, -.infinity])
    }

    func testTopPOnLargeRowsMatchesTransformersAscendingFormulation() {
        // transformers' form, written out here: sort ascending, remove tokens whose ascending
        // cumulative probability is ≤ 1 − p, never the largest. Rows of 5,000 distinct logits
        // exercise the kernel's shortcut of removing the negligible tokens before sorting.
        var rng = SeededGenerator(seed: 21)
        for trial in 0..<6 {
            let row: [Float] = (0..<5_000).map { _ in rng.nextNormal() * 3 }
            let p: Float = [0.1, 0.5, 0.9, 0.95, 0.99, 0.0][trial]
            let probabilities = softmax(Tensor(row)).scalars
            let ascending = row.indices.sorted { row[$0] < row[$1] }
            var expected = row
            var cumulative = 0.0
            for (position, id) in ascending.enumerated() {
                cumulative += Double(probabilities[id])
                if cumulative <= 1 - Double(p) && position < ascending.count - 1 { expected[id] = -.infinity }
            }
            XCTAssertEqual(TopPFilter(p).processed(row), expected, "trial \(trial), p \(p)")
        }
    }

    func testMinPZeroKeepsEverythingAndOneKeepsTheTop() {
        let row: [Float] = [0.2, 3, -5, 2.9]
        XCTAssertEqual(MinPFilter(0).processed(row), row)
        XCTAssertEqual(MinPFilter(1).processed(row), [-.infinity, 3, -.infinity, -.infinity])
    }

    func testRepetitionPenaltyOncePerTokenAndBothSigns() {
        // 4 / 2 and -4 · 2; token 1 appears twice but is penalized once; id 7 ≥ V is ignored;
        // a zero logit is unchanged (the multiplicative penalty's known blind spot).
        let out = RepetitionPenalty(2).processed([4, -4, 4, 0], previousTokens: [0, 1, 1, 3, 7])
        XCTAssertEqual(out, [2, -8, 4, 0])
    }

    func testFrequencyAndPresencePenaltiesFollowTheOpenAIDefinition() {
        var rng = SeededGenerator(seed: 5)
        let v = 12
        let row: [Float] = (0..<v).map { _ in rng.nextNormal() * 3 }
        let previous = (0..<40).map { _ in rng.nextInt(below: v + 2) }  // includes ids ≥ V, ignored
        let frequency: Float = 0.35, presence: Float = 0.8
        let out = FrequencyPresencePenalty(frequency: frequency, presence: presence).processed(row, previousTokens: previous)
        for j in 0..<v {
            let count = previous.filter { $0 == j }.count
            let expected = row[j] - Float(count) * frequency - (count > 0 ? presence : 0)
            // One subtraction of a product in Float, against two: a couple of Float steps.
            assertClose(out[j], expected, tolerance: 1e-5, "token \(j), seen \(count) times")
        }
    }

    func testDefaultSettingsGiveAnEmptyPipeline() {
        XCTAssertTrue(LogitsPipeline(settings: SamplingSettings()).processors.isEmpty)
        let all = LogitsPipeline(settings: SamplingSettings(temperature: 0.7, topK: 5, topP: 0.9, minP: 0.1,
                                                            repetitionPenalty: 1.2, frequencyPenalty: 0.1))
        let kinds = all.processors.map { String(describing: type(of: $0)) }
        XCTAssertEqual(kinds, ["RepetitionPenalty", "FrequencyPresencePenalty", "TemperatureScaling",
                               "TopKFilter", "TopPFilter", "MinPFilter"])
        // Greedy (temperature 0) keeps only the penalties, as transformers does without do_sample.
        let greedy = LogitsPipeline(settings: SamplingSettings(temperature: 0, topK: 5, topP: 0.9, repetitionPenalty: 1.2))
        XCTAssertEqual(greedy.processors.map { String(describing: type(of: $0)) }, ["RepetitionPenalty"])
    }

    func testOrderMattersTemperatureBeforeMinP() {
        // min-p after temperature 3 keeps more tokens than min-p on the raw logits would: the
        // pipeline must scale first (transformers' generate order).
        let row: [Float] = [3, 2, 1, 0, -1]
        let pipeline = LogitsPipeline(settings: SamplingSettings(temperature: 3, minP: 0.2))
        let keptAfter = pipeline.processed(row).filter { $0 > -.infinity }.count
        let keptRaw = MinPFilter(0.2).processed(row).filter { $0 > -.infinity }.count
        XCTAssertGreaterThan(keptAfter, keptRaw)
    }
}
