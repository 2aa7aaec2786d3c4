// Exercise 04.4 (transformer.swiglu): Llama's gated MLP. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter SwiGLUTests

import LabExercise
import LabKernel

/// Llama's SwiGLU MLP: `down(silu(gate(x)) ⊙ up(x))`, each token on its own: C -> F -> C.
///
/// Two projections of the same input: `gate(x)` goes through SiLU, `silu(v) = v · σ(v) =
/// v / (1 + e^(−v))`, and multiplies `up(x)` element by element, so each hidden unit decides how
/// much of its own signal passes. Then `down` maps back to C. Llama's layers are `nn.Linear`:
/// the weights are stored (out, in) and a layer computes x·Wᵀ. No biases.
///
/// - Parameters:
///   - x: (T, C)
///   - gate: (F, C), `mlp.gate_proj.weight`
///   - up: (F, C), `mlp.up_proj.weight`
///   - down: (C, F), `mlp.down_proj.weight`
/// - Returns: (T, C)
///
///     // C = F = 1: down · silu(gate · x) · (up · x)
///     swiGLU(Tensor([[2]]), gate: Tensor([[1]]), up: Tensor([[3]]), down: Tensor([[0.5]]))
///     // [[5.2848]]  = 0.5 · silu(2) · 6, silu(2) = 2 / (1 + e^-2) = 1.7616
///
/// You may use the kernel's `matmul(_:transposed:)` (a·bᵀ) and Tensor arithmetic (`*` multiplies
/// element by element, `map` applies a function to every element); write SiLU yourself (not the
/// kernel's `silu`), and do not use the kernel's `linear`.
public func swiGLU(_ x: Tensor, gate: Tensor, up: Tensor, down: Tensor) -> Tensor {
    // TODO: check the shapes, then gated = silu(x·gateᵀ), hidden = gated ⊙ (x·upᵀ), return hidden·downᵀ.
    return todo(x)
}
