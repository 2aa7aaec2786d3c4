// Matrix multiplication: the kernel's hot path, and its public API.
//
// Scope: `gemm` (the low-level product on raw row-major memory, with transposes, leading
// dimensions and accumulation), which routes each product to the fastest routine:
//
//     M or N ≤ 4   matrix-vector products, one per row (column) of C   MatrixVector.swift
//     otherwise    the blocked, packed SIMD kernel      Matmul+Blocked.swift, +Packing, +MicroKernel
//
// and the Tensor-level `matmul` family, batched over leading axes. The reference for all of it is
// `matmulNaive` (Matmul+Naive.swift): three loops, tested against this file's results.
// Not here: gradients (Autograd/), other element types.

/// Which operand of `gemm` is read transposed.
public enum Transpose: Sendable {
    case none, transposed
}

// MARK: - gemm

/// C (M×N) = op(A)·op(B) (+ C if `accumulate`), with op(A) of shape (M, K) and op(B) (K, N).
///
/// Matrices are row-major with leading dimensions (row strides) `lda`, `ldb`, `ldc`, so a
/// submatrix of a larger matrix can be passed in place. With `transposeA == .transposed`, A is
/// stored as (K, M); with `transposeB`, B is stored (N, K). The transpose is never materialized:
/// it only changes the order in which elements are read. Without `accumulate`, C is overwritten
/// and its previous contents are never read. C must not overlap A or B (as in BLAS).
///
/// Uses up to `Parallel.threadCount` threads; products too small to gain from threads run on the
/// calling thread. The result is bit-for-bit the same whatever the thread count.
public func gemm(m: Int, n: Int, k: Int,
                 a: UnsafePointer<Float>, lda: Int, transposeA: Transpose = .none,
                 b: UnsafePointer<Float>, ldb: Int, transposeB: Transpose = .none,
                 c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false) {
    gemm(m: m, n: n, k: k, a: a, lda: lda, transposeA: transposeA, b: b, ldb: ldb, transposeB: transposeB,
         c: c, ldc: ldc, accumulate: accumulate, threads: Parallel.threadCount)
}

/// `gemm` on at most `threads` threads. Batched products use `threads: 1` to run many small
/// products side by side instead of splitting each one.
func gemm(m: Int, n: Int, k: Int,
          a: UnsafePointer<Float>, lda: Int, transposeA: Transpose,
          b: UnsafePointer<Float>, ldb: Int, transposeB: Transpose,
          c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int) {
    precondition(m >= 0 && n >= 0 && k >= 0, "gemm: sizes must not be negative, got M = \(m), N = \(n), K = \(k)")
    // A row of a stored matrix must fit within its leading dimension.
    let aColumns = transposeA == .none ? k : m, bColumns = transposeB == .none ? n : k
    precondition(lda >= max(1, aColumns),
                 "gemm: lda = \(lda) is smaller than a row of A (\(aColumns) columns; A is stored \(transposeA == .none ? "(M, K)" : "(K, M)"))")
    precondition(ldb >= max(1, bColumns),
                 "gemm: ldb = \(ldb) is smaller than a row of B (\(bColumns) columns; B is stored \(transposeB == .none ? "(K, N)" : "(N, K)"))")
    precondition(ldc >= max(1, n), "gemm: ldc = \(ldc) is smaller than a row of C (N = \(n) columns)")
    if m == 0 || n == 0 { return }
    if k == 0 {
        // An empty sum: C = 0, or C unchanged when accumulating.
        if !accumulate {
            for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
        }
        return
    }
    let operandA = MatmulOperand(base: a, leadingDimension: lda, transposed: transposeA == .transposed)
    let operandB = MatmulOperand(base: b, leadingDimension: ldb, transposed: transposeB == .transposed)
    if min(m, n) <= matrixVectorMaximumCount {
        matrixVectorGemm(m: m, n: n, k: k, a: operandA, b: operandB, c: c, ldc: ldc,
                         accumulate: accumulate, threads: max(1, threads))
        return
    }
    let flops = 2 * m * n * k
    let useful = max(1, min(threads, flops / MatmulBlocking.minimumFlopsPerThread))
    blockedGemm(m: m, n: n, k: k, a: operandA, b: operandB, c: c, ldc: ldc,
                accumulate: accumulate, threads: useful)
}

// MARK: - Tensor API

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

/// The batched product behind the `matmul` family.
///
/// A shared right matrix with an untransposed A is one product: the batch's rows are stacked,
/// (…, M, K) -> (… · M, K), which packs B once and gives the threads more rows to share.
/// Otherwise each batch is its own product; small ones run side by side, one thread each.
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
                if bBatch.isEmpty && transposeA == .none {
                    // (…, M, K) -> (… · M, K): one product with the shared B.
                    gemm(m: batches * m, n: n, k: k, a: pa.baseAddress!, lda: aColumns, transposeA: .none,
                         b: pb.baseAddress!, ldb: bColumns, transposeB: transposeB,
                         c: pc.baseAddress!, ldc: n, accumulate: false, threads: Parallel.threadCount)
                    return
                }
                let sharedA = SendableConstPointer(pa.baseAddress!), sharedB = SendableConstPointer(pb.baseAddress!)
                let sharedC = SendablePointer(pc.baseAddress!)
                let multiplyBatch: @Sendable (Int, Int) -> Void = { batch, threads in
                    let bOffset = bBatch.isEmpty ? 0 : batch * k * n
                    gemm(m: m, n: n, k: k,
                         a: sharedA.base + batch * m * k, lda: aColumns, transposeA: transposeA,
                         b: sharedB.base + bOffset, ldb: bColumns, transposeB: transposeB,
                         c: sharedC.base + batch * m * n, ldc: n, accumulate: false, threads: threads)
                }
                let flopsPerBatch = 2 * m * n * k
                if batches > 1 && flopsPerBatch < Parallel.threadCount * MatmulBlocking.minimumFlopsPerThread {
                    // Too small to split well: give whole products to the threads instead.
                    Parallel.forEachChunk(batches, costPerItem: flopsPerBatch) { range in
                        for batch in range { multiplyBatch(batch, 1) }
                    }
                } else {
                    for batch in 0..<batches { multiplyBatch(batch, Parallel.threadCount) }
                }
            }
        }
    }
    return Tensor(shape: aBatch + [m, n], scalars: c)
}
