// Tests for the optimized matrix multiply (`gemm`, the `matmul` family) against `matmulNaive`.
//
// The oracle is the naive twin: each test builds the logical operands op(A) and op(B) as plain
// tensors (copying out of whatever strided, transposed storage `gemm` is given), multiplies them
// with `matmulNaive`, and compares. Shapes are chosen to hit every edge of the blocking:
// 12-row × 32-column tiles, KC = 512, MC = 336, NC = 4096, the matrix-vector paths for M or N
// up to 4, and products large enough to be split across threads.
//
// Tolerance: every element is a sum of K products of values in [-1, 1]. The optimized and naive
// versions add in different orders, and each addition rounds by at most 2⁻²⁴ relative to a partial
// sum of size up to K, so differences grow with K; 1e-5·K is a hundred times the largest
// difference observed (1e-7·K) and still far below the error of a wrong index (of order √K / 3).

import XCTest
@testable import LabKernel
import LabTestSupport

final class MatmulTests: XCTestCase {

    // MARK: - Shapes, transposes, accumulation

    /// Odd shapes, including the matrix-vector shortcuts (M or N ≤ 4) and sizes around every tile
    /// and block boundary, in all four transpose combinations.
    func testOddShapesInEveryTransposeCombination() {
        let shapes: [(m: Int, n: Int, k: Int)] = [
            (1, 1, 1), (7, 13, 5), (1000, 1, 3), (1, 1000, 1), (3, 1, 1000),
            (2, 300, 50), (4, 77, 65), (5, 40, 9), (300, 3, 50), (50, 4, 100), (3, 4, 7),  // M or N ≤ 4
            (2, 2, 2), (11, 31, 9), (12, 32, 16), (13, 33, 17), (25, 65, 1),   // around one tile
            (24, 64, 511), (26, 70, 513), (5, 40, 1030),                       // around KC = 512
            (335, 45, 20), (337, 33, 7), (700, 34, 12),                        // around MC = 336
            (14, 4095, 6), (13, 4097, 5), (3, 8200, 3),                        // around NC = 4096
        ]
        for shape in shapes {
            for transposeA in [Transpose.none, .transposed] {
                for transposeB in [Transpose.none, .transposed] {
                    checkGemm(m: shape.m, n: shape.n, k: shape.k,
                              transposeA: transposeA, transposeB: transposeB)
                }
            }
        }
    }

    func testAccumulateAddsToC() {
        for shape in [(m: 1, n: 40, k: 33), (m: 40, n: 1, k: 33), (m: 29, n: 70, k: 600), (m: 12, n: 32, k: 8)] {
            for transposeA in [Transpose.none, .transposed] {
                for transposeB in [Transpose.none, .transposed] {
                    checkGemm(m: shape.m, n: shape.n, k: shape.k,
                              transposeA: transposeA, transposeB: transposeB, accumulate: true)
                }
            }
        }
    }

    /// Submatrices: every leading dimension larger than the row it holds. The padding is NaN, so
    /// reading it (or writing C's padding) would show.
    func testLeadingDimensionsLargerThanRows() {
        for shape in [(m: 1, n: 50, k: 20), (m: 50, n: 1, k: 20), (m: 3, n: 1, k: 40), (m: 2, n: 30, k: 20),
                      (m: 30, n: 3, k: 20), (m: 19, n: 45, k: 37), (m: 40, n: 100, k: 530)] {
            for transposeA in [Transpose.none, .transposed] {
                for transposeB in [Transpose.none, .transposed] {
                    for accumulate in [false, true] {
                        checkGemm(m: shape.m, n: shape.n, k: shape.k, transposeA: transposeA,
                                  transposeB: transposeB, accumulate: accumulate, padding: 5)
                    }
                }
            }
        }
    }

    /// K == 0 is an empty sum: C becomes 0, or stays as it was when accumulating.
    func testEmptyInnerDimension() {
        var c: [Float] = [1, 2, 3, 4, 5, 6]
        let none: [Float] = [0]
        gemm(m: 2, n: 3, k: 0, a: none, lda: 1, b: none, ldb: 3, c: &c, ldc: 3, accumulate: true)
        XCTAssertEqual(c, [1, 2, 3, 4, 5, 6])
        gemm(m: 2, n: 3, k: 0, a: none, lda: 1, b: none, ldb: 3, c: &c, ldc: 3)
        XCTAssertEqual(c, [0, 0, 0, 0, 0, 0])
        XCTAssertEqual(matmul(Tensor.zeros([4, 0]), Tensor.zeros([0, 2])), Tensor.zeros([4, 2]))
    }

