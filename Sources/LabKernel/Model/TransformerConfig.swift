// TransformerConfig (stand-in): the plain configuration struct of Formats/ModelConfig.swift
// (branch helper/safetensors), declared here with the identical public API until that file is
// merged into main; then this file is deleted and nothing else changes. The model-specific
// helpers live in TransformerConfig+Model.swift and stay.

/// The shape and variant of a transformer language model (see Formats/ModelConfig.swift).
public struct TransformerConfig: Sendable, Equatable {
    public enum Architecture: String, Sendable, CaseIterable {
        case gpt2, llama, qwen2, mistral
    }

    public enum Activation: String, Sendable {
        case geluTanh, gelu, silu
    }

    public struct RopeScaling: Sendable, Equatable {
        public var type: String
        public var factor: Double
        public var lowFrequencyFactor: Double?
        public var highFrequencyFactor: Double?
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
    public var vocabularySize: Int
    public var contextLength: Int
    public var width: Int
    public var layers: Int
    public var heads: Int
    public var kvHeads: Int
    public var headSize: Int
    public var feedForwardWidth: Int
    public var normEpsilon: Float
    public var ropeTheta: Double
    public var ropeScaling: RopeScaling?
    public var tiedEmbeddings: Bool
    public var attentionBias: Bool
    public var mlpBias: Bool
    public var activation: Activation
    public var bosTokenID: Int?
    public var eosTokenIDs: [Int]
    public var slidingWindow: Int?

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
}
