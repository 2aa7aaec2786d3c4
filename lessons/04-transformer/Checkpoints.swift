// Model folders: the lesson's tiny models, written to a temporary folder in the Hugging Face
// layout and loaded back through the kernel's `loadModel(folder:)`, and a model the user
// downloaded from the Hub (`--model DIR`).
//
// Writing the tiny models instead of keeping them in memory makes the lesson take the same path a
// downloaded model takes: config.json parsed, model.safetensors mapped, every tensor found by
// name and checked against the config's shapes. Left out: downloading (the README says which files
// to fetch) and tokenizers for the tiny models (they read byte values as token ids).

import Foundation
import LabKernel

/// A tiny random model made on the spot, as loaded back from its folder.
struct TinyModel {
    /// "tiny GPT-2" or "tiny Llama".
    let name: String
    /// The config.json the lesson wrote, as text.
    let configJSON: String
    let loaded: LoadedModel
    var config: TransformerConfig { loaded.model.config }
}

extension TinyModel {
    /// GPT-2's architecture at a toy size: V = 256 (one token per byte), T = 64, C = 64, 4 blocks of 4 heads.
    static let gpt2ConfigJSON = """
        {"model_type": "gpt2", "vocab_size": 256, "n_positions": 64, "n_embd": 64, "n_layer": 4, "n_head": 4,
         "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new", "tie_word_embeddings": true}
        """
    /// A Llama at a toy size: 4 query heads sharing 2 key/value heads, F = 172, separate LM head.
    static let llamaConfigJSON = """
        {"model_type": "llama", "vocab_size": 256, "max_position_embeddings": 64, "hidden_size": 64,
         "num_hidden_layers": 4, "num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": 172,
         "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "hidden_act": "silu", "tie_word_embeddings": false}
        """

    /// Writes config.json and model.safetensors of a random model (weights normal(0, 0.1)) into a
    /// new temporary folder, loads the folder with `loadModel(folder:)` and deletes it.
    static func make(name: String, configJSON: String, seed: UInt64) throws -> TinyModel {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("openmodellab-transformer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(configJSON.utf8).write(to: folder.appendingPathComponent("config.json"))
        let config = try TransformerConfig(json: Array(configJSON.utf8))
        let random = TransformerModel.random(config: config, standardDeviation: 0.1, seed: seed)
        try writeSafetensors(random.parameters, metadata: ["format": "pt"], to: folder.appendingPathComponent("model.safetensors"))
        return TinyModel(name: name, configJSON: configJSON, loaded: try loadModel(folder: folder))
    }
}

/// A model folder given with `--model DIR`: a GPT-2 or a Llama-family model from the Hub.
struct DownloadedModel {
    let folder: String
    let model: TransformerModel
    /// Nil when the folder has no tokenizer, or one the kernel cannot read (see `tokenizerProblem`).
    let tokenizer: BPETokenizer?
    /// Why the folder's tokenizer could not be used, if it has one.
    let tokenizerProblem: String?

    /// Loads `folder` with the kernel's `loadModel`. When only the tokenizer fails (e.g. a
    /// tokenizer.json with a pre-tokenizer the kernel does not read yet), loads the model without
    /// it and keeps the reason, so the lesson can still run on token ids.
    ///
    /// - Throws: an error naming the folder or file: no such folder, no config.json, no
    ///   weights, a tensor missing or of the wrong shape.
    init(folder path: String) throws {
        let url = URL(fileURLWithPath: path, isDirectory: true)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ModelConfigError("--model \(path): no such folder. It should hold a Hugging Face model's config.json and "
                + "model.safetensors (see the README's section on lesson 04 for what to download)")
        }
        folder = path
        do {
            let loaded = try loadModel(folder: url)
            model = loaded.model
            tokenizer = loaded.tokenizer
            tokenizerProblem = nil
        } catch let error as TokenizerError {
            // Everything but the tokenizer may be fine: load config and weights on their own.
            let config = try TransformerConfig(contentsOf: url.appendingPathComponent("config.json"))
            model = try TransformerModel(config: config, checkpoint: try SafetensorsCheckpoint(folder: url))
            tokenizer = nil
            tokenizerProblem = error.description
        } catch let error as ModelLoadingError {
            throw ModelConfigError("--model \(path): \(error)")
        }
    }
}
