// GPT-2's parameter names (`GPT2LMHeadModel`): learned positions, LayerNorms with biases, a fused
// q/k/v projection, and Conv1D weights stored (in, out) — transposed relative to nn.Linear.
//
//     transformer.wte.weight (V, C)   transformer.wpe.weight (T, C)   transformer.ln_f.weight/bias (C)
//     transformer.h.N.ln_1 / ln_2 .weight/bias (C)
//     transformer.h.N.attn.c_attn.weight (C, 3C) + bias (3C)     q, k, v side by side in the columns
//     transformer.h.N.attn.c_proj.weight (C, C) + bias
//     transformer.h.N.mlp.c_fc.weight (C, F) + bias    transformer.h.N.mlp.c_proj.weight (F, C) + bias
//     lm_head.weight: tied to wte.weight
//
// Checkpoints also hold `attn.bias` / `attn.masked_bias` (the causal mask as a buffer); they are
// not parameters and are ignored. Left out: GPT-2's cross-attention (encoder-decoder use).

/// GPT-2 (`model_type` gpt2): the shared `TransformerModel` with GPT-2's names.
public typealias GPT2 = TransformerModel

extension ModelNames {
    /// GPT-2's names and shapes for `c` (the LM head is added by `init(config:)`).
    static func gpt2(_ c: TransformerConfig) -> ModelNames {
        let (width, f, v) = (c.width, c.feedForwardWidth, c.vocabularySize)
        var shapes: [(name: String, shape: [Int])] = []
        let embedding = "transformer.wte.weight", positions = "transformer.wpe.weight"
        shapes += [(embedding, [v, width]), (positions, [c.contextLength, width])]
        let layers = (0..<c.layers).map { n in
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
        let finalNorm = "transformer.ln_f.weight", finalNormBias = "transformer.ln_f.bias"
        shapes += [(finalNorm, [width]), (finalNormBias, [width])]
        return ModelNames(prefix: "transformer.", embedding: embedding, positions: positions, layers: layers,
                          finalNorm: finalNorm, finalNormBias: finalNormBias, head: embedding, expectedShapes: shapes)
    }
}
