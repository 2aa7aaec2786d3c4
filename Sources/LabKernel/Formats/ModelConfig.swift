// ModelConfig: a Hugging Face `config.json` read into the kit's plain transformer configuration.
//
// Each model family names the same numbers differently: GPT-2 says `n_embd`, `n_layer`,
// `n_positions`; Llama, Qwen2 and Mistral say `hidden_size`, `num_hidden_layers`,
// `max_position_embeddings`. Real Hub files also differ within a family: `rope_theta` sits at the
// top level in older files and inside `rope_parameters` in files saved by transformers 5;
// `head_dim` may be absent or null; `eos_token_id` may be one id or a list. `TransformerConfig`
// gathers what the kit's models need under one set of names (C width, H heads, D head size, F
// feed-forward width), with the family's defaults where a file leaves a field out. An error names
// the file and the field and says what was expected; an unknown `model_type` lists the supported
// ones. Left out: fields the kit's models do not use (dropout, initializer range), Qwen2's
// per-layer sliding windows (`use_sliding_window: true` is refused; published Qwen2 configs set
// it false) and families beyond GPT-2, Llama, Qwen2, Mistral.

import Foundation

/// The shape and options of a decoder-only transformer, as the kit's models use them.
public struct TransformerConfig: Sendable, Equatable {
    /// The model families the kit implements, by their `model_type`.
    public enum Architecture: String, Sendable, CaseIterable {
        /// Learned positions, LayerNorm with bias, GELU MLP, biases everywhere (GPT-2).
        case gpt2
        /// RoPE, RMSNorm, SwiGLU MLP, no biases, grouped-query attention (Llama 2/3, SmolLM, TinyLlama).
        case llama
        /// Llama's layout plus biases on the q, k and v projections (Qwen2, Qwen2.5).
        case qwen2
        /// Llama's layout, with sliding-window attention when `sliding_window` is set.
        case mistral
    }

    /// The MLP's activation function, by its `hidden_act` / `activation_function` name.
    public enum Activation: String, Sendable {
        /// GELU with the tanh approximation (`gelu_new`, `gelu_pytorch_tanh`), GPT-2's.
        case geluTanh
        /// Exact GELU with erf (`gelu`).
        case gelu
        /// SiLU, used in SwiGLU as silu(gate) · up (`silu`, `swish`).
        case silu
    }

    /// RoPE frequency scaling for long contexts (`rope_scaling` / `rope_parameters` with a
    /// `rope_type` other than "default"), e.g. Llama 3.1's "llama3".
    public struct RopeScaling: Sendable, Equatable {
        /// "llama3", "linear", "dynamic", "yarn", …
        public var type: String
        /// How much longer the context is than the one trained on.
        public var factor: Double
        /// Llama 3: wavelengths longer than original / low factor are slowed by `factor`.
        public var lowFrequencyFactor: Double?
        /// Llama 3: wavelengths shorter than original / high factor are kept.
        public var highFrequencyFactor: Double?
        /// The context length before scaling.
        public var originalContextLength: Int?

        public init(type: String, factor: Double, lowFrequencyFactor: Double? = nil,
                    highFrequencyFactor: Double? = nil, originalContextLength: Int? = nil) {
            self.type = type
            self.factor = factor
            self.lowFrequencyFactor = lowFrequencyFactor
            self.highFrequencyFactor = highFrequencyFactor
            self.originalContextLength = originalContextLength
        }
    }

