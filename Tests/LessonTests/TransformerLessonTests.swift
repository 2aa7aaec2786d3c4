// Lesson 04 in --quick mode prints what the golden file says (timings masked, no colors), and the
// lesson's own code holds up: its GPT-2 and Llama give transformers' logits on the committed tiny
// checkpoints, its parameter formulas count every tensor of those checkpoints, the layer-by-layer
// comparison names the layer of a planted mistake, and `--model` runs those checkpoints (with and
// without a usable tokenizer) and rejects bad folders with errors that name them.

import Foundation
import XCTest
import LabKernel
import LabNotebook
import LabTestSupport
@testable import transformer

final class TransformerLessonTests: XCTestCase {
    static let checkpoints = ["gpt2", "llama", "qwen2", "mistral", "llama-f16", "qwen2-bf16", "gpt2-sharded"]

    func testQuickRunMatchesGoldenOutput() throws {
        let output = CapturedOutput()
        let notebook = Notebook(options: NotebookOptions(quick: true), colors: false, maskTimings: true, output: output)
        TransformerLesson(notebook: notebook, downloaded: nil).run()
        XCTAssertGreaterThan(output.text.count, 1000, "the lesson printed almost nothing")
        XCTAssertTrue(output.text.contains("✓ "), "the lesson printed no checks")
        XCTAssertEqual(failedChecks(output.text), "", "a check in the lesson failed")
        assertExportsAreWellFormed(notebook)
        try assertMatchesGolden(output.text, named: "transformer-quick.txt")
    }

    // MARK: - The lesson's models against transformers

    func testLessonModelsGiveTransformersLogits() throws {
        for name in ["gpt2", "llama", "qwen2", "mistral"] {
            let loaded = try loadModel(folder: modelFolder(name))
            let reference = try Fixture.load("models/\(name)/reference.json")
            let lesson = LessonTransformer(config: loaded.model.config, weights: loaded.model.parameters)
            for (index, logitCase) in try reference.cases("logit_cases").enumerated() {
                let ids = try logitCase.ints("ids")
                let logits = try XCTUnwrap(lesson.forward(tokens: ids).last)
                XCTAssertEqual(logits.name, "logits")
                // Float32 on both sides in different summation orders, as the kernel's own fixture test.
                assertClose(logits.output, try logitCase.tensor("logits"), tolerance: 1e-4,
                            "the lesson's \(name) on logit case \(index) (\(ids.count) tokens) against transformers")
            }
        }
    }

    func testLessonModelMatchesKernelLayerByLayerOnEveryCheckpoint() throws {
        for name in Self.checkpoints {
            let model = try loadModel(folder: modelFolder(name)).model
            let tokens = Array(0..<min(9, model.config.contextLength)).map { ($0 * 31 + 5) % model.config.vocabularySize }
            let lesson = LessonTransformer(config: model.config, weights: model.parameters).forward(tokens: tokens)
            // The kernel's model is fixture-checked against transformers; float rounding in another order.
            assertLayersClose(actual: lesson, expected: model.hiddenStates(tokens: tokens), tolerance: 1e-4, name)
        }
    }

    func testKernelHiddenStatesEndInTheForwardPassLogits() throws {
        // The kernel's trace (TransformerModel+Trace.swift), which the lesson compares against.
        for name in ["gpt2", "llama"] {
            let model = try loadModel(folder: modelFolder(name)).model
            let tokens = [1, 2, 3, 4]
            let states = model.hiddenStates(tokens: tokens)
            XCTAssertEqual(states.map(\.name), ["embedding"] + (0..<model.config.layers).map { "block \($0)" } + ["final norm", "logits"])
            XCTAssertEqual(states.dropLast().map(\.output.shape), Array(repeating: [4, model.config.width], count: states.count - 1))
            // The same steps as forward(tokens:) (identical today; 1e-5 leaves room for a faster forward pass).
            assertClose(states.last!.output, model.forward(tokens: tokens), tolerance: 1e-5, "\(name): hiddenStates' logits")
        }
    }

