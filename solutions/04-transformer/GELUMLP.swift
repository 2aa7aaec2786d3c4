// Solution 04.3 (transformer.gelu-mlp): GPT-2's MLP with Conv1D weights and the tanh GELU.

#if canImport(Glibc)
import Glibc     // tanh(_: Float) on Linux
#elseif canImport(Darwin)
import Darwin    // tanh(_: Float) on macOS
#endif
import LabKernel

/// GPT-2's MLP: `down(gelu(up(x)))`, each token on its own: C -> F -> C.
///
/// GPT-2 stores its linear layers as `Conv1D`, with the weight (in, out), so a layer is a plain
/// `x·W + b`. The activation is GELU in its tanh form (GPT-2's "gelu_new"):
///
///     gelu(v) = 0.5 · v · (1 + tanh(√(2/π) · (v + 0.044715 · v³)))     √(2/π) ≈ 0.7978845608
///
/// - Parameters:
///   - x: (T, C)
///   - up: (C, F), `mlp.c_fc.weight`; upBias (F), `mlp.c_fc.bias`
///   - down: (F, C), `mlp.c_proj.weight`; downBias (C), `mlp.c_proj.bias`
/// - Returns: (T, C)
///
///     // C = F = 1, up = [[1]], down = [[2]], biases 0: 2 · gelu(x)
///     gpt2MLP(Tensor([[1]]), up: Tensor([[1]]), upBias: Tensor([0]), down: Tensor([[2]]), downBias: Tensor([0]))
///     // [[1.6824]]  (gelu(1) = 0.8412)
public func gpt2MLP(_ x: Tensor, up: Tensor, upBias: Tensor, down: Tensor, downBias: Tensor) -> Tensor {
    let (c, f) = (x.shape[1], up.shape[1])
    precondition(x.rank == 2 && up.shape == [c, f] && upBias.shape == [f] && down.shape == [f, c] && downBias.shape == [c],
                 "gpt2MLP: expected x (T, C), up (C, F), upBias (F), down (F, C), downBias (C); got \(x.shape), "
                    + "\(up.shape), \(upBias.shape), \(down.shape), \(downBias.shape)")
    let hidden = (matmul(x, up) + upBias).map { v in  // (T, C)·(C, F) -> (T, F)
        0.5 * v * (1 + tanh(0.797_884_56 * (v + 0.044_715 * v * v * v)))
    }
    return matmul(hidden, down) + downBias  // (T, F)·(F, C) -> (T, C)
}
