// Tests of Hugging Face config.json parsing (Formats/ModelConfig.swift): the configs transformers 5
// wrote for the fixture models (rope_theta inside rope_parameters), real Hub configs written from
// the published files of gpt2, SmolLM2-135M, Qwen2-0.5B, TinyLlama, Llama 3.2 (rope_scaling
// "llama3") and Mistral 7B (transformers 4 style, rope_theta at the top level), and broken files
// whose errors must name the file and the field.

import Foundation
import XCTest
@testable import LabKernel
import LabTestSupport

final class FormatsModelConfigTests: XCTestCase {
    private func parse(_ text: String, source: String = "config.json") throws -> TransformerConfig {
        try TransformerConfig(json: Array(text.utf8), source: source)
    }

    private func assertError(_ text: String, mentions fragments: [String], file: StaticString = #filePath, line: UInt = #line) {
        do {
            let config = try parse(text, source: "broken/config.json")
            XCTFail("expected an error, parsed \(config)", file: file, line: line)
        } catch let error as ModelConfigError {
            for fragment in fragments + ["broken/config.json"] where !error.description.contains(fragment) {
                XCTFail("error \"\(error.description)\" does not mention \"\(fragment)\"", file: file, line: line)
            }
        } catch {
            XCTFail("expected a ModelConfigError, got \(error)", file: file, line: line)
        }
    }

    // MARK: - The fixture configs (saved by transformers 5)

    func testFixtureConfigs() throws {
        let folder = RepositoryPaths.fixtures.appendingPathComponent("models")
        let gpt2 = try TransformerConfig(contentsOf: folder.appendingPathComponent("gpt2/config.json"))
        XCTAssertEqual(gpt2, TransformerConfig(architecture: .gpt2, vocabularySize: 300, contextLength: 32, width: 32,
                                               layers: 2, heads: 4, kvHeads: 4, headSize: 8, feedForwardWidth: 128,
                                               normEpsilon: 1e-5, tiedEmbeddings: true, attentionBias: true, mlpBias: true,
                                               activation: .geluTanh, bosTokenID: 299, eosTokenIDs: [299]))
        let llama = try TransformerConfig(contentsOf: folder.appendingPathComponent("llama/config.json"))
        XCTAssertEqual(llama.architecture, .llama)
        XCTAssertEqual(llama.ropeTheta, 500000, "rope_theta inside rope_parameters")
        XCTAssertNil(llama.ropeScaling, "rope_type default is plain RoPE")
        XCTAssertEqual([llama.width, llama.heads, llama.kvHeads, llama.headSize, llama.feedForwardWidth], [32, 4, 2, 8, 64])
        XCTAssertEqual(llama.normEpsilon, 1e-5)
        XCTAssertFalse(llama.tiedEmbeddings)
        XCTAssertFalse(llama.attentionBias)
        XCTAssertEqual(llama.activation, .silu)
        let qwen = try TransformerConfig(contentsOf: folder.appendingPathComponent("qwen2/config.json"))
        XCTAssertEqual(qwen.architecture, .qwen2)
        XCTAssertTrue(qwen.attentionBias, "Qwen2 always has q/k/v biases")
        XCTAssertFalse(qwen.mlpBias)
        XCTAssertTrue(qwen.tiedEmbeddings)
        XCTAssertEqual(qwen.normEpsilon, 1e-6)
        XCTAssertEqual(qwen.eosTokenIDs, [95])
    }

    // MARK: - Real Hub configs (transformers 4 layout)

    func testGPT2() throws {
        let config = try parse("""
        {"activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "attn_pdrop": 0.1,
         "bos_token_id": 50256, "embd_pdrop": 0.1, "eos_token_id": 50256, "initializer_range": 0.02,
         "layer_norm_epsilon": 1e-05, "model_type": "gpt2", "n_ctx": 1024, "n_embd": 768, "n_head": 12,
         "n_layer": 12, "n_positions": 1024, "resid_pdrop": 0.1, "summary_activation": null,
         "summary_first_dropout": 0.1, "summary_proj_to_labels": true, "summary_type": "cls_index",
         "summary_use_proj": true, "task_specific_params": {"text-generation": {"do_sample": true, "max_length": 50}},
         "vocab_size": 50257}
        """)
        XCTAssertEqual(config.architecture, .gpt2)
        XCTAssertEqual([config.vocabularySize, config.contextLength, config.width, config.layers, config.heads],
                       [50257, 1024, 768, 12, 12])
        XCTAssertEqual([config.kvHeads, config.headSize, config.feedForwardWidth], [12, 64, 3072], "no n_inner: F = 4C")
        XCTAssertTrue(config.tiedEmbeddings, "GPT-2 ties by default")
        XCTAssertEqual(config.activation, .geluTanh)
        XCTAssertEqual(config.eosTokenIDs, [50256])
    }

