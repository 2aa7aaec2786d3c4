// The fast training path (Training/TrainableTransformer.swift) against its readable twin, the
// tape: on tiny random models of every family (GPT-2; Llama with grouped-query attention and an
// untied head; Qwen2 with q/k/v biases, one KV head and a tied head; Mistral with a sliding
// window shorter than the context), the loss and every parameter's gradient on a (B, T) batch
// with ignored targets equal the tape's summed over the batch's sequences. Also: gradient
// accumulation, the same bits on 1 and 2 threads, BufferAdamW = AdamW, and clipping.
// (Agreement with PyTorch is TrainingPyTorchFixtureTests' job.)

import XCTest
@testable import LabKernel
import LabTestSupport

final class TrainingPathTests: XCTestCase {
    static let configs: [(name: String, config: TransformerConfig)] = [
        ("gpt2", TransformerConfig(architecture: .gpt2, vocabularySize: 61, contextLength: 16, width: 32, layers: 2, heads: 4)),
        ("llama", .llamaFamily(.llama, vocabularySize: 61, contextLength: 16, width: 32, layers: 2, heads: 4, kvHeads: 2,
                               feedForwardWidth: 40)),
        ("qwen2", .llamaFamily(.qwen2, vocabularySize: 61, contextLength: 16, width: 32, layers: 2, heads: 4, kvHeads: 1,
                               feedForwardWidth: 40, ropeTheta: 1_000_000, tiedEmbeddings: true)),
        ("mistral", {
            var config = TransformerConfig.llamaFamily(.mistral, vocabularySize: 61, contextLength: 16, width: 32, layers: 1,
                                                       heads: 2, kvHeads: 1, feedForwardWidth: 40)
            config.slidingWindow = 5
            return config
        }()),
    ]

    /// A random batch of `batch` sequences of `context` tokens; a few targets are the ignore index.
    static func randomBatch(vocabulary: Int, batch: Int, context: Int, seed: UInt64,
                            ignoring: Int = 3) -> (inputs: [Int], targets: [Int]) {
        var generator = SeededGenerator(seed: seed)
        let inputs = (0..<(batch * context)).map { _ in generator.nextInt(below: vocabulary) }
        var targets = (0..<(batch * context)).map { _ in generator.nextInt(below: vocabulary) }
        for _ in 0..<ignoring { targets[generator.nextInt(below: targets.count)] = -100 }
        return (inputs, targets)
    }

    /// The tape's loss over the batch with `parameters` (every name of the model's): the mean over
    /// all counted targets, as the fast path takes it.
    static func tapeLoss(_ model: TransformerModel, parameters: [String: Variable], inputs: [Int], targets: [Int],
                         batch: Int, context: Int) -> Variable {
        let counted = targets.filter { $0 != -100 }.count
        var total: Variable?
        for b in 0..<batch {
            let rows = (b * context)..<((b + 1) * context)
            let sequenceTargets = Array(targets[rows])
            let sequenceCounted = sequenceTargets.filter { $0 != -100 }.count
            guard sequenceCounted > 0 else { continue }
            let logits = model.forward(tokens: Array(inputs[rows]), parameters: parameters)
            let term = crossEntropy(logits: logits, targets: sequenceTargets, ignoreIndex: -100)
                * (Float(sequenceCounted) / Float(counted))
            total = total.map { $0 + term } ?? term
        }
        return total!
    }

    /// The tape's loss over the batch and its gradient for every parameter.
    static func tapeLossAndGradients(_ model: TransformerModel, inputs: [Int], targets: [Int],
                                     batch: Int, context: Int) -> (Float, [String: Tensor]) {
        let variables = model.parameterVariables()
        let total = tapeLoss(model, parameters: variables, inputs: inputs, targets: targets, batch: batch, context: context)
        total.backward()
        var gradients: [String: Tensor] = [:]
        for (name, variable) in variables { gradients[name] = variable.grad ?? Tensor.zeros(variable.shape) }
        return (total.value.item, gradients)
    }

