// Tests for exercise 00.2 (tensors.matmul-naive): `matmulNaive(_:_:m:k:n:)` on flat row-major
// arrays, in exercises/00-tensors/MatmulNaive.swift.
//
// Hand-checkable products first (a 2×3 by 3×2, identities, a row by a column and a column by a
// row, which catch swapped indices), then the empty edge cases, then random matrices of odd
// shapes against the kernel's `matmul`.

import XCTest
import LabKernel
import LabTestSupport
import ExerciseMatmulNaive

final class MatmulNaiveTests: XCTestCase {
    func testTwoByThreeTimesThreeByTwoMatchesTheHandComputation() {
        // A = [[1, 2, 3], [4, 5, 6]], B = [[7, 8], [9, 10], [11, 12]]
        guard let c = exercise({ matmulNaive([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], m: 2, k: 3, n: 2) })
        else { return }
        // Exact: small integers. C[0, 0] = 1·7 + 2·9 + 3·11 = 58, C[1, 1] = 4·8 + 5·10 + 6·12 = 154.
        assertClose(c, [58, 64, 139, 154], tolerance: 0,
                    "C = A·B for A (2, 3) and B (3, 2), row-major: [C00, C01, C10, C11]")
    }

    func testIdentityMatrixLeavesInputUnchanged() {
        var generator = SeededGenerator(seed: 3)
        let b = Tensor.randomNormal([3, 4], using: &generator).scalars
        let identity3: [Float] = [1, 0, 0,
                                  0, 1, 0,
                                  0, 0, 1]
        let a = Tensor.randomNormal([2, 3], using: &generator).scalars
        guard let left = exercise({ matmulNaive(identity3, b, m: 3, k: 3, n: 4) }),
              let right = exercise({ matmulNaive(a, identity3, m: 2, k: 3, n: 3) }) else { return }
        // Exact: every sum is one number plus zeros.
        assertClose(left, b, tolerance: 0, "I·B with I the 3×3 identity and B (3, 4) must give back B")
        assertClose(right, a, tolerance: 0, "A·I with A (2, 3) and I the 3×3 identity must give back A")
    }

    func testOneByOneMatricesMultiplyLikeNumbers() {
        guard let c = exercise({ matmulNaive([3], [-4], m: 1, k: 1, n: 1) }) else { return }
        // Exact: one product.
        assertClose(c, [-12], tolerance: 0, "[[3]]·[[-4]] is [[-12]]")
    }

    func testRowTimesColumnIsADotProduct() {
        guard let c = exercise({ matmulNaive([1, 2, 3], [4, 5, 6], m: 1, k: 3, n: 1) }) else { return }
        // Exact: small integers.
        assertClose(c, [32], tolerance: 0, "a (1, 3) row times a (3, 1) column is their dot product, 1·4 + 2·5 + 3·6")
    }

    func testColumnTimesRowIsAnOuterProduct() {
        // (3, 1)·(1, 2) -> (3, 2): with K = 1, C[i, j] = a[i]·b[j]; swapped loop bounds or strides show here.
        guard let c = exercise({ matmulNaive([1, 2, 3], [10, 20], m: 3, k: 1, n: 2) }) else { return }
        // Exact: small integers.
        assertClose(c, [10, 20,
                        20, 40,
                        30, 60], tolerance: 0,
                    "a (3, 1) column times a (1, 2) row is the 3×2 table of products a[i]·b[j]")
    }

    func testNonSquareProductUsesTheRightStrides() {
        // A (2, 4) and B (4, 3): every size differs, so mixing up m, k and n reads the wrong elements.
        let a: [Float] = [1, 0, 2, 0,
                          0, 1, 0, 3]
        let b: [Float] = [1, 2, 3,
                          4, 5, 6,
                          7, 8, 9,
                          10, 11, 12]
        guard let flat = exercise({ matmulNaive(a, b, m: 2, k: 4, n: 3) }),
              let c = matrix(flat, rows: 2, columns: 3) else { return }
        // Exact: small integers. Row 0 = B row 0 + 2·B row 2; row 1 = B row 1 + 3·B row 3.
        assertClose(c, Tensor([[15, 18, 21],
                               [34, 38, 42]]), tolerance: 0,
                    "A (2, 4)·B (4, 3): row i of C mixes the rows of B with the weights in row i of A")
    }

    func testZeroInnerSizeGivesAllZeros() {
        guard let c = exercise({ matmulNaive([], [], m: 2, k: 0, n: 3) }) else { return }
        // Exact: every entry is an empty sum.
        assertClose(c, [Float](repeating: 0, count: 6), tolerance: 0,
                    "with K = 0 every C[i, j] is an empty sum, so C (2, 3) is six zeros")
    }

    func testZeroRowsOrColumnsGiveAnEmptyResult() {
        guard let noRows = exercise({ matmulNaive([], [1, 2, 3, 4, 5, 6], m: 0, k: 2, n: 3) }),
              let noColumns = exercise({ matmulNaive([1, 2, 3, 4], [], m: 2, k: 2, n: 0) }) else { return }
        // Exact: nothing to compare but the count.
        assertClose(noRows, [], tolerance: 0, "A (0, 2)·B (2, 3) is C (0, 3): no numbers at all")
        assertClose(noColumns, [], tolerance: 0, "A (2, 2)·B (2, 0) is C (2, 0): no numbers at all")
    }

    func testRandomMatricesOfOddShapesMatchTheKernelMatmul() {
        var generator = SeededGenerator(seed: 42)
        for (m, k, n) in [(1, 1, 1), (1, 7, 5), (6, 1, 4), (3, 5, 1), (7, 13, 5), (17, 9, 31)] {
            let a = Tensor.randomNormal([m, k], using: &generator)
            let b = Tensor.randomNormal([k, n], using: &generator)
            guard let flat = exercise({ matmulNaive(a.scalars, b.scalars, m: m, k: k, n: n) }),
                  let c = matrix(flat, rows: m, columns: n) else { return }
            let expected = matmul(a, b)   // (M, K)·(K, N) -> (M, N)
            // Float rounding: the kernel may add the K ≤ 13 products in another order; for
            // standard-normal entries that changes a result by about 1e-6.
            assertClose(c, expected, tolerance: 1e-4,
                        "A \([m, k].shapeDescription)·B \([k, n].shapeDescription), compared with the kernel's matmul")
        }
    }

    /// The flat result viewed as an (M, N) matrix, so that a failure names the entry [i, j]; nil,
    /// after a failure that says so, when it does not hold M·N numbers.
    private func matrix(_ flat: [Float], rows: Int, columns: Int,
                        file: StaticString = #filePath, line: UInt = #line) -> Tensor? {
        guard flat.count == rows * columns else {
            XCTFail("C should be \([rows, columns].shapeDescription), that is M·N = \(rows * columns) numbers "
                    + "in row-major order, but the result holds \(flat.count)", file: file, line: line)
            return nil
        }
        return Tensor(shape: [rows, columns], scalars: flat)
    }
}
