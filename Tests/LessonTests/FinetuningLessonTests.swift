// Lesson 06 in --quick mode prints what the golden file says (timings masked, no colors, every
// check passing), and the lesson's own code holds up beyond the cases it prints: its loss mask
// against the kernel's rows on random examples, its LoRA forward against the kernel's merged
// weights in both storage layouts, and its parameter counts against the figures PEFT prints for
// Llama-2-7B (`print_trainable_parameters()`: 4,194,304 trainable of 6,742,609,920 at r = 8 on
// q_proj and v_proj).

import XCTest
import LabKernel
import LabNotebook
import LabTestSupport
@testable import finetuning

final class FinetuningLessonTests: XCTestCase {
    func testQuickRunMatchesGoldenOutput() throws {
        guard KitModel.folder != nil else { throw XCTSkip("models/\(KitModel.name) is not in this copy of the kit") }
        let output = CapturedOutput()
        let notebook = Notebook(options: NotebookOptions(quick: true), colors: false, maskTimings: true, output: output)
        FinetuningLesson(notebook: notebook).run()
        XCTAssertGreaterThan(output.text.count, 1000, "the lesson printed almost nothing")
        let failed = output.text.split(separator: "\n").filter { $0.contains("✗") }.joined(separator: "\n")
        XCTAssertTrue(failed.isEmpty, "a check in the lesson failed:\n\(failed)")
        assertExportsAreWellFormed(notebook)
        try assertMatchesGolden(output.text, named: "finetuning-quick.txt")
    }

    func testMaskedTargetsMatchTheKernelsRows() {
        var generator = SeededGenerator(seed: 66)
        for _ in 0..<30 {
            let prompt = (0..<(1 + generator.nextInt(below: 10))).map { _ in 1 + generator.nextInt(below: 40) }
            let response = (0..<generator.nextInt(below: 6)).map { _ in 1 + generator.nextInt(below: 40) }
            let tokens = prompt + response + [0]
            let mask = [Bool](repeating: false, count: prompt.count) + [Bool](repeating: true, count: response.count + 1)
            let kernel = InstructionBatches(tokens: tokens, isTarget: mask, starts: [0, tokens.count], packed: false, padID: 0)
                .row(startingAt: 0, context: tokens.count - 1)
            let mine = maskedTargets(prompt: prompt, response: response, endOfText: 0)
            XCTAssertEqual(mine.inputs, kernel.inputs)
            XCTAssertEqual(mine.targets, kernel.targets, "prompt \(prompt), response \(response)")
        }
    }

    func testLoRAForwardMatchesTheKernelInBothLayouts() throws {
        let llama = TransformerConfig.llamaFamily(vocabularySize: 32, contextLength: 8, width: 16, layers: 1, heads: 2, kvHeads: 1,
                                                  feedForwardWidth: 24)
        let gpt2 = TransformerConfig(architecture: .gpt2, vocabularySize: 32, contextLength: 8, width: 16, layers: 1, heads: 2)
        for config in [llama, gpt2] {
            let model = TransformerModel.initializedForTraining(config: config, seed: 67)
            let adapter = try LoRAAdapter(config: config, settings: LoRASettings(rank: 2, alpha: 5, targets: ["all-linear"]), seed: 68)
            var generator = SeededGenerator(seed: 69)
            for target in adapter.targets {
                adapter.parameters.setValue(target.b, Tensor.randomNormal([target.outputs, 2], standardDeviation: 0.5, using: &generator))
            }
            let merged = adapter.merged(into: model)
            for target in adapter.targets {
                let stored = model.parameters[target.weight]!
                let x = Tensor.randomNormal([1, target.inputs], using: &generator)
                let mine = loraForward(x.scalars, weight: (target.transposedWeight ? stored.transposed() : stored).scalars,
                                       a: adapter.parameters.value(target.a).scalars, b: adapter.parameters.value(target.b).scalars,
                                       rank: 2, scale: adapter.settings.scale)
                let w = merged.parameters[target.weight]!
                let kernel = target.transposedWeight ? matmul(x, w) : matmul(x, transposed: w)
                // The same sums in another order.
                assertClose(mine, kernel.scalars, tolerance: 1e-4, "\(config.architecture) \(target.module)")
            }
        }
    }

    func testParameterCountsMatchWhatPEFTPrintsForLlama2() throws {
        let config = TransformerConfig.llama2_7B
        let targets = try LoRAAdapter.targets(config: config, matching: ["q_proj", "v_proj"])
        let lora = loraParameterCount(targets.map { ($0.inputs, $0.outputs) }, rank: 8)
        XCTAssertEqual(lora, 4_194_304, "PEFT: trainable params 4,194,304 for Llama-2-7B, r 8, q_proj and v_proj")
        XCTAssertEqual(config.parameterCount + lora, 6_742_609_920, "PEFT: all params 6,742,609,920 (the base plus the adapter)")
    }
}
