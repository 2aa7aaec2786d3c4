// TrainableTransformer: the transformer's fast training path, forward and backward on raw memory.
//
// The tape (TransformerModel.forward(tokens:parameters:)) builds a graph of Variables for one
// sequence, and each of its rules allocates new Tensors; it is the readable twin, and tests hold
// this file's loss and every gradient to it. Here a whole (B, T) batch runs through
// preallocated memory: parameters and gradients in one ParameterBuffer, the activations the
// backward pass needs in one workspace per batch shape, every product a call of the blocked
// `gemm` (its A·Bᵀ and Aᵀ·B forms, so no transpose is ever copied), every row operation threaded.
//
//     rows r = b·T + t of a (B·T, C) residual stream
//     embedding (+ positions) -> per block:
//         h₁ = norm₁(x)        qkv = h₁·W_qkv (+ b)   (RoPE on q, k)   a = attention(qkv)
//         x' = x + a·W_o (+ b)
//         h₂ = norm₂(x')       GPT-2: u = h₂·W_fc + b, m = gelu(u)     Llama: [g | u] = h₂·[W_gate; W_up]ᵀ, m = silu(g)⊙u
//         x'' = x' + m·W_down (+ b)
//     -> final norm -> logits = h·W_headᵀ -> softmax and cross-entropy fused, in place
//
// The layout of the buffer puts a Llama block's q, k and v projections (and gate and up) next to
// each other: stored (out, in), they then form one stacked matrix, so one product computes all
// three (GPT-2's c_attn is stacked already). What is kept per block: its input, both norms'
// outputs and statistics, qkv, the attention probabilities (B, H, T, T), the attention output,
// the MLP's pre-activations and activations. The logits are turned into their own gradient in place.
//
// Gradients accumulate (call `zeroGradients()` before a step's first micro-batch), so gradient
// accumulation is several calls with `gradientScale` 1/steps. Sums over rows are taken in a
// fixed order, so a step gives the same bits whatever the thread count.
//
// With a LoRA adapter (LoRA.swift) the model's own buffer is frozen: it keeps no gradients, the
// backward pass skips every product and sum that only the base weights' gradients need (the
// head's and each projection's dW, the norms' gains, the embedding), stops below the lowest
// adapted block, and the adapter's A and B (LoRA+FastPath.swift) collect the gradients instead;
// `trainable` is the buffer an optimizer steps.
//
// Left out: dropout (but LoRA's), activation checkpointing, mixed precision, padding masks within
// a row (use the ignore index on targets), and sliding windows longer than the batch's context.

/// A transformer whose parameters live in a ParameterBuffer, trained through the fast path.
public final class TrainableTransformer {
    public let config: TransformerConfig
    /// Parameters and their gradients (frozen, with none, under a LoRA adapter).
    public let parameters: ParameterBuffer
    /// The LoRA adapter trained beside the frozen model, if any.
    public let adapter: LoRAAdapter?
    let names: ModelNames
    let layers: [LayerOffsets]
    let rotaryTable: RotaryTable?
    /// The adapter's target indices per block.
    private let adaptedTargets: [[Int]]
    private var workspace: TrainingWorkspace?

    /// Where each of a block's tensors starts in the buffer; q/k/v and gate/up are one stacked slot each.
    struct LayerOffsets {
        var attentionNorm: Int, attentionNormBias: Int?
        /// GPT-2's c_attn (C, 3C), or the Llama family's q, k, v stacked ((H + 2·KVH)·D, C).
        var queryKeyValue: Int, queryKeyValueBias: Int?
        var output: Int, outputBias: Int?
        var mlpNorm: Int, mlpNormBias: Int?
        /// GPT-2's c_fc (C, F), or Llama's gate and up stacked (2F, C).
        var up: Int, upBias: Int?
        var down: Int, downBias: Int?
    }

