// Q8_0 quantization: the block format's error bound, the int8 products against their naive twin
// (exactly) and against float32 (within a stated bound), quantized models against float32 on the
// fixture models, and quantized folders written, read back and refused when damaged.

import Foundation
@testable import LabKernel
import LabTestSupport
import XCTest

final class QuantizationTests: XCTestCase {
    /// A (rows, columns) matrix of normal values with a few outliers, so that some blocks have a
    /// large scale and the rest of their values few levels.
    func weights(_ rows: Int, _ columns: Int, seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        var w = Tensor.randomNormal([rows, columns], standardDeviation: 0.05, using: &generator)
        for k in stride(from: 0, to: rows * columns, by: 97) { w.scalars[k] *= 20 }
        return w
    }

    func testRoundTripErrorOfEveryElementIsAtMostHalfItsBlockScale() throws {
        // 70 columns: two whole blocks and one padded with zeros.
        for (rows, columns, layout) in [(9, 70, WeightLayout.outputsByInputs), (70, 9, .inputsByOutputs), (3, 32, .outputsByInputs)] {
            let w = weights(rows, columns, seed: 1)
            let q = try Q8Matrix(quantizing: w, layout: layout)
            let original = layout == .outputsByInputs ? w : w.transposed()  // (out, in)
            XCTAssertEqual(q.rows, original.shape[0])
            XCTAssertEqual(q.columns, original.shape[1])
            let back = q.dequantized()
            for i in 0..<q.rows {
                let scales = q.scales(ofRow: i), values = q.values(ofRow: i)
                for b in 0..<q.blocksPerRow {
                    let block = (b * 32)..<min(q.columns, (b + 1) * 32)
                    let maximum = block.map { abs(original[i, $0]) }.max()!
                    // The stored scale is max|x|/127 rounded to float16: relative error ≤ 2⁻¹¹.
                    XCTAssertEqual(scales[b], maximum / 127, accuracy: maximum / 127 * 0x1p-11, "row \(i) block \(b)")
                    XCTAssertEqual(block.map { abs(Int(values[$0])) }.max(), 127, "the largest magnitude maps to ±127")
                    for p in block {
                        // The format's bound, d/2, plus one rounding of the product q·d (2⁻²⁴ relative).
                        let error = abs(original[i, p] - back[i, p])
                        XCTAssertLessThanOrEqual(error, scales[b] / 2 + maximum * 0x1p-23, "row \(i) column \(p)")
                    }
                }
                XCTAssertTrue(values[q.columns...].allSatisfy { $0 == 0 }, "the padding is zeros")
            }
        }
    }

    func testAllZeroBlockHasScaleZeroAndReadsBackAsZero() throws {
        let q = try Q8Matrix(quantizing: Tensor.zeros([2, 40]), layout: .outputsByInputs)
        XCTAssertEqual(q.scales(ofRow: 1), [0, 0])
        XCTAssertEqual(q.dequantized().scalars, [Float](repeating: 0, count: 80))
    }

    func testWeightBeyondFloat16ScalesIsRefusedNamingTheTensor() {
        var w = Tensor.zeros([2, 32])
        w.scalars[40] = 1e8  // 1e8 / 127 > 65504
        XCTAssertThrowsError(try Q8Matrix(quantizing: w, layout: .outputsByInputs, name: "h.0.mlp")) { error in
            XCTAssertEqual(error as? QuantizationError, .scaleOutOfRange(name: "h.0.mlp", row: 1, block: 0, maximum: 1e8))
        }
    }

    func testMatrixVectorProductEqualsNaiveTwinExactly() throws {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        // Row counts that are not multiples of 4 (the lone-row tail) and of the threads' ranges;
        // 100 columns pad the last block; 768 × 300 is large enough to run on two threads.
        for (rows, columns) in [(37, 100), (300, 768), (1, 32)] {
            let q = try Q8Matrix(quantizing: weights(rows, columns, seed: 2), layout: .outputsByInputs)
            var generator = SeededGenerator(seed: 3)
            let x = Tensor.randomNormal([columns], using: &generator).scalars
            let naive = q8MatrixVectorProductNaive(q, x)
            for threads in [1, 2] {
                Parallel.threadCount = threads
                XCTAssertEqual(q8MatrixVectorProduct(q, x), naive, "(\(rows), \(columns)) on \(threads) threads")
            }
        }
    }

