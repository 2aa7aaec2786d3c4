// Exercise 03.2 (attention.causal-softmax): the causal mask and the softmax that turn scores into
// attention weights. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter CausalSoftmaxTests

import LabKernel
import LabExercise

/// Attention weights from scores: mask the future, then a softmax over each row.
///
/// Row t is the query at position `S − T + t` (the last T of S positions: with a KV cache the
/// first S − T keys are the cached past; without one S = T). It may see keys 0...S − T + t. Every
/// later key gets weight exactly 0; the visible ones get the softmax of their scores, so each row
/// sums to 1. Compute the softmax stably (subtract the row's largest visible score before `exp`):
/// unscaled scores can be in the hundreds.
///
/// - Parameter scores: (T, S) with S ≥ T, e.g. from `attentionScores`
/// - Returns: (T, S) weights: 0 above the (shifted) diagonal, rows summing to 1.
///
///     causalSoftmax(Tensor([[1, 5, 9],
///                           [0, 0, 7],
///                           [2, 2, 2]]))
///     // [[1,   0,   0  ],      row 0 sees key 0 only
///     //  [0.5, 0.5, 0  ],      row 1 sees keys 0 and 1
///     //  [1/3, 1/3, 1/3]]      row 2 sees everything
///
/// Do not call the kernel's `softmax` or `attentionProbabilities`; `exp` comes with `import
/// Foundation` (or Glibc/Darwin) if you need it.
public func causalSoftmax(_ scores: Tensor) -> Tensor {
    // TODO: for each row, find its visible keys, take a stable softmax over them, leave the rest 0.
    return todo(Tensor.zeros([0, 0]))
}
