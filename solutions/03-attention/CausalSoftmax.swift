// Solution 03.2 (attention.causal-softmax): the causal mask and the softmax that turn scores into
// attention weights.

import Foundation
import LabKernel

/// Attention weights from scores: mask the future, then a softmax over each row.
///
/// Row t is the query at position `S − T + t` (the last T of S positions: with a KV cache the
/// first S − T keys are the cached past; without one S = T). It may see keys 0...S − T + t. Every
/// later key gets weight exactly 0; the visible ones get the softmax of their scores, so each row
/// sums to 1. The row's largest visible score is subtracted before `exp`: e^(x − m) keeps every
/// exponent ≤ 0, so nothing overflows, and the common factor e^(−m) cancels in the division.
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
public func causalSoftmax(_ scores: Tensor) -> Tensor {
    precondition(scores.rank == 2 && scores.shape[1] >= scores.shape[0],
                 "causalSoftmax: expected scores (T, S) with S ≥ T, got \(scores.shape.shapeDescription)")
    let (t, s) = (scores.shape[0], scores.shape[1])
    var weights = Tensor.zeros([t, s])  // masked entries stay exactly 0
    for row in 0..<t {
        let visible = s - t + row + 1  // keys 0...S − T + row
        var maximum = scores[row, 0]
        for j in 1..<visible { maximum = max(maximum, scores[row, j]) }
        var total: Float = 0
        for j in 0..<visible {
            let e = exp(scores[row, j] - maximum)
            weights[row, j] = e
            total += e
        }
        for j in 0..<visible { weights[row, j] /= total }
    }
    return weights
}
