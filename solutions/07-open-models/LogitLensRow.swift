// Solution 07.3 (open-models.logit-lens-row): the logit lens for one position: final norm, then the head.


/// The logit lens for one position: a residual-stream state read through the final norm and head.
///
/// A GPT-2 model sends only its last block's output through the final LayerNorm (ln_f) and the
/// LM head. The logit lens sends any layer's state through the same two, to read what that
/// layer would predict: first LayerNorm with the state's own statistics,
/// n = (h − mean) / sqrt(variance + ε) · gain + bias (the variance divides by C, as in lesson 04),
/// then one logit per token, logits[v] = Σ_c head[v·C + c] · n[c].
///
/// - Parameters:
///   - state: (C) the residual stream at one position after some block.
///   - gain, bias: (C) the final norm's weight and bias.
///   - epsilon: the norm's ε (config.json's layer_norm_epsilon, 1e-5 for GPT-2).
///   - head: (V, C) the LM head, row-major: token v's row at v·C ..< (v + 1)·C (GPT-2's is the
///     token embedding).
/// - Returns: (V) the logits.
///
///     // C = 2: state [1, 3] has mean 2, variance 1 → n = [-1, 1] (ε 0, gain 1, bias 0)
///     lensLogits(state: [1, 3], gain: [1, 1], bias: [0, 0], epsilon: 0, head: [1, 0, 0, 1, 2, 2])   // [-1, 1, 0]
public func lensLogits(state: [Float], gain: [Float], bias: [Float], epsilon: Float, head: [Float]) -> [Float] {
    let width = state.count
    let mean = state.reduce(0, +) / Float(width)
    let variance = state.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(width)
    let inverse = 1 / (variance + epsilon).squareRoot()
    let normalized = (0..<width).map { (state[$0] - mean) * inverse * gain[$0] + bias[$0] }
    return (0..<(head.count / width)).map { v in
        var logit: Float = 0
        for c in 0..<width { logit += head[v * width + c] * normalized[c] }
        return logit
    }
}
