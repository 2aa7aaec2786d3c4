// Exercise 03.1 (attention.attention-scores): the scaled dot-product scores of one attention head.
// Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter AttentionScoresTests

import LabKernel
import LabExercise

/// The attention scores of one head: `scores[t, j] = (q_t · k_j) / √D`.
///
/// Every query row is compared with every key row by a dot product; dividing by √D keeps the
/// scores' spread near 1 whatever the head size, so the softmax that follows does not saturate
/// (lesson 03, "Why divide by √D"). No mask and no softmax here: that is the next exercise.
///
/// - Parameters:
///   - query: (T, D), one row per query token
///   - keys: (S, D), one row per key token; the same D as the query
/// - Returns: (T, S): row t holds query t's score against every key.
///
///     // D = 4, so √D = 2
///     attentionScores(query: Tensor([[2, 0, 0, 0]]),
///                     keys: Tensor([[0, 0, 2, 0], [2, 0, 0, 0], [1, 1, 1, 1]]))
///     // [[0, 2, 1]]: (2·2)/2 = 2 for the second key, (2·1)/2 = 1 for the third
///
/// Write the loops yourself (Tensor's `[t, i]` subscript reads an element, `Tensor.zeros([t, s])`
/// makes the result); do not call the kernel's `matmul` or `attentionProbabilities`.
public func attentionScores(query: Tensor, keys: Tensor) -> Tensor {
    // TODO: check the shapes (precondition), then fill a (T, S) tensor with dot products / √D.
    return todo(Tensor.zeros([0, 0]))
}
