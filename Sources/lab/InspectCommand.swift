// `lab inspect MODEL_DIR`: what is inside a Hugging Face model folder, before running it.
//
// Scope: the configuration in the kit's words (C, H, D, F, V, …), the parameter count (total and
// by group: embeddings, attention, MLP, norms), the weights on disk (files, dtypes, bytes), a
// table of tensors condensed by layer (`model.layers.{0..11}.self_attn.q_proj.weight` stands for
// twelve tensors of one shape and dtype; `--all` lists each), and the tokenizer if the folder has
// one. `--json` prints the same as one JSON object for scripts (with every tensor listed).
// Names and shapes are checked against the config from the safetensors headers alone (the check
// the model loader makes first), so a missing tensor or a shape that does not fit is reported
// here exactly as it would be when running the model. After the report, the loader's other checks
// run (TransformerModel.checkLoadable: the memory budget, and every weight scanned for NaN and
// infinity one tensor at a time), and a folder that would not load ends with that error and exit
// status 1: inspecting never says a folder is fine that `lab logits` then refuses.
// A quantized folder (`lab quantize`) is loaded whole and summed up in a few lines instead.
// Left out: pickled `pytorch_model.bin` folders and GGUF files (the kit reads safetensors only).

import Foundation
import LabKernel
import LabNotebook

enum InspectCommand {
    static let usage = """
        usage: lab inspect MODEL_DIR [--all] [--json]

        Describes a Hugging Face model folder (config.json + model.safetensors or shards, and
        tokenizer.json or vocab.json + merges.txt when present): architecture, sizes, parameter
        count by group, dtypes and size on disk, the tensors with their shapes, and the tokenizer.

        options:
          --all    list every tensor (default: tensors that differ only by layer number share a
                   line, e.g. model.layers.{0..11}.mlp.up_proj.weight)
          --json   one JSON object for scripts, every tensor listed, e.g.
                   {"config":{"architecture":"llama",...},"parameters":{"total":12345,...},"tensors":[...],...}
          --help   show this help
        """

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "inspect")
        if arguments.flag("--help", "-h") {
            print(usage)
            return
        }
        let all = arguments.flag("--all")
        let json = arguments.flag("--json")
        guard let path = arguments.positional() else {
            throw UsageError(message: "which model? give a model folder, e.g. lab inspect models/gpt2", command: "inspect")
        }
        try arguments.finish()
        let folder = try openModelFolder(path: path, requireTokenizer: false)
        if QuantizedFolder.isQuantized(folder.url) { return try describeQuantized(folder, path: path, json: json) }
        let report = try ModelReport(folder, path: path)
        // Names and strings come from the files: escape control characters (a tensor name holding a
        // terminal escape sequence must not reach the terminal raw); JSON escapes them itself.
        print(json ? report.json : safeForTerminal(report.text(listingEveryTensor: all), lineLimit: .max, maximumLines: .max), terminator: "")
        // The report describes the folder even when it would not run; the exit status says whether it would.
        do {
            try TransformerModel.checkLoadable(report.parameters, in: folder.weights, config: folder.config)
        } catch let error as ModelLoadingError {
            throw CommandFailure(message: "\(path) would not load: \(error)")
        }
    }
}

extension InspectCommand {
    /// A folder from `lab quantize`: loaded whole (every plane and scale checked, as any command
    /// would), then its configuration and the weights' size in a few lines, or one JSON object.
    static func describeQuantized(_ folder: ModelFolder, path: String, json: Bool) throws {
        let model = try loadModelFolder(path: path, requireTokenizer: false).model
        let config = model.config
        let fileBytes = folder.weights.files.reduce(0) { total, file in
            total + (((try? FileManager.default.attributesOfItem(atPath: file.url.path))?[.size] as? NSNumber)?.intValue ?? 0)
        }
        if json {
            print(jsonLine([("architecture", .string(config.architecture.rawValue)), ("quantize", .string("q8")),
                            ("width", .integer(config.width)), ("layers", .integer(config.layers)),
                            ("vocab_size", .integer(config.vocabularySize)),
                            ("quantized_matrices", .integer(model.quantizedMatrices.count)),
                            ("float32_tensors", .integer(model.parameters.count)),
                            ("weight_bytes", .integer(model.weightBytes)), ("file_bytes", .integer(fileBytes))]))
            return
        }
        print(safeForTerminal(path) + ": a quantized folder (" + QuantizedFolder.descriptorFileName
              + ": Q8_0, blocks of \(Q8Matrix.blockSize) int8 weights sharing one float16 scale)")
        print("  \(config.architecture.rawValue), C \(config.width), \(config.layers) layers, V \(config.vocabularySize)")
        print("  \(model.quantizedMatrices.count) matrices in int8 blocks, \(model.parameters.count) float32 tensors (norms, biases, positions)")
        print("  weights: \(formatBytes(model.weightBytes)) in memory, \(formatBytes(fileBytes)) in \(QuantizedFolder.weightsFileName); every plane and scale checked")
    }
}

