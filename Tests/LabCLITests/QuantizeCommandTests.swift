// `lab quantize` and `--quantize q8`, run as a user runs them on the tiny fixture checkpoints: the
// folder it writes loads again (quantized, the same logits as quantizing on loading), generate,
// logits and bench model take the option, and a damaged or foreign quantized folder ends with a
// message naming the file and a non-zero exit status, never a crash.

import Foundation
import XCTest
import LabKernel
import LabTestSupport

final class QuantizeCommandTests: XCTestCase {
    static func fixture(_ name: String) -> String {
        RepositoryPaths.fixtures.appendingPathComponent("models/\(name)").path
    }

    /// `lab quantize` of fixture `name` into a new temporary folder: (the run's folder, the output).
    func quantizedFolder(_ name: String) throws -> (URL, URL) {
        let folder = try makeTemporaryFolder(self)
        let run = try LabTool.run(["quantize", Self.fixture(name), "--output", "q8", "--json"], in: folder)
        assertStatus(run, 0)
        let report = try JSONValue.parse(run.standardOutput)
        XCTAssertEqual(report["quantize"]?.string, "q8")
        let before = try XCTUnwrap(report["float32_bytes"]?.int), after = try XCTUnwrap(report["quantized_bytes"]?.int)
        XCTAssertLessThan(Double(after), 0.36 * Double(before), run.transcript)
        return (folder, folder.appendingPathComponent("q8"))
    }

    func logitsJSON(_ arguments: [String], in folder: URL) throws -> [Float] {
        let run = try LabTool.run(["logits"] + arguments + ["--ids", "1,2,3,4", "--json"], in: folder)
        assertStatus(run, 0)
        let rows = try XCTUnwrap(try JSONValue.parse(run.standardOutput)["logits"]?.array)
        return rows.flatMap { $0.array ?? [] }.compactMap { value -> Float? in
            if case .number(let x) = value { return Float(x) } else { return nil }
        }
    }

    func testQuantizedFolderGivesTheLogitsOfQuantizingOnLoading() throws {
        for name in ["gpt2", "llama"] {
            let (folder, output) = try quantizedFolder(name)
            let fromFolder = try logitsJSON([output.path], in: folder)
            let onLoading = try logitsJSON([Self.fixture(name), "--quantize", "q8"], in: folder)
            let float = try logitsJSON([Self.fixture(name)], in: folder)
            let vocabulary = try TransformerConfig(contentsOf: URL(fileURLWithPath: Self.fixture(name)).appendingPathComponent("config.json")).vocabularySize
            XCTAssertEqual(fromFolder.count, 4 * vocabulary, name)  // 4 positions × V
            XCTAssertEqual(fromFolder, onLoading, "\(name): the folder holds exactly what quantizing on loading makes")
            XCTAssertNotEqual(fromFolder, float, "\(name): the logits are the int8 model's")
            // The fixtures' measured relative RMS difference is 2–4.5% (QuantizationTests); 8% here.
            let squared = zip(fromFolder, float).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
            XCTAssertLessThan((squared / float.map { $0 * $0 }.reduce(0, +)).squareRoot(), 0.08, name)
        }
    }

    func testGenerateRunsQuantizedFromTheFolderAndWithTheOption() throws {
        let (folder, output) = try quantizedFolder("llama")
        let fromFolder = try LabTool.run(["generate", "--model", output.path, "--prompt-ids", "1,2,3", "--max-tokens", "5",
                                          "--temperature", "0", "--quiet"], in: folder)
        assertStatus(fromFolder, 0)
        let withOption = try LabTool.run(["generate", "--model", Self.fixture("llama"), "--quantize", "q8", "--prompt-ids", "1,2,3",
                                          "--max-tokens", "5", "--temperature", "0", "--quiet"], in: folder)
        assertStatus(withOption, 0)
        XCTAssertEqual(fromFolder.standardOutput, withOption.standardOutput)
        XCTAssertEqual(fromFolder.output.split(separator: ",").count, 5, fromFolder.transcript)
    }

