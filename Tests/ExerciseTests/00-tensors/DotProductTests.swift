// Tests for exercise 00.1 (tensors.dot-product): `dot(_:_:)` in exercises/00-tensors/DotProduct.swift.
//
// Small cases a student can check by hand first, then the edge cases (empty, one element, a long
// vector), then random vectors against the kernel's matmul of a row by a column.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseDotProduct

final class DotProductTests: XCTestCase {
    func testSmallVectorsGiveTheSumOfElementwiseProducts() {
        guard let result = exercise({ dot([1, 2, 3], [4, 5, 6]) }) else { return }
        // Exact: small integers are represented exactly in Float.
        assertClose(result, 32, tolerance: 0, "dot([1, 2, 3], [4, 5, 6]) = 1·4 + 2·5 + 3·6")
    }

    func testNegativeEntriesKeepTheirSign() {
        guard let result = exercise({ dot([1, -2, 3], [-4, 5, 6]) }) else { return }
        // Exact: small integers.
        assertClose(result, 4, tolerance: 0, "dot([1, -2, 3], [-4, 5, 6]) = -4 - 10 + 18")
    }

    func testPerpendicularVectorsGiveZero() {
        guard let axes = exercise({ dot([1, 0], [0, 1]) }),
              let diagonals = exercise({ dot([1, 1], [1, -1]) }) else { return }
        // Exact: the products are 0 and ±1.
        assertClose(axes, 0, tolerance: 0, "the x and y axes are perpendicular: dot([1, 0], [0, 1])")
        assertClose(diagonals, 0, tolerance: 0, "the two diagonals are perpendicular: dot([1, 1], [1, -1])")
    }

    func testVectorWithItselfGivesItsSquaredLength() {
        guard let result = exercise({ dot([3, 4], [3, 4]) }) else { return }
        // Exact: 9 + 16.
        assertClose(result, 25, tolerance: 0, "dot(v, v) is |v|², and |[3, 4]| = 5")
    }

    func testEmptyVectorsGiveZero() {
        guard let result = exercise({ dot([], []) }) else { return }
        // Exact: an empty sum is 0 by definition, not a crash.
        assertClose(result, 0, tolerance: 0, "dot([], []) is an empty sum, which is 0")
    }

    func testSingleElementVectorsGiveTheirProduct() {
        guard let result = exercise({ dot([3], [-2]) }) else { return }
        // Exact: one product.
        assertClose(result, -6, tolerance: 0, "dot([3], [-2]) has one product, 3·(-2)")
    }

    func testLongVectorsIncludeEveryElement() {
        let count = 10_000
        let ones = [Float](repeating: 1, count: count)
        guard let result = exercise({ dot(ones, ones) }) else { return }
        // Exact: whole numbers up to 2^24 are exact in Float, so any missed element shows.
        assertClose(result, Float(count), tolerance: 0,
                    "dot of two vectors of \(count) ones counts the elements; a different count means "
                    + "the loop skipped or repeated some")
    }

    func testSwappingTheArgumentsGivesTheSameResult() {
        var generator = SeededGenerator(seed: 11)
        let a = Tensor.randomNormal([100], using: &generator).scalars
        let b = Tensor.randomNormal([100], using: &generator).scalars
        guard let ab = exercise({ dot(a, b) }), let ba = exercise({ dot(b, a) }) else { return }
        // Exact: a[i]·b[i] == b[i]·a[i] in Float, and the products are added in the same order.
        assertClose(ba, ab, tolerance: 0, "dot(b, a) should equal dot(a, b): the dot product is symmetric")
    }

    func testRandomVectorsMatchTheKernelMatmulOfARowByAColumn() {
        var generator = SeededGenerator(seed: 7)
        for count in [1, 5, 64, 1000] {
            let a = Tensor.randomNormal([count], using: &generator)
            let b = Tensor.randomNormal([count], using: &generator)
            guard let result = exercise({ dot(a.scalars, b.scalars) }) else { return }
            // The reference: a (1, N) row times an (N, 1) column is a 1×1 matrix holding the dot product.
            let expected = matmul(a.reshaped([1, count]), b.reshaped([count, 1])).item   // (1, N)·(N, 1) -> (1, 1)
            // Float rounding: the kernel may add the N products in another order; with N ≤ 1000
            // standard-normal products that moves the sum by well under 1e-3.
            assertClose(result, expected, tolerance: 1e-3, "dot of two random vectors of length \(count)")
        }
    }
}
