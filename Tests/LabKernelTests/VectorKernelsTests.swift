// The short-vector kernels of attention against plain loops, for every length's SIMD16, SIMD8
// and scalar-tail split.

import XCTest
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
