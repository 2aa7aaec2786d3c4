// `lab inspect`, `lab logits` and `lab bench model`, run as a user runs them, on the tiny
// checkpoints under Tests/Fixtures/models/ (written by Hugging Face transformers, with reference
// logits from PyTorch). Expected counts are computed here from the safetensors files themselves
// (read with the kernel's SafetensorsFile), expected logits come from reference.json, and every
// kind of bad input must end with a clear message and a non-zero exit status, never a crash.

import Foundation
import XCTest
import LabKernel
import LabTestSupport
@testable import lab

final class ModelCommandTests: XCTestCase {
    static let models = RepositoryPaths.fixtures.appendingPathComponent("models", isDirectory: true)

    static func folder(_ name: String) -> String { models.appendingPathComponent(name).path }

    /// Every tensor of `model`'s single safetensors file: name → shape.
    private func storedShapes(_ model: String) throws -> [String: [Int]] {
        let file = try SafetensorsFile(contentsOf: Self.models.appendingPathComponent("\(model)/model.safetensors"))
        return file.tensorInfos.mapValues(\.shape)
    }

    private func inspectJSON(_ model: String, file: StaticString = #filePath, line: UInt = #line) throws -> JSONValue {
        let run = try LabTool.run(["inspect", Self.folder(model), "--json"], in: try makeTemporaryFolder(self))
        assertStatus(run, 0, file: file, line: line)
        return try JSONValue.parse(run.standardOutput)
    }

    // MARK: - inspect

    func testInspectGPT2CountsEveryStoredParameterAndListsTheTokenizer() throws {
        let stored = try storedShapes("gpt2")
        let report = try inspectJSON("gpt2")
        let config = try XCTUnwrap(report["config"])
        XCTAssertEqual(config["architecture"]?.string, "gpt2")
        XCTAssertEqual(config["width"]?.int, 32)
        XCTAssertEqual(config["layers"]?.int, 2)
        XCTAssertEqual(config["heads"]?.int, 4)
        XCTAssertEqual(config["vocab_size"]?.int, 300)
        XCTAssertEqual(config["tied_embeddings"]?.bool, true)
        XCTAssertEqual(config["biases"]?.array?.compactMap(\.string), ["attention", "MLP", "norms"])

        // The tied LM head is the embedding, stored once: the count is exactly the file's elements.
        let total = stored.values.reduce(0) { $0 + $1.reduce(1, *) }
        let parameters = try XCTUnwrap(report["parameters"]?.object)
        XCTAssertEqual(parameters["total"]?.int, total)
        let groupSum = ["embeddings", "attention", "mlp", "norms"].compactMap { parameters[$0]?.int }.reduce(0, +)
        XCTAssertEqual(groupSum, total, "the groups do not add up to the total: \(parameters)")
        let embeddings = stored.filter { $0.key.contains("wte") || $0.key.contains("wpe") }.values.reduce(0) { $0 + $1.reduce(1, *) }
        XCTAssertEqual(parameters["embeddings"]?.int, embeddings)

        let tensors = try XCTUnwrap(report["tensors"]?.array)
        XCTAssertEqual(Set(tensors.compactMap { $0["name"]?.string }), Set(stored.keys))
        for tensor in tensors {
            let name = tensor["name"]?.string ?? ""
            XCTAssertEqual(tensor["shape"]?.array?.compactMap(\.int), stored[name], name)
            XCTAssertEqual(tensor["dtype"]?.string, "F32", name)
        }
        let tokenizer = try XCTUnwrap(report["tokenizer"])
        XCTAssertEqual(tokenizer["vocab_size"]?.int, 300)
        XCTAssertEqual(tokenizer["special_tokens"]?["<|endoftext|>"]?.int, 299)

        let text = try LabTool.run(["inspect", Self.folder("gpt2")], in: try makeTemporaryFolder(self))
        assertStatus(text, 0)
        XCTAssertTrue(text.output.contains("transformer.h.{0..1}.attn.c_attn.weight"), "not condensed by layer\n\(text.transcript)")
        XCTAssertFalse(text.output.contains("transformer.h.0.attn.c_attn.weight"), text.transcript)
        XCTAssertTrue(text.output.contains("<|endoftext|> = 299"), text.transcript)
    }

