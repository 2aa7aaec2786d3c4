// Tests of LoRA (Training/LoRA.swift, LoRA+FastPath.swift): the adapter starts equal to the base
// with PEFT's initialization; on the fast path, with the base frozen, the loss and the gradient of
// every A and B equal the tape's (W + s·B·A built on Variables) for GPT-2, Llama, Qwen2 and
// Mistral with every projection adapted; the merged model gives the adapted model's logits and
// unmerging gives the base back; targets match module names as PEFT matches them; dropout acts
// only while training; the base keeps no gradient memory; and a LoRA training run changes the
// adapter alone. PEFT's own numbers are in LoRAPEFTTests.

import XCTest
@testable import LabKernel
import LabTestSupport

final class LoRATests: XCTestCase {
    /// An adapter on `config` with B drawn at random too (a fresh B is zero, which hides any
    /// mistake in A's gradient and in the path's forward).
    static func adapter(_ config: TransformerConfig, settings: LoRASettings, seed: UInt64) throws -> LoRAAdapter {
        let adapter = try LoRAAdapter(config: config, settings: settings, seed: seed)
        var generator = SeededGenerator(seed: seed + 1)
        for target in adapter.targets {
            adapter.parameters.setValue(target.b, .randomNormal([target.outputs, settings.rank], standardDeviation: 0.1,
                                                                 using: &generator))
        }
        return adapter
    }

    /// The tape's loss over a batch with the adapter (mean over every counted target, as the fast
    /// path) and its gradient for every A and B; the base's Variables do not require gradients.
    static func tapeLossAndGradients(_ model: TransformerModel, _ adapter: LoRAAdapter, inputs: [Int], targets: [Int],
                                     batch: Int, context: Int) -> (Float, [String: Tensor]) {
        var base: [String: Variable] = [:]
        for (name, value) in model.parameters { base[name] = Variable(value, requiresGrad: false, name: name) }
        let variables = adapter.parameterVariables()
        let parameters = adapter.adaptedParameters(base, adapter: variables)
        let total = TrainingPathTests.tapeLoss(model, parameters: parameters, inputs: inputs, targets: targets,
                                               batch: batch, context: context)
        total.backward()
        XCTAssertTrue(base.values.allSatisfy { $0.grad == nil }, "the frozen base got a gradient on the tape")
        return (total.value.item, variables.mapValues { $0.grad ?? Tensor.zeros($0.shape) })
    }

    func testAFreshAdapterIsPEFTsInitializationAndChangesNothing() throws {
        for (name, config) in TrainingPathTests.configs {
            let model = TransformerModel.random(config: config, standardDeviation: 0.2, seed: 3)
            let adapter = try LoRAAdapter(config: config, settings: LoRASettings(rank: 4, alpha: 8, targets: ["all-linear"]), seed: 4)
            for target in adapter.targets {
                let (a, b) = (adapter.parameters.value(target.a), adapter.parameters.value(target.b))
                let bound = 1 / Float(target.inputs).squareRoot()
                XCTAssertEqual(a.shape, [4, target.inputs])
                XCTAssertTrue(a.scalars.allSatisfy { abs($0) < bound }, "\(name) \(target.module): A within ±1/√in")
                XCTAssertGreaterThan(a.scalars.map(abs).max()!, 0.8 * bound, "\(name) \(target.module): A fills its range")
                XCTAssertEqual(b, Tensor.zeros([target.outputs, 4]), "\(name) \(target.module): B starts at zero")
            }
            let (inputs, targets) = TrainingPathTests.randomBatch(vocabulary: config.vocabularySize, batch: 2, context: 8, seed: 5)
            let plain = TrainableTransformer(model).loss(inputs: inputs, targets: targets, batch: 2, context: 8, computeGradients: false)
            let adapted = TrainableTransformer(model, adapter: adapter).loss(inputs: inputs, targets: targets, batch: 2, context: 8,
                                                                             computeGradients: false)
            XCTAssertEqual(adapted, plain, "\(name): a fresh adapter changes the loss")
        }
    }

    func testFastPathLossAndEveryAdapterGradientEqualTheTape() throws {
        for (index, (name, config)) in TrainingPathTests.configs.enumerated() {
            let model = TransformerModel.random(config: config, standardDeviation: 0.2, seed: 6)
            let settings = LoRASettings(rank: 3, alpha: 6, targets: ["all-linear"], rankStabilized: index % 2 == 1)
            let adapter = try Self.adapter(config, settings: settings, seed: 7)
            let (batch, context) = (3, 12)
            let (inputs, targets) = TrainingPathTests.randomBatch(vocabulary: config.vocabularySize, batch: batch,
                                                                  context: context, seed: 8)
            let trainer = TrainableTransformer(model, adapter: adapter)
            let loss = trainer.loss(inputs: inputs, targets: targets, batch: batch, context: context)
            let (tapeLoss, tapeGradients) = Self.tapeLossAndGradients(model, adapter, inputs: inputs, targets: targets,
                                                                      batch: batch, context: context)
            XCTAssertEqual(loss, tapeLoss, accuracy: 1e-5 * tapeLoss, "\(name): loss")
            XCTAssertFalse(trainer.parameters.hasGradients, "\(name): the base keeps gradients")
            XCTAssertTrue(trainer.trainable === adapter.parameters)
            for slot in adapter.parameters.slots {
                let difference = TrainingPathTests.relativeDifference(adapter.parameters.gradient(slot.name), tapeGradients[slot.name]!)
                XCTAssertLessThan(difference, 1e-5, "\(name): gradient of \(slot.name)")
            }
        }
    }

