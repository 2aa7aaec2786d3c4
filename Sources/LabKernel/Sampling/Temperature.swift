// Temperature: dividing the logits by T before softmax.
//
// softmax(z / T): T < 1 widens the gaps between logits, so the likely tokens get likelier (T → 0
// approaches greedy decoding); T > 1 narrows them, flattening the distribution toward uniform.
// The order of tokens never changes, only how peaked the distribution is. The division is done
// in Float, exactly as transformers' `TemperatureLogitsWarper` does (`scores / temperature`),
// so results match it bit for bit; -infinity stays -infinity.
// Left out: T = 0, which is not a division but greedy decoding (`SamplingSettings` maps it there).

/// Divides every logit by the temperature.
///
///     TemperatureScaling(0.5).processed([1, 2])   // [2.0, 4.0]
public struct TemperatureScaling: LogitsProcessor {
    public let temperature: Float

    /// - Precondition: `temperature` is finite and > 0 (use greedy decoding for 0).
    public init(_ temperature: Float) {
        precondition(temperature > 0 && temperature.isFinite,
                     "TemperatureScaling: the temperature must be finite and > 0, got \(temperature); "
                     + "for greedy decoding use SamplingSettings(temperature: 0) or greedyToken(_:)")
        self.temperature = temperature
    }

    /// A finite logit stays finite: one near Float's limit divided by a temperature below 1 would
    /// overflow to infinity (and softmax would then give NaN), so it is held at the largest Float,
    /// which still wins every comparison. -infinity (a removed token) stays -infinity.
    public func process(_ logits: inout [Float], previousTokens: [Int]) {
        for j in logits.indices { logits[j] = keptFinite(logits[j] / temperature, from: logits[j]) }
    }
}

/// `value`, computed from `original`, held within ±Float.greatestFiniteMagnitude when `original`
/// was finite: a processor's arithmetic must not turn a finite logit into an infinity.
@inline(__always)
func keptFinite(_ value: Float, from original: Float) -> Float {
    original.isFinite ? min(max(value, -.greatestFiniteMagnitude), .greatestFiniteMagnitude) : value
}
