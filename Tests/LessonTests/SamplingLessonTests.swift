// Lesson 05 in --quick mode prints what the golden file says (timings masked, no colors), and the
// lesson's own code holds up outside the lesson's rows: its filters, penalty and draw against the
// kernel's (which are checked against transformers) on random rows with ties, the n-gram model's
// distributions, the loop detector, and the two generation loops against each other.

import XCTest
import LabKernel
import LabNotebook
import LabTestSupport
@testable import sampling

final class SamplingLessonTests: XCTestCase {
    func testQuickRunMatchesGoldenOutput() throws {
        let output = CapturedOutput()
        let notebook = Notebook(options: NotebookOptions(quick: true), colors: false, maskTimings: true, output: output)
        SamplingLesson(notebook: notebook).run()
        XCTAssertGreaterThan(output.text.count, 1000, "the lesson printed almost nothing")
        XCTAssertFalse(output.text.contains("✗"), "a check in the lesson failed:\n"
                       + output.text.split(separator: "\n").filter { $0.contains("✗") }.joined(separator: "\n"))
        assertExportsAreWellFormed(notebook)
        try assertMatchesGolden(output.text, named: "sampling-quick.txt")
    }

    func testLessonFiltersKeepTheKernelsTokensOnRowsWithTies() {
        var generator = SeededGenerator(seed: 8)
        for _ in 0..<20 {
            // Logits rounded to halves: many ties, also at the cut.
            var logits = Tensor.randomNormal([120], standardDeviation: 2, using: &generator).scalars.map { ($0 * 2).rounded() / 2 }
            logits[3] = -.infinity
            for k in [1, 3, 10, 119, 200] {
                XCTAssertEqual(lessonTopK(logits, k: k), TopKFilter(k).processed(logits), "top-k \(k)")
            }
            for m: Float in [0, 0.05, 0.3, 1] {
                XCTAssertEqual(lessonMinP(logits, minP: m), MinPFilter(m).processed(logits), "min-p \(m)")
            }
        }
        // Top-p without ties at the cut (transformers leaves those to an unstable sort).
        for _ in 0..<20 {
            let logits = Tensor.randomNormal([120], standardDeviation: 2, using: &generator).scalars
            for p: Float in [0, 0.3, 0.9, 0.999, 1] {
                XCTAssertEqual(lessonTopP(logits, p: p), TopPFilter(p).processed(logits), "top-p \(p)")
            }
        }
    }

    func testLessonPenaltyAndDrawMatchTheKernel() {
        var generator = SeededGenerator(seed: 9)
        let logits = Tensor.randomNormal([50], standardDeviation: 3, using: &generator).scalars
        let previous = (0..<20).map { _ in generator.nextInt(below: 60) }
        XCTAssertEqual(lessonRepetitionPenalty(logits, previousTokens: previous, penalty: 1.4),
                       RepetitionPenalty(1.4).processed(logits, previousTokens: previous))
        var lessonGenerator = SeededGenerator(seed: 4), kernelGenerator = SeededGenerator(seed: 4)
        let filtered = TopKFilter(20).processed(logits)
        for _ in 0..<200 {
            XCTAssertEqual(lessonDraw(filtered, using: &lessonGenerator), sampleToken(logits: filtered, using: &kernelGenerator))
        }
    }

    func testNGramModelGivesDistributions() {
        let ids = [1, 2, 3, 1, 2, 4, 1, 2, 3, 0]
        let model = NGramModel(ids: ids, vocabularySize: 6)
        for context in [[], [1], [1, 2], [5, 5], [1, 2, 3, 1, 2]] {
            let p = model.probabilities(after: context)
            XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-12, "the probabilities after \(context) sum to 1")
            XCTAssertTrue(p.allSatisfy { $0 > 0 }, "every token keeps some probability after \(context)")
        }
        // After "1 2" the data saw 3 twice and 4 once: 3 is the most likely, then 4.
        let p = model.probabilities(after: [1, 2])
        XCTAssertEqual(topIDs(p.map(Float.init), count: 2), [3, 4])
        XCTAssertLessThan(model.loss(on: ids), log(6.0), "the training text is more predictable than uniform")
    }

    func testRepeatingTailFindsTheShortestLoop() {
        XCTAssertEqual(repeatingTail([5, 1, 2, 3, 1, 2, 3, 1, 2, 3]).map { [$0.start, $0.period] }, [1, 3])
        XCTAssertEqual(repeatingTail([1, 2, 7, 7, 7]).map { [$0.start, $0.period] }, [2, 1])
        XCTAssertNil(repeatingTail([1, 2, 3, 4, 5]))
    }

    func testCachedAndUncachedLoopsChooseTheSameIDs() {
        let config = TransformerConfig.llamaFamily(vocabularySize: 64, contextLength: 64, width: 32, layers: 2,
                                                   heads: 4, kvHeads: 2, feedForwardWidth: 64)
        let model = TransformerModel.random(config: config, standardDeviation: 0.2, seed: 3)
        for settings in [SamplingSettings(temperature: 0), SamplingSettings(temperature: 0.9, topP: 0.9, seed: 2)] {
            XCTAssertEqual(generateWithCache(model, prompt: [1, 2, 3], count: 20, settings: settings),
                           generateWithoutCache(model, prompt: [1, 2, 3], count: 20, settings: settings))
        }
    }
}
