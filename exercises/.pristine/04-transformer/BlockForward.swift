// Exercise 04.5 (transformer.block-forward): a pre-norm transformer block from its parts. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter BlockForwardTests

import LabExercise
import LabKernel

/// One pre-norm transformer block, as in GPT-2 and every Llama:
///
///     x = x + attention(attentionNorm(x))
///     x = x + mlp(mlpNorm(x))
///
/// The block only wires its parts together: each sublayer reads a normalized copy of the
/// residual stream and adds its result back (the residual connection). The second norm reads the
/// stream *after* attention's contribution was added. The parts come as functions, so the same
/// block serves GPT-2 (LayerNorm, GELU MLP) and Llama (RMSNorm, SwiGLU, RoPE inside attention).
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
///
/// Call each part exactly once.
public func blockForward(_ x: Tensor, attentionNorm: (Tensor) -> Tensor, attention: (Tensor) -> Tensor,
                         mlpNorm: (Tensor) -> Tensor, mlp: (Tensor) -> Tensor) -> Tensor {
    // TODO: add attention's result to x, then the MLP's result to that.
    return todo(x)
}