    public var architecture: Architecture
    /// V: tokens in the vocabulary (`vocab_size`).
    public var vocabularySize: Int
    /// Longest sequence (`n_positions`, `max_position_embeddings`).
    public var contextLength: Int
    /// C: the residual stream's width (`n_embd`, `hidden_size`).
    public var width: Int
    /// Transformer blocks (`n_layer`, `num_hidden_layers`).
    public var layers: Int
    /// H: query heads (`n_head`, `num_attention_heads`).
    public var heads: Int
    /// Key/value heads (`num_key_value_heads`; default `heads`, i.e. no grouping).
    public var kvHeads: Int
    /// D: size of one head (`head_dim`; default C / H).
    public var headSize: Int
    /// F: the MLP's hidden width (`n_inner`, default 4C for GPT-2; `intermediate_size`).
    public var feedForwardWidth: Int
    /// Epsilon of the norms (`layer_norm_epsilon`, default 1e-5; `rms_norm_eps`, default 1e-6).
    public var normEpsilon: Float
    /// RoPE base (`rope_theta`, top level or in `rope_parameters`/`rope_scaling`; default 10000).
    /// Unused by GPT-2, which learns its positions.
    public var ropeTheta: Double
    /// Long-context RoPE scaling, or nil for plain RoPE.
    public var ropeScaling: RopeScaling?
    /// Whether the output projection is the token embedding (`tie_word_embeddings`; GPT-2 default true, others false).
    public var tiedEmbeddings: Bool
    /// Biases on the q, k, v projections (GPT-2 and Qwen2: always; Llama/Mistral: `attention_bias`, default false).
    public var attentionBias: Bool
    /// Biases in the MLP (GPT-2: always; Llama: `mlp_bias`, default false).
    public var mlpBias: Bool
    /// The MLP's activation (GPT-2: `activation_function`, default gelu_new; others `hidden_act`, default silu).
    public var activation: Activation
    /// The beginning-of-sequence token, if the file names one.
    public var bosTokenID: Int?
    /// End-of-sequence tokens (one or several; empty if none).
    public var eosTokenIDs: [Int]
    /// Mistral's attention window (`sliding_window`): each position attends to itself and the
    /// W - 1 positions before it. Nil: full causal attention.
    public var slidingWindow: Int?

    /// A configuration from its parts; the defaults make a small GPT-2-like model.
    public init(architecture: Architecture = .gpt2, vocabularySize: Int = 50257, contextLength: Int = 1024,
                width: Int = 128, layers: Int = 4, heads: Int = 4, kvHeads: Int? = nil, headSize: Int? = nil,
                feedForwardWidth: Int? = nil, normEpsilon: Float = 1e-5, ropeTheta: Double = 10000,
                ropeScaling: RopeScaling? = nil, tiedEmbeddings: Bool = true, attentionBias: Bool = true,
                mlpBias: Bool = true, activation: Activation = .geluTanh, bosTokenID: Int? = nil,
                eosTokenIDs: [Int] = [], slidingWindow: Int? = nil) {
        self.architecture = architecture
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.width = width
        self.layers = layers
        self.heads = heads
        self.kvHeads = kvHeads ?? heads
        self.headSize = headSize ?? width / heads
        self.feedForwardWidth = feedForwardWidth ?? 4 * width
        self.normEpsilon = normEpsilon
        self.ropeTheta = ropeTheta
        self.ropeScaling = ropeScaling
        self.tiedEmbeddings = tiedEmbeddings
        self.attentionBias = attentionBias
        self.mlpBias = mlpBias
        self.activation = activation
        self.bosTokenID = bosTokenID
        self.eosTokenIDs = eosTokenIDs
        self.slidingWindow = slidingWindow
    }

    /// Reads a Hugging Face `config.json`.
    /// - Throws: `ModelConfigError` naming the file and the field.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try readRegularFile(url, maximumBytes: 16 << 20)  // a config is a few kB
        } catch {
            throw ModelConfigError("\(url.lastPathComponent): \(error)")
        }
        try self.init(json: data, source: url.lastPathComponent)
    }

    /// Parses the contents of a `config.json`; `source` names it in error messages.
    public init(json data: some Collection<UInt8>, source: String = "config.json") throws {
        let root: JSONValue
        do {
            root = try JSONValue.parse(data)
        } catch let error as JSONParseError {
            throw ModelConfigError("\(source) is not valid JSON: \(error)")
        }
        self = try ConfigReader(root: root, source: source).read()
    }
}

/// A config.json the kit cannot use; the description names the file and the field.
public struct ModelConfigError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

// MARK: - Reading

/// Reads fields by their family's names, with type checks that name the field.
private struct ConfigReader {
    let fields: [String: JSONValue]
    let source: String

