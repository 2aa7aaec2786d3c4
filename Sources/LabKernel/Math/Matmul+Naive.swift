// The naive matrix multiply: three loops, exactly the definition.
//
// It is the reference the optimized kernel (Matmul.swift) is tested against, the baseline the
// benchmark and lesson 00 measure the speed-up from, and the code a student should be able to
// write from memory. It accumulates in Float in the natural k order, like a textbook.

/// C = A·B by definition: `C[i, j] = Σ_k A[i, k] · B[k, j]`.
///
/// - Parameters:
///   - a: shape (M, K)
///   - b: shape (K, N)
/// - Returns: shape (M, N)
public func matmulNaive(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2,
                 "matmulNaive: needs two matrices, got shapes \(a.shape.shapeDescription) and \(b.shape.shapeDescription)")
    precondition(a.shape[1] == b.shape[0],
                 "matmulNaive: inner dimensions differ: a is \(a.shape.shapeDescription), b is \(b.shape.shapeDescription) (a's columns must equal b's rows)")
    let m = a.shape[0], k = a.shape[1], n = b.shape[1]
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k { sum += a.scalars[i * k + p] * b.scalars[p * n + j] }
            c[i * n + j] = sum
        }
    }
    return Tensor(shape: [m, n], scalars: c)
}
