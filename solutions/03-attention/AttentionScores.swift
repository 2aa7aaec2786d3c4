// Solution 03.1 (attention.attention-scores): the scaled dot-product scores of one attention head.

import LabKernel

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
public func attentionScores(query: Tensor, keys: Tensor) -> Tensor {
    precondition(query.rank == 2 && keys.rank == 2 && query.shape[1] == keys.shape[1],
                 "attentionScores: expected query (T, D) and keys (S, D), got \(query.shape.shapeDescription) and \(keys.shape.shapeDescription)")
    let (t, s, d) = (query.shape[0], keys.shape[0], query.shape[1])
    let scale = 1 / Float(d).squareRoot()
    var scores = Tensor.zeros([t, s])
    for row in 0..<t {
        for column in 0..<s {
            var dot: Float = 0
            for i in 0..<d { dot += query[row, i] * keys[column, i] }
            scores[row, column] = dot * scale  // multiply by 1/√D once per score
        }
    }
    return scores
}
