// A decoder-only transformer language model: GPT-2 or the Llama family, one block design.
//
//     tokens -> embedding (+ learned positions, GPT-2) -> N pre-norm blocks -> final norm -> LM head
//
// Parameters are stored as loaded, by their Hugging Face names (WeightNames.swift, GPT2.swift, Llama.swift), so a Hub
// checkpoint loads unchanged and a trained model saves back to the same names. `GPT2` and
// `Llama` name the two families; both are this type, configured by `TransformerConfig`.
//
// Two forward passes: `forward(tokens:cache:)` on Tensors (inference; appends to a KV cache,
// fast fused attention) and `forward(tokens:parameters:)` on Variables (training; reference
// attention gradients).
//
// A model may hold its weight matrices quantized (Q8_0, Quantization/): then `parameters` keeps
// only the float32 vectors (norms, biases, GPT-2's positions) and `quantizedMatrices` the rest;
// inference reads every matrix through a `LinearWeight`, so both kinds run the same code.
//
// Left out: batches (B = 1), reading files (Formats/), sampling (Sampling/), training a quantized
// model (quantize after training; `parameterVariables` and `update` cover float parameters only).

/// Why a set of tensors could not be loaded into a model.
public enum ModelLoadingError: Error, CustomStringConvertible, Equatable {
    case missingTensor(name: String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    case notFinite(name: String, index: Int, value: Float, count: Int)
    case tooLarge(String)

    public var description: String {
        switch self {
        case .missingTensor(let name):
            return "the checkpoint has no tensor \"\(name)\" (looked for it with and without the prefix); is the config's architecture or layer count right?"
        case .shapeMismatch(let name, let expected, let found):
            return "tensor \"\(name)\" has shape \(found.shapeDescription), expected \(expected.shapeDescription) from the config"
        case .tooLarge(let problem):
            return problem
        case .notFinite(let name, let index, let value, let count):
            return "tensor \"\(name)\" holds \(count) non-finite value\(count == 1 ? "" : "s") (the first, \(value), at flat index \(index)); "
                + "the weights are damaged or were saved after training diverged"
        }
    }
}

/// A transformer language model with its parameters.
public struct TransformerModel: Sendable {
    public let config: TransformerConfig
    /// Every float32 parameter by its full Hugging Face name (with the `transformer.` / `model.`
    /// prefix); a tied LM head is not stored separately. In a quantized model, the matrices are
    /// in `quantizedMatrices` instead.
    public private(set) var parameters: [String: Tensor]
    /// The weight matrices held in Q8_0 blocks, by the same names (empty for a float32 model).
    public let quantizedMatrices: [String: Q8Matrix]
    let names: ModelNames
    /// Each block's parameters out of `parameters` and `quantizedMatrices` (sharing their
    /// storage; `update` renews them).
    private(set) var blocks: [BlockWeights<Tensor, LinearWeight>]
    let rotaryTable: RotaryTable?

    /// Loads a model from named tensors, e.g. a safetensors file's contents. Names may carry the
    /// `transformer.` / `model.` prefix or not; extra tensors (GPT-2's `attn.bias` mask buffers, a
    /// tied `lm_head.weight`) are ignored.
    public init(config: TransformerConfig, tensors: [String: Tensor]) throws {
        try self.init(config: config) { tensors[$0] }
    }

    /// Loads a model asking `tensor(name)` for each parameter it needs (nil: not there), so a
    /// large checkpoint's tensors are read one at a time and unused ones never.
    public init(config: TransformerConfig, tensor: (String) throws -> Tensor?) throws {
        config.validate()
        // Before a tensor is read or a table allocated (ModelConfig+Validation.swift).
        if let problem = config.memoryProblem() { throw ModelLoadingError.tooLarge(problem) }
        let names = ModelNames(config: config)
        var parameters: [String: Tensor] = [:]
        for (name, shape) in names.expectedShapes {
            guard let found = try tensor(name) ?? tensor(names.shortName(of: name)) else {
                throw ModelLoadingError.missingTensor(name: name)
            }
            guard found.shape == shape else {
                throw ModelLoadingError.shapeMismatch(name: name, expected: shape, found: found.shape)
            }
            if let error = ModelLoadingError.nonFinite(in: found, name: name) { throw error }
            parameters[name] = found
        }
        self.init(config: config, names: names, parameters: parameters, quantizedMatrices: [:])
    }

