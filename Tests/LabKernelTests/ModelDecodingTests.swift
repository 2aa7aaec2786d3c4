// The one-token decoding step (TransformerModel+Decoding.swift) against the general forward
// pass: the same functions in the same order (q/k/v and gate/up in one stacked pass, which must
// compute every row as separate products do), so the logits and the cached keys and values must
// be equal bit for bit, for every family, on the transformers fixtures and on random models.

import Foundation
@testable import LabKernel
import LabTestSupport
import XCTest

final class ModelDecodingTests: XCTestCase {
    /// Decodes `tokens` one at a time after a prompt of `promptLength`, through the decoding step
    /// (the public forward with T = 1) and through the general path (forced by an observer), and
    /// asserts equal logits at every step and equal caches at the end.
    func assertDecodingStepEqualsGeneralPath(_ model: TransformerModel, tokens: [Int], promptLength: Int,
                                              _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        var fast = KVCache(config: model.config), general = KVCache(config: model.config)
        let prompt = Array(tokens[0..<promptLength])
        _ = model.forward(tokens: prompt, cache: &fast)
        _ = model.forward(tokens: prompt, cache: &general)
        for (step, token) in tokens[promptLength...].enumerated() {
            let decoded = model.forward(tokens: [token], cache: &fast)
            let reference = model.forward(tokens: [token], cache: &general, lastPositionOnly: false, observe: { _, _ in })
            XCTAssertEqual(decoded.shape, reference.shape, "\(label) step \(step)", file: file, line: line)
            guard decoded.scalars != reference.scalars else { continue }
            let difference = zip(decoded.scalars, reference.scalars).map { abs($0 - $1) }.max() ?? 0
            XCTFail("\(label): decoding step \(step) (token \(token)) differs from the general path by up to \(difference)",
                    file: file, line: line)
            return
        }
        XCTAssertEqual(fast.count, general.count, label, file: file, line: line)
        for layer in 0..<model.config.layers {
            XCTAssertEqual(fast.keys(layer: layer), general.keys(layer: layer), "\(label) keys of layer \(layer)", file: file, line: line)
            XCTAssertEqual(fast.values(layer: layer), general.values(layer: layer), "\(label) values of layer \(layer)", file: file, line: line)
        }
    }

    func testDecodingStepEqualsGeneralPathOnTransformersFixtures() throws {
        for folder in ModelFixtureTests.folders {
            let url = RepositoryPaths.fixtures.appendingPathComponent("models/\(folder)", isDirectory: true)
            let model = try loadModel(folder: url).model
            let reference = try Fixture.load("models/\(folder)/reference.json")
            let ids = try reference.cases("logit_cases").map { try $0.ints("ids") }.max { $0.count < $1.count }!
            // From the first token (the prompt of one goes through the general path's T = 1 too:
            // an observer-free prompt of one is itself a decoding step) and after a longer prompt.
            assertDecodingStepEqualsGeneralPath(model, tokens: ids, promptLength: 1, folder)
            assertDecodingStepEqualsGeneralPath(model, tokens: ids, promptLength: ids.count / 2, folder)
        }
    }

    func testDecodingStepEqualsGeneralPathOnRandomModels() {
        var configs = ModelTests.configs
        // Exact GELU, a sliding window shorter than the sequence, and biases on the Llama MLP.
        configs.append(TransformerConfig(architecture: .gpt2, vocabularySize: 50, contextLength: 16, width: 16, layers: 1,
                                         heads: 2, activation: .gelu))
        var windowed = TransformerConfig.llamaFamily(.mistral, vocabularySize: 50, contextLength: 16, width: 16, layers: 2,
                                                     heads: 4, kvHeads: 2, feedForwardWidth: 24)
        windowed.slidingWindow = 3
        configs.append(windowed)
        var biased = TransformerConfig.llamaFamily(.llama, vocabularySize: 50, contextLength: 16, width: 16, layers: 1,
                                                   heads: 2, kvHeads: 2, feedForwardWidth: 24)
        biased.attentionBias = true
        biased.mlpBias = true
        configs.append(biased)
        let tokens = [3, 17, 42, 8, 8, 29, 1, 0, 49, 5, 5, 12]
        for config in configs {
            let model = TransformerModel.random(config: config, standardDeviation: 0.3, seed: 11)
            assertDecodingStepEqualsGeneralPath(model, tokens: tokens, promptLength: 2, "\(config.architecture) \(config.activation)")
        }
    }

    func testDecodingReusesItsScratchMemory() {
        let model = TransformerModel.random(config: ModelTests.configs[1], seed: 3)
        var cache = KVCache(config: model.config)
        _ = model.forward(tokens: [1], cache: &cache)
        let scratch = cache.scratch
        XCTAssertFalse(scratch.isEmpty, "the decoding step keeps its working memory in the cache")
        _ = model.forward(tokens: [2], cache: &cache)
        XCTAssertEqual(cache.scratch.count, scratch.count, "the second step reuses the same amount of memory")
        var copy = cache  // a copied cache decodes on its own (value semantics)
        let a = model.forward(tokens: [4], cache: &copy), b = model.forward(tokens: [4], cache: &cache)
        XCTAssertEqual(a, b)
        XCTAssertEqual(copy.count, 3)
        XCTAssertEqual(cache.count, 3)
    }
}