    func testOnlySomeProjectionsAdaptedStillEqualTheTape() throws {
        // One target per block, high in the stack: the backward pass stops below the lowest block.
        for (name, config) in TrainingPathTests.configs.prefix(3) {
            let model = TransformerModel.random(config: config, standardDeviation: 0.2, seed: 9)
            let pattern = config.architecture.isLlamaFamily ? "layers.1.mlp.down_proj" : "h.1.mlp.c_proj"
            let adapter = try Self.adapter(config, settings: LoRASettings(rank: 2, alpha: 2, targets: [pattern]), seed: 10)
            XCTAssertEqual(adapter.targets.count, 1, "\(name)")
            let (inputs, targets) = TrainingPathTests.randomBatch(vocabulary: config.vocabularySize, batch: 2, context: 10, seed: 11)
            let trainer = TrainableTransformer(model, adapter: adapter)
            let loss = trainer.loss(inputs: inputs, targets: targets, batch: 2, context: 10)
            let (tapeLoss, tapeGradients) = Self.tapeLossAndGradients(model, adapter, inputs: inputs, targets: targets,
                                                                      batch: 2, context: 10)
            XCTAssertEqual(loss, tapeLoss, accuracy: 1e-5 * tapeLoss, "\(name): loss")
            for slot in adapter.parameters.slots {
                let difference = TrainingPathTests.relativeDifference(adapter.parameters.gradient(slot.name), tapeGradients[slot.name]!)
                XCTAssertLessThan(difference, 1e-5, "\(name): gradient of \(slot.name)")
            }
        }
    }

    func testMergedModelGivesTheAdaptedLogitsAndUnmergingGivesTheBase() throws {
        for (name, config) in TrainingPathTests.configs {
            let model = TransformerModel.random(config: config, standardDeviation: 0.2, seed: 12)
            let adapter = try Self.adapter(config, settings: LoRASettings(rank: 4, alpha: 16, targets: ["all-linear"]), seed: 13)
            let tokens = (0..<10).map { ($0 * 7 + 3) % config.vocabularySize }
            var base: [String: Variable] = [:]
            for (n, value) in model.parameters { base[n] = Variable(value, requiresGrad: false) }
            let tape = model.forward(tokens: tokens, parameters: adapter.adaptedParameters(base, adapter: adapter.parameterVariables())).value
            let merged = adapter.merged(into: model)
            assertClose(merged.forward(tokens: tokens), tape, tolerance: 1e-5, "\(name): merged logits")
            XCTAssertGreaterThan(merged.forward(tokens: tokens).maxAbsoluteDifference(model.forward(tokens: tokens)), 1e-2,
                                 "\(name): the adapter should change the logits")
            let unmerged = adapter.unmerged(from: merged)
            for (n, value) in model.parameters {
                XCTAssertLessThan(unmerged.parameters[n]!.maxAbsoluteDifference(value), 1e-6, "\(name): \(n) after unmerging")
            }
            // The fast path's loss with the adapter is the merged model's.
            let (inputs, targets) = TrainingPathTests.randomBatch(vocabulary: config.vocabularySize, batch: 2, context: 8, seed: 14)
            let adapted = TrainableTransformer(model, adapter: adapter).loss(inputs: inputs, targets: targets, batch: 2, context: 8,
                                                                             computeGradients: false)
            let folded = TrainableTransformer(merged).loss(inputs: inputs, targets: targets, batch: 2, context: 8,
                                                           computeGradients: false)
            XCTAssertEqual(adapted, folded, accuracy: 1e-5 * folded, "\(name): fast path against the merged model")
        }
    }

