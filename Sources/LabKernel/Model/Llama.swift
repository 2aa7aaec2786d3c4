// The Llama family's parameter names (`LlamaForCausalLM`, `Qwen2ForCausalLM`,
// `MistralForCausalLM`): RMSNorms without biases, RoPE instead of position vectors, separate
// q/k/v projections (GQA: k and v have KVH heads), a gated MLP, nn.Linear weights stored (out, in).
//
//     model.embed_tokens.weight (V, C)   model.norm.weight (C)   lm_head.weight (V, C) unless tied
//     model.layers.N.input_layernorm.weight, model.layers.N.post_attention_layernorm.weight (C)
//     model.layers.N.self_attn.q_proj (H·D, C), k_proj and v_proj (KVH·D, C), o_proj (C, H·D)
//       + .bias on q/k/v for Qwen2 or `attention_bias`, on o_proj for Llama's `attention_bias`
//     model.layers.N.mlp.gate_proj and up_proj (F, C), down_proj (C, F)   + .bias with `mlp_bias`
//
// Left out: Mistral's sliding window (a config field the model does not apply).

/// Llama, Qwen2 and Mistral (`model_type` llama, qwen2, mistral): the shared `TransformerModel`
/// with the Llama family's names.
public typealias Llama = TransformerModel

extension ModelNames {
    /// The Llama family's names and shapes for `c` (the LM head is added by `init(config:)`).
    static func llamaFamily(_ c: TransformerConfig) -> ModelNames {
        let (width, f, v) = (c.width, c.feedForwardWidth, c.vocabularySize)
        let (qWidth, kvWidth) = (c.heads * c.headSize, c.kvHeads * c.headSize)
        var shapes: [(name: String, shape: [Int])] = []
        let embedding = "model.embed_tokens.weight"
        shapes.append((embedding, [v, width]))
        let qkvBias = c.hasQueryKeyValueBias, outputBias = c.hasOutputBias, mlpBias = c.hasMLPBias
        let layers = (0..<c.layers).map { n in
            let p = "model.layers.\(n)."
            var names = LayerNames(attentionNorm: p + "input_layernorm.weight",
                                   query: p + "self_attn.q_proj.weight", key: p + "self_attn.k_proj.weight",
                                   value: p + "self_attn.v_proj.weight", output: p + "self_attn.o_proj.weight",
                                   mlpNorm: p + "post_attention_layernorm.weight",
                                   up: p + "mlp.up_proj.weight", gate: p + "mlp.gate_proj.weight",
                                   down: p + "mlp.down_proj.weight")
            shapes += [(names.attentionNorm, [width]),
                       (names.query!, [qWidth, width]), (names.key!, [kvWidth, width]), (names.value!, [kvWidth, width])]
            if qkvBias {
                names.queryBias = p + "self_attn.q_proj.bias"
                names.keyBias = p + "self_attn.k_proj.bias"
                names.valueBias = p + "self_attn.v_proj.bias"
                shapes += [(names.queryBias!, [qWidth]), (names.keyBias!, [kvWidth]), (names.valueBias!, [kvWidth])]
            }
            shapes.append((names.output, [width, qWidth]))
            if outputBias {
                names.outputBias = p + "self_attn.o_proj.bias"
                shapes.append((names.outputBias!, [width]))
            }
            shapes += [(names.mlpNorm, [width]), (names.gate!, [f, width])]
            if mlpBias {
                names.gateBias = p + "mlp.gate_proj.bias"
                shapes.append((names.gateBias!, [f]))
            }
            shapes.append((names.up, [f, width]))
            if mlpBias {
                names.upBias = p + "mlp.up_proj.bias"
                shapes.append((names.upBias!, [f]))
            }
            shapes.append((names.down, [width, f]))
            if mlpBias {
                names.downBias = p + "mlp.down_proj.bias"
                shapes.append((names.downBias!, [width]))
            }
            return names
        }
        let finalNorm = "model.norm.weight"
        shapes.append((finalNorm, [width]))
        return ModelNames(prefix: "model.", embedding: embedding, positions: nil, layers: layers,
                          finalNorm: finalNorm, finalNormBias: nil, head: embedding, expectedShapes: shapes)
    }
}
