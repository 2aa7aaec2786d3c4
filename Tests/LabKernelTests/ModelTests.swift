// The transformer model on random weights: KV-cache decoding equals the full pass, the
// differentiable pass equals the inference pass, gradients match finite differences, and
// loading reports missing tensors and wrong shapes. (Agreement with Hugging Face logits is
// ModelFixtureTests' job.)

import LabKernel
import LabTestSupport
import XCTest

final class ModelTests: XCTestCase {
    /// Tiny configurations of each family: llama with grouped-query attention, qwen2 with one KV
    /// head, q/k/v biases and a tied head, mistral (Llama's design; its sliding window is not applied).
    static let configs: [TransformerConfig] = [
        TransformerConfig(architecture: .gpt2, vocabularySize: 50, contextLength: 16, width: 16, layers: 2, heads: 4),
        .llamaFamily(.llama, vocabularySize: 50, contextLength: 16, width: 16, layers: 2, heads: 4, kvHeads: 2,
                     feedForwardWidth: 24),
        .llamaFamily(.qwen2, vocabularySize: 50, contextLength: 16, width: 16, layers: 2, heads: 4, kvHeads: 1,
                     feedForwardWidth: 24, ropeTheta: 1_000_000, tiedEmbeddings: true),
        .llamaFamily(.mistral, vocabularySize: 50, contextLength: 16, width: 16, layers: 1, heads: 2, kvHeads: 1,
                     feedForwardWidth: 24),
    ]
    let tokens = [3, 17, 42, 8, 8, 29, 1, 0]

    func testCachedDecodingEqualsFullSequence() {
        for config in Self.configs {
            let model = TransformerModel.random(config: config, standardDeviation: 0.3, seed: 7)
            let full = model.forward(tokens: tokens)  // (T, V)
            var cache = KVCache(config: config)
            var rows = model.forward(tokens: Array(tokens[0..<3]), cache: &cache).scalars  // a prompt of 3
            for token in tokens[3...] { rows += model.forward(tokens: [token], cache: &cache).scalars }
            XCTAssertEqual(cache.count, tokens.count)
            // Same arithmetic, different grouping of matmul rows: Float rounding only.
            assertClose(Tensor(shape: full.shape, scalars: rows), full, tolerance: 1e-4, "\(config.architecture)")
        }
    }

    func testCacheGrowsWhileDecodingLongSequences() {
        // 40 single-token steps grow the cache's buffers (16 -> 32 -> 64 rows) without changing results.
        var config = Self.configs[1]
        config.contextLength = 64
        let model = TransformerModel.random(config: config, standardDeviation: 0.3, seed: 16)
        let long = (0..<40).map { ($0 * 7) % config.vocabularySize }
        var cache = KVCache(config: config)
        var rows: [Float] = []
        for token in long { rows += model.forward(tokens: [token], cache: &cache).scalars }
        let full = model.forward(tokens: long)
        assertClose(Tensor(shape: full.shape, scalars: rows), full, tolerance: 1e-4)  // Float rounding only
        XCTAssertEqual(cache.keys(layer: 1).shape, [40, config.kvHeads * config.headSize])
        cache.reset()
        XCTAssertEqual(cache.count, 0)
        assertClose(model.forward(tokens: Array(long[0..<5]), cache: &cache), model.forward(tokens: Array(long[0..<5])),
                    tolerance: 1e-5)  // a reset cache starts again at position 0
    }

    func testLastPositionOnlyIsTheLastRow() {
        for config in Self.configs {
            let model = TransformerModel.random(config: config, standardDeviation: 0.3, seed: 17)
            var cache = KVCache(config: config)
            let last = model.forward(tokens: tokens, cache: &cache, lastPositionOnly: true)
            let full = model.forward(tokens: tokens)
            XCTAssertEqual(last.shape, [1, config.vocabularySize])
            assertClose(last, full.row(tokens.count - 1).reshaped([1, -1]), tolerance: 1e-5, "\(config.architecture)")  // gemv vs gemm rounding
            XCTAssertEqual(cache.count, tokens.count)
        }
    }

    func testLaterTokensDoNotChangeEarlierLogits() {
        for config in Self.configs {
            let model = TransformerModel.random(config: config, standardDeviation: 0.3, seed: 8)
            let prefix = model.forward(tokens: Array(tokens[0..<4]))
            let full = model.forward(tokens: tokens)
            assertClose(Tensor(shape: prefix.shape, scalars: Array(full.scalars[0..<prefix.count])), prefix,
                        tolerance: 1e-4, "\(config.architecture)")  // causal: only rounding differs
        }
    }

    func testDifferentiablePassEqualsInferencePass() {
        for config in Self.configs {
            let model = TransformerModel.random(config: config, standardDeviation: 0.3, seed: 9)
            let logits = model.forward(tokens: tokens, parameters: model.parameterVariables())
            assertClose(logits.value, model.forward(tokens: tokens), tolerance: 1e-4, "\(config.architecture)")
        }
    }

