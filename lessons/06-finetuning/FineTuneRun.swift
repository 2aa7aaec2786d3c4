// The loop every method of the lesson shares: a TrainingRun on the task's batches, timed, then
// measured the same way as the base model. Full fine-tuning and LoRA differ only in the adapter
// given to the run (and their learning rates), so the comparison is fair by construction.

import Foundation
import LabKernel
import LabNotebook

/// What a model does on the task and on the stories it knew.
struct Measurement {
    /// The mean loss on the held-out answers (prompt tokens masked).
    let heldOutLoss: Float
    /// The mean loss on held-out stories: forgetting shows here.
    let storiesLoss: Float
    /// Greedy answers to held-out prompts, checked against the expected answers.
    let checks: [AnswerCheck]
    var exact: Int { checks.filter(\.isExact).count }
    /// Answers in the task's form: one line ending in a full stop (the decoder stopped at <|endoftext|>).
    var wellFormed: Int {
        checks.filter { !$0.answer.contains("\n") && $0.answer.trimmingCharacters(in: .whitespaces).hasSuffix(".") }.count
    }
}

/// One fine-tuning run and its measurements.
struct FineTune {
    let name: String
    /// Parameters that get gradients and AdamW moments.
    let trainable: Int
    /// Bytes of weights, gradients and AdamW's two moments, as allocated by the run's buffers.
    let memoryBytes: Int
    let secondsPerStep: Double
    let losses: [Float]
    let after: Measurement
    /// The adapted model (LoRA merged into it), to generate from.
    let model: TransformerModel
    let adapter: LoRAAdapter?
}

extension FinetuningLesson {
    /// The settings of every run: `sizes.steps` steps of `sizes.batch` rows, 10% warmup, cosine to a tenth.
    func settings(_ setup: Setup, learningRate: Float) -> TrainingSettings {
        var settings = TrainingSettings(steps: sizes.steps, batch: sizes.batch, context: setup.context)
        settings.learningRate = learningRate
        settings.minimumLearningRate = learningRate / 10
        settings.warmupSteps = max(1, sizes.steps / 10)
        settings.weightDecay = 0
        settings.evaluationInterval = sizes.steps
        settings.evaluationBatches = max(1, setup.heldOutBatches.count / sizes.batch)
        settings.seed = 6
        settings.spikeFactor = 8   // batches of a few short answers have noisy losses
        return settings
    }

    /// The held-out loss, the stories' loss and greedy answers of `model` (with `adapter` unmerged
    /// on the training path for the losses, merged for the answers).
    func measure(_ model: TransformerModel, _ setup: Setup, adapter: LoRAAdapter?) -> Measurement {
        let trainer = TrainableTransformer(model, adapter: adapter)
        let heldOut = setup.heldOutBatches.evaluationBatches(batch: sizes.batch, context: setup.context,
                                                             count: setup.heldOutBatches.count)
        let answering = adapter.map { $0.merged(into: model) } ?? model
        return Measurement(heldOutLoss: trainer.meanLoss(heldOut, context: setup.context),
                           storiesLoss: trainer.meanLoss(setup.stories, context: setup.context),
                           checks: answering.answerChecks(setup.answered, tokenizer: setup.tokenizer, stopIDs: [setup.endOfText],
                                                          maximumTokens: FinetuningLesson.answerTokens))
    }

    /// Trains `setup.model` (every weight, or only `adapter`) and measures the result.
    func fineTune(_ setup: Setup, name: String, adapter: LoRAAdapter?, learningRate: Float) -> FineTune {
        let run = TrainingRun(model: setup.model, adapter: adapter, settings: settings(setup, learningRate: learningRate),
                              train: setup.trainBatches, validation: setup.heldOutBatches)
        var losses: [Float] = []
        let started = Stopwatch.now()
        while !run.isFinished {
            // The settings are checked and the data is the kit's own: a stop here is a bug to see.
            do { losses.append(try run.runStep().loss) } catch { fatalError("lesson 06: \(name) stopped: \(error)") }
        }
        let seconds = Double(Stopwatch.now() - started) / 1e9
        let trainer = run.trainer
        let memory = trainer.parameters.memoryBytes + (adapter?.parameters.memoryBytes ?? 0)
            + 4 * (run.optimizer.firstMoment.count + run.optimizer.secondMoment.count)
        return FineTune(name: name, trainable: trainer.trainable.count, memoryBytes: memory,
                        secondsPerStep: seconds / Double(run.step), losses: losses,
                        after: measure(trainer.model, setup, adapter: adapter), model: trainer.adaptedModel, adapter: adapter)
    }

    /// A fresh rank-r adapter on GPT-2's fused attention projection c_attn, alpha = 2r (scale 2).
    func freshAdapter(_ setup: Setup, rank: Int) -> LoRAAdapter {
        // Rank ≤ 32 on a 256 → 768 projection of the kit's model: always valid.
        try! LoRAAdapter(config: setup.model.config, settings: LoRASettings(rank: rank, alpha: Float(2 * rank), targets: ["c_attn"]),
                         seed: 6)
    }

    /// The first line of an answer, trimmed and cut to fit a table cell.
    func shown(_ answer: String, limit: Int = 60) -> String {
        let line = answer.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let more = answer.contains("\n") ? " ⏎…" : ""
        return trimmed.count > limit ? String(trimmed.prefix(limit - 1)) + "…" : trimmed + more
    }

    /// A share as a percentage with two significant decimals for small ones: "100%", "0.77%", "0.096%".
    func percent(_ part: Int, of whole: Int) -> String {
        let share = 100 * Double(part) / Double(max(1, whole))
        return formatFixed(share, decimals: share >= 10 ? 0 : share >= 0.1 ? 2 : 3) + "%"
    }
}
