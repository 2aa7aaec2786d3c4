// Differentiable LayerNorm and RMSNorm over the last axis.
//
// The forward pass is the kernel's `normalizeRows` (Math/Norms.swift), which also returns each
// row's mean and reciprocal deviation r; the backward pass reuses them to rebuild the normalized
// row x̂ instead of storing it. Both norms share one backward function: RMSNorm is LayerNorm
// without centering, and its gradient is LayerNorm's without the mean term.
//
// Left out: a fused residual add, and statistics over more than the last axis.

/// LayerNorm over the last axis: `(x − mean) / sqrt(var + eps) · weight + bias`, as
/// `torch.nn.LayerNorm`.
///
/// - Parameters:
///   - x: shape (…, C)
///   - weight: gain, shape (C)
///   - bias: shape (C), or nil for none
///   - epsilon: added to the variance; GPT-2 uses 1e-5
/// - Returns: shape (…, C)
///
/// Backward, per row, with x̂ = (x − μ)·r, r = 1/sqrt(var + ε), and d = g ⊙ weight (the gradient
/// reaching x̂): differentiating through μ and r gives the standard efficient form
/// `dx = r · (d − mean(d) − x̂ · mean(d ⊙ x̂))`; and `dweight = Σ_rows g ⊙ x̂`, `dbias = Σ_rows g`.
public func layerNorm(_ x: Variable, weight: Variable, bias: Variable?, epsilon: Float = 1e-5) -> Variable {
    recordRowNormalization(x, weight: weight, bias: bias, epsilon: epsilon, centered: true, "layerNorm")
}

/// RMSNorm over the last axis: `x / sqrt(mean(x²) + eps) · weight`, as Llama's `LlamaRMSNorm`.
///
/// - Parameters:
///   - x: shape (…, C)
///   - weight: gain, shape (C)
///   - epsilon: added to the mean square; Llama uses 1e-5 or 1e-6
/// - Returns: shape (…, C)
///
/// Backward, per row, with x̂ = x·r, r = 1/sqrt(mean(x²) + ε) and d = g ⊙ weight: since
/// ∂r/∂x_j = −r³x_j/C, `dx = r · (d − x̂ · mean(d ⊙ x̂))`; and `dweight = Σ_rows g ⊙ x̂`.
public func rmsNorm(_ x: Variable, weight: Variable, epsilon: Float = 1e-6) -> Variable {
    recordRowNormalization(x, weight: weight, bias: nil, epsilon: epsilon, centered: false, "rmsNorm")
}

/// Records the shared row normalization; `centered` selects LayerNorm (true) or RMSNorm.
private func recordRowNormalization(_ x: Variable, weight: Variable, bias: Variable?, epsilon: Float,
                                    centered: Bool, _ name: String) -> Variable {
    let (input, gain) = (x.value, weight.value)
    let forward = normalizeRows(input, weight: gain, bias: bias?.value, epsilon: epsilon,
                                centered: centered, name)
    let (means, inverseDeviations) = (forward.mean, forward.inverseDeviation)
    let (needX, hasBias) = (x.requiresGrad, bias != nil)
    return Variable.record(name, forward.output, inputs: [x, weight] + (bias.map { [$0] } ?? [])) { g in
        let width = gain.count
        let rows = width == 0 ? 0 : input.count / width
        var dx = Tensor.zeros(input.shape)
        var dWeight = [Double](repeating: 0, count: width)
        var dBias = [Double](repeating: 0, count: width)
        var normalized = [Float](repeating: 0, count: width)  // x̂ of the current row
        var scaled = [Float](repeating: 0, count: width)      // d = g ⊙ weight of the current row
        input.withUnsafeBufferPointer { xs in
            g.withUnsafeBufferPointer { gs in
                dx.withUnsafeMutableBufferPointer { dxs in
                    for r in 0..<rows {
                        let offset = r * width
                        let (mean, inverse) = (means[r], inverseDeviations[r])
                        var meanScaled: Float = 0, meanScaledNormalized: Float = 0
                        for j in 0..<width {
                            normalized[j] = Float(Double(xs[offset + j]) - mean) * inverse
                            scaled[j] = gs[offset + j] * gain.scalars[j]
                            meanScaled += scaled[j]
                            meanScaledNormalized += scaled[j] * normalized[j]
                            dWeight[j] += Double(gs[offset + j] * normalized[j])
                            dBias[j] += Double(gs[offset + j])
                        }
                        guard needX else { continue }
                        meanScaled = centered ? meanScaled / Float(width) : 0
                        meanScaledNormalized /= Float(width)
                        for j in 0..<width {
                            dxs[offset + j] = inverse * (scaled[j] - meanScaled - normalized[j] * meanScaledNormalized)
                        }
                    }
                }
            }
        }
        let weightGradient = Tensor(shape: [width], scalars: dWeight.map { Float($0) })
        let biasGradient = Tensor(shape: [width], scalars: dBias.map { Float($0) })
        return [needX ? dx : nil, weightGradient] + (hasBias ? [biasGradient] : [])
    }
}
