// Lesson 02 in --quick mode prints what the golden file says (timings masked, no colors), and the
// lesson's own code holds up outside the lesson's text: the bigram counts and their smoothing,
// the draw against the kernel's, the losses against the kernel's cross-entropy, the MLP's
// gradients against finite differences, and the loss history reader on a malformed file.

import XCTest
import Foundation
import LabKernel
import LabNotebook
import LabTestSupport
@testable import language_models

final class LanguageModelsLessonTests: XCTestCase {
    func testQuickRunMatchesGoldenOutput() throws {
        let output = CapturedOutput()
        let notebook = Notebook(options: NotebookOptions(quick: true), colors: false, maskTimings: true, output: output)
        LanguageModelsLesson(notebook: notebook).run()
        XCTAssertGreaterThan(output.text.count, 1000, "the lesson printed almost nothing")
        XCTAssertFalse(output.text.contains("✗"), "a check in the lesson failed:\n"
                       + output.text.split(separator: "\n").filter { $0.contains("✗") }.joined(separator: "\n"))
        assertExportsAreWellFormed(notebook)
        try assertMatchesGolden(output.text, named: "language-models-quick.txt")
    }

    func testBigramCountsAndSmoothing() {
        let ids = [0, 1, 2, 0, 1, 3, 0, 1]
        let counts = BigramCounts(ids: ids, vocabularySize: 5)
        XCTAssertEqual(counts.counts[0][1], 3, "0 → 1 occurs three times")
        XCTAssertEqual(counts.rowTotals[1], 2, "1 is followed twice (2, then 3; the last 1 has no follower)")
        XCTAssertEqual(counts.probability(of: 2, after: 1), 0.5)
        XCTAssertEqual(counts.probability(of: 4, after: 1), 0, "a pair never seen has probability 0 without smoothing")
        XCTAssertEqual(counts.probability(of: 4, after: 1, smoothing: 1), 1.0 / 7.0, accuracy: 1e-12, "(0 + 1) / (2 + 1·5)")
        XCTAssertEqual(counts.probabilities(after: 4), [Double](repeating: 0.2, count: 5), "a row never seen is uniform")
        for k in [0, 0.5] {
            for row in 0..<5 {
                XCTAssertEqual(counts.probabilities(after: row, smoothing: k).reduce(0, +), 1, accuracy: 1e-12, "row \(row), k = \(k)")
            }
        }
        let (loss, unseen) = bigramLoss(counts, on: [0, 1, 2], smoothing: 0)
        XCTAssertEqual(unseen, 0)
        XCTAssertEqual(loss, -(log(1.0) + log(0.5)) / 2, accuracy: 1e-12, "P(1 | 0) = 1 and P(2 | 1) = 0.5")
        XCTAssertEqual(bigramLoss(counts, on: [1, 4], smoothing: 0).loss, .infinity, "an unseen pair makes the loss infinite")
    }

    func testDrawMatchesTheKernelsSampleToken() {
        var generator = SeededGenerator(seed: 3)
        let p: [Double] = [0.1, 0, 0.25, 0.5, 0.15]
        for _ in 0..<500 {
            let u = generator.nextDouble()
            XCTAssertEqual(drawToken(p, uniform: u), sampleToken(probabilities: p.map(Float.init), uniform: u), "uniform \(u)")
        }
        XCTAssertEqual(drawToken([0.5, 0.5, 0], uniform: 1.0), 1, "rounding past the end returns the last token with p > 0")
    }

    func testTableLossIsTheKernelsCrossEntropy() {
        var generator = SeededGenerator(seed: 4)
        let table = Tensor.randomNormal([7, 7], standardDeviation: 2, using: &generator)
        let ids = (0..<9_000).map { _ in generator.nextInt(below: 7) }   // more than one chunk of 4,096
        let expected = crossEntropy(logits: embedding(table, ids: Array(ids.dropLast())), targets: Array(ids.dropFirst()))
        XCTAssertEqual(tableLoss(table, on: ids), Double(expected), accuracy: 1e-5)
    }

    func testContextMLPGradientsMatchFiniteDifferences() {
        let model = ContextMLP(vocabularySize: 9, embeddingWidth: 3, hiddenWidth: 4, seed: 2)
        let ids = [1, 5, 2, 8, 0, 3, 3, 7, 4, 6]
        let (contexts, targets) = ContextMLP.examples(ids, at: Array(3..<ids.count))
        XCTAssertEqual(contexts.map { $0[0] }, [1, 5, 2], "the first example's context is the three tokens before position 3")
        XCTAssertEqual(targets.first, 8)
        // Central differences in Float are good to about 1e-4 here (gradients are up to 0.1), so the
        // check is on the absolute error: a wrong rule is off by the size of the gradient itself.
        let report = gradientCheck(model.parameters, epsilon: 1e-2) { crossEntropy(logits: model.logits(contexts), targets: targets) }
        XCTAssertLessThan(report.maxAbsoluteError, 1e-3, "\(report)")
    }

    func testLossHistoryReadsLabTrainCSVAndRejectsOtherFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lm-lesson-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("loss.csv")
        try "step,train_loss,validation_loss\n1,5.5,\n2,4.5,4.75\n3,bad\n".write(to: good, atomically: true, encoding: .utf8)
        let history = try XCTUnwrap(lossHistory(good))
        XCTAssertEqual(history.train, [5.5, 4.5])
        XCTAssertEqual(history.validation, [4.75])
        let other = folder.appendingPathComponent("other.csv")
        try "step,loss\n1,2\n".write(to: other, atomically: true, encoding: .utf8)
        XCTAssertNil(lossHistory(other), "a file without train_loss and validation_loss columns")
        XCTAssertNil(lossHistory(folder.appendingPathComponent("missing.csv")))
    }
}
