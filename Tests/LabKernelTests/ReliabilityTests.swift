// Bad input meets a named error, never a trap (issue 16): config.json's size relations and the
// memory it asks for, numbers that overflow Float, unsupported rope scalings, JSON's duplicate
// keys, long strings and long runs of escapes, files that are not regular files (a FIFO, a
// directory), weights holding NaN, a forward pass that overflows, and error text that quotes a
// hostile value. Each case here was a crash, a hang or an out-of-memory kill before.

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
}