    // MARK: - Threads

    /// A product big enough to be split, at 1, 2, 3 and 4 threads: identical bits, and right.
    /// (Four threads on a two-core machine still exercise the splitting.)
    func testThreadCountDoesNotChangeResults() {
        let shapes: [(m: Int, n: Int, k: Int)] = [
            (256, 300, 450),   // split by rows (69 MFLOP: enough work for 4 threads)
            (14, 4000, 700),   // few row tiles: split by column panels too
            (1, 3000, 900),    // x·W, split by columns
            (3000, 1, 900),    // W·x, split by rows
            (3, 2000, 900),    // three rows, one matrix-vector product each
        ]
        for shape in shapes {
            for (transposeA, transposeB) in [(Transpose.none, Transpose.none), (.transposed, .transposed)] {
                checkGemm(m: shape.m, n: shape.n, k: shape.k, transposeA: transposeA, transposeB: transposeB,
                          accumulate: true, threadCounts: [1, 2, 3, 4])
            }
        }
    }

    /// How a product is cut into work items: rows first, column panels only for short products.
    func testWorkPlanSplitsRowsThenColumns() {
        let single = MatmulWorkPlan(m: 1000, columns: 1024, threads: 1)
        XCTAssertEqual([single.workers, single.rowItems, single.columnItems], [1, 1, 1])
        XCTAssertGreaterThanOrEqual(single.rowsPerItem, 1000)

        // The tile is 12×32 on AVX-512 machines and 6×16 elsewhere (Package.swift chooses).
        let wide = MatmulBlocking.tileRows == 12
        XCTAssertEqual([MatmulBlocking.tileRows, MatmulBlocking.tileColumns], wide ? [12, 32] : [6, 16])

        // 1000 rows = 84 tiles of 12 (or 167 of 6); 2 threads want 8 items: 8 row ranges of 11 (or 21) tiles.
        let tall = MatmulWorkPlan(m: 1000, columns: 1024, threads: 2)
        XCTAssertEqual([tall.workers, tall.rowItems, tall.rowsPerItem, tall.columnItems], wide ? [2, 8, 132, 1] : [2, 8, 126, 1])

        // 14 rows are 2 tiles of 12 (or 3 of 6): the 8 items become 2 row ranges × 4 ranges of
        // column panels (or 3 × 2).
        let short = MatmulWorkPlan(m: 14, columns: 4096, threads: 2)
        XCTAssertEqual([short.workers, short.rowItems, short.rowsPerItem, short.columnItems], wide ? [2, 2, 12, 4] : [2, 3, 6, 2])

        // Never more workers than items: 1 tile row × 1 column panel is one item.
        let tiny = MatmulWorkPlan(m: 5, columns: 16, threads: 4)
        XCTAssertEqual([tiny.workers, tiny.rowItems, tiny.columnItems], [1, 1, 1])
    }

    // MARK: - Matrix-vector paths

    /// The four matrix-vector forms, with lengths that are not multiples of the SIMD width (16) or
    /// of the 32-wide unrolled step, strided vectors (a column of a stored matrix) and strided
    /// output (a column of C).
    func testMatrixVectorForms() {
        for (m, n, k) in [(1, 17, 33), (1, 500, 1000), (1, 1500, 771), (17, 1, 33), (500, 1, 1000), (1501, 1, 769)] {
            for transposeA in [Transpose.none, .transposed] {
                for transposeB in [Transpose.none, .transposed] {
                    checkGemm(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, padding: 3)
                }
            }
        }
    }

    func testMatrixVectorWithTensorAPI() {
        var generator = SeededGenerator(seed: 11)
        let x = Tensor.randomUniform([1, 300], in: -1..<1, using: &generator)
        let w = Tensor.randomUniform([300, 200], in: -1..<1, using: &generator)
        assertClose(matmul(x, w).scalars, matmulNaive(x, w).scalars, tolerance: 1e-5 * 300, "x·W")
        let wRows = Tensor.randomUniform([200, 300], in: -1..<1, using: &generator)  // (N, K), like nn.Linear
        assertClose(matmul(x, transposed: wRows).scalars, matmulNaive(x, wRows.transposed()).scalars,
                    tolerance: 1e-5 * 300, "x·Wᵀ")
    }

    // MARK: - Tensor API, batched

