// The training loop (Training/TrainingRun.swift), its batches (TokenWindows.swift) and checkpoints
// (TrainingCheckpoint.swift): a tiny model learns a pattern, a run stopped and resumed from a
// checkpoint ends with bit-identical weights, optimizer state and generator, a save killed half way
// leaves the previous checkpoint readable, a LoRA run (its adapter, moments and dropout draws) resumes
// bit-identically and is refused for a base of another shape, a learning rate that blows up stops the run with a message
// naming the step and leaves the weights as they were, and config.json round-trips for every family.

import Foundation
import XCTest
@testable import LabKernel
import LabTestSupport

final class TrainingRunTests: XCTestCase {
    /// A stream with structure to learn: "abcabd" repeated with noise, as byte tokens.
    static let text = String(repeating: "the cat sat on the mat. the dog sat on the log. ", count: 40)
    static let tokenizer = try! BPETokenizer.train(text: text, vocabularySize: 270)
    static var tokens: [Int] { tokenizer.encode(text) }
    static let config = TransformerConfig(architecture: .gpt2, vocabularySize: 270, contextLength: 32, width: 32,
                                          layers: 2, heads: 4)

    static func settings(steps: Int) -> TrainingSettings {
        var settings = TrainingSettings(steps: steps, batch: 4, context: 16)
        settings.learningRate = 3e-3
        settings.warmupSteps = 3
        settings.accumulation = 2
        settings.evaluationInterval = 5
        settings.evaluationBatches = 2
        settings.seed = 7
        return settings
    }

    static func run(steps: Int, model: TransformerModel? = nil) -> TrainingRun {
        let (train, validation) = TokenWindows.split(tokens, validationFraction: 0.1)
        return TrainingRun(model: model ?? TransformerModel.random(config: config, seed: 3), settings: settings(steps: steps),
                           train: train, validation: validation)
    }

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lab-training-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testWindowsShiftTargetsByOneAndEvaluationIsFixed() {
        let windows = TokenWindows(Array(0..<100))
        var generator = SeededGenerator(seed: 1)
        let (inputs, targets) = windows.randomBatch(batch: 3, context: 10, using: &generator)
        XCTAssertEqual(inputs.count, 30)
        XCTAssertEqual(zip(inputs, targets).map { $1 - $0 }, Array(repeating: 1, count: 30))
        let first = windows.evaluationBatches(batch: 2, context: 10, count: 3)
        XCTAssertEqual(first.map(\.inputs), windows.evaluationBatches(batch: 2, context: 10, count: 3).map(\.inputs))
        XCTAssertEqual(first.first?.inputs.first, 0)
        XCTAssertEqual(first.last?.targets.last, 99, "the last window ends at the stream's end")
        let (train, validation) = TokenWindows.split(Array(0..<1000), validationFraction: 0.1)
        XCTAssertEqual(train.tokens, Array(0..<900))
        XCTAssertEqual(validation.tokens, Array(900..<1000))
    }

    func testATinyModelLearnsThePattern() throws {
        let run = Self.run(steps: 60)
        let before = run.validationLoss()
        while !run.isFinished { try run.runStep() }
        let after = run.validationLoss()
        XCTAssertLessThan(after, before * 0.5, "validation loss \(before) -> \(after)")
    }

    func testResumingFromACheckpointIsBitIdentical() throws {
        let straight = Self.run(steps: 12)
        while !straight.isFinished { try straight.runStep() }

        let folder = try temporaryFolder().appendingPathComponent("checkpoint")
        let first = Self.run(steps: 12)
        for _ in 0..<5 { try first.runStep() }
        try TrainingCheckpoint.save(first, tokenizer: Self.tokenizer, data: ["corpus": "test"], to: folder)
        let saved = try TrainingCheckpoint.load(folder)
        XCTAssertEqual(saved.step, 5)
        XCTAssertEqual(saved.settings, first.settings)
        XCTAssertEqual(saved.data, ["corpus": "test"])
        XCTAssertEqual(saved.trainHash, TrainingCheckpoint.fingerprint(first.train.tokens))
        let resumed = TrainingRun(trainer: TrainableTransformer(saved.model), optimizer: saved.optimizer, settings: saved.settings,
                                  step: saved.step, generator: saved.generator, averageLoss: saved.averageLoss,
                                  train: first.train, validation: first.validation)
        while !resumed.isFinished { try resumed.runStep() }
        let (a, b) = (straight.trainer.parameters, resumed.trainer.parameters)
        XCTAssertEqual(Array(UnsafeBufferPointer(start: a.values, count: a.count)),
                       Array(UnsafeBufferPointer(start: b.values, count: b.count)), "weights")
        XCTAssertEqual(straight.optimizer.firstMoment, resumed.optimizer.firstMoment)
        XCTAssertEqual(straight.optimizer.secondMoment, resumed.optimizer.secondMoment)
        XCTAssertEqual(straight.generator.savedState, resumed.generator.savedState)
        XCTAssertEqual(straight.averageLoss, resumed.averageLoss)
    }