/// Opens the model folder at `path` (config, mapped weights, tokenizer) without building the model.
/// - Throws: `CommandFailure` when there is no such folder; otherwise the kernel's errors, which
///   name the file and the field (`ModelConfigError`, `SafetensorsError`, `TokenizerError`).
func openModelFolder(path: String, requireTokenizer: Bool = true) throws -> ModelFolder {
    try checkFolderExists(path)
    return try ModelFolder(contentsOf: URL(fileURLWithPath: path), requireTokenizer: requireTokenizer)
}

/// Loads the model folder at `path` for a `lab` command.
/// - Throws: `CommandFailure` when there is no such folder; otherwise the kernel's errors, which
///   name the file and the field (`ModelConfigError`, `SafetensorsError`, `ModelLoadingError`, …).
func loadModelFolder(path: String, requireTokenizer: Bool = true) throws -> LoadedModel {
    try checkFolderExists(path)
    do {
        return try loadModel(folder: URL(fileURLWithPath: path), requireTokenizer: requireTokenizer)
    } catch let error as ModelLoadingError {
        // The kernel's message names the tensor; add which folder it was looked for in.
        throw CommandFailure(message: "\(path): \(error)")
    }
}

/// `model` with the PEFT LoRA adapter in `path` folded into its weights in memory (the files on
/// disk stay as they are): what `--adapter DIR` of generate and logits runs.
func applyingAdapter(path: String?, to model: TransformerModel, modelFolder: String? = nil) throws -> TransformerModel {
    guard let path else { return model }
    guard !model.isQuantized else {
        throw CommandFailure(message: "--adapter: the model is quantized (int8 weights); apply the adapter to the float model "
            + "(lab quantize MODEL --adapter DIR folds it in before quantizing)")
    }
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
        throw CommandFailure(message: "--adapter \(path): no adapter folder there (it should hold adapter_config.json and adapter_model.safetensors)")
    }
    do {
        let folder = URL(fileURLWithPath: path)
        let adapter = try PEFTAdapter.load(folder: folder, for: model.config)
        // The shapes fit; a base of another name is worth a note (it may be a copy, or a different model).
        if let base = try PEFTAdapter.readSettings(folder: folder).baseModel, let modelFolder,
           URL(fileURLWithPath: base).lastPathComponent != URL(fileURLWithPath: modelFolder).standardizedFileURL.lastPathComponent {
            printError("note: the adapter in \(printable(path, limit: 80)) was trained on \(printable(base, limit: 80)); "
                       + "its shapes fit \(printable(modelFolder, limit: 80)), so it is applied")
        }
        return adapter.merged(into: model)
    } catch {
        throw CommandFailure(message: "--adapter \(error)")
    }
}

/// Says on standard error that a folder's tokenizer files were left out, and why.
func warnAboutTokenizer(_ folder: ModelFolder, command: String) {
    guard let problem = folder.tokenizerProblem else { return }
    printError(safeForTerminal("lab \(command): note: the tokenizer files were not used (\(problem)); working on token ids only"))
}

private func checkFolderExists(_ path: String) throws {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
        throw CommandFailure(message: "no model folder at \(path): no such file or folder")
    }
    guard isFolder.boolValue else {
        throw CommandFailure(message: "\(path) is a file; give the model folder that holds config.json and the weights")
    }
}

/// Everything `lab inspect` shows about a loaded model folder.
struct ModelReport {
    /// One tensor of the checkpoint as stored on disk.
    struct StoredTensor {
        let name: String
        let shape: [Int]
        let dtype: String
    }

