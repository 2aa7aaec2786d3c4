// The n-gram baseline (Model/NGramLanguageModel.swift): a distribution that sums to 1 with no zero
// anywhere, counts that follow the text, and the Witten–Bell weights worked out by hand.

import XCTest
import LabKernel

final class NGramLanguageModelTests: XCTestCase {
    func testDistributionsSumToOneAndNeverVanish() {
        let ids = [0, 1, 2, 0, 1, 3, 0, 1, 2, 4]
        let model = NGramLanguageModel(ids: ids, vocabularySize: 6, order: 4)
        for context in [[], [0], [0, 1], [5, 5, 5], [2, 0, 1]] {
            let p = model.probabilities(after: context[...])
            XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-12, "context \(context)")
            XCTAssertTrue(p.allSatisfy { $0 > 0 }, "context \(context)")
        }
        // After (0, 1) the text continued with 2 twice and 3 once.
        let p = model.probabilities(after: [0, 1][...])
        XCTAssertGreaterThan(p[2], p[3])
        XCTAssertGreaterThan(p[3], p[5])
    }

    func testWittenBellWeightsByHand() {
        // Unigram counts of [0, 0, 1]: n = 3 tokens, d = 2 distinct, λ = 3/5.
        let model = NGramLanguageModel(ids: [0, 0, 1], vocabularySize: 4, order: 1)
        let lambda = 3.0 / 5
        XCTAssertEqual(model.probability(of: 0, after: [][...]), (1 - lambda) / 4 + lambda * 2 / 3, accuracy: 1e-15)
        XCTAssertEqual(model.probability(of: 3, after: [][...]), (1 - lambda) / 4, accuracy: 1e-15)
        XCTAssertEqual(model.crossEntropy(on: [0, 3], positions: [0, 1]),
                       -(log((1 - lambda) / 4 + lambda * 2 / 3) + log((1 - lambda) / 4)) / 2, accuracy: 1e-12)
    }
}