    func testSmolLM2() throws {
        let config = try parse("""
        {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
         "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu", "hidden_size": 576,
         "initializer_range": 0.041666666666666664, "intermediate_size": 1536, "is_llama_config": true,
         "max_position_embeddings": 8192, "model_type": "llama", "num_attention_heads": 9,
         "num_hidden_layers": 30, "num_key_value_heads": 3, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
         "rope_interleaved": false, "rope_scaling": null, "rope_theta": 100000, "tie_word_embeddings": true,
         "torch_dtype": "bfloat16", "transformers_version": "4.42.3", "use_cache": true, "vocab_size": 49152}
        """)
        XCTAssertEqual(config.architecture, .llama)
        XCTAssertEqual([config.width, config.layers, config.heads, config.kvHeads, config.headSize, config.feedForwardWidth],
                       [576, 30, 9, 3, 64, 1536])
        XCTAssertEqual(config.ropeTheta, 100000)
        XCTAssertNil(config.ropeScaling)
        XCTAssertTrue(config.tiedEmbeddings)
        XCTAssertEqual(config.normEpsilon, 1e-5)
        XCTAssertEqual(config.bosTokenID, 1)
    }

    func testQwen2() throws {
        let config = try parse("""
        {"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
         "eos_token_id": 151643, "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02,
         "intermediate_size": 4864, "max_position_embeddings": 131072, "max_window_layers": 24,
         "model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2,
         "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 131072, "tie_word_embeddings": true,
         "torch_dtype": "bfloat16", "transformers_version": "4.40.1", "use_cache": true,
         "use_sliding_window": false, "vocab_size": 151936}
        """)
        XCTAssertEqual([config.width, config.heads, config.kvHeads, config.headSize, config.feedForwardWidth],
                       [896, 14, 2, 64, 4864])
        XCTAssertEqual(config.ropeTheta, 1_000_000)
        XCTAssertTrue(config.attentionBias)
        XCTAssertNil(config.slidingWindow, "only Mistral's window is recorded")
    }

    func testTinyLlamaUntied() throws {
        let config = try parse("""
        {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "bos_token_id": 1, "eos_token_id": 2,
         "hidden_act": "silu", "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 5632,
         "max_position_embeddings": 2048, "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 22,
         "num_key_value_heads": 4, "pretraining_tp": 1, "rms_norm_eps": 1e-05, "rope_scaling": null,
         "rope_theta": 10000.0, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
         "transformers_version": "4.35.0", "use_cache": true, "vocab_size": 32000}
        """)
        XCTAssertFalse(config.tiedEmbeddings)
        XCTAssertEqual([config.kvHeads, config.headSize, config.contextLength], [4, 64, 2048])
    }

    func testLlama3WithRopeScalingAndSeveralEndTokens() throws {
        let config = try parse("""
        {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
         "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009], "head_dim": 64, "hidden_act": "silu",
         "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 8192, "max_position_embeddings": 131072,
         "mlp_bias": false, "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 16,
         "num_key_value_heads": 8, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
         "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                          "original_max_position_embeddings": 8192, "rope_type": "llama3"},
         "rope_theta": 500000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16",
         "transformers_version": "4.45.0.dev0", "use_cache": true, "vocab_size": 128256}
        """)
        XCTAssertEqual(config.ropeTheta, 500000)
        XCTAssertEqual(config.ropeScaling, .init(type: "llama3", factor: 32, lowFrequencyFactor: 1, highFrequencyFactor: 4,
                                                 originalContextLength: 8192))
        XCTAssertEqual(config.eosTokenIDs, [128001, 128008, 128009])
        XCTAssertEqual(config.headSize, 64)
    }

