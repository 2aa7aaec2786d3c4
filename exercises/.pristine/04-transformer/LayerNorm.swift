// Exercise 04.1 (transformer.layer-norm): GPT-2's LayerNorm, row by row. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter LayerNormTests

import LabExercise
import LabKernel

/// LayerNorm over each row of x: `(x − mean) / sqrt(variance + ε) · gain + bias`.
///
/// Every row is one token's C features. LayerNorm moves the row to mean 0 and spread 1, then
/// lets the model pick its own scale (`gain`) and offset (`bias`) per feature. GPT-2 puts one in
/// front of every attention and every MLP, and one before the LM head.
///
/// Two details decide whether you match PyTorch: the variance divides by C (the "biased"
/// variance, not C − 1), and ε goes inside the square root. A constant row has variance 0: ε
/// keeps the division finite and the row comes out as exactly `bias`.
///
/// Numerical care: one row in the tests has mean −1000 and a spread below 1. Compute the variance
/// from (x − mean)², not as mean(x²) − mean² (two numbers near 10⁶ that cancel), and add up the
/// sums in `Double`: a Float sum of values near −1000 is off by about 10⁻³, more than the spread
/// can afford.
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
///
/// Read and write elements with `x[t, i]` (a `var` copy of x can be the output). Do not call
/// the kernel's `layerNorm(_:weight:bias:epsilon:)`: that is the answer.
public func layerNorm(_ x: Tensor, gain: Tensor, bias: Tensor, epsilon: Float) -> Tensor {
    // TODO: check the shapes (precondition), then for every row: its mean, its variance,
    // and each element normalized, scaled by gain[i] and shifted by bias[i].
    return todo(x)
}
