// Solution 02.3 (language-models.cross-entropy-gradient): (softmax − one-hot) / N_kept on the
// counted rows, zeros on the ignored ones.

import Foundation
import LabKernel

/// The gradient of the mean cross-entropy with respect to the logits: dL/dz, the same shape.
///
/// For one counted row with logits z and target y, the loss is ℓ = logsumexp(z) − z[y]. Its
/// derivative with respect to z[j] is e^(z_j) / Σ_k e^(z_k) − [j = y], that is
/// softmax(z)[j] − onehot(y)[j]: push every wrong token down by its probability, and the right one
/// up by 1 − p[y]. So each row of the gradient sums to 0 (the probabilities sum to 1, the one-hot
/// too). The loss is the mean over the N_kept rows that are not ignored, so every counted row is
/// divided by N_kept; an ignored row does not enter the loss, and its gradient is all zeros.
/// (When every row is ignored the whole gradient is zeros, as in the kernel and PyTorch.)
///
/// This is the gradient the tape's `crossEntropy(logits:targets:ignoreIndex:)` passes back, fused
/// into one simple rule instead of chaining the rules of softmax, log and indexing. Compute the
/// softmax of each row stably (subtract the row's largest logit first).
///
/// - Parameters:
///   - logits: (N, V) scores, one row per position.
///   - targets: N ids, each in 0..<V or equal to `ignoreIndex`.
///   - ignoreIndex: rows with this target are skipped.
/// - Returns: (N, V) dL/dlogits: (softmax(row) − onehot(target)) / N_kept on counted rows, 0 on ignored ones.
///
///     crossEntropyGradient(logits: Tensor([[0, 0, 0, 0]]), targets: [2])
///     // [[0.25, 0.25, -0.75, 0.25]]: p = 1/4 everywhere, minus 1 at the target
///     crossEntropyGradient(logits: Tensor([[0, 0, 0, 0], [0, 0, 0, 0], [7, 8, 9, 10]]), targets: [2, 0, -100])
///     // [[0.125, 0.125, -0.375, 0.125],     the same rows divided by N_kept = 2
///     //  [-0.375, 0.125, 0.125, 0.125],
///     //  [0,     0,     0,      0    ]]     ignored: no gradient
///
/// Start from `Tensor.zeros(logits.shape)` and set elements with `gradient[r, j] = …`. You may
/// use the kernel's `softmax(_: Tensor)` (rows of an (N, V) tensor), but not the autograd
/// (`Variable`, `backward()`): this exercise writes its rule.
public func crossEntropyGradient(logits: Tensor, targets: [Int], ignoreIndex: Int = -100) -> Tensor {
    precondition(logits.rank == 2 && logits.shape[0] == targets.count,
                 "crossEntropyGradient: expected logits (N, V) with N = \(targets.count) targets, got \(logits.shape.shapeDescription)")
    let v = logits.shape[1]
    let kept = targets.filter { $0 != ignoreIndex }.count
    var gradient = Tensor.zeros(logits.shape)   // ignored rows stay 0
    for (r, target) in targets.enumerated() where target != ignoreIndex {
        precondition((0..<v).contains(target), "crossEntropyGradient: target \(target) of row \(r) is outside 0..<\(v)")
        // A stable softmax of row r: the largest logit subtracted, the sum in Double.
        let row = logits.scalars[(r * v)..<((r + 1) * v)]   // (V)
        let maximum = row.max()!
        let exponentials = row.map { exp(Double($0 - maximum)) }
        let sum = exponentials.reduce(0, +)
        for j in 0..<v {
            let probability = exponentials[j] / sum
            let oneHot = j == target ? 1.0 : 0.0
            gradient[r, j] = Float((probability - oneHot) / Double(kept))
        }
    }
    return gradient
}
