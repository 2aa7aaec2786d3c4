// Cell: LoRA trained on the kernel's fast path, rank 8 on c_attn, the same loop and data as
// full fine-tuning, with its cost, its result, and answers side by side with the base model's
// and full fine-tuning's.

import LabKernel
import LabNotebook

extension FinetuningLesson {
    /// LoRA's peak learning rate: only the small update moves, so it can take larger steps.
    static let loraLearningRate: Float = 5e-3

    func loraTraining(_ setup: Setup, before: Measurement, full: FineTune) -> FineTune {
        notebook.prose("""
            Now the same run with the model frozen and a rank-8 adapter (α = 16, scale 2) on \
            every block's c_attn, the projection that makes the queries, keys and values. The \
            kernel's TrainableTransformer takes the adapter: its forward pass adds s·B·(A·x) \
            beside each frozen product, its backward pass computes gradients for A and B only \
            (the frozen weights pass gradients through but get none), and AdamW keeps moments \
            for the adapter's numbers only. Same data, same steps; a higher learning rate \
            (\(FinetuningLesson.loraLearningRate)), since the update starts at zero.
            """)
        notebook.code("""
            let adapter = try LoRAAdapter(config: kit.model.config, settings: LoRASettings(rank: 8, alpha: 16, targets: ["c_attn"]), seed: 6)
            let run = TrainingRun(model: kit.model, adapter: adapter, settings: settings, train: trainBatches, validation: heldOutBatches)
            while !run.isFinished { try run.runStep() }    // only adapter.parameters change
            """)
        let lora = fineTune(setup, name: "LoRA r 8", adapter: freshAdapter(setup, rank: 8), learningRate: FinetuningLesson.loraLearningRate)
        notebook.sparkline("training loss per step (answer tokens)", lora.losses, decimals: 3, yLabel: "loss")
        var table = Table(["", "full fine-tuning", "LoRA r 8"], alignments: [.left, .right, .right])
        table.append(["trained parameters", grouped(full.trainable), grouped(lora.trainable)])
        table.append(["weights, gradients, AdamW moments", formatBytes(full.memoryBytes), formatBytes(lora.memoryBytes)])
        table.append(["  of which gradients and moments", formatBytes(12 * full.trainable), formatBytes(12 * lora.trainable)])
        table.append(["time per step", notebook.duration(full.secondsPerStep), notebook.duration(lora.secondsPerStep)])
        table.append(["held-out answer loss (before \(formatFixed(before.heldOutLoss, decimals: 3)))",
                      formatFixed(full.after.heldOutLoss, decimals: 3), formatFixed(lora.after.heldOutLoss, decimals: 3)])
        table.append(["exact answers (before \(before.exact) of \(before.checks.count))", "\(full.after.exact)", "\(lora.after.exact)"])
        notebook.table(table)
        notebook.prose("""
            LoRA trained \(percent(lora.trainable, of: full.trainable)) of the parameters, and \
            the memory for their gradients and moments shrinks by the same factor; the frozen \
            weights stay (activations, not counted here, are about the same for both). A step \
            is cheaper, since no weight gradient is computed for a frozen matrix and AdamW \
            updates only the adapter, but far from \(percent(lora.trainable, of: full.trainable)) \
            of the time: the backward pass still runs through every layer above the first \
            adapter. Answers to held-out questions:
            """)
        var lines: [String] = []
        for index in 0..<min(3, lora.after.checks.count) {
            let qa = setup.heldOut[index]
            if index > 0 { lines.append("") }
            lines += wrap("\(qa.question) (expected: \(qa.answer))", width: 76)
            lines += [("base model", before), ("full", full.after), ("LoRA r 8", lora.after)].map { name, measured in
                "  " + padded(name, to: 11) + shown(measured.checks[index].answer, limit: 62)
            }
        }
        notebook.output(lines.joined(separator: "\n"))
        notebook.prose("""
            Answers in the task's form (one line ending in a full stop, then <|endoftext|>): \
            \(before.wellFormed) of \(before.checks.count) before, \(full.after.wellFormed) after full \
            fine-tuning, \(lora.after.wellFormed) after LoRA. Getting the right words out of the \
            story is harder than the form: the held-out loss says how far each run got in \
            \(sizes.steps) steps.
            """)
        return lora
    }
}
