// Solution 00.5 (tensors.matmul-backward): dL/dA = dL/dC·Bᵀ and dL/dB = Aᵀ·dL/dC.

import LabKernel

/// The gradients of a loss L with respect to A and B, for C = A·B.
///
/// The derivation, entry by entry. C[i, j] = Σ_k A[i, k]·B[k, j], so ∂C[i, j]/∂A[i, k] = B[k, j]
/// and A[i, k] touches only row i of C. The chain rule sums over those paths:
///
///     dL/dA[i, k] = Σ_j dL/dC[i, j] · B[k, j] = (dL/dC · Bᵀ)[i, k]
///
/// Likewise B[k, j] touches only column j of C, through A[i, k] in each row i:
///
///     dL/dB[k, j] = Σ_i A[i, k] · dL/dC[i, j] = (Aᵀ · dL/dC)[k, j]
///
/// The shapes confirm it: (M, N)·(N, K) = (M, K) is A's shape, (K, M)·(M, N) = (K, N) is B's.
///
/// - Parameters:
///   - a: A, shape (M, K)
///   - b: B, shape (K, N)
///   - outputGradient: dL/dC, shape (M, N)
/// - Returns: `aGradient` = dL/dA, shape (M, K), and `bGradient` = dL/dB, shape (K, N).
///
///     // A = [[1, 2]] (1×2), B = [[3], [4]] (2×1), so C = [[11]]; take dL/dC = [[1]] (L = C).
///     matmulBackward(Tensor([[1, 2]]), Tensor([[3], [4]]), outputGradient: Tensor([[1]]))
///     // (aGradient: [[3, 4]], bGradient: [[1], [2]])
public func matmulBackward(_ a: Tensor, _ b: Tensor,
                           outputGradient: Tensor) -> (aGradient: Tensor, bGradient: Tensor) {
    precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[0],
                 "matmulBackward: needs A (M, K) and B (K, N), got \(a.shape.shapeDescription) "
                 + "and \(b.shape.shapeDescription)")
    precondition(outputGradient.shape == [a.shape[0], b.shape[1]],
                 "matmulBackward: outputGradient must have C's shape (M, N) = "
                 + "\([a.shape[0], b.shape[1]].shapeDescription), got \(outputGradient.shape.shapeDescription)")
    // The transposing matmuls read Bᵀ and Aᵀ in place instead of copying them.
    let aGradient = matmul(outputGradient, transposed: b)    // (M, N)·(K, N)ᵀ -> (M, K)
    let bGradient = matmul(transposed: a, outputGradient)    // (M, K)ᵀ·(M, N) -> (K, N)
    return (aGradient, bGradient)
}