    func testBatchedMatmulMatchesEachBatch() {
        var generator = SeededGenerator(seed: 7)
        // (B, M, K)·(B, K, N) -> (B, M, N), one large and many small products (the latter run in parallel).
        for (batches, m, n, k) in [(3, 50, 40, 60), (64, 9, 16, 12), (5, 1, 20, 30)] {
            let a = Tensor.randomUniform([batches, m, k], in: -1..<1, using: &generator)
            let b = Tensor.randomUniform([batches, k, n], in: -1..<1, using: &generator)
            let bT = Tensor.randomUniform([batches, n, k], in: -1..<1, using: &generator)
            let aT = Tensor.randomUniform([batches, k, m], in: -1..<1, using: &generator)
            let product = matmul(a, b), productBT = matmul(a, transposed: bT), productAT = matmul(transposed: aT, b)
            XCTAssertEqual(product.shape, [batches, m, n])
            XCTAssertEqual(productBT.shape, [batches, m, n])
            XCTAssertEqual(productAT.shape, [batches, m, n])
            for batch in 0..<batches {
                let slice = batch * m * n..<(batch + 1) * m * n
                let tolerance = 1e-5 * Float(k)
                assertClose(Array(product.scalars[slice]), matmulNaive(matrix(a, batch), matrix(b, batch)).scalars,
                            tolerance: tolerance, "matmul batch \(batch)")
                assertClose(Array(productBT.scalars[slice]),
                            matmulNaive(matrix(a, batch), matrix(bT, batch).transposed()).scalars,
                            tolerance: tolerance, "matmul(_:transposed:) batch \(batch)")
                assertClose(Array(productAT.scalars[slice]),
                            matmulNaive(matrix(aT, batch).transposed(), matrix(b, batch)).scalars,
                            tolerance: tolerance, "matmul(transposed:_:) batch \(batch)")
            }
        }
    }

    /// (…, M, K)·(K, N): the shared right matrix, with two batch axes, in all three forms.
    func testSharedRightMatrix() {
        var generator = SeededGenerator(seed: 8)
        let (m, n, k) = (5, 37, 29)
        let a = Tensor.randomUniform([2, 3, m, k], in: -1..<1, using: &generator)
        let aT = Tensor.randomUniform([2, 3, k, m], in: -1..<1, using: &generator)
        let b = Tensor.randomUniform([k, n], in: -1..<1, using: &generator)
        let bT = Tensor.randomUniform([n, k], in: -1..<1, using: &generator)
        let product = matmul(a, b), productBT = matmul(a, transposed: bT), productAT = matmul(transposed: aT, b)
        XCTAssertEqual(product.shape, [2, 3, m, n])
        XCTAssertEqual(productBT.shape, [2, 3, m, n])
        XCTAssertEqual(productAT.shape, [2, 3, m, n])
        let tolerance = 1e-5 * Float(k)
        for batch in 0..<6 {
            let slice = batch * m * n..<(batch + 1) * m * n
            let aBatch = Tensor(shape: [m, k], scalars: Array(a.scalars[batch * m * k..<(batch + 1) * m * k]))
            let aTBatch = Tensor(shape: [k, m], scalars: Array(aT.scalars[batch * m * k..<(batch + 1) * m * k]))
            assertClose(Array(product.scalars[slice]), matmulNaive(aBatch, b).scalars,
                        tolerance: tolerance, "shared B, batch \(batch)")
            assertClose(Array(productBT.scalars[slice]), matmulNaive(aBatch, bT.transposed()).scalars,
                        tolerance: tolerance, "shared Bᵀ, batch \(batch)")
            assertClose(Array(productAT.scalars[slice]), matmulNaive(aTBatch.transposed(), b).scalars,
                        tolerance: tolerance, "Aᵀ with shared B, batch \(batch)")
        }
    }

    /// Small exact case worked by hand: integers, so every order of summation gives the same bits.
    func testSmallProductByHand() {
        let a = Tensor([[1, 2, 3], [4, 5, 6]])        // (2, 3)
        let b = Tensor([[7, 8], [9, 10], [11, 12]])   // (3, 2)
        XCTAssertEqual(matmul(a, b), Tensor([[58, 64], [139, 154]]))
        XCTAssertEqual(matmul(a, transposed: b.transposed()), Tensor([[58, 64], [139, 154]]))
        XCTAssertEqual(matmul(transposed: a.transposed(), b), Tensor([[58, 64], [139, 154]]))
    }

    // MARK: - Helpers

