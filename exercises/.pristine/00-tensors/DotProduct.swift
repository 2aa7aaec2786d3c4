// Exercise 00.1 (tensors.dot-product): the dot product, the multiply-and-add at the heart of every
// matmul, attention score and neuron. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter DotProductTests

import LabExercise

/// The dot product of two vectors: a[0]·b[0] + a[1]·b[1] + … + a[n-1]·b[n-1].
///
/// It measures how much two vectors point the same way: large and positive when they agree,
/// zero when they are perpendicular, negative when they disagree. A matrix multiply is nothing
/// but many dot products, and attention scores a query against every key with one each.
///
/// - Parameters:
///   - a: a vector of N numbers
///   - b: a vector of the same length N
/// - Returns: the sum of the N element-wise products; 0 when N is 0.
///
///     dot([1, 2, 3], [4, 5, 6])   // 1·4 + 2·5 + 3·6 = 32
///     dot([1, 0], [0, 1])         // 0: perpendicular
///     dot([], [])                 // 0: nothing to add up
///
/// Use a plain loop. Do not use the kernel's `matmul`/`gemm`, nor `Tensor`'s `*` and `sum()`:
/// this is the loop they are built from.
public func dot(_ a: [Float], _ b: [Float]) -> Float {
    // TODO: check that a and b have the same length (precondition), then add up a[i] * b[i].
    return todo(0)
}
