// Exercise 00.2 (tensors.matmul-naive): matrix multiplication by its definition, on the flat
// row-major arrays that a Tensor stores. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter MatmulNaiveTests

import LabExercise

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
///
/// Write the three loops yourself. Do not use the kernel (`matmul`, `matmulNaive` on tensors,
/// `gemm`) or `Tensor` arithmetic: they are what this loop grows into.
public func matmulNaive(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
    // TODO: check the array sizes against m, k, n (precondition), make an output of m * n zeros,
    // then fill C[i, j] for every row i and column j.
    return todo([])
}
