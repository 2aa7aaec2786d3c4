// The Llama family's block (Llama 2 and 3, SmolLM, TinyLlama; Qwen2 adds q/k/v biases, Mistral
// a sliding attention window), written as a diff of GPT-2's in LessonModel.swift:
// the lines marked `// NEW:` are the four changes that separate a 2019 transformer from a 2024 one.
//
//     RMSNorm instead of LayerNorm     RoPE instead of learned positions
//     SwiGLU instead of a GELU MLP     grouped-query attention (fewer key/value heads)
//
// The rest (pre-norm, residuals, causal attention, the LM head) is unchanged. Long-context rope
// scaling takes its frequencies from the kernel's RotaryTable. Left out: Qwen2's
// `use_sliding_window` (the kernel refuses it too).

import LabKernel

extension LessonTransformer {
    /// A Llama-family block: x (T, C) -> (T, C).
    func llamaBlock(_ x: Tensor, layer: Int) -> Tensor {
        let p = "model.layers.\(layer)."
        let (heads, kvHeads, d) = (config.heads, config.kvHeads, config.headSize)
        // NEW: RMSNorm, no mean subtracted and no bias.
        let h = lessonRMSNorm(x, gain: weight(p + "input_layernorm.weight"), epsilon: normEpsilon)
        // NEW: three separate projections in nn.Linear layout (out, in); k and v have only KVH heads (GQA).
        var q = linearOutIn(h, weight(p + "self_attn.q_proj.weight"), weights[p + "self_attn.q_proj.bias"])  // (T, H·D)
        var k = linearOutIn(h, weight(p + "self_attn.k_proj.weight"), weights[p + "self_attn.k_proj.bias"])  // (T, KVH·D)
        let v = linearOutIn(h, weight(p + "self_attn.v_proj.weight"), weights[p + "self_attn.v_proj.bias"])  // (T, KVH·D)
        // NEW: RoPE rotates queries and keys by their positions; there is no position table.
        let frequencies = config.ropeScaling == nil ? nil
            : RotaryTable(headSize: d, positions: 1, theta: config.ropeTheta, scaling: config.ropeScaling).inverseFrequencies
        q = lessonRoPE(q, heads: heads, headSize: d, theta: config.ropeTheta, inverseFrequencies: frequencies)
        k = lessonRoPE(k, heads: kvHeads, headSize: d, theta: config.ropeTheta, inverseFrequencies: frequencies)
        // NEW: KVH < H key/value heads; and Mistral's sliding window (nil for the others).
        let attended = lessonAttention(query: q, keys: k, values: v, heads: heads, kvHeads: kvHeads, headSize: d,
                                       window: config.slidingWindow)
        let residual = x + linearOutIn(attended, weight(p + "self_attn.o_proj.weight"), weights[p + "self_attn.o_proj.bias"])
        // NEW: RMSNorm again, then SwiGLU: silu(gate(x)) ⊙ up(x), then down.
        let h2 = lessonRMSNorm(residual, gain: weight(p + "post_attention_layernorm.weight"), epsilon: normEpsilon)
        return residual + lessonSwiGLU(h2, gate: weight(p + "mlp.gate_proj.weight"), up: weight(p + "mlp.up_proj.weight"),
                                       down: weight(p + "mlp.down_proj.weight"),
                                       biases: (weights[p + "mlp.gate_proj.bias"], weights[p + "mlp.up_proj.bias"],
                                                weights[p + "mlp.down_proj.bias"]))
    }
}
