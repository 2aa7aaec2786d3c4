// Exercise 06.3 (finetuning.merge-adapter): fold a LoRA update into its weight, in both storage layouts. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter MergeAdapterTests

import LabExercise

/// Merges a LoRA update into its frozen weight: W' = W + scale·B·A, in the weight's own layout.
///
/// After merging, the model computes W'·x in one product, exactly what W·x + scale·B·(A·x) gives
/// (up to rounding), so an adapted model runs at the base model's speed. B·A is (out, in), the
/// shape nn.Linear stores its weight in (Llama, Qwen2). GPT-2 stores its projections the other
/// way round, as Conv1D weights of shape (in, out): there the update must be added transposed,
/// (B·A)ᵀ. PEFT calls that case `fan_in_fan_out` and so does this function.
///
/// - Parameters:
///   - weight: W, (out, in) row-major, or (in, out) when `fanInFanOut`.
///   - a: (r, in) lora_A, row-major.
///   - b: (out, r) lora_B, row-major.
///   - inputs: in. outputs: out. rank: r.
///   - scale: alpha / r.
///   - fanInFanOut: true when W is stored (in, out) (GPT-2's Conv1D).
/// - Returns: W + scale·B·A in W's layout (same count and order as `weight`).
///
///     // in 2, out 3, r 1: B·A = [[1, 2], [2, 4], [3, 6]] (3, 2)
///     mergeAdapter(weight: [0, 0, 0, 0, 0, 0], a: [1, 2], b: [1, 2, 3], inputs: 2, outputs: 3, rank: 1,
///                  scale: 1, fanInFanOut: false)   // [1, 2, 2, 4, 3, 6]   (out, in)
///     mergeAdapter(weight: [0, 0, 0, 0, 0, 0], a: [1, 2], b: [1, 2, 3], inputs: 2, outputs: 3, rank: 1,
///                  scale: 1, fanInFanOut: true)    // [1, 2, 3, 2, 4, 6]   (in, out)
public func mergeAdapter(weight: [Float], a: [Float], b: [Float], inputs: Int, outputs: Int, rank: Int, scale: Float,
                         fanInFanOut: Bool) -> [Float] {
    // TODO: (B·A)[o, i] = Σ_k b[o, k]·a[k, i]; add scale times it to W at (o, i), or at (i, o) for fanInFanOut.
    return todo(weight)
}
