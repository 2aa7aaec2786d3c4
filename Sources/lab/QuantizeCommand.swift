// `lab quantize MODEL --output DIR`: a model folder with its weight matrices in Q8_0 blocks, and
// the `--quantize q8` option that generate, logits, eval and bench model share.
//
// Scope: the command line. The format (blocks of 32 int8 with a float16 scale, 8.5 bits per
// weight on disk) and the checks on reading are the kernel's (Quantization/, Formats/QuantizedFolder.swift);
// every model command loads the folder this writes, quantized. Left out: other formats (q4).

import Foundation
import LabKernel

enum QuantizeCommand {
    static let usage = """
        usage: lab quantize MODEL_DIR --output DIR [--adapter DIR]

        Writes MODEL_DIR's model with its weight matrices quantized to Q8_0: blocks of 32 int8
        weights sharing one float16 scale (8.5 bits per weight instead of 32), as llama.cpp and
        llama2.c's runq.c store them. Norms and biases stay float32. DIR gets config.json, the
        tokenizer files, quantization.json (the format, its version and layout) and
        model.q8.safetensors; every model command (generate, logits, eval, bench) loads it.
        Decoding reads about 3.5× fewer bytes per token, so it runs faster; see
        `lab bench model --quantize q8` and `lab eval --model DIR --quantize q8` for the cost in quality.

        options:
          --output DIR    the new folder (must not exist); written under a temporary name, then renamed
          --adapter DIR   fold a PEFT LoRA adapter into the weights first
          --json          print one JSON object describing what was written
          --help          show this help
        """

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "quantize")
        if arguments.flag("--help", "-h") {
            print(usage)
            return
        }
        let json = arguments.flag("--json")
        let output = try arguments.value("--output")
        let adapter = try arguments.value("--adapter")
        guard let path = arguments.positional() else {
            throw UsageError(message: "which model? e.g. lab quantize models/lab-stories-4m --output lab-stories-4m-q8", command: "quantize")
        }
        try arguments.finish()
        guard let output else { throw UsageError(message: "give the new folder with --output DIR", command: "quantize") }

        let loaded = try loadModelFolder(path: path, requireTokenizer: false)
        guard !loaded.model.isQuantized else {
            throw CommandFailure(message: "\(path) is already quantized (it has \(QuantizedFolder.descriptorFileName)); quantize the float model")
        }
        let model = try applyingAdapter(path: adapter, to: loaded.model, modelFolder: path)
        let destination = URL(fileURLWithPath: output)
        do {
            try QuantizedFolder.write(model, copyingFilesFrom: loaded.folder.url, to: destination)
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        let quantized = try loadModelFolder(path: output, requireTokenizer: false).model  // what the kit will load
        let before = model.weightBytes, after = quantized.weightBytes
        if json {
            print(jsonLine([("output", .string(output)), ("quantize", .string("q8")), ("float32_bytes", .integer(before)),
                            ("quantized_bytes", .integer(after)), ("matrices", .integer(quantized.quantizedMatrices.count))]))
        } else {
            print("wrote \(output): \(quantized.quantizedMatrices.count) matrices in Q8_0 blocks; weights \(megabytes(before)) "
                  + "-> \(megabytes(after)) in memory (\(formatFixed(Double(before) / Double(after), decimals: 2))× smaller)")
        }
    }

    private static func megabytes(_ bytes: Int) -> String { formatFigure(Double(bytes) / 1e6) + " MB" }
}

/// `--quantize q8` of a model command: true when given. Any other value is a usage error.
func quantizeOption(_ arguments: inout Arguments, command: String) throws -> Bool {
    guard let value = try arguments.value("--quantize") else { return false }
    guard value == "q8" else {
        throw UsageError(message: "--quantize expects q8 (int8 blocks of 32, Q8_0), got '\(printable(value))'", command: command)
    }
    return true
}

/// `model` with its matrices in Q8_0 blocks when `quantize` (and not already), else as it is.
func quantizing(_ model: TransformerModel, _ quantize: Bool) throws -> TransformerModel {
    guard quantize, !model.isQuantized else { return model }
    do {
        return try model.quantized()
    } catch {
        throw CommandFailure(message: "--quantize q8: \(error)")
    }
}