    let folder: ModelFolder
    /// The model's parameters, checked against the headers.
    let parameters: [StoredParameter]
    /// Parameters of the model by group, in display order; tied LM heads are counted once.
    let groups: [(name: String, count: Int)]
    let tensors: [StoredTensor]
    /// Tensors in the files that the model does not use (e.g. GPT-2's `attn.bias` mask buffers,
    /// or the `lm_head.weight` copy some tied checkpoints store).
    let unused: [String]
    let files: [(name: String, bytes: Int)]

    static let groupNames = ["embeddings", "attention", "MLP", "norms", "other"]

    /// Checks the folder's tensors against its config (headers only; no weight is read).
    /// - Throws: `CommandFailure` naming the folder and the missing or misshapen tensor.
    init(_ folder: ModelFolder, path: String) throws {
        self.folder = folder
        let checkpoint = folder.weights
        do {
            parameters = try TransformerModel.storedParameters(in: checkpoint, config: folder.config)
        } catch let error as ModelLoadingError {
            throw CommandFailure(message: "\(path): \(error)")
        }
        var counts = [Int](repeating: 0, count: Self.groupNames.count)
        for parameter in parameters { counts[Self.group(of: parameter.name)] += parameter.shape.reduce(1, *) }
        groups = zip(Self.groupNames, counts).filter { $0.0 != "other" || $0.1 > 0 }.map { ($0.0, $0.1) }
        tensors = try checkpoint.names.map { name in
            let info = try checkpoint.info(name)
            return StoredTensor(name: name, shape: info.shape, dtype: info.dtype.rawValue)
        }
        // A tied model ignores a stored lm_head.weight; it is listed here too.
        let used = Set(parameters.map(\.storedName))
        unused = checkpoint.names.filter { !used.contains($0) }
        files = try checkpoint.files.map { file in
            let attributes = try FileManager.default.attributesOfItem(atPath: file.url.path)
            return (file.url.lastPathComponent, (attributes[.size] as? NSNumber)?.intValue ?? 0)
        }
    }

    /// The group index of a parameter by its Hugging Face name.
    static func group(of name: String) -> Int {
        if ["wte.", "wpe.", "embed_tokens.", "lm_head."].contains(where: name.contains) { return 0 }
        if name.contains("ln_") || name.contains("norm") { return 3 }
        if name.contains("attn") { return 1 }
        if name.contains("mlp") { return 2 }
        return 4
    }

    var totalParameters: Int { groups.reduce(0) { $0 + $1.count } }

    /// Where the model has biases, from its parameters: "attention, MLP, norms" or "none".
    var biasGroups: [String] {
        let groupsWithBias = Set(parameters.map(\.name).filter { $0.hasSuffix(".bias") }.map(Self.group(of:)))
        return groupsWithBias.sorted().map { Self.groupNames[$0] }
    }

