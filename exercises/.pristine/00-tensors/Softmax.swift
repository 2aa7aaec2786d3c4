// Exercise 00.3 (tensors.softmax): turn logits into probabilities without overflowing Float.
// Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter SoftmaxTests

#if canImport(Glibc)
import Glibc     // exp(_: Float) on Linux
#elseif canImport(Darwin)
import Darwin    // exp(_: Float) on macOS
#endif
import LabExercise

/// Softmax: `p[i] = e^(x[i]) / Σ_j e^(x[j])`, computed so that it never overflows.
///
/// Softmax turns any V numbers (a model's logits, one per vocabulary entry) into a probability
/// distribution: every p[i] is in [0, 1], they sum to 1, and a larger logit gets a larger share.
///
/// The catch: Float's largest value is about 3.4·10³⁸ ≈ e^88.7, so written literally,
/// `exp(100)` is already `inf`, and inf / inf is NaN. Real logits reach such values (and
/// attention scores before scaling even more). Your version must give the right answer for
/// logits like [1000, 1001, 1002] too. Find a rewrite of the formula that is mathematically
/// the same but keeps every exponent small.
///
/// - Parameter logits: V numbers, any size (at least one of them finite). A logit of -infinity
///   (a masked-out position) must get probability exactly 0.
/// - Returns: V probabilities that sum to 1; `[]` for `[]`.
///
///     softmax([1, 2, 3])            // [0.0900, 0.2447, 0.6652]
///     softmax([1001, 1002, 1003])   // the same: only differences between logits matter
///     softmax([0, -.infinity])      // [1, 0]
///
/// Do not use the kernel's `softmax`/`logSoftmax` (that would be the answer, not the exercise);
/// `exp` from the import above and a loop or `map`/`reduce` are all you need.
public func softmax(_ logits: [Float]) -> [Float] {
    // TODO: compute the probabilities stably. Remember the empty input.
    return todo([])
}
