// Parameter names and shapes, exactly as Hugging Face `transformers` names them.
//
// Every model has a token embedding, blocks, a final norm and an LM head; what each is called
// (and whether it exists) depends on the family: GPT2.swift and Llama.swift list their names.
// A name's full form carries the checkpoint's prefix (`transformer.` or `model.`); the LM head
// (`lm_head.weight`, (V, C), never prefixed) is the embedding itself when tied.
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
}

extension ModelNames {
    /// `name` without the checkpoint prefix (`model.norm.weight` -> `norm.weight`): some
    /// checkpoints store the base model's tensors unprefixed.
    func shortName(of name: String) -> String {
        name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : name
    }

    /// The name under which a checkpoint stores `name`: the full name if `exists`, else the short
    /// name if that exists, else nil.
    func storedName(of name: String, exists: (String) -> Bool) -> String? {
        if exists(name) { return name }
        let short = shortName(of: name)
        return exists(short) ? short : nil
    }

    /// The names for `config`'s family, and the LM head (tied or `lm_head.weight`).
    init(config: TransformerConfig) {
        self = config.architecture.isLlamaFamily ? .llamaFamily(config) : .gpt2(config)
        if config.tiedEmbeddings {
            head = embedding
        } else {
            head = "lm_head.weight"
            expectedShapes.append((head, [config.vocabularySize, config.width]))
        }
    }
}
