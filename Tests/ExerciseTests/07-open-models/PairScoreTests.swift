// Tests for exercise 07.4 (open-models.pair-score): `sentenceLogLikelihood(logits:tokens:)` and
// `pairScore(logitsA:tokensA:logitsB:tokensB:)` in exercises/07-open-models/PairScore.swift.
//
// The doc comment's example, logits in the hundreds (a plain exp overflows), and sentences scored
// by a small model against the kernel's logSoftmax.

import Foundation
import XCTest
import LabKernel
import LabTestSupport
import ExercisePairScore

final class PairScoreTests: XCTestCase {
    func testTheDocCommentExample() {
        guard let ll = exercise({ sentenceLogLikelihood(logits: [[0, 0], [Float(log(3.0)), 0]], tokens: [1, 0]) }) else { return }
        XCTAssertEqual(ll, log(0.5) + log(0.75), accuracy: 1e-6, "log(½) + log(¾)")
    }

    func testLargeLogitsStayFinite() {
        guard let ll = exercise({ sentenceLogLikelihood(logits: [[900, 1000, 950]], tokens: [2]) }) else { return }
        XCTAssertTrue(ll.isFinite, "exp(1000) overflows: subtract the row's maximum first (got \(ll))")
        XCTAssertEqual(ll, -50 - log(1 + exp(-50) + exp(-100)), accuracy: 1e-9, "950 − logsumexp(900, 1000, 950)")
    }

    func testMatchesTheKernelOnAModelsSentences() {
        let config = TransformerConfig(architecture: .gpt2, vocabularySize: 30, contextLength: 16, width: 16, layers: 2, heads: 2)
        let model = TransformerModel.initializedForTraining(config: config, seed: 705)
        let start = 0, a = [5, 9, 12, 3], b = [5, 7, 12, 3]   // differ in one token
        func rows(_ tokens: [Int]) -> (logits: [[Float]], expected: Double) {
            let logits = model.forward(tokens: [start] + tokens.dropLast())  // row t predicts tokens[t]
            let logProbabilities = logSoftmax(logits)
            return ((0..<tokens.count).map { logits.row($0).scalars },
                    tokens.enumerated().reduce(0) { $0 + Double(logProbabilities[$1.offset, $1.element]) })
        }
        let (la, ea) = rows(a), (lb, eb) = rows(b)
        guard let ll = exercise({ sentenceLogLikelihood(logits: la, tokens: a) }) else { return }
        XCTAssertEqual(ll, ea, accuracy: 1e-4, "the log-likelihood of \(a) against the kernel's logSoftmax")
        guard let score = exercise({ pairScore(logitsA: la, tokensA: a, logitsB: lb, tokensB: b) }) else { return }
        XCTAssertEqual(score, ea - eb, accuracy: 2e-4, "ll(a) − ll(b)")
        guard let reversed = exercise({ pairScore(logitsA: lb, tokensA: b, logitsB: la, tokensB: a) }) else { return }
        XCTAssertEqual(reversed, -score, accuracy: 1e-9, "swapping the sentences flips the sign")
    }
}