    /// The training path for `model`'s parameters (copied into the buffer), all trained; or, with
    /// `adapter`, frozen and adapted by it, whose A and B are then what is trained.
    public init(_ model: TransformerModel, adapter: LoRAAdapter? = nil) {
        precondition(adapter == nil || adapter!.config == model.config,
                     "TrainableTransformer: the adapter was made for another model shape")
        config = model.config
        self.adapter = adapter
        names = model.names
        rotaryTable = model.rotaryTable
        let shapes = Dictionary(uniqueKeysWithValues: names.expectedShapes.map { ($0.name, $0.shape) })
        var order: [String] = [names.embedding] + (names.positions.map { [$0] } ?? [])
        for n in names.layers {
            let stacked: [String?] = [n.attentionNorm, n.attentionNormBias,
                                      n.fusedQueryKeyValue, n.query, n.key, n.value,
                                      n.fusedQueryKeyValueBias, n.queryBias, n.keyBias, n.valueBias,
                                      n.output, n.outputBias, n.mlpNorm, n.mlpNormBias,
                                      n.gate, n.up, n.gateBias, n.upBias, n.down, n.downBias]
            order += stacked.compactMap { $0 }
        }
        order += [names.finalNorm] + (names.finalNormBias.map { [$0] } ?? [])
        if names.head != names.embedding { order.append(names.head) }
        precondition(Set(order) == Set(shapes.keys), "TrainableTransformer: the layout misses parameters of \(config.architecture)")
        let buffer = ParameterBuffer(layout: order.map { ($0, shapes[$0]!) }, gradients: adapter == nil)
        for name in order { buffer.setValue(name, model.parameters[name]!) }
        parameters = buffer
        layers = names.layers.map { n in
            func at(_ name: String?) -> Int? { name.map { buffer.offset($0) } }
            return LayerOffsets(attentionNorm: buffer.offset(n.attentionNorm), attentionNormBias: at(n.attentionNormBias),
                                queryKeyValue: at(n.fusedQueryKeyValue) ?? buffer.offset(n.query!),
                                queryKeyValueBias: at(n.fusedQueryKeyValueBias) ?? at(n.queryBias),
                                output: buffer.offset(n.output), outputBias: at(n.outputBias),
                                mlpNorm: buffer.offset(n.mlpNorm), mlpNormBias: at(n.mlpNormBias),
                                up: at(n.gate) ?? buffer.offset(n.up), upBias: at(n.gateBias) ?? at(n.upBias),
                                down: buffer.offset(n.down), downBias: at(n.downBias))
        }
        var adapted = [[Int]](repeating: [], count: config.layers)
        for (index, target) in (adapter?.targets ?? []).enumerated() { adapted[target.layer].append(index) }
        adaptedTargets = adapted
    }

    /// The buffer whose gradients the backward pass computes and an optimizer steps: the
    /// adapter's A and B under LoRA, else every parameter.
    public var trainable: ParameterBuffer { adapter?.parameters ?? parameters }

    /// The model with the adapter merged into its weights (the model itself without an adapter).
    public var adaptedModel: TransformerModel {
        adapter.map { $0.merged(into: model) } ?? model
    }

    /// The model with the buffer's current parameters (e.g. to generate from, or to save).
    public var model: TransformerModel {
        try! TransformerModel(config: config, tensors: parameters.tensors)  // the buffer holds every tensor, shaped by the config
    }

    /// The bytes of the workspace of the last batch shape (activations and their gradients, kept
    /// for the backward pass), 0 before the first loss.
    public var workspaceBytes: Int { workspace?.bytes ?? 0 }

    /// Sets every gradient of the trained buffer to zero.
    public func zeroGradients() { trainable.zeroGradients() }

    // MARK: - Loss and gradients