    /// A model from checked parts: float parameters and quantized matrices covering every name
    /// of `names` between them.
    init(config: TransformerConfig, names: ModelNames, parameters: [String: Tensor], quantizedMatrices: [String: Q8Matrix]) {
        self.config = config
        self.parameters = parameters
        self.quantizedMatrices = quantizedMatrices
        self.names = names
        blocks = []
        rotaryTable = config.architecture.isLlamaFamily
            ? RotaryTable(headSize: config.headSize, positions: config.contextLength, theta: config.ropeTheta,
                          scaling: config.ropeScaling) : nil
        blocks = makeBlocks()
    }

    /// The blocks' weights, each matrix quantized if it is in `quantizedMatrices`, else float32
    /// in its checkpoint's layout (GPT-2's Conv1D (in, out), the Llama family's (out, in)).
    private func makeBlocks() -> [BlockWeights<Tensor, LinearWeight>] {
        let layout: WeightLayout = config.architecture == .gpt2 ? .inputsByOutputs : .outputsByInputs
        return names.layers.map { layer in
            BlockWeights(layer, in: parameters) { name in
                self.quantizedMatrices[name].map(LinearWeight.q8) ?? .float(self.parameters[name]!, layout)
            }
        }
    }

    /// The LM head, (V, C): quantized or float.
    var head: LinearWeight { quantizedMatrices[names.head].map(LinearWeight.q8) ?? .float(parameters[names.head]!, .outputsByInputs) }

    /// Whether the weight matrices are held in Q8_0 blocks.
    public var isQuantized: Bool { !quantizedMatrices.isEmpty }

    /// Bytes of weight data in memory: float32 parameters at 4 bytes each, quantized matrices
    /// at their values and scales (about 1.13 bytes per weight).
    public var weightBytes: Int {
        parameters.values.reduce(0) { $0 + 4 * $1.count } + quantizedMatrices.values.reduce(0) { $0 + $1.byteCount }
    }

    /// The token embedding rows of `ids`, (T, C), read back from int8 in a quantized model.
    func embeddedTokens(_ ids: [Int]) -> Tensor {
        guard let table = quantizedMatrices[names.embedding] else { return embedding(parameters[names.embedding]!, ids: ids) }
        var scalars: [Float] = []
        scalars.reserveCapacity(ids.count * config.width)
        for id in ids {
            precondition(id >= 0 && id < config.vocabularySize, "forward: token id \(id) is outside the vocabulary 0..<\(config.vocabularySize)")
            scalars += table.dequantizedRow(id)
        }
        return Tensor(shape: [ids.count, config.width], scalars: scalars)
    }

    /// A randomly initialized model: weights normal(0, `standardDeviation`), norm gains 1 and
    /// biases 0 plus a little noise (so that tests exercise them), reproducible from `seed`.
    public static func random(config: TransformerConfig, standardDeviation: Float = 0.02, seed: UInt64 = 0) -> TransformerModel {
        var generator = SeededGenerator(seed: seed)
        var tensors: [String: Tensor] = [:]
        for (name, shape) in ModelNames(config: config).expectedShapes {
            let noise = Tensor.randomNormal(shape, standardDeviation: standardDeviation, using: &generator)
            let isNormGain = shape.count == 1 && (name.contains("ln") || name.contains("norm")) && name.hasSuffix("weight")
            tensors[name] = isNormGain ? noise + 1 : noise
        }
        return try! TransformerModel(config: config, tensors: tensors)  // shapes come from the config
    }

