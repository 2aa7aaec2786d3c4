// Tests for exercise 00.5 (tensors.matmul-backward): `matmulBackward(_:_:outputGradient:)` in
// exercises/00-tensors/MatmulBackward.swift.
//
// The worked example from the doc comment, the shapes of the gradients, special matrices
// (identity, zero gradient, 1×1), and random matrices of odd shapes against two references: the
// kernel's autograd (`matmul(_: Variable, _: Variable)` and `backward()`), and central finite
// differences of L = Σ dL/dC ⊙ (A·B) computed with the kernel's forward `matmul`.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseMatmulBackward

final class MatmulBackwardTests: XCTestCase {
    func testRowTimesColumnMatchesTheHandDerivation() {
        // A = [[1, 2]], B = [[3], [4]], C = [[11]], and L = C so dL/dC = [[1]].
        // L = 1·3 + 2·4: ∂L/∂A = [[3, 4]] (B's entries), ∂L/∂B = [[1], [2]] (A's entries).
        guard let gradients = exercise({
            matmulBackward(Tensor([[1, 2]]), Tensor([[3], [4]]), outputGradient: Tensor([[1]]))
        }) else { return }
        // Exact: small integers.
        assertClose(gradients.aGradient, Tensor([[3, 4]]), tolerance: 0,
                    "dL/dA for A (1, 2), B (2, 1), dL/dC = [[1]]: each A[0, k] is multiplied by B[k, 0]")
        assertClose(gradients.bGradient, Tensor([[1], [2]]), tolerance: 0,
                    "dL/dB for A (1, 2), B (2, 1), dL/dC = [[1]]: each B[k, 0] is multiplied by A[0, k]")
    }

    func testOneByOneMatricesFollowTheProductRule() {
        // C = a·b for numbers: dL/da = dL/dC·b and dL/db = a·dL/dC.
        guard let gradients = exercise({
            matmulBackward(Tensor([[2]]), Tensor([[3]]), outputGradient: Tensor([[5]]))
        }) else { return }
        // Exact: small integers.
        assertClose(gradients.aGradient, Tensor([[15]]), tolerance: 0, "for 1×1 matrices dL/dA = dL/dC·b = 5·3")
        assertClose(gradients.bGradient, Tensor([[10]]), tolerance: 0, "for 1×1 matrices dL/dB = a·dL/dC = 2·5")
    }

    func testGradientsHaveTheShapesOfTheirInputs() {
        var generator = SeededGenerator(seed: 31)
        let a = Tensor.randomNormal([3, 5], using: &generator)
        let b = Tensor.randomNormal([5, 2], using: &generator)
        let upstream = Tensor.randomNormal([3, 2], using: &generator)
        guard let gradients = exercise({ matmulBackward(a, b, outputGradient: upstream) }) else { return }
        XCTAssertEqual(gradients.aGradient.shape, [3, 5],
                       "dL/dA must have A's shape (M, K) = [3, 5], got \(gradients.aGradient.shape.shapeDescription): "
                       + "a gradient always has the shape of what it is the gradient of")
        XCTAssertEqual(gradients.bGradient.shape, [5, 2],
                       "dL/dB must have B's shape (K, N) = [5, 2], got \(gradients.bGradient.shape.shapeDescription)")
    }

    func testIdentityRightFactorPassesTheOutputGradientToA() {
        // With B = I, C = A, so dL/dA = dL/dC; and dL/dB = Aᵀ·dL/dC.
        let a = Tensor([[1, 2, 3],
                        [4, 5, 6]])
        let identity = Tensor([[1, 0, 0],
                               [0, 1, 0],
                               [0, 0, 1]])
        let upstream = Tensor([[1, -1, 2],
                               [0, 3, -2]])
        guard let gradients = exercise({ matmulBackward(a, identity, outputGradient: upstream) }) else { return }
        // Exact: small integers.
        assertClose(gradients.aGradient, upstream, tolerance: 0,
                    "with B the identity, C is A itself, so dL/dA must equal dL/dC")
        // dL/dB[k, j] = Σ_i A[i, k]·dL/dC[i, j], by hand.
        assertClose(gradients.bGradient, Tensor([[1, 11, -6],
                                                 [2, 13, -6],
                                                 [3, 15, -6]]), tolerance: 0,
                    "dL/dB[k, j] = Σ_i A[i, k]·dL/dC[i, j] for A (2, 3) and B the 3×3 identity")
    }

