// Exercise 00.5 (tensors.matmul-backward): the backward rule of the matrix multiply, the rule
// that trains every linear layer. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter MatmulBackwardTests

import LabKernel
import LabExercise

/// The gradients of a loss L with respect to A and B, for C = A·B.
///
/// Backpropagation gives you dL/dC, one number per entry of C, and asks how L changes when each
/// entry of A and of B changes. Since C[i, j] = Σ_k A[i, k]·B[k, j], one entry A[i, k] reaches L
/// through every C[i, j] of row i, each time multiplied by B[k, j]; add those paths up (the chain
/// rule), then recognize the sum as a matrix product. Do the same for B[k, j]. The shapes are a
/// strong check: a gradient always has the shape of the thing it is the gradient of.
///
/// - Parameters:
///   - a: A, shape (M, K)
///   - b: B, shape (K, N)
///   - outputGradient: dL/dC, shape (M, N)
/// - Returns: `aGradient` = dL/dA, shape (M, K), and `bGradient` = dL/dB, shape (K, N).
///
///     // A = [[1, 2]] (1×2), B = [[3], [4]] (2×1), so C = [[11]]; take dL/dC = [[1]] (L = C).
///     // L = 1·3 + 2·4: raising A[0, 0] by ε raises L by 3ε, raising B[1, 0] by ε raises it by 2ε.
///     matmulBackward(Tensor([[1, 2]]), Tensor([[3], [4]]), outputGradient: Tensor([[1]]))
///     // (aGradient: [[3, 4]], bGradient: [[1], [2]])
///
/// You may use the kernel's forward matmuls: `matmul(x, y)` (X·Y), `matmul(x, transposed: y)`
/// (X·Yᵀ), `matmul(transposed: x, y)` (Xᵀ·Y) and `transposed()`. Do not use the autograd
/// (`Variable`, `matmul(_: Variable, _: Variable)`, `backward()`): this exercise writes its rule.
public func matmulBackward(_ a: Tensor, _ b: Tensor,
                           outputGradient: Tensor) -> (aGradient: Tensor, bGradient: Tensor) {
    // TODO: check the three shapes (precondition), then compute dL/dA and dL/dB.
    return todo((aGradient: Tensor.zeros(a.shape), bGradient: Tensor.zeros(b.shape)))
}
