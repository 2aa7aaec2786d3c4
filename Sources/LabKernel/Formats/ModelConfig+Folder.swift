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
    /// folder has neither (or, when opened with `requireTokenizer: false`, if they could not be used).
    public let tokenizer: BPETokenizer?
    /// Why the folder's tokenizer files could not be used, when it was opened with
    /// `requireTokenizer: false`; nil when they loaded or there are none.
    public let tokenizerProblem: String?

    /// Opens `folder`: reads config.json, maps the weights, loads the tokenizer if present.
    ///
    /// With `requireTokenizer: false`, tokenizer files the kit cannot use (a normalizer or
    /// pre-tokenizer it does not implement, a broken file) leave `tokenizer` nil and say why in
    /// `tokenizerProblem` instead of failing: work on token ids needs no tokenizer.
    /// - Throws: `ModelConfigError`, `SafetensorsError` or `TokenizerError`, each naming the file.
    public init(contentsOf folder: URL, requireTokenizer: Bool = true) throws {
        url = folder
        let files = FileManager.default
        let configURL = folder.appendingPathComponent("config.json")
        guard files.fileExists(atPath: configURL.path) else {
            throw ModelConfigError("\(folder.lastPathComponent): no config.json in \(folder.path); "
                + "a Hugging Face model folder has config.json beside its weights")
        }
        config = try TransformerConfig(contentsOf: configURL)
        if QuantizedFolder.isQuantized(folder) {  // lab quantize's folder: its own weights file (QuantizedFolder.swift)
            let file = folder.appendingPathComponent(QuantizedFolder.weightsFileName)
            guard files.fileExists(atPath: file.path) else {
                throw ModelConfigError("\(folder.lastPathComponent): \(QuantizedFolder.descriptorFileName) is there but "
                    + "\(QuantizedFolder.weightsFileName) is not; a quantized folder holds both")
            }
            weights = try SafetensorsCheckpoint(file: file)
        } else {
            weights = try SafetensorsCheckpoint(folder: folder)
        }
        let tokenizerJSON = folder.appendingPathComponent("tokenizer.json")
        let vocabulary = folder.appendingPathComponent("vocab.json")
        let merges = folder.appendingPathComponent("merges.txt")
        let vocabularySize = config.vocabularySize
        func loadTokenizer() throws -> BPETokenizer? {
            let loaded: BPETokenizer?
            if files.fileExists(atPath: tokenizerJSON.path) {
                loaded = try BPETokenizer.load(tokenizerJSON: tokenizerJSON)
            } else if files.fileExists(atPath: vocabulary.path), files.fileExists(atPath: merges.path) {
                // GPT-2's pair of files; its one special token is <|endoftext|>.
                loaded = try BPETokenizer.loadGPT2(vocabulary: vocabulary, merges: merges)
            } else {
                loaded = nil
            }
            if let loaded, loaded.vocabularySize > vocabularySize {
                throw ModelConfigError("\(folder.lastPathComponent): the tokenizer has \(loaded.vocabularySize) tokens, "
                    + "more than config.json's vocab_size \(vocabularySize); the files do not belong together")
            }
            return loaded
        }
        do {
            tokenizer = try loadTokenizer()
            tokenizerProblem = nil
        } catch where !requireTokenizer {
            tokenizer = nil
            tokenizerProblem = "\(error)"
        }
    }
}