    func testZeroOutputGradientGivesZeroGradients() {
        var generator = SeededGenerator(seed: 32)
        let a = Tensor.randomNormal([4, 3], using: &generator)
        let b = Tensor.randomNormal([3, 6], using: &generator)
        guard let gradients = exercise({ matmulBackward(a, b, outputGradient: Tensor.zeros([4, 6])) }) else { return }
        // Exact: every term is multiplied by 0.
        assertClose(gradients.aGradient, Tensor.zeros([4, 3]), tolerance: 0,
                    "if the loss does not depend on C (dL/dC = 0), it does not depend on A either")
        assertClose(gradients.bGradient, Tensor.zeros([3, 6]), tolerance: 0,
                    "if the loss does not depend on C (dL/dC = 0), it does not depend on B either")
    }

    func testRandomMatricesOfOddShapesMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 33)
        for (m, k, n) in [(1, 4, 3), (5, 1, 2), (3, 7, 1), (6, 5, 4)] {
            let a = Tensor.randomNormal([m, k], using: &generator)
            let b = Tensor.randomNormal([k, n], using: &generator)
            let upstream = Tensor.randomNormal([m, n], using: &generator)
            guard let gradients = exercise({ matmulBackward(a, b, outputGradient: upstream) }) else { return }

            // L(A, B) = Σ_ij dL/dC[i, j]·(A·B)[i, j] has exactly the given dL/dC. L is linear in each
            // single entry of A or B, so a central difference with step 1 measures the slope exactly,
            // up to Float rounding in the kernel's matmul.
            func loss(_ a: Tensor, _ b: Tensor) -> Double {
                (matmul(a, b) * upstream).scalars.reduce(0.0) { $0 + Double($1) }   // (M, K)·(K, N) -> (M, N)
            }
            func slopes(of x: Tensor, _ lossAt: (Tensor) -> Double) -> Tensor {
                var measured = [Float](repeating: 0, count: x.count)
                for i in 0..<x.count {
                    var plus = x.scalars, minus = x.scalars
                    plus[i] += 1
                    minus[i] -= 1
                    measured[i] = Float((lossAt(Tensor(shape: x.shape, scalars: plus))
                                         - lossAt(Tensor(shape: x.shape, scalars: minus))) / 2)
                }
                return Tensor(shape: x.shape, scalars: measured)
            }
            let expectedA = slopes(of: a) { loss($0, b) }
            let expectedB = slopes(of: b) { loss(a, $0) }
            // Float rounding of the few-term products inside L (entries of size ~1): about 1e-6.
            assertClose(gradients.aGradient, expectedA, tolerance: 1e-4,
                        "dL/dA for A \([m, k].shapeDescription), B \([k, n].shapeDescription), compared with finite differences")
            assertClose(gradients.bGradient, expectedB, tolerance: 1e-4,
                        "dL/dB for A \([m, k].shapeDescription), B \([k, n].shapeDescription), compared with finite differences")
        }
    }

    func testRandomMatricesOfOddShapesMatchTheKernelAutograd() {
        var generator = SeededGenerator(seed: 34)
        for (m, k, n) in [(1, 1, 1), (2, 9, 3), (7, 4, 1), (5, 6, 8)] {
            let a = Tensor.randomNormal([m, k], using: &generator)
            let b = Tensor.randomNormal([k, n], using: &generator)
            let upstream = Tensor.randomNormal([m, n], using: &generator)
            guard let gradients = exercise({ matmulBackward(a, b, outputGradient: upstream) }) else { return }
            // L = Σ dL/dC ⊙ (A·B) has exactly the given dL/dC; backward() fills the leaves' grads.
            let left = Variable(a), right = Variable(b)
            (matmul(left, right) * Variable(upstream, requiresGrad: false)).sum().backward()
            guard let expectedA = left.grad, let expectedB = right.grad else {
                return XCTFail("the kernel's autograd left A.grad or B.grad empty")
            }
            // Float rounding: the same products, possibly summed in another order (≤ 9 terms of size ~1).
            assertClose(gradients.aGradient, expectedA, tolerance: 1e-5,
                        "dL/dA for A \([m, k].shapeDescription), B \([k, n].shapeDescription), compared with the kernel's autograd")
            assertClose(gradients.bGradient, expectedB, tolerance: 1e-5,
                        "dL/dB for A \([m, k].shapeDescription), B \([k, n].shapeDescription), compared with the kernel's autograd")
        }
    }
}
