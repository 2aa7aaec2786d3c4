// RoPE: the rotate-half formula, norm preservation, relative positions, and its gradient.

import LabKernel
import LabTestSupport
import XCTest

final class RoPETests: XCTestCase {
    func testRotateHalfFormulaAtOnePosition() {
        // D = 4: pairs (0, 2) and (1, 3), frequencies θ^0 = 1 and θ^(-1/2) = 0.01 for θ = 1e4.
        let table = RotaryTable(headSize: 4, positions: 8, theta: 10_000)
        let x = Tensor(shape: [1, 4], scalars: [1, 2, 3, 4])
        let rotated = rotary(x, heads: 1, startPosition: 5, table: table)
        let (a0, a1) = (5.0, 5.0 * 0.01)
        let expected: [Float] = [Float(1 * cos(a0) - 3 * sin(a0)), Float(2 * cos(a1) - 4 * sin(a1)),
                                 Float(3 * cos(a0) + 1 * sin(a0)), Float(4 * cos(a1) + 2 * sin(a1))]
        // Float angles and trig: a few ulps.
        assertClose(rotated.scalars, expected, tolerance: 1e-5)
    }

    func testScoresDependOnlyOnRelativePosition() {
        var generator = SeededGenerator(seed: 3)
        let table = RotaryTable(headSize: 8, positions: 32, theta: 10_000)
        let q = Tensor.randomNormal([1, 8], using: &generator), k = Tensor.randomNormal([1, 8], using: &generator)
        func score(_ qPosition: Int, _ kPosition: Int) -> Float {
            let rq = rotary(q, heads: 1, startPosition: qPosition, table: table)
            let rk = rotary(k, heads: 1, startPosition: kPosition, table: table)
            return (rq * rk).sum()
        }
        // The same offset 3 at two places gives the same score; a different offset does not.
        XCTAssertEqual(score(7, 4), score(20, 17), accuracy: 1e-4)  // Float rounding of the rotations
        XCTAssertGreaterThan(abs(score(7, 4) - score(7, 6)), 1e-3)
        // Rotations preserve length.
        let rotated = rotary(q, heads: 1, startPosition: 11, table: table)
        XCTAssertEqual((rotated * rotated).sum(), (q * q).sum(), accuracy: 1e-4)
    }

    func testLlama3ScalingMatchesTransformers() {
        // Expected values printed by transformers 5.24's LlamaRotaryEmbedding for rope_type "llama3",
        // θ = 1e4, D = 16, factor 8, low/high frequency factors 1 and 4, original context 32:
        // pair 0 is kept, pair 1 is blended, pairs 2… are slowed by the factor.
        let scaling = TransformerConfig.RopeScaling(type: "llama3", factor: 8, lowFrequencyFactor: 1,
                                                    highFrequencyFactor: 4, originalContextLength: 32)
        let table = RotaryTable(headSize: 16, positions: 64, theta: 10_000, scaling: scaling)
        let frequencies: [Float] = [1.0, 0.0958399772644043, 0.012500000186264515, 0.0039528473280370235,
                                    0.0012499999720603228, 0.00039528473280370235, 0.0001250000059371814,
                                    3.9528473280370235e-05]
        assertClose(table.inverseFrequencies, frequencies, tolerance: 0, relativeTolerance: 1e-6)  // Float pow vs torch pow
        let cosines: [Float] = [0.7654141, -0.9193046, 0.8949398, 0.9893237, 0.9989306, 0.9998931, 0.9999893, 0.9999989]
        let sines: [Float] = [-0.6435381, -0.3935468, 0.4461869, 0.1457345, 0.0462335, 0.014625, 0.004625, 0.0014626]
        // Position 37: PyTorch rounds the angle to float32 before cos/sin, as we do; printed to 7 decimals.
        assertClose(Array(table.cosines[(37 * 8)..<(38 * 8)]), cosines, tolerance: 2e-6)
        assertClose(Array(table.sines[(37 * 8)..<(38 * 8)]), sines, tolerance: 2e-6)
    }

    func testGradientMatchesFiniteDifferences() {
        var generator = SeededGenerator(seed: 4)
        let table = RotaryTable(headSize: 4, positions: 16, theta: 100)
        let x = Variable(Tensor.randomNormal([3, 8], using: &generator), name: "x")
        let weights = Tensor.randomNormal([3, 8], using: &generator)
        let result = gradientCheck([x]) { (rotary(x, heads: 2, startPosition: 2, table: table) * Variable(weights, requiresGrad: false)).sum() }
        XCTAssertTrue(result.passes(tolerance: 1e-2), "\(result)")  // Float central differences, ε = 1e-3
    }
}
