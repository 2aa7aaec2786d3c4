// What the model code derives from a TransformerConfig (Formats/ModelConfig.swift): which family's pieces a block uses,
// where the biases are, and a check that the sizes fit together.
//
// Left out: families other than GPT-2 and Llama's (Llama, Qwen2, Mistral with its sliding
// window, which the attention applies: Attention.swift).

extension TransformerConfig.Architecture {
    /// The Llama family (llama, qwen2, mistral): RMSNorm, RoPE, SwiGLU, separate q/k/v
    /// projections stored (out, in).
    public var isLlamaFamily: Bool { self != .gpt2 }
}

extension TransformerConfig {
    /// A tiny Llama-family configuration for tests and lessons: every flag set explicitly,
    /// nothing inherited from the GPT-2-flavoured defaults of `init`.
    public static func llamaFamily(_ architecture: Architecture = .llama, vocabularySize: Int, contextLength: Int,
                                   width: Int, layers: Int, heads: Int, kvHeads: Int, feedForwardWidth: Int,
                                   normEpsilon: Float = 1e-6, ropeTheta: Double = 10_000,
                                   tiedEmbeddings: Bool = false) -> TransformerConfig {
        TransformerConfig(architecture: architecture, vocabularySize: vocabularySize, contextLength: contextLength,
                          width: width, layers: layers, heads: heads, kvHeads: kvHeads,
                          feedForwardWidth: feedForwardWidth, normEpsilon: normEpsilon, ropeTheta: ropeTheta,
                          tiedEmbeddings: tiedEmbeddings, attentionBias: architecture == .qwen2,
                          mlpBias: false, activation: .silu)
    }

    /// The number of parameters a model of this shape holds (a tied head counted once), from its
    /// tensors' shapes: no weights needed, so published configs can be counted offline.
    public var parameterCount: Int {
        ModelNames(config: self).expectedShapes.reduce(0) { $0 + $1.shape.reduce(1, *) }
    }

    /// Whether q, k and v projections have biases (GPT-2 and Qwen2 always; Llama by `attention_bias`).
    var hasQueryKeyValueBias: Bool { architecture == .gpt2 || architecture == .qwen2 || attentionBias }
    /// Whether the attention's output projection has a bias: GPT-2, or Llama/Mistral with
    /// `attention_bias` (Qwen2's o_proj never has one).
    var hasOutputBias: Bool { architecture == .gpt2 || (architecture != .qwen2 && attentionBias) }
    /// Whether the MLP's projections have biases (GPT-2 always; Llama by `mlp_bias`).
    var hasMLPBias: Bool { architecture == .gpt2 || mlpBias }

    /// Checks the sizes fit together (H divisible by KVH, even D for RoPE, …): a programmer's
    /// error here, since a config read from a file has passed `sizeProblem()` already.
    func validate() {
        precondition(heads > 0 && kvHeads > 0 && heads % kvHeads == 0,
                     "TransformerConfig: kvHeads (\(kvHeads)) must be positive and divide heads (\(heads))")
        precondition(headSize > 0 && (!architecture.isLlamaFamily || headSize % 2 == 0),
                     "TransformerConfig: headSize (\(headSize)) must be positive, and even for RoPE")
        precondition(architecture.isLlamaFamily || heads * headSize == width,
                     "TransformerConfig: GPT-2 needs heads · headSize = width, got \(heads) · \(headSize) ≠ \(width)")
    }
}
