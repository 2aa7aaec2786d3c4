// Tensor core: construction, indexing, reshape, transpose, slicing, broadcasting, reductions.
// Expected values here are small enough to check by hand; each is written out in the test.

import XCTest
@testable import LabKernel

final class TensorTests: XCTestCase {
    func testRowMajorLayoutAndStrides() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(x[1, 2], 6)
        XCTAssertEqual(x[0, 1], 2)
        XCTAssertEqual(x.strides, [3, 1])
        XCTAssertEqual(Tensor.zeros([2, 3, 4]).strides, [12, 4, 1])
        XCTAssertEqual(Tensor([[1, 2], [3, 4]]).scalars, [1, 2, 3, 4])
        XCTAssertEqual(Tensor(scalar: 5).shape, [])
        XCTAssertEqual(Tensor(scalar: 5).item, 5)
    }

    func testSubscriptWritesTheRightElement() {
        var x = Tensor.zeros([2, 3])
        x[1, 0] = 7
        XCTAssertEqual(x.scalars, [0, 0, 0, 7, 0, 0])
    }

    func testReshapeKeepsOrderAndInfersOneDimension() {
        let x = Tensor.arange(6)
        XCTAssertEqual(x.reshaped([2, -1]).shape, [2, 3])
        XCTAssertEqual(x.reshaped([3, 2])[2, 1], 5)
        XCTAssertEqual(x.reshaped([-1]).shape, [6])
    }

    func testTransposeSwapsTheLastTwoAxes() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let t = x.transposed()
        XCTAssertEqual(t.shape, [3, 2])
        XCTAssertEqual(t.scalars, [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(t.transposed(), x)
        // Batched: each (2, 3) matrix is transposed on its own.
        let batched = Tensor(shape: [2, 2, 3], scalars: (0..<12).map(Float.init)).transposed()
        XCTAssertEqual(batched.shape, [2, 3, 2])
        XCTAssertEqual(batched.scalars, [0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11])
    }

    func testTransposeOfALargeOddMatrixMatchesIndexing() {
        var rng = SeededGenerator(seed: 3)
        let x = Tensor.randomUniform([37, 70], using: &rng)
        let t = x.transposed()
        for i in 0..<37 { for j in 0..<70 { XCTAssertEqual(t[j, i], x[i, j]) } }
    }

    func testRowsSliceTheFirstAxis() {
        let x = Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(x.row(1).scalars, [3, 4])
        XCTAssertEqual(x.row(1).shape, [2])
        XCTAssertEqual(x.rows(1..<3).shape, [2, 2])
        XCTAssertEqual(x.rows(1..<3).scalars, [3, 4, 5, 6])
        XCTAssertEqual(Tensor.stack([x.row(0), x.row(2)]).scalars, [1, 2, 5, 6])
    }

    func testElementwiseWithEqualShapesAndScalars() {
        let a = Tensor([1, 2, 3]), b = Tensor([4, 5, 6])
        XCTAssertEqual((a + b).scalars, [5, 7, 9])
        XCTAssertEqual((a - b).scalars, [-3, -3, -3])
        XCTAssertEqual((a * b).scalars, [4, 10, 18])
        XCTAssertEqual((b / a).scalars, [4, 2.5, 2])
        XCTAssertEqual((a * 2).scalars, [2, 4, 6])
        XCTAssertEqual((1 - a).scalars, [0, -1, -2])
        XCTAssertEqual((-a).scalars, [-1, -2, -3])
    }

    func testBroadcastingABiasOverRows() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let bias = Tensor([10, 20, 30])
        XCTAssertEqual((x + bias).scalars, [11, 22, 33, 14, 25, 36])
        XCTAssertEqual((bias + x).scalars, [11, 22, 33, 14, 25, 36])
    }

    func testBroadcastingAColumnAgainstARow() {
        let column = Tensor(shape: [3, 1], scalars: [1, 2, 3])
        let row = Tensor(shape: [1, 2], scalars: [10, 20])
        let product = column * row
        XCTAssertEqual(product.shape, [3, 2])
        XCTAssertEqual(product.scalars, [10, 20, 20, 40, 30, 60])
        // A (2, 1, 3) tensor against a (4, 1): result (2, 4, 3), checked element by element.
        let a = Tensor(shape: [2, 1, 3], scalars: (0..<6).map(Float.init))
        let b = Tensor(shape: [4, 1], scalars: [0, 100, 200, 300])
        let sum = a + b
        XCTAssertEqual(sum.shape, [2, 4, 3])
        for i in 0..<2 { for j in 0..<4 { for k in 0..<3 {
            XCTAssertEqual(sum[i, j, k], a[i, 0, k] + b[j, 0])
        } } }
    }

    func testBroadcastShapeRules() {
        XCTAssertEqual(broadcastShape([2, 3], [3]), [2, 3])
        XCTAssertEqual(broadcastShape([2, 1], [1, 5]), [2, 5])
        XCTAssertEqual(broadcastShape([4, 1, 3], [2, 1]), [4, 2, 3])
        XCTAssertNil(broadcastShape([2, 3], [2]), "(2, 3) and (2) must not broadcast: trailing axes 3 vs 2")
        XCTAssertNil(broadcastShape([3, 4], [4, 3]))
    }

    func testReductionsAlongAxes() {
        let x = Tensor(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])
        XCTAssertEqual(x.sum(), 21)
        XCTAssertEqual(x.mean(), 3.5)
        XCTAssertEqual(x.max(), 6)
        XCTAssertEqual(x.sum(alongAxis: 0).scalars, [5, 7, 9])
        XCTAssertEqual(x.sum(alongAxis: 1).scalars, [9, 12])
        XCTAssertEqual(x.sum(alongAxis: -1, keepingAxis: true).shape, [2, 1])
        XCTAssertEqual(x.mean(alongAxis: 1).scalars, [3, 4])
        XCTAssertEqual(x.max(alongAxis: 0).scalars, [4, 5, 6])
        XCTAssertEqual(x.argmax(alongAxis: 1), [1, 2])
        XCTAssertEqual(x.argmax(alongAxis: 0), [1, 0, 1])
        // Ties go to the first index, like NumPy and PyTorch.
        XCTAssertEqual(Tensor([3, 7, 7]).argmax(alongAxis: 0), [1])
    }

    func testMiddleAxisReduction() {
        let x = Tensor(shape: [2, 3, 2], scalars: (0..<12).map(Float.init))
        let s = x.sum(alongAxis: 1)
        XCTAssertEqual(s.shape, [2, 2])
        XCTAssertEqual(s.scalars, [6, 9, 24, 27])  // [0+2+4, 1+3+5, 6+8+10, 7+9+11]
    }

    func testSummedToShapeUndoesBroadcasting() {
        let grad = Tensor.ones([2, 4, 3])
        XCTAssertEqual(grad.summed(toShape: [3]).scalars, [8, 8, 8])
        XCTAssertEqual(grad.summed(toShape: [4, 1]).scalars, [6, 6, 6, 6])
        XCTAssertEqual(grad.summed(toShape: [2, 1, 3]).scalars, [4, 4, 4, 4, 4, 4])
        XCTAssertEqual(grad.summed(toShape: [2, 4, 3]), grad)
    }

    func testDescriptionIsFixedPrecision() {
        XCTAssertEqual(Tensor([1, 2.5]).description, "[1.0000, 2.5000]")
        XCTAssertEqual(Tensor([[1, 2], [3, 4]]).description, "[[1.0000, 2.0000],\n [3.0000, 4.0000]]")
        XCTAssertEqual(formatFixed(Float(-0.00004), decimals: 4), "0.0000")
        XCTAssertEqual(formatFixed(3.14159, decimals: 2), "3.14")
        XCTAssertEqual(formatFixed(-2.5, decimals: 0), "-3")
        XCTAssertEqual(formatFixed(Double.nan, decimals: 2), "nan")
    }
}