    func testInspectLlamaShowsGroupedQueryAttentionAndNoTokenizer() throws {
        let stored = try storedShapes("llama")
        let report = try inspectJSON("llama")
        let config = try XCTUnwrap(report["config"])
        XCTAssertEqual(config["architecture"]?.string, "llama")
        XCTAssertEqual(config["kv_heads"]?.int, 2)
        XCTAssertEqual(config["head_size"]?.int, 8)
        XCTAssertEqual(config["feed_forward_width"]?.int, 64)
        XCTAssertEqual(config["tied_embeddings"]?.bool, false)
        XCTAssertEqual(config["biases"]?.array?.count, 0)
        if case .number(let theta) = config["rope_theta"] { XCTAssertEqual(theta, 500_000) } else { XCTFail("no rope_theta") }
        XCTAssertEqual(report["tokenizer"], JSONValue.null)

        let total = stored.values.reduce(0) { $0 + $1.reduce(1, *) }
        XCTAssertEqual(report["parameters"]?["total"]?.int, total)
        let attention = stored.filter { $0.key.contains("self_attn") }.values.reduce(0) { $0 + $1.reduce(1, *) }
        XCTAssertEqual(report["parameters"]?["attention"]?.int, attention)

        let folder = try makeTemporaryFolder(self)
        let condensed = try LabTool.run(["inspect", Self.folder("llama")], in: folder)
        assertStatus(condensed, 0)
        XCTAssertTrue(condensed.output.contains("model.layers.{0..1}.self_attn.k_proj.weight"), condensed.transcript)
        XCTAssertTrue(condensed.output.contains("Tokenizer: none"), condensed.transcript)
        let all = try LabTool.run(["inspect", Self.folder("llama"), "--all"], in: folder)
        assertStatus(all, 0)
        for name in stored.keys { XCTAssertTrue(all.output.contains(name + " "), "--all does not list \(name)") }
    }

    func testInspectShardedCheckpointCountsTheSameParametersAsTheSingleFile() throws {
        let single = try inspectJSON("gpt2"), sharded = try inspectJSON("gpt2-sharded")
        XCTAssertEqual(sharded["parameters"], single["parameters"])
        XCTAssertEqual(sharded["weights"]?["files"]?.array?.count, 4)
        XCTAssertEqual(sharded["tensors"]?.array?.count, single["tensors"]?.array?.count)
    }

    func testCondensingGroupsOnlyTensorsOfTheSameShapeAndDtype() {
        let tensors = [0, 1, 3].map { ModelReport.StoredTensor(name: "model.layers.\($0).mlp.up_proj.weight", shape: [8, 4], dtype: "F32") }
            + [ModelReport.StoredTensor(name: "model.layers.2.mlp.up_proj.weight", shape: [16, 4], dtype: "F32"),
               ModelReport.StoredTensor(name: "model.layers.4.mlp.up_proj.weight", shape: [8, 4], dtype: "BF16"),
               ModelReport.StoredTensor(name: "model.norm.weight", shape: [4], dtype: "F32")]
        let lines = ModelReport.condensed(tensors)
        XCTAssertEqual(lines.map(\.name), ["model.layers.{0,1,3}.mlp.up_proj.weight", "model.layers.2.mlp.up_proj.weight",
                                           "model.layers.4.mlp.up_proj.weight", "model.norm.weight"])
        XCTAssertEqual(lines.map(\.count), [3, 1, 1, 1])
        let contiguous = ModelReport.condensed((0..<12).map {
            ModelReport.StoredTensor(name: "h.\($0).attn.weight", shape: [2], dtype: "F16")
        })
        XCTAssertEqual(contiguous.map(\.name), ["h.{0..11}.attn.weight"])
    }