    func testTargetsMatchModuleNamesAsPEFTDoes() throws {
        let gpt2 = TrainingPathTests.configs[0].config, llama = TrainingPathTests.configs[1].config
        let both = try LoRAAdapter.targets(config: gpt2, matching: ["c_proj"])
        XCTAssertEqual(both.map(\.module), ["transformer.h.0.attn.c_proj", "transformer.h.0.mlp.c_proj",
                                            "transformer.h.1.attn.c_proj", "transformer.h.1.mlp.c_proj"])
        XCTAssertEqual(try LoRAAdapter.targets(config: gpt2, matching: ["attn.c_proj"]).map(\.projection), [.output, .output])
        XCTAssertTrue(both.allSatisfy(\.transposedWeight), "GPT-2's Conv1D is fan_in_fan_out")
        let defaults = try LoRAAdapter.targets(config: llama, matching: LoRASettings.defaultTargets(for: .llama))
        XCTAssertEqual(defaults.map(\.module), ["model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
                                                "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"])
        XCTAssertEqual(defaults.map(\.outputs), [32, 16, 32, 16], "v_proj has the KV heads' width")
        XCTAssertEqual(try LoRAAdapter.targets(config: llama, matching: ["all-linear"]).count, 14)
        XCTAssertEqual(try LoRAAdapter.targets(config: gpt2, matching: LoRASettings.defaultTargets(for: .gpt2)).map(\.outputs), [96, 96])
        XCTAssertThrowsError(try LoRAAdapter.targets(config: gpt2, matching: ["q_proj"])) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("\"q_proj\"") && message.contains("attn.c_attn") && message.contains("mlp.c_fc"), message)
        }
    }

    func testSettingsThatCannotWorkAreNamed() {
        let config = TrainingPathTests.configs[1].config
        for (settings, fragment) in [(LoRASettings(rank: 0, targets: ["q_proj"]), "rank"),
                                     (LoRASettings(rank: 4, alpha: .nan, targets: ["q_proj"]), "alpha"),
                                     (LoRASettings(rank: 4, targets: ["q_proj"], dropout: 1), "dropout"),
                                     (LoRASettings(rank: 4, targets: []), "target")] {
            XCTAssertThrowsError(try LoRAAdapter(config: config, settings: settings, seed: 1)) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error)")
            }
        }
        XCTAssertEqual(LoRASettings(rank: 16, alpha: 32, targets: ["q_proj"]).scale, 2)
        XCTAssertEqual(LoRASettings(rank: 16, alpha: 32, targets: ["q_proj"], rankStabilized: true).scale, 8)
    }

    func testDropoutActsOnlyWhileTrainingAndKeepsTheSameBitsOnAnyThreadCount() throws {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        let config = TrainingPathTests.configs[1].config
        let model = TransformerModel.random(config: config, standardDeviation: 0.2, seed: 15)
        let (inputs, targets) = TrainingPathTests.randomBatch(vocabulary: config.vocabularySize, batch: 2, context: 8, seed: 16)
        func run(dropout: Float, threads: Int, training: Bool) throws -> [Float] {
            Parallel.threadCount = threads
            let adapter = try Self.adapter(config, settings: LoRASettings(rank: 4, alpha: 8, targets: ["all-linear"], dropout: dropout),
                                           seed: 17)
            let trainer = TrainableTransformer(model, adapter: adapter)
            let loss = trainer.loss(inputs: inputs, targets: targets, batch: 2, context: 8, computeGradients: training)
            return [loss] + Array(UnsafeBufferPointer(start: adapter.parameters.gradients, count: adapter.parameters.count))
        }
        let none = try run(dropout: 0, threads: 2, training: true)
        let dropped = try run(dropout: 0.5, threads: 2, training: true)
        XCTAssertNotEqual(dropped[0], none[0], "dropout should change the training loss")
        XCTAssertTrue(dropped.allSatisfy(\.isFinite))
        XCTAssertEqual(try run(dropout: 0.5, threads: 1, training: true), dropped, "1 thread and 2 threads differ")
        XCTAssertEqual(try run(dropout: 0.5, threads: 2, training: false)[0], none[0], "evaluation must not drop")
    }

    func testALoRARunChangesTheAdapterAloneAndLowersTheLoss() throws {
        let config = TrainingPathTests.configs[0].config
        let model = TransformerModel.random(config: config, standardDeviation: 0.2, seed: 18)
        let adapter = try LoRAAdapter(config: config, settings: LoRASettings(rank: 4, alpha: 8, targets: ["all-linear"]), seed: 19)
        // A stream with a pattern to learn: a short cycle of tokens.
        let stream = (0..<2000).map { [5, 9, 2, 17, 33, 9, 41][$0 % 7] }
        var settings = TrainingSettings(steps: 40, batch: 4, context: 12)
        settings.learningRate = 1e-2
        settings.weightDecay = 0
        let run = TrainingRun(model: model, adapter: adapter, settings: settings,
                              train: TokenWindows(stream), validation: TokenWindows(stream))
        let before = run.validationLoss()
        for _ in 0..<settings.steps { try run.runStep() }
        let after = run.validationLoss()
        XCTAssertLessThan(after, before - 0.5, "LoRA should learn the cycle: \(before) -> \(after)")
        XCTAssertEqual(run.optimizer.firstMoment.count, adapter.parameterCount, "moments for the adapter only")
        let trained = run.trainer.model
        for (name, value) in model.parameters {
            XCTAssertEqual(trained.parameters[name], value, "\(name): the frozen base changed")
        }
        XCTAssertEqual(run.trainer.parameters.memoryBytes, 4 * run.trainer.parameters.count, "the frozen base keeps values only")
        XCTAssertEqual(adapter.parameters.memoryBytes, 8 * adapter.parameterCount, "the adapter keeps values and gradients")
    }
}
