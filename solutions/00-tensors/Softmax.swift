// Solution 00.3 (tensors.softmax): softmax with the maximum subtracted first.

#if canImport(Glibc)
import Glibc     // exp(_: Float) on Linux
#elseif canImport(Darwin)
import Darwin    // exp(_: Float) on macOS
#endif

/// Softmax: `p[i] = e^(x[i]) / Σ_j e^(x[j])`, computed so that it never overflows.
///
/// Softmax turns any V numbers (a model's logits, one per vocabulary entry) into a probability
/// distribution: every p[i] is in [0, 1], they sum to 1, and a larger logit gets a larger share.
///
/// Why subtracting the maximum m works: e^(x[i] - m) = e^(x[i]) · e^(-m), and the common factor
/// e^(-m) cancels between numerator and denominator, so the result is unchanged. But now every
/// exponent is ≤ 0, so every e^(…) is in (0, 1]: nothing overflows, and the largest logit
/// contributes exactly 1 to the sum, so the sum is ≥ 1 and the division is safe too.
///
/// - Parameter logits: V numbers, any size (at least one of them finite). A logit of -infinity
///   (a masked-out position) gets probability exactly 0.
/// - Returns: V probabilities that sum to 1; `[]` for `[]`.
///
///     softmax([1, 2, 3])            // [0.0900, 0.2447, 0.6652]
///     softmax([1001, 1002, 1003])   // the same: only differences between logits matter
///     softmax([0, -.infinity])      // [1, 0]
public func softmax(_ logits: [Float]) -> [Float] {
    // The empty input has no maximum; its softmax is empty.
    guard let maximum = logits.max() else { return [] }
    // Shift so the largest exponent is exactly 0. A masked logit gives e^(-inf) = 0.
    let exponentials = logits.map { exp($0 - maximum) }
    let total = exponentials.reduce(0, +)
    return exponentials.map { $0 / total }
}
