// Normalization layers: LayerNorm (GPT-2) and RMSNorm (Llama, Qwen2).
//
// Both rescale each row (one token's C features) to a standard size before a learned gain:
// LayerNorm subtracts the mean and divides by the standard deviation; RMSNorm only divides by
// the root mean square (no centering, no bias), which is cheaper and works as well in practice.
// The epsilon goes inside the square root, as in PyTorch: 1/sqrt(var + eps). Statistics are
// accumulated in Double so rows with a large mean do not lose the variance to cancellation.

/// LayerNorm over the last axis: `(x - mean) / sqrt(var + eps) * weight + bias`, with the
/// biased variance (divide by C), as `torch.nn.LayerNorm`.
///
/// - Parameters:
///   - x: shape (…, C)
///   - weight: gain, shape (C)
///   - bias: shape (C), or nil for none
///   - epsilon: added to the variance; GPT-2 uses 1e-5
/// - Returns: shape (…, C)
public func layerNorm(_ x: Tensor, weight: Tensor, bias: Tensor?, epsilon: Float = 1e-5) -> Tensor {
    normalizeRows(x, weight: weight, bias: bias, epsilon: epsilon, centered: true, "layerNorm").output
}

/// RMSNorm over the last axis: `x / sqrt(mean(x²) + eps) * weight`, as Llama's `LlamaRMSNorm`.
///
/// - Parameters:
///   - x: shape (…, C)
///   - weight: gain, shape (C)
///   - epsilon: added to the mean square; Llama uses 1e-5 or 1e-6 (from config.json)
/// - Returns: shape (…, C)
public func rmsNorm(_ x: Tensor, weight: Tensor, epsilon: Float = 1e-6) -> Tensor {
    normalizeRows(x, weight: weight, bias: nil, epsilon: epsilon, centered: false, "rmsNorm").output
}

/// The shared row normalization. Returns the output and, per row, the mean in Double (0 when not
/// centered; kept in Double so the backward pass rebuilds x̂ exactly as the forward did) and the reciprocal standard deviation (or RMS), which the backward pass reuses.
func normalizeRows(_ x: Tensor, weight: Tensor, bias: Tensor?, epsilon: Float, centered: Bool,
                   _ name: String) -> (output: Tensor, mean: [Double], inverseDeviation: [Float]) {
    precondition(x.rank >= 1, "\(name): needs at least one axis, the shape is \(x.shape.shapeDescription)")
    let width = x.shape[x.rank - 1]
    precondition(weight.shape == [width],
                 "\(name): weight has shape \(weight.shape.shapeDescription), expected [\(width)] to match x \(x.shape.shapeDescription)")
    if let bias {
        precondition(bias.shape == [width],
                     "\(name): bias has shape \(bias.shape.shapeDescription), expected [\(width)] to match x \(x.shape.shapeDescription)")
    }
    let rows = width == 0 ? 0 : x.count / width
    var output = x
    var means = [Double](repeating: 0, count: rows)
    var inverseDeviations = [Float](repeating: 0, count: rows)
    output.withUnsafeMutableBufferPointer { buffer in
        weight.withUnsafeBufferPointer { w in
            withOptionalBuffer(bias) { b in
                for r in 0..<rows {
                    let row = buffer.baseAddress! + r * width
                    (means[r], inverseDeviations[r]) = normalizeRow(row, into: row, width: width, weight: w.baseAddress!,
                                                                    bias: b?.baseAddress, epsilon: epsilon, centered: centered)
                }
            }
        }
    }
    return (output, means, inverseDeviations)
}

/// One row of `normalizeRows`: out = (x − mean)/sqrt(mean square + ε)·weight (+ bias), the mean 0
/// unless `centered`. `x` and `out` may be the same memory. Returns the mean and 1/deviation.
/// Also the decoding path's norm (TransformerModel+Decoding.swift), so both compute the same bits.
func normalizeRow(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, width: Int,
                  weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, epsilon: Float,
                  centered: Bool) -> (mean: Double, inverseDeviation: Float) {
    var mean = 0.0
    if centered {
        for j in 0..<width { mean += Double(x[j]) }
        mean /= Double(width)
    }
    var squares = 0.0
    for j in 0..<width {
        let d = Double(x[j]) - mean
        squares += d * d
    }
    let inverse = 1 / (squares / Double(width) + Double(epsilon)).squareRoot()
    // Centered and scaled in Double: for a row near -1000, x - Float(mean) would carry the
    // mean's rounding (3e-5) into every output.
    for j in 0..<width {
        let normalized = Float((Double(x[j]) - mean) * inverse)
        out[j] = normalized * weight[j] + (bias?[j] ?? 0)
    }
    return (mean, Float(inverse))
}

/// Calls `body` with the tensor's buffer, or with nil when there is no tensor.
func withOptionalBuffer<R>(_ tensor: Tensor?, _ body: (UnsafeBufferPointer<Float>?) -> R) -> R {
    guard let tensor else { return body(nil) }
    return tensor.withUnsafeBufferPointer { body($0) }
}
