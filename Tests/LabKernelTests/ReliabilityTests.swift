// Bad input meets a named error, never a trap (issue 16): config.json's size relations and the
// memory it asks for, numbers that overflow Float, unsupported rope scalings, JSON's duplicate
// keys, long strings and long runs of escapes, files that are not regular files (a FIFO, a
// directory), weights holding NaN, a forward pass that overflows, and error text that quotes a
// hostile value; then the inputs of training: text files that are not regular files or not
// UTF-8, checkpoints with a broken state, moments or weights, an update that overflows Float;
// and the budgets a run adds (KV cache, workspace). Each case here was a crash, a hang or an
// out-of-memory kill before.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import XCTest
@testable import LabKernel
import LabTestSupport

final class ReliabilityTests: XCTestCase {
    private func configError(_ fields: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            let config = try TransformerConfig(json: Array("{\(fields)}".utf8), source: "config.json")
            XCTFail("expected an error, parsed \(config)", file: file, line: line)
            return ""
        } catch {
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("config.json: "), "the error names the file: \(text)", file: file, line: line)
            XCTAssertLessThan(text.count, 400, "an error is a sentence or two: \(text)", file: file, line: line)
            return text
        }
    }

    private let llama = #""model_type": "llama", "vocab_size": 64, "hidden_size": 32, "num_attention_heads": 4, "num_hidden_layers": 2, "intermediate_size": 64"#
    private let gpt2 = #""model_type": "gpt2", "vocab_size": 64, "n_embd": 32, "n_head": 4, "n_layer": 2"#

    func testSizeRelationsAreErrorsNamingTheFields() {
        let gptHeads = configError(gpt2 + #", "head_dim": 9"#)
        XCTAssertTrue(gptHeads.contains("\"n_head\"") && gptHeads.contains("4 × 9 ≠ 32"), gptHeads)
        let odd = configError(llama.replacingOccurrences(of: "\"num_attention_heads\": 4", with: "\"num_attention_heads\": 32")
                              .replacingOccurrences(of: "\"hidden_size\": 32", with: "\"hidden_size\": 32, \"head_dim\": 3"))
        XCTAssertTrue(odd.contains("head size 3") && odd.contains("even for RoPE"), odd)
        let groups = configError(llama + #", "num_key_value_heads": 3"#)
        XCTAssertTrue(groups.contains("num_key_value_heads"), groups)
    }

    func testUnsupportedRopeScalingIsAnErrorNotATrap() {
        let text = configError(llama + #", "rope_scaling": {"rope_type": "dynamic", "factor": 2}"#)
        XCTAssertTrue(text.contains("\"dynamic\" is not supported") && text.contains("\"linear\" and \"llama3\""), text)
        let llama3 = configError(llama + #", "rope_scaling": {"rope_type": "llama3", "factor": 8, "low_freq_factor": 4, "high_freq_factor": 1}"#)
        XCTAssertTrue(llama3.contains("low_freq_factor below high_freq_factor"), llama3)
    }

    func testNumbersMustFitInFloat() {
        XCTAssertTrue(configError(llama + #", "rope_theta": 1e39"#).contains("rope_theta"))
        XCTAssertTrue(configError(llama + #", "rms_norm_eps": 1e-50"#).contains("rms_norm_eps"))
        XCTAssertTrue(configError(llama + #", "rope_scaling": {"rope_type": "linear", "factor": 1e300}"#).contains("factor"))
    }

    func testHugeSizesAreRefusedBeforeAnythingIsAllocated() throws {
        // Beyond any published model: refused when config.json is read.
        let positions = configError(llama + #", "max_position_embeddings": 1099511627776"#)
        XCTAssertTrue(positions.contains("\"max_position_embeddings\": 1099511627776 is more than"), positions)
        let layers = configError(llama.replacingOccurrences(of: "\"num_hidden_layers\": 2", with: "\"num_hidden_layers\": 4000000000000"))
        XCTAssertTrue(layers.contains("\"num_hidden_layers\""), layers)
        // Within the limits but beyond this machine: refused when a model is built, naming the field.
        let source = llama + #", "max_position_embeddings": 16000000, "head_dim": 65536"#
        let config = try TransformerConfig(json: Array("{\(source)}".utf8), source: "config.json")
        XCTAssertThrowsError(try TransformerModel(config: config) { _ in nil }) { error in
            // 16 million positions × 65,536 (a cos and a sin per pair) is terabytes of RoPE table.
            XCTAssertTrue("\(error)".contains("would need") && "\(error)".contains("field \"max_position_embeddings\""), "\(error)")
        }
        // The budget itself: a model fits when its float32 size is under 80% of what is available.
        let small = TransformerConfig(architecture: .gpt2, vocabularySize: 1000, contextLength: 64, width: 64, layers: 2, heads: 4)
        let bytes = small.memoryParts.reduce(0) { $0 + $1.bytes }
        XCTAssertNil(small.memoryProblem(available: bytes / 0.7))
        XCTAssertNotNil(small.memoryProblem(available: bytes / 0.9))
        // A 7B model's config still reads (lab inspect needs no memory for it).
        let sevenB = llama.replacingOccurrences(of: "\"num_hidden_layers\": 2", with: "\"num_hidden_layers\": 32")
            .replacingOccurrences(of: "\"hidden_size\": 32", with: "\"hidden_size\": 4096")
            .replacingOccurrences(of: "\"intermediate_size\": 64", with: "\"intermediate_size\": 14336")
            .replacingOccurrences(of: "\"vocab_size\": 64", with: "\"vocab_size\": 32000")
        XCTAssertNoThrow(try TransformerConfig(json: Array("{\(sevenB)}".utf8)))
    }

    func testJSONRefusesDuplicateKeysAndOverlongStrings() {
        XCTAssertThrowsError(try JSONValue.parse(#"{"a": 1, "b": {"c": 2, "c": 3}}"#)) { error in
            XCTAssertTrue("\(error)".contains("\"c\" appears twice"), "\(error)")
        }
        let long = "\"" + String(repeating: "a", count: (16 << 20) + 10) + "\""
        XCTAssertThrowsError(try JSONValue.parse(long)) { XCTAssertTrue("\($0)".contains("longer than 16 MB"), "\($0)") }
    }

    func testManyEscapesDecodeExactly() throws {
        // 100,000 escapes (é, a surrogate pair, a quote) in one string: the escaped path, whole.
        let body = String(repeating: #"\u00e9\ud83d\ude00\"x"#, count: 100_000)
        let value = try JSONValue.parse("[\"start " + body + "\"]")
        XCTAssertEqual(value.array?.first?.string, "start " + String(repeating: "é😀\"x", count: 100_000))
    }

    func testFilesThatAreNotRegularFilesAreNamedErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reliability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A directory where config.json should be.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("config.json"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try TransformerConfig(contentsOf: folder.appendingPathComponent("config.json"))) { error in
            XCTAssertTrue("\(error)".contains("is a directory, not a regular file"), "\(error)")
        }
        // A FIFO where the weights should be: opening it must not block.
        let fifo = folder.appendingPathComponent("model.safetensors")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertThrowsError(try SafetensorsFile(contentsOf: fifo)) { error in
            XCTAssertTrue("\(error)".contains("FIFO"), "\(error)")
        }
    }

    func testNonFiniteWeightsAreFoundAtLoading() throws {
        let config = TransformerConfig(architecture: .gpt2, vocabularySize: 16, contextLength: 8, width: 8, layers: 1, heads: 2)
        var tensors = TransformerModel.random(config: config, seed: 1).parameters
        var damaged = tensors["transformer.h.0.mlp.c_fc.weight"]!.scalars
        damaged[5] = .nan
        damaged[7] = .infinity
        tensors["transformer.h.0.mlp.c_fc.weight"] = Tensor(shape: tensors["transformer.h.0.mlp.c_fc.weight"]!.shape, scalars: damaged)
        XCTAssertThrowsError(try TransformerModel(config: config, tensors: tensors)) { error in
            guard case ModelLoadingError.notFinite(let name, let index, _, let count) = error else { return XCTFail("\(error)") }
            XCTAssertEqual([name, String(index), String(count)], ["transformer.h.0.mlp.c_fc.weight", "5", "2"])
        }
    }

    func testOverflowingForwardPassStopsGenerationWithTheLayer() throws {
        let config = TransformerConfig(architecture: .gpt2, vocabularySize: 16, contextLength: 8, width: 8, layers: 1, heads: 2)
        var tensors = TransformerModel.random(config: config, seed: 2).parameters
        // A final norm gain of 1e30 is finite, but the logits (gain² · …) overflow Float.
        tensors["transformer.ln_f.weight"] = Tensor(shape: [8], scalars: [Float](repeating: 1e30, count: 8))
        tensors["transformer.wte.weight"] = tensors["transformer.wte.weight"]! * 1e20
        let model = try TransformerModel(config: config, tensors: tensors)
        XCTAssertThrowsError(try TextGenerator(model: model).generate(promptIDs: [1, 2], sampling: SamplingSettings(temperature: 0),
                                                                     stop: StopConditions(maxTokens: 3))) { error in
            guard case GenerationError.nonFiniteLogits(let position, let layer) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(layer, "logits")
            XCTAssertEqual(position, 0, "the first position's logits are already infinite")
        }
    }

    func testFormatBytesReadsSizesFarBeyondInt() {
        XCTAssertEqual([812, 133_000, 5_000_000, 1_250_000_000].map { formatBytes($0) },
                       ["812 bytes", "133.0 kB", "5.0 MB", "1.25 GB"])
        XCTAssertEqual(formatBytes(16e12), "16.00 TB")
        XCTAssertEqual(formatBytes(3e30), "3e+12 EB", "a hostile config's size still prints")
    }

    func testPrintableEscapesControlCharactersAndCutsLongText() {
        XCTAssertEqual(printable("a\u{1B}[31mred"), "a\\u{1b}[31mred")
        let long = String(repeating: "x", count: 10_000)
        XCTAssertEqual(printable(long), String(repeating: "x", count: 60) + "… (10000 characters)")
        XCTAssertEqual(printable("é ok"), "é ok")
    }

    // MARK: - Files, tokenizer files and safetensors shapes

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reliability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    func testTextFilesAreRegularFilesOfUTF8() throws {
        let folder = try temporaryFolder()
        let fifo = folder.appendingPathComponent("corpus.txt")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertThrowsError(try readUTF8File(fifo, maximumBytes: 1 << 20)) { XCTAssertTrue("\($0)".contains("is a FIFO"), "\($0)") }
        let tokenizer = try BPETokenizer.train(text: "a small text to train on", vocabularySize: 260)
        XCTAssertThrowsError(try tokenizer.encode(contentsOf: fifo) { _ in }) { XCTAssertTrue("\($0)".contains("FIFO"), "\($0)") }
        XCTAssertThrowsError(try readUTF8File(folder, maximumBytes: 1 << 20)) { XCTAssertTrue("\($0)".contains("is a directory"), "\($0)") }
        XCTAssertThrowsError(try readUTF8File(URL(fileURLWithPath: "/dev/zero"), maximumBytes: 1 << 20)) {
            XCTAssertTrue("\($0)".contains("is a device"), "\($0)")
        }
        let bad = folder.appendingPathComponent("bad.txt")
        try (Data("ok ".utf8) + Data([0xC3, 0x28])).write(to: bad)
        XCTAssertThrowsError(try readUTF8File(bad, maximumBytes: 1 << 20)) { error in
            XCTAssertTrue("\(error)".contains("not valid UTF-8") && "\(error)".contains("byte offset 3"), "\(error)")
        }
        XCTAssertThrowsError(try readUTF8File(bad, maximumBytes: 2)) { XCTAssertTrue("\($0)".contains("more than"), "\($0)") }
        try Data("fine é\n".utf8).write(to: bad)
        XCTAssertEqual(try readUTF8File(bad, maximumBytes: 1 << 20), "fine é\n")
    }

    func testTenMegabyteMergesLineIsNotEchoed() throws {
        let folder = try temporaryFolder()
        let entries = (0..<256).map { "\(jsonStringLiteral(ByteLevelEncoding.encode([UInt8($0)]))): \($0)" }
        let vocabulary = folder.appendingPathComponent("vocab.json"), merges = folder.appendingPathComponent("merges.txt")
        try Data("{\(entries.joined(separator: ", "))}".utf8).write(to: vocabulary)
        try Data(("#version: 0.2\n" + String(repeating: "a", count: 10_000_000) + " b\n").utf8).write(to: merges)
        XCTAssertThrowsError(try BPETokenizer.loadGPT2(vocabulary: vocabulary, merges: merges, specialTokens: [])) { error in
            XCTAssertTrue("\(error)".contains("merges.txt line 2"), "\(error)".prefix(300).description)
            XCTAssertLessThan("\(error)".count, 1000, "a 10 MB line is cut in the message")
        }
    }

    func testShapeEntryOfTwoToTheSixtySecondIsNamedAsTooLarge() throws {
        let folder = try temporaryFolder()
        var header = Array(#"{"a": {"dtype": "F32", "shape": [4611686018427387904], "data_offsets": [0, 4]}}"#.utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
        var length = UInt64(header.count).littleEndian
        let url = folder.appendingPathComponent("model.safetensors")
        try (Data(bytes: &length, count: 8) + Data(header) + Data(count: 4)).write(to: url)
        XCTAssertThrowsError(try SafetensorsFile(contentsOf: url)) { error in
            XCTAssertTrue("\(error)".contains("\"shape\"") && "\(error)".contains("too large"), "\(error)")
            XCTAssertFalse("\(error)".contains("not a non-negative integer"), "\(error)")
        }
    }

    func testHeaderStringsAndShardNamesAreQuotedOnOneShortLine() throws {
        let folder = try temporaryFolder()
        let dtype = String(repeating: "\\n", count: 100_000)  // JSON escapes: 100,000 line breaks once parsed
        var header = Array(#"{"a": {"dtype": "\#(dtype)", "shape": [1], "data_offsets": [0, 4]}}"#.utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
        var length = UInt64(header.count).littleEndian
        let url = folder.appendingPathComponent("model.safetensors")
        try (Data(bytes: &length, count: 8) + Data(header) + Data(count: 4)).write(to: url)
        XCTAssertThrowsError(try SafetensorsFile(contentsOf: url)) { error in
            XCTAssertTrue("\(error)".contains("unknown dtype") && "\(error)".contains("100000 characters"), "\(error)".prefix(200).description)
            XCTAssertFalse("\(error)".contains("\n"), "the message is one line")
        }
        // A shard name of line breaks in model.safetensors.index.json: the path is escaped too.
        let shard = String(repeating: "\n", count: 10_000)
        try Data(#"{"weight_map": {"a": "\#(shard.replacingOccurrences(of: "\n", with: "\\n"))"}}"#.utf8)
            .write(to: folder.appendingPathComponent("model.safetensors.index.json"))
        XCTAssertThrowsError(try SafetensorsCheckpoint(folder: folder)) { error in
            XCTAssertFalse("\(error)".contains("\n"), "\(error)".prefix(200).description)
            XCTAssertLessThan("\(error)".count, 1000)
        }
    }

    func testProcessorsKeepFiniteLogitsFinite() {
        // Finite logits near Float's limit (a bias of -3e38 in a damaged checkpoint) overflowed to
        // infinity under temperature 0.8, and sampling then trapped on a row of NaN probabilities.
        var logits: [Float] = [3e38, -3e38, 1, -.infinity]
        TemperatureScaling(0.8).process(&logits, previousTokens: [])
        XCTAssertEqual(logits, [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1.25, -.infinity])
        RepetitionPenalty(0.5).process(&logits, previousTokens: [0, 1])
        XCTAssertTrue(logits[0...2].allSatisfy(\.isFinite), "\(logits)")
        var generator = SeededGenerator(seed: 1)
        XCTAssertEqual(sampleToken(logits: logits, using: &generator), 0, "the huge logit takes all the probability")
    }

    func testNonFiniteScanFindsEveryPositionOfABlock() {
        // The scan reads 16 floats at a time plus a tail: a NaN or infinity anywhere is found.
        for count in [1, 15, 16, 17, 33, 100] {
            for position in [0, count / 2, count - 1] {
                for bad in [Float.nan, .infinity, -.infinity, Float(bitPattern: 0x7F80_0001)] {
                    var scalars = [Float](repeating: 3.4e38, count: count)
                    scalars[position] = bad
                    let found = firstNonFinite(Tensor(shape: [count], scalars: scalars))
                    XCTAssertEqual(found?.index, position, "count \(count), position \(position), \(bad)")
                    XCTAssertEqual(found?.count, 1)
                }
            }
            XCTAssertNil(firstNonFinite(Tensor(shape: [count], scalars: [Float](repeating: -3.4e38, count: count))))
        }
    }

    // MARK: - Budgets of a run

    func testKVCacheAndWorkspaceAreBudgetedByTheirOption() {
        let config = TransformerConfig.llamaFamily(.llama, vocabularySize: 96, contextLength: 1 << 24, width: 32, layers: 2,
                                                   heads: 4, kvHeads: 2, feedForwardWidth: 64, normEpsilon: 1e-5, tiedEmbeddings: true)
        // layers × 2 × KVH × D × positions × 4 bytes.
        XCTAssertEqual(config.kvCacheBytes(positions: 10), 2 * 2 * 2 * 8 * 10 * 4)
        let weights = config.memoryParts.reduce(0) { $0 + $1.bytes }
        let cache = config.kvCacheBytes(positions: 1 << 24)
        let problem = config.memoryProblem(available: weights * 2, plus: [("--max-tokens 16777215 (a KV cache)", cache)])
        XCTAssertTrue(problem?.contains("comes from --max-tokens 16777215") == true, problem ?? "nil")
        XCTAssertNil(config.memoryProblem(available: weights * 2, plus: [("--max-tokens 4", config.kvCacheBytes(positions: 8))]))
        // The (B, H, T, T) attention probabilities make a long context's workspace grow as T².
        XCTAssertGreaterThan(config.trainingWorkspaceBytes(batch: 1, context: 4096), 4 * 4 * 4096 * 4096 * 2)
    }

    // MARK: - Checkpoints

    /// A tiny run saved to a checkpoint folder (GPT-2, C 8, three steps), and its folder.
    private func savedRun() throws -> (TrainingRun, BPETokenizer, URL) {
        let text = String(repeating: "the cat sat on the mat. a dog ran. ", count: 40)
        let tokenizer = try BPETokenizer.train(text: text, vocabularySize: 270)
        let config = TransformerConfig(architecture: .gpt2, vocabularySize: 270, contextLength: 8, width: 8, layers: 1, heads: 2)
        let (train, validation) = TokenWindows.split(tokenizer.encode(text), validationFraction: 0.2)
        var settings = TrainingSettings(steps: 3, batch: 2, context: 4)
        settings.evaluationBatches = 1
        let run = TrainingRun(model: TransformerModel.random(config: config, seed: 3), settings: settings, train: train, validation: validation)
        try run.runStep()
        let folder = try temporaryFolder().appendingPathComponent("ck")
        try TrainingCheckpoint.save(run, tokenizer: tokenizer, data: ["corpus": "stories"], to: folder)
        return (run, tokenizer, folder)
    }

    private func assertCheckpointError(_ folder: URL, _ phrases: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try TrainingCheckpoint.load(folder), file: file, line: line) { error in
            XCTAssertTrue(error is CheckpointError, "\(type(of: error)): \(error)", file: file, line: line)
            for phrase in phrases {
                XCTAssertTrue("\(error)".contains(phrase), "\"\(error)\" should contain \(phrase.debugDescription)", file: file, line: line)
            }
            XCTAssertLessThan("\(error)".count, 600, file: file, line: line)
        }
    }

    func testMalformedCheckpointStatesAreNamedErrors() throws {
        let (_, _, folder) = try savedRun()
        XCTAssertEqual(try TrainingCheckpoint.load(folder).step, 1, "the unmodified checkpoint loads")
        let stateURL = folder.appendingPathComponent(TrainingCheckpoint.stateFile)
        let original = try String(contentsOf: stateURL, encoding: .utf8)
        func edited(_ from: String, _ to: String, _ phrases: [String], line: UInt = #line) throws {
            XCTAssertTrue(original.contains(from), "the state no longer holds \(from)", line: line)
            try Data(original.replacingOccurrences(of: from, with: to).utf8).write(to: stateURL)
            assertCheckpointError(folder, phrases, line: line)
        }
        try edited("\"step\": 1,", "\"step\": 4,", ["field \"step\"", "beyond the run's 3 steps"])
        try edited("\"optimizer_step\": 1,", "\"optimizer_step\": 2,", ["field \"optimizer_step\"", "must equal step 1"])
        try edited("\"steps\": 3,", "\"steps\": \"3\",", ["field \"settings.steps\"", "whole number"])
        try edited("\"learning_rate_bits\": \(Float(1e-3).bitPattern)", "\"learning_rate_bits\": \(Float.nan.bitPattern)",
                   ["learning_rate_bits", "finite"])
        try edited("\"seed\": \"1\"", "\"seed\": \"18446744073709551616\"", ["settings.seed"])
        try edited("\"context\": 4,", "\"context\": 9,", ["context 9 is longer than the model's 8 positions", "n_positions"])
        try edited("\"version\": 1,", "\"version\": 2,", ["field \"version\""])
        try edited("\"corpus\": \"stories\"", "\"corpus\": 5", ["data.corpus", "must be a string"])
        try edited("\"step\": 1,", "\"step\": 1, \"step\": 0,", ["\"step\" appears twice"])
        try FileManager.default.removeItem(at: stateURL)
        XCTAssertEqual(mkfifo(stateURL.path, 0o600), 0)
        assertCheckpointError(folder, ["FIFO"])
    }

    func testMalformedMomentsAndWeightsAreNamedErrors() throws {
        let (run, _, folder) = try savedRun()
        let momentsURL = folder.appendingPathComponent(TrainingCheckpoint.momentsFile)
        let layout = try SafetensorsFile(contentsOf: momentsURL).metadata
        let count = run.trainer.parameters.count
        func writeMoments(_ tensors: [String: Tensor]) throws { try writeSafetensors(tensors, metadata: layout, to: momentsURL) }
        let zeros = Tensor(shape: [count], scalars: [Float](repeating: 0, count: count))
        var poisoned = [Float](repeating: 0, count: count)
        poisoned[7] = .nan
        try writeMoments(["first_moment": Tensor(shape: [count], scalars: poisoned), "second_moment": zeros])
        assertCheckpointError(folder, ["first_moment", "nan", "index 7", "finite"])
        poisoned[7] = -1
        try writeMoments(["first_moment": zeros, "second_moment": Tensor(shape: [count], scalars: poisoned)])
        assertCheckpointError(folder, ["second_moment", "≥ 0"])
        try writeMoments(["first_moment": zeros, "second_moment": zeros, "third_moment": zeros])
        assertCheckpointError(folder, ["expected exactly the tensors", "third_moment"])
        try writeMoments(["first_moment": zeros, "second_moment": Tensor(shape: [count - 1], scalars: [Float](repeating: 0, count: count - 1))])
        assertCheckpointError(folder, ["second_moment", "shape [\(count)]"])
        try writeMoments(["first_moment": zeros, "second_moment": zeros])
        XCTAssertNoThrow(try TrainingCheckpoint.load(folder), "zero moments are a valid state")
        // A truncated moments file, then weights with a tensor the model does not have.
        let bytes = try Data(contentsOf: momentsURL)
        try bytes.prefix(bytes.count - 8).write(to: momentsURL)
        assertCheckpointError(folder, [TrainingCheckpoint.momentsFile])
        try writeMoments(["first_moment": zeros, "second_moment": zeros])
        var tensors = run.trainer.model.checkpointTensors
        tensors["transformer.h.5.attn.bias"] = Tensor(shape: [2], scalars: [0, 1])
        try writeSafetensors(tensors, to: folder.appendingPathComponent("model.safetensors"))
        assertCheckpointError(folder, ["transformer.h.5.attn.bias", "does not have"])
    }

    func testSavingRefusesParametersAnUpdateMadeInfinite() throws {
        let (run, tokenizer, folder) = try savedRun()
        let before = try Data(contentsOf: folder.appendingPathComponent("model.safetensors"))
        run.trainer.parameters.values[run.trainer.parameters.count - 1] = .infinity
        XCTAssertThrowsError(try TrainingCheckpoint.save(run, tokenizer: tokenizer, data: [:], to: folder)) { error in
            XCTAssertTrue("\(error)".contains("is not finite") && "\(error)".contains("learning rate"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("model.safetensors")), before,
                       "the good checkpoint is kept")
    }
}
