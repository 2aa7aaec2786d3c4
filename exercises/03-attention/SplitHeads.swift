// Exercise 03.3 (attention.split-heads): moving between the projections' layout (T, H·D) and one
// matrix per head (H, T, D), and back. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter SplitHeadsTests

import LabKernel
import LabExercise

/// The heads of a (T, H·D) matrix as H separate (T, D) matrices: (T, H·D) -> (H, T, D).
///
/// A projection computes all heads at once: row t holds token t's H heads side by side, head h
/// in columns h·D..<(h+1)·D. Attention runs per head, so each head's columns become a (T, D)
/// matrix of their own: `result[h, t, i] = x[t, h·D + i]`. (PyTorch writes this
/// `x.view(T, H, D).transpose(0, 1)`.)
///
/// - Parameters:
///   - x: (T, H·D)
///   - heads: H, which must divide the width
/// - Returns: (H, T, D), row-major: element [h, t, i] at index (h·T + t)·D + i of `scalars`.
///
///     splitHeads(Tensor([[0, 1, 2, 3],
///                        [4, 5, 6, 7]]), heads: 2)
///     // shape [2, 2, 2]: head 0 = [[0, 1], [4, 5]], head 1 = [[2, 3], [6, 7]]
public func splitHeads(_ x: Tensor, heads: Int) -> Tensor {
    // TODO: check the shape (precondition), then copy every element to its new place.
    return todo(Tensor.zeros([0, 0, 0]))
}

/// The inverse of `splitHeads`: H matrices (T, D) side by side again, (H, T, D) -> (T, H·D).
///
/// After attention, each head's output (T, D) goes back to its column block so that the output
/// projection sees all heads of a token in one row: `result[t, h·D + i] = x[h, t, i]`.
///
/// - Parameter x: (H, T, D)
/// - Returns: (T, H·D)
///
///     mergeHeads(splitHeads(x, heads: h)) == x   // for every x and every h that divides its width
public func mergeHeads(_ x: Tensor) -> Tensor {
    // TODO: check the rank (precondition), then copy every element back.
    return todo(Tensor.zeros([0, 0]))
}
