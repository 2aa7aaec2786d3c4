// Tests of the safetensors reader, writer and checkpoint loader (Formats/Safetensors*.swift):
// files saved by Hugging Face `transformers` (Tests/Fixtures/models/, made by
// scripts/fixtures/make_model_fixtures.py) read with the right names, shapes and values; F16 and
// BF16 convert exactly as numpy does; write→read round trips; a file the kit wrote reads back in
// Python as the kit meant; every kind of bad file is an error naming the file and the tensor or
// field; and a seeded fuzz test feeds thousands of mutated files and never traps.
//
// The committed Tests/Fixtures/models/kit_written_{f32,f16,bf16}.safetensors are written by
//     LAB_WRITE_FIXTURES=1 swift test --filter FormatsSafetensorsTests/testKitWrittenFixture
// then scripts/fixtures/make_model_fixtures.py records what Python's safetensors reads from it.

import Foundation
import XCTest
@testable import LabKernel
import LabTestSupport

final class FormatsSafetensorsTests: XCTestCase {
    private func model(_ path: String) -> URL {
        RepositoryPaths.fixtures.appendingPathComponent("models/\(path)")
    }

    private func temporaryFile(_ name: String) -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name)
    }

    /// Asserts that `body` throws a `SafetensorsError` whose message contains every fragment.
    private func assertError(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line,
                             _ body: () throws -> Void) {
        do {
            try body()
            XCTFail("expected an error mentioning \(fragments)", file: file, line: line)
        } catch let error as SafetensorsError {
            for fragment in fragments where !error.description.contains(fragment) {
                XCTFail("error \"\(error.description)\" does not mention \"\(fragment)\"", file: file, line: line)
            }
        } catch {
            XCTFail("expected a SafetensorsError, got \(error)", file: file, line: line)
        }
    }

    // MARK: - Files written by transformers

    func testReadsTransformersGPT2Checkpoint() throws {
        let file = try SafetensorsFile(contentsOf: model("gpt2/model.safetensors"))
        XCTAssertEqual(file.metadata, ["format": "pt"])
        XCTAssertEqual(file.names.count, 2 + 2 * 12 + 2)  // wte, wpe; 12 per block; ln_f weight and bias
        XCTAssertTrue(file.contains("transformer.h.1.mlp.c_proj.bias"))
        XCTAssertFalse(file.contains("lm_head.weight"), "tied: transformers saves only the embedding")
        let wte = try file.info("transformer.wte.weight")
        XCTAssertEqual(wte.dtype, .f32)
        XCTAssertEqual(wte.shape, [300, 32])
        // GPT-2's Conv1D stores (in, out): c_attn maps C = 32 to 3C = 96.
        XCTAssertEqual(try file.info("transformer.h.0.attn.c_attn.weight").shape, [32, 96])
        let lnf = try file.tensor("transformer.ln_f.weight")
        XCTAssertEqual(lnf.shape, [32])
        // The script makes norm weights 1 + 0.3·N(0,1): not all ones.
        XCTAssertGreaterThan(lnf.scalars.map { abs($0 - 1) }.max()!, 0.1)
    }

    func testReferenceOutputsFitTheirCheckpoints() throws {
        // The layout the model tests rely on: logits (T, V) for each input, a greedy continuation
        // that extends its prompt, gradients of tensors the checkpoint has, with their shapes; and
        // no norm weight of all ones or bias of all zeros (so an ignored one changes the logits).
        for name in ["gpt2", "llama", "qwen2"] {
            let config = try TransformerConfig(contentsOf: model("\(name)/config.json"))
            let weights = try SafetensorsCheckpoint(folder: model(name))
            let reference = try Fixture.load("models/\(name)/reference.json")
            let cases = try reference.cases("logit_cases")
            XCTAssertEqual(try cases.map { try $0.ints("ids").count }, [1, 5, 17])
            for c in cases {
                XCTAssertEqual(try c.tensor("logits").shape, [try c.ints("ids").count, config.vocabularySize], c.location)
            }
            let greedy = try reference.object("greedy")
            let prompt = try greedy.ints("prompt"), output = try greedy.ints("output")
            XCTAssertEqual(Array(output.prefix(prompt.count)), prompt)
            XCTAssertEqual(output.count, prompt.count + (try greedy.int("new_tokens")))
            let gradients = try reference.object("gradients")
            XCTAssertEqual(gradients.keys.count, 4)
            for parameter in gradients.keys {
                XCTAssertEqual(try gradients.tensor(parameter).shape, try weights.info(parameter).shape, "\(name): \(parameter)")
            }
            XCTAssertGreaterThan(try reference.object("loss_batch").float("loss"), 0)
            for tensorName in weights.names where tensorName.contains("norm") || tensorName.contains("ln_") || tensorName.hasSuffix("bias") {
                let values = try weights.tensor(tensorName).scalars
                let trivial: Float = tensorName.hasSuffix("weight") ? 1 : 0
                XCTAssertGreaterThan(values.map { abs($0 - trivial) }.max()!, 0.05, "\(name): \(tensorName) is trivial")
            }
        }
    }

    func testGPT2WeightsReproduceTransformersLogitsForOneToken() throws {
        // With one token, attention attends only to itself (softmax over one score is 1), so a
        // block is x + proj(v) then x + mlp(x): a few kernel calls reproduce transformers' logits
        // from the weights as read. This checks the reader returns the very numbers (and the
        // layout: GPT-2's Conv1D stores W as (in, out)) that transformers computed with; the full
        // model is tested in the model's own tests.
        let weights = try SafetensorsCheckpoint(folder: model("gpt2"))
        let config = try TransformerConfig(contentsOf: model("gpt2/config.json"))
        let one = try Fixture.load("models/gpt2/reference.json").cases("logit_cases")[0]
        let id = try one.ints("ids")[0]
        let all = try Dictionary(uniqueKeysWithValues: weights.names.map { ($0, try weights.tensor($0)) })
        func w(_ name: String) -> Tensor { all[name]! }
        let c = config.width
        var x = w("transformer.wte.weight").row(id).reshaped([1, c]) + w("transformer.wpe.weight").row(0).reshaped([1, c])
        for layer in 0..<config.layers {
            let p = "transformer.h.\(layer)."
            let h = layerNorm(x, weight: w(p + "ln_1.weight"), bias: w(p + "ln_1.bias"), epsilon: config.normEpsilon)
            let qkv = matmul(h, w(p + "attn.c_attn.weight")) + w(p + "attn.c_attn.bias")  // (1, 3C)
            let v = Tensor(shape: [1, c], scalars: Array(qkv.scalars[(2 * c)..<(3 * c)]))       // (1, C)
            x = x + matmul(v, w(p + "attn.c_proj.weight")) + w(p + "attn.c_proj.bias")
            let m = layerNorm(x, weight: w(p + "ln_2.weight"), bias: w(p + "ln_2.bias"), epsilon: config.normEpsilon)
            let hidden = gelu(matmul(m, w(p + "mlp.c_fc.weight")) + w(p + "mlp.c_fc.bias"), approximation: .tanh)  // (1, F)
            x = x + matmul(hidden, w(p + "mlp.c_proj.weight")) + w(p + "mlp.c_proj.bias")
        }
        x = layerNorm(x, weight: w("transformer.ln_f.weight"), bias: w("transformer.ln_f.bias"), epsilon: config.normEpsilon)
        let logits = matmul(x, transposed: w("transformer.wte.weight"))  // (1, V): tied output
        // float32 on both sides, different summation orders: measured 1.4e-6 on logits of size ~1-10.
        // 2e-5 leaves room for another matmul blocking while a wrong weight would be off by > 0.01.
        assertClose(logits, try one.tensor("logits"), tolerance: 2e-5, "GPT-2 logits for token \(id)")
    }

    func testLlamaF16AndQwenBF16CopiesMatchTheFloat32Checkpoints() throws {
        // The half-precision copies are the float32 weights rounded by PyTorch (nearest, ties to
        // even): converting them back and rounding our float32 values must give the same bits.
        let pairs: [(String, String, SafetensorsDType)] = [("llama", "llama-f16", .f16), ("qwen2", "qwen2-bf16", .bf16)]
        for (full, half, dtype) in pairs {
            let a = try SafetensorsFile(contentsOf: model("\(full)/model.safetensors"))
            let b = try SafetensorsFile(contentsOf: model("\(half)/model.safetensors"))
            XCTAssertEqual(a.names, b.names)
            for name in a.names {
                XCTAssertEqual(try b.info(name).dtype, dtype, name)
                let x = try a.tensor(name), y = try b.tensor(name)
                XCTAssertEqual(x.shape, y.shape, name)
                let rounded = x.scalars.map {
                    dtype == .f16 ? floatFromHalfBits(halfBits(from: $0)) : floatFromBFloat16Bits(bfloat16Bits(from: $0))
                }
                XCTAssertEqual(rounded.map(\.bitPattern), y.scalars.map(\.bitPattern), "\(half): \(name)")
            }
        }
    }

    func testShardedCheckpointMatchesTheSingleFile() throws {
        let single = try SafetensorsCheckpoint(folder: model("gpt2"))
        let sharded = try SafetensorsCheckpoint(folder: model("gpt2-sharded"))
        XCTAssertEqual(single.files.count, 1)
        XCTAssertEqual(sharded.files.count, 4)
        XCTAssertEqual(single.names, sharded.names)
        for name in single.names {
            XCTAssertEqual(try single.tensor(name).scalars, try sharded.tensor(name).scalars, name)
        }
        assertError(["no tensor named \"lm_head.weight\"", "shards"]) { _ = try sharded.tensor("lm_head.weight") }
        assertError(["model.safetensors", "no tensor named \"nope\""]) { _ = try single.tensor("nope") }
    }

    // MARK: - Conversions

    func testHalfAndBFloat16ConversionsMatchNumpy() throws {
        let f = try Fixture.load("models/conversions.json")
        let halves = try f.ints("half_bits"), expected = try f.ints("half_as_float_bits")
        let bfloat = try f.ints("bfloat16_as_float_bits")
        XCTAssertGreaterThan(halves.count, 250)
        for (i, h) in halves.enumerated() {
            // Bit-exact, NaN payloads included: every 16-bit value is exactly a Float.
            XCTAssertEqual(floatFromHalfBits(UInt16(h)).bitPattern, UInt32(expected[i]), "half 0x\(String(h, radix: 16))")
            XCTAssertEqual(floatFromBFloat16Bits(UInt16(h)).bitPattern, UInt32(bfloat[i]), "bfloat16 0x\(String(h, radix: 16))")
        }
        let toRound = try f.ints("float_bits_to_round"), rounded = try f.ints("rounded_half_bits")
        for (i, bits) in toRound.enumerated() {
            let x = Float(bitPattern: UInt32(bits))
            XCTAssertEqual(halfBits(from: x), UInt16(rounded[i]), "float \(x) to half")
        }
    }

    func testRoundingEdgeCases() {
        // Ties to even in half precision: 1 + 2⁻¹¹ lies halfway between 1 and 1 + 2⁻¹⁰.
        XCTAssertEqual(halfBits(from: 1 + 0x1p-11), 0x3C00)
        XCTAssertEqual(halfBits(from: 1 + 3 * 0x1p-11), 0x3C02)
        XCTAssertEqual(halfBits(from: 65504), 0x7BFF)
        XCTAssertEqual(halfBits(from: 65520), 0x7C00, "halfway above the largest half rounds to infinity")
        XCTAssertEqual(halfBits(from: 0x1p-25), 0x0000, "half of the smallest subnormal ties to zero")
        XCTAssertEqual(halfBits(from: 0x1.8p-25), 0x0001)
        XCTAssertEqual(halfBits(from: -0.0), 0x8000)
        XCTAssertTrue(floatFromHalfBits(halfBits(from: .nan)).isNaN)
        XCTAssertEqual(bfloat16Bits(from: 1 + 0x1p-8), 0x3F80, "tie to even")
        XCTAssertEqual(bfloat16Bits(from: 1 + 3 * 0x1p-8), 0x3F82)
        XCTAssertEqual(bfloat16Bits(from: .greatestFiniteMagnitude), 0x7F80)
        XCTAssertTrue(floatFromBFloat16Bits(bfloat16Bits(from: .nan)).isNaN)
    }

    // MARK: - Writing

    func testRoundTripInEveryDType() throws {
        var g = SeededGenerator(seed: 11)
        let tensors: [String: Tensor] = [
            "b.weight": .randomNormal([3, 5], using: &g),
            "a.bias": .randomNormal([5], using: &g),
            "scalar": Tensor(scalar: 2.5),
            "empty": Tensor(shape: [0, 4], scalars: []),
            "ünïcode \"name\"": Tensor([1, -2, 3]),
        ]
        for dtype in [SafetensorsDType.f32, .f16, .bf16] {
            let url = temporaryFile("round-trip-\(dtype.rawValue).safetensors")
            try writeSafetensors(tensors, metadata: ["format": "pt", "note": "kit"], dtype: dtype, to: url)
            let file = try SafetensorsFile(contentsOf: url)
            XCTAssertEqual(file.names, tensors.keys.sorted())
            XCTAssertEqual(file.metadata, ["format": "pt", "note": "kit"])
            for (name, tensor) in tensors {
                let read = try file.tensor(name)
                XCTAssertEqual(try file.info(name).dtype, dtype)
                XCTAssertEqual(read.shape, tensor.shape, name)
                let expected = tensor.scalars.map { x -> Float in
                    switch dtype {
                    case .f16: return floatFromHalfBits(halfBits(from: x))
                    case .bf16: return floatFromBFloat16Bits(bfloat16Bits(from: x))
                    default: return x
                    }
                }
                XCTAssertEqual(read.scalars, expected, "\(dtype.rawValue) \(name)")
            }
            // The header is padded to a multiple of 8 bytes.
            let bytes = try Data(contentsOf: url)
            XCTAssertEqual(bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) } % 8, 0)
        }
    }

    func testWriterReplacesAnExistingFile() throws {
        let url = temporaryFile("replace.safetensors")
        try writeSafetensors(["x": Tensor([1, 2])], to: url)
        try writeSafetensors(["y": Tensor([3])], to: url)
        XCTAssertEqual(try SafetensorsFile(contentsOf: url).names, ["y"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
            .filter { $0.hasSuffix(".partial") }
        XCTAssertEqual(leftovers, [])
    }

    /// Tensors that exercise the writer: rounding ties, overflow to infinity in F16, a subnormal,
    /// a scalar, an empty tensor and a name that needs JSON escaping.
    private func kitWrittenTensors() -> [String: Tensor] {
        var g = SeededGenerator(seed: 5)
        return [
            "embedding.weight": .randomNormal([4, 3], using: &g),
            "norm.weight": Tensor([1 + 0x1p-11, 1 + 0x1p-8, 65520, -1e-7, 0x1p-140, 3.14159]),
            "scale": Tensor(scalar: -2.5),
            "empty": Tensor(shape: [2, 0], scalars: []),
            "ünïcode \"quoted\"\tname": Tensor([0.1, 0.2]),
        ]
    }

    func testKitWrittenFixture() throws {
        let check = ProcessInfo.processInfo.environment["LAB_WRITE_FIXTURES"] != "1"
        for dtype in [SafetensorsDType.f32, .f16, .bf16] {
            let name = "kit_written_\(dtype.rawValue.lowercased()).safetensors"
            let committed = model(name)
            let url = check ? temporaryFile(name) : committed
            try writeSafetensors(kitWrittenTensors(), metadata: ["format": "pt", "made_by": "OpenModelLab"], dtype: dtype, to: url)
            guard check else { continue }
            // The writer is deterministic: the same tensors give the committed bytes.
            XCTAssertEqual(try Data(contentsOf: url), try Data(contentsOf: committed), "\(name) changed; regenerate (see the header)")
            // What Python's safetensors read from the committed file is what the kit reads.
            let python = try Fixture.load("models/kit_written_check.json").object("files").object(name)
            XCTAssertEqual(try python.object("metadata").string("made_by"), "OpenModelLab")
            let file = try SafetensorsFile(contentsOf: committed)
            let torchNames = ["F32": "float32", "F16": "float16", "BF16": "bfloat16"]
            for tensorName in file.names {
                let entry = try python.object("tensors").object(tensorName)
                XCTAssertEqual(try entry.string("dtype"), torchNames[dtype.rawValue], tensorName)
                let expected = try entry.tensor("value")
                let read = try file.tensor(tensorName)
                XCTAssertEqual(read.shape, expected.shape, tensorName)
                XCTAssertEqual(read.scalars.map(\.bitPattern), expected.scalars.map(\.bitPattern), "\(name): \(tensorName)")
            }
            XCTAssertEqual(file.names.count, 5)
        }
    }

    func testOpeningMapsInsteadOfReading() throws {
        #if os(Linux)
        // A 32 MB file: opening it and reading a small tensor must not bring the big one into
        // memory (a reader that copied the file would grow by 32 MB). /proc/self/statm gives the
        // resident pages now (not a high-water mark), so the writer's temporary arrays do not count.
        let url = temporaryFile("big.safetensors")
        try writeSafetensors(["big": Tensor(repeating: 0.5, shape: [2048, 4096]), "small": Tensor([1, 2, 3])], to: url)
        func residentBytes() throws -> Int {
            let fields = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
            return Int(fields[1])! * Int(sysconf(Int32(_SC_PAGESIZE)))
        }
        let before = try residentBytes()
        let file = try SafetensorsFile(contentsOf: url)
        XCTAssertEqual(try file.tensor("small").scalars, [1, 2, 3])
        let growth = try residentBytes() - before
        XCTAssertLessThan(growth, 8 << 20, "opening grew resident memory by \(growth >> 20) MB")
        XCTAssertEqual(try file.info("big").shape, [2048, 4096])
        try FileManager.default.removeItem(at: url)
        #else
        throw XCTSkip("resident memory is read from /proc on Linux only")
        #endif
    }

    // MARK: - Bad files

    /// A file made of the 8-byte length (the header's, unless `length` is given), the header and `data`.
    private func handMade(_ name: String, header: String, data: [UInt8] = [], length: UInt64? = nil) throws -> URL {
        let headerBytes = Array(header.utf8)
        let n = length ?? UInt64(headerBytes.count)
        var bytes = (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) }
        bytes += headerBytes + data
        let url = temporaryFile(name)
        try Data(bytes).write(to: url)
        return url
    }

    private func open(_ url: URL) throws { _ = try SafetensorsFile(contentsOf: url) }

    func testBadHeadersNameTheFileAndTensor() throws {
        let eight = [UInt8](repeating: 0, count: 8)
        let short = temporaryFile("short.safetensors")
        try Data([1, 2, 3]).write(to: short)
        assertError(["short.safetensors", "too short"]) { try open(short) }
        let empty = temporaryFile("empty.safetensors")
        try Data().write(to: empty)
        assertError(["empty.safetensors", "0 bytes"]) { try open(empty) }
        assertError(["long.safetensors", "header length is 4096", "truncated"]) {
            try open(try handMade("long.safetensors", header: "{}", length: 4096))
        }
        assertError(["huge.safetensors", "header length"]) {
            try open(try handMade("huge.safetensors", header: "{}", length: .max))
        }
        assertError(["json.safetensors", "not valid JSON", "line 1"]) {
            try open(try handMade("json.safetensors", header: #"{"a": {"dtype": "F32",}}"#))
        }
        assertError(["array.safetensors", "JSON object"]) { try open(try handMade("array.safetensors", header: "[1, 2]")) }
        assertError(["dtype.safetensors", "tensor \"w\"", "unknown dtype \"F33\""]) {
            try open(try handMade("dtype.safetensors", header: #"{"w": {"dtype": "F33", "shape": [2], "data_offsets": [0, 8]}}"#, data: eight))
        }
        assertError(["past.safetensors", "tensor \"w\"", "past the end"]) {
            try open(try handMade("past.safetensors", header: #"{"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}"#, data: eight))
        }
        assertError(["size.safetensors", "tensor \"w\"", "shape [3] of F32 needs 3 × 4 bytes"]) {
            try open(try handMade("size.safetensors", header: #"{"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}"#, data: eight))
        }
        assertError(["overflow.safetensors", "tensor \"w\"", "too many elements"]) {
            try open(try handMade("overflow.safetensors",
                                  header: #"{"w": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 8]}}"#, data: eight))
        }
        assertError(["negative.safetensors", "tensor \"w\"", "0 ≤ begin ≤ end"]) {
            try open(try handMade("negative.safetensors", header: #"{"w": {"dtype": "F32", "shape": [0], "data_offsets": [4, 0]}}"#, data: eight))
        }
        assertError(["overlap.safetensors", "overlaps"]) {
            try open(try handMade("overlap.safetensors", header: #"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "#
                + #""b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}"#, data: eight))
        }
        assertError(["gap.safetensors", "tensor \"b\"", "gap"]) {
            try open(try handMade("gap.safetensors", header: #"{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "#
                + #""b": {"dtype": "F16", "shape": [1], "data_offsets": [6, 8]}}"#, data: eight))
        }
        assertError(["extra.safetensors", "cover 4 bytes", "8 bytes"]) {
            try open(try handMade("extra.safetensors", header: #"{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}"#, data: eight))
        }
        assertError(["fields.safetensors", "tensor \"a\"", "\"data_offsets\""]) {
            try open(try handMade("fields.safetensors", header: #"{"a": {"dtype": "F32", "shape": [1]}}"#, data: eight))
        }
        assertError(["unexpected.safetensors", "tensor \"a\"", "unexpected field \"offsets\""]) {
            try open(try handMade("unexpected.safetensors", header: #"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8], "offsets": 1}}"#, data: eight))
        }
        assertError(["meta.safetensors", "__metadata__", "\"n\"", "string"]) {
            try open(try handMade("meta.safetensors", header: #"{"__metadata__": {"n": 1}}"#))
        }
        // Known but not loadable: listed, and refused by name when read.
        let ints = try SafetensorsFile(contentsOf: try handMade("ints.safetensors",
            header: #"{"ids": {"dtype": "I64", "shape": [1], "data_offsets": [0, 8]}}"#, data: eight))
        XCTAssertEqual(try ints.info("ids").dtype, .i64)
        assertError(["ints.safetensors", "tensor \"ids\"", "I64", "F32, F16 and BF16"]) { _ = try ints.tensor("ids") }
        assertError(["ints.safetensors", "no tensor named \"wte\"", "\"ids\""]) { _ = try ints.tensor("wte") }
        let missing = temporaryFile("does-not-exist.safetensors")
        assertError(["does-not-exist.safetensors", "cannot open"]) { try open(missing) }
    }

    func testTruncatedTransformersFileIsAnError() throws {
        let bytes = try Data(contentsOf: model("llama/model.safetensors"))
        for cut in [0, 7, 8, 100, bytes.count / 2, bytes.count - 1] {
            let url = temporaryFile("cut-\(cut).safetensors")
            try bytes.prefix(cut).write(to: url)
            assertError(["cut-\(cut).safetensors"]) { try open(url) }
        }
    }

    func testBrokenShardIndexes() throws {
        let folder = temporaryFile("sharded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try writeSafetensors(["a": Tensor([1])], to: folder.appendingPathComponent("one.safetensors"))
        try writeSafetensors(["b": Tensor([2]), "c": Tensor([3])], to: folder.appendingPathComponent("two.safetensors"))
        let index = folder.appendingPathComponent("model.safetensors.index.json")
        func write(_ text: String) throws { try Data(text.utf8).write(to: index) }

        try write(#"{"metadata": {}, "weight_map": {"a": "one.safetensors", "b": "two.safetensors", "c": "two.safetensors"}}"#)
        let checkpoint = try SafetensorsCheckpoint(folder: folder)
        XCTAssertEqual(checkpoint.names, ["a", "b", "c"])
        XCTAssertEqual(try checkpoint.tensor("c").scalars, [3])

        try write(#"{"weight_map": {"a": "one.safetensors", "b": "one.safetensors", "c": "two.safetensors"}}"#)
        assertError(["model.safetensors.index.json", "tensor \"b\"", "one.safetensors"]) { _ = try SafetensorsCheckpoint(folder: folder) }
        try write(#"{"weight_map": {"a": "one.safetensors", "b": "two.safetensors"}}"#)
        assertError(["model.safetensors.index.json", "tensor \"c\"", "missing from \"weight_map\""]) {
            _ = try SafetensorsCheckpoint(folder: folder)
        }
        try write(#"{"weight_map": {"a": "three.safetensors"}}"#)
        assertError(["three.safetensors", "cannot open"]) { _ = try SafetensorsCheckpoint(folder: folder) }
        try write(#"{"weight_map": {"a": "../one.safetensors"}}"#)
        assertError(["model.safetensors.index.json", "\"a\"", "same folder"]) { _ = try SafetensorsCheckpoint(folder: folder) }
        try write(#"{"weights": {}}"#)
        assertError(["model.safetensors.index.json", "weight_map"]) { _ = try SafetensorsCheckpoint(folder: folder) }
        try FileManager.default.removeItem(at: index)
        assertError(["no model.safetensors or model.safetensors.index.json"]) { _ = try SafetensorsCheckpoint(folder: folder) }
    }

    // MARK: - Fuzzing

    /// Thousands of mutated files (truncated, bytes flipped or replaced in the header, digits and
    /// dtypes swapped, huge lengths): each must open and read cleanly or throw, never trap.
    func testMutatedFilesThrowOrParseButNeverTrap() throws {
        var g = SeededGenerator(seed: 2024)
        let source = temporaryFile("fuzz-source.safetensors")
        try writeSafetensors(["a.weight": .randomNormal([3, 4], using: &g), "b": Tensor([1, 2, 3]), "c": Tensor(scalar: 7)],
                             metadata: ["format": "pt"], dtype: .f16, to: source)
        let original = [UInt8](try Data(contentsOf: source))
        let headerEnd = 8 + Int(original[0]) + Int(original[1]) << 8
        let replacements = Array("0123456789,:[]{}\" -FBI".utf8)
        let url = temporaryFile("fuzz.safetensors")
        var opened = 0, failed = 0
        for _ in 0..<2000 {
            var bytes = original
            for _ in 0..<(1 + g.nextInt(below: 3)) {
                switch g.nextInt(below: 6) {
                case 0: bytes = Array(bytes.prefix(g.nextInt(below: bytes.count + 1)))
                case 1 where !bytes.isEmpty: bytes[g.nextInt(below: min(bytes.count, headerEnd))] ^= UInt8(1 << g.nextInt(below: 8))
                case 2 where bytes.count > 8:
                    bytes[8 + g.nextInt(below: min(bytes.count, headerEnd) - 8)] = replacements[g.nextInt(below: replacements.count)]
                case 3 where bytes.count >= 8:
                    // A random header length, often far larger than the file.
                    let n = g.next() >> UInt64(g.nextInt(below: 64))
                    for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: n >> (8 * UInt64(i))) }
                case 4:
                    let text = String(decoding: bytes, as: UTF8.self)
                    let swaps = [("\"F16\"", "\"F32\""), ("\"F16\"", "\"BF16\""), ("\"F16\"", "\"I8\""), ("[3,4]", "[4,4]"),
                                 ("[3]", "[99999999999]"), (",24]", ",2]"), ("[0,", "[-2,")]
                    let (from, to) = swaps[g.nextInt(below: swaps.count)]
                    if let range = text.range(of: from), text.utf8.count == bytes.count {
                        bytes = Array(text.replacingCharacters(in: range, with: to).utf8)
                    }
                default: bytes += [UInt8](repeating: 0, count: g.nextInt(below: 9))
                }
            }
            try Data(bytes).write(to: url)
            do {
                let file = try SafetensorsFile(contentsOf: url)
                for name in file.names {
                    if let tensor = try? file.tensor(name) {
                        XCTAssertEqual(tensor.count, tensor.shape.reduce(1, *))
                    }
                }
                opened += 1
            } catch is SafetensorsError {
                failed += 1
            }
        }
        // Both outcomes occur, so the mutations neither always break nor never touch the header.
        XCTAssertGreaterThan(failed, 700)
        XCTAssertGreaterThan(opened, 10)
    }
}