    func testMistralAndExplicitHeadSize() throws {
        let config = try parse("""
        {"architectures": ["MistralForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
         "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 14336, "max_position_embeddings": 32768,
         "model_type": "mistral", "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
         "rms_norm_eps": 1e-05, "rope_theta": 10000.0, "sliding_window": 4096, "tie_word_embeddings": false,
         "torch_dtype": "bfloat16", "transformers_version": "4.34.0.dev0", "use_cache": true, "vocab_size": 32000}
        """)
        XCTAssertEqual(config.architecture, .mistral)
        XCTAssertEqual(config.slidingWindow, 4096)
        // head_dim that is not C / H (as in Gemma-style and some Qwen3 configs) is taken as given.
        let wide = try parse(#"{"model_type": "llama", "hidden_size": 64, "num_attention_heads": 4, "head_dim": 32, "#
            + #""num_hidden_layers": 1, "intermediate_size": 128, "vocab_size": 10}"#)
        XCTAssertEqual(wide.headSize, 32)
    }

    func testRopeThetaInsideRopeScalingOnly() throws {
        let config = try parse(#"{"model_type": "qwen2", "hidden_size": 32, "num_attention_heads": 4, "num_hidden_layers": 1, "#
            + #""intermediate_size": 64, "vocab_size": 10, "rope_scaling": {"rope_type": "default", "rope_theta": 250000}}"#)
        XCTAssertEqual(config.ropeTheta, 250000)
        let plain = try parse(#"{"model_type": "llama", "hidden_size": 32, "num_attention_heads": 4, "num_hidden_layers": 1, "#
            + #""intermediate_size": 64, "vocab_size": 10}"#)
        XCTAssertEqual(plain.ropeTheta, 10000, "the default")
        XCTAssertEqual(plain.normEpsilon, 1e-6)
    }

    // MARK: - Broken files

    func testBrokenConfigsNameTheField() {
        let base = #""hidden_size": 32, "num_attention_heads": 4, "num_hidden_layers": 1, "intermediate_size": 64, "vocab_size": 10"#
        assertError(#"{"model_type": "bert", \#(base)}"#, mentions: ["model_type", "\"bert\"", "\"gpt2\"", "\"llama\"", "\"qwen2\""])
        assertError(#"{\#(base)}"#, mentions: ["model_type", "missing"])
        assertError(#"{"model_type": "llama", "num_attention_heads": 4, "num_hidden_layers": 1, "vocab_size": 10}"#,
                    mentions: ["hidden_size", "positive integer", "missing"])
        assertError(#"{"model_type": "gpt2", "n_embd": "768", "n_head": 12, "n_layer": 1, "vocab_size": 10}"#,
                    mentions: ["n_embd", "positive integer", "string"])
        assertError(#"{"model_type": "llama", "hidden_size": 30, "num_attention_heads": 4, "num_hidden_layers": 1, "intermediate_size": 64, "vocab_size": 10}"#,
                    mentions: ["30", "divisible", "head_dim"])
        assertError(#"{"model_type": "llama", \#(base), "num_key_value_heads": 3}"#, mentions: ["num_key_value_heads", "3"])
        assertError(#"{"model_type": "llama", \#(base), "hidden_act": "relu2"}"#, mentions: ["hidden_act", "relu2"])
        assertError(#"{"model_type": "llama", \#(base), "rope_scaling": {"rope_type": "llama3"}}"#, mentions: ["rope_scaling.factor"])
        assertError(#"{"model_type": "llama", \#(base), "rope_theta": "big"}"#, mentions: ["rope_theta", "positive finite number"])
        assertError(#"{"model_type": "llama", \#(base), "tie_word_embeddings": 1}"#, mentions: ["tie_word_embeddings", "true or false"])
        assertError(#"{"model_type": "llama", \#(base), "eos_token_id": "</s>"}"#, mentions: ["eos_token_id"])
        assertError(#"{"model_type": "llama", \#(base),}"#, mentions: ["not valid JSON", "line 1"])
        assertError(#"["model_type"]"#, mentions: ["JSON object"])
        assertError(#"{"model_type": "qwen2", \#(base), "use_sliding_window": true, "sliding_window": 16}"#,
                    mentions: ["use_sliding_window", "not supported"])
    }

    func testMissingFileNamesThePath() {
        let url = URL(fileURLWithPath: "/nonexistent/folder/config.json")
        XCTAssertThrowsError(try TransformerConfig(contentsOf: url)) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/folder/config.json"), "\(error)")
        }
    }

    // MARK: - A whole model folder

    func testModelFolderLoadsWithOneCall() throws {
        let models = RepositoryPaths.fixtures.appendingPathComponent("models")
        let gpt2 = try ModelFolder(contentsOf: models.appendingPathComponent("gpt2"))
        XCTAssertEqual(gpt2.config.architecture, .gpt2)
        XCTAssertEqual(gpt2.weights.names.count, 28)
        XCTAssertEqual(try gpt2.weights.info("transformer.wte.weight").shape, [gpt2.config.vocabularySize, gpt2.config.width])
        let tokenizer = try XCTUnwrap(gpt2.tokenizer)
        XCTAssertEqual(tokenizer.vocabularySize, 300)
        // The tokenizer encodes as Hugging Face `tokenizers` does with the same file.
        let reference = try Fixture.load("models/gpt2/tokenizer_reference.json")
        for c in try reference.cases("cases") {
            XCTAssertEqual(tokenizer.encode(try c.string("text")), try c.ints("ids"), c.location)
        }
        // Sharded weights and no tokenizer.
        let sharded = try ModelFolder(contentsOf: models.appendingPathComponent("gpt2-sharded"))
        XCTAssertEqual(sharded.weights.files.count, 4)
        XCTAssertNil(sharded.tokenizer)
        let qwen = try ModelFolder(contentsOf: models.appendingPathComponent("qwen2-bf16"))
        XCTAssertEqual(try qwen.weights.info("model.norm.weight").dtype, .bf16)
        XCTAssertThrowsError(try ModelFolder(contentsOf: models)) { error in
            XCTAssertTrue("\(error)".contains("no config.json"), "\(error)")
        }
    }
}