    func testBenchModelQuantizedLinesCarryQuantizeAndFewerWeightBytes() throws {
        let folder = try makeTemporaryFolder(self)
        var bytes: [String: Int] = [:]
        for mode in ["f32", "q8"] {
            let run = try LabTool.run(["bench", "model", "--quick", "--json", "--threads", "1"] + (mode == "q8" ? ["--quantize", "q8"] : []),
                                      in: folder, deadline: 120)
            assertStatus(run, 0)
            let lines = run.output.split(separator: "\n")
            XCTAssertEqual(lines.count, 2, run.transcript)
            for line in lines {
                let object = try JSONValue.parse(String(line))
                XCTAssertEqual(object["quantize"]?.string, mode, String(line))
                bytes[mode] = object["weight_bytes"]?.int
            }
        }
        let (f32, q8) = (try XCTUnwrap(bytes["f32"]), try XCTUnwrap(bytes["q8"]))
        XCTAssertLessThan(Double(q8), 0.3 * Double(f32), "int8 blocks: about 1.13 bytes per weight instead of 4")
    }

    func testInspectDescribesAQuantizedFolder() throws {
        let (folder, output) = try quantizedFolder("llama")
        let run = try LabTool.run(["inspect", output.path, "--json"], in: folder)
        assertStatus(run, 0)
        let report = try JSONValue.parse(run.standardOutput)
        XCTAssertEqual(report["quantize"]?.string, "q8")
        XCTAssertEqual(report["architecture"]?.string, "llama")
        XCTAssertEqual(report["quantized_matrices"]?.int, 2 * 7 + 2)  // 7 per layer, the embedding and the untied head
        try FileManager.default.removeItem(at: output.appendingPathComponent("model.q8.safetensors"))
        assertFailure(try LabTool.run(["inspect", output.path], in: folder), status: 1, mentioning: ["model.q8.safetensors"])
    }

    func testQuantizeRefusesAnExistingOutputAndAnUnknownFormat() throws {
        let (folder, output) = try quantizedFolder("qwen2")
        assertFailure(try LabTool.run(["quantize", Self.fixture("qwen2"), "--output", output.path], in: folder),
                      status: 1, mentioning: ["already exists"])
        assertFailure(try LabTool.run(["quantize", output.path, "--output", "again"], in: folder),
                      status: 1, mentioning: ["already quantized"])
        assertFailure(try LabTool.run(["logits", Self.fixture("qwen2"), "--ids", "1", "--quantize", "q4"], in: folder),
                      status: 2, mentioning: ["--quantize", "q4"])
        assertFailure(try LabTool.run(["quantize", Self.fixture("qwen2")], in: folder), status: 2, mentioning: ["--output"])
        assertFailure(try LabTool.run(["eval", "--model", output.path, "--corpus", "stories"], in: folder),
                      status: 1, mentioning: ["quantized folder", "float"])
    }

    func testFolderOfAnotherLayoutIsRefusedNamingTheFile() throws {
        let (folder, output) = try quantizedFolder("mistral")
        let descriptor = output.appendingPathComponent("quantization.json")
        let text = try String(contentsOf: descriptor, encoding: .utf8)
        try text.replacingOccurrences(of: "rows_out_in_blocks_along_in", with: "columns").write(to: descriptor, atomically: true, encoding: .utf8)
        assertFailure(try LabTool.run(["logits", output.path, "--ids", "1,2"], in: folder),
                      status: 1, mentioning: ["quantization.json", "\"layout\"", "another layout"])
        try text.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 7").write(to: descriptor, atomically: true, encoding: .utf8)
        assertFailure(try LabTool.run(["generate", "--model", output.path, "--prompt-ids", "1"], in: folder),
                      status: 1, mentioning: ["quantization.json", "\"version\""])
    }

    func testCorruptedScaleBlockIsRefusedNamingTheFileAndTensor() throws {
        let (folder, output) = try quantizedFolder("gpt2")
        let weights = output.appendingPathComponent("model.q8.safetensors")
        let name = "transformer.h.0.mlp.c_fc.weight.q8_scales"
        let info = try XCTUnwrap(try SafetensorsFile(contentsOf: weights).tensorInfos[name])
        var data = try Data(contentsOf: weights)
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let start = 8 + headerLength + info.byteRange.lowerBound + 6  // the fourth scale: row 3, block 0
        data.replaceSubrange(start..<(start + 2), with: [0x00, 0x7E])  // float16 NaN
        try data.write(to: weights)
        assertFailure(try LabTool.run(["logits", output.path, "--ids", "1,2"], in: folder),
                      status: 1, mentioning: ["model.q8.safetensors", name, "row 3, block 0", "damaged"])
    }
}
