// Tests for exercise 06.1 (finetuning.lora-forward): `loraForward` in exercises/06-finetuning/LoRAForward.swift.
//
// The doc comment's example; B = 0 gives the frozen product; and real projections of tiny Llama
// and GPT-2 models against the kernel's merged weight (LoRAAdapter, held to PEFT's logits by
// Tests/LabKernelTests/LoRAPEFTTests), including GPT-2's transposed Conv1D storage.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseLoRAForward

final class LoRAForwardTests: XCTestCase {
    func testTheDocCommentExample() {
        guard let y = exercise({ loraForward([3, 4], weight: [1, 0, 0, 1], a: [1, 1], b: [1, 2], rank: 1, scale: 0.5) }) else { return }
        assertClose(y, [6.5, 11], tolerance: 0, "W·x = [3, 4], A·x = [7], B·(A·x) = [7, 14], scale 0.5")
    }

    func testZeroBGivesTheFrozenProduct() {
        var generator = SeededGenerator(seed: 601)
        let (inputs, outputs, rank) = (6, 5, 3)
        let w = Tensor.randomNormal([outputs, inputs], using: &generator)
        let x = Tensor.randomNormal([inputs], using: &generator)
        let a = Tensor.randomNormal([rank, inputs], using: &generator)
        guard let y = exercise({ loraForward(x.scalars, weight: w.scalars, a: a.scalars, b: [Float](repeating: 0, count: outputs * rank),
                                             rank: rank, scale: 2) }) else { return }
        let expected = matmul(Tensor(shape: [1, inputs], scalars: x.scalars), transposed: w).scalars
        // Float sums of 6 products in another order.
        assertClose(y, expected, tolerance: 1e-5, "B = 0: the adapted layer must equal W·x (how LoRA starts)")
    }

    func testMatchesTheKernelsMergedWeight() throws {
        let llama = TransformerConfig.llamaFamily(vocabularySize: 32, contextLength: 16, width: 16, layers: 2, heads: 4, kvHeads: 2,
                                                  feedForwardWidth: 24)
        let gpt2 = TransformerConfig(architecture: .gpt2, vocabularySize: 32, contextLength: 16, width: 16, layers: 2, heads: 2)
        for (config, targets) in [(llama, ["q_proj", "k_proj", "down_proj"]), (gpt2, ["c_attn", "c_fc"])] {
            let model = TransformerModel.initializedForTraining(config: config, seed: 602)
            let rank = 4
            let adapter = try LoRAAdapter(config: config, settings: LoRASettings(rank: rank, alpha: 12, targets: targets), seed: 603)
            var generator = SeededGenerator(seed: 604)
            for target in adapter.targets {
                adapter.parameters.setValue(target.b, Tensor.randomNormal([target.outputs, rank], standardDeviation: 0.3, using: &generator))
            }
            let merged = adapter.merged(into: model)
            for target in adapter.targets {
                let stored = model.parameters[target.weight]!
                let w = target.transposedWeight ? stored.transposed() : stored   // (out, in)
                let x = Tensor.randomNormal([target.inputs], using: &generator)
                let mergedWeight = merged.parameters[target.weight]!
                let expected = (target.transposedWeight ? matmul(Tensor(shape: [1, target.inputs], scalars: x.scalars), mergedWeight)
                                : matmul(Tensor(shape: [1, target.inputs], scalars: x.scalars), transposed: mergedWeight)).scalars
                guard let y = exercise({ loraForward(x.scalars, weight: w.scalars, a: adapter.parameters.value(target.a).scalars,
                                                     b: adapter.parameters.value(target.b).scalars, rank: rank,
                                                     scale: adapter.settings.scale) }) else { return }
                XCTAssertEqual(y.count, target.outputs, "\(target.module): one output per row of W")
                // W·x + s·B·(A·x) against (W + s·B·A)·x: the same sums in another order, values of size ~5.
                assertClose(y, expected, tolerance: 1e-4, "\(config.architecture) \(target.module), rank \(rank), scale \(adapter.settings.scale)")
            }
        }
    }
}
