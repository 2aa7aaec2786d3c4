// Lesson 07 in --quick mode prints what the golden file says (timings masked, no colors, every
// check passing), and its pieces hold up beyond the cases it prints: the model card reader on a
// Hub-style card with a metadata header, the sentence scores against a sum of the model's
// log-probabilities done the long way, and `--model` folders the lesson must refuse with a clear
// error (missing, quantized, an architecture the kit does not know).

import Foundation
import XCTest
import LabKernel
import LabNotebook
import LabTestSupport
@testable import open_models

final class OpenModelsLessonTests: XCTestCase {
    func testQuickRunMatchesGoldenOutput() throws {
        guard KitModel.folder != nil else { throw XCTSkip("models/\(KitModel.name) is not in this copy of the kit") }
        let output = CapturedOutput()
        let notebook = Notebook(options: NotebookOptions(quick: true), colors: false, maskTimings: true, output: output)
        OpenModelsLesson(notebook: notebook, downloaded: nil).run()
        XCTAssertGreaterThan(output.text.count, 1000, "the lesson printed almost nothing")
        let failed = output.text.split(separator: "\n").filter { $0.contains("✗") }.joined(separator: "\n")
        XCTAssertTrue(failed.isEmpty, "a check in the lesson failed:\n\(failed)")
        assertExportsAreWellFormed(notebook)
        try assertMatchesGolden(output.text, named: "open-models-quick.txt")
    }

    func testEveryCellAlsoRunsOnADownloadedModel() throws {
        guard KitModel.folder != nil else { throw XCTSkip("models/\(KitModel.name) is not in this copy of the kit") }
        // The tiny GPT-2 fixture stands in for a download: a Hub folder with tokenizer.json, and a
        // context of only 32 tokens, which every cell must respect.
        let folder = RepositoryPaths.fixtures.appendingPathComponent("models/gpt2").path
        let output = CapturedOutput()
        let notebook = Notebook(options: NotebookOptions(quick: true), colors: false, maskTimings: true, output: output)
        OpenModelsLesson(notebook: notebook, downloaded: try OpenModelsLesson.Subject(folder: folder)).run()
        let cells = output.text.components(separatedBy: "\n[").dropFirst()
        XCTAssertEqual(cells.count, 8)
        for cell in cells.dropLast() {  // the last cell trains its own tiny models
            XCTAssertTrue(cell.contains(folder), "the cell \(cell.prefix(40)) does not mention the downloaded model")
        }
        XCTAssertTrue(output.text.contains("8 cells in"), "the lesson ran to its summary")
    }

    func testTheCardReaderFindsLicenseDataAndLimits() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("card-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            ---
            license: apache-2.0
            datasets:
            - HuggingFaceTB/smollm-corpus
            language:
            - en
            ---
            # SmolLM2

            A small model.

            ## Training data
            Trained on 2 trillion tokens.

            ## Limitations
            It makes things up.
            """.write(to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let card = try XCTUnwrap(ModelCard(folder: folder))
        XCTAssertEqual(card.value("license"), "apache-2.0")
        XCTAssertEqual(card.value("datasets"), "HuggingFaceTB/smollm-corpus", "a list keeps its first item")
        XCTAssertEqual(card.value("language"), "en")
        XCTAssertEqual(card.sections.map(\.heading), ["", "SmolLM2", "Training data", "Limitations"])
        XCTAssertEqual(card.section(about: ["data"])?.lines, ["Trained on 2 trillion tokens."])
        XCTAssertEqual(card.section(about: ["limitation"])?.lines, ["It makes things up."])
        XCTAssertNil(ModelCard(folder: folder.appendingPathComponent("absent")), "no README.md, no card")
    }

    func testSentenceScoresAreSumsOfLogProbabilities() {
        let config = TransformerConfig(architecture: .gpt2, vocabularySize: 20, contextLength: 16, width: 16, layers: 1, heads: 2)
        let model = TransformerModel.initializedForTraining(config: config, seed: 77)
        let tokens = [4, 8, 15, 16]
        var expected = 0.0
        for t in tokens.indices {  // one forward pass per token, the long way
            let logits = model.forward(tokens: [0] + tokens[..<t]).row(t).scalars
            let m = Double(logits.max()!)
            expected += Double(logits[tokens[t]]) - m - log(logits.reduce(0.0) { $0 + exp(Double($1) - m) })
        }
        XCTAssertEqual(sentenceLogLikelihood(model, start: 0, tokens: tokens), expected, accuracy: 1e-4)
    }

    func testModelFoldersTheLessonRefuse() throws {
        XCTAssertThrowsError(try OpenModelsLesson.Subject(folder: "/nonexistent/model")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/model") && "\(error)".contains("no such folder"), "\(error)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try #"{"architectures": ["MambaForCausalLM"], "model_type": "mamba", "vocab_size": 10}"#
            .write(to: folder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try OpenModelsLesson.Subject(folder: folder.path)) { error in
            XCTAssertTrue("\(error)".contains("config.json"), "the error names the file: \(error)")
        }
        try "{}".write(to: folder.appendingPathComponent("quantization.json"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try OpenModelsLesson.Subject(folder: folder.path)) { error in
            XCTAssertTrue("\(error)".contains("int8") && "\(error)".contains("float32 folder"), "\(error)")
        }
    }
}