    /// The name of the tensor that the LM head uses ((V, C), `lm_head.weight` or the tied embedding).
    public var headName: String { names.head }

    // MARK: - Inference

    /// Logits for `tokens`, continuing the sequence in `cache`: (T, V), row t predicting the
    /// token after position cache.count + t. Appends the tokens' keys and values to the cache.
    ///
    /// With `lastPositionOnly`, only the last row's logits are computed, (1, V): generation needs
    /// no more, and for a long prompt the LM head (T·C·V multiply-adds) is the largest product.
    public func forward(tokens: [Int], cache: inout KVCache, lastPositionOnly: Bool = false) -> Tensor {
        forward(tokens: tokens, cache: &cache, lastPositionOnly: lastPositionOnly, observe: nil)
    }

    /// The forward pass, showing `observe` each layer's output when given: "embedding" (T, C),
    /// "block 0" … (T, C), "final norm" and "logits" (TransformerModel+Trace.swift).
    func forward(tokens: [Int], cache: inout KVCache, lastPositionOnly: Bool,
                 observe: ((String, Tensor) -> Void)?) -> Tensor {
        precondition(!tokens.isEmpty, "forward: give at least one token")
        let start = cache.count
        precondition(start + tokens.count <= config.contextLength,
                     "forward: positions up to \(start + tokens.count) exceed the context length \(config.contextLength)")
        precondition(cache.rowWidth == config.kvHeads * config.headSize && cache.keys.count == config.layers,
                     "forward: the KV cache was made for another configuration (\(cache.keys.count) layers of width \(cache.rowWidth))")
        if tokens.count == 1 && observe == nil {  // decoding: the same steps, in place (TransformerModel+Decoding.swift)
            return decodeStep(tokens[0], cache: &cache)
        }
        cache.reserve(tokens.count)
        let context = BlockContext(config: config, rotaryTable: rotaryTable)
        var x = embeddedTokens(tokens)  // (T, C)
        if let positions = names.positions {  // GPT-2: add learned position vectors
            x = x + embedding(parameters[positions]!, ids: Array(start..<(start + tokens.count)))
        }
        observe?("embedding", x)
        for (layer, weights) in blocks.enumerated() {
            x = context.forward(x, layer: layer, weights: weights, cache: &cache)
            observe?("block \(layer)", x)
        }
        cache.count += tokens.count
        if lastPositionOnly { x = x.row(tokens.count - 1).reshaped([1, -1]) }  // (T, C) -> (1, C)
        x = context.norm(x, parameters[names.finalNorm]!, names.finalNormBias.map { parameters[$0]! })
        observe?("final norm", x)
        let logits = linear(x, weight: head, bias: nil)  // (T, V)
        observe?("logits", logits)
        return logits
    }

    /// Logits for a whole sequence from position 0: (T, V).
    public func forward(tokens: [Int]) -> Tensor {
        var cache = KVCache(config: config, capacity: tokens.count)
        return forward(tokens: tokens, cache: &cache)
    }

    /// Greedy decoding: the `count` tokens that follow `prompt`, each the argmax of the logits,
    /// using a KV cache. Stops early before a token of `stopIDs` (which is not included) and at the
    /// model's context length.
    public func greedyContinuation(of prompt: [Int], count: Int, stoppingAt stopIDs: Set<Int> = []) -> [Int] {
        precondition(!prompt.isEmpty && prompt.count <= config.contextLength,
                     "greedyContinuation: needs 1...\(config.contextLength) prompt tokens, got \(prompt.count)")
        let room = min(count, config.contextLength - prompt.count)
        guard room > 0 else { return [] }
        var cache = KVCache(config: config, capacity: prompt.count + room)
        var logits = forward(tokens: prompt, cache: &cache, lastPositionOnly: true)  // (1, V)
        var generated: [Int] = []
        while generated.count < room {
            let next = greedyToken(logits.scalars)  // logits (1, V)
            if stopIDs.contains(next) { break }
            generated.append(next)
            if generated.count < room { logits = forward(tokens: [next], cache: &cache) }
        }
        return generated
    }