    // MARK: - logits

    func testLogitsJSONMatchesTransformersReference() throws {
        let folder = try makeTemporaryFolder(self)
        for model in ["gpt2", "llama"] {
            let reference = try Fixture.load("models/\(model)/reference.json").cases("logit_cases")[1]
            let ids = try reference.ints("ids")
            let expected = try reference.tensor("logits")  // (T, V)
            let run = try LabTool.run(["logits", Self.folder(model), "--ids", ids.map(String.init).joined(separator: ","), "--json"],
                                      in: folder)
            assertStatus(run, 0)
            let rows = try XCTUnwrap(try JSONValue.parse(run.standardOutput)["logits"]?.array, run.transcript)
            XCTAssertEqual(rows.count, ids.count)
            var worst: Float = 0
            for (t, row) in rows.enumerated() {
                let values = try XCTUnwrap(row.array)
                XCTAssertEqual(values.count, expected.shape[1], "position \(t) should have one logit per vocabulary entry")
                for (v, value) in values.enumerated() {
                    guard case .number(let x) = value else { return XCTFail("\(model): logit [\(t), \(v)] is \(value)") }
                    worst = max(worst, abs(Float(x) - expected[t, v]))
                }
            }
            // The same 1e-4 as the kernel's fixture tests: float32 sums in another order than PyTorch's.
            XCTAssertLessThan(worst, 1e-4, "\(model): largest difference from transformers' logits")
        }
    }

