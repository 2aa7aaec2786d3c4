// Cell: LoRA written from scratch. A frozen weight W plus a low-rank update (α/r)·B·A, the
// update as a picture, the lesson's forward pass on plain arrays held to the kernel's merged
// weight, the adapted model equal to the base at the start (B = 0), and what LoRA trains in
// published models, counted with the kernel's adapter on their configs.

import Foundation
import LabKernel
import LabNotebook

// MARK: - The lesson's own LoRA (exercises LoRAForward, LoRAParameterCount and MergeAdapter ask for the same)

/// y = W·x + (α/r)·B·(A·x) for one input vector, never forming B·A: W is (out, in) row-major
/// (nn.Linear's layout), A (r, in), B (out, r), x (in); returns (out).
func loraForward(_ x: [Float], weight: [Float], a: [Float], b: [Float], rank: Int, scale: Float) -> [Float] {
    let inputs = x.count, outputs = weight.count / inputs
    // NEW: the low-rank path, first down to r numbers, then up to out.
    let down = (0..<rank).map { k in (0..<inputs).reduce(Float(0)) { $0 + a[k * inputs + $1] * x[$1] } }   // A·x: (r)
    return (0..<outputs).map { o in
        let base = (0..<inputs).reduce(Float(0)) { $0 + weight[o * inputs + $1] * x[$1] }                   // W·x
        let update = (0..<rank).reduce(Float(0)) { $0 + b[o * rank + $1] * down[$1] }                       // B·(A·x)
        return base + scale * update
    }
}

/// LoRA's trainable parameters: r·(in + out) for each adapted projection (A is r×in, B is out×r).
func loraParameterCount(_ projections: [(inputs: Int, outputs: Int)], rank: Int) -> Int {
    projections.reduce(0) { $0 + rank * ($1.inputs + $1.outputs) }
}

