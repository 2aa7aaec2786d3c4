// Tests for exercise 07.1 (open-models.quantize-block): `quantizeBlock(_:)` in
// exercises/07-open-models/QuantizeBlock.swift.
//
// The doc comment's example, a block of zeros, the round-trip bound |x − q·d| ≤ d/2, and random
// blocks against the kernel's own quantizer (`quantizeActivations`, the one its int8 products use),
// value for value and scale for scale.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseQuantizeBlock

final class QuantizeBlockTests: XCTestCase {
    func testTheDocCommentExample() {
        guard let block = exercise({ quantizeBlock([1, -2.54, 0.1] + [Float](repeating: 0, count: 29)) }) else { return }
        assertClose(block.scale, 2.54 / 127, tolerance: 0, "the scale is max|x| / 127")
        XCTAssertEqual(Array(block.values.prefix(4)), [50, -127, 5, 0], "1 → 50, -2.54 → -127, 0.1 → 5, 0 → 0")
        XCTAssertEqual(block.values.count, 32, "one int8 value per number")
    }

    func testABlockOfZerosHasScaleZero() {
        guard let block = exercise({ quantizeBlock([Float](repeating: 0, count: 32)) }) else { return }
        XCTAssertEqual(block.scale, 0, "max|x| is 0, so d is 0")
        XCTAssertEqual(block.values, [Int8](repeating: 0, count: 32), "and every value 0 (no division by zero)")
    }

    func testEveryValueIsWithinHalfAScale() {
        var generator = SeededGenerator(seed: 701)
        for trial in 0..<20 {
            let x = Tensor.randomNormal([32], standardDeviation: 0.1 + Float(trial), using: &generator).scalars
            guard let block = exercise({ quantizeBlock(x) }) else { return }
            XCTAssertTrue(block.values.contains { abs(Int($0)) == 127 }, "trial \(trial): the largest |x| maps to ±127")
            for p in 0..<32 {
                let error = abs(x[p] - Float(block.values[p]) * block.scale)
                XCTAssertLessThanOrEqual(error, block.scale / 2 * (1 + 1e-5), "trial \(trial), position \(p): |x − q·d| > d/2")
            }
        }
    }

    func testMatchesTheKernelsQuantizer() {
        var generator = SeededGenerator(seed: 702)
        for trial in 0..<50 {
            let x = Tensor.randomNormal([32], standardDeviation: 2, using: &generator).scalars
            let kernel = quantizeActivations(x)
            guard let block = exercise({ quantizeBlock(x) }) else { return }
            XCTAssertEqual(block.scale, kernel.scales[0], "trial \(trial): the scale differs from the kernel's max|x| / 127")
            XCTAssertEqual(block.values, kernel.values, "trial \(trial): x · (1 / d), rounded to nearest (ties to even), clamped")
        }
    }
}
