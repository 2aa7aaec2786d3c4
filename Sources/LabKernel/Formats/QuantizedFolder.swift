// A quantized model folder: what `lab quantize` writes and every model command loads again.
//
//     DIR/config.json             the model's Hugging Face config, unchanged
//     DIR/tokenizer.json …        the tokenizer files, copied
//     DIR/quantization.json       what the weights file holds and how (below)
//     DIR/model.q8.safetensors    per quantized matrix NAME (out, in):
//                                   NAME.q8_values  I8  (out, blocks · 32)  rows cut into blocks of
//                                                       32 along `in`, the last padded with zeros
//                                   NAME.q8_scales  F16 (out, blocks)       one scale per block
//                                 and every other parameter (norms, biases) as F32 under its name
//
// quantization.json names the format and its version and spells out the layout:
//
//     {"format": "q8_0", "version": 1, "block_size": 32, "layout": "rows_out_in_blocks_along_in",
//      "values": "I8", "scales": "F16", "weights": "model.q8.safetensors", "architecture": "llama",
//      "quantized": ["model.embed_tokens.weight", …]}
//
// Reading checks all of it before the model is built: another format, version, block size or
// layout, a list of quantized tensors that is not the one this architecture quantizes, a plane
// of the wrong dtype or shape, or a scale that is not a finite, non-negative float16 are errors
// that name the file (and the tensor). The weights file is deliberately not `model.safetensors`:
// a tool that reads only float checkpoints (transformers) then says there are no weights,
// instead of loading a model whose tensors it does not recognise. The folder is written under a
// temporary name beside DIR and renamed into place, so DIR is either complete or absent.
//
// Left out: sharded weights files, other block formats, and reading llama.cpp's GGUF files.

import Foundation