    func testALoRARunResumesBitIdenticallyAndRefusesAnotherBase() throws {
        let base = TransformerModel.random(config: Self.config, seed: 3)
        func adapter() throws -> LoRAAdapter {
            try LoRAAdapter(config: Self.config, settings: LoRASettings(rank: 2, alpha: 4, targets: ["c_attn", "c_proj"], dropout: 0.25),
                            seed: 5)
        }
        let (train, validation) = TokenWindows.split(Self.tokens, validationFraction: 0.1)
        let straight = TrainingRun(model: base, adapter: try adapter(), settings: Self.settings(steps: 10), train: train, validation: validation)
        while !straight.isFinished { try straight.runStep() }

        let folder = try temporaryFolder().appendingPathComponent("lora-run")
        let first = TrainingRun(model: base, adapter: try adapter(), settings: Self.settings(steps: 10), train: train, validation: validation)
        for _ in 0..<4 { try first.runStep() }
        try TrainingCheckpoint.save(first, tokenizer: nil, data: ["model": "base"], to: folder)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(PEFTAdapter.configFile).path),
                      "a LoRA checkpoint is a PEFT adapter folder")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.safetensors").path),
                       "the frozen base is not copied")
        let saved = try TrainingCheckpoint.loadAdapter(folder, base: base)
        XCTAssertEqual(saved.step, 4)
        XCTAssertEqual(saved.data, ["model": "base"])
        let resumed = TrainingRun(trainer: TrainableTransformer(base, adapter: saved.adapter), optimizer: saved.optimizer,
                                  settings: saved.settings, step: saved.step, generator: saved.generator,
                                  averageLoss: saved.averageLoss, train: train, validation: validation)
        while !resumed.isFinished { try resumed.runStep() }
        let (a, b) = (straight.trainer.trainable, resumed.trainer.trainable)
        XCTAssertEqual(Array(UnsafeBufferPointer(start: a.values, count: a.count)),
                       Array(UnsafeBufferPointer(start: b.values, count: b.count)), "the adapter, dropout draws included")
        XCTAssertEqual(straight.optimizer.secondMoment, resumed.optimizer.secondMoment)

        // The model loader and another base shape both say what the folder is.
        XCTAssertThrowsError(try TrainingCheckpoint.load(folder)) { error in
            XCTAssertTrue("\(error)".contains("lab finetune --resume"), "\(error)")
        }
        let wider = TransformerConfig(architecture: .gpt2, vocabularySize: 270, contextLength: 32, width: 64, layers: 2, heads: 4)
        XCTAssertThrowsError(try TrainingCheckpoint.loadAdapter(folder, base: TransformerModel.random(config: wider, seed: 1))) { error in
            XCTAssertTrue("\(error)".contains("shape"), "\(error)")
        }
    }

    func testAKilledSaveLeavesThePreviousCheckpointReadable() throws {
        let parent = try temporaryFolder()
        let folder = parent.appendingPathComponent("run")
        let run = Self.run(steps: 6)
        try run.runStep()
        try TrainingCheckpoint.save(run, tokenizer: Self.tokenizer, data: [:], to: folder)
        try Data("a model card".utf8).write(to: folder.appendingPathComponent("README.md"))
        // Killed while writing the new folder: a half-written `.run.partial` beside the old one.
        let partial = TrainingCheckpoint.sibling(of: folder, suffix: "partial")
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        try Data("{\"trunc".utf8).write(to: partial.appendingPathComponent("config.json"))
        XCTAssertEqual(try TrainingCheckpoint.load(folder).step, 1)
        // Killed between the two renames: only `.run.previous` exists.
        let previous = TrainingCheckpoint.sibling(of: folder, suffix: "previous")
        try FileManager.default.moveItem(at: folder, to: previous)
        XCTAssertEqual(TrainingCheckpoint.resolve(folder), previous)
        XCTAssertEqual(try TrainingCheckpoint.load(folder).step, 1)
        try FileManager.default.moveItem(at: previous, to: folder)
        // The next save succeeds, cleans up, and keeps the files it does not write itself.
        try run.runStep()
        try TrainingCheckpoint.save(run, tokenizer: Self.tokenizer, data: [:], to: folder)
        XCTAssertEqual(try TrainingCheckpoint.load(folder).step, 2)
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8), "a model card")
        XCTAssertFalse(FileManager.default.fileExists(atPath: partial.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: previous.path))
        // And the folder is a model the kit loads, tokenizer included.
        let loaded = try loadModel(folder: folder)
        XCTAssertEqual(loaded.model.config, Self.config)
        XCTAssertEqual(loaded.tokenizer?.encode("the cat"), Self.tokenizer.encode("the cat"))
    }

    func testALearningRateThatBlowsUpStopsAtANamedStepWithTheLastGoodWeights() throws {
        let (train, validation) = TokenWindows.split(Self.tokens, validationFraction: 0.1)
        var settings = Self.settings(steps: 200)
        settings.learningRate = 50
        settings.warmupSteps = 0
        settings.maxGradientNorm = 1e9
        let run = TrainingRun(model: TransformerModel.random(config: Self.config, seed: 3), settings: settings,
                              train: train, validation: validation)
        var lastGood: [Float] = []
        do {
            while !run.isFinished {
                lastGood = Array(UnsafeBufferPointer(start: run.trainer.parameters.values, count: run.trainer.parameters.count))
                try run.runStep()
            }
            XCTFail("a learning rate of 50 should not train for 200 steps")
        } catch let stop as TrainingStop {
            XCTAssertTrue(stop.description.contains("step \(run.step + 1)"), stop.description)
            XCTAssertTrue(stop.description.contains("learning rate"), stop.description)
            XCTAssertEqual(Array(UnsafeBufferPointer(start: run.trainer.parameters.values, count: run.trainer.parameters.count)),
                           lastGood, "the failed step must not change the weights")
        }
    }

    func testConfigJSONRoundTripsForEveryFamily() throws {
        var mistral = TransformerConfig.llamaFamily(.mistral, vocabularySize: 61, contextLength: 16, width: 32, layers: 1,
                                                    heads: 2, kvHeads: 1, feedForwardWidth: 40)
        mistral.slidingWindow = 5
        var scaled = TrainingPathTests.configs[1].config
        scaled.ropeScaling = .init(type: "llama3", factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4,
                                   originalContextLength: 8192)
        scaled.eosTokenIDs = [2, 3]
        scaled.bosTokenID = 1
        for config in TrainingPathTests.configs.map(\.config) + [mistral, scaled] {
            XCTAssertEqual(try TransformerConfig(json: Array(config.configJSON().utf8)), config, config.configJSON())
        }
    }

    func testSettingsThatCannotRunNameTheSetting() {
        XCTAssertNil(TrainingSettings(steps: 10, batch: 2, context: 8).problem())
        let broken: [(String, (inout TrainingSettings) -> Void)] = [
            ("steps", { $0.steps = 0 }), ("learning rate", { $0.learningRate = .infinity }),
            ("minimum learning rate", { $0.minimumLearningRate = .nan }), ("weight decay", { $0.weightDecay = .infinity }),
            ("epsilon", { $0.epsilon = -1 }), ("clipping", { $0.maxGradientNorm = .infinity }),
            ("beta1", { $0.beta1 = 1 }), ("spike", { $0.spikeFactor = .infinity }),
        ]
        for (fragment, edit) in broken {
            var settings = TrainingSettings(steps: 10, batch: 2, context: 8)
            edit(&settings)
            XCTAssertTrue(settings.problem()?.contains(fragment) == true, "\(fragment): \(settings.problem() ?? "accepted")")
        }
    }
}
