// Differentiable matrix products: A·B and A·Bᵀ, plain, batched, or with a shared right matrix.
//
// The backward rules are matrix products themselves, and each needs one operand transposed.
// They call the kernel's transposed-operand forms (`matmul(_:transposed:)`,
// `matmul(transposed:_:)`), which read the operand in the other order instead of copying it, so
// the backward pass of a linear layer costs two matmuls and no transposes.
//
// Left out: Aᵀ·B on Variables (no model needs it), and a batched right operand with a shared
// left one, which the Tensor kernel does not support either.

/// A·B: (M, K)·(K, N) -> (M, N); batched (…, M, K)·(…, K, N) -> (…, M, N) with equal batch axes;
/// or a shared right matrix (…, M, K)·(K, N) -> (…, M, N), as a linear layer applies one weight
/// to every position.
///
/// Backward: from C_ij = Σ_k A_ik B_kj, ∂L/∂A_ik = Σ_j G_ij B_kj and ∂L/∂B_kj = Σ_i A_ik G_ij,
/// i.e. `dA = G·Bᵀ` and `dB = Aᵀ·G`. A shared B was used by every batch, so its gradient sums
/// over them: with A and G flattened to (…·M, K) and (…·M, N), one product `Aᵀ·G` does that sum.
public func matmul(_ a: Variable, _ b: Variable) -> Variable {
    let (aValue, bValue) = (a.value, b.value)
    let (needA, needB) = (a.requiresGrad, b.requiresGrad)
    return Variable.record("matmul", matmul(aValue, bValue), inputs: [a, b]) { g in
        var gradientB: Tensor?
        if needB {
            if bValue.rank == 2 {
                let (k, n) = (bValue.shape[0], bValue.shape[1])
                // (…, M, K) -> (…·M, K) and (…, M, N) -> (…·M, N); then (K, …·M)·(…·M, N) -> (K, N)
                gradientB = matmul(transposed: aValue.reshaped([-1, k]), g.reshaped([-1, n]))
            } else {
                gradientB = matmul(transposed: aValue, g)  // (…, K, M)ᵀ-read · (…, M, N) -> (…, K, N)
            }
        }
        return [needA ? matmul(g, transposed: bValue) : nil,  // (…, M, N)·(…, K, N)ᵀ -> (…, M, K)
                gradientB]
    }
}

/// A·Bᵀ without materializing Bᵀ: (M, K)·(N, K)ᵀ -> (M, N); batched or with a shared B like
/// `matmul(_:_:)`. Attention scores are Q·Kᵀ; a weight stored (out, in) as PyTorch does is x·Wᵀ.
///
/// Backward: from C_ij = Σ_k A_ik B_jk, `dA = G·B` and `dB = Gᵀ·A` (summed over the batch when
/// B is shared, by flattening G to (…·M, N) and A to (…·M, K)).
public func matmul(_ a: Variable, transposed b: Variable) -> Variable {
    let (aValue, bValue) = (a.value, b.value)
    let (needA, needB) = (a.requiresGrad, b.requiresGrad)
    return Variable.record("matmul(_:transposed:)", matmul(aValue, transposed: bValue), inputs: [a, b]) { g in
        var gradientB: Tensor?
        if needB {
            if bValue.rank == 2 {
                let (n, k) = (bValue.shape[0], bValue.shape[1])
                // (…, M, N) -> (…·M, N) and (…, M, K) -> (…·M, K); then (N, …·M)·(…·M, K) -> (N, K)
                gradientB = matmul(transposed: g.reshaped([-1, n]), aValue.reshaped([-1, k]))
            } else {
                gradientB = matmul(transposed: g, aValue)  // (…, N, M)ᵀ-read · (…, M, K) -> (…, N, K)
            }
        }
        return [needA ? matmul(g, bValue) : nil,  // (…, M, N)·(…, N, K) -> (…, M, K)
                gradientB]
    }
}