    init(root: JSONValue, source: String) throws {
        guard let fields = root.object else {
            throw ModelConfigError("\(source): expected a JSON object at the top, found \(root.kind)")
        }
        self.fields = fields
        self.source = source
    }

    func fail(_ field: String, _ expected: String, _ found: JSONValue?) -> ModelConfigError {
        ModelConfigError("\(source): field \"\(field)\": expected \(expected), found \(found?.kind ?? "nothing (the field is missing)")")
    }

    /// The first of `names` present and not null, with its name.
    func value(_ names: [String]) -> (name: String, value: JSONValue)? {
        for name in names { if let v = fields[name], !v.isNull { return (name, v) } }
        return nil
    }

    /// A positive integer under one of `names`, or `fallback` when absent (required if nil).
    func positive(_ names: [String], _ fallback: Int? = nil) throws -> Int {
        guard let (name, v) = value(names) else {
            if let fallback { return fallback }
            throw fail(names.joined(separator: "\" or \""), "a positive integer", nil)
        }
        guard let n = v.int, n > 0 else { throw fail(name, "a positive integer", v) }
        return n
    }

    func optionalPositive(_ names: [String]) throws -> Int? {
        value(names) == nil ? nil : try positive(names)
    }

    func number(_ name: String, in object: [String: JSONValue]? = nil, _ fallback: Double) throws -> Double {
        guard let v = (object ?? fields)[name], !v.isNull else { return fallback }
        guard case .number(let x) = v, x > 0, x.isFinite else { throw fail(name, "a positive finite number", v) }
        return x
    }

    func flag(_ name: String, _ fallback: Bool) throws -> Bool {
        guard let v = fields[name], !v.isNull else { return fallback }
        guard let b = v.bool else { throw fail(name, "true or false", v) }
        return b
    }

