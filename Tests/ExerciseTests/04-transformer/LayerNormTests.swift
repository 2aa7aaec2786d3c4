// Tests for exercise 04.1 (transformer.layer-norm): `layerNorm(_:gain:bias:epsilon:)` in
// exercises/04-transformer/LayerNorm.swift.
//
// A hand-computed row (which tells the biased variance from the unbiased one), ε inside the square
// root, a constant row (variance 0: the output is the bias), rows normalized independently, then
// PyTorch's `layer_norm` on a committed fixture (rows with very different means) and random inputs
// against the kernel's `layerNorm`.

import Foundation
import XCTest
import LabKernel
import LabTestSupport
import ExerciseLayerNorm

final class LayerNormTests: XCTestCase {
    func testHandComputedRowUsesTheVarianceDividedByC() {
        guard let y = exercise({ layerNorm(Tensor([[1, 2, 3]]), gain: Tensor([1, 1, 1]), bias: Tensor([0, 0, 0]), epsilon: 0) })
        else { return }
        // mean 2, variance (1 + 0 + 1) / 3 = 2/3 (dividing by C − 1 = 2 would give 1 and ±1).
        let s = Float((2.0 / 3.0).squareRoot())
        // Float rounding of one division and a square root.
        assertClose(y, Tensor([[-1 / s, 0, 1 / s]]), tolerance: 1e-6,
                    "layerNorm([1, 2, 3]) with gain 1, bias 0, ε 0: (x − 2) / sqrt(2/3); the variance divides by C")
    }

    func testGainAndBiasApplyPerFeature() {
        guard let y = exercise({ layerNorm(Tensor([[1, 2, 3]]), gain: Tensor([2, 1, -1]), bias: Tensor([0.5, 1, 0]), epsilon: 0) })
        else { return }
        let z = Float((1.5).squareRoot())  // 1 / sqrt(2/3)
        // Float rounding only.
        assertClose(y, Tensor([[-2 * z + 0.5, 1, -z]]), tolerance: 1e-6,
                    "normalized · gain + bias, feature by feature: gain [2, 1, -1], bias [0.5, 1, 0]")
    }

    func testEpsilonGoesInsideTheSquareRoot() {
        guard let y = exercise({ layerNorm(Tensor([[1, -1]]), gain: Tensor([1, 1]), bias: Tensor([0, 0]), epsilon: 1) }) else { return }
        // variance 1, so 1 / sqrt(1 + 1) = 0.7071 (ε outside the root would give 1 / (1 + 1) = 0.5).
        assertClose(y, Tensor([[0.70710678, -0.70710678]]), tolerance: 1e-6,
                    "layerNorm([1, -1]) with ε = 1: (x − mean) / sqrt(variance + ε)")
    }

    func testConstantRowGivesTheBias() {
        let gain = Tensor([0.5, 2, -1, 3, 1, 1]), bias = Tensor([0.1, -0.2, 0.3, 0, 7, -7])
        guard let y = exercise({ layerNorm(Tensor([[5, 5, 5, 5, 5, 5]]), gain: gain, bias: bias, epsilon: 1e-5) })
        else { return }
        guard assertFinite(y, "a constant row") else { return }
        // Exact: x − mean is exactly 0, so only the bias is left.
        assertClose(y, Tensor([bias.scalars]), tolerance: 0,
                    "a constant row has variance 0: ε keeps the division finite, and the output is the bias")
    }

    func testRowsAreNormalizedIndependently() {
        var generator = SeededGenerator(seed: 41)
        let x = Tensor.randomNormal([3, 7], mean: 2, standardDeviation: 3, using: &generator)
        let gain = Tensor.randomNormal([7], mean: 1, standardDeviation: 0.2, using: &generator)
        let bias = Tensor.randomNormal([7], standardDeviation: 0.2, using: &generator)
        guard let all = exercise({ layerNorm(x, gain: gain, bias: bias, epsilon: 1e-5) }) else { return }
        XCTAssertEqual(all.shape, [3, 7], "layerNorm keeps the shape (T, C)")
        guard all.shape == [3, 7] else { return }
        for t in 0..<3 {
            guard let one = exercise({ layerNorm(x.row(t).reshaped([1, 7]), gain: gain, bias: bias, epsilon: 1e-5) }) else { return }
            // Exactly the same arithmetic on the same row.
            assertClose(all.row(t), one.row(0), tolerance: 0, "row \(t) normalized alone must give the same numbers: rows do not mix")
        }
    }

    func testPyTorchLayerNormOnTheFixture() throws {
        // torch.nn.functional.layer_norm in float64 (scripts/fixtures/make_kernel_fixtures.py): rows with
        // means from −1000 to 50 and a constant last row.
        let f = try Fixture.load("kernel/norms.json")
        let (x, gain, bias) = (try f.tensor("x"), try f.tensor("weight"), try f.tensor("bias"))
        let epsilon = try f.float("layer_norm_epsilon")
        guard let y = exercise({ layerNorm(x, gain: gain, bias: bias, epsilon: epsilon) }) else { return }
        guard assertFinite(y, "the fixture's rows") else { return }
        // Float output of a Double computation: a few units in the 7th digit of values up to ~3.
        assertClose(y, try f.tensor("layer_norm"), tolerance: 1e-5,
                    "PyTorch's layer_norm on a (6, 16) input; row 4 has mean −1000 and spread 0.88 (sum in Double, variance from (x − mean)²)")
    }

    func testRandomInputsMatchTheKernel() {
        var generator = SeededGenerator(seed: 42)
        for (t, c) in [(1, 1), (5, 33), (2, 768)] {
            let x = Tensor.randomNormal([t, c], mean: 1, standardDeviation: 4, using: &generator)
            let gain = Tensor.randomNormal([c], mean: 1, standardDeviation: 0.3, using: &generator)
            let bias = Tensor.randomNormal([c], standardDeviation: 0.3, using: &generator)
            guard let y = exercise({ layerNorm(x, gain: gain, bias: bias, epsilon: 1e-5) }) else { return }
            // The kernel's layerNorm is checked against the same PyTorch fixture; Float rounding.
            assertClose(y, LabKernel.layerNorm(x, weight: gain, bias: bias, epsilon: 1e-5), tolerance: 1e-5,
                        "layerNorm of a random (\(t), \(c)) input, compared with the kernel's")
        }
    }

    private func assertFinite(_ y: Tensor, _ what: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        guard let bad = y.scalars.firstIndex(where: { !$0.isFinite }) else { return true }
        XCTFail("layerNorm of \(what) returned \(y.scalars[bad]) at flat index \(bad). A constant row has variance 0: "
                + "add ε to the variance before the square root, so the division stays finite.", file: file, line: line)
        return false
    }
}
