// LoRA: fine-tuning a few low-rank matrices beside frozen weights (Hu et al., 2021).
//
// A projection y = x·Wᵀ (W is (out, in)) gets a second path through rank r:
//
//     y = x·Wᵀ + s · (x·Aᵀ)·Bᵀ        A (r, in), B (out, r), s = alpha / r   (rsLoRA: alpha / √r)
//
// Only A and B are trained; W stays as it was, with no gradient and no optimizer moments, so the
// memory a step needs beyond the frozen model is the adapter's, a few percent of it. A starts
// Kaiming-uniform, U(−1/√in, 1/√in), as PEFT's `reset_lora_parameters` draws it, and B at zero,
// so the adapted model starts exactly equal to the base. Dropout, when set, drops entries of x on
// the low-rank path only (PEFT's `lora_dropout`), in training and never in evaluation.
//
// Which projections are adapted is PEFT's `target_modules`: module names matched whole or by
// their last parts ("q_proj" matches model.layers.3.self_attn.q_proj; GPT-2's "c_proj" matches
// both attn.c_proj and mlp.c_proj), or "all-linear" for every projection of every block. Names
// are the Hugging Face ones, so an adapter saves and loads in PEFT's layout (Formats/PEFTAdapter.swift).
//
// Merging folds the path into the weights, W' = W + s·B·A (transposed for GPT-2's Conv1D, which
// stores W as (in, out)); the merged model then computes the adapted model's logits at the base's
// cost. Unmerging subtracts it again.
//
// Where it runs: the fast training path (TrainableTransformer, with a frozen base) and the tape
// (`adaptedParameters`, which builds W + s·B·A on the tape: the readable twin tests hold the fast
// path to). Left out: biases on the adapter ("bias": "none" only), per-layer ranks
// (`rank_pattern`), DoRA, and adapting embeddings or the LM head.

/// The hyperparameters of a LoRA adapter, in PEFT's terms.
public struct LoRASettings: Sendable, Equatable {
    /// r: the rank of the low-rank path.
    public var rank: Int
    /// alpha: the path is scaled by alpha / r (or alpha / √r with `rankStabilized`).
    public var alpha: Float
    /// Module names (or their last parts) to adapt, or ["all-linear"].
    public var targets: [String]
    /// The probability of dropping an input entry on the low-rank path while training.
    public var dropout: Float
    /// rsLoRA's scale alpha / √r, which keeps the path's size steady as the rank grows.
    public var rankStabilized: Bool

    public init(rank: Int = 8, alpha: Float = 16, targets: [String], dropout: Float = 0, rankStabilized: Bool = false) {
        self.rank = rank
        self.alpha = alpha
        self.targets = targets
        self.dropout = dropout
        self.rankStabilized = rankStabilized
    }

    /// Settings with PEFT's default targets for `architecture` (GPT-2: c_attn; Llama, Qwen2: q_proj and v_proj).
    public init(rank: Int = 8, alpha: Float = 16, for architecture: TransformerConfig.Architecture,
                dropout: Float = 0, rankStabilized: Bool = false) {
        self.init(rank: rank, alpha: alpha, targets: LoRASettings.defaultTargets(for: architecture),
                  dropout: dropout, rankStabilized: rankStabilized)
    }

    /// PEFT's default `target_modules` for a family.
    public static func defaultTargets(for architecture: TransformerConfig.Architecture) -> [String] {
        architecture.isLlamaFamily ? ["q_proj", "v_proj"] : ["c_attn"]
    }

    /// s: what the low-rank path is multiplied by.
    public var scale: Float {
        rankStabilized ? alpha / Float(rank).squareRoot() : alpha / Float(rank)
    }

    /// What is wrong with these settings, naming the setting; nil when they can be used.
    public func problem() -> String? {
        if rank < 1 || rank > 1 << 16 { return "the LoRA rank must be in 1...65536, got \(rank)" }
        if !alpha.isFinite || alpha <= 0 { return "the LoRA alpha must be a positive number, got \(alpha)" }
        if !(dropout >= 0 && dropout < 1) { return "the LoRA dropout must be in [0, 1), got \(dropout)" }
        if targets.isEmpty { return "LoRA needs at least one target module" }
        return nil
    }
}

/// A projection of a transformer block that LoRA can adapt.
public enum LoRAProjection: String, Sendable, CaseIterable {
    /// GPT-2's fused c_attn (q, k and v in one matrix).
    case queryKeyValue
    /// The Llama family's separate q_proj, k_proj, v_proj.
    case query, key, value
    /// The attention's output projection (o_proj, attn.c_proj).
    case output
    /// The MLP: Llama's gate_proj, up_proj (GPT-2's c_fc) and down_proj (GPT-2's mlp.c_proj).
    case gate, up, down
}