extension FinetuningLesson {
    func loraFromScratch(_ setup: Setup) {
        notebook.prose("""
            Hu et al. (2021) argued, and measured on GPT-3, that the change fine-tuning makes \
            to a weight matrix has a low "intrinsic rank": it is close to a product of two thin \
            matrices. LoRA (Low-Rank Adaptation) trains only those. A projection W, (out, in), stays frozen; beside it sit \
            A, (r, in), and B, (out, r), with a rank r far below both sizes, and the layer computes
            """)
        notebook.output("""
            y = W·x + (α/r)·B·(A·x)

                     in                       r             in
                ┌──────────┐                ┌──┐       ┌──────────┐
                │          │                │  │     r └──────────┘
            out │    W     │  +  (α/r) · out│B │  ·         A
                │          │                │  │
                └──────────┘                └──┘
              out × in, frozen        out × r and r × in: r·(in + out), trained
            """)
        notebook.prose("""
            Two details make it work. B starts at zero (A at random, Kaiming-uniform as PEFT \
            does), so B·A = 0 and training starts from exactly the base model. And the scale \
            α/r keeps the update's size steady when you change r (rsLoRA uses α/√r instead). \
            The forward pass never forms B·A: x goes down to r numbers and back up, which costs \
            r·(in + out) multiplications instead of in·out.
            """)
        notebook.code("""
            func loraForward(_ x: [Float], weight: [Float], a: [Float], b: [Float], rank: Int, scale: Float) -> [Float] {
                let inputs = x.count, outputs = weight.count / inputs
                let down = (0..<rank).map { k in (0..<inputs).reduce(Float(0)) { $0 + a[k * inputs + $1] * x[$1] } }   // A·x: (r)
                return (0..<outputs).map { o in
                    let base = (0..<inputs).reduce(Float(0)) { $0 + weight[o * inputs + $1] * x[$1] }                   // W·x
                    let update = (0..<rank).reduce(Float(0)) { $0 + b[o * rank + $1] * down[$1] }                       // B·(A·x)
                    return base + scale * update
                }
            }
            """)
        // One real projection of the kit's model, with a random B so the update is not zero.
        let adapter = freshAdapter(setup, rank: 4)
        let target = adapter.targets[0]   // layer 0's c_attn: Conv1D, stored (in, out)
        var generator = SeededGenerator(seed: 61)
        adapter.parameters.setValue(target.b, Tensor.randomNormal([target.outputs, 4], standardDeviation: 0.02, using: &generator))
        let w = setup.model.parameters[target.weight]!.transposed()          // (in, out) -> (out, in)
        let x = Tensor.randomNormal([target.inputs], using: &generator).scalars
        let mine = loraForward(x, weight: w.scalars, a: adapter.parameters.value(target.a).scalars,
                               b: adapter.parameters.value(target.b).scalars, rank: 4,
                               scale: adapter.settings.scale)
        let merged = adapter.merged(into: setup.model).parameters[target.weight]!   // (in, out)
        let kernel = matmul(Tensor(shape: [1, target.inputs], scalars: x), merged).scalars
        let difference = zip(mine, kernel).map { abs($0 - $1) }.max()!
        notebook.prose("""
            Held to the kernel: layer 0's attention projection c_attn of the kit's model \
            (\(target.inputs) → \(target.outputs); GPT-2 stores it transposed, as a Conv1D, \
            (in, out)), with a rank-4 adapter whose B is set to small random numbers, on a \
            random input. The lesson's loop computes W·x + s·B·(A·x); the kernel merges \
            W + s·B·A into the weight (transposing the update for Conv1D) and multiplies once.
            """)
        let base = TrainableTransformer(setup.model)
        let adapted = TrainableTransformer(setup.model, adapter: freshAdapter(setup, rank: 8))
        let batch = setup.heldOutBatches.row(startingAt: 0, context: setup.context)
        let baseLoss = base.loss(inputs: batch.inputs, targets: batch.targets, batch: 1, context: setup.context, computeGradients: false)
        let adaptedLoss = adapted.loss(inputs: batch.inputs, targets: batch.targets, batch: 1, context: setup.context, computeGradients: false)
        notebook.checks([
            (difference < 1e-4, "the lesson's forward equals the kernel's merged weight: largest difference \(String(format: "%.1e", Double(difference))) over \(target.outputs) outputs"),
            (baseLoss == adaptedLoss, "with B = 0 the adapted model is the base model: the same loss, \(formatFixed(baseLoss, decimals: 4)), on a held-out example, to the last bit"),
        ])

        notebook.prose("""
            What LoRA trains in published models, counted by the kernel's LoRAAdapter on their \
            configs (the shapes of their config.json files; no weights needed), at rank 8 on \
            the attention projections that PEFT adapts by default (c_attn for GPT-2, q_proj and \
            v_proj for Llama-style models), and on every projection (all-linear):
            """)
        var table = Table(["model", "parameters", "LoRA r 8, default targets", "share", "r 8, all-linear", "share"],
                          alignments: [.left, .right, .right, .right, .right, .right])
        let configs: [(String, TransformerConfig)] = [("the kit's model", setup.model.config), ("GPT-2 small", .gpt2Small),
                                                      ("SmolLM2-135M", .smolLM2_135M), ("Llama-2-7B", .llama2_7B)]
        var countsAgree = true
        var largest = (total: 0, lora: 0)
        for (name, config) in configs {
            let total = config.parameterCount
            let defaults = LoRASettings(rank: 8, for: config.architecture)
            // The kernel's adapter holds the matrices; the count is the formula r·(in + out) summed.
            let defaultProjections = try! LoRAAdapter.targets(config: config, matching: defaults.targets)
            let everyProjection = LoRAAdapter.projections(of: config)
            let lora = loraParameterCount(defaultProjections.map { ($0.inputs, $0.outputs) }, rank: 8)
            let all = loraParameterCount(everyProjection.map { ($0.inputs, $0.outputs) }, rank: 8)
            if config == setup.model.config { countsAgree = lora == adapted.trainable.count }
            largest = (total, lora)
            table.append([name, grouped(total), grouped(lora), formatFixed(100 * Double(lora) / Double(total), decimals: 3) + "%",
                          grouped(all), formatFixed(100 * Double(all) / Double(total), decimals: 2) + "%"])
        }
        notebook.table(table)
        notebook.check(countsAgree, "r·(in + out) summed over the kit's model's c_attn projections equals the size of the kernel's adapter buffer")
        notebook.prose("""
            Llama-2-7B adapted with \(formatFixed(Double(largest.lora) / 1e6, decimals: 1)) million numbers: a \
            \(formatBytes(2 * largest.lora)) file per task in 16-bit floats instead of a \
            \(formatBytes(2 * largest.total)) copy, and gradients and AdamW moments for \
            \(formatFixed(100 * Double(largest.lora) / Double(largest.total), decimals: 2))% of the weights. \
            The frozen weights still take their memory and their compute (the backward pass \
            still runs through them to reach the adapters), so LoRA saves optimizer memory and \
            storage far more than time.
            """)
    }
}