    /// The mean cross-entropy of `targets` given `inputs`, both B·T token ids (B sequences of T
    /// positions, row-major), and, with `computeGradients`, the gradient of `gradientScale` × that
    /// loss added to `parameters.gradients`. Targets equal to `ignoreIndex` count for nothing
    /// (the mean is over the others; with none left the loss is NaN and nothing is added).
    @discardableResult
    public func loss(inputs: [Int], targets: [Int], batch: Int, context: Int, ignoreIndex: Int? = -100,
                     computeGradients: Bool = true, gradientScale: Float = 1) -> Float {
        precondition(batch > 0 && context > 0 && inputs.count == batch * context && targets.count == inputs.count,
                     "TrainableTransformer: needs batch·context = \(batch)·\(context) inputs and as many targets, got \(inputs.count) and \(targets.count)")
        precondition(context <= config.contextLength,
                     "TrainableTransformer: a context of \(context) exceeds the model's \(config.contextLength) positions")
        let v = config.vocabularySize
        for (position, id) in inputs.enumerated() {
            precondition(id >= 0 && id < v, "TrainableTransformer: input token \(id) at position \(position) is outside 0..<\(v)")
        }
        for (position, id) in targets.enumerated() where id != ignoreIndex {
            precondition(id >= 0 && id < v, "TrainableTransformer: target \(id) at position \(position) is outside 0..<\(v)")
        }
        if workspace?.batch != batch || workspace?.context != context {
            workspace = nil  // free the old one first: the two together may not fit
            workspace = TrainingWorkspace(config: config, batch: batch, context: context)
            workspace!.lora = adapter.map { LoRAWorkspace(adapter: $0, rows: batch * context) }
        }
        let w = workspace!
        forward(inputs: inputs, training: computeGradients, w)
        let counted = targets.reduce(0) { $0 + ($1 == ignoreIndex ? 0 : 1) }
        let scale = counted == 0 ? 0 : gradientScale / Float(counted)
        let total = targets.withUnsafeBufferPointer { t in
            softmaxCrossEntropy(w.logits, rows: w.rows, classes: v, targets: t.baseAddress!, ignoreIndex: ignoreIndex,
                                scale: scale, rowLosses: w.rowLosses)
        }
        if computeGradients && counted > 0 { backward(inputs: inputs, w) }
        return Float(total / Double(counted))
    }

    // MARK: - Forward

    var attentionShape: AttentionShape {
        AttentionShape(heads: config.heads, kvHeads: config.kvHeads, headSize: config.headSize, window: config.slidingWindow)
    }

    private var isGPT2: Bool { config.architecture == .gpt2 }

