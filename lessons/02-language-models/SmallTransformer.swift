// Cell: a small GPT-2 trained on the lesson's stories with the kernel's training path
// (TrainingRun: random windows, AdamW, warmup and cosine, clipping), its curve, its speed, text
// before and after, its held-out loss beside the MLP's, and its fast-path loss held to the tape's.
//
// The transformer itself is lessons 03 and 04; here it is one more function in the middle of the
// same loop, one that sees every token of its window instead of three.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LabKernel
import LabNotebook

/// The mean cross-entropy of `model` on every token of `ids` after the first, in windows of
/// `context` + 1 tokens that overlap by one (so each token is predicted once).
func heldOutLoss(_ model: TransformerModel, on ids: [Int], context: Int) -> Double {
    let trainer = TrainableTransformer(model)
    var total = 0.0, counted = 0, start = 0
    while start + 1 < ids.count {
        let end = min(ids.count, start + context + 1)
        let length = end - start - 1
        let loss = trainer.loss(inputs: Array(ids[start..<(end - 1)]), targets: Array(ids[(start + 1)..<end]),
                                batch: 1, context: length, computeGradients: false)
        total += Double(loss) * Double(length)
        counted += length
        start = end - 1
    }
    return total / Double(counted)
}

extension LanguageModelsLesson {
    func smallTransformer(_ setup: Setup, scores: inout Scores) -> TransformerModel {
        let context = 64, steps = sizes.transformerSteps
        let config = TransformerConfig(architecture: .gpt2, vocabularySize: setup.vocabularySize, contextLength: context,
                                       width: 128, layers: 2, heads: 4, feedForwardWidth: 512)
        let initial = TransformerModel.initializedForTraining(config: config, seed: 7)
        var settings = TrainingSettings(steps: steps, batch: 16, context: context)
        settings.learningRate = 3e-3
        settings.minimumLearningRate = 3e-4
        settings.warmupSteps = steps / 10
        settings.evaluationInterval = max(1, steps / 6)
        settings.seed = 8
        notebook.prose("""
            The MLP sees three tokens; a transformer sees its whole window. Lessons 03 and 04 \
            build it piece by piece; here it is just a bigger function in the middle of the \
            same loop. A small GPT-2 (2 blocks, width 128, 4 heads, a window of \(context) \
            tokens) trains with the kernel's training path, TrainingRun: random windows of \
            the training part, AdamW with weight decay on the matrices, the learning rate \
            warmed up over \(settings.warmupSteps) steps and then lowered along a cosine, \
            gradients clipped at norm 1. It is the loop of the previous cells, written for \
            speed: the backward pass works on raw memory with the blocked matmul.
            """)
        notebook.code("""
            let run = TrainingRun(model: TransformerModel.initializedForTraining(config: config, seed: 7), settings: settings,
                                  train: TokenWindows(train), validation: TokenWindows(heldOut))
            while !run.isFinished {
                let record = try run.runStep()             // one batch: forward, backward, clip, AdamW
                if run.evaluationIsDue { print(record.step, record.loss, run.validationLoss()) }
            }
            """)
        let prompt = setup.tokenizer.encode("Once upon a time")
        let before = sample(initial, setup, prompt: prompt)
        let run = TrainingRun(model: initial, settings: settings, train: TokenWindows(setup.train), validation: TokenWindows(setup.validation))
        var losses: [Float] = []
        var table = Table(["step", "training loss", "held-out loss (8 batches)", "learning rate"], alignments: [.right, .right, .right, .right])
        let started = Stopwatch.now()
        while !run.isFinished {
            let record = try! run.runStep()
            losses.append(record.loss)
            if run.evaluationIsDue || record.step == 1 {
                table.append([String(record.step), formatFixed(record.loss, decimals: 3), formatFixed(run.validationLoss(), decimals: 3),
                              String(format: "%.1e", Double(record.learningRate))])
            }
        }
        let seconds = secondsSince(started)
        let model = run.trainer.model
        notebook.sparkline("training loss per step", losses, decimals: 3, yLabel: "loss")
        notebook.table(table)
        let heldOut = heldOutLoss(model, on: setup.validation, context: context)
        scores.transformer = heldOut
        let tokens = steps * settings.batch * context
        notebook.values([
            ("parameters", grouped(initial.parameters.values.reduce(0) { $0 + $1.count })),
            ("trained on", "\(grouped(tokens)) tokens (\(steps) steps of \(settings.batch) × \(context))"),
            ("time", notebook.duration(seconds) + ", " + notebook.measured(grouped(Int(Double(tokens) / seconds))) + " tokens/s (including evaluations)"),
            ("held-out loss", formatFixed(heldOut, decimals: 3) + " on every held-out token (MLP: " + formatFixed(scores.mlp, decimals: 3)
                + ", bigram: " + formatFixed(scores.bigram, decimals: 3) + ")"),
        ])
        notebook.labelledTexts([
            ("Before training: \"Once upon a time\" and 30 tokens (temperature 0.8, seed 1)", oneLine(before, setup.tokenizer)),
            ("After \(steps) steps", oneLine(sample(model, setup, prompt: prompt), setup.tokenizer)),
        ])
        // The fast path's loss on one held-out batch, beside the tape's (the readable twin).
        let batch = TokenWindows(setup.validation).evaluationBatches(batch: 2, context: context, count: 1)[0]
        let fast = TrainableTransformer(model).loss(inputs: batch.inputs, targets: batch.targets, batch: 2, context: context,
                                                    computeGradients: false)
        let variables = model.parameterVariables()
        let tape = (0..<2).map { b -> Float in
            let rows = (b * context)..<((b + 1) * context)
            return crossEntropy(logits: model.forward(tokens: Array(batch.inputs[rows]), parameters: variables),
                                targets: Array(batch.targets[rows])).value.item
        }.reduce(0, +) / 2
        notebook.prose("""
            \(heldOut < scores.mlp ? "A longer window pays: below the MLP's \(formatFixed(scores.mlp, decimals: 3)) after seconds of training." : "After \(steps) steps it is not yet below the MLP's \(formatFixed(scores.mlp, decimals: 3)): a transformer starts slower and ends lower\(notebook.quick ? " (the full run trains it for 600 steps)" : "").") \
            The same loop, run for 24 minutes on 20 MB of stories with a larger model, made \
            the kit's own model (next cell).
            """)
        comparison(heldOut < scores.mlp, "the transformer beats the MLP on held-out text")
        notebook.checks([
            (abs(fast - tape) <= 1e-5 * abs(tape), "on a held-out batch the fast path's loss equals the tape's within 1e-5 relative "
                + "(\(formatFixed(fast, decimals: 6)) and \(formatFixed(tape, decimals: 6)))"),
            (losses.suffix(10).reduce(0, +) / 10 < losses[0] - 1, "the training loss fell by more than 1 nat (the mean of the last 10 steps)"),
        ])
        return model
    }

    /// 30 tokens after `prompt` at temperature 0.8, seed 1.
    func sample(_ model: TransformerModel, _ setup: Setup, prompt: [Int]) -> [Int] {
        let result = try! TextGenerator(model: model).generate(promptIDs: prompt, sampling: SamplingSettings(temperature: 0.8, seed: 1),
                                                              stop: StopConditions(maxTokens: 30))
        return prompt + result.generatedIDs
    }
}
