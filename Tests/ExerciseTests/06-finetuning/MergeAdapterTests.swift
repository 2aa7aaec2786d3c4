// Tests for exercise 06.3 (finetuning.merge-adapter): `mergeAdapter` in exercises/06-finetuning/MergeAdapter.swift.
//
// The doc comment's examples in both layouts, and every adapted projection of tiny Llama and
// GPT-2 models against the kernel's LoRAAdapter.merged (held to PEFT by Tests/LabKernelTests/
// LoRAPEFTTests): nn.Linear's (out, in) and GPT-2's Conv1D (in, out), which PEFT calls fan_in_fan_out.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseMergeAdapter

final class MergeAdapterTests: XCTestCase {
    func testTheDocCommentExamples() {
        let zeros = [Float](repeating: 0, count: 6)
        guard let linear = exercise({ mergeAdapter(weight: zeros, a: [1, 2], b: [1, 2, 3], inputs: 2, outputs: 3, rank: 1,
                                                   scale: 1, fanInFanOut: false) }),
              let conv = exercise({ mergeAdapter(weight: zeros, a: [1, 2], b: [1, 2, 3], inputs: 2, outputs: 3, rank: 1,
                                                 scale: 1, fanInFanOut: true) }) else { return }
        assertClose(linear, [1, 2, 2, 4, 3, 6], tolerance: 0, "B·A stored (out, in)")
        assertClose(conv, [1, 2, 3, 2, 4, 6], tolerance: 0, "B·A stored (in, out): transposed")
    }

    func testTheScaleAndTheWeightAreKept() {
        guard let merged = exercise({ mergeAdapter(weight: [1, 1, 1, 1], a: [1, 0], b: [0, 2], inputs: 2, outputs: 2, rank: 1,
                                                   scale: 0.25, fanInFanOut: false) }) else { return }
        assertClose(merged, [1, 1, 1.5, 1], tolerance: 0, "W + 0.25·B·A with B·A = [[0, 0], [2, 0]]")
    }

    func testMatchesTheKernelOnTinyModels() throws {
        let llama = TransformerConfig.llamaFamily(vocabularySize: 32, contextLength: 16, width: 16, layers: 2, heads: 4, kvHeads: 2,
                                                  feedForwardWidth: 24)
        let gpt2 = TransformerConfig(architecture: .gpt2, vocabularySize: 32, contextLength: 16, width: 16, layers: 2, heads: 2)
        for (config, targets) in [(llama, ["all-linear"]), (gpt2, ["all-linear"])] {
            let model = TransformerModel.initializedForTraining(config: config, seed: 611)
            let rank = 3
            let adapter = try LoRAAdapter(config: config, settings: LoRASettings(rank: rank, alpha: 9, targets: targets), seed: 612)
            var generator = SeededGenerator(seed: 613)
            for target in adapter.targets {
                adapter.parameters.setValue(target.b, Tensor.randomNormal([target.outputs, rank], standardDeviation: 0.5, using: &generator))
            }
            let merged = adapter.merged(into: model)
            for target in adapter.targets {
                guard let mine = exercise({ mergeAdapter(weight: model.parameters[target.weight]!.scalars,
                                                         a: adapter.parameters.value(target.a).scalars,
                                                         b: adapter.parameters.value(target.b).scalars, inputs: target.inputs,
                                                         outputs: target.outputs, rank: rank, scale: adapter.settings.scale,
                                                         fanInFanOut: target.transposedWeight) }) else { return }
                // Sums of 3 products: rounding only.
                assertClose(mine, merged.parameters[target.weight]!.scalars, tolerance: 1e-5,
                            "\(config.architecture) \(target.module) (\(target.transposedWeight ? "Conv1D (in, out)" : "(out, in)"))")
            }
        }
    }
}
