// QuantizationComparison: every token after the first is predicted once whatever the window, a
// model compared with itself agrees everywhere with equal losses, and its losses are the mean
// cross-entropies a single forward pass gives when the text fits one window.

import XCTest
import LabKernel

final class QuantizationComparisonTests: XCTestCase {
    func testCountsWindowsAndLosses() throws {
        let config = TransformerConfig(architecture: .gpt2, vocabularySize: 40, contextLength: 16, width: 32, layers: 2, heads: 2)
        let model = TransformerModel.initializedForTraining(config: config, seed: 81)
        let quantized = try model.quantized()
        var generator = SeededGenerator(seed: 82)
        let tokens = (0..<15).map { _ in generator.nextInt(below: 40) }

        let itself = QuantizationComparison(reference: model, quantized: model, tokens: tokens, window: 4)
        XCTAssertEqual(itself.positions, 14, "windows of 4 overlapping by one predict each of the 14 tokens once")
        XCTAssertEqual(itself.agreement, 1)
        XCTAssertEqual(itself.floatLoss, itself.quantizedLoss)

        let whole = QuantizationComparison(reference: model, quantized: quantized, tokens: tokens, window: 14)
        let expectedFloat = Double(crossEntropy(logits: model.forward(tokens: Array(tokens.dropLast())), targets: Array(tokens.dropFirst())))
        let expectedQuantized = Double(crossEntropy(logits: quantized.forward(tokens: Array(tokens.dropLast())), targets: Array(tokens.dropFirst())))
        XCTAssertEqual(whole.positions, 14)
        XCTAssertEqual(whole.floatLoss, expectedFloat, accuracy: 1e-6)
        XCTAssertEqual(whole.quantizedLoss, expectedQuantized, accuracy: 1e-6)
        XCTAssertGreaterThan(whole.agreement, 0.5, "int8 weights keep most of a random model's top choices")
    }
}
