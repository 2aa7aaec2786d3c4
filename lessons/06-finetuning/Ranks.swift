// Cells: what each fine-tune forgot (the loss on held-out stories before and after, and a story
// from each model), and LoRA's rank compared with full fine-tuning in one table: parameters,
// memory, time, the task's loss and answers, and the stories' loss.

import LabKernel
import LabNotebook

extension FinetuningLesson {
    func forgetting(_ setup: Setup, before: Measurement, full: FineTune, lora: FineTune) {
        notebook.prose("""
            What did the models lose? Fine-tuning moves weights toward the new task, and \
            nothing in its loss protects what the old ones did. The kit measures it on \
            \(setup.stories.count * setup.stories[0].inputs.count / setup.context) windows of \
            held-out stories (seed 977, never trained on), the model's original domain: its \
            loss there before and after.
            """)
        func change(_ after: Float) -> String {
            let delta = after - before.storiesLoss
            return (delta >= 0 ? "+" : "") + formatFixed(delta, decimals: 3) + " (" + (delta >= 0 ? "+" : "")
                + formatFixed(100 * Double(delta / before.storiesLoss), decimals: 1) + "%)"
        }
        var table = Table(["model", "loss on stories", "change"], alignments: [.left, .right, .right])
        table.append(["the kit's model, before", formatFixed(before.storiesLoss, decimals: 3), ""])
        table.append(["after full fine-tuning", formatFixed(full.after.storiesLoss, decimals: 3), change(full.after.storiesLoss)])
        table.append(["after LoRA r 8", formatFixed(lora.after.storiesLoss, decimals: 3), change(lora.after.storiesLoss)])
        notebook.table(table)
        let prompt = setup.tokenizer.encode("Once upon a time")
        func story(_ model: TransformerModel) -> String {
            "Once upon a time" + ((try? setup.tokenizer.decode(model.greedyContinuation(of: prompt, count: 28, stoppingAt: [setup.endOfText]))) ?? "")
        }
        notebook.labelledTexts([("the kit's model (greedy)", story(setup.model)), ("after full fine-tuning", story(full.model)),
                                ("after LoRA r 8", story(lora.model))])
        let fullForgot = full.after.storiesLoss - before.storiesLoss, loraForgot = lora.after.storiesLoss - before.storiesLoss
        notebook.prose("""
            \(fullForgot > loraForgot
              ? "Full fine-tuning forgot more: every weight was free to move toward the task. LoRA's update is confined to a rank-8 change of the attention projections, and the rest of the model is untouched."
              : "Here LoRA forgot as much as full fine-tuning: its small update still changed what every layer above it computes.") \
            This is the usual trade: a constrained update learns the new task less fully and \
            disturbs the old one less ("LoRA learns less and forgets less", Biderman et al., \
            2024). Mixing some of the original data into the fine-tuning set is the other remedy.
            """)
    }

    func ranks(_ setup: Setup, before: Measurement, full: FineTune, lora: FineTune) {
        notebook.prose("""
            How small can the update be? The same run at ranks \
            \(sizes.ranks.map(String.init).joined(separator: ", ")) (α = 2r, so the scale is the \
            same), beside full fine-tuning:
            """)
        var runs: [FineTune] = [full]
        for rank in sizes.ranks {
            runs.append(rank == 8 ? lora : fineTune(setup, name: "LoRA r \(rank)", adapter: freshAdapter(setup, rank: rank),
                                                    learningRate: FinetuningLesson.loraLearningRate))
        }
        var table = Table(["method", "trained", "share", "memory", "step", "answers", "exact", "stories"],
                          alignments: [.left, .right, .right, .right, .right, .right, .right, .right])
        table.append(["base model", "0", "0%", formatBytes(4 * setup.model.config.parameterCount), "",
                      formatFixed(before.heldOutLoss, decimals: 3), "\(before.exact)/\(before.checks.count)",
                      formatFixed(before.storiesLoss, decimals: 3)])
        for run in runs {
            table.append([run.name, grouped(run.trainable), percent(run.trainable, of: full.trainable), formatBytes(run.memoryBytes),
                          notebook.duration(run.secondsPerStep), formatFixed(run.after.heldOutLoss, decimals: 3),
                          "\(run.after.exact)/\(run.after.checks.count)", formatFixed(run.after.storiesLoss, decimals: 3)])
        }
        notebook.table(table)
        let smallest = runs[1], largest = runs.last!
        let bestOnTask = runs.min { $0.after.heldOutLoss < $1.after.heldOutLoss }!
        let forgotMost = runs.max { $0.after.storiesLoss < $1.after.storiesLoss }!
        notebook.prose("""
            Memory is weights, gradients and AdamW's moments as the runs allocated them, step \
            the time per step; answers and stories are the losses on held-out answers and \
            stories, exact the answers right word for word. Even rank \(sizes.ranks[0]) \
            (\(grouped(smallest.trainable)) numbers) moves the answer loss from \
            \(formatFixed(before.heldOutLoss, decimals: 2)) to \
            \(formatFixed(smallest.after.heldOutLoss, decimals: 2)), and rank \(sizes.ranks.last!) to \
            \(formatFixed(largest.after.heldOutLoss, decimals: 2)) at \(grouped(largest.trainable)) numbers, still \
            \(percent(largest.trainable, of: full.trainable)) of the model. Here \(bestOnTask.name) went furthest \
            on the task and \(forgotMost.name) furthest from the stories. In published comparisons \
            (Hu et al., 2021) small ranks already come close to full fine-tuning, because the \
            change a task needs is of low rank; more steps and more data matter more than r.
            """)
    }
}
