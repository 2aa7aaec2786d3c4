// Cell: full fine-tuning, every weight trained from the kit's model on the task, with its cost
// (trainable parameters, memory for gradients and AdamW's moments, time per step) and its
// effect on the held-out answers.

import LabKernel
import LabNotebook

extension FinetuningLesson {
    /// Full fine-tuning's peak learning rate: a tenth of LoRA's, since every weight moves.
    static let fullLearningRate: Float = 5e-4

    func fullFineTuning(_ setup: Setup, before: Measurement) -> FineTune {
        notebook.prose("""
            The plainest way: keep training the whole model, exactly as lesson 02 trained it, \
            from its trained weights instead of random ones, on the task's batches. The kernel's \
            TrainingRun does it: \(sizes.steps) steps of \(sizes.batch) examples, AdamW at a \
            peak learning rate of \(FinetuningLesson.fullLearningRate) \
            (lower than for training from scratch: the weights are already good, and large \
            steps would wreck them), warmed up and lowered along a cosine.
            """)
        notebook.code("""
            let run = TrainingRun(model: kit.model, settings: settings, train: trainBatches, validation: heldOutBatches)
            while !run.isFinished { try run.runStep() }    // the loss counts answer tokens only
            """)
        let full = fineTune(setup, name: "full fine-tuning", adapter: nil, learningRate: FinetuningLesson.fullLearningRate)
        notebook.sparkline("training loss per step (answer tokens)", full.losses, decimals: 3, yLabel: "loss")
        notebook.values([
            ("held-out answer loss", "\(formatFixed(before.heldOutLoss, decimals: 3)) → \(formatFixed(full.after.heldOutLoss, decimals: 3))"),
            ("exact answers", "\(before.exact) → \(full.after.exact) of \(full.after.checks.count)"),
            ("trained parameters", "\(grouped(full.trainable)) (all of them)"),
            ("weights, gradients, AdamW moments", formatBytes(full.memoryBytes) + " (4 floats per parameter)"),
            ("time per step", notebook.duration(full.secondsPerStep)),
        ])
        notebook.prose("""
            It works: the loss on answers the model never trained on falls from \
            \(formatFixed(before.heldOutLoss, decimals: 2)) to \
            \(formatFixed(full.after.heldOutLoss, decimals: 2)). The cost is in the memory line. \
            Every parameter needs its value, its gradient and AdamW's two moments: 16 bytes, \
            four times the model, before a single activation is stored. For this 4-million \
            parameter model that is nothing; for a 7-billion parameter one it is 112 GB, and a \
            copy of the whole model for every task you tune it for.
            """)
        return full
    }
}