/// Why an adapter cannot be made or loaded; the description names the setting, file or tensor.
public struct LoRAError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The low-rank matrices of a LoRA adapter for one model shape, in one trainable ParameterBuffer.
public final class LoRAAdapter {
    /// One adapted projection.
    public struct Target: Sendable, Equatable {
        public let layer: Int
        public let projection: LoRAProjection
        /// The Hugging Face module name, e.g. `model.layers.0.self_attn.q_proj`.
        public let module: String
        /// The base weight's name (`module` + `.weight`).
        public var weight: String { module + ".weight" }
        /// in and out features of the projection.
        public let inputs: Int, outputs: Int
        /// GPT-2's Conv1D stores W as (in, out): PEFT's `fan_in_fan_out`.
        public let transposedWeight: Bool
        /// The adapter's tensors: A (r, in) and B (out, r).
        public var a: String { module + ".lora_A.weight" }
        public var b: String { module + ".lora_B.weight" }
    }

    public let config: TransformerConfig
    public let settings: LoRASettings
    /// The adapted projections, block by block in the model's order.
    public let targets: [Target]
    /// A and B of every target, with their gradients: what a LoRA run trains.
    public let parameters: ParameterBuffer
    /// Draws the dropout masks (used only when `settings.dropout` > 0).
    public var dropoutGenerator: SeededGenerator

    /// A fresh adapter: A Kaiming-uniform from `seed`, B zero, so the adapted model equals the base.
    public convenience init(config: TransformerConfig, settings: LoRASettings, seed: UInt64) throws {
        try self.init(config: config, settings: settings, dropoutSeed: seed ^ 0x4c6f_5241)
        var generator = SeededGenerator(seed: seed)
        for target in targets {
            let bound = 1 / Float(target.inputs).squareRoot()
            let values = (0..<(settings.rank * target.inputs)).map { _ in generator.nextFloat(in: -bound..<bound) }
            parameters.setValue(target.a, Tensor(shape: [settings.rank, target.inputs], scalars: values))
        }
    }

    /// An adapter holding `tensors` (A and B by the names of `Target`, e.g. read from a PEFT file).
    /// - Throws: `LoRAError` naming a tensor that is missing, extra, of the wrong shape or not finite.
    public convenience init(config: TransformerConfig, settings: LoRASettings, tensors: [String: Tensor]) throws {
        try self.init(config: config, settings: settings, dropoutSeed: 0x4c6f_5241)
        let expected = Set(parameters.slots.map(\.name))
        if let extra = tensors.keys.sorted().first(where: { !expected.contains($0) }) {
            throw LoRAError("the adapter holds \(printable(extra).debugDescription), which is not a LoRA matrix of the targets "
                            + "\(settings.targets.joined(separator: ", ")) in this \(config.architecture) model")
        }
        for slot in parameters.slots {
            guard let tensor = tensors[slot.name] else {
                throw LoRAError("the adapter has no tensor \(slot.name) (the targets \(settings.targets.joined(separator: ", ")) "
                                + "at rank \(settings.rank) need it)")
            }
            guard tensor.shape == slot.shape else {
                throw LoRAError("\(slot.name) has shape \(tensor.shape.shapeDescription), expected \(slot.shape.shapeDescription) "
                                + "(rank \(settings.rank))")
            }
            if let bad = firstNonFinite(tensor) {
                throw LoRAError("\(slot.name) holds \(bad.count) non-finite value(s), the first at flat index \(bad.index)")
            }
            parameters.setValue(slot.name, tensor)
        }
    }

    private init(config: TransformerConfig, settings: LoRASettings, dropoutSeed: UInt64) throws {
        if let problem = settings.problem() { throw LoRAError(problem) }
        self.config = config
        self.settings = settings
        targets = try LoRAAdapter.targets(config: config, matching: settings.targets)
        if let narrow = targets.first(where: { settings.rank > min($0.inputs, $0.outputs) }) {
            throw LoRAError("the LoRA rank \(settings.rank) is larger than \(narrow.module) allows: it maps \(narrow.inputs) "
                            + "to \(narrow.outputs) features, so B·A has rank at most \(min(narrow.inputs, narrow.outputs))")
        }
        var layout: [(name: String, shape: [Int])] = []
        for target in targets {
            layout.append((target.a, [settings.rank, target.inputs]))
            layout.append((target.b, [target.outputs, settings.rank]))
        }
        parameters = ParameterBuffer(layout: layout)
        dropoutGenerator = SeededGenerator(seed: dropoutSeed)
    }