    private func forward(inputs: [Int], training: Bool, _ w: TrainingWorkspace) {
        let p = parameters.values
        let (n, c, t, f) = (w.rows, config.width, w.context, config.feedForwardWidth)
        let batch = AttentionBatch(batch: w.batch, context: t, shape: attentionShape)
        let attentionLayout: WeightLayout = isGPT2 ? .inputsByOutputs : .outputsByInputs
        w.lora?.dropped = training && (adapter?.settings.dropout ?? 0) > 0
        // Embedding (+ learned positions).
        let table = p + parameters.offset(names.embedding)
        let positions = names.positions.map { p + parameters.offset($0) }
        let x0 = w.residual(0)
        for r in 0..<n {
            (x0 + r * c).update(from: table + inputs[r] * c, count: c)
            if let positions { addScaled(1, positions + (r % t) * c, to: x0 + r * c, count: c) }
        }
        for (l, o) in layers.enumerated() {
            let s = w.layers[l]
            let (x, mid, out) = (w.residual(2 * l), w.residual(2 * l + 1), w.residual(2 * l + 2))
            normForward(x, rows: n, width: c, weight: p + o.attentionNorm, bias: o.attentionNormBias.map { p + $0 },
                        epsilon: config.normEpsilon, centered: isGPT2, into: s.norm1, means: s.mean1, inverseDeviations: s.inverse1)
            linearForward(s.norm1, rows: n, inputs: c, outputs: batch.rowWidth, weight: p + o.queryKeyValue,
                          bias: o.queryKeyValueBias.map { p + $0 }, layout: attentionLayout, into: s.qkv)
            adapt(l, [.queryKeyValue, .query, .key, .value], x: s.norm1, into: s.qkv, ldy: batch.rowWidth, training, w)
            if let rotaryTable { rotateQueriesAndKeys(s.qkv, batch, table: rotaryTable, inverse: false) }
            attentionForward(batch, qkv: s.qkv, probabilities: s.probabilities, output: s.attended)
            linearForward(s.attended, rows: n, inputs: batch.outputWidth, outputs: c, weight: p + o.output,
                          bias: o.outputBias.map { p + $0 }, layout: attentionLayout, into: mid)
            adapt(l, [.output], x: s.attended, into: mid, ldy: c, training, w)
            addInPlace(x, to: mid, count: n * c)
            normForward(mid, rows: n, width: c, weight: p + o.mlpNorm, bias: o.mlpNormBias.map { p + $0 },
                        epsilon: config.normEpsilon, centered: isGPT2, into: s.norm2, means: s.mean2, inverseDeviations: s.inverse2)
            if isGPT2 {
                linearForward(s.norm2, rows: n, inputs: c, outputs: f, weight: p + o.up, bias: o.upBias.map { p + $0 },
                              layout: .inputsByOutputs, into: s.hidden)
                adapt(l, [.up], x: s.norm2, into: s.hidden, ldy: f, training, w)
                activationForward(s.hidden, into: s.activated, count: n * f, config.activation)
                linearForward(s.activated, rows: n, inputs: f, outputs: c, weight: p + o.down, bias: o.downBias.map { p + $0 },
                              layout: .inputsByOutputs, into: out)
            } else {
                linearForward(s.norm2, rows: n, inputs: c, outputs: 2 * f, weight: p + o.up, bias: o.upBias.map { p + $0 },
                              layout: .outputsByInputs, into: s.hidden)  // rows [gate | up]
                adapt(l, [.gate, .up], x: s.norm2, into: s.hidden, ldy: 2 * f, training, w)
                gatedActivation(s.hidden, into: s.activated, rows: n, width: f)
                linearForward(s.activated, rows: n, inputs: f, outputs: c, weight: p + o.down, bias: o.downBias.map { p + $0 },
                              layout: .outputsByInputs, into: out)
            }
            adapt(l, [.down], x: s.activated, into: out, ldy: c, training, w)
            addInPlace(mid, to: out, count: n * c)
        }
        normForward(w.residual(2 * layers.count), rows: n, width: c, weight: p + parameters.offset(names.finalNorm),
                    bias: names.finalNormBias.map { p + parameters.offset($0) }, epsilon: config.normEpsilon,
                    centered: isGPT2, into: w.finalNorm, means: w.finalMean, inverseDeviations: w.finalInverse)
        linearForward(w.finalNorm, rows: n, inputs: c, outputs: config.vocabularySize, weight: p + parameters.offset(names.head),
                      bias: nil, layout: .outputsByInputs, into: w.logits)
    }

    /// Adds the low-rank paths of block `layer`'s targets among `projections` (all reading x) into
    /// their columns of y.
    private func adapt(_ layer: Int, _ projections: [LoRAProjection], x: UnsafePointer<Float>,
                       into y: UnsafeMutablePointer<Float>, ldy: Int, _ training: Bool, _ w: TrainingWorkspace) {
        guard let adapter, let lora = w.lora else { return }
        for index in adaptedTargets[layer] where projections.contains(adapter.targets[index].projection) {
            loraForward(index, x: x, rows: w.rows, into: y + loraColumn(adapter.targets[index].projection), ldy: ldy,
                        training: training, lora)
        }
    }

    /// The backward pass of `adapt`: dy is the gradient of y (row stride ldy), dx that of x, to which
    /// the paths' input gradients are added.
    private func adaptBackward(_ layer: Int, _ projections: [LoRAProjection], dy: UnsafePointer<Float>, ldy: Int,
                               x: UnsafePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>, _ w: TrainingWorkspace) {
        guard let adapter, let lora = w.lora else { return }
        for index in adaptedTargets[layer] where projections.contains(adapter.targets[index].projection) {
            loraBackward(index, dy: dy + loraColumn(adapter.targets[index].projection), ldy: ldy, x: x, rows: w.rows,
                         inputGradient: dx, lora)
        }
    }

