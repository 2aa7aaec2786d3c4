// Building a model from a Hugging Face model folder in one call.
//
// `ModelFolder` (Formats/ModelConfig+Folder.swift) reads config.json, opens the safetensors
// weights (single file or shards, memory-mapped) and the tokenizer; this file maps the
// checkpoint's tensors onto the model by their Hugging Face names (WeightNames.swift), reading
// only the tensors the model uses. F16/BF16 tensors are converted to Float by the reader.
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
/// tokenizer if any.
///
///     let loaded = try loadModel(folder: URL(fileURLWithPath: "models/gpt2"))
///     let logits = loaded.model.forward(tokens: loaded.tokenizer!.encode("Hello"))  // (T, V)
///
/// - Throws: the folder's errors (`ModelConfigError`, `SafetensorsError`, `TokenizerError`, each
///   naming the file), or `ModelLoadingError` naming a missing tensor or a shape that does not
///   match the config.
public func loadModel(folder url: URL) throws -> LoadedModel {
    let folder = try ModelFolder(contentsOf: url)
    let model = try TransformerModel(config: folder.config, checkpoint: folder.weights)
    return LoadedModel(model: model, tokenizer: folder.tokenizer, folder: folder)
}

extension TransformerModel {
    /// Loads the parameters `config` calls for from a safetensors checkpoint (names with or
    /// without the `transformer.` / `model.` prefix).
    public init(config: TransformerConfig, checkpoint: SafetensorsCheckpoint) throws {
        try self.init(config: config) { name in
            checkpoint.contains(name) ? try checkpoint.tensor(name) : nil
        }
    }
}
