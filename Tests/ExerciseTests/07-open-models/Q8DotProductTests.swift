// Tests for exercise 07.2 (open-models.q8-dot-product): `q8Dot(weights:weightScales:inputs:inputScales:)`
// in exercises/07-open-models/Q8DotProduct.swift.
//
// The doc comment's example, the int32 sum of a block whose int16 sum would overflow, and rows of
// the kernel's Q8Matrix times quantized inputs against its naive int8 product and against the
// float32 product of the same weights.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseQ8DotProduct

final class Q8DotProductTests: XCTestCase {
    let zeros30 = [Int8](repeating: 0, count: 30)

    func testTheDocCommentExample() {
        guard let y = exercise({ q8Dot(weights: [2, -1] + zeros30, weightScales: [0.5], inputs: [3, 4] + zeros30, inputScales: [0.25]) })
        else { return }
        assertClose(y, 0.25, tolerance: 0, "Int32 dot 2·3 − 1·4 = 2, times 0.5 · 0.25")
    }

    func testTheBlockSumIsExactInInt32() {
        // 32 products of 127 · 127 = 516,128: beyond Int16 (and exact in Int32).
        let full = [Int8](repeating: 127, count: 32)
        guard let y = exercise({ q8Dot(weights: full, weightScales: [1], inputs: full, inputScales: [1]) }) else { return }
        assertClose(y, 516_128, tolerance: 0, "32 · 127 · 127 with scales 1")
    }

    func testMatchesTheKernelsProduct() throws {
        var generator = SeededGenerator(seed: 703)
        let (rows, columns) = (6, 96)  // three blocks per row
        let w = Tensor.randomNormal([rows, columns], standardDeviation: 0.05, using: &generator)
        let x = Tensor.randomNormal([columns], using: &generator).scalars
        let matrix = try Q8Matrix(quantizing: w, layout: .outputsByInputs)
        let (xValues, xScales) = quantizeActivations(x)
        let naive = q8MatrixVectorProductNaive(matrix, x)
        for i in 0..<rows {
            guard let y = exercise({ q8Dot(weights: matrix.values(ofRow: i), weightScales: matrix.scales(ofRow: i),
                                           inputs: xValues, inputScales: xScales) }) else { return }
            // The same block sums; one rounding per block if added with `+=` instead of a fused multiply-add.
            assertClose(y, naive[i], tolerance: 1e-6, relativeTolerance: 1e-6, "row \(i) against the kernel's naive int8 product")
            let exact = (0..<columns).map { w[i, $0] * x[$0] }.reduce(0, +)
            // Rounding 96 weights and inputs to int8: about 1% of the products' size.
            assertClose(y, exact, tolerance: 0.02, "row \(i) against the float32 product of the unrounded numbers")
        }
    }
}
