// Tests for exercise 06.2 (finetuning.lora-parameter-count): `loraParameterCount` in
// exercises/06-finetuning/LoRAParameterCount.swift.
//
// The counts of the kernel's LoRAAdapter (whose tensors are PEFT's, Tests/LabKernelTests/
// LoRAPEFTTests) on SmolLM2-135M's and Llama-2-7B's published shapes and on a tiny model with
// grouped-query attention, for several target lists and ranks; repeated and unknown names.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseLoRAParameterCount

final class LoRAParameterCountTests: XCTestCase {
    private func kernelCount(_ config: TransformerConfig, targets: [String], rank: Int) throws -> Int {
        try LoRAAdapter(config: config, settings: LoRASettings(rank: rank, alpha: 16, targets: targets), seed: 1).parameterCount
    }

    private func count(_ config: TransformerConfig, targets: [String], rank: Int) -> Int? {
        exercise({ loraParameterCount(width: config.width, kvWidth: config.kvHeads * config.headSize,
                                      feedForwardWidth: config.feedForwardWidth, layers: config.layers, targets: targets, rank: rank) })
    }

    func testTheDocCommentExample() {
        guard let n = exercise({ loraParameterCount(width: 576, kvWidth: 192, feedForwardWidth: 1536, layers: 30,
                                                    targets: ["q_proj", "v_proj"], rank: 8) }) else { return }
        XCTAssertEqual(n, 460_800, "SmolLM2-135M, q_proj and v_proj at rank 8: 30 × 8 × ((576 + 576) + (576 + 192))")
    }

    func testPublishedModelsMatchTheKernel() throws {
        for (name, config) in [("SmolLM2-135M", TransformerConfig.smolLM2_135M), ("Llama-2-7B", TransformerConfig.llama2_7B)] {
            let expected = try kernelCount(config, targets: ["q_proj", "v_proj"], rank: 8)
            guard let n = count(config, targets: ["q_proj", "v_proj"], rank: 8) else { return }
            XCTAssertEqual(n, expected, "\(name), q_proj and v_proj at rank 8")
        }
    }

    func testEveryProjectionAndRankOfATinyGQAModel() throws {
        // 4 heads of 8 with 2 KV heads: k_proj and v_proj map 32 → 16, unlike q_proj.
        let config = TransformerConfig.llamaFamily(vocabularySize: 64, contextLength: 16, width: 32, layers: 3, heads: 4, kvHeads: 2,
                                                   feedForwardWidth: 48)
        let lists: [[String]] = [["q_proj"], ["k_proj"], ["v_proj"], ["o_proj"], ["gate_proj"], ["up_proj"], ["down_proj"],
                                 ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"], ["down_proj", "k_proj"]]
        for targets in lists {
            for rank in [1, 2, 16] {
                let expected = try kernelCount(config, targets: targets, rank: rank)
                guard let n = count(config, targets: targets, rank: rank) else { return }
                XCTAssertEqual(n, expected, "targets \(targets) at rank \(rank) (width 32, kvWidth 16, F 48, 3 blocks)")
            }
        }
    }

    func testRepeatedNamesCountOnceAndUnknownNamesCountNothing() throws {
        let config = TransformerConfig.smolLM2_135M
        let expected = try kernelCount(config, targets: ["v_proj"], rank: 4)
        guard let repeated = count(config, targets: ["v_proj", "v_proj"], rank: 4),
              let unknown = count(config, targets: ["v_proj", "c_attn"], rank: 4) else { return }
        XCTAssertEqual(repeated, expected, "[v_proj, v_proj] adapts v_proj once")
        XCTAssertEqual(unknown, expected, "c_attn is GPT-2's name, not a Llama projection: it adds nothing")
    }
}