    /// SwiGLU's middle: m = silu(g) ⊙ u for rows [g | u] of `gateUp` (rows, 2F) -> (rows, F).
    private func gatedActivation(_ gateUp: UnsafePointer<Float>, into m: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        let (input, out) = (SendableConstPointer(gateUp), SendablePointer(m))
        Parallel.forEachChunk(rows, costPerItem: 24 * width) { range in
            for r in range {
                let (row, result) = (input.base + r * 2 * width, out.base + r * width)
                activationForward(row, into: result, count: width, .silu)
                for j in 0..<width { result[j] *= row[width + j] }
            }
        }
    }

    // MARK: - Backward

    private func backward(inputs: [Int], _ w: TrainingWorkspace) {
        let p = parameters.values
        // The base's gradients, or nil everywhere when it is frozen under an adapter.
        let frozen = adapter != nil
        func g(_ offset: Int) -> UnsafeMutablePointer<Float>? { frozen ? nil : parameters.gradients + offset }
        func g(_ offset: Int?) -> UnsafeMutablePointer<Float>? { offset.flatMap { g($0) } }
        let (n, c, t, f, v) = (w.rows, config.width, w.context, config.feedForwardWidth, config.vocabularySize)
        let batch = AttentionBatch(batch: w.batch, context: t, shape: attentionShape)
        let attentionLayout: WeightLayout = isGPT2 ? .inputsByOutputs : .outputsByInputs
        // Head and final norm: dx (the residual stream's gradient) from the logits' gradient.
        let head = parameters.offset(names.head)
        linearBackward(w.logits, x: w.finalNorm, rows: n, inputs: c, outputs: v, weight: p + head, layout: .outputsByInputs,
                       weightGradient: g(head), biasGradient: nil, inputGradient: w.normGradient)
        let finalNorm = parameters.offset(names.finalNorm)
        normBackward(w.normGradient, x: w.residual(2 * layers.count), rows: n, width: c, weight: p + finalNorm,
                     means: w.finalMean, inverseDeviations: w.finalInverse, centered: isGPT2, weightGradient: g(finalNorm),
                     biasGradient: g(names.finalNormBias.map { parameters.offset($0) }), inputGradient: w.residualGradient,
                     accumulate: false)
        let dx = w.residualGradient
        // Under an adapter nothing below its lowest block needs a gradient.
        let lowest = frozen ? (adaptedTargets.firstIndex { !$0.isEmpty } ?? layers.count) : 0
        for (l, o) in layers.enumerated().reversed() where l >= lowest {
            let s = w.layers[l]
            let (x, mid) = (w.residual(2 * l), w.residual(2 * l + 1))
            // MLP: dx flows to x' unchanged and through the MLP and norm₂.
            if isGPT2 {
                linearBackward(dx, x: s.activated, rows: n, inputs: f, outputs: c, weight: p + o.down, layout: .inputsByOutputs,
                               weightGradient: g(o.down), biasGradient: g(o.downBias), inputGradient: w.hiddenGradient)
                adaptBackward(l, [.down], dy: dx, ldy: c, x: s.activated, inputGradient: w.hiddenGradient, w)
                activationBackward(w.hiddenGradient, x: s.hidden, into: w.hiddenGradient, count: n * f, config.activation)
                linearBackward(w.hiddenGradient, x: s.norm2, rows: n, inputs: c, outputs: f, weight: p + o.up,
                               layout: .inputsByOutputs, weightGradient: g(o.up), biasGradient: g(o.upBias),
                               inputGradient: w.normGradient)
                adaptBackward(l, [.up], dy: w.hiddenGradient, ldy: f, x: s.norm2, inputGradient: w.normGradient, w)
            } else {
                linearBackward(dx, x: s.activated, rows: n, inputs: f, outputs: c, weight: p + o.down, layout: .outputsByInputs,
                               weightGradient: g(o.down), biasGradient: g(o.downBias), inputGradient: w.activatedGradient)
                adaptBackward(l, [.down], dy: dx, ldy: c, x: s.activated, inputGradient: w.activatedGradient, w)
                gatedActivationBackward(w.activatedGradient, gateUp: s.hidden, into: w.hiddenGradient, rows: n, width: f)
                linearBackward(w.hiddenGradient, x: s.norm2, rows: n, inputs: c, outputs: 2 * f, weight: p + o.up,
                               layout: .outputsByInputs, weightGradient: g(o.up), biasGradient: g(o.upBias),
                               inputGradient: w.normGradient)
                adaptBackward(l, [.gate, .up], dy: w.hiddenGradient, ldy: 2 * f, x: s.norm2, inputGradient: w.normGradient, w)
            }
            normBackward(w.normGradient, x: mid, rows: n, width: c, weight: p + o.mlpNorm, means: s.mean2,
                         inverseDeviations: s.inverse2, centered: isGPT2, weightGradient: g(o.mlpNorm),
                         biasGradient: g(o.mlpNormBias), inputGradient: dx, accumulate: true)
            // Attention: the same for x.
            linearBackward(dx, x: s.attended, rows: n, inputs: batch.outputWidth, outputs: c, weight: p + o.output,
                           layout: attentionLayout, weightGradient: g(o.output), biasGradient: g(o.outputBias),
                           inputGradient: w.attendedGradient)
            adaptBackward(l, [.output], dy: dx, ldy: c, x: s.attended, inputGradient: w.attendedGradient, w)
            attentionBackward(batch, qkv: s.qkv, probabilities: s.probabilities, outputGradient: w.attendedGradient,
                              qkvGradient: w.qkvGradient)
            if let rotaryTable { rotateQueriesAndKeys(w.qkvGradient, batch, table: rotaryTable, inverse: true) }
            linearBackward(w.qkvGradient, x: s.norm1, rows: n, inputs: c, outputs: batch.rowWidth, weight: p + o.queryKeyValue,
                           layout: attentionLayout, weightGradient: g(o.queryKeyValue),
                           biasGradient: g(o.queryKeyValueBias), inputGradient: w.normGradient)
            adaptBackward(l, [.queryKeyValue, .query, .key, .value], dy: w.qkvGradient, ldy: batch.rowWidth, x: s.norm1,
                          inputGradient: w.normGradient, w)
            normBackward(w.normGradient, x: x, rows: n, width: c, weight: p + o.attentionNorm, means: s.mean1,
                         inverseDeviations: s.inverse1, centered: isGPT2, weightGradient: g(o.attentionNorm),
                         biasGradient: g(o.attentionNormBias), inputGradient: dx, accumulate: true)
        }
        guard !frozen else { return }
        // Embedding (+ positions): rows in order, since several rows may share a token.
        let gradients = parameters.gradients
        let table = gradients + parameters.offset(names.embedding)
        let positions = names.positions.map { gradients + parameters.offset($0) }
        for r in 0..<n {
            addScaled(1, dx + r * c, to: table + inputs[r] * c, count: c)
            if let positions { addScaled(1, dx + r * c, to: positions + (r % t) * c, count: c) }
        }
    }

