// TransformerConfig: the handful of numbers that fix a decoder-only transformer's shape.
//
// One plain struct covers GPT-2 and the Llama family (llama, qwen2, mistral): the block design
// is shared, and `architecture` selects the few places where they differ (LayerNorm vs RMSNorm,
// learned positions vs RoPE, GELU MLP vs SwiGLU, fused vs separate q/k/v, weight names).
//
// Left out: parsing Hugging Face `config.json` (Formats/ owns that and fills this struct),
// Mistral's sliding-window attention (a Mistral checkpoint runs as Llama with full attention,
// which is exact while the sequence is shorter than its window), and rope scaling variants.

/// The shape and variant of a transformer language model. Defaults are a tiny GPT-2.
public struct TransformerConfig: Sendable, Equatable {
    /// The model family: which norms, positions, MLP and weight names the blocks use.
    public enum Architecture: String, Sendable, CaseIterable {
        case gpt2, llama, qwen2, mistral

        /// The Llama family: RMSNorm, RoPE, SwiGLU, separate q/k/v projections stored (out, in).
        public var isLlamaFamily: Bool { self != .gpt2 }
    }

    /// The MLP's nonlinearity (Hugging Face's `activation_function` / `hidden_act`).
    public enum Activation: String, Sendable {
        /// GELU with the tanh approximation (`gelu_new`, GPT-2's).
        case geluTanh = "gelu_new"
        /// Exact GELU with erf.
        case gelu
        /// SiLU inside a gated (SwiGLU) MLP, Llama's.
        case silu
    }

    public var architecture: Architecture
    /// V: the number of token ids.
    public var vocabularySize: Int
    /// The longest sequence: rows of GPT-2's position table, and the KV cache's default capacity.
    public var contextLength: Int
    /// C: the residual stream's width.
    public var width: Int
    /// The number of transformer blocks.
    public var layers: Int
    /// H: query heads.
    public var heads: Int
    /// KVH: key/value heads (grouped-query attention); must divide `heads`. Equal to `heads` for
    /// plain multi-head attention.
    public var kvHeads: Int
    /// D: the size of one head; usually C / H.
    public var headSize: Int
    /// F: the MLP's hidden width (4C for GPT-2).
    public var feedForwardWidth: Int
    /// ε of the norms (GPT-2's LayerNorm 1e-5; Llama's RMSNorm 1e-5 or 1e-6).
    public var normEpsilon: Float
    /// RoPE's base θ (Llama 10000, Qwen2 1e6); unused by GPT-2.
    public var ropeTheta: Float
    /// Whether the LM head reuses the token embedding (GPT-2 always; Llama family by config).
    public var tiedEmbeddings: Bool
    /// Biases on the attention projections: Qwen2 always has q/k/v biases (and no o bias);
    /// Llama's `attention_bias` puts biases on q, k, v and o. GPT-2 always has biases.
    public var attentionBias: Bool
    public var activation: Activation

    public init(architecture: Architecture = .gpt2, vocabularySize: Int = 256, contextLength: Int = 64,
                width: Int = 32, layers: Int = 2, heads: Int = 4, kvHeads: Int? = nil, headSize: Int? = nil,
                feedForwardWidth: Int? = nil, normEpsilon: Float = 1e-5, ropeTheta: Float = 10_000,
                tiedEmbeddings: Bool? = nil, attentionBias: Bool? = nil, activation: Activation? = nil) {
        self.architecture = architecture
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.width = width
        self.layers = layers
        self.heads = heads
        self.kvHeads = kvHeads ?? heads
        self.headSize = headSize ?? (heads > 0 ? width / heads : 0)
        self.feedForwardWidth = feedForwardWidth ?? 4 * width
        self.normEpsilon = normEpsilon
        self.ropeTheta = ropeTheta
        self.tiedEmbeddings = tiedEmbeddings ?? (architecture == .gpt2)
        self.attentionBias = attentionBias ?? (architecture == .gpt2 || architecture == .qwen2)
        self.activation = activation ?? (architecture == .gpt2 ? .geluTanh : .silu)
    }

    /// Whether q, k and v projections have biases.
    public var hasQueryKeyValueBias: Bool { architecture == .gpt2 || architecture == .qwen2 || attentionBias }
    /// Whether the attention's output projection has a bias (GPT-2, or Llama with attention_bias).
    public var hasOutputBias: Bool { architecture == .gpt2 || (architecture == .llama && attentionBias) }

    /// Checks the sizes fit together (H divisible by KVH, even D for RoPE, …).
    func validate() {
        precondition(heads > 0 && kvHeads > 0 && heads % kvHeads == 0,
                     "TransformerConfig: kvHeads (\(kvHeads)) must be positive and divide heads (\(heads))")
        precondition(headSize > 0 && (!architecture.isLlamaFamily || headSize % 2 == 0),
                     "TransformerConfig: headSize (\(headSize)) must be positive, and even for RoPE")
        precondition(architecture.isLlamaFamily || heads * headSize == width,
                     "TransformerConfig: GPT-2 needs heads · headSize = width, got \(heads) · \(headSize) ≠ \(width)")
    }
}
