// Tests for exercise 04.2 (transformer.rms-norm): `rmsNorm(_:gain:epsilon:)` in
// exercises/04-transformer/RMSNorm.swift.
//
// The doc comment's example, no centering (a constant row is not sent to 0 as LayerNorm would),
// ε inside the square root, a zero row, then PyTorch's `rms_norm` on a committed fixture and random
// inputs against the kernel's `rmsNorm`.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseRMSNorm

final class RMSNormTests: XCTestCase {
    func testHandComputedRow() {
        guard let y = exercise({ rmsNorm(Tensor([[3, 4]]), gain: Tensor([1, 2]), epsilon: 0) }) else { return }
        let rms = Float((12.5).squareRoot())  // sqrt((9 + 16) / 2)
        // Float rounding only.
        assertClose(y, Tensor([[3 / rms, 2 * 4 / rms]]), tolerance: 1e-6, "rmsNorm([3, 4]) with gain [1, 2]: x / sqrt(12.5) · gain")
    }

    func testNoMeanIsSubtracted() {
        guard let y = exercise({ rmsNorm(Tensor([[2, 2, 2, 2]]), gain: Tensor([1, 1, 1, 1]), epsilon: 0) }) else { return }
        // Exact: 2 / sqrt(4) = 1. (Subtracting the mean, as LayerNorm does, would give zeros.)
        assertClose(y, Tensor([[1, 1, 1, 1]]), tolerance: 0, "RMSNorm divides by the root mean square and never subtracts the mean")
    }

    func testEpsilonGoesInsideTheSquareRoot() {
        guard let y = exercise({ rmsNorm(Tensor([[1, 1]]), gain: Tensor([1, 1]), epsilon: 3) }) else { return }
        // 1 / sqrt(1 + 3) = 0.5 (ε outside the root would give 1 / (1 + 3) = 0.25).
        assertClose(y, Tensor([[0.5, 0.5]]), tolerance: 1e-7, "rmsNorm([1, 1]) with ε = 3: x / sqrt(mean(x²) + ε)")
    }

    func testZeroRowStaysZero() {
        guard let y = exercise({ rmsNorm(Tensor([[0, 0, 0], [1, 2, 2]]), gain: Tensor([1, 2, 3]), epsilon: 1e-6) }) else { return }
        XCTAssertFalse(y.scalars.contains { !$0.isFinite }, "a row of zeros must not give 0/0 = NaN: ε keeps the root positive; got \(y.scalars)")
        // Row 1: mean square (1 + 4 + 4) / 3 = 3. Float rounding.
        let r = Float((3 + 1e-6).squareRoot())
        assertClose(y, Tensor([[0, 0, 0], [1 / r, 2 * 2 / r, 3 * 2 / r]]), tolerance: 1e-6,
                    "a zero row stays zero; the other row is normalized on its own")
    }

    func testPyTorchRMSNormOnTheFixture() throws {
        // torch.nn.functional.rms_norm in float64 (scripts/fixtures/make_kernel_fixtures.py).
        let f = try Fixture.load("kernel/norms.json")
        let (x, gain, epsilon) = (try f.tensor("x"), try f.tensor("weight"), try f.float("rms_norm_epsilon"))
        guard let y = exercise({ rmsNorm(x, gain: gain, epsilon: epsilon) }) else { return }
        // Float rounding of a mean of 16 squares: a few units in the 7th digit of values up to ~2.
        assertClose(y, try f.tensor("rms_norm"), tolerance: 1e-5, "PyTorch's rms_norm on a (6, 16) input with ε = 1e-6")
    }

    func testRandomInputsMatchTheKernel() {
        var generator = SeededGenerator(seed: 43)
        for (t, c) in [(1, 1), (4, 17), (3, 576)] {
            let x = Tensor.randomNormal([t, c], standardDeviation: 3, using: &generator)
            let gain = Tensor.randomNormal([c], mean: 1, standardDeviation: 0.3, using: &generator)
            guard let y = exercise({ rmsNorm(x, gain: gain, epsilon: 1e-5) }) else { return }
            XCTAssertEqual(y.shape, [t, c], "rmsNorm keeps the shape (T, C)")
            // The kernel's rmsNorm is checked against the same PyTorch fixture; Float rounding.
            assertClose(y, LabKernel.rmsNorm(x, weight: gain, epsilon: 1e-5), tolerance: 1e-5,
                        "rmsNorm of a random (\(t), \(c)) input, compared with the kernel's")
        }
    }
}