    func read() throws -> TransformerConfig {
        guard let typeValue = fields["model_type"] else { throw fail("model_type", "a string such as \"llama\"", nil) }
        guard let typeName = typeValue.string else { throw fail("model_type", "a string", typeValue) }
        guard let architecture = TransformerConfig.Architecture(rawValue: typeName) else {
            throw ModelConfigError("\(source): field \"model_type\": \"\(printable(typeName))\" is not supported; the kit implements "
                + TransformerConfig.Architecture.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
        }
        let isGPT2 = architecture == .gpt2
        let width = try positive(["n_embd", "hidden_size"])
        let heads = try positive(["n_head", "num_attention_heads"])
        let kvHeads = try positive(["num_key_value_heads"], heads)
        let headDimension = try optionalPositive(["head_dim"])
        guard headDimension != nil || width % heads == 0 else {
            throw ModelConfigError("\(source): width \(width) (\"\(isGPT2 ? "n_embd" : "hidden_size")\") is not divisible by "
                + "\(heads) heads, and there is no \"head_dim\"")
        }
        guard heads % kvHeads == 0 else {
            throw ModelConfigError("\(source): field \"num_key_value_heads\": \(kvHeads) does not divide the \(heads) query heads")
        }
        let activationField = isGPT2 ? "activation_function" : "hidden_act"
        let activationName = try value([activationField]).map { pair -> String in
            guard let s = pair.value.string else { throw fail(activationField, "a string", pair.value) }
            return s
        } ?? (isGPT2 ? "gelu_new" : "silu")
        let activation: TransformerConfig.Activation
        switch activationName {
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": activation = .geluTanh
        case "gelu": activation = .gelu
        case "silu", "swish": activation = .silu
        default:
            throw ModelConfigError("\(source): field \"\(activationField)\": activation \"\(activationName)\" is not supported; "
                + "expected gelu_new, gelu_pytorch_tanh, gelu or silu")
        }
        let (theta, scaling) = try rope()
        let config = TransformerConfig(
            architecture: architecture,
            vocabularySize: try positive(["vocab_size"]),
            contextLength: try positive(isGPT2 ? ["n_positions", "n_ctx"] : ["max_position_embeddings"], isGPT2 ? 1024 : 2048),
            width: width,
            layers: try positive(["n_layer", "num_hidden_layers"]),
            heads: heads,
            kvHeads: kvHeads,
            headSize: headDimension ?? width / heads,
            feedForwardWidth: try positive(isGPT2 ? ["n_inner"] : ["intermediate_size"], isGPT2 ? 4 * width : nil),
            normEpsilon: Float(try number(isGPT2 ? "layer_norm_epsilon" : "rms_norm_eps", isGPT2 ? 1e-5 : 1e-6)),
            ropeTheta: theta,
            ropeScaling: scaling,
            tiedEmbeddings: try flag("tie_word_embeddings", isGPT2),
            attentionBias: isGPT2 || architecture == .qwen2 ? true : try flag("attention_bias", false),
            mlpBias: isGPT2 ? true : try flag("mlp_bias", false),
            activation: activation,
            bosTokenID: try tokenIDs("bos_token_id").first,
            eosTokenIDs: try tokenIDs("eos_token_id"),
            slidingWindow: try slidingWindow(architecture))
        // The sizes and their relations (ModelConfig+Validation.swift); the memory a model of this
        // config needs is checked when one is built, since inspecting a large model needs none.
        if let problem = config.sizeProblem() { throw ModelConfigError("\(source): \(problem)") }
        return config
    }

    /// Mistral's `sliding_window` (null or absent: none). Qwen2 records a window too but applies
    /// it only with `use_sliding_window` and only from layer `max_window_layers` on; the kit
    /// refuses that case rather than run the model with the wrong attention.
    func slidingWindow(_ architecture: TransformerConfig.Architecture) throws -> Int? {
        switch architecture {
        case .mistral:
            return try optionalPositive(["sliding_window"])
        case .qwen2:
            if try flag("use_sliding_window", false) {
                throw ModelConfigError("\(source): field \"use_sliding_window\": true is not supported (Qwen2's "
                    + "per-layer sliding windows); expected false, as in the published Qwen2 and Qwen2.5 configs")
            }
            return nil
        case .gpt2, .llama:
            return nil
        }
    }

    /// `rope_theta` from the top level, else from `rope_parameters` or `rope_scaling`; and the
    /// scaling, when one of those objects names a `rope_type` (or older `type`) other than "default".
    func rope() throws -> (Double, TransformerConfig.RopeScaling?) {
        var theta = try number("rope_theta", 10000)
        var scaling: TransformerConfig.RopeScaling?
        for name in ["rope_parameters", "rope_scaling"] {
            guard let v = fields[name], !v.isNull else { continue }
            guard let object = v.object else { throw fail(name, "an object or null", v) }
            if fields["rope_theta"] == nil, object["rope_theta"] != nil {
                theta = try number("rope_theta", in: object, 10000)
            }
            guard let typeValue = object["rope_type"] ?? object["type"] else { continue }
            guard let type = typeValue.string else { throw fail("\(name).rope_type", "a string", typeValue) }
            if type == "default" || scaling != nil { continue }
            guard let factorValue = object["factor"], case .number(let factor) = factorValue, factor > 0, factor.isFinite else {
                throw fail("\(name).factor", "a positive number for rope_type \"\(type)\"", object["factor"])
            }
            scaling = TransformerConfig.RopeScaling(
                type: type, factor: factor,
                lowFrequencyFactor: object["low_freq_factor"].flatMap { if case .number(let x) = $0 { x } else { nil } },
                highFrequencyFactor: object["high_freq_factor"].flatMap { if case .number(let x) = $0 { x } else { nil } },
                originalContextLength: object["original_max_position_embeddings"]?.int)
        }
        return (theta, scaling)
    }

    /// A token id field that may be absent, null, one integer or a list of integers.
    func tokenIDs(_ name: String) throws -> [Int] {
        guard let v = fields[name], !v.isNull else { return [] }
        if let id = v.int, id >= 0 { return [id] }
        if let items = v.array {
            return try items.map { item in
                guard let id = item.int, id >= 0 else { throw fail(name, "a token id or a list of token ids", v) }
                return id
            }
        }
        throw fail(name, "a token id or a list of token ids", v)
    }
}
