// Tests for exercise 04.4 (transformer.swiglu): `swiGLU(_:gate:up:down:)` in
// exercises/04-transformer/SwiGLU.swift.
//
// The doc comment's example, SiLU through identity weights against PyTorch's `silu` (a committed
// fixture, inputs down to −100), the nn.Linear layout with C ≠ F (which tells x·W from x·Wᵀ), gate
// and up in their roles, and the MLP of block 0 of the committed Llama checkpoint against the
// kernel's layers.

import Foundation
import XCTest
import LabKernel
import LabTestSupport
import ExerciseSwiGLU

final class SwiGLUTests: XCTestCase {
    func testDocCommentExample() {
        guard let y = exercise({ swiGLU(Tensor([[2]]), gate: Tensor([[1]]), up: Tensor([[3]]), down: Tensor([[0.5]])) }) else { return }
        // 0.5 · silu(2) · 6 in Double.
        let silu2 = 2 / (1 + Foundation.exp(-2.0))
        assertClose(y, Tensor([[Float(0.5 * silu2 * 6)]]), tolerance: 1e-6, "down · silu(gate · x) · (up · x) = 0.5 · silu(2) · 6 = 5.2848")
    }

    func testGateAndUpHaveTheirOwnRoles() {
        // silu goes on the gate only: swapping gate and up changes the answer.
        guard let y = exercise({ swiGLU(Tensor([[1]]), gate: Tensor([[3]]), up: Tensor([[-1]]), down: Tensor([[1]])) }) else { return }
        let silu3 = Float(3 / (1 + Foundation.exp(-3.0)))
        // silu(3) · (−1); the swapped version would be silu(−1) · 3 = −0.807.
        assertClose(y, Tensor([[-silu3]]), tolerance: 1e-6, "silu(gate · x) ⊙ (up · x) with gate 3, up −1: silu(3) · (−1)")
    }

    func testSiLUThroughIdentityWeightsMatchesPyTorch() throws {
        // torch.nn.functional.silu in float64 on x in [-100, 100] (scripts/fixtures/make_kernel_fixtures.py).
        // With identity weights the MLP is silu(x) ⊙ x.
        let f = try Fixture.load("kernel/activations.json")
        let x = try f.tensor("x")  // (9, 10)
        let identity = Tensor(shape: [10, 10], scalars: (0..<100).map { $0 / 10 == $0 % 10 ? 1 : 0 })
        guard let y = exercise({ swiGLU(x, gate: identity, up: identity, down: identity) }) else { return }
        XCTAssertFalse(y.scalars.contains { !$0.isFinite }, "silu(−100) is tiny, not NaN: e^100 overflows Float, v / inf = 0 is still right")
        // silu is exact to Float rounding; times x up to 100: relative 1e-6 of values up to 10⁴.
        assertClose(y, try f.tensor("silu") * x, tolerance: 1e-6, relativeTolerance: 1e-6,
                    "silu(x) ⊙ x on the fixture's (9, 10) inputs, with silu as PyTorch computes it")
    }

    func testLinearLayoutWithDifferentWidths() {
        var generator = SeededGenerator(seed: 46)
        let (t, c, f) = (3, 4, 7)
        let x = Tensor.randomNormal([t, c], using: &generator)
        let gate = Tensor.randomNormal([f, c], standardDeviation: 0.5, using: &generator)
        let up = Tensor.randomNormal([f, c], standardDeviation: 0.5, using: &generator)
        let down = Tensor.randomNormal([c, f], standardDeviation: 0.5, using: &generator)
        guard let y = exercise({ swiGLU(x, gate: gate, up: up, down: down) }) else { return }
        XCTAssertEqual(y.shape, [t, c], "SwiGLU maps (T, C) = (3, 4) through (T, F) = (3, 7) back to (3, 4)")
        // The kernel's nn.Linear layer and silu, both fixture-checked; Float rounding.
        assertClose(y, kernelSwiGLU(x, gate: gate, up: up, down: down), tolerance: 1e-5,
                    "weights stored (out, in): gate and up (F, C) = (7, 4), down (C, F) = (4, 7); a layer is x·Wᵀ")
    }

    func testBlockZeroOfTheLlamaCheckpoint() throws {
        // Tests/Fixtures/models/llama: a tiny Llama saved by transformers (C = 32, F = 64).
        let model = try loadModel(folder: RepositoryPaths.fixtures.appendingPathComponent("models/llama")).model
        let p = { (name: String) in model.parameters["model.layers.0.mlp." + name + ".weight"]! }
        var generator = SeededGenerator(seed: 47)
        let x = Tensor.randomNormal([5, model.config.width], using: &generator)
        guard let y = exercise({ swiGLU(x, gate: p("gate_proj"), up: p("up_proj"), down: p("down_proj")) }) else { return }
        // The kernel's model gives transformers' logits on this checkpoint; Float rounding.
        assertClose(y, kernelSwiGLU(x, gate: p("gate_proj"), up: p("up_proj"), down: p("down_proj")), tolerance: 1e-5,
                    "block 0's MLP of the Llama checkpoint on 5 random rows")
    }

    /// The kernel's SwiGLU from its public layers.
    private func kernelSwiGLU(_ x: Tensor, gate: Tensor, up: Tensor, down: Tensor) -> Tensor {
        let hidden = silu(linear(x, weight: gate, bias: nil, layout: .outputsByInputs)) * linear(x, weight: up, bias: nil, layout: .outputsByInputs)
        return linear(hidden, weight: down, bias: nil, layout: .outputsByInputs)
    }
}
