// Bad input to the `lab` commands ends with a short named error and a non-zero status, never a
// trap, a hang or a raw escape sequence (issue 16): the reproductions that need a whole command
// (an option value, a folder that inspect passed but logits refused, a tensor name holding an
// escape code, a corpus that is a FIFO, a damaged checkpoint) and the budgets that `lab generate`
// and `lab logits` check before allocating. The kernel's side of each is in ReliabilityTests.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import XCTest
import LabKernel
import LabTestSupport
@testable import lab

final class ReliabilityCommandTests: XCTestCase {
    private func copyOfFixture(_ name: String, to folder: URL, as copy: String) throws -> URL {
        let destination = folder.appendingPathComponent(copy)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: ModelCommandTests.folder(name)), to: destination)
        return destination
    }

    /// Rewrites `folder`'s model.safetensors after `edit` has changed its tensors.
    private func editWeights(_ folder: URL, _ edit: (inout [String: Tensor]) -> Void) throws {
        let url = folder.appendingPathComponent("model.safetensors")
        let file = try SafetensorsFile(contentsOf: url)
        var tensors: [String: Tensor] = [:]
        for name in file.names { tensors[name] = try file.tensor(name) }
        edit(&tensors)
        try writeSafetensors(tensors, to: url)
    }

    func testInfiniteRepetitionPenaltyIsAUsageError() throws {
        let folder = try makeTemporaryFolder(self)
        assertFailure(try LabTool.run(["generate", "--model", ModelCommandTests.folder("gpt2"), "--prompt", "Hi",
                                       "--repetition-penalty", "inf"], in: folder),
                      status: 2, mentioning: ["--repetition-penalty", "'inf'"])
        // Above 0 as a Double, 0 as the Float the sampler uses: it trapped in SamplingSettings.
        for option in ["--repetition-penalty", "--top-p"] {
            assertFailure(try LabTool.run(["generate", "--model", ModelCommandTests.folder("gpt2"), "--prompt", "Hi", option, "1e-300"],
                                          in: folder), status: 2, mentioning: [option, "'1e-300'"])
        }
    }

    func testInspectSaysWhenAFolderWouldNotLoad() throws {
        let folder = try makeTemporaryFolder(self)
        let damaged = try copyOfFixture("gpt2", to: folder, as: "damaged")
        try editWeights(damaged) { tensors in
            var scalars = tensors["transformer.h.0.mlp.c_proj.weight"]!.scalars
            scalars[11] = .infinity
            tensors["transformer.h.0.mlp.c_proj.weight"] = Tensor(shape: tensors["transformer.h.0.mlp.c_proj.weight"]!.shape, scalars: scalars)
        }
        let run = try LabTool.run(["inspect", damaged.path], in: folder)
        assertStatus(run, 1)
        XCTAssertTrue(run.output.contains("Parameters:"), "the report is still printed\n\(run.transcript)")
        for phrase in ["would not load", "transformer.h.0.mlp.c_proj.weight", "non-finite"] {
            XCTAssertTrue(run.errors.contains(phrase), "\(phrase)\n\(run.transcript)")
        }
        assertFailure(try LabTool.run(["logits", damaged.path, "--ids", "1"], in: folder), status: 1,
                      mentioning: ["transformer.h.0.mlp.c_proj.weight"])
    }

    func testTensorNamesWithEscapeCodesDoNotReachTheTerminal() throws {
        let folder = try makeTemporaryFolder(self)
        let model = try copyOfFixture("gpt2", to: folder, as: "escapes")
        try editWeights(model) { $0["\u{1B}[2J\u{1B}]0;pwned\u{07}.weight"] = Tensor(shape: [2], scalars: [0, 1]) }
        for arguments in [["inspect", model.path], ["inspect", model.path, "--all"], ["inspect", model.path, "--json"]] {
            let run = try LabTool.run(arguments, in: folder)
            assertStatus(run, 0)
            XCTAssertTrue(run.output.contains("pwned"), "the unused tensor is listed\n\(run.transcript)")
            XCTAssertFalse(run.output.contains("\u{1B}") || run.output.contains("\u{07}"), "a raw control character\n\(run.transcript)")
        }
    }

    func testLogitsOfAnOverflowingModelAreAnErrorNotNaN() throws {
        let folder = try makeTemporaryFolder(self)
        let model = try copyOfFixture("gpt2", to: folder, as: "overflow")
        // Finite weights whose logits overflow Float: a final norm gain of 1e30.
        try editWeights(model) { tensors in
            tensors["transformer.ln_f.weight"] = Tensor(shape: [32], scalars: [Float](repeating: 1e30, count: 32))
            tensors["transformer.wte.weight"] = tensors["transformer.wte.weight"]! * 1e20
        }
        for json in [false, true] {
            assertFailure(try LabTool.run(["logits", model.path, "--ids", "1,2"] + (json ? ["--json"] : []), in: folder),
                          status: 1, mentioning: ["not finite"])
        }
    }

    func testCorporaAndInputsThatAreNotTextFilesAreNamedAtOnce() throws {
        let folder = try makeTemporaryFolder(self)
        XCTAssertEqual(mkfifo(folder.appendingPathComponent("fifo").path, 0o600), 0)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("dir"), withIntermediateDirectories: true)
        try (Data("text ".utf8) + Data([0xFF])).write(to: folder.appendingPathComponent("bad.txt"))
        for (corpus, phrase) in [("fifo", "FIFO"), ("dir", "directory"), ("/dev/zero", "device"), ("bad.txt", "byte offset 5")] {
            assertFailure(try LabTool.run(["train", "--corpus", corpus, "--steps", "2", "--output", "out"], in: folder, deadline: 20),
                          status: 1, mentioning: ["--corpus", phrase])
        }
        let tokenizer = ModelCommandTests.folder("gpt2")
        assertFailure(try LabTool.run(["tokenize", "--tokenizer", tokenizer, "fifo"], in: folder, deadline: 20), status: 1, mentioning: ["FIFO"])
        assertFailure(try LabTool.run(["tokenize", "--tokenizer", tokenizer, "--decode", "fifo"], in: folder, deadline: 20),
                      status: 1, mentioning: ["FIFO"])
        assertFailure(try LabTool.run(["train-tokenizer", "--input", "fifo", "--vocab-size", "300", "--output", "tk"], in: folder, deadline: 20),
                      status: 1, mentioning: ["FIFO"])
    }

    func testTrainOptionsBeyondTheKernelsLimitsAreUsageErrors() throws {
        let folder = try makeTemporaryFolder(self)
        for (option, value) in [("--width", "4611686018427387904"), ("--context", "4611686018427387904"), ("--accumulate", "4097"),
                                ("--eval-batches", "4611686018427387904"), ("--threads", "1025"), ("--bytes", "2G")] {
            assertFailure(try LabTool.run(["train", "--corpus", "stories", "--steps", "2", option, value, "--output", "out"], in: folder),
                          status: 2, mentioning: [option])
        }
        // A batch far beyond memory is refused before anything is allocated, naming --batch.
        assertFailure(try LabTool.run(["train", "--corpus", "stories", "--bytes", "20k", "--vocab-size", "300", "--steps", "2",
                                       "--batch", "4611686018427387904", "--output", "out"], in: folder),
                      status: 2, mentioning: ["--batch 4611686018427387904"])
    }

    func testDamagedCheckpointsStopResumeAndEvalWithTheField() throws {
        let folder = try makeTemporaryFolder(self)
        assertStatus(try LabTool.run(["train", "--corpus", "stories", "--bytes", "20k", "--vocab-size", "300", "--layers", "1",
                                      "--width", "16", "--heads", "2", "--context", "16", "--batch", "2", "--steps", "3",
                                      "--eval-batches", "2", "--output", "ck", "--json"], in: folder), 0)
        let state = folder.appendingPathComponent("ck/training_state.json")
        let original = try String(contentsOf: state, encoding: .utf8)
        // A finished run cannot be resumed without more steps; a longer one can.
        assertFailure(try LabTool.run(["train", "--resume", "ck"], in: folder), status: 2, mentioning: ["all its 3 steps", "--steps"])
        for (from, to, phrase) in [("\"bytes\": \"20000\"", "\"bytes\": \"4611686018427387904\"", "data.bytes"),
                                   ("\"optimizer_step\": 3", "\"optimizer_step\": 2", "optimizer_step"),
                                   ("\"batch\": 2,", "\"batch\": 1099511627776,", "batch")] {
            XCTAssertTrue(original.contains(from), "the state no longer holds \(from)")
            try Data(original.replacingOccurrences(of: from, with: to).utf8).write(to: state)
            assertFailure(try LabTool.run(["train", "--resume", "ck", "--steps", "5"], in: folder), status: 1, mentioning: [phrase])
            if phrase != "batch" {  // eval evaluates one window at a time: the batch does not matter to it
                assertFailure(try LabTool.run(["eval", "--model", "ck", "--max-tokens", "100"], in: folder), status: 1, mentioning: [phrase])
            }
        }
        try Data(original.utf8).write(to: state)
        assertStatus(try LabTool.run(["train", "--resume", "ck", "--steps", "4", "--json"], in: folder), 0)
    }

    func testEvalOfAVocabularyBeyondTheNGramBaselineIsAnError() throws {
        // It was a trap in NGramLanguageModel: a GPT-2-sized vocabulary (here 40,000) does not fit its keys.
        let folder = try makeTemporaryFolder(self)
        let model = try copyOfFixture("gpt2", to: folder, as: "wide")
        let configURL = model.appendingPathComponent("config.json")
        let config = try String(contentsOf: configURL, encoding: .utf8).replacingOccurrences(of: "\"vocab_size\": 300", with: "\"vocab_size\": 40000")
        XCTAssertTrue(config.contains("40000"), "the fixture's config.json changed its layout")
        try Data(config.utf8).write(to: configURL)
        try editWeights(model) { tensors in
            let wte = tensors["transformer.wte.weight"]!
            tensors["transformer.wte.weight"] = Tensor(shape: [40000, wte.shape[1]],
                                                       scalars: wte.scalars + [Float](repeating: 0, count: (40000 - wte.shape[0]) * wte.shape[1]))
        }
        assertFailure(try LabTool.run(["eval", "--model", model.path, "--corpus", "stories", "--bytes", "20k"], in: folder),
                      status: 1, mentioning: ["n-gram baseline", "40000"])
    }

    func testGenerationAndLogitsBudgetTheirKVCacheBeforeAllocating() throws {
        let config = TransformerConfig.llamaFamily(.llama, vocabularySize: 96, contextLength: 1 << 24, width: 32, layers: 2, heads: 4,
                                                   kvHeads: 2, feedForwardWidth: 64, normEpsilon: 1e-5, tiedEmbeddings: true)
        let weights = config.memoryParts.reduce(0) { $0 + $1.bytes }
        let available = weights * 1.5
        XCTAssertNoThrow(try MemoryBudget.checkGeneration(config, promptTokens: 3, maxTokens: 128, available: available))
        XCTAssertThrowsError(try MemoryBudget.checkGeneration(config, promptTokens: 3, maxTokens: 5_000_000, available: available)) {
            XCTAssertTrue("\($0)".contains("comes from --max-tokens 5000000"), "\($0)")
        }
        XCTAssertThrowsError(try MemoryBudget.checkGeneration(config, promptTokens: 3, maxTokens: .max, available: available)) {
            XCTAssertTrue("\($0)".contains("field \"max_position_embeddings\""), "\($0)")
        }
        XCTAssertThrowsError(try MemoryBudget.checkForward(config, tokens: 4_000_000, option: "--ids", available: available)) {
            XCTAssertTrue("\($0)".contains("comes from --ids"), "\($0)")
        }
    }
}