    /// max |a − b| / max |b|: the per-tensor relative difference the fixture tests also use.
    static func relativeDifference(_ a: Tensor, _ b: Tensor) -> Float {
        let scale = b.scalars.reduce(Float(0)) { max($0, abs($1)) }
        return a.maxAbsoluteDifference(b) / max(scale, 1e-30)
    }

    func testLossAndEveryGradientEqualTheTape() {
        for (name, config) in Self.configs {
            let model = TransformerModel.random(config: config, standardDeviation: 0.2, seed: 21)
            let (batch, context) = (3, 12)
            let (inputs, targets) = Self.randomBatch(vocabulary: config.vocabularySize, batch: batch, context: context, seed: 5)
            let trainer = TrainableTransformer(model)
            let loss = trainer.loss(inputs: inputs, targets: targets, batch: batch, context: context)
            let (tapeLoss, tapeGradients) = Self.tapeLossAndGradients(model, inputs: inputs, targets: targets,
                                                                      batch: batch, context: context)
            XCTAssertEqual(loss, tapeLoss, accuracy: 2e-6 * abs(tapeLoss), "\(name): loss")
            XCTAssertEqual(Set(tapeGradients.keys), Set(trainer.parameters.slots.map(\.name)), "\(name): parameter names")
            for (parameter, expected) in tapeGradients {
                let difference = Self.relativeDifference(trainer.parameters.gradient(parameter), expected)
                // Both in Float32, differing in summation order only (gemm blocks vs the tape's products).
                XCTAssertLessThan(difference, 2e-5, "\(name): gradient of \(parameter)")
            }
        }
    }

    func testParametersRoundTripThroughTheBuffer() {
        for (name, config) in Self.configs {
            let model = TransformerModel.random(config: config, seed: 3)
            let copy = TrainableTransformer(model).model
            for (parameter, value) in model.parameters {
                XCTAssertEqual(copy.parameters[parameter]?.scalars, value.scalars, "\(name): \(parameter)")
            }
        }
    }

    func testForwardLossEqualsTheInferencePass() {
        for (name, config) in Self.configs {
            let model = TransformerModel.random(config: config, standardDeviation: 0.2, seed: 8)
            let (inputs, targets) = Self.randomBatch(vocabulary: config.vocabularySize, batch: 2, context: 10, seed: 9, ignoring: 0)
            var expected = 0.0
            for b in 0..<2 {
                let logits = model.forward(tokens: Array(inputs[(b * 10)..<((b + 1) * 10)]))
                expected += Double(crossEntropy(logits: logits, targets: Array(targets[(b * 10)..<((b + 1) * 10)]))) / 2
            }
            let loss = TrainableTransformer(model).loss(inputs: inputs, targets: targets, batch: 2, context: 10,
                                                        computeGradients: false)
            XCTAssertEqual(Double(loss), expected, accuracy: 2e-6 * expected, name)
        }
    }

    func testGradientAccumulationEqualsOneLargeBatch() {
        let config = Self.configs[1].config
        let model = TransformerModel.random(config: config, standardDeviation: 0.2, seed: 4)
        let (inputs, targets) = Self.randomBatch(vocabulary: config.vocabularySize, batch: 4, context: 8, seed: 6, ignoring: 0)
        let whole = TrainableTransformer(model)
        whole.loss(inputs: inputs, targets: targets, batch: 4, context: 8)
        let halves = TrainableTransformer(model)
        for half in 0..<2 {
            let rows = (half * 16)..<((half + 1) * 16)
            halves.loss(inputs: Array(inputs[rows]), targets: Array(targets[rows]), batch: 2, context: 8, gradientScale: 0.5)
        }
        for slot in whole.parameters.slots {
            XCTAssertLessThan(Self.relativeDifference(halves.parameters.gradient(slot.name), whole.parameters.gradient(slot.name)),
                              1e-5, slot.name)
        }
    }

