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

    func testGradientMatchesFiniteDifferences() {
        var generator = SeededGenerator(seed: 4)
        let table = RotaryTable(headSize: 4, positions: 16, theta: 100)
        let x = Variable(Tensor.randomNormal([3, 8], using: &generator), name: "x")
        let weights = Tensor.randomNormal([3, 8], using: &generator)
        let result = gradientCheck([x]) { (rotary(x, heads: 2, startPosition: 2, table: table) * Variable(weights, requiresGrad: false)).sum() }
        XCTAssertTrue(result.passes(tolerance: 1e-2), "\(result)")  // Float central differences, ε = 1e-3
    }
}
