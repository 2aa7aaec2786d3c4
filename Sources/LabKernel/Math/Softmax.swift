// Softmax and log-softmax over the last axis, computed stably.
//
// softmax(x)_i = e^(x_i) / Σ_j e^(x_j). Computed literally, e^x overflows Float for x > 88, so
// logits of 100 would give inf/inf = NaN. Subtracting the row maximum m first changes nothing
// mathematically (the factor e^(-m) cancels) and keeps every exponent ≤ 0. Log-softmax uses the
// log-sum-exp form x_i - m - log Σ_j e^(x_j - m), which never takes the log of a rounded-to-zero
// probability, so log-probabilities of very unlikely tokens stay finite and accurate.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Softmax over the last axis: every row becomes a probability distribution.
///
/// - Parameter x: logits, shape (…, V)
/// - Returns: probabilities, shape (…, V); each row sums to 1.
///
///     softmax(Tensor([1, 2, 3]))   // [0.0900, 0.2447, 0.6652]
public func softmax(_ x: Tensor) -> Tensor {
    precondition(x.rank >= 1, "softmax: needs at least one axis, the shape is \(x.shape.shapeDescription)")
    var result = x
    result.updateEachRow { row, width in
        var maximum = row[0]
        for j in 1..<width { maximum = max(maximum, row[j]) }
        var total = 0.0  // Double: a 150,000-token row of small terms would lose digits in Float
        for j in 0..<width {
            row[j] = expf(row[j] - maximum)
            total += Double(row[j])
        }
        let scale = Float(1 / total)
        for j in 0..<width { row[j] *= scale }
    }
    return result
}

/// Log-softmax over the last axis: `x - logsumexp(x)`, computed without forming probabilities.
///
/// - Parameter x: logits, shape (…, V)
/// - Returns: log-probabilities, shape (…, V)
public func logSoftmax(_ x: Tensor) -> Tensor {
    precondition(x.rank >= 1, "logSoftmax: needs at least one axis, the shape is \(x.shape.shapeDescription)")
    var result = x
    result.updateEachRow { row, width in
        // (x_j - m) - log Σ e^(x_j - m), not x_j - logsumexp: for logits near 1000 the rounded
        // logsumexp would carry an error of half a Float step at 1000 (3e-5) into every output.
        let (maximum, logSum) = shiftedLogSumExp(UnsafePointer(row), width)
        for j in 0..<width { row[j] = (row[j] - maximum) - logSum }
    }
    return result
}

/// log Σ_j e^(x_j) of `count` values, stable for any magnitude: m + log Σ_j e^(x_j - m).
/// The sum is accumulated in Double so that long rows (a 150,000-token vocabulary) stay exact.
func logSumExp(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
    let (maximum, logSum) = shiftedLogSumExp(x, count)
    return maximum + logSum
}

/// The two parts of log-sum-exp kept apart: the row maximum m and log Σ_j e^(x_j - m) (which lies
/// in [0, log count]). Callers that subtract a logit from the result stay accurate by computing
/// (x_j - m) first, which is exact for nearby values. An infinite maximum gives (m, 0).
func shiftedLogSumExp(_ x: UnsafePointer<Float>, _ count: Int) -> (maximum: Float, logSum: Float) {
    var maximum = x[0]
    for j in 1..<count { maximum = max(maximum, x[j]) }
    if maximum.isInfinite { return (maximum, 0) }
    var total = 0.0
    for j in 0..<count { total += Double(expf(x[j] - maximum)) }
    return (maximum, Float(log(total)))
}
