// Cell: a real model from the Hub. With `--model DIR` (GPT-2 from openai-community/gpt2, a Llama
// such as HuggingFaceTB/SmolLM2-135M, or a Qwen2), the lesson counts its parameters, runs its own
// model and the kernel's on a prompt and compares them layer by layer, and shows the next-token
// predictions and a greedy continuation. Without a usable tokenizer it works on token ids.
// Without `--model`, the cell does the same on the kit's own trained model (models/lab-stories-4m,
// when it is there) and says what to download.
//
// Loading the folder is Checkpoints.swift's `DownloadedModel`; the README lists the files.
// Left out: sampling (lesson 05) and chat templates.

import Foundation
import LabKernel
import LabNotebook

/// Commands that download a model's files into a folder named after it, for the prose and the README.
let downloadCommands = """
    mkdir gpt2 && cd gpt2
    for f in config.json model.safetensors tokenizer.json; do
      curl -LO https://huggingface.co/openai-community/gpt2/resolve/main/$f
    done
    cd .. && swift run transformer --model gpt2
    """

extension TransformerLesson {
    func realModel() {
        if let downloaded {
            show(downloaded, name: downloaded.folder, prompt: "The capital of France is")
            return
        }
        if let folder = KitModel.folder, let kit = try? DownloadedModel(folder: folder.path) {
            notebook.prose("""
                Without --model, the cell loads the kit's own trained model from its folder, \
                models/\(KitModel.name) (trained by `lab train` on the kit's stories; its README \
                is the model card), exactly as it would load a download:
                """)
            show(kit, name: "models/\(KitModel.name)", prompt: "Once upon a time, there was a")
        }
        notebook.prose("""
            The same code runs real checkpoints from the Hub: download a model's config.json, \
            model.safetensors and tokenizer.json into a folder and pass it with --model. GPT-2 \
            (openai-community/gpt2, 550 MB) and SmolLM2-135M (HuggingFaceTB/SmolLM2-135M, 270 MB) \
            both work; the README lists the files. For GPT-2:
            """)
        notebook.code(downloadCommands)
    }

    /// The cell's steps on one model folder (called `name` in the text), continuing `text` when
    /// the folder has a tokenizer.
    private func show(_ downloaded: DownloadedModel, name: String, prompt text: String) {
        let model = downloaded.model
        let config = model.config
        notebook.prose("""
            The model in \(name): \(config.architecture.rawValue), \(config.layers) blocks of width \
            \(config.width), \(config.heads) query heads and \(config.kvHeads) key/value heads of size \
            \(config.headSize), MLP width \(config.feedForwardWidth), vocabulary \(withSeparators(config.vocabularySize)).
            """)
        let counted = countedParameters(model)
        notebook.check(ParameterCount(config: config).total == counted,
                       "its \(withSeparators(counted)) parameters are exactly what the formulas of cell 2 give for its config")

        // The prompt: text if the tokenizer works, else a few token ids.
        let prompt: [Int]
        if let tokenizer = downloaded.tokenizer {
            prompt = Array(tokenizer.encode(text).prefix(config.contextLength - 1))
            notebook.values([("prompt", "\"\(text)\""), ("token ids", prompt.map(String.init).joined(separator: ", "))])
        } else {
            prompt = (0..<min(6, config.contextLength - 1)).map { ($0 * 37 + 11) % config.vocabularySize }
            notebook.prose(downloaded.tokenizerProblem.map {
                "The folder's tokenizer could not be loaded (\($0)), so the lesson works on token ids instead of text."
            } ?? "The folder has no tokenizer (tokenizer.json, or vocab.json + merges.txt), so the lesson works on token ids.")
            notebook.values([("token ids", prompt.map(String.init).joined(separator: ", "))])
        }

        let lesson = LessonTransformer(config: config, weights: model.parameters)
        let layers = compareLayers(lesson.forward(tokens: prompt), reference: model.hiddenStates(tokens: prompt))
        notebook.table(layerTable(layers))
        notebook.check(firstDivergingLayer(layers) == nil,
                       "the lesson's model and the kernel's agree at every layer on this checkpoint (within 1e-4 of the numbers' size)")

        let logits = model.forward(tokens: prompt)  // (T, V)
        let last = softmax(logits.row(prompt.count - 1).reshaped([1, -1])).scalars
        let top = last.indices.sorted { last[$0] > last[$1] }.prefix(5)
        var table = Table(["next token", "id", "probability"])
        for id in top { table.append([shown(id, downloaded.tokenizer), String(id), formatFixed(last[id] * 100, decimals: 1) + " %"]) }
        notebook.prose("The most likely next tokens:")
        notebook.table(table)
        let count = min(notebook.quick ? 6 : 16, config.contextLength - prompt.count)
        guard count > 0 else { return }
        let continuation = model.greedyContinuation(of: prompt, count: count)
        notebook.values([("greedy continuation", continuation.map { shown($0, downloaded.tokenizer) }.joined(separator: " "))])
    }

    /// A token as text in quotes when there is a tokenizer (line breaks as ↵, bytes that are not
    /// a whole UTF-8 character in hex, like <E2>), else its id.
    private func shown(_ id: Int, _ tokenizer: BPETokenizer?) -> String {
        guard let tokenizer, let bytes = try? tokenizer.decodeBytes([id]) else { return "#\(id)" }
        guard let text = String(validating: bytes, as: UTF8.self), !text.unicodeScalars.contains(where: {
            $0.properties.generalCategory == .control && $0 != "\n"
        }) else {
            return bytes.map { "<" + String($0, radix: 16, uppercase: true) + ">" }.joined()
        }
        return "\"" + text.replacingOccurrences(of: "\n", with: "↵") + "\""
    }
}