    /// SwiGLU's middle backward: from dm (rows, F) and the kept [g | u] to [dg | du] (rows, 2F),
    /// dg = dm ⊙ u ⊙ silu′(g), du = dm ⊙ silu(g).
    private func gatedActivationBackward(_ dm: UnsafePointer<Float>, gateUp: UnsafePointer<Float>,
                                         into dGateUp: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        let (gradient, input, out) = (SendableConstPointer(dm), SendableConstPointer(gateUp), SendablePointer(dGateUp))
        Parallel.forEachChunk(rows, costPerItem: 48 * width) { range in
            for r in range {
                let (row, dRow, m) = (input.base + r * 2 * width, out.base + r * 2 * width, gradient.base + r * width)
                activationForward(row, into: dRow + width, count: width, .silu)  // du = dm ⊙ silu(g)
                for j in 0..<width {
                    dRow[width + j] *= m[j]
                    dRow[j] = m[j] * row[width + j]  // dm ⊙ u, then ⊙ silu′(g)
                }
                activationBackward(dRow, x: row, into: dRow, count: width, .silu)
            }
        }
    }
}

/// y[i] += x[i] for i in 0..<count.
private func addInPlace(_ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
    let (input, out) = (SendableConstPointer(x), SendablePointer(y))
    Parallel.forEachChunk((count + 4095) / 4096, costPerItem: 4096) { range in
        let start = range.lowerBound * 4096, end = min(count, range.upperBound * 4096)
        addScaled(1, input.base + start, to: out.base + start, count: end - start)
    }
}

