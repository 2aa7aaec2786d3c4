// Solution 04.5 (transformer.block-forward): the pre-norm block, two residual additions.

import LabKernel

/// One pre-norm transformer block, as in GPT-2 and every Llama:
///
///     x = x + attention(attentionNorm(x))
///     x = x + mlp(mlpNorm(x))
///
/// Each sublayer reads a normalized copy of the residual stream and adds its result back, so the
/// stream itself is never normalized: the embedding reaches the top unchanged unless a layer adds
/// something, and gradients flow down the additions undisturbed. The second norm reads the
/// stream after attention's contribution was added.
///
/// - Parameters:
///   - x: the residual stream, (T, C)
///   - attentionNorm, mlpNorm: (T, C) -> (T, C), e.g. a LayerNorm with its gain and bias
///   - attention: causal self-attention with its projections, (T, C) -> (T, C)
///   - mlp: (T, C) -> (T, C)
/// - Returns: (T, C)
///
///     // With every part the identity: x + x = 2x, then 2x + 2x = 4x.
///     blockForward(Tensor([[1, 2]]), attentionNorm: { $0 }, attention: { $0 }, mlpNorm: { $0 }, mlp: { $0 })
///     // [[4, 8]]
public func blockForward(_ x: Tensor, attentionNorm: (Tensor) -> Tensor, attention: (Tensor) -> Tensor,
                         mlpNorm: (Tensor) -> Tensor, mlp: (Tensor) -> Tensor) -> Tensor {
    let afterAttention = x + attention(attentionNorm(x))    // (T, C)
    return afterAttention + mlp(mlpNorm(afterAttention))   // (T, C)
}
