// `lab logits MODEL_DIR --ids 1,2,3`: run a model on token ids and print what it predicts.
//
// Scope: one forward pass over the ids from position 0 (TransformerModel.forward), then either
// the five most likely next tokens at every position (id, logit, and the token's text when the
// folder has a tokenizer), or with `--json` every logit as `{"logits": [[…V…], …T…]}` for
// scripts that compare the kit with another implementation. JSON numbers are Swift's shortest
// representation of each Float (`Float.description`), which reads back as exactly the same Float.
// Token ids are the input, so a folder without tokenizer files works.
// Left out: text input (`lab tokenize` turns text into ids), batches, and sampling.

import Foundation
import LabKernel

enum LogitsCommand {
    static let usage = """
        usage: lab logits MODEL_DIR --ids 1,2,3 [--adapter DIR] [--quantize q8] [--json]

        Runs the model in MODEL_DIR (config.json + safetensors weights) on the token ids and
        prints, at every position, the five tokens it finds most likely to come next. A
        tokenizer in the folder is used only to show the tokens' text.

        options:
          --ids 1,2,3   the token ids, separated by commas (each below the vocabulary size V,
                        at most the context length of them)
          --top N       how many tokens to show per position (default: 5)
          --adapter DIR a PEFT LoRA adapter folder (adapter_config.json, adapter_model.safetensors)
                        for this model, applied in memory
          --quantize q8 run with the weight matrices in int8 blocks (Q8_0), quantized on loading
          --json        every logit instead: {"logits": [[...V numbers...], ...one list per position...]},
                        each number the shortest text that reads back as the same Float
          --help        show this help
        """

    static func run(_ arguments: [String]) throws {
        var arguments = Arguments(arguments, command: "logits")
        if arguments.flag("--help", "-h") {
            print(usage)
            return
        }
        let json = arguments.flag("--json")
        let idsText = try arguments.value("--ids")
        let adapterPath = try arguments.value("--adapter")
        let quantize = try quantizeOption(&arguments, command: "logits")
        let top = try arguments.value("--top").map { text -> Int in
            guard let count = Int(text), count > 0 else {
                throw UsageError(message: "--top expects a positive whole number, got '\(text)'", command: "logits")
            }
            return count
        }
        guard let path = arguments.positional() else {
            throw UsageError(message: "which model? e.g. lab logits models/gpt2 --ids 1,2,3", command: "logits")
        }
        try arguments.finish()
        guard let idsText else {
            throw UsageError(message: "give the token ids with --ids, e.g. --ids 1,2,3 (`lab tokenize` makes them from text)",
                             command: "logits")
        }
        let ids = try parseTokenIDs(idsText, option: "--ids", command: "logits")

        let loaded = try loadModelFolder(path: path, requireTokenizer: false)  // ids in, ids out
        warnAboutTokenizer(loaded.folder, command: "logits")
        let config = loaded.model.config
        if let bad = ids.first(where: { $0 >= config.vocabularySize }) {
            throw UsageError(message: "token id \(bad) is out of range: this model's vocabulary has \(config.vocabularySize) "
                + "tokens (ids 0...\(config.vocabularySize - 1))", command: "logits")
        }
        guard ids.count <= config.contextLength else {
            throw UsageError(message: "\(ids.count) ids are more than this model's context length of \(config.contextLength)",
                             command: "logits")
        }

        try MemoryBudget.checkForward(config, tokens: ids.count, option: "--ids")
        let model = try quantizing(try applyingAdapter(path: adapterPath, to: loaded.model, modelFolder: path), quantize)
        let logits = model.forward(tokens: ids)  // (T, V)
        if !logits.allFinite, let broken = model.firstNonFiniteState(tokens: ids) {
            throw CommandFailure(message: GenerationError.nonFiniteLogits(position: broken.position, layer: broken.layer).description)
        }
        var output = OutputBuffer()
        if json {
            writeJSON(logits, to: &output)
        } else {
            writeTopTokens(logits, ids: ids, count: min(top ?? 5, config.vocabularySize), tokenizer: loaded.tokenizer,
                           to: &output)
        }
        output.flush()
    }

    /// `{"logits": [[…], …]}`: one list of V numbers per position, on one line each.
    static func writeJSON(_ logits: Tensor, to output: inout OutputBuffer) {
        let (positions, vocabulary) = (logits.shape[0], logits.shape[1])
        output.write("{\"logits\": [\n")
        logits.withUnsafeBufferPointer { values in
            for t in 0..<positions {
                var line = "["
                for v in 0..<vocabulary {
                    let value = values[t * vocabulary + v]
                    if v > 0 { line += ", " }
                    // JSON has no NaN or infinity: null marks a broken logit instead of a parse error.
                    line += value.isFinite ? value.description : "null"
                }
                output.write(line + (t + 1 < positions ? "],\n" : "]\n"))
            }
        }
        output.write("]}\n")
    }

    /// Per position: the input token, then the `count` highest logits with their ids (and text).
    static func writeTopTokens(_ logits: Tensor, ids: [Int], count: Int, tokenizer: BPETokenizer?,
                               to output: inout OutputBuffer) {
        func text(_ id: Int) -> String {
            guard let tokenizer, id < tokenizer.vocabularySize else { return "" }
            return " \"" + TokenPrinter.visibleText(tokenizer.tokens[id]) + "\""
        }
        let vocabulary = logits.shape[1]
        output.write("Top \(count) next tokens at each of \(ids.count) positions (logits; higher is more likely)\n")
        for (t, id) in ids.enumerated() {
            output.write("\nposition \(t), token \(id)\(text(id)):\n")
            let row = Array(logits.scalars[(t * vocabulary)..<((t + 1) * vocabulary)])
            // A partial selection would do; sorting V indices is fast enough for one command.
            let best = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }.prefix(count)
            for candidate in best {
                let idText = String(candidate)
                output.write("  " + String(repeating: " ", count: max(0, 7 - idText.count)) + idText
                             + "  " + formatFixed(Double(row[candidate]), decimals: 4) + text(candidate) + "\n")
            }
        }
    }
}
