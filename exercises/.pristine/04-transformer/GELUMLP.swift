// Exercise 04.3 (transformer.gelu-mlp): GPT-2's MLP, with its weights as stored in the checkpoint.
// Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter GELUMLPTests

import LabExercise
import LabKernel

/// GPT-2's MLP: `down(gelu(up(x)))`, each token on its own: C -> F -> C.
///
/// GPT-2 stores its linear layers as `Conv1D`, with the weight (in, out), so a layer is a plain
/// `x·W + b` (PyTorch's `nn.Linear`, used by Llama, stores (out, in) and computes x·Wᵀ). The
/// activation is GELU in its tanh form (GPT-2's "gelu_new"):
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
///
/// You may use the kernel's `matmul(_:_:)` and Tensor arithmetic (`+` adds a (F) bias to every
/// row of a (T, F) tensor, `map` applies a function to every element); write GELU yourself
/// (not the kernel's `gelu`), and do not use the kernel's `linear`.
public func gpt2MLP(_ x: Tensor, up: Tensor, upBias: Tensor, down: Tensor, downBias: Tensor) -> Tensor {
    // TODO: check the shapes, then hidden = gelu(x·up + upBias), (T, F); return hidden·down + downBias.
    return todo(x)
}