    func testWholeModelGradientMatchesFiniteDifferences() {
        for config in Self.configs {
            let model = TransformerModel.random(config: config, standardDeviation: 0.3, seed: 10)
            let parameters = model.parameterVariables()
            // One tensor of each kind per architecture keeps the check fast (2 passes per element).
            let checked = parameters.keys.sorted().filter {
                $0.contains(".0.") && ($0.hasSuffix("c_attn.weight") || $0.hasSuffix("q_proj.weight")
                    || $0.hasSuffix("k_proj.bias") || $0.hasSuffix("ln_1.weight") || $0.hasSuffix("down_proj.weight"))
            }.map { parameters[$0]! }
            XCTAssertGreaterThanOrEqual(checked.count, 2)
            let result = gradientCheck(checked) {
                crossEntropy(logits: model.forward(tokens: Array(tokens[0..<5]), parameters: parameters),
                             targets: Array(tokens[1..<6]))
            }
            XCTAssertTrue(result.passes(tolerance: 2e-2), "\(config.architecture): \(result)")  // Float loss through 2 layers, ε = 1e-3
        }
    }

    func testLoadingAcceptsNamesWithoutPrefixAndReportsErrors() throws {
        let config = Self.configs[1]
        let model = TransformerModel.random(config: config, seed: 11)
        var unprefixed: [String: Tensor] = [:]
        for (name, value) in model.parameters {
            unprefixed[name.hasPrefix("model.") ? String(name.dropFirst(6)) : name] = value
        }
        let reloaded = try TransformerModel(config: config, tensors: unprefixed)
        XCTAssertEqual(reloaded.forward(tokens: tokens).scalars, model.forward(tokens: tokens).scalars)

        var missing = model.parameters
        missing["model.layers.1.mlp.gate_proj.weight"] = nil
        XCTAssertThrowsError(try TransformerModel(config: config, tensors: missing)) { error in
            XCTAssertEqual(error as? ModelLoadingError, .missingTensor(name: "model.layers.1.mlp.gate_proj.weight"))
        }
        var wrong = model.parameters
        wrong["model.layers.0.self_attn.k_proj.weight"] = Tensor.zeros([16, 16])
        XCTAssertThrowsError(try TransformerModel(config: config, tensors: wrong)) { error in
            XCTAssertEqual(error as? ModelLoadingError,
                           .shapeMismatch(name: "model.layers.0.self_attn.k_proj.weight", expected: [8, 16], found: [16, 16]))
            XCTAssertTrue("\(error)".contains("[8, 16]"))
        }
    }

    func testBiasesFollowTheFamily() {
        let qwen2 = TransformerModel.random(config: Self.configs[2], seed: 13).parameters
        XCTAssertNotNil(qwen2["model.layers.0.self_attn.v_proj.bias"])
        XCTAssertNil(qwen2["model.layers.0.self_attn.o_proj.bias"])  // Qwen2's o_proj has no bias
        var llama = Self.configs[1]
        llama.attentionBias = true
        llama.mlpBias = true
        let names = Set(TransformerModel.random(config: llama, seed: 14).parameters.keys)
        XCTAssertTrue(names.isSuperset(of: ["model.layers.1.self_attn.o_proj.bias", "model.layers.1.self_attn.k_proj.bias",
                                            "model.layers.1.mlp.gate_proj.bias", "model.layers.1.mlp.down_proj.bias"]))
        XCTAssertNil(TransformerModel.random(config: Self.configs[3], seed: 15).parameters["model.layers.0.self_attn.q_proj.bias"])
    }

    func testGPT2TiedHeadUsesEmbedding() {
        let model = TransformerModel.random(config: Self.configs[0], seed: 12)
        XCTAssertEqual(model.headName, "transformer.wte.weight")
        XCTAssertNil(model.parameters["lm_head.weight"])
        XCTAssertEqual(model.greedyContinuation(of: [1, 2, 3], count: 5).count, 5)
    }

    func testGreedyContinuationStopsBeforeAStopIDAndAtTheContext() {
        let model = TransformerModel.random(config: Self.configs[0], seed: 12)
        let full = model.greedyContinuation(of: [1, 2, 3], count: 6)
        let stopped = model.greedyContinuation(of: [1, 2, 3], count: 6, stoppingAt: [full[2]])
        XCTAssertEqual(stopped, Array(full.prefix(full.firstIndex(of: full[2])!)), "stops before the first stop id")
        let context = model.config.contextLength
        let prompt = [Int](repeating: 1, count: context - 2)
        XCTAssertEqual(model.greedyContinuation(of: prompt, count: 10).count, 2, "never past the context")
        XCTAssertEqual(model.greedyContinuation(of: [Int](repeating: 1, count: context), count: 3), [])
    }
}
