// Exercise 02.2 (language-models.cross-entropy-loss): the loss every language model is trained
// on, computed so that it never overflows, and perplexity, the same number read as a count of
// choices. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter CrossEntropyLossTests

import Foundation   // exp and log
import LabKernel
import LabExercise

/// The mean cross-entropy of `targets` under `logits`: how surprised the model is by the right
/// answers, in nats per token.
///
/// Row r of the logits scores every possible next token; softmax turns it into probabilities
/// p = e^z / Σ_j e^(z_j), and the loss of the row is −ln p[target], which is 0 when the model gave
/// the right token probability 1 and grows without bound as that probability falls to 0. Written
/// out, −ln p[y] = logsumexp(z) − z[y] with logsumexp(z) = ln Σ_j e^(z_j), and that form is the
/// one to compute: the softmax itself is never needed.
///
/// Computed naively, e^(z_j) overflows Float for logits above ~88 (e^89 is infinity, and ∞/∞ is
/// NaN). Subtract the row's largest logit m first: logsumexp(z) = m + ln Σ_j e^(z_j − m), where
/// every exponent is ≤ 0 and the largest term is exactly 1. So the loss of a row is
/// (m − z[y]) + ln Σ_j e^(z_j − m): take the difference of the two logits first and keep the sum
/// and the total in Double, so that logits near 1000 lose nothing to Float rounding.
///
/// The result is the mean over the rows whose target is not `ignoreIndex` (PyTorch's
/// `F.cross_entropy` with its default `ignore_index=-100`): padded positions of a batch count for
/// nothing, neither in the sum nor in the number of rows it is divided by. If every row is ignored
/// there is nothing to average: return NaN (0 / 0), as PyTorch and the kernel do.
///
/// - Parameters:
///   - logits: (N, V) scores, one row per position.
///   - targets: N ids, each in 0..<V or equal to `ignoreIndex`.
///   - ignoreIndex: rows with this target are skipped.
/// - Returns: the mean loss over the counted rows, ≥ 0 (NaN if no row is counted).
///
///     crossEntropyLoss(logits: Tensor([[1, 2, 3]]), targets: [2])      // 0.4076 = −ln(e³ / (e + e² + e³))
///     crossEntropyLoss(logits: Tensor([[1, 2, 3]]), targets: [0])      // 2.4076: a less likely token
///     crossEntropyLoss(logits: Tensor([[0, 0, 0, 0]]), targets: [1])   // 1.3863 = ln 4: all 4 tokens equally likely
///     crossEntropyLoss(logits: Tensor([[1, 2, 3], [5, 0, 0]]), targets: [2, -100])   // 0.4076: row 1 ignored
///     crossEntropyLoss(logits: Tensor([[10001, 10002, 10003]]), targets: [2])        // 0.4076, not NaN
///
/// Read the logits with `logits[r, j]` (or `logits.scalars[r * V + j]`, row-major); V is
/// `logits.shape[1]`.
public func crossEntropyLoss(logits: Tensor, targets: [Int], ignoreIndex: Int = -100) -> Float {
    // TODO: for each counted row add (m − z[target]) + ln Σ_j e^(z_j − m) in Double; divide by the count.
    return todo(0)
}

/// The perplexity of a mean cross-entropy `loss` (in nats): e^loss.
///
/// A model whose loss is ln V is exactly as unsure as one that picks among V tokens uniformly, so
/// e^loss reads as "the model is choosing between this many tokens": the effective vocabulary
/// size. A perfect model has perplexity 1; a uniform one over V tokens has perplexity V.
///
/// - Parameter loss: a mean cross-entropy in nats (natural logarithms), ≥ 0.
/// - Returns: e^loss, ≥ 1.
///
///     perplexity(loss: 0)                 // 1: always right, with probability 1
///     perplexity(loss: 1.3862944)         // 4.0: ln 4, as unsure as a fair choice among 4 tokens
public func perplexity(loss: Float) -> Float {
    // TODO: one line.
    return todo(0)
}