    // MARK: - Training

    /// Fresh leaf Variables for every parameter (requiresGrad, named by the HF name); float
    /// models only.
    public func parameterVariables() -> [String: Variable] {
        precondition(!isQuantized, "parameterVariables: a quantized model is for inference; train the float32 model")
        var variables: [String: Variable] = [:]
        for (name, value) in parameters { variables[name] = Variable(value, name: name) }
        return variables
    }

    /// Differentiable logits for a whole sequence from position 0: (T, V). `parameters` maps
    /// every name of `self.parameters` to a Variable (see `parameterVariables()`).
    public func forward(tokens: [Int], parameters p: [String: Variable]) -> Variable {
        precondition(!tokens.isEmpty && tokens.count <= config.contextLength,
                     "forward: needs 1...\(config.contextLength) tokens, got \(tokens.count)")
        let context = BlockContext(config: config, rotaryTable: rotaryTable)
        var x = embedding(p[names.embedding]!, ids: tokens)  // (T, C)
        if let positions = names.positions {
            x = x + embedding(p[positions]!, ids: Array(0..<tokens.count))
        }
        for layerNames in names.layers {
            x = context.forward(x, weights: BlockWeights(layerNames, in: p))
        }
        x = context.norm(x, p[names.finalNorm]!, names.finalNormBias.map { p[$0]! })
        return linear(x, weight: p[names.head]!, bias: nil, layout: .outputsByInputs)
    }

    /// Replaces parameters with new values of the same shapes (e.g. after a training step).
    public mutating func update(_ values: [String: Tensor]) {
        for (name, value) in values {
            precondition(parameters[name]?.shape == value.shape,
                         "update: \"\(name)\" is not a parameter of shape \(value.shape.shapeDescription)")
            parameters[name] = value
        }
        blocks = makeBlocks()
    }
}

/// The flat index of the first NaN or infinity in `tensor` and how many there are, or nil: one
/// pass over the bits, cheap beside reading the weights. A float is not finite when its exponent
/// bits are all ones; adding one to the lowest exponent bit then carries into the sign bit, so OR-ing
/// `(bits & exponent) + lowest` over 16 lanes at a time and testing the sign bit once at the end is
/// a branch-free, vectorized test (measured: half the time of a per-element compare).
func firstNonFinite(_ tensor: Tensor) -> (index: Int, count: Int)? {
    tensor.withUnsafeBufferPointer { values in
        let exponent: UInt32 = 0x7F80_0000, lowest: UInt32 = 0x0080_0000
        var lanes = SIMD16<UInt32>(repeating: 0)
        var tail: UInt32 = 0
        let n = values.count, blocks = n / 16
        if let base = values.baseAddress {
            let raw = UnsafeRawPointer(base)
            for block in 0..<blocks {
                let v = raw.loadUnaligned(fromByteOffset: block &* 64, as: SIMD16<UInt32>.self)
                lanes |= (v & exponent) &+ lowest
            }
            for i in (blocks * 16)..<n { tail |= (raw.load(fromByteOffset: i &* 4, as: UInt32.self) & exponent) &+ lowest }
        }
        guard (lanes.max() | tail) & 0x8000_0000 != 0 else { return nil }
        let first = values.firstIndex { !$0.isFinite }!
        return (first, values.reduce(0) { $0 + ($1.isFinite ? 0 : 1) })
    }
}

extension ModelLoadingError {
    /// `.notFinite` naming tensor `name` when `tensor` holds a NaN or an infinity; nil otherwise.
    static func nonFinite(in tensor: Tensor, name: String) -> ModelLoadingError? {
        guard let (index, count) = firstNonFinite(tensor) else { return nil }
        return .notFinite(name: name, index: index, value: tensor.scalars[index], count: count)
    }
}

extension Tensor {
    /// Whether every element is finite (no NaN, no infinity).
    public var allFinite: Bool { firstNonFinite(self) == nil }
}
