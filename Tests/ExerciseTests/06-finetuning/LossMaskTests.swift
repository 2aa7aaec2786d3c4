// Tests for exercise 06.4 (finetuning.loss-mask): `maskedTargets` in exercises/06-finetuning/LossMask.swift.
//
// The doc comment's example, an empty prompt and an empty response, and random examples against
// the kernel's InstructionBatches, whose rows `lab finetune` and the fast training path use.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseLossMask

final class LossMaskTests: XCTestCase {
    /// The kernel's row for one example with `prompt` as prompt and `response` (+ end of text) as targets.
    private func kernelRow(prompt: [Int], response: [Int], endOfText: Int) -> (inputs: [Int], targets: [Int]) {
        let tokens = prompt + response + [endOfText]
        let isTarget = [Bool](repeating: false, count: prompt.count) + [Bool](repeating: true, count: response.count + 1)
        let batches = InstructionBatches(tokens: tokens, isTarget: isTarget, starts: [0, tokens.count], packed: false, padID: endOfText)
        return batches.row(startingAt: 0, context: tokens.count - 1)
    }

    func testTheDocCommentExample() {
        guard let (inputs, targets) = exercise({ maskedTargets(prompt: [5, 6, 7], response: [8, 9], endOfText: 0) }) else { return }
        XCTAssertEqual(inputs, [5, 6, 7, 8, 9], "the inputs are the sequence without its last token")
        XCTAssertEqual(targets, [-100, -100, 8, 9, 0], "positions 0 and 1 would predict prompt tokens 6 and 7: masked")
    }

    func testEdgeCases() {
        guard let noResponse = exercise({ maskedTargets(prompt: [3, 4], response: [], endOfText: 1) }),
              let noPrompt = exercise({ maskedTargets(prompt: [], response: [7, 8], endOfText: 1) }) else { return }
        XCTAssertEqual(noResponse.inputs, [3, 4])
        XCTAssertEqual(noResponse.targets, [-100, 1], "an empty response still teaches the model to stop")
        XCTAssertEqual(noPrompt.inputs, [7, 8])
        XCTAssertEqual(noPrompt.targets, [8, 1], "without a prompt every next token is a target")
    }

    func testRandomExamplesMatchTheKernel() {
        var generator = SeededGenerator(seed: 621)
        for _ in 0..<40 {
            let prompt = (0..<generator.nextInt(below: 12)).map { _ in 2 + generator.nextInt(below: 50) }
            let response = (0..<generator.nextInt(below: 8)).map { _ in 2 + generator.nextInt(below: 50) }
            guard prompt.count + response.count > 0 else { continue }
            guard let mine = exercise({ maskedTargets(prompt: prompt, response: response, endOfText: 1) }) else { return }
            let kernel = kernelRow(prompt: prompt, response: response, endOfText: 1)
            XCTAssertEqual(mine.inputs, kernel.inputs, "inputs for prompt \(prompt), response \(response)")
            XCTAssertEqual(mine.targets, kernel.targets, "targets for prompt \(prompt), response \(response)")
        }
    }
}