    func testBatchedProductEqualsOneTokenProductRowByRow() throws {
        let q = try Q8Matrix(quantizing: weights(70, 100, seed: 4), layout: .outputsByInputs)
        var generator = SeededGenerator(seed: 5)
        let x = Tensor.randomNormal([6, 100], using: &generator)
        let batched = q8MatrixProduct(x, q)
        XCTAssertEqual(batched.shape, [6, 70])
        for t in 0..<6 {
            XCTAssertEqual(batched.row(t).scalars, q8MatrixVectorProduct(q, x.row(t).scalars), "token \(t)")
        }
    }

    func testProductIsWithinTheActivationBoundOfTheDequantizedFloatProduct() throws {
        // y_q - dq(W)·x = Σ_p dq(W)[i, p] (dq(x)_p - x_p), and |dq(x)_p - x_p| ≤ d_x(b)/2 for p in
        // block b, so |y_q[i] - (dq(W)·x)[i]| ≤ Σ_b d_x(b)/2 · Σ_{p in b} |dq(W)[i, p]|, plus float
        // rounding of the sums (1e-5 of Σ|terms|, far above Float's 2⁻²⁴ per operation).
        let (rows, columns) = (50, 200)
        let q = try Q8Matrix(quantizing: weights(rows, columns, seed: 6), layout: .outputsByInputs)
        var generator = SeededGenerator(seed: 7)
        let x = Tensor.randomNormal([columns], using: &generator).scalars
        let (_, xScales) = quantizeActivations(x)
        let w = q.dequantized(), y = q8MatrixVectorProduct(q, x)
        var worstShare = 0.0
        for i in 0..<rows {
            var exact = 0.0, bound = 0.0, magnitude = 0.0
            for p in 0..<columns {
                exact += Double(w[i, p]) * Double(x[p])
                bound += Double(xScales[p / 32]) / 2 * Double(abs(w[i, p]))
                magnitude += Double(abs(w[i, p] * x[p]))
            }
            let error = abs(Double(y[i]) - exact)
            XCTAssertLessThanOrEqual(error, bound + 1e-5 * magnitude, "row \(i)")
            worstShare = max(worstShare, error / bound)
        }
        XCTAssertGreaterThan(worstShare, 0.01, "the bound is not vacuous: the error is a visible share of it")
    }

    // MARK: - Models

    static let fixtureFolders = ["gpt2", "llama", "qwen2", "mistral"]

    func fixtureModel(_ folder: String) throws -> TransformerModel {
        try loadModel(folder: RepositoryPaths.fixtures.appendingPathComponent("models/\(folder)", isDirectory: true)).model
    }

    func testQuantizedModelLogitsStayCloseToFloat32AndAgreeOnTheTopToken() throws {
        // The random tiny fixtures (C = 32, weights of standard deviation 0.2) and the kit's own
        // trained model (models/lab-stories-4m). Measured relative RMS differences of the logits:
        // 2.0–4.5% on the fixtures, 1.7% on the trained model; largest differences at most 10% of
        // the largest logit. The limits below leave about 1.8× room and still catch a wrong
        // scale, a transposed block or a dropped bias, which are off by 100% or more.
        let kitModel = RepositoryPaths.root.appendingPathComponent("models/lab-stories-4m", isDirectory: true)
        var folders = Self.fixtureFolders.map { (RepositoryPaths.fixtures.appendingPathComponent("models/\($0)", isDirectory: true), 0.08) }
        if FileManager.default.fileExists(atPath: kitModel.path) { folders.append((kitModel, 0.03)) }
        for (url, relativeLimit) in folders {
            let folder = url.lastPathComponent
            let model = try loadModel(folder: url, requireTokenizer: false).model
            let quantized = try model.quantized()
            XCTAssertTrue(quantized.isQuantized)
            XCTAssertLessThan(Double(quantized.weightBytes), 0.36 * Double(model.weightBytes), "\(folder): int8 weights")
            var generator = SeededGenerator(seed: 8)
            let ids = (0..<min(24, model.config.contextLength)).map { _ in generator.nextInt(below: model.config.vocabularySize) }
            let reference = model.forward(tokens: ids), approximate = quantized.forward(tokens: ids)  // (T, V)
            let differences = zip(reference.scalars, approximate.scalars).map { $0 - $1 }
            let relative = (differences.map { $0 * $0 }.reduce(0, +) / reference.scalars.map { $0 * $0 }.reduce(0, +)).squareRoot()
            XCTAssertLessThan(relative, Float(relativeLimit), "\(folder): relative RMS difference of the logits")
            let largest = reference.scalars.map(abs).max()!, error = differences.map(abs).max()!
            XCTAssertLessThan(error, 0.18 * largest, "\(folder): largest logit difference \(error), largest logit \(largest)")
            // Top-1: wherever float32's best token leads the runner-up by more than twice the
            // largest difference, the quantized model must pick the same token; and overall at
            // least 90% of positions agree (measured: all of them).
            var agreeing = 0
            for t in 0..<ids.count {
                let row = reference.row(t).scalars
                let best = greedyToken(row), chosen = greedyToken(approximate.row(t).scalars)
                if chosen == best { agreeing += 1 }
                let runnerUp = row.enumerated().filter { $0.offset != best }.map(\.element).max()!
                if row[best] - runnerUp > 2 * error { XCTAssertEqual(chosen, best, "\(folder) position \(t)") }
            }
            XCTAssertGreaterThanOrEqual(Double(agreeing), 0.9 * Double(ids.count), "\(folder): top-1 agreement")
        }
    }

