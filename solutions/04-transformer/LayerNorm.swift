// Solution 04.1 (transformer.layer-norm): LayerNorm with the statistics in Double.

import LabKernel

/// LayerNorm over each row of x: `(x − mean) / sqrt(variance + ε) · gain + bias`.
///
/// Every row is one token's C features. LayerNorm moves the row to mean 0 and spread 1, then
/// lets the model pick its own scale (`gain`) and offset (`bias`) per feature. The variance
/// divides by C and ε goes inside the square root, as in PyTorch. The mean and variance are
/// summed in Double and the variance is taken around the mean (two passes), so a row with a large
/// mean does not lose its small spread to rounding.
///
/// - Parameters:
///   - x: (T, C), T ≥ 1 rows
///   - gain: (C), the learned scale (`ln_1.weight` in a GPT-2 checkpoint)
///   - bias: (C), the learned offset (`ln_1.bias`)
///   - epsilon: added to the variance; GPT-2 uses 1e-5
/// - Returns: (T, C)
///
///     layerNorm(Tensor([[1, 2, 3]]), gain: Tensor([1, 1, 1]), bias: Tensor([0, 0, 0]), epsilon: 0)
///     // [[-1.2247, 0, 1.2247]]: mean 2, variance 2/3, so (x − 2) / 0.8165
public func layerNorm(_ x: Tensor, gain: Tensor, bias: Tensor, epsilon: Float) -> Tensor {
    precondition(x.rank == 2 && gain.shape == [x.shape[1]] && bias.shape == [x.shape[1]],
                 "layerNorm: x must be (T, C) with gain and bias (C), got \(x.shape), \(gain.shape), \(bias.shape)")
    let (rows, c) = (x.shape[0], x.shape[1])
    var out = x
    for t in 0..<rows {
        let mean = (0..<c).reduce(0.0) { $0 + Double(x[t, $1]) } / Double(c)
        let variance = (0..<c).reduce(0.0) { $0 + (Double(x[t, $1]) - mean) * (Double(x[t, $1]) - mean) } / Double(c)
        let scale = 1 / (variance + Double(epsilon)).squareRoot()
        for i in 0..<c { out[t, i] = Float((Double(x[t, i]) - mean) * scale) * gain[i] + bias[i] }
    }
    return out
}
