// ModelConfig+Folder: a Hugging Face model folder opened with one call.
//
// A folder downloaded from the Hub (or written by `save_pretrained`) holds `config.json`, the
// weights (`model.safetensors`, or shards with `model.safetensors.index.json`) and usually a
// tokenizer (`tokenizer.json`, or GPT-2's older pair `vocab.json` + `merges.txt`).
// `ModelFolder(contentsOf:)` reads the configuration, opens the weights (memory-mapped; no tensor
// is read until asked for) and loads the tokenizer if there is one, so a lesson or the `lab` tool
// needs one line to get everything a model is built from. Left out: building the model itself
// (the model code maps the checkpoint's tensor names onto its layers) and SentencePiece
// `tokenizer.model` files, which the kit does not read.

import Foundation

/// Everything in a Hugging Face model folder: configuration, weights and tokenizer.
///
///     let folder = try ModelFolder(contentsOf: URL(fileURLWithPath: "models/gpt2"))
///     folder.config.width                                  // 768
///     let wte = try folder.weights.tensor("transformer.wte.weight")
///     let ids = folder.tokenizer?.encode("Hello")
public struct ModelFolder: Sendable {
    /// The folder.
    public let url: URL
    /// `config.json`, parsed.
    public let config: TransformerConfig
    /// The weights, one file or shards.
    public let weights: SafetensorsCheckpoint
    /// The tokenizer from `tokenizer.json` (preferred) or `vocab.json` + `merges.txt`; nil if the
    /// folder has neither.
    public let tokenizer: BPETokenizer?

    /// Opens `folder`: reads config.json, maps the weights, loads the tokenizer if present.
    /// - Throws: `ModelConfigError`, `SafetensorsError` or `TokenizerError`, each naming the file.
    public init(contentsOf folder: URL) throws {
        url = folder
        let files = FileManager.default
        let configURL = folder.appendingPathComponent("config.json")
        guard files.fileExists(atPath: configURL.path) else {
            throw ModelConfigError("\(folder.lastPathComponent): no config.json in \(folder.path); "
                + "a Hugging Face model folder has config.json beside its weights")
        }
        config = try TransformerConfig(contentsOf: configURL)
        weights = try SafetensorsCheckpoint(folder: folder)
        let tokenizerJSON = folder.appendingPathComponent("tokenizer.json")
        let vocabulary = folder.appendingPathComponent("vocab.json")
        let merges = folder.appendingPathComponent("merges.txt")
        if files.fileExists(atPath: tokenizerJSON.path) {
            tokenizer = try BPETokenizer.load(tokenizerJSON: tokenizerJSON)
        } else if files.fileExists(atPath: vocabulary.path), files.fileExists(atPath: merges.path) {
            // GPT-2's pair of files; its one special token is <|endoftext|>.
            tokenizer = try BPETokenizer.loadGPT2(vocabulary: vocabulary, merges: merges)
        } else {
            tokenizer = nil
        }
        if let tokenizer, tokenizer.vocabularySize > config.vocabularySize {
            throw ModelConfigError("\(folder.lastPathComponent): the tokenizer has \(tokenizer.vocabularySize) tokens, "
                + "more than config.json's vocab_size \(config.vocabularySize); the files do not belong together")
        }
    }
}