    /// Each dtype on disk with its number of tensors, most common first.
    var dtypes: [(dtype: String, tensors: Int)] {
        var counts: [String: Int] = [:]
        for tensor in tensors { counts[tensor.dtype, default: 0] += 1 }
        return counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ($0.key, $0.value) }
    }

    var tokenizerKind: String? {
        guard folder.tokenizer != nil else { return nil }
        let hasJSON = FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("tokenizer.json").path)
        return hasJSON ? "byte-level BPE (tokenizer.json)" : "byte-level BPE (vocab.json + merges.txt)"
    }

    // MARK: - Condensing by layer

    /// One line of the tensor table: a name, or a name pattern with `{0..11}` in place of the layer number.
    struct TensorLine {
        var name: String
        let shape: [Int]
        let dtype: String
        var count: Int
    }

    /// Tensors that differ only in their first numeric name component (the layer) and have the
    /// same shape and dtype, as one line each, in the order they first appear.
    static func condensed(_ tensors: [StoredTensor]) -> [TensorLine] {
        var order: [String] = []
        var members: [String: (tensor: StoredTensor, pattern: [String], layers: [Int])] = [:]
        for tensor in tensors {
            var parts = tensor.name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard let index = parts.firstIndex(where: { !$0.isEmpty && $0.allSatisfy(\.isNumber) }), let layer = Int(parts[index]) else {
                order.append(tensor.name)
                members[tensor.name] = (tensor, [tensor.name], [])
                continue
            }
            parts[index] = "{}"
            let key = parts.joined(separator: ".") + " " + tensor.shape.shapeDescription + " " + tensor.dtype
            if members[key] == nil {
                order.append(key)
                members[key] = (tensor, parts, [])
            }
            members[key]!.layers.append(layer)
        }
        return order.map { key in
            let (tensor, pattern, layers) = members[key]!
            guard layers.count > 1 else { return TensorLine(name: tensor.name, shape: tensor.shape, dtype: tensor.dtype, count: 1) }
            let sorted = layers.sorted()
            let contiguous = sorted.last! - sorted.first! + 1 == sorted.count
            let range = contiguous ? "{\(sorted.first!)..\(sorted.last!)}" : "{" + sorted.map(String.init).joined(separator: ",") + "}"
            return TensorLine(name: pattern.map { $0 == "{}" ? range : $0 }.joined(separator: "."), shape: tensor.shape,
                              dtype: tensor.dtype, count: layers.count)
        }
    }

    // MARK: - Text

    func text(listingEveryTensor: Bool) -> String {
        let c = folder.config
        var out = "Model folder \(folder.url.path)\n\n"
        let family = c.architecture.isLlamaFamily ? "RoPE, RMSNorm, SwiGLU MLP" : "learned positions, LayerNorm, GELU MLP"
        let grouping = c.kvHeads == c.heads ? "" : ", grouped-query: \(c.heads / c.kvHeads) query heads per key/value head"
        let rows: [(String, String)] = [
            ("architecture", "\(c.architecture.rawValue) (\(family))"),
            ("width C", "\(c.width)"),
            ("layers", "\(c.layers)"),
            ("heads H", "\(c.heads) (key/value heads \(c.kvHeads)\(grouping))"),
            ("head size D", "\(c.headSize)"),
            ("feed-forward F", "\(c.feedForwardWidth) (\(c.activation.rawValue))"),
            ("vocabulary V", "\(c.vocabularySize)"),
            ("context", "\(c.contextLength) positions"),
            ("RoPE theta", c.architecture.isLlamaFamily ? "\(c.ropeTheta)" + (c.ropeScaling.map { ", scaling \($0.type) ×\($0.factor)" } ?? "") : "- (learned positions)"),
            ("tied embeddings", c.tiedEmbeddings ? "yes (the LM head is the token embedding)" : "no (separate lm_head.weight)"),
            ("biases", biasGroups.isEmpty ? "none" : biasGroups.joined(separator: ", ")),
            ("norm epsilon", "\(c.normEpsilon)"),
        ]
        for (label, value) in rows { out += pad(label, 17) + value + "\n" }

        let total = totalParameters
        out += "\nParameters: \(grouped(total)) (\(formatMillions(total)))\n"
        for (name, count) in groups {
            let share = total == 0 ? 0 : 100 * Double(count) / Double(total)
            out += "  " + pad(name, 12) + leftPad(grouped(count), 16) + leftPad(formatFixed(share, decimals: 1) + "%", 8) + "\n"
        }

        let bytes = files.reduce(0) { $0 + $1.bytes }
        let dtypeText = dtypes.map { "\($0.dtype) (\($0.tensors) tensor\($0.tensors == 1 ? "" : "s"))" }.joined(separator: ", ")
        let fileText = files.count == 1 ? files[0].name : "\(files.count) shards"
        out += "\nWeights on disk: \(dtypeText); \(formatBytes(bytes)) in \(fileText)\n"
        if !unused.isEmpty {
            out += "  \(unused.count) tensor\(unused.count == 1 ? "" : "s") not used by the model: "
                + unused.prefix(3).joined(separator: ", ") + (unused.count > 3 ? ", …" : "") + "\n"
        }

        let lines = listingEveryTensor
            ? tensors.map { TensorLine(name: $0.name, shape: $0.shape, dtype: $0.dtype, count: 1) }
            : Self.condensed(tensors)
        let condensedNote = lines.count < tensors.count ? " in \(lines.count) lines; `--all` lists each" : ""
        out += "\nTensors (\(tensors.count)\(condensedNote)):\n"
        let nameWidth = min(64, (lines.map(\.name.count).max() ?? 0) + 2)
        let shapeWidth = (lines.map { $0.shape.shapeDescription.count }.max() ?? 0) + 2
        for line in lines {
            out += "  " + pad(line.name, nameWidth) + pad(line.shape.shapeDescription, shapeWidth) + line.dtype + "\n"
        }

        out += "\nTokenizer: "
        if let tokenizer = folder.tokenizer, let kind = tokenizerKind {
            out += "\(kind), \(tokenizer.vocabularySize) tokens, \(tokenizer.merges.count) merges\n"
            let specials = tokenizer.specialTokens.sorted { $0.value < $1.value }
            out += "  special tokens: " + (specials.isEmpty ? "none" : specials.prefix(8).map { "\($0.key) = \($0.value)" }
                .joined(separator: ", ") + (specials.count > 8 ? ", … (\(specials.count) in all)" : "")) + "\n"
            let (before, after) = tokenizer.sequenceTemplate
            if !(before + after).isEmpty {
                func names(_ ids: [Int]) -> String { ids.map { String(decoding: tokenizer.tokens[$0], as: UTF8.self) }.joined(separator: " ") }
                out += "  added around a text prompt: " + [before.isEmpty ? nil : names(before) + " before",
                                                           after.isEmpty ? nil : names(after) + " after"]
                    .compactMap { $0 }.joined(separator: ", ") + " (tokenizer.json's post_processor)\n"
            }
        } else if let problem = folder.tokenizerProblem {
            out += "not usable by the kit (\(problem)); commands take token ids\n"
        } else {
            out += "none (no tokenizer.json or vocab.json + merges.txt); commands take token ids\n"
        }
        return out
    }

    // MARK: - JSON

    var json: String {
        let c = folder.config
        func list(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
        func object(_ fields: [(String, String)]) -> String {
            "{" + fields.map { jsonStringLiteral($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
        }
        let config = object([
            ("architecture", jsonStringLiteral(c.architecture.rawValue)), ("width", "\(c.width)"), ("layers", "\(c.layers)"),
            ("heads", "\(c.heads)"), ("kv_heads", "\(c.kvHeads)"), ("head_size", "\(c.headSize)"),
            ("feed_forward_width", "\(c.feedForwardWidth)"), ("activation", jsonStringLiteral(c.activation.rawValue)),
            ("vocab_size", "\(c.vocabularySize)"), ("context_length", "\(c.contextLength)"),
            ("rope_theta", c.architecture.isLlamaFamily ? "\(c.ropeTheta)" : "null"),
            ("tied_embeddings", "\(c.tiedEmbeddings)"), ("biases", list(biasGroups.map(jsonStringLiteral))),
            ("norm_epsilon", "\(c.normEpsilon)"),
        ])
        let parameters = object([("total", "\(totalParameters)")] + groups.map { ($0.name.lowercased(), "\($0.count)") })
        let weights = object([
            ("files", list(files.map { object([("name", jsonStringLiteral($0.name)), ("bytes", "\($0.bytes)")]) })),
            ("bytes", "\(files.reduce(0) { $0 + $1.bytes })"),
            ("dtypes", object(dtypes.map { ($0.dtype, "\($0.tensors)") })),
            ("unused_tensors", list(unused.map(jsonStringLiteral))),
        ])
        let tensorList = list(tensors.map {
            object([("name", jsonStringLiteral($0.name)), ("shape", list($0.shape.map(String.init))),
                    ("dtype", jsonStringLiteral($0.dtype))])
        })
        var tokenizerText = "null"
        if let tokenizer = folder.tokenizer, let kind = tokenizerKind {
            tokenizerText = object([
                ("kind", jsonStringLiteral(kind)), ("vocab_size", "\(tokenizer.vocabularySize)"),
                ("merges", "\(tokenizer.merges.count)"),
                ("special_tokens", object(tokenizer.specialTokens.sorted { $0.value < $1.value }.map { ($0.key, "\($0.value)") })),
                ("ids_before_text", list(tokenizer.sequenceTemplate.before.map(String.init))),
                ("ids_after_text", list(tokenizer.sequenceTemplate.after.map(String.init))),
            ])
        }
        return object([("folder", jsonStringLiteral(folder.url.path)), ("config", config), ("parameters", parameters),
                       ("weights", weights), ("tensors", tensorList), ("tokenizer", tokenizerText)]) + "\n"
    }
}

// MARK: - Formatting

/// 124.4M, 15.2M, 0.012M: a parameter count in millions.
private func formatMillions(_ count: Int) -> String {
    formatFigure(Double(count) / 1e6) + "M"
}

private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

private func leftPad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}