    /// Runs `gemm` on randomly filled, possibly transposed and padded storage and compares it with
    /// `matmulNaive` on the logical operands. With several `threadCounts` (nil: the default), it
    /// runs once per count and also checks that all runs give identical bits.
    private func checkGemm(m: Int, n: Int, k: Int, transposeA: Transpose, transposeB: Transpose,
                           accumulate: Bool = false, padding: Int = 0, threadCounts: [Int?] = [nil],
                           file: StaticString = #filePath, line: UInt = #line) {
        var generator = SeededGenerator(seed: UInt64(m * 1_000_003 + n * 1_009 + k))
        // Stored shapes: A is (M, K) or (K, M), B is (K, N) or (N, K), each row padded with NaN.
        let (aRows, aColumns) = transposeA == .none ? (m, k) : (k, m)
        let (bRows, bColumns) = transposeB == .none ? (k, n) : (n, k)
        let lda = aColumns + padding, ldb = bColumns + padding, ldc = n + padding
        let storedA = paddedRandom(rows: aRows, columns: aColumns, stride: lda, using: &generator)
        let storedB = paddedRandom(rows: bRows, columns: bColumns, stride: ldb, using: &generator)
        // C: random where it is accumulated into, NaN where it must be overwritten, NaN padding.
        var initialC = paddedRandom(rows: m, columns: n, stride: ldc, using: &generator)
        if !accumulate {
            for i in 0..<m { for j in 0..<n { initialC[i * ldc + j] = .nan } }
        }
        func logicalC(_ c: [Float]) -> [Float] { (0..<m * n).map { c[($0 / n) * ldc + $0 % n] } }

        let opA = logical(storedA, rows: m, columns: k, stride: lda, transposed: transposeA == .transposed)
        let opB = logical(storedB, rows: k, columns: n, stride: ldb, transposed: transposeB == .transposed)
        var expected = matmulNaive(opA, opB).scalars
        if accumulate { expected = zip(expected, logicalC(initialC)).map { $0 + $1 } }

        let context = "gemm M=\(m) N=\(n) K=\(k) transposeA \(transposeA) transposeB \(transposeB) accumulate \(accumulate) padding \(padding)"
        var firstRun: [Float]?
        for threads in threadCounts {
            var c = initialC
            let savedThreads = Parallel.threadCount
            if let threads { Parallel.threadCount = threads }
            storedA.withUnsafeBufferPointer { pa in
                storedB.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        gemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: lda, transposeA: transposeA,
                             b: pb.baseAddress!, ldb: ldb, transposeB: transposeB,
                             c: pc.baseAddress!, ldc: ldc, accumulate: accumulate)
                    }
                }
            }
            Parallel.threadCount = savedThreads
            let actual = logicalC(c)
            let runContext = context + (threads.map { ", \($0) threads" } ?? "")
            assertClose(Tensor(shape: [m, n], scalars: actual), Tensor(shape: [m, n], scalars: expected),
                        tolerance: 1e-5 * Float(max(k, 1)), runContext, file: file, line: line)
            let paddingWritten = (0..<m).contains { i in (n..<ldc).contains { j in !c[i * ldc + j].isNaN } }
            XCTAssertFalse(paddingWritten, "\(runContext): wrote C's padding", file: file, line: line)
            if let firstRun {
                XCTAssertTrue(actual == firstRun, "\(runContext): differs from the run with \(threadCounts[0].map(String.init) ?? "default") threads",
                              file: file, line: line)
            } else {
                firstRun = actual
            }
        }
    }

    /// `rows` rows of `columns` uniform values in [-1, 1), rows `stride` apart, NaN in between.
    private func paddedRandom(rows: Int, columns: Int, stride: Int,
                              using generator: inout SeededGenerator) -> [Float] {
        var storage = [Float](repeating: .nan, count: max(1, rows * stride))
        for i in 0..<rows {
            for j in 0..<columns { storage[i * stride + j] = generator.nextFloat(in: -1..<1) }
        }
        return storage
    }

    /// The logical (rows, columns) matrix held in `storage`, which is stored transposed if asked.
    private func logical(_ storage: [Float], rows: Int, columns: Int, stride: Int, transposed: Bool) -> Tensor {
        var scalars = [Float](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            for j in 0..<columns {
                scalars[i * columns + j] = transposed ? storage[j * stride + i] : storage[i * stride + j]
            }
        }
        return Tensor(shape: [rows, columns], scalars: scalars)
    }

    /// Matrix `index` of a rank-3 tensor (B, R, C) -> (R, C).
    private func matrix(_ tensor: Tensor, _ index: Int) -> Tensor {
        let (rows, columns) = (tensor.shape[1], tensor.shape[2])
        let size = rows * columns
        return Tensor(shape: [rows, columns], scalars: Array(tensor.scalars[index * size..<(index + 1) * size]))
    }
}
