// Exercise 05.1 (sampling.softmax-with-temperature): a model's logits to next-token
// probabilities, sharpened or flattened by a temperature. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter SoftmaxWithTemperatureTests

#if canImport(Glibc)
import Glibc     // exp(_: Float) on Linux
#elseif canImport(Darwin)
import Darwin    // exp(_: Float) on macOS
#endif
import LabExercise

/// The next-token distribution at temperature T: `p[i] = e^(z[i]/T) / Σ_j e^(z[j]/T)`.
///
/// A language model gives one logit z[i] per vocabulary entry (V of them). Dividing them by T
/// before the softmax changes how peaked the distribution is, never the order of the tokens:
/// T < 1 widens the gaps (the likely tokens get likelier; T → 0 approaches greedy decoding),
/// T > 1 narrows them (toward uniform), T = 1 is the model's own distribution.
///
/// Compute it without overflow: subtract the largest scaled logit before `exp`, as in exercise
/// 00.3 (tensors.softmax); real logits divided by a small T easily exceed Float's e^88.
///
/// - Parameters:
///   - logits: (V) logits, V ≥ 1, at least one finite. A logit of -infinity (a token a filter
///     removed) must get probability exactly 0.
///   - temperature: T > 0 (temperature 0 is greedy decoding, which is not a division).
/// - Returns: (V) probabilities that sum to 1.
///
///     softmax([1, 2, 3], temperature: 1)      // [0.0900, 0.2447, 0.6652]
///     softmax([1, 2, 3], temperature: 0.5)    // [0.0159, 0.1173, 0.8668]: sharper
///     softmax([1, 2, 3], temperature: 2)      // [0.1863, 0.3072, 0.5065]: flatter
///     softmax([0, -.infinity], temperature: 0.7)   // [1, 0]
///
/// Do not use the kernel's `softmax` or `TemperatureScaling`; `exp` and a loop are all you need.
public func softmax(_ logits: [Float], temperature: Float) -> [Float] {
    // TODO: divide by the temperature, subtract the maximum, exponentiate, normalize.
    return todo([])
}