    // MARK: - Counting

    func testParameterFormulasCountEveryTensorOfTheCheckpoints() throws {
        for name in Self.checkpoints {
            let model = try loadModel(folder: modelFolder(name)).model
            XCTAssertEqual(ParameterCount(config: model.config).total, countedParameters(model), name)
        }
        // Llama with biases everywhere, and untied GPT-2: random kernel models of those configs.
        var biased = TransformerConfig.llamaFamily(vocabularySize: 50, contextLength: 16, width: 16, layers: 2, heads: 4,
                                                   kvHeads: 1, feedForwardWidth: 24)
        (biased.attentionBias, biased.mlpBias) = (true, true)
        var untied = TransformerConfig(vocabularySize: 50, contextLength: 16, width: 16, layers: 3, heads: 2)
        untied.tiedEmbeddings = false
        for config in [biased, untied] {
            XCTAssertEqual(ParameterCount(config: config).total, countedParameters(TransformerModel.random(config: config)),
                           "\(config.architecture) with biases \(config.attentionBias)/\(config.mlpBias), tied \(config.tiedEmbeddings)")
        }
    }

    func testFLOPsPerTokenByHand() {
        // C = 4, F = 16, V = 10, 1 layer, 2 heads of 2: attention weights 4·C² = 64, MLP 2·C·F = 128,
        // head V·C = 40, so 2·232 = 464; attention at position 2: 2·1·2·(H·D = 4)·3 = 48.
        let config = TransformerConfig(vocabularySize: 10, contextLength: 8, width: 4, layers: 1, heads: 2)
        let flops = forwardFLOPsPerToken(config: config, position: 2)
        XCTAssertEqual(flops.matrices, 464)
        XCTAssertEqual(flops.attention, 48)
    }

    // MARK: - Finding the first diverging layer

    func testPlantedMistakesAreFoundInTheirLayer() throws {
        let gpt2 = try loadModel(folder: modelFolder("gpt2")).model
        let tokens = [3, 14, 15, 92, 65]
        var missingBias = LessonTransformer(config: gpt2.config, weights: gpt2.parameters)
        missingBias.weights["transformer.h.1.mlp.c_fc.bias"] = nil
        var layers = compareLayers(missingBias.forward(tokens: tokens), reference: gpt2.hiddenStates(tokens: tokens))
        XCTAssertEqual(firstDivergingLayer(layers)?.name, "block 1", "a missing bias in block 1's MLP")
        XCTAssertEqual(layers.prefix(2).map(\.agrees), [true, true], "the embedding and block 0 still agree")

        let llama = try loadModel(folder: modelFolder("llama")).model
        var wrongTheta = llama.config
        XCTAssertEqual(wrongTheta.ropeTheta, 500_000, "the fixture uses Llama 3's θ")
        wrongTheta.ropeTheta = 10_000  // Llama 2's: a default copied from the wrong model
        let wrong = LessonTransformer(config: wrongTheta, weights: llama.parameters)
        layers = compareLayers(wrong.forward(tokens: tokens), reference: llama.hiddenStates(tokens: tokens))
        XCTAssertEqual(firstDivergingLayer(layers)?.name, "block 0", "RoPE's θ is used from the first block on")

        let right = LessonTransformer(config: llama.config, weights: llama.parameters)
        XCTAssertNil(firstDivergingLayer(compareLayers(right.forward(tokens: tokens), reference: llama.hiddenStates(tokens: tokens))))
    }

    func testDifferencesAreJudgedRelativeToTheNumbersSize() {
        let reference = [(name: "a", output: Tensor([100, -300])), (name: "b", output: Tensor([0.5, 0.1]))]
        let actual = [(name: "a", output: Tensor([100.02, -300])), (name: "b", output: Tensor([0.5, 0.1002]))]
        let layers = compareLayers(actual, reference: reference, tolerance: 1e-4)
        // 0.02 ≤ 1e-4 · 300 passes; 2e-4 > 1e-4 · max(1, 0.5) fails.
        XCTAssertEqual(layers.map(\.agrees), [true, false])
        XCTAssertEqual(firstDivergingLayer(layers)?.name, "b")
    }

