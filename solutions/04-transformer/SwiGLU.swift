// Solution 04.4 (transformer.swiglu): Llama's gated MLP with nn.Linear weights.

#if canImport(Glibc)
import Glibc     // exp(_: Float) on Linux
#elseif canImport(Darwin)
import Darwin    // exp(_: Float) on macOS
#endif
import LabKernel

/// Llama's SwiGLU MLP: `down(silu(gate(x)) ⊙ up(x))`, each token on its own: C -> F -> C.
///
/// Two projections of the same input: `gate(x)` goes through SiLU, `silu(v) = v · σ(v) =
/// v / (1 + e^(−v))`, and multiplies `up(x)` element by element, so each hidden unit decides how
/// much of its own signal passes. Llama's layers are `nn.Linear`: weights stored (out, in),
/// a layer computes x·Wᵀ. No biases.
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
public func swiGLU(_ x: Tensor, gate: Tensor, up: Tensor, down: Tensor) -> Tensor {
    let (c, f) = (x.shape[1], gate.shape[0])
    precondition(x.rank == 2 && gate.shape == [f, c] && up.shape == [f, c] && down.shape == [c, f],
                 "swiGLU: expected x (T, C), gate and up (F, C), down (C, F); got \(x.shape), \(gate.shape), \(up.shape), \(down.shape)")
    // silu(v) = v / (1 + e^-v): for v ≪ 0, e^-v overflows to inf and v / inf = -0, the right limit.
    let gated = matmul(x, transposed: gate).map { v in v / (1 + exp(-v)) }  // (T, C)·(F, C)ᵀ -> (T, F)
    let hidden = gated * matmul(x, transposed: up)                          // (T, F) ⊙ (T, F)
    return matmul(hidden, transposed: down)                                 // (T, F)·(C, F)ᵀ -> (T, C)
}
