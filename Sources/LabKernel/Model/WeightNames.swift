// Parameter names and shapes, exactly as Hugging Face `transformers` names them.
//
// GPT-2 (`GPT2LMHeadModel`, prefix `transformer.`):
//     wte.weight (V, C)   wpe.weight (T, C)   ln_f.weight/bias (C)
//     h.N.ln_1 / ln_2 .weight/bias (C)
//     h.N.attn.c_attn.weight (C, 3C) + bias     fused q, k, v; Conv1D layout (in, out)
//     h.N.attn.c_proj.weight (C, C) + bias
//     h.N.mlp.c_fc.weight (C, F) + bias         h.N.mlp.c_proj.weight (F, C) + bias
//     lm_head.weight is tied to wte.weight
// Llama / Qwen2 / Mistral (`LlamaForCausalLM`…, prefix `model.`), nn.Linear layout (out, in):
//     embed_tokens.weight (V, C)   norm.weight (C)   lm_head.weight (V, C) unless tied
//     layers.N.input_layernorm.weight, layers.N.post_attention_layernorm.weight (C)
//     layers.N.self_attn.q_proj (H·D, C), k_proj and v_proj (KVH·D, C), o_proj (C, H·D)
//       (+ .bias on q/k/v for Qwen2 or attention_bias; on o_proj for Llama's attention_bias)
//     layers.N.mlp.gate_proj and up_proj (F, C), down_proj (C, F) (+ .bias with mlp_bias)
//
// Left out: names of other families (Gemma, Phi, …), and MoE layers.

/// The full names of one block's parameters; nil where the architecture has no such tensor.
struct LayerNames: Sendable {
    var attentionNorm: String, attentionNormBias: String? = nil
    /// GPT-2's fused (C, 3C) projection; nil for the Llama family.
    var fusedQueryKeyValue: String? = nil, fusedQueryKeyValueBias: String? = nil
    /// The Llama family's separate projections; nil for GPT-2.
    var query: String? = nil, key: String? = nil, value: String? = nil
    var queryBias: String? = nil, keyBias: String? = nil, valueBias: String? = nil
    var output: String, outputBias: String? = nil
    var mlpNorm: String, mlpNormBias: String? = nil
    /// GPT-2's c_fc or Llama's up_proj.
    var up: String, upBias: String? = nil
    /// Llama's gate_proj; nil for GPT-2.
    var gate: String? = nil, gateBias: String? = nil
    /// GPT-2's mlp.c_proj or Llama's down_proj.
    var down: String, downBias: String? = nil
}

/// Every parameter name of a model, and the shape each must have.
struct ModelNames: Sendable {
    /// `transformer.` or `model.`: the prefix a checkpoint may or may not include.
    var prefix: String
    var embedding: String
    /// GPT-2's learned positions; nil with RoPE.
    var positions: String?
    var layers: [LayerNames]
    var finalNorm: String, finalNormBias: String?
    /// `lm_head.weight`, or the embedding's name when tied.
    var head: String
    /// (name, shape) of every tensor the model needs, in checkpoint order.
    var expectedShapes: [(name: String, shape: [Int])]

    init(config c: TransformerConfig) {
        var shapes: [(String, [Int])] = []
        let (width, f, v) = (c.width, c.feedForwardWidth, c.vocabularySize)
        let (qWidth, kvWidth) = (c.heads * c.headSize, c.kvHeads * c.headSize)
        if c.architecture == .gpt2 {
            prefix = "transformer."
            embedding = "transformer.wte.weight"
            positions = "transformer.wpe.weight"
            shapes += [(embedding, [v, width]), (positions!, [c.contextLength, width])]
            layers = (0..<c.layers).map { n in
                let p = "transformer.h.\(n)."
                shapes += [(p + "ln_1.weight", [width]), (p + "ln_1.bias", [width]),
                           (p + "attn.c_attn.weight", [width, 3 * width]), (p + "attn.c_attn.bias", [3 * width]),
                           (p + "attn.c_proj.weight", [width, width]), (p + "attn.c_proj.bias", [width]),
                           (p + "ln_2.weight", [width]), (p + "ln_2.bias", [width]),
                           (p + "mlp.c_fc.weight", [width, f]), (p + "mlp.c_fc.bias", [f]),
                           (p + "mlp.c_proj.weight", [f, width]), (p + "mlp.c_proj.bias", [width])]
                return LayerNames(attentionNorm: p + "ln_1.weight", attentionNormBias: p + "ln_1.bias",
                                  fusedQueryKeyValue: p + "attn.c_attn.weight", fusedQueryKeyValueBias: p + "attn.c_attn.bias",
                                  output: p + "attn.c_proj.weight", outputBias: p + "attn.c_proj.bias",
                                  mlpNorm: p + "ln_2.weight", mlpNormBias: p + "ln_2.bias",
                                  up: p + "mlp.c_fc.weight", upBias: p + "mlp.c_fc.bias",
                                  down: p + "mlp.c_proj.weight", downBias: p + "mlp.c_proj.bias")
            }
            finalNorm = "transformer.ln_f.weight"
            finalNormBias = "transformer.ln_f.bias"
            shapes += [(finalNorm, [width]), (finalNormBias!, [width])]
        } else {
            prefix = "model."
            embedding = "model.embed_tokens.weight"
            positions = nil
            shapes.append((embedding, [v, width]))
            let qkvBias = c.hasQueryKeyValueBias, outputBias = c.hasOutputBias, mlpBias = c.hasMLPBias
            layers = (0..<c.layers).map { n in
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
            finalNorm = "model.norm.weight"
            finalNormBias = nil
            shapes.append((finalNorm, [width]))
        }
        if c.tiedEmbeddings {
            head = embedding
        } else {
            head = "lm_head.weight"
            shapes.append((head, [v, width]))
        }
        expectedShapes = shapes
    }
}
