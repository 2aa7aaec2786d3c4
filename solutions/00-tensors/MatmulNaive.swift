// Solution 00.2 (tensors.matmul-naive): three loops over flat row-major arrays.

/// C = A·B for matrices stored row-major in flat arrays: `C[i, j] = Σ_p A[i, p] · B[p, j]`.
///
/// Row-major means rows are laid end to end: element (r, c) of a matrix with W columns is at
/// index `r * W + c`. This is exactly how `Tensor` stores its `scalars`, so after this exercise
/// a tensor is no mystery: a flat array plus a shape.
///
/// - Parameters:
///   - a: A, shape (M, K): `a.count == m * k`
///   - b: B, shape (K, N): `b.count == k * n`
///   - m: the number of rows of A and of C
///   - k: the inner size: columns of A, rows of B
///   - n: the number of columns of B and of C
/// - Returns: C, shape (M, N), row-major: `m * n` numbers. When K is 0 every entry is an empty
///   sum, so C is all zeros; when M or N is 0, C is empty.
///
///     // A = [[1, 2, 3],        B = [[ 7,  8],
///     //      [4, 5, 6]]             [ 9, 10],
///     //                             [11, 12]]
///     matmulNaive([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], m: 2, k: 3, n: 2)
///     // [58, 64, 139, 154]: C[0, 0] = 1·7 + 2·9 + 3·11 = 58, …
public func matmulNaive(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
    precondition(m >= 0 && k >= 0 && n >= 0, "matmulNaive: sizes must be ≥ 0, got m \(m), k \(k), n \(n)")
    precondition(a.count == m * k, "matmulNaive: a should hold M·K = \(m)·\(k) = \(m * k) numbers, it holds \(a.count)")
    precondition(b.count == k * n, "matmulNaive: b should hold K·N = \(k)·\(n) = \(k * n) numbers, it holds \(b.count)")
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m {                       // each row of C (and of A)
        for j in 0..<n {                   // each column of C (and of B)
            // C[i, j] is the dot product of row i of A with column j of B. Row i of A is
            // contiguous (a[i*k], a[i*k + 1], …); column j of B is strided, one row (n numbers)
            // apart per step. That stride is what makes this loop slow on big matrices, and what
            // the kernel's blocked matmul reorganizes.
            var sum: Float = 0
            for p in 0..<k {
                sum += a[i * k + p] * b[p * n + j]
            }
            c[i * n + j] = sum
        }
    }
    return c
}
