// Building a model from a Hugging Face model folder in one call.
//
// `ModelFolder` (Formats/ModelConfig+Folder.swift) reads config.json, opens the safetensors
// weights (single file or shards, memory-mapped) and the tokenizer; this file maps the
// checkpoint's tensors onto the model by their Hugging Face names (WeightNames.swift), reading
// only the tensors the model uses. F16/BF16 tensors are converted to Float by the reader.
// Names and shapes are checked from the safetensors headers before any tensor is read, so a
// checkpoint that does not fit its config fails at once, and `lab inspect` can check a
// multi-gigabyte folder's names and shapes without reading its weights; `checkLoadable` then
// makes loading's remaining checks (memory, finite values) one tensor at a time.
//
// Left out: `pytorch_model.bin` (pickle) and downloading.

import Foundation

/// A model read from a folder, with its tokenizer when the folder has one.
public struct LoadedModel: Sendable {
    public let model: TransformerModel
    /// Nil when the folder has neither tokenizer.json nor vocab.json + merges.txt.
    public let tokenizer: BPETokenizer?
    /// The folder's configuration, weights and tokenizer as opened.
    public let folder: ModelFolder
}

/// Reads a Hugging Face model folder: config.json, model.safetensors (or shards) and the
/// tokenizer if any, or a quantized folder written by `QuantizedFolder.write` (`lab quantize`) (`requireTokenizer: false`: see `ModelFolder.init(contentsOf:requireTokenizer:)`).
///
///     let loaded = try loadModel(folder: URL(fileURLWithPath: "models/gpt2"))
///     let logits = loaded.model.forward(tokens: loaded.tokenizer!.encode("Hello"))  // (T, V)
///
/// - Throws: the folder's errors (`ModelConfigError`, `SafetensorsError`, `TokenizerError`, each
///   naming the file), `ModelLoadingError` naming a missing tensor or a shape that does not
///   match the config, or `QuantizationError` naming the file of a quantized folder that is not sound.
public func loadModel(folder url: URL, requireTokenizer: Bool = true) throws -> LoadedModel {
    let folder = try ModelFolder(contentsOf: url, requireTokenizer: requireTokenizer)
    let model = QuantizedFolder.isQuantized(url)
        ? try QuantizedFolder.loadModel(folder: url, config: folder.config, weights: folder.weights)
        : try TransformerModel(config: folder.config, checkpoint: folder.weights)
    return LoadedModel(model: model, tokenizer: folder.tokenizer, folder: folder)
}

/// One parameter a model needs, and where a checkpoint stores it.
public struct StoredParameter: Sendable, Equatable {
    /// The full Hugging Face name (`model.layers.0.self_attn.q_proj.weight`).
    public let name: String
    /// The name in the checkpoint: the full name, or the name without the `transformer.` /
    /// `model.` prefix.
    public let storedName: String
    /// The shape the config calls for (and the checkpoint has).
    public let shape: [Int]
}

extension TransformerModel {
    /// Every parameter a model of `config` has, (full name, shape), in checkpoint order; a tied
    /// LM head is the embedding and not listed twice.
    public static func parameterShapes(config: TransformerConfig) -> [(name: String, shape: [Int])] {
        ModelNames(config: config).expectedShapes
    }

    /// Checks from the headers alone (no tensor data is read) that `checkpoint` holds every
    /// parameter `config` calls for, with the right shape.
    /// - Returns: each parameter with its name in the checkpoint, in checkpoint order.
    /// - Throws: `ModelLoadingError` naming the first missing tensor or wrong shape.
    public static func storedParameters(in checkpoint: SafetensorsCheckpoint, config: TransformerConfig) throws
        -> [StoredParameter] {
        let names = ModelNames(config: config)
        return try names.expectedShapes.map { name, shape in
            guard let stored = names.storedName(of: name, exists: checkpoint.contains) else {
                throw ModelLoadingError.missingTensor(name: name)
            }
            let found = try checkpoint.info(stored).shape
            guard found == shape else { throw ModelLoadingError.shapeMismatch(name: name, expected: shape, found: found) }
            return StoredParameter(name: name, storedName: stored, shape: shape)
        }
    }

    /// What loading checks beyond the headers, without building the model: that a model of
    /// `config` fits the memory this process may use, and that every parameter holds finite
    /// values (each tensor is read, converted and scanned one at a time, then dropped, so the
    /// memory needed is that of the largest tensor). `lab inspect` runs it after
    /// `storedParameters`, so a folder it passes is one that loads.
    /// - Throws: `ModelLoadingError.tooLarge` or `.notFinite` naming the tensor, as loading would.
    public static func checkLoadable(_ parameters: [StoredParameter], in checkpoint: SafetensorsCheckpoint,
                                     config: TransformerConfig) throws {
        if let problem = config.memoryProblem() { throw ModelLoadingError.tooLarge(problem) }
        for parameter in parameters {
            if let error = ModelLoadingError.nonFinite(in: try checkpoint.tensor(parameter.storedName), name: parameter.name) {
                throw error
            }
        }
    }

    /// Loads the parameters `config` calls for from a safetensors checkpoint (names with or
    /// without the `transformer.` / `model.` prefix), after checking every name and shape.
    public init(config: TransformerConfig, checkpoint: SafetensorsCheckpoint) throws {
        let stored = try Dictionary(uniqueKeysWithValues: Self.storedParameters(in: checkpoint, config: config)
            .map { ($0.name, $0.storedName) })
        try self.init(config: config) { name in
            try stored[name].map { try checkpoint.tensor($0) }
        }
    }
}
