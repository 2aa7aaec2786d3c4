// Matrix multiplication: the kernel's hot path.
//
// PLACEHOLDER implementation (correct, unoptimized); the optimized blocked SIMD kernel replaces
// `gemm` below with the same semantics.

/// Which operand of `gemm` is read transposed.
public enum Transpose: Sendable {
    case none, transposed
}

/// C (M×N) = op(A)·op(B) (+ C if `accumulate`), with op(A) of shape (M, K) and op(B) (K, N).
///
/// Matrices are row-major with leading dimensions (row strides) `lda`, `ldb`, `ldc`. With
/// `transposeA == .transposed`, A is stored as (K, M); with `transposeB`, B is stored (N, K).
public func gemm(m: Int, n: Int, k: Int,
                 a: UnsafePointer<Float>, lda: Int, transposeA: Transpose = .none,
                 b: UnsafePointer<Float>, ldb: Int, transposeB: Transpose = .none,
                 c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k {
                let x = transposeA == .none ? a[i * lda + p] : a[p * lda + i]
                let y = transposeB == .none ? b[p * ldb + j] : b[j * ldb + p]
                sum += x * y
            }
            c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : sum
        }
    }
}

/// A·B for matrices, shapes (M, K)·(K, N) -> (M, N); also batched (B, M, K)·(B, K, N) -> (B, M, N)
/// and a shared right matrix (…, M, K)·(K, N) -> (…, M, N).
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    batchedMatmul(a, b, transposeA: .none, transposeB: .none, "matmul")
}

/// A·Bᵀ without materializing Bᵀ: (M, K)·(N, K)ᵀ -> (M, N), batched like `matmul`.
public func matmul(_ a: Tensor, transposed b: Tensor) -> Tensor {
    batchedMatmul(a, b, transposeA: .none, transposeB: .transposed, "matmul(_:transposed:)")
}

/// Aᵀ·B without materializing Aᵀ: (K, M)ᵀ·(K, N) -> (M, N), batched like `matmul`.
public func matmul(transposed a: Tensor, _ b: Tensor) -> Tensor {
    batchedMatmul(a, b, transposeA: .transposed, transposeB: .none, "matmul(transposed:_:)")
}

private func batchedMatmul(_ a: Tensor, _ b: Tensor, transposeA: Transpose, transposeB: Transpose,
                           _ name: String) -> Tensor {
    precondition(a.rank >= 2 && b.rank >= 2,
                 "\(name): needs matrices (rank ≥ 2), got shapes \(a.shape.shapeDescription) and \(b.shape.shapeDescription)")
    let (aRows, aColumns) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
    let (bRows, bColumns) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
    let (m, k) = transposeA == .none ? (aRows, aColumns) : (aColumns, aRows)
    let (kB, n) = transposeB == .none ? (bRows, bColumns) : (bColumns, bRows)
    precondition(k == kB,
                 "\(name): inner dimensions differ: a is \(a.shape.shapeDescription), b is \(b.shape.shapeDescription) (\(k) vs \(kB))")
    let aBatch = Array(a.shape.dropLast(2)), bBatch = Array(b.shape.dropLast(2))
    precondition(bBatch.isEmpty || aBatch == bBatch,
                 "\(name): batch dimensions differ: a is \(a.shape.shapeDescription), b is \(b.shape.shapeDescription)")
    let batches = aBatch.reduce(1, *)
    var c = [Float](repeating: 0, count: batches * m * n)
    if c.isEmpty || k == 0 { return Tensor(shape: aBatch + [m, n], scalars: c) }
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                for batch in 0..<batches {
                    let bOffset = bBatch.isEmpty ? 0 : batch * k * n
                    gemm(m: m, n: n, k: k,
                         a: pa.baseAddress! + batch * m * k, lda: aColumns, transposeA: transposeA,
                         b: pb.baseAddress! + bOffset, ldb: bColumns, transposeB: transposeB,
                         c: pc.baseAddress! + batch * m * n, ldc: n)
                }
            }
        }
    }
    return Tensor(shape: aBatch + [m, n], scalars: c)
}
