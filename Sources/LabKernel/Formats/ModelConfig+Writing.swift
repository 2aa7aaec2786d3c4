// Writing a TransformerConfig as a Hugging Face `config.json`, so that a model the kit trained is a
// folder `transformers` loads unchanged (`AutoModelForCausalLM.from_pretrained(folder)`).
//
// Each family gets its own names (GPT-2's `n_embd`, `n_layer`; the Llama family's `hidden_size`,
// `num_hidden_layers`), its `architectures` class and every field the kit's reader (ModelConfig.swift)
// reads, so that reading the written file gives back the same configuration (tests show it).
// Left out: fields the kit does not use (dropout rates, initializer range) beyond those that keep
// transformers from guessing: GPT-2's dropouts are written as 0, since the kit trains without them.

extension TransformerConfig {
    /// The configuration as the text of a Hugging Face `config.json`.
    public func configJSON() -> String {
        var fields: [(String, String)] = []
        func add(_ key: String, _ value: String) { fields.append((key, value)) }
        func string(_ text: String) -> String { jsonStringLiteral(text) }
        let activationName: String
        switch activation {
        case .geluTanh: activationName = architecture == .gpt2 ? "gelu_new" : "gelu_pytorch_tanh"
        case .gelu: activationName = "gelu"
        case .silu: activationName = "silu"
        }
        switch architecture {
        case .gpt2:
            add("architectures", "[\"GPT2LMHeadModel\"]")
            add("model_type", string("gpt2"))
            add("vocab_size", "\(vocabularySize)")
            add("n_positions", "\(contextLength)")
            add("n_embd", "\(width)")
            add("n_layer", "\(layers)")
            add("n_head", "\(heads)")
            add("n_inner", "\(feedForwardWidth)")
            add("activation_function", string(activationName))
            add("layer_norm_epsilon", "\(normEpsilon)")
            for dropout in ["attn_pdrop", "embd_pdrop", "resid_pdrop", "summary_first_dropout"] { add(dropout, "0.0") }
        case .llama, .qwen2, .mistral:
            let classes: [Architecture: String] = [.llama: "LlamaForCausalLM", .qwen2: "Qwen2ForCausalLM",
                                                   .mistral: "MistralForCausalLM"]
            add("architectures", "[\(string(classes[architecture]!))]")
            add("model_type", string(architecture.rawValue))
            add("vocab_size", "\(vocabularySize)")
            add("max_position_embeddings", "\(contextLength)")
            add("hidden_size", "\(width)")
            add("num_hidden_layers", "\(layers)")
            add("num_attention_heads", "\(heads)")
            add("num_key_value_heads", "\(kvHeads)")
            add("head_dim", "\(headSize)")
            add("intermediate_size", "\(feedForwardWidth)")
            add("hidden_act", string(activationName))
            add("rms_norm_eps", "\(normEpsilon)")
            add("rope_theta", "\(ropeTheta)")
            if let scaling = ropeScaling {
                var members = ["\"rope_type\": \(string(scaling.type))", "\"factor\": \(scaling.factor)"]
                if let low = scaling.lowFrequencyFactor { members.append("\"low_freq_factor\": \(low)") }
                if let high = scaling.highFrequencyFactor { members.append("\"high_freq_factor\": \(high)") }
                if let original = scaling.originalContextLength { members.append("\"original_max_position_embeddings\": \(original)") }
                add("rope_scaling", "{" + members.joined(separator: ", ") + "}")
            }
            if architecture != .qwen2 {
                add("attention_bias", attentionBias ? "true" : "false")
                add("mlp_bias", mlpBias ? "true" : "false")
            }
            if architecture == .mistral || architecture == .qwen2 {
                add("sliding_window", slidingWindow.map { "\($0)" } ?? "null")
            }
            if architecture == .qwen2 { add("use_sliding_window", "false") }
            add("attention_dropout", "0.0")
        }
        add("tie_word_embeddings", tiedEmbeddings ? "true" : "false")
        if let bosTokenID { add("bos_token_id", "\(bosTokenID)") }
        switch eosTokenIDs.count {
        case 0: break
        case 1: add("eos_token_id", "\(eosTokenIDs[0])")
        default: add("eos_token_id", "[\(eosTokenIDs.map(String.init).joined(separator: ", "))]")
        }
        add("torch_dtype", string("float32"))
        return "{\n" + fields.map { "  \(string($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n}\n"
    }
}
