// Tests for exercise 00.4 (tensors.relu-backward): `reluBackward(_:outputGradient:)` in
// exercises/00-tensors/ReLUBackward.swift.
//
// Hand-checkable cases for each region (positive, negative, exactly zero), the shapes (a scalar,
// an empty tensor, three axes), and random inputs against two references: the kernel's autograd
// (`relu(_: Variable)` and `backward()`), and central finite differences of the kernel's forward
// `relu()`, which measure the slope of the loss directly.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseReLUBackward

final class ReLUBackwardTests: XCTestCase {
    func testGradientFlowsWhereInputIsPositiveAndStopsWhereNegative() {
        let x = Tensor([-2, 3, -0.5, 1])
        let upstream = Tensor([10, 20, 30, 40])
        guard let gradient = exercise({ reluBackward(x, outputGradient: upstream) }) else { return }
        // Exact: each element is either the upstream value or 0.
        assertClose(gradient, Tensor([0, 20, 0, 40]), tolerance: 0,
                    "relu's slope is 1 where x > 0 (pass dL/dy through) and 0 where x < 0 (block it)")
    }

    func testSlopeAtExactlyZeroIsZero() {
        guard let gradient = exercise({ reluBackward(Tensor([0, 0]), outputGradient: Tensor([5, -5])) }) else { return }
        // Exact: the convention gives 0.
        assertClose(gradient, Tensor([0, 0]), tolerance: 0,
                    "at x == 0 use slope 0 (PyTorch's convention), so the gradient there is 0")
    }

    func testAllPositiveInputsPassTheGradientUnchanged() {
        var generator = SeededGenerator(seed: 21)
        let x = Tensor.randomUniform([4, 5], in: 0.1..<3, using: &generator)
        let upstream = Tensor.randomNormal([4, 5], using: &generator)
        guard let gradient = exercise({ reluBackward(x, outputGradient: upstream) }) else { return }
        // Exact: a slope of 1 copies the upstream gradient.
        assertClose(gradient, upstream, tolerance: 0,
                    "where every x > 0, relu is the identity, so dL/dx must equal dL/dy")
    }

    func testAllNegativeInputsBlockTheGradient() {
        var generator = SeededGenerator(seed: 22)
        let x = Tensor.randomUniform([3, 4], in: -3 ..< -0.1, using: &generator)
        let upstream = Tensor.randomNormal([3, 4], using: &generator)
        guard let gradient = exercise({ reluBackward(x, outputGradient: upstream) }) else { return }
        // Exact: a slope of 0 gives 0.
        assertClose(gradient, Tensor.zeros([3, 4]), tolerance: 0,
                    "where every x < 0, relu outputs a constant 0, so no gradient reaches x")
    }

    func testZeroDimensionalTensorIsHandledLikeOneNumber() {
        guard let gradient = exercise({ reluBackward(Tensor(scalar: 2), outputGradient: Tensor(scalar: -3)) })
        else { return }
        // Exact.
        assertClose(gradient, Tensor(scalar: -3), tolerance: 0,
                    "a 0-D tensor (shape []) is one number: x = 2 > 0 passes dL/dy = -3 through")
    }

    func testEmptyTensorGivesAnEmptyGradient() {
        let empty = Tensor.zeros([0, 3])
        guard let gradient = exercise({ reluBackward(empty, outputGradient: empty) }) else { return }
        XCTAssertEqual(gradient.shape, [0, 3],
                       "the gradient of an empty (0, 3) input is an empty (0, 3) tensor, got shape \(gradient.shape.shapeDescription)")
    }

    func testRandomInputsMatchFiniteDifferencesOfTheKernelRelu() {
        // L(x) = Σ upstream ⊙ relu(x), so dL/dy = upstream, and dL/dx can be measured by nudging
        // each x[i] by ±ε and watching L. Inputs stay at least 0.1 away from the kink at 0, so
        // the nudges never cross it.
        var generator = SeededGenerator(seed: 23)
        let shape = [2, 3, 4]   // (B, T, F)
        let magnitudes = Tensor.randomUniform(shape, in: 0.1..<2, using: &generator)
        let signs = Tensor.randomUniform(shape, in: -1..<1, using: &generator).map { $0 < 0 ? -1 : 1 }
        let x = magnitudes * signs
        let upstream = Tensor.randomNormal(shape, using: &generator)
        guard let gradient = exercise({ reluBackward(x, outputGradient: upstream) }) else { return }

        func loss(_ input: Tensor) -> Double {
            (input.relu() * upstream).scalars.reduce(0.0) { $0 + Double($1) }   // summed in Double
        }
        let epsilon: Float = 1e-2
        var measured = [Float](repeating: 0, count: x.count)
        for i in 0..<x.count {
            var plus = x.scalars, minus = x.scalars
            plus[i] += epsilon
            minus[i] -= epsilon
            let slope = (loss(Tensor(shape: shape, scalars: plus)) - loss(Tensor(shape: shape, scalars: minus)))
                / Double(2 * epsilon)
            measured[i] = Float(slope)
        }
        // relu is linear on each side of 0, so the central difference is exact up to Float rounding
        // of x ± ε (about 1e-7 relative to |x| ≤ 2, divided by 2ε = 0.02): well under 1e-3.
        assertClose(gradient, Tensor(shape: shape, scalars: measured), tolerance: 1e-3,
                    "dL/dx for x \(shape.shapeDescription), compared with finite differences of the kernel's relu")
    }

    func testRandomInputsMatchTheKernelAutograd() {
        var generator = SeededGenerator(seed: 24)
        let x = Tensor.randomNormal([3, 5], using: &generator)   // (T, F)
        let upstream = Tensor.randomNormal([3, 5], using: &generator)
        guard let gradient = exercise({ reluBackward(x, outputGradient: upstream) }) else { return }
        // L = Σ upstream ⊙ relu(x) has dL/dy = upstream; backward() leaves dL/dx in input.grad.
        let input = Variable(x)
        (relu(input) * Variable(upstream, requiresGrad: false)).sum().backward()
        guard let expected = input.grad else { return XCTFail("the kernel's autograd left x.grad empty") }
        // Exact: both multiply the upstream gradient by a slope of exactly 0 or 1.
        assertClose(gradient, expected, tolerance: 0,
                    "dL/dx for random x (3, 5), compared with the kernel's autograd relu")
    }
}
