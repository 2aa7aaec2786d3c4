// Cell: the kit's own trained model (models/lab-stories-4m), its training curve from its
// loss.csv, a story from it, and every model of the lesson measured on the same fresh stories in
// bits per byte, the unit that does not depend on the tokenizer.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LabCorpora
import LabKernel
import LabNotebook

/// The train_loss and validation_loss columns of a `lab train` loss.csv (validation only where
/// it was measured); nil if the file is missing or has no such columns.
func lossHistory(_ url: URL) -> (train: [Float], validation: [Float])? {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
    let lines = text.split(separator: "\n")
    guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false),
          let trainColumn = header.firstIndex(of: "train_loss"),
          let validationColumn = header.firstIndex(of: "validation_loss") else { return nil }
    var train: [Float] = [], validation: [Float] = []
    for line in lines.dropFirst() {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count > max(trainColumn, validationColumn) else { continue }
        if let loss = Float(fields[trainColumn]) { train.append(loss) }
        if let loss = Float(fields[validationColumn]) { validation.append(loss) }
    }
    return train.isEmpty ? nil : (train, validation)
}

extension LanguageModelsLesson {
    func kitModel(_ setup: Setup, counts: BigramCounts, scores: Scores, mlp: ContextMLP, transformer: TransformerModel) {
        guard let folder = KitModel.folder, let kit = KitModel.load(), let kitTokenizer = kit.tokenizer else {
            notebook.prose("""
                The kit's own trained model is not in this copy (models/\(KitModel.name) is \
                missing), so this cell has nothing to show. A fresh clone of the kit has it; \
                `lab train` can make one like it (its README gives the command).
                """)
            return
        }
        let kitParameters = kit.model.parameters.values.reduce(0) { $0 + $1.count }
        let smallParameters = transformer.parameters.values.reduce(0) { $0 + $1.count }
        notebook.prose("""
            The kit ships a model trained by exactly this kind of loop: models/\(KitModel.name), \
            a GPT-2 of 4 blocks, width 256 and a window of 256 tokens \
            (\(grouped(kitParameters)) parameters, \(Int((Double(kitParameters) / Double(smallParameters)).rounded())) \
            times the small transformer's), trained by `lab train` \
            for 4,000 steps (8.2 million tokens) on 20 MB of the same kind of stories, with a \
            tokenizer of \(grouped(kitTokenizer.tokens.count)) tokens (its README has the \
            command, the curve and what it cannot do). Its loss, step by step, from its \
            loss.csv:
            """)
        if let history = lossHistory(folder.appendingPathComponent("loss.csv")) {
            notebook.sparkline("training loss, \(grouped(history.train.count)) steps", history.train, decimals: 3, yLabel: "loss")
            if history.validation.count > 1 { notebook.sparkline("held-out loss, \(history.validation.count) evaluations", history.validation, decimals: 3,
                                                                                 xLabel: "evaluation", yLabel: "loss") }
        }
        let story = try! TextGenerator(model: kit.model, tokenizer: kitTokenizer)
            .generate(prompt: "Once upon a time", sampling: SamplingSettings(temperature: 0.8, seed: 1), stop: StopConditions(maxTokens: 60))
        notebook.labelledTexts([("models/\(KitModel.name): \"Once upon a time\" and 60 tokens (temperature 0.8, seed 1)", "Once upon a time" + story.text)])

        let fresh = generateCorpus(kind: .stories, bytes: sizes.freshBytes, seed: 7)
        let bytes = Double(fresh.utf8.count)
        let ids = setup.tokenizer.encode(fresh)
        let kitIDs = kitTokenizer.encode(fresh)
        notebook.prose("""
            How does it compare with this lesson's models? Their losses are not comparable as \
            they stand: a nat per token means more when tokens are longer, and the kit's \
            tokenizer has \(grouped(kitTokenizer.tokens.count)) tokens where the lesson's has \
            \(grouped(setup.vocabularySize)). The fair unit is bits per byte: the total loss of \
            a text, in bits (nats / ln 2), divided by its bytes. Here every model reads the \
            same \(grouped(Int(bytes))) bytes of fresh stories (seed 7, written by none of the \
            training runs), \(grouped(ids.count)) tokens for the lesson's tokenizer and \
            \(grouped(kitIDs.count)) for the kit's:
            """)
        let rows: [(name: String, parameters: String, tokens: Int, loss: Double, predicted: Int)] = [
            ("bigram counts (k = \(scores.bigramSmoothing))", grouped(setup.vocabularySize * setup.vocabularySize), ids.count,
             bigramLoss(counts, on: ids, smoothing: scores.bigramSmoothing).loss, ids.count - 1),
            ("MLP over three tokens", grouped(mlp.parameterCount), ids.count, mlp.loss(on: ids), ids.count - ContextMLP.context),
            ("small transformer (this lesson)", grouped(smallParameters), ids.count,
             heldOutLoss(transformer, on: ids, context: transformer.config.contextLength), ids.count - 1),
            ("models/\(KitModel.name)", grouped(kitParameters), kitIDs.count,
             heldOutLoss(kit.model, on: kitIDs, context: min(256, kit.model.config.contextLength)), kitIDs.count - 1),
        ]
        var table = Table(["model", "parameters", "tokens", "nats per token", "bits per byte"],
                          alignments: [.left, .right, .right, .right, .right])
        var bitsPerByte: [Double] = []
        for r in rows {
            let bits = r.loss * Double(r.predicted) / log(2.0) / bytes
            bitsPerByte.append(bits)
            table.append([r.name, r.parameters, grouped(r.tokens), formatFixed(r.loss, decimals: 3), formatFixed(bits, decimals: 3)])
        }
        notebook.table(table)
        notebook.prose("""
            \(notebook.quick ? "With --quick the lesson's models stop early, so their order here is not yet the full run's. " : "Each step up in context lowers the bits per byte. ")The kit's model, with more \
            parameters, more text and a longer window, needs \
            \(formatFixed(bitsPerByte[3], decimals: 2)) bits per byte where the bigram needs \
            \(formatFixed(bitsPerByte[0], decimals: 2)) (storing the text as plain bytes takes 8). \
            A language model is a compressor: a model that predicts text well can encode it in \
            that many bits. The stories are generated from templates, which is why a small \
            model can predict them this well; real text is much harder.
            """)
        comparison(zip(bitsPerByte, bitsPerByte.dropFirst()).allSatisfy { $0 > $1 },
                       "bits per byte fall at every step: bigram, MLP, small transformer, the kit's model")
    }
}