    func testSameBitsOnOneAndTwoThreads() {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        for (name, config) in Self.configs.prefix(2) {
            let model = TransformerModel.random(config: config, standardDeviation: 0.2, seed: 12)
            let (inputs, targets) = Self.randomBatch(vocabulary: config.vocabularySize, batch: 4, context: 16, seed: 13)
            var results: [[Float]] = []
            for threads in [1, 2] {
                Parallel.threadCount = threads
                let trainer = TrainableTransformer(model)
                let loss = trainer.loss(inputs: inputs, targets: targets, batch: 4, context: 16)
                results.append([loss] + Array(UnsafeBufferPointer(start: trainer.parameters.gradients, count: trainer.parameters.count)))
            }
            XCTAssertEqual(results[0], results[1], "\(name): 1 thread and 2 threads differ")
        }
    }

    func testBufferAdamWWithClippingEqualsAdamWOnVariables() {
        let config = Self.configs[0].config
        let model = TransformerModel.random(config: config, standardDeviation: 0.2, seed: 30)
        let trainer = TrainableTransformer(model)
        var optimizer = BufferAdamW(for: trainer.parameters, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1)
        // The reference: two AdamW instances (decay on matrices only) over Variables.
        let variables = model.parameterVariables()
        let matrices = variables.values.filter { $0.shape.count >= 2 }, vectors = variables.values.filter { $0.shape.count < 2 }
        let decayed = AdamW(parameters: matrices, learningRate: 0, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1)
        let plain = AdamW(parameters: vectors, learningRate: 0, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0)
        let schedule = WarmupCosineSchedule(peak: 1e-2, warmupSteps: 2, totalSteps: 5)
        for step in 0..<3 {
            let (inputs, targets) = Self.randomBatch(vocabulary: config.vocabularySize, batch: 2, context: 8, seed: UInt64(40 + step))
            trainer.zeroGradients()
            trainer.loss(inputs: inputs, targets: targets, batch: 2, context: 8)
            let norm = trainer.parameters.clipGradients(maxNorm: 0.5)
            // The tape's gradients are replaced by the fast path's, so this compares the optimizers only.
            for (name, variable) in variables { variable.grad = trainer.parameters.gradient(name) }
            let rate = schedule.learningRate(atStep: step)
            optimizer.update(trainer.parameters, learningRate: rate)
            (decayed.learningRate, plain.learningRate) = (rate, rate)
            decayed.step()
            plain.step()
            XCTAssertGreaterThan(norm, 0.5, "the test should exercise clipping")
            for (name, variable) in variables {
                XCTAssertEqual(trainer.parameters.value(name).scalars, variable.value.scalars, "\(name) after step \(step + 1)")
            }
        }
    }

    func testClippingMatchesClipGradientNorm() {
        let config = Self.configs[1].config
        let model = TransformerModel.random(config: config, standardDeviation: 0.2, seed: 31)
        let trainer = TrainableTransformer(model)
        let (inputs, targets) = Self.randomBatch(vocabulary: config.vocabularySize, batch: 2, context: 8, seed: 3)
        trainer.loss(inputs: inputs, targets: targets, batch: 2, context: 8)
        let variables = trainer.parameters.slots.map { slot -> Variable in
            let variable = Variable(trainer.parameters.value(slot.name))
            variable.grad = trainer.parameters.gradient(slot.name)
            return variable
        }
        let expected = clipGradientNorm(variables, maxNorm: 0.1)
        let norm = trainer.parameters.clipGradients(maxNorm: 0.1)
        XCTAssertEqual(norm, expected, accuracy: 1e-6 * expected)
        for (slot, variable) in zip(trainer.parameters.slots, variables) {
            XCTAssertLessThan(Self.relativeDifference(trainer.parameters.gradient(slot.name), variable.grad!), 1e-6, slot.name)
        }
    }
}
