// Solution 04.2 (transformer.rms-norm): RMSNorm with the mean square in Double.

import LabKernel

/// RMSNorm over each row of x: `x / sqrt(mean(x²) + ε) · gain`.
///
/// Llama, Qwen, Mistral and SmolLM normalize with RMSNorm instead of LayerNorm: no mean is
/// subtracted and there is no bias, only a division by the row's root mean square. ε goes inside
/// the square root, so a row of zeros stays zeros instead of becoming 0/0.
///
/// - Parameters:
///   - x: (T, C), T ≥ 1 rows
///   - gain: (C), the learned scale (`input_layernorm.weight` in a Llama checkpoint)
///   - epsilon: added to the mean square; Llama uses 1e-5 or 1e-6 (config.json's `rms_norm_eps`)
/// - Returns: (T, C)
///
///     rmsNorm(Tensor([[3, 4]]), gain: Tensor([1, 2]), epsilon: 0)
///     // [[0.8485, 2.2627]]: mean of squares (9 + 16) / 2 = 12.5, root 3.5355; 3 / 3.5355, 2 · 4 / 3.5355
public func rmsNorm(_ x: Tensor, gain: Tensor, epsilon: Float) -> Tensor {
    precondition(x.rank == 2 && gain.shape == [x.shape[1]],
                 "rmsNorm: x must be (T, C) with gain (C), got \(x.shape) and \(gain.shape)")
    let (rows, c) = (x.shape[0], x.shape[1])
    var out = x
    for t in 0..<rows {
        let meanSquare = (0..<c).reduce(0.0) { $0 + Double(x[t, $1]) * Double(x[t, $1]) } / Double(c)
        let scale = 1 / (meanSquare + Double(epsilon)).squareRoot()
        for i in 0..<c { out[t, i] = Float(Double(x[t, i]) * scale) * gain[i] }
    }
    return out
}
