// Tests for exercise 07.3 (open-models.logit-lens-row): `lensLogits(state:gain:bias:epsilon:head:)`
// in exercises/07-open-models/LogitLensRow.swift.
//
// The doc comment's example, ε inside the square root, and every state of a small GPT-2 against
// the kernel's `logitLens` (whose last reading is held to the model's logits in LogitLensTests).

import XCTest
import LabKernel
import LabTestSupport
import ExerciseLogitLensRow

final class LogitLensRowTests: XCTestCase {
    func testTheDocCommentExample() {
        guard let y = exercise({ lensLogits(state: [1, 3], gain: [1, 1], bias: [0, 0], epsilon: 0, head: [1, 0, 0, 1, 2, 2]) })
        else { return }
        assertClose(y, [-1, 1, 0], tolerance: 1e-6, "n = [-1, 1]; rows [1, 0], [0, 1], [2, 2]")
    }

    func testEpsilonIsInsideTheSquareRoot() {
        guard let y = exercise({ lensLogits(state: [1, 3], gain: [1, 1], bias: [0.5, 0], epsilon: 3, head: [1, 0]) }) else { return }
        // (1 − 2) / sqrt(1 + 3) + 0.5 = 0
        assertClose(y, [0], tolerance: 1e-6, "(h − mean) / sqrt(variance + ε) · gain + bias, with variance 1 and ε 3")
    }

    func testMatchesTheKernelsLensOnASmallGPT2() {
        let config = TransformerConfig(architecture: .gpt2, vocabularySize: 40, contextLength: 16, width: 32, layers: 3, heads: 4)
        let model = TransformerModel.initializedForTraining(config: config, seed: 704)
        let tokens = [3, 14, 15, 9, 2, 6]
        let key = { (suffix: String) in model.parameters.keys.first { $0.hasSuffix(suffix) }! }
        let gain = model.parameters[key("ln_f.weight")]!.scalars, bias = model.parameters[key("ln_f.bias")]!.scalars
        let head = model.parameters[key("wte.weight")]!.scalars  // GPT-2 ties the head to the embedding
        let lens = model.logitLens(tokens: tokens)
        let states = model.hiddenStates(tokens: tokens).filter { $0.name == "embedding" || $0.name.hasPrefix("block ") }
        XCTAssertEqual(lens.count, states.count)
        for (reading, state) in zip(lens, states) {
            for t in 0..<tokens.count {
                guard let y = exercise({ lensLogits(state: state.output.row(t).scalars, gain: gain, bias: bias,
                                                    epsilon: config.normEpsilon, head: head) }) else { return }
                // Sums of 32 products in another order.
                assertClose(y, reading.logits.row(t).scalars, tolerance: 1e-4, "\(reading.layer), position \(t)")
            }
        }
    }
}