/// The memory one batch shape needs: activations kept for the backward pass and gradient scratch.
final class TrainingWorkspace {
    let batch: Int, context: Int
    var rows: Int { batch * context }
    /// One block's kept activations.
    struct Layer {
        let norm1, mean1, inverse1, qkv, probabilities, attended: UnsafeMutablePointer<Float>
        let norm2, mean2, inverse2, hidden, activated: UnsafeMutablePointer<Float>
    }
    let layers: [Layer]
    /// The residual stream before block 0, after each attention and after each MLP: (2L + 1) × (rows, C).
    private let residuals: UnsafeMutablePointer<Float>
    let finalNorm, finalMean, finalInverse, logits: UnsafeMutablePointer<Float>
    /// The LoRA adapter's scratch, when there is one.
    var lora: LoRAWorkspace?
    let rowLosses: UnsafeMutablePointer<Double>
    let residualGradient, normGradient, attendedGradient, qkvGradient, hiddenGradient, activatedGradient: UnsafeMutablePointer<Float>
    private let width: Int
    private let memory = ScratchMemory()
    /// The activations and gradients of one batch shape (with the adapter's scratch), in bytes.
    var bytes: Int { memory.bytes + 8 * batch * context + (lora?.bytes ?? 0) }

    init(config: TransformerConfig, batch: Int, context: Int) {
        self.batch = batch
        self.context = context
        width = config.width
        let n = batch * context, c = config.width, d = config.headSize
        let qkvWidth = (config.heads + 2 * config.kvHeads) * d, attendedWidth = config.heads * d
        let hiddenWidth = config.architecture == .gpt2 ? config.feedForwardWidth : 2 * config.feedForwardWidth
        let memory = memory
        func allocate(_ count: Int) -> UnsafeMutablePointer<Float> { memory.floats(count) }
        layers = (0..<config.layers).map { _ in
            Layer(norm1: allocate(n * c), mean1: allocate(n), inverse1: allocate(n), qkv: allocate(n * qkvWidth),
                  probabilities: allocate(batch * config.heads * context * context), attended: allocate(n * attendedWidth),
                  norm2: allocate(n * c), mean2: allocate(n), inverse2: allocate(n), hidden: allocate(n * hiddenWidth),
                  activated: allocate(n * config.feedForwardWidth))
        }
        residuals = allocate((2 * config.layers + 1) * n * c)
        finalNorm = allocate(n * c); finalMean = allocate(n); finalInverse = allocate(n)
        logits = allocate(n * config.vocabularySize)
        residualGradient = allocate(n * c); normGradient = allocate(n * c)
        attendedGradient = allocate(n * attendedWidth); qkvGradient = allocate(n * qkvWidth)
        hiddenGradient = allocate(n * hiddenWidth); activatedGradient = allocate(n * config.feedForwardWidth)
        rowLosses = .allocate(capacity: max(1, n))
        rowLosses.initialize(repeating: 0, count: max(1, n))
    }

    deinit {
        rowLosses.deallocate()
    }

    /// Residual state `index`: 0 the embedding, 2l + 1 after block l's attention, 2l + 2 after its MLP.
    func residual(_ index: Int) -> UnsafeMutablePointer<Float> { residuals + index * rows * width }
}

/// Zero-filled blocks of floats that live as long as their owner (a workspace), freed together.
final class ScratchMemory {
    private var blocks: [UnsafeMutablePointer<Float>] = []
    /// The bytes allocated so far.
    private(set) var bytes = 0

    /// A new zero-filled block of `count` floats (at least one).
    func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
        blocks.append(pointer)
        bytes += 4 * max(1, count)
        return pointer
    }

    deinit { for pointer in blocks { pointer.deallocate() } }
}