    func testLogitsShowsTheMostLikelyTokenFirst() throws {
        let reference = try Fixture.load("models/gpt2/reference.json").cases("logit_cases")[1]
        let ids = try reference.ints("ids")
        let expected = try reference.tensor("logits")
        let run = try LabTool.run(["logits", Self.folder("gpt2"), "--ids", ids.map(String.init).joined(separator: ",")],
                                  in: try makeTemporaryFolder(self))
        assertStatus(run, 0)
        let lines = run.output.split(separator: "\n").map(String.init)
        for t in 0..<ids.count {
            let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("position \(t), token \(ids[t])") }, run.transcript)
            let candidates = lines[(header + 1)...].prefix(5).map { $0.split(separator: " ").compactMap { Int($0) }.first }
            XCTAssertEqual(candidates.count, 5)
            XCTAssertEqual(candidates.first, expected.row(t).argmax(alongAxis: 0)[0], "position \(t)\n\(run.transcript)")
        }
    }

    // MARK: - Bad input

    func testBadInputsFailWithAClearMessage() throws {
        let folder = try makeTemporaryFolder(self)
        let gpt2 = Self.folder("gpt2")
        assertFailure(try LabTool.run(["inspect", "no-such-model"], in: folder), status: 1, mentioning: ["no-such-model"])
        assertFailure(try LabTool.run(["logits", "no-such-model", "--ids", "1"], in: folder), status: 1, mentioning: ["no-such-model"])
        assertFailure(try LabTool.run(["logits", gpt2, "--ids", "1,300"], in: folder), status: 2,
                      mentioning: ["300", "out of range", "300 tokens"])
        assertFailure(try LabTool.run(["logits", gpt2, "--ids", "1,two,3"], in: folder), status: 2, mentioning: ["--ids", "two"])
        assertFailure(try LabTool.run(["logits", gpt2, "--ids", "-4"], in: folder), status: 2, mentioning: ["--ids"])
        assertFailure(try LabTool.run(["logits", gpt2], in: folder), status: 2, mentioning: ["--ids"])
        assertFailure(try LabTool.run(["logits", gpt2, "--ids", Array(repeating: "1", count: 33).joined(separator: ",")], in: folder),
                      status: 2, mentioning: ["context length", "32"])

        // A folder without config.json.
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        assertFailure(try LabTool.run(["inspect", empty.path], in: folder), status: 1, mentioning: ["config.json"])

        // A model type the kit does not implement.
        let bert = folder.appendingPathComponent("bert")
        try FileManager.default.createDirectory(at: bert, withIntermediateDirectories: true)
        try Data(#"{"model_type": "bert", "hidden_size": 32}"#.utf8).write(to: bert.appendingPathComponent("config.json"))
        assertFailure(try LabTool.run(["inspect", bert.path], in: folder), status: 1, mentioning: ["config.json", "model_type", "bert"])

        // A config asking for a third layer the weights do not have.
        let deeper = folder.appendingPathComponent("deeper")
        try FileManager.default.createDirectory(at: deeper, withIntermediateDirectories: true)
        let config = try String(contentsOfFile: gpt2 + "/config.json", encoding: .utf8)
            .replacingOccurrences(of: "\"n_layer\": 2", with: "\"n_layer\": 3")
        XCTAssertTrue(config.contains("\"n_layer\": 3"), "the fixture's config.json changed its layout")
        try Data(config.utf8).write(to: deeper.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(atPath: gpt2 + "/model.safetensors", toPath: deeper.appendingPathComponent("model.safetensors").path)
        assertFailure(try LabTool.run(["inspect", deeper.path], in: folder), status: 1, mentioning: ["deeper", "transformer.h.2."])
    }

    func testHostileFilesAndValuesGetShortNamedErrors() throws {
        let folder = try makeTemporaryFolder(self)
        let gpt2 = Self.folder("gpt2")
        func copyOfGPT2(_ name: String) throws -> URL {
            let copy = folder.appendingPathComponent(name)
            try FileManager.default.copyItem(at: URL(fileURLWithPath: gpt2), to: copy)
            return copy
        }
        // A config whose sizes do not fit together: a named error, not a trap.
        let heads = try copyOfGPT2("heads")
        let config = try String(contentsOf: heads.appendingPathComponent("config.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"n_head\": 4", with: "\"n_head\": 5")
        try Data(config.utf8).write(to: heads.appendingPathComponent("config.json"))
        for command in ["inspect", "logits"] {
            let arguments = command == "inspect" ? [command, heads.path] : [command, heads.path, "--ids", "1"]
            assertFailure(try LabTool.run(arguments, in: folder), status: 1, mentioning: ["config.json", "n_embd", "5 heads"])
        }
        // A model_type of 100,000 characters holding a terminal escape: cut and escaped.
        let hostile = try copyOfGPT2("hostile")
        let type = #"\u001b[2J"# + String(repeating: "x", count: 100_000)   // JSON's escape for ESC
        try Data(#"{"model_type": "\#(type)"}"#.utf8).write(to: hostile.appendingPathComponent("config.json"))
        let run = try LabTool.run(["inspect", hostile.path], in: folder)
        assertFailure(run, status: 1, mentioning: ["model_type", "100004 characters"])
        XCTAssertLessThan(run.errors.utf8.count, 1000, run.transcript)
        XCTAssertFalse(run.errors.contains("\u{1B}"), "an escape character reached the terminal")
        // Weights holding NaN: refused at loading, naming the tensor.
        let damaged = try copyOfGPT2("damaged")
        let weights = try SafetensorsFile(contentsOf: damaged.appendingPathComponent("model.safetensors"))
        var tensors: [String: Tensor] = [:]
        for name in weights.names { tensors[name] = try weights.tensor(name) }
        var scalars = tensors["transformer.h.1.attn.c_proj.weight"]!.scalars
        scalars[3] = .nan
        tensors["transformer.h.1.attn.c_proj.weight"] = Tensor(shape: tensors["transformer.h.1.attn.c_proj.weight"]!.shape, scalars: scalars)
        try writeSafetensors(tensors, to: damaged.appendingPathComponent("model.safetensors"))
        assertFailure(try LabTool.run(["logits", damaged.path, "--ids", "1"], in: folder), status: 1,
                      mentioning: ["transformer.h.1.attn.c_proj.weight", "non-finite"])
        // A FIFO in place of the weights: an error at once, not a wait forever.
        let fifo = try copyOfGPT2("fifo")
        try FileManager.default.removeItem(at: fifo.appendingPathComponent("model.safetensors"))
        XCTAssertEqual(mkfifo(fifo.appendingPathComponent("model.safetensors").path, 0o600), 0)
        assertFailure(try LabTool.run(["inspect", fifo.path], in: folder), status: 1, mentioning: ["model.safetensors", "FIFO"])
        // A value that is finite as a Double but not as a Float.
        assertFailure(try LabTool.run(["generate", "--model", gpt2, "--prompt", "Hi", "--repetition-penalty", "1e300"], in: folder),
                      status: 2, mentioning: ["--repetition-penalty", "1e300"])
    }

    func testUnusableTokenizerFilesStillAllowTokenIDs() throws {
        // The llama fixture's weights with a tokenizer.json the kit cannot read: commands that take
        // token ids work and say why the tokenizer was left out; a text prompt still fails clearly.
        let folder = try makeTemporaryFolder(self)
        let model = folder.appendingPathComponent("llama-bad-tokenizer")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        for file in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(atPath: Self.folder("llama") + "/" + file, toPath: model.appendingPathComponent(file).path)
        }
        try Data(#"{"model": {"type": "Unigram"}}"#.utf8).write(to: model.appendingPathComponent("tokenizer.json"))

        let logits = try LabTool.run(["logits", model.path, "--ids", "1,2,3"], in: folder)
        assertStatus(logits, 0)
        XCTAssertTrue(logits.errors.contains("tokenizer.json"), "the note names the file\n\(logits.transcript)")
        let generated = try LabTool.run(["generate", "--model", model.path, "--prompt-ids", "84,8,26,41,47",
                                         "--max-tokens", "3", "--temperature", "0", "--json"], in: folder)
        assertStatus(generated, 0)
        XCTAssertTrue(generated.output.contains("\"generated_ids\""), generated.transcript)
        let inspected = try LabTool.run(["inspect", model.path], in: folder)
        assertStatus(inspected, 0)
        XCTAssertTrue(inspected.output.contains("not usable by the kit"), inspected.transcript)
        assertFailure(try LabTool.run(["generate", "--model", model.path, "--prompt", "Hello"], in: folder), status: 1,
                      mentioning: ["tokenizer.json"])
    }

    // MARK: - bench model

    func testBenchModelQuickJSONIsOneMeasurementPerLine() throws {
        let run = try LabTool.run(["bench", "model", "--quick", "--json", "--threads", "2"], in: try makeTemporaryFolder(self),
                                  deadline: 120)
        assertStatus(run, 0)
        let lines = run.output.split(separator: "\n")
        XCTAssertEqual(lines.count, 4, "prefill and decode on 1 and 2 threads\n\(run.transcript)")
        var seen: Set<String> = []
        for line in lines {
            let object = try JSONValue.parse(String(line))
            XCTAssertEqual(object.object?.keys.sorted(), ["bench", "quantize", "shape", "threads", "tokens", "tokens_per_second",
                                                          "variant", "weight_bytes"])
            XCTAssertEqual(object["quantize"]?.string, "f32")
            XCTAssertEqual(object["bench"]?.string, "model")
            XCTAssertEqual(object["shape"]?.string, "tiny")
            guard case .number(let speed) = object["tokens_per_second"] else { return XCTFail("no figure in \(line)") }
            XCTAssertGreaterThan(speed, 0, String(line))
            seen.insert("\(object["variant"]?.string ?? "?") \(object["threads"]?.int ?? 0)")
        }
        XCTAssertEqual(seen, ["prefill 1", "decode 1", "prefill 2", "decode 2"])
        assertFailure(try LabTool.run(["bench", "model", "--shapes", "stories7B"], in: try makeTemporaryFolder(self)),
                      status: 2, mentioning: ["stories7B", "stories15M"])
    }
}
