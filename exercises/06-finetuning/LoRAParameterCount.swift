// Exercise 06.2 (finetuning.lora-parameter-count): how many numbers LoRA trains in a Llama-style model. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter LoRAParameterCountTests

import LabExercise

/// The number of trainable parameters of a LoRA adapter on a Llama-style model (Llama, Qwen2,
/// SmolLM2), as PEFT counts them (`model.print_trainable_parameters()`).
///
/// Each adapted projection, mapping `in` features to `out`, gets A (r, in) and B (out, r):
/// r·(in + out) numbers. Every block of a Llama-style model has seven projections, named as in
/// transformers:
///
///     q_proj     width → width            (the queries of every head)
///     k_proj     width → kvWidth          (keys: grouped-query attention has fewer KV heads)
///     v_proj     width → kvWidth
///     o_proj     width → width
///     gate_proj  width → feedForwardWidth
///     up_proj    width → feedForwardWidth
///     down_proj  feedForwardWidth → width
///
/// and `targets` names the ones adapted, in every block. A name that is not one of the seven
/// adapts nothing (the kernel would refuse it; here it simply counts 0).
///
/// - Parameters:
///   - width: C, the model width (hidden_size).
///   - kvWidth: the keys' and values' width: KV heads × head size.
///   - feedForwardWidth: F (intermediate_size).
///   - layers: the number of blocks.
///   - targets: module names such as ["q_proj", "v_proj"] (PEFT's target_modules); repeats count once.
///   - rank: r.
/// - Returns: the total over all blocks.
///
///     // SmolLM2-135M: width 576, 3 KV heads of 64, F 1536, 30 blocks
///     loraParameterCount(width: 576, kvWidth: 192, feedForwardWidth: 1536, layers: 30,
///                        targets: ["q_proj", "v_proj"], rank: 8)   // 460,800
public func loraParameterCount(width: Int, kvWidth: Int, feedForwardWidth: Int, layers: Int, targets: [String], rank: Int) -> Int {
    // TODO: for each distinct target, r·(in + out) with its sizes from the table above; times the layers.
    return todo(0)
}