    /// Every projection of `config`'s blocks that LoRA can adapt, with its module name.
    public static func projections(of config: TransformerConfig) -> [Target] {
        let names = ModelNames(config: config)
        let shapes = Dictionary(uniqueKeysWithValues: names.expectedShapes.map { ($0.name, $0.shape) })
        let conv1D = !config.architecture.isLlamaFamily
        var result: [Target] = []
        for (layer, n) in names.layers.enumerated() {
            let named: [(LoRAProjection, String?)] = [
                (.queryKeyValue, n.fusedQueryKeyValue), (.query, n.query), (.key, n.key), (.value, n.value),
                (.output, n.output), (.gate, n.gate), (.up, n.up), (.down, n.down),
            ]
            for (projection, weight) in named {
                guard let weight, let shape = shapes[weight], weight.hasSuffix(".weight") else { continue }
                let (inputs, outputs) = conv1D ? (shape[0], shape[1]) : (shape[1], shape[0])
                result.append(Target(layer: layer, projection: projection, module: String(weight.dropLast(7)),
                                     inputs: inputs, outputs: outputs, transposedWeight: conv1D))
            }
        }
        return result
    }

    /// The projections `patterns` select, PEFT's way: a module matches a pattern equal to its name
    /// or to its last dot-separated parts; "all-linear" selects every projection.
    /// - Throws: `LoRAError` naming a pattern that matches nothing, with the names that exist.
    public static func targets(config: TransformerConfig, matching patterns: [String]) throws -> [Target] {
        let all = projections(of: config)
        if patterns == ["all-linear"] { return all }
        func matches(_ module: String, _ pattern: String) -> Bool { module == pattern || module.hasSuffix("." + pattern) }
        for pattern in patterns where !all.contains(where: { matches($0.module, pattern) }) {
            let known = Set(all.map { $0.module.split(separator: ".").suffix(2).joined(separator: ".") }).sorted()
            throw LoRAError("no projection of this \(config.architecture) model is called \(printable(pattern).debugDescription); "
                            + "it has \(known.joined(separator: ", ")) in each block (or use all-linear)")
        }
        return all.filter { target in patterns.contains { matches(target.module, $0) } }
    }

    /// The number of trainable parameters (every A and B).
    public var parameterCount: Int { parameters.count }

    /// s·B·A for `target`, shaped as the base weight is stored ((out, in), or (in, out) for Conv1D).
    public func delta(_ target: Target) -> Tensor {
        let (a, b) = (parameters.value(target.a), parameters.value(target.b))  // (r, in), (out, r)
        let product = matmul(b, a) * settings.scale  // (out, in)
        return target.transposedWeight ? product.transposed() : product
    }

    /// `model` with every target's weight replaced by W + s·B·A: the adapted model at the base's cost.
    public func merged(into model: TransformerModel) -> TransformerModel {
        precondition(model.config == config, "LoRAAdapter.merged: the model's config differs from the adapter's")
        var result = model
        result.update(Dictionary(uniqueKeysWithValues: targets.map { ($0.weight, model.parameters[$0.weight]! + delta($0)) }))
        return result
    }

    /// The inverse of `merged`: W − s·B·A for every target (equal to the base up to rounding).
    public func unmerged(from model: TransformerModel) -> TransformerModel {
        precondition(model.config == config, "LoRAAdapter.unmerged: the model's config differs from the adapter's")
        var result = model
        result.update(Dictionary(uniqueKeysWithValues: targets.map { ($0.weight, model.parameters[$0.weight]! - delta($0)) }))
        return result
    }

    // MARK: - The tape

    /// Fresh leaf Variables for A and B (requiresGrad, named by their adapter names).
    public func parameterVariables() -> [String: Variable] {
        Dictionary(uniqueKeysWithValues: parameters.slots.map { ($0.name, Variable(parameters.value($0.name), name: $0.name)) })
    }

    /// The model's parameters for `TransformerModel.forward(tokens:parameters:)` with every target
    /// replaced by W + s·B·A built on the tape, so gradients flow to A and B and not to the frozen W.
    /// `base` maps the model's names to Variables (frozen ones: requiresGrad false), `adapter` the
    /// adapter's (see `parameterVariables()`). Without dropout, as evaluation runs.
    public func adaptedParameters(_ base: [String: Variable], adapter: [String: Variable]) -> [String: Variable] {
        var result = base
        for target in targets {
            let product = matmul(adapter[target.b]!, adapter[target.a]!) * settings.scale  // (out, in)
            result[target.weight] = base[target.weight]! + (target.transposedWeight ? product.transposed() : product)
        }
        return result
    }
}