    // MARK: - --model

    func testModelOptionRunsTheCheckpointsWithAndWithoutATokenizer() throws {
        for name in ["gpt2", "llama"] {
            let text = try lessonOutput(model: DownloadedModel(folder: modelFolder(name).path))
            XCTAssertEqual(failedChecks(text), "", "\(name): a check in the lesson failed")
            XCTAssertTrue(text.contains("✓ the lesson's model and the kernel's agree at every layer on this checkpoint"), name)
            XCTAssertTrue(text.contains("greedy continuation"), name)
            XCTAssertTrue(text.contains(name == "gpt2" ? "\"The capital of France is\"" : "token ids"), name)
        }
    }

    func testUnreadableTokenizerFallsBackToIds() throws {
        // A tokenizer.json the kernel does not read (as SmolLM2's Digits pre-tokenizer was at first).
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: modelFolder("llama").appendingPathComponent(file),
                                             to: folder.appendingPathComponent(file))
        }
        try Data(#"{"model": {"type": "Unigram"}}"#.utf8).write(to: folder.appendingPathComponent("tokenizer.json"))
        let downloaded = try DownloadedModel(folder: folder.path)
        XCTAssertNil(downloaded.tokenizer)
        XCTAssertTrue(downloaded.tokenizerProblem?.contains("tokenizer.json") == true, "\(downloaded.tokenizerProblem ?? "nil")")
        let text = try lessonOutput(model: downloaded)
        XCTAssertEqual(failedChecks(text), "")
        XCTAssertTrue(text.contains("tokenizer could not be loaded"), "the lesson says why it works on ids")
    }

    func testBadModelFoldersAreNamed() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertThrowsError(try DownloadedModel(folder: folder.appendingPathComponent("nowhere").path)) { error in
            XCTAssertTrue("\(error)".contains("nowhere: no such folder"), "\(error)")
        }
        XCTAssertThrowsError(try DownloadedModel(folder: folder.path)) { error in
            XCTAssertTrue("\(error)".contains("no config.json"), "\(error)")
        }
        try FileManager.default.copyItem(at: modelFolder("llama").appendingPathComponent("config.json"),
                                         to: folder.appendingPathComponent("config.json"))
        XCTAssertThrowsError(try DownloadedModel(folder: folder.path)) { error in
            XCTAssertTrue("\(error)".contains("model.safetensors"), "the missing weights are named: \(error)")
        }
        // GPT-2's weights under a Llama config: the first tensor the config asks for is named.
        try FileManager.default.copyItem(at: modelFolder("gpt2").appendingPathComponent("model.safetensors"),
                                         to: folder.appendingPathComponent("model.safetensors"))
        XCTAssertThrowsError(try DownloadedModel(folder: folder.path)) { error in
            XCTAssertTrue("\(error)".contains("model.embed_tokens.weight"), "\(error)")
        }
    }

    // MARK: - Helpers

    private func modelFolder(_ name: String) -> URL {
        RepositoryPaths.fixtures.appendingPathComponent("models/\(name)", isDirectory: true)
    }

    private func lessonOutput(model: DownloadedModel) throws -> String {
        let output = CapturedOutput()
        let notebook = Notebook(options: NotebookOptions(quick: true), colors: false, maskTimings: true, output: output)
        TransformerLesson(notebook: notebook, downloaded: model).run()
        return output.text
    }

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lesson04-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Lines of failed checks (they start with ✗; the divergence tables have ✗ at their ends).
    private func failedChecks(_ text: String) -> String {
        text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("✗") }.joined(separator: "\n")
    }
}