    func testQuantizedDecodingStepEqualsTheGeneralPathBitForBit() throws {
        for folder in Self.fixtureFolders {
            let quantized = try fixtureModel(folder).quantized()
            let ids = [1, 5, 9, 2, 7]
            let whole = quantized.forward(tokens: ids)  // (T, V), the general path
            var cache = KVCache(config: quantized.config, capacity: ids.count)
            _ = quantized.forward(tokens: Array(ids.prefix(4)), cache: &cache)
            let step = quantized.forward(tokens: [ids[4]], cache: &cache)  // (1, V), the decoding path
            XCTAssertEqual(step.scalars, whole.row(4).scalars, folder)
        }
    }

    // MARK: - Folders

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lab-q8-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A quantized copy of fixture `folder` written to a temporary folder.
    func writtenFolder(_ folder: String) throws -> (source: TransformerModel, written: URL) {
        let source = RepositoryPaths.fixtures.appendingPathComponent("models/\(folder)", isDirectory: true)
        let model = try loadModel(folder: source).model
        let destination = try temporaryFolder().appendingPathComponent("\(folder)-q8")
        try QuantizedFolder.write(model, copyingFilesFrom: source, to: destination)
        return (model, destination)
    }

    func testWrittenFolderLoadsBackToTheSameQuantizedModel() throws {
        for folder in Self.fixtureFolders {
            let (model, written) = try writtenFolder(folder)
            let files = try FileManager.default.contentsOfDirectory(atPath: written.path)
            XCTAssertTrue(Set(files).isSuperset(of: ["config.json", "quantization.json", "model.q8.safetensors"]), "\(files)")
            XCTAssertFalse(files.contains("model.safetensors"))
            XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: written.deletingLastPathComponent().path)
                .contains { $0.hasSuffix(".partial") }, "the temporary folder was renamed")
            let loaded = try loadModel(folder: written, requireTokenizer: false).model
            XCTAssertTrue(loaded.isQuantized)
            let ids = [3, 1, 4, 1, 5]
            XCTAssertEqual(loaded.forward(tokens: ids).scalars, try model.quantized().forward(tokens: ids).scalars, folder)
        }
    }

    func testWritingRefusesAnExistingFolder() throws {
        let (model, written) = try writtenFolder("llama")
        XCTAssertThrowsError(try QuantizedFolder.write(model, copyingFilesFrom: written, to: written)) { error in
            XCTAssertTrue("\(error)".contains("already exists"), "\(error)")
        }
    }

    /// The error of loading `folder`, as text.
    func loadingError(_ folder: URL) -> String {
        do {
            _ = try loadModel(folder: folder, requireTokenizer: false)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testDescriptorOfAnotherLayoutOrVersionIsRefusedNamingTheFile() throws {
        let (_, written) = try writtenFolder("llama")
        let descriptor = written.appendingPathComponent("quantization.json")
        let original = try String(contentsOf: descriptor, encoding: .utf8)
        for (from, to, expected) in [("\"version\": 1", "\"version\": 2", "field \"version\""),
                                     ("\"block_size\": 32", "\"block_size\": 64", "field \"block_size\""),
                                     ("rows_out_in_blocks_along_in", "interleaved_34_byte_blocks", "field \"layout\""),
                                     ("\"format\": \"q8_0\"", "\"format\": \"q4_0\"", "field \"format\""),
                                     ("\"model.layers.0.mlp.up_proj.weight\",", "", "field \"quantized\""),
                                     ("{", "[", "cannot be read as JSON")] {
            try original.replacingOccurrences(of: from, with: to).write(to: descriptor, atomically: true, encoding: .utf8)
            let error = loadingError(written)
            XCTAssertTrue(error.hasPrefix("quantization.json: ") && error.contains(expected), "\(from) -> \(to): \(error)")
        }
    }

    /// Overwrites bytes of tensor `name` in the safetensors file at `url`, at `byteOffset` of its data.
    func patch(_ url: URL, tensor name: String, byteOffset: Int, with bytes: [UInt8]) throws {
        let info = try SafetensorsFile(contentsOf: url).tensorInfos[name]!
        var data = try Data(contentsOf: url)
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let start = 8 + headerLength + info.byteRange.lowerBound + byteOffset
        data.replaceSubrange(start..<(start + bytes.count), with: bytes)
        try data.write(to: url)
    }

    func testCorruptedScaleBlockIsRefusedNamingTheFileAndTensor() throws {
        let scales = "model.layers.1.self_attn.o_proj.weight.q8_scales"
        for (bytes, problem) in [([0x00, 0x7C], "inf"), ([0x00, 0x7E], "nan"), ([0x00, 0xBC], "-1.0")] as [([UInt8], String)] {
            let (_, written) = try writtenFolder("llama")
            try patch(written.appendingPathComponent("model.q8.safetensors"), tensor: scales, byteOffset: 0, with: bytes)
            let error = loadingError(written)
            XCTAssertTrue(error.hasPrefix("model.q8.safetensors: tensor \"\(scales)\" holds the scale \(problem) at row 0, block 0"),
                          error)
        }
    }

    func testScalePlaneOfTheWrongShapeOrDtypeIsRefused() throws {
        let (model, written) = try writtenFolder("qwen2")
        let quantized = try model.quantized()
        let name = "model.layers.0.mlp.down_proj.weight"
        var tensors = QuantizedFolder.storedTensors(of: quantized).filter { $0.name != name + ".q8_scales" }
        let matrix = quantized.quantizedMatrices[name]!
        // One block short per row: the bytes of a (rows, blocks - 1) plane.
        let blocks = matrix.blocksPerRow - 1
        tensors.append(StoredTensor(name: name + ".q8_scales", dtype: .f16, shape: [matrix.rows, max(1, blocks)],
                                    bytes: [UInt8](repeating: 0x3C, count: matrix.rows * max(1, blocks) * 2)))
        let weights = written.appendingPathComponent("model.q8.safetensors")
        try writeSafetensors(tensors, to: weights)
        var error = loadingError(written)
        XCTAssertTrue(error.hasPrefix("model.q8.safetensors: tensor \"\(name).q8_scales\" is F16 ") && error.contains("expected F16"), error)
        // F32 scales where F16 are expected.
        tensors.removeLast()
        tensors.append(StoredTensor(name: name + ".q8_scales", dtype: .f32, shape: [matrix.rows, matrix.blocksPerRow],
                                    bytes: [UInt8](repeating: 0, count: matrix.rows * matrix.blocksPerRow * 4)))
        try writeSafetensors(tensors, to: weights)
        error = loadingError(written)
        XCTAssertTrue(error.contains("is F32 ") && error.contains("expected F16"), error)
    }

    func testDescriptorWithoutItsWeightsFileIsRefused() throws {
        let (_, written) = try writtenFolder("gpt2")
        try FileManager.default.removeItem(at: written.appendingPathComponent("model.q8.safetensors"))
        XCTAssertTrue(loadingError(written).contains("model.q8.safetensors is not"), loadingError(written))
    }
}