public enum QuantizedFolder {
    /// The descriptor's file name; its presence marks a folder as quantized.
    public static let descriptorFileName = "quantization.json"
    /// The weights file's name.
    public static let weightsFileName = "model.q8.safetensors"
    /// The values written to (and required in) quantization.json.
    static let format = "q8_0", version = 1, layout = "rows_out_in_blocks_along_in"
    static let valuesSuffix = ".q8_values", scalesSuffix = ".q8_scales"
    /// Files copied beside the weights when present in the source folder.
    static let copiedFiles = ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                              "vocab.json", "merges.txt", "generation_config.json", "chat_template.jinja"]

    /// Whether `folder` holds a quantized model (it has quantization.json).
    public static func isQuantized(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(descriptorFileName).path)
    }

    // MARK: - Writing

    /// Writes `model`, quantized if it is not yet, to the new folder `destination`, with the
    /// config and tokenizer files of `source` copied beside it. Nothing appears at `destination`
    /// until every file is written (a `.NAME.partial` folder is renamed).
    /// - Throws: `QuantizationError` from quantizing, or a `ModelConfigError` when `destination`
    ///   exists or a file cannot be written.
    public static func write(_ model: TransformerModel, copyingFilesFrom source: URL, to destination: URL) throws {
        let files = FileManager.default
        guard !files.fileExists(atPath: destination.path) else {
            throw ModelConfigError("\(destination.path) already exists; give a new folder (nothing was written)")
        }
        let quantized = try model.quantized()
        let partial = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).partial")
        try? files.removeItem(at: partial)
        do {
            try files.createDirectory(at: partial, withIntermediateDirectories: false)
            for name in copiedFiles where files.fileExists(atPath: source.appendingPathComponent(name).path) {
                try files.copyItem(at: source.appendingPathComponent(name), to: partial.appendingPathComponent(name))
            }
            if !files.fileExists(atPath: partial.appendingPathComponent("config.json").path) {
                try Data(quantized.config.configJSON().utf8).write(to: partial.appendingPathComponent("config.json"))
            }
            try writeSafetensors(storedTensors(of: quantized), metadata: ["format": format],
                                 to: partial.appendingPathComponent(weightsFileName))
            try Data(descriptor(of: quantized).utf8).write(to: partial.appendingPathComponent(descriptorFileName))
            try files.moveItem(at: partial, to: destination)
        } catch {
            try? files.removeItem(at: partial)
            if error is QuantizationError || error is ModelConfigError { throw error }
            throw ModelConfigError("cannot write \(destination.path): \(error.localizedDescription)")
        }
    }

    /// quantization.json for `model` (quantized).
    static func descriptor(of model: TransformerModel) -> String {
        let names = model.quantizableMatrices.map { "    " + jsonStringLiteral($0.name) }.joined(separator: ",\n")
        return """
            {
              "format": "\(format)",
              "version": \(version),
              "block_size": \(Q8Matrix.blockSize),
              "layout": "\(layout)",
              "values": "I8",
              "scales": "F16",
              "weights": "\(weightsFileName)",
              "architecture": "\(model.config.architecture.rawValue)",
              "quantized": [
            \(names)
              ]
            }

            """
    }

    /// The weights file's tensors: two planes per quantized matrix, F32 for the rest.
    static func storedTensors(of model: TransformerModel) -> [StoredTensor] {
        var tensors: [StoredTensor] = []
        for (name, matrix) in model.quantizedMatrices {
            let values = matrix.allValues.map { UInt8(bitPattern: $0) }
            tensors.append(StoredTensor(name: name + valuesSuffix, dtype: .i8, shape: [matrix.rows, matrix.paddedColumns], bytes: values))
            var scales: [UInt8] = []
            scales.reserveCapacity(matrix.rows * matrix.blocksPerRow * 2)
            for bits in matrix.scaleBits { scales += [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8)] }
            tensors.append(StoredTensor(name: name + scalesSuffix, dtype: .f16, shape: [matrix.rows, matrix.blocksPerRow], bytes: scales))
        }
        for (name, tensor) in model.parameters {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(tensor.count * 4)
            for value in tensor.scalars {
                let bits = value.bitPattern
                for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt32(i)))) }
            }
            tensors.append(StoredTensor(name: name, dtype: .f32, shape: tensor.shape, bytes: bytes))
        }
        return tensors
    }

    // MARK: - Reading

    /// Checks quantization.json in `folder` against what this kit reads for `config`.
    /// - Throws: `QuantizationError.badDescriptor` naming the file and the field.
    static func checkDescriptor(in folder: URL, config: TransformerConfig, expected: [String]) throws {
        let file = descriptorFileName
        func fail(_ problem: String) -> QuantizationError { .badDescriptor(file: file, problem: problem) }
        let root: JSONValue
        do {
            root = try JSONValue.parse(try readRegularFile(folder.appendingPathComponent(file), maximumBytes: maximumJSONFileBytes))
        } catch {
            throw fail("cannot be read as JSON (\(error))")
        }
        guard root.object != nil else { throw fail("expected a JSON object, got \(root.kind)") }
        func field(_ key: String, _ expected: JSONValue) throws {
            guard let found = root[key] else { throw fail("has no field \"\(key)\"; a folder written by lab quantize has it") }
            guard found == expected else {
                throw fail("field \"\(key)\" is \(found.kind), but this kit reads \(expected.kind); "
                    + "the folder was written for another layout: quantize the float model again with lab quantize")
            }
        }
        try field("format", .string(format))
        try field("version", .number(Double(version)))
        try field("block_size", .number(Double(Q8Matrix.blockSize)))
        try field("layout", .string(layout))
        try field("values", .string("I8"))
        try field("scales", .string("F16"))
        try field("weights", .string(weightsFileName))
        try field("architecture", .string(config.architecture.rawValue))
        guard let listed = root["quantized"]?.array?.compactMap(\.string), listed.count == root["quantized"]?.array?.count else {
            throw fail("field \"quantized\" must be an array of tensor names")
        }
        guard Set(listed) == Set(expected), listed.count == expected.count else {
            let missing = Set(expected).subtracting(listed).sorted().first, extra = Set(listed).subtracting(expected).sorted().first
            throw fail("field \"quantized\" lists \(listed.count) tensors, but a \(config.architecture.rawValue) model of this config "
                + "quantizes \(expected.count)" + (missing.map { "; \"\(printable($0, limit: 60))\" is missing" } ?? "")
                + (extra.map { "; \"\(printable($0, limit: 60))\" is not one of them" } ?? ""))
        }
    }

    /// The model stored in a quantized folder: quantization.json checked, then every plane and
    /// tensor of the weights file checked (dtype, shape, finite non-negative scales) and read.
    static func loadModel(folder: URL, config: TransformerConfig, weights: SafetensorsCheckpoint) throws -> TransformerModel {
        config.validate()
        if let problem = config.memoryProblem() { throw ModelLoadingError.tooLarge(problem) }
        let names = ModelNames(config: config)
        let quantizable = TransformerModel.quantizableMatrices(config: config, names: names)
        try checkDescriptor(in: folder, config: config, expected: quantizable.map(\.name))
        let quantizedNames = Set(quantizable.map(\.name))
        let file = weightsFileName
        var parameters: [String: Tensor] = [:]
        var matrices: [String: Q8Matrix] = [:]
        for (name, shape) in names.expectedShapes {
            guard quantizedNames.contains(name) else {
                guard weights.contains(name) else { throw QuantizationError.badTensor(file: file, name: name, problem: "is missing") }
                let tensor = try weights.tensor(name)
                guard tensor.shape == shape else {
                    throw QuantizationError.badTensor(file: file, name: name, problem: "has shape \(tensor.shape.shapeDescription), expected \(shape.shapeDescription) from the config")
                }
                if let error = ModelLoadingError.nonFinite(in: tensor, name: name) { throw error }
                parameters[name] = tensor
                continue
            }
            // (out, in): the float tensor's shape, transposed for GPT-2's Conv1D matrices.
            let layout = quantizable.first { $0.name == name }!.layout
            let (rows, columns) = layout == .outputsByInputs ? (shape[0], shape[1]) : (shape[1], shape[0])
            let blocks = (columns + Q8Matrix.blockSize - 1) / Q8Matrix.blockSize
            func plane(_ suffix: String, _ dtype: SafetensorsDType, _ expected: [Int]) throws {
                let plane = name + suffix
                guard weights.contains(plane) else { throw QuantizationError.badTensor(file: file, name: plane, problem: "is missing") }
                let info = try weights.info(plane)
                guard info.dtype == dtype, info.shape == expected else {
                    throw QuantizationError.badTensor(file: file, name: plane, problem: "is \(info.dtype.rawValue) \(info.shape.shapeDescription), "
                        + "expected \(dtype.rawValue) \(expected.shapeDescription) for a (\(rows), \(columns)) matrix in blocks of \(Q8Matrix.blockSize)")
                }
            }
            try plane(valuesSuffix, .i8, [rows, blocks * Q8Matrix.blockSize])
            try plane(scalesSuffix, .f16, [rows, blocks])
            let scaleBits: [UInt16] = try weights.withStoredBytes(name + scalesSuffix) { bytes, _ in
                (0..<(rows * blocks)).map { bytes.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self).littleEndian }
            }
            if let bad = scaleBits.firstIndex(where: { bits in !floatFromHalfBits(bits).isFinite || bits & 0x8000 != 0 }) {
                throw QuantizationError.badTensor(file: file, name: name + scalesSuffix,
                    problem: "holds the scale \(floatFromHalfBits(scaleBits[bad])) at row \(bad / blocks), block \(bad % blocks); "
                        + "a scale is max|w|/127, finite and never negative: the file is damaged")
            }
            matrices[name] = try weights.withStoredBytes(name + valuesSuffix) { bytes, _ in
                Q8Matrix(rows: rows, columns: columns, values: bytes) { scaleBits[$0] }
            }
        }
        return TransformerModel(config: config, names: names, parameters: parameters, quantizedMatrices: matrices)
    }
}
