// Exercise 04.2 (transformer.rms-norm): Llama's RMSNorm, row by row. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter RMSNormTests

import LabExercise
import LabKernel

/// RMSNorm over each row of x: `x / sqrt(mean(x²) + ε) · gain`.
///
/// Llama, Qwen, Mistral and SmolLM normalize with RMSNorm instead of LayerNorm: no mean is
/// subtracted and there is no bias, only a division by the row's root mean square. It is cheaper
/// and trains as well. As in LayerNorm, ε goes inside the square root; a row of zeros stays zeros.
///
/// - Parameters:
///   - x: (T, C), T ≥ 1 rows
///   - gain: (C), the learned scale (`input_layernorm.weight` in a Llama checkpoint)
///   - epsilon: added to the mean square; Llama uses 1e-5 or 1e-6 (config.json's `rms_norm_eps`)
/// - Returns: (T, C)
///
///     rmsNorm(Tensor([[3, 4]]), gain: Tensor([1, 2]), epsilon: 0)
///     // [[0.8485, 2.2627]]: mean of squares (9 + 16) / 2 = 12.5, root 3.5355; 3 / 3.5355, 2 · 4 / 3.5355
///
/// Do not call the kernel's `rmsNorm(_:weight:epsilon:)`: that is the answer.
public func rmsNorm(_ x: Tensor, gain: Tensor, epsilon: Float) -> Tensor {
    // TODO: check the shapes, then for every row: the mean of its squares, and each element
    // divided by sqrt(that + epsilon) and scaled by gain[i].
    return todo(x)
}
