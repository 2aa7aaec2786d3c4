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

    public func process(_ logits: inout [Float], previousTokens: [Int]) {
        for j in logits.indices { logits[j] = logits[j] / temperature }
    }
}
