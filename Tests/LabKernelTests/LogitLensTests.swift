// The logit lens (Model/TransformerModel+LogitLens.swift): one reading per residual state, the last
// block's reading equal to the model's logits to the bit (GPT-2 and Llama fixtures, float and
// Q8_0), an intermediate reading equal to the final norm and head applied by hand, and the kit's
// trained model converging on its prediction as the layers go on.

import XCTest
@testable import LabKernel
import LabTestSupport

final class LogitLensTests: XCTestCase {
    private func fixture(_ name: String) throws -> TransformerModel {
        try loadModel(folder: RepositoryPaths.fixtures.appendingPathComponent("models/\(name)")).model
    }

    func testTheLastBlocksReadingIsTheModelsLogits() throws {
        for name in ["gpt2", "llama", "qwen2"] {
            let model = try fixture(name)
            for candidate in [model, try model.quantized()] {
                let ids = [1, 5, 9, 2, 7]
                let lens = candidate.logitLens(tokens: ids)
                XCTAssertEqual(lens.map(\.layer), ["embedding"] + (0..<model.config.layers).map { "block \($0)" }, name)
                XCTAssertTrue(lens.allSatisfy { $0.logits.shape == [ids.count, model.config.vocabularySize] })
                XCTAssertEqual(lens.last!.logits, candidate.forward(tokens: ids),
                               "\(name)\(candidate.isQuantized ? " (q8)" : ""): the same norm and head on the same state")
            }
        }
    }

    func testAnEarlyReadingIsTheFinalNormAndHeadByHand() throws {
        let model = try fixture("gpt2")
        let ids = [3, 1, 4, 1, 5]
        let state = model.hiddenStates(tokens: ids).first { $0.name == "block 0" }!.output  // (T, C)
        let normalized = layerNorm(state, weight: model.parameters["transformer.ln_f.weight"]!,
                                   bias: model.parameters["transformer.ln_f.bias"]!, epsilon: model.config.normEpsilon)
        let byHand = matmul(normalized, transposed: model.parameters[model.headName]!)  // (T, V)
        let reading = model.logitLens(tokens: ids)[1]
        XCTAssertEqual(reading.layer, "block 0")
        // Float rounding of the blocked vs the plain product.
        assertClose(reading.logits, byHand, tolerance: 1e-4, "block 0 through ln_f and the tied head")
        let top = reading.top(3, at: 2)
        XCTAssertEqual(top.count, 3)
        XCTAssertTrue(top[0].probability >= top[1].probability && top[1].probability >= top[2].probability)
        let row = softmax(byHand.row(2)).scalars
        XCTAssertEqual(top[0].id, row.indices.max { row[$0] < row[$1] })
    }

    func testTheKitModelsLayersConvergeOnItsPrediction() throws {
        guard let kit = KitModel.load(), let tokenizer = kit.tokenizer else { throw XCTSkip("models/\(KitModel.name) is absent") }
        let ids = tokenizer.encode("Once upon a time, there was a little girl named Lily. She loved to play with her")
        let lens = kit.model.logitLens(tokens: ids)
        let last = ids.count - 1, answer = lens.last!.top(1, at: last)[0].id
        // The probability the lens gives the model's final answer, layer by layer.
        let confidence = lens.map { reading in softmax(reading.logits.row(last)).scalars[answer] }
        XCTAssertGreaterThan(confidence.last!, confidence.first!, "the last layer is surer of its answer than the embedding: \(confidence)")
        XCTAssertGreaterThan(confidence.last!, 0.1, "the trained model has a clear next token here: \(confidence)")
    }
}
