// Tests for exercise 04.3 (transformer.gelu-mlp): `gpt2MLP(_:up:upBias:down:downBias:)` in
// exercises/04-transformer/GELUMLP.swift.
//
// The doc comment's example, GELU itself through identity weights against PyTorch's tanh GELU (a
// committed fixture, which also tells it from the exact erf form), the Conv1D layout with C ≠ F,
// the biases, and the MLP of block 0 of the committed GPT-2 checkpoint against the kernel's layers.

import Foundation
import XCTest
import LabKernel
import LabTestSupport
import ExerciseGELUMLP

final class GELUMLPTests: XCTestCase {
    func testDocCommentExample() {
        guard let y = exercise({ gpt2MLP(Tensor([[1]]), up: Tensor([[1]]), upBias: Tensor([0]), down: Tensor([[2]]), downBias: Tensor([0])) })
        else { return }
        // 2 · gelu(1), the tanh form evaluated in Double.
        let gelu1 = 0.5 * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (1 + 0.044715)))
        assertClose(y, Tensor([[Float(2 * gelu1)]]), tolerance: 1e-6, "C = F = 1, up [[1]], down [[2]], biases 0: 2 · gelu(1) = 1.6824")
    }

    func testGELUThroughIdentityWeightsMatchesPyTorch() throws {
        // torch.nn.functional.gelu(x, approximate="tanh") in float64 on x in [-100, 100]
        // (scripts/fixtures/make_kernel_fixtures.py). With identity weights the MLP is just gelu.
        let f = try Fixture.load("kernel/activations.json")
        let x = try f.tensor("x")  // (9, 10)
        let identity = Tensor(shape: [10, 10], scalars: (0..<100).map { $0 / 10 == $0 % 10 ? 1 : 0 })
        let zeros = Tensor.zeros([10])
        guard let y = exercise({ gpt2MLP(x, up: identity, upBias: zeros, down: identity, downBias: zeros) }) else { return }
        XCTAssertFalse(y.scalars.contains { !$0.isFinite }, "gelu of inputs in [-100, 100] must be finite: tanh saturates at ±1")
        // Float rounding of tanh and of values up to 100; the exact (erf) GELU differs by up to 1e-3 and fails.
        assertClose(y, try f.tensor("gelu_tanh"), tolerance: 1e-5, relativeTolerance: 1e-6,
                    "gelu in GPT-2's tanh form (not the exact erf form) on the fixture's (9, 10) inputs")
    }

    func testConv1DLayoutWithDifferentWidths() {
        var generator = SeededGenerator(seed: 44)
        let (t, c, f) = (3, 4, 6)
        let x = Tensor.randomNormal([t, c], using: &generator)
        let up = Tensor.randomNormal([c, f], standardDeviation: 0.5, using: &generator)
        let upBias = Tensor.randomNormal([f], standardDeviation: 0.5, using: &generator)
        let down = Tensor.randomNormal([f, c], standardDeviation: 0.5, using: &generator)
        let downBias = Tensor.randomNormal([c], standardDeviation: 0.5, using: &generator)
        guard let y = exercise({ gpt2MLP(x, up: up, upBias: upBias, down: down, downBias: downBias) }) else { return }
        XCTAssertEqual(y.shape, [t, c], "the MLP maps (T, C) = (3, 4) through (T, F) = (3, 6) back to (3, 4)")
        // The kernel's Conv1D linear and gelu, both fixture-checked; Float rounding.
        assertClose(y, kernelMLP(x, up: up, upBias: upBias, down: down, downBias: downBias), tolerance: 1e-5,
                    "x·up + upBias, gelu, ·down + downBias with up (C, F) = (4, 6) stored (in, out)")
    }

    func testBiasesAreAddedToEveryRow() {
        // With x = 0 every row is gelu(upBias)·down + downBias.
        let upBias = Tensor([1, -2]), down = Tensor([[1, 0, 2], [0, 1, 3]]), downBias = Tensor([0.5, 0, -1])
        guard let y = exercise({ gpt2MLP(Tensor.zeros([2, 3]), up: Tensor.zeros([3, 2]), upBias: upBias, down: down, downBias: downBias) })
        else { return }
        let g = [1.0, -2.0].map { Float(0.5 * $0 * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * ($0 + 0.044715 * $0 * $0 * $0)))) }
        let row = [g[0] + 0.5, g[1], 2 * g[0] + 3 * g[1] - 1]
        // Float rounding only.
        assertClose(y, Tensor([row, row]), tolerance: 1e-6, "x = 0: each of the 2 rows is gelu(upBias)·down + downBias")
    }

    func testBlockZeroOfTheGPT2Checkpoint() throws {
        // Tests/Fixtures/models/gpt2: a tiny GPT-2 saved by transformers, weights as stored (Conv1D).
        let model = try loadModel(folder: RepositoryPaths.fixtures.appendingPathComponent("models/gpt2")).model
        let p = { (name: String) in model.parameters["transformer.h.0.mlp." + name]! }
        var generator = SeededGenerator(seed: 45)
        let x = Tensor.randomNormal([5, model.config.width], using: &generator)
        guard let y = exercise({ gpt2MLP(x, up: p("c_fc.weight"), upBias: p("c_fc.bias"), down: p("c_proj.weight"), downBias: p("c_proj.bias")) })
        else { return }
        // The kernel's model gives transformers' logits on this checkpoint; Float rounding.
        assertClose(y, kernelMLP(x, up: p("c_fc.weight"), upBias: p("c_fc.bias"), down: p("c_proj.weight"), downBias: p("c_proj.bias")),
                    tolerance: 1e-5, "block 0's MLP of the GPT-2 checkpoint (C = 32, F = 128) on 5 random rows")
    }

    /// The kernel's GPT-2 MLP from its public layers.
    private func kernelMLP(_ x: Tensor, up: Tensor, upBias: Tensor, down: Tensor, downBias: Tensor) -> Tensor {
        linear(gelu(linear(x, weight: up, bias: upBias, layout: .inputsByOutputs), approximation: .tanh),
               weight: down, bias: downBias, layout: .inputsByOutputs)
    }
}
