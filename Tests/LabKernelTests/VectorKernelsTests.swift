// The short-vector kernels of attention against plain loops, for every length's SIMD16, SIMD8
// and scalar-tail split.

import XCTest
import Foundation
@testable import LabKernel

final class VectorKernelsTests: XCTestCase {
    func testDotProductAndScaledAddMatchPlainLoops() {
        var generator = SeededGenerator(seed: 5)
        for count in 0...50 {
            let a = (0..<count).map { _ in generator.nextNormal() }
            let b = (0..<count).map { _ in generator.nextNormal() }
            var expected: Double = 0
            for i in 0..<count { expected += Double(a[i]) * Double(b[i]) }
            let dot = a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in dotProduct(pa.baseAddress!, pb.baseAddress!, count: count) }
            }
            // Float sums of ≤ 50 products of normal numbers, in another order than the Double sum.
            XCTAssertEqual(Double(dot), expected, accuracy: 1e-5, "dot product of length \(count)")

            let w = generator.nextNormal()
            var y = (0..<count).map { _ in generator.nextNormal() }
            let plain = zip(y, b).map { $0.addingProduct(w, $1) }
            y.withUnsafeMutableBufferPointer { py in
                b.withUnsafeBufferPointer { pb in addScaled(w, pb.baseAddress!, to: py.baseAddress!, count: count) }
            }
            XCTAssertEqual(y, plain, "y + w·x of length \(count): one fused multiply-add per element, as the loop")
        }
    }

    func testHorizontalSumAddsEveryLane() {
        let lanes = SIMD16<Float>((0..<16).map { Float(1 << $0) })  // distinct powers of two: every lane shows
        XCTAssertEqual(horizontalSum(lanes), 65535)
    }
}

final class VectorExponentialTests: XCTestCase {
    func testExponentialIsWithinTwoUlpOfExpf() {
        // A sweep over the whole finite range, plus the edges.
        var inputs: [Float] = stride(from: Float(-86.59), through: 88.7, by: 0.0137).map { $0 }
        inputs += [0, -0.0, 1, -1, 0.5, 1e-8, -1e-8, 88.72, -86.599, 0.34657, -0.34657]
        var outputs = [Float](repeating: .nan, count: inputs.count)
        inputs.withUnsafeBufferPointer { x in
            outputs.withUnsafeMutableBufferPointer { y in exponential(x.baseAddress!, into: y.baseAddress!, count: x.count) }
        }
        var worst: Float = 0
        for (x, y) in zip(inputs, outputs) {
            let expected = expf(x)
            let ulps = abs(y - expected) / expected.ulp
            worst = max(worst, ulps)
            XCTAssertLessThanOrEqual(ulps, 2, "e^\(x): \(y), expf \(expected)")
        }
        XCTAssertGreaterThan(worst, 0, "the sweep should meet some rounding difference")
    }

    func testExponentialEdges() {
        let x: [Float] = [-.infinity, -1000, -87.5, 89, 1000, .infinity, 0] + [Float](repeating: 1, count: 9)
        var y = [Float](repeating: .nan, count: x.count)
        x.withUnsafeBufferPointer { xs in y.withUnsafeMutableBufferPointer { exponential(xs.baseAddress!, into: $0.baseAddress!, count: xs.count) } }
        XCTAssertEqual(Array(y[0..<7]), [0, 0, 0, .infinity, .infinity, .infinity, 1])
        // Lengths that are not multiples of 16 go through the padded tail.
        for count in [1, 15, 17, 33] {
            let input = (0..<count).map { Float($0) / 10 - 1 }
            var output = [Float](repeating: .nan, count: count)
            input.withUnsafeBufferPointer { xs in output.withUnsafeMutableBufferPointer { exponential(xs.baseAddress!, into: $0.baseAddress!, count: count) } }
            for (a, b) in zip(input, output) { XCTAssertEqual(b, expf(a), accuracy: 2 * expf(a).ulp, "length \(count)") }
        }
    }
}
