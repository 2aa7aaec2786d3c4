// The fast training path against PyTorch: on the tiny GPT-2 (tied head) and Llama (grouped-query
// attention, untied head) checkpoints, a batch's loss and every parameter's gradient, then three
// optimizer steps (warmup + cosine schedule, clipping at norm 1, AdamW with decay on matrices only)
// with each step's learning rate, loss and gradient norm and every parameter after the last.
// Fixtures: Tests/Fixtures/training/{gpt2,llama}.{json,safetensors}, made by
// scripts/fixtures/make_training_fixtures.py from transformers' own models.

import XCTest
@testable import LabKernel
import LabTestSupport

final class TrainingPyTorchFixtureTests: XCTestCase {
    static let models = ["gpt2", "llama"]

    /// Tolerance, relative per tensor (max |kit − torch| / max |torch|): 1e-5. Both sides compute in
    /// float32 and differ only in the order of their sums (gemm blocks against MKL's, the attention's
    /// products per head against SDPA's), which leaves about 1e-7 to 1e-6 relative on a gradient;
    /// three Adam steps carry that into the weights (each update is about lr·m/√v, so a relative
    /// error in g becomes the same relative error in a step of size lr ≈ 1e-3 on weights of size
    /// 0.2), far below 1e-5. A wrong rule (a missing bias, the decay on a norm gain, one step of the
    /// schedule off) moves some tensor by 1e-3 or more.
    static let tolerance: Float = 1e-5

    func load(_ name: String) throws -> (TransformerModel, Fixture, SafetensorsFile) {
        let folder = RepositoryPaths.fixtures.appendingPathComponent("models/\(name)", isDirectory: true)
        let model = try loadModel(folder: folder).model
        let fixture = try Fixture.load("training/\(name).json")
        let tensors = try SafetensorsFile(contentsOf: RepositoryPaths.fixtures.appendingPathComponent("training/\(name).safetensors"))
        return (model, fixture, tensors)
    }

    func testLossAndEveryGradientMatchPyTorch() throws {
        for name in Self.models {
            let (model, fixture, tensors) = try load(name)
            let batch = try fixture.cases("batches")[0]
            let trainer = TrainableTransformer(model)
            let loss = trainer.loss(inputs: try batch.ints("inputs"), targets: try batch.ints("targets"),
                                    batch: try fixture.int("batch"), context: try fixture.int("context"))
            XCTAssertEqual(loss, try fixture.float("loss"), accuracy: 1e-5 * loss, "\(name): loss")
            let names = try fixture.strings("parameters")
            XCTAssertEqual(Set(names), Set(trainer.parameters.slots.map(\.name)), "\(name): the same parameters")
            for parameter in names {
                let expected = try tensors.tensor("grad.\(parameter)")
                let difference = TrainingPathTests.relativeDifference(trainer.parameters.gradient(parameter), expected)
                XCTAssertLessThan(difference, Self.tolerance, "\(name): gradient of \(parameter)")
            }
        }
    }

    func testThreeAdamWStepsWithScheduleAndClippingMatchPyTorch() throws {
        for name in Self.models {
            let (model, fixture, tensors) = try load(name)
            let settings = try fixture.object("optimizer")
            let schedule = WarmupCosineSchedule(peak: try settings.float("peak"), warmupSteps: try settings.int("warmup_steps"),
                                                totalSteps: try settings.int("total_steps"), floor: try settings.float("floor"))
            let trainer = TrainableTransformer(model)
            var optimizer = BufferAdamW(for: trainer.parameters, beta1: try settings.float("beta1"),
                                        beta2: try settings.float("beta2"), epsilon: try settings.float("eps"),
                                        weightDecay: try settings.float("weight_decay"))
            let (batchSize, context) = (try fixture.int("batch"), try fixture.int("context"))
            for (step, (batch, expected)) in zip(try fixture.cases("batches"), try fixture.cases("steps")).enumerated() {
                let rate = schedule.learningRate(atStep: step)
                XCTAssertEqual(rate, try expected.float("learning_rate"), accuracy: 1e-9, "\(name): rate at step \(step)")
                trainer.zeroGradients()
                let loss = trainer.loss(inputs: try batch.ints("inputs"), targets: try batch.ints("targets"),
                                        batch: batchSize, context: context)
                let norm = trainer.parameters.clipGradients(maxNorm: try settings.float("max_norm"))
                optimizer.update(trainer.parameters, learningRate: rate)
                XCTAssertEqual(loss, try expected.float("loss"), accuracy: 1e-5 * loss, "\(name): loss at step \(step)")
                XCTAssertEqual(norm, try expected.float("gradient_norm"), accuracy: 1e-5 * norm, "\(name): norm at step \(step)")
            }
            let width = model.config.width
            for parameter in try fixture.strings("parameters") {
                var (actual, expected) = (trainer.parameters.value(parameter), try tensors.tensor("after_3_steps.\(parameter)"))
                if parameter.hasSuffix("attn.c_attn.bias") {
                    // The key bias's gradient is 0 in exact arithmetic: adding b to every key adds
                    // q·b to all scores of a row, which the softmax ignores. Both sides compute
                    // rounding noise (~1e-9) there, and Adam, which divides by √v, turns noise of
                    // either sign into steps of up to ~lr. So the key part may differ by the sum
                    // of the rates (times 2: opposite signs) and no more; q and v are held to 1e-5.
                    let bound = 2 * (0..<3).map { schedule.learningRate(atStep: $0) }.reduce(0, +)
                    let keys = (width)..<(2 * width)
                    for i in keys {
                        XCTAssertLessThanOrEqual(abs(actual.scalars[i] - expected.scalars[i]), bound, "\(name): \(parameter)[\(i)]")
                    }
                    let others = Array(0..<width) + Array((2 * width)..<(3 * width))
                    actual = Tensor(shape: [others.count], scalars: others.map { actual.scalars[$0] })
                    expected = Tensor(shape: [others.count], scalars: others.map { expected.scalars[$0] })
                }
                let difference = TrainingPathTests.relativeDifference(actual, expected)
                XCTAssertLessThan(difference, Self.tolerance, "\(name): \(parameter) after 3 steps")
            }
        }
    }
}
