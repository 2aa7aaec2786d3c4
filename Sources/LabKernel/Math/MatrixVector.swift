// Matrix-vector products: the shortcut `gemm` takes when one side of the product is a vector.
//
// Scope: y = W·x and y = x·W in Float, SIMD, threaded across blocks of the output, and the
// routing from `gemm` (Matmul.swift) when M == 1 or N == 1 (or up to 4, one vector at a time). Decoding one token at a time is
// exactly this case: a (1, C) activation times a (C, F) weight matrix, or a weight stored
// (F, C) times the activation, as in `matmul(x, transposed: w)`.
//
// Why a separate path: a matrix-vector product does 2 floating-point operations per matrix
// element it reads, so it is limited by memory bandwidth, not by arithmetic. Packing (which
// reads the matrix once and writes it once more) would double the traffic, and the 12×32 tile
// of the blocked kernel would compute 11 zero rows. The only goal here is to stream the matrix
// once, sequentially, with enough independent loads in flight.
//
// Not here: several vectors in one pass over the matrix. Up to 4 vectors are handled one at a
// time (a pass each); more go to the blocked kernel in Matmul+Blocked.swift.

import Synchronization

// MARK: - y = W·x (one dot product per row of W)

/// y[i] (+)= Σ_p W[i, p]·x[p] for the rows `rows` of W.
///
/// Four rows are read side by side, so four sequential streams are in flight at once; each row
/// keeps two SIMD16 partial sums (32 products per step) and sums them at the end. A lone row at
/// the end performs exactly the same operations as a row in a group of four, so the result for a
/// row does not depend on how the rows were split between threads.
///
/// - Parameters:
///   - w: row-major matrix (R, K), rows `ldw` floats apart.
///   - x: the vector, K contiguous floats.
///   - y: the output, element i at `y[i · incY]`.
func matrixVectorProduct(rows: Range<Int>, depth k: Int, w: UnsafePointer<Float>, ldw: Int,
                         x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, incY: Int,
                         accumulate: Bool) {
    let vectorDepth = k & ~31
    @inline(__always) func finish(_ sum: Float, _ row: UnsafePointer<Float>, _ i: Int) {
        var total = sum
        var p = vectorDepth
        while p < k { total = total.addingProduct(row[p], x[p]); p &+= 1 }
        let target = y + i &* incY
        target.pointee = accumulate ? target.pointee + total : total
    }
    var i = rows.lowerBound
    while i &+ 4 <= rows.upperBound {
        let w0 = w + i &* ldw, w1 = w0 + ldw, w2 = w1 + ldw, w3 = w2 + ldw
        var a0 = SIMD16<Float>(), b0 = SIMD16<Float>(), a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0
        var p = 0
        while p < vectorDepth {
            let x0 = loadVector(x + p), x1 = loadVector(x + (p &+ 16))
            a0 = a0.addingProduct(loadVector(w0 + p), x0); b0 = b0.addingProduct(loadVector(w0 + (p &+ 16)), x1)
            a1 = a1.addingProduct(loadVector(w1 + p), x0); b1 = b1.addingProduct(loadVector(w1 + (p &+ 16)), x1)
            a2 = a2.addingProduct(loadVector(w2 + p), x0); b2 = b2.addingProduct(loadVector(w2 + (p &+ 16)), x1)
            a3 = a3.addingProduct(loadVector(w3 + p), x0); b3 = b3.addingProduct(loadVector(w3 + (p &+ 16)), x1)
            p &+= 32
        }
        finish(horizontalSum((a0 + b0)), w0, i)
        finish(horizontalSum((a1 + b1)), w1, i &+ 1)
        finish(horizontalSum((a2 + b2)), w2, i &+ 2)
        finish(horizontalSum((a3 + b3)), w3, i &+ 3)
        i &+= 4
    }
    while i < rows.upperBound {
        let w0 = w + i &* ldw
        var a0 = SIMD16<Float>(), b0 = SIMD16<Float>()
        var p = 0
        while p < vectorDepth {
            a0 = a0.addingProduct(loadVector(w0 + p), loadVector(x + p))
            b0 = b0.addingProduct(loadVector(w0 + (p &+ 16)), loadVector(x + (p &+ 16)))
            p &+= 32
        }
        finish(horizontalSum((a0 + b0)), w0, i)
        i &+= 1
    }
}

// MARK: - y = x·W (a weighted sum of the rows of W)

/// y[j] (+)= Σ_p x[p]·W[p, j] for the columns `columns` of W.
///
/// Reading W column by column would jump a whole row between loads; instead four rows of W are
/// streamed at once and added, scaled by their x, into a slice of y that stays in L1 (up to
/// 2048 floats). Each element of y receives its products in the order p = 0, 1, 2, …, in SIMD
/// lanes and in the scalar tail alike, so the split between threads never changes a result.
///
/// - Parameters:
///   - w: row-major matrix (K, N), rows `ldw` floats apart.
///   - x: the vector, K contiguous floats.
///   - y: the output, N contiguous floats.
func vectorMatrixProduct(columns: Range<Int>, depth k: Int, x: UnsafePointer<Float>,
                         w: UnsafePointer<Float>, ldw: Int, y: UnsafeMutablePointer<Float>,
                         accumulate: Bool) {
    if !accumulate {
        for j in columns { y[j] = 0 }
    }
    let vectorEnd = columns.lowerBound &+ (columns.count & ~15)
    let sliceWidth = 2048
    var sliceStart = columns.lowerBound
    while sliceStart < vectorEnd {
        let sliceEnd = min(vectorEnd, sliceStart &+ sliceWidth)
        var p = 0
        while p &+ 4 <= k {
            let r0 = w + p &* ldw, r1 = r0 + ldw, r2 = r1 + ldw, r3 = r2 + ldw
            let x0 = SIMD16<Float>(repeating: x[p]), x1 = SIMD16<Float>(repeating: x[p &+ 1])
            let x2 = SIMD16<Float>(repeating: x[p &+ 2]), x3 = SIMD16<Float>(repeating: x[p &+ 3])
            var j = sliceStart
            while j < sliceEnd {
                var sum = loadVector(y + j)
                sum = sum.addingProduct(x0, loadVector(r0 + j))
                sum = sum.addingProduct(x1, loadVector(r1 + j))
                sum = sum.addingProduct(x2, loadVector(r2 + j))
                sum = sum.addingProduct(x3, loadVector(r3 + j))
                storeVector(sum, y + j)
                j &+= 16
            }
            p &+= 4
        }
        while p < k {
            let r0 = w + p &* ldw, x0 = SIMD16<Float>(repeating: x[p])
            var j = sliceStart
            while j < sliceEnd {
                storeVector(loadVector(y + j).addingProduct(x0, loadVector(r0 + j)), y + j)
                j &+= 16
            }
            p &+= 1
        }
        sliceStart = sliceEnd
    }
    // The last columns (fewer than 16): one scalar chain each, down a column of W.
    for j in vectorEnd..<columns.upperBound {
        var sum = y[j]
        for p in 0..<k { sum = sum.addingProduct(x[p], w[p &* ldw &+ j]) }
        y[j] = sum
    }
}

// MARK: - Routing from gemm

/// Below this many matrix elements per thread a second thread costs more than it saves:
/// streaming 32 K floats (128 KB) takes ≈ 5–10 µs, handing work to a pool thread that is
/// spinning (WorkerPool.swift) about one. Decoding a small model (stories15M: 288×288 and
/// 768×288 matrices) needs its small products split too, or only the LM head runs in parallel.
private let minimumMatrixElementsPerThread = 1 << 15

/// Products with at most this many rows (or columns) run as one matrix-vector product per row
/// (or column) of C. Each streams the matrix once; the blocked kernel would read it three times
/// (pack, then multiply) and fill 12-row tiles with padding. Measured with a 3072×768 matrix:
/// 2 rows took 0.8 ms this way against 1.7 ms blocked (2.8 ms with B transposed); 4 rows were
/// even for B and still 1.8× faster for Bᵀ.
let matrixVectorMaximumCount = 4

/// `gemm` for min(M, N) ≤ `matrixVectorMaximumCount`: one matrix-vector product per row of C
/// (when M ≤ N) or per column.
func matrixVectorGemm(m: Int, n: Int, k: Int, a: MatmulOperand, b: MatmulOperand,
                      c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int) {
    precondition(min(m, n) <= matrixVectorMaximumCount,
                 "matrixVectorGemm: needs M or N ≤ \(matrixVectorMaximumCount), got M = \(m), N = \(n)")
    if m <= n {
        for i in 0..<m {
            singleVectorGemm(m: 1, n: n, k: k, a: a.row(i), b: b, c: c + i * ldc, ldc: ldc,
                             accumulate: accumulate, threads: threads)
        }
    } else {
        for j in 0..<n {
            singleVectorGemm(m: m, n: 1, k: k, a: a, b: b.column(j), c: c + j, ldc: ldc,
                             accumulate: accumulate, threads: threads)
        }
    }
}

/// `gemm` for M == 1 or N == 1: picks the form that reads the stored matrix row by row.
///
///     M == 1, B stored (K, N):      c = a·B        vectorMatrixProduct over B
///     M == 1, B stored (N, K) (Bᵀ): c = B·a        matrixVectorProduct over B's rows
///     N == 1, A stored (M, K):      c = A·b        matrixVectorProduct over A's rows
///     N == 1, A stored (K, M) (Aᵀ): c = b·A        vectorMatrixProduct over A
///
/// A vector read with a stride (a column of a stored matrix) is first copied to contiguous memory.
private func singleVectorGemm(m: Int, n: Int, k: Int, a: MatmulOperand, b: MatmulOperand,
                              c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int) {
    // The matrix operand, the vector operand, and the output's length and stride.
    let (matrix, vector, outputCount, outputStride) = m == 1 ? (b, a, n, 1) : (a, b, m, ldc)
    // The vector's elements in order: for m == 1 it is op(A)'s only row, for n == 1 op(B)'s only column.
    let vectorStride = m == 1 ? (a.transposed ? a.leadingDimension : 1) : (b.transposed ? 1 : b.leadingDimension)
    // The matrix is "dot form" when each output element is a dot product with a stored row.
    let dotForm = m == 1 ? matrix.transposed : !matrix.transposed

    withContiguousVector(vector.base, count: k, stride: vectorStride) { x in
        // Threads take chunks of the output from a queue (rows in shrinking ranges, columns in
        // equal chunks): a core that other programs keep busy (or that wakes up late) takes fewer
        // chunks instead of holding the others up.
        // A chunk of columns (x·W) reads a slice of every row of W; slices shorter than 1024
        // floats stream poorly (measured: 30% slower), so narrow products get fewer chunks.
        var workers = max(1, min(threads, (outputCount * k) / minimumMatrixElementsPerThread))
        let chunks = workers == 1 ? 1 : dotForm ? workers * 4 : max(1, min(workers * 4, outputCount / 1024))
        workers = min(workers, chunks)
        let w = SendableConstPointer(matrix.base), ld = matrix.leadingDimension
        let sharedX = SendableConstPointer(x)
        if dotForm {
            let y = SendablePointer(c)
            let rows = GuidedRowQueue(count: outputCount, workers: workers)
            Parallel.forEachTask(workers) { _ in
                while let range = rows.next() {
                    matrixVectorProduct(rows: range, depth: k, w: w.base, ldw: ld, x: sharedX.base,
                                        y: y.base, incY: outputStride, accumulate: accumulate)
                }
            }
        } else {
            // This form sums into y with vector loads and stores: it needs y contiguous.
            withContiguousOutput(c, count: outputCount, stride: outputStride, accumulate: accumulate) { output in
                let y = SendablePointer(output)
                let queue = MatmulWorkQueue(itemCount: chunks)
                Parallel.forEachTask(workers) { _ in
                    while let chunk = queue.next() {
                        vectorMatrixProduct(columns: splitRange(outputCount, chunk, chunks, multiple: 16),
                                            depth: k, x: sharedX.base, w: w.base, ldw: ld,
                                            y: y.base, accumulate: accumulate)
                    }
                }
            }
        }
    }
}

/// y = W·x for several row-major (Rₘ, K) matrices sharing one x, as if their rows were stacked
/// into one (ΣRₘ, K) matrix: y holds matrix 0's results, then matrix 1's, …. One parallel job
/// instead of one per matrix: decoding a small model spends a good part of each matrix-vector
/// product handing it to threads and waiting for the last one, so q, k and v (and the gate and up
/// projections) go together. Every element is computed by `matrixVectorProduct` exactly as a
/// separate product would compute it.
func stackedMatrixVectorProduct(matrices: [UnsafePointer<Float>], rowCounts: [Int], depth k: Int,
                                x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, threads: Int) {
    precondition(matrices.count == rowCounts.count, "stackedMatrixVectorProduct: \(matrices.count) matrices, \(rowCounts.count) row counts")
    let offsets = rowCounts.reduce(into: [0]) { $0.append($0.last! + $1) }  // matrix m: rows offsets[m]..<offsets[m + 1]
    let total = offsets.last!
    let bases = matrices.map(SendableConstPointer.init), sharedX = SendableConstPointer(x), sharedY = SendablePointer(y)
    @Sendable func multiply(_ range: Range<Int>) {
        for m in bases.indices {
            let start = max(range.lowerBound, offsets[m]), end = min(range.upperBound, offsets[m + 1])
            if start < end {
                matrixVectorProduct(rows: (start - offsets[m])..<(end - offsets[m]), depth: k, w: bases[m].base, ldw: k,
                                    x: sharedX.base, y: sharedY.base + offsets[m], incY: 1, accumulate: false)
            }
        }
    }
    let workers = max(1, min(threads, (total * k) / minimumMatrixElementsPerThread))
    guard workers > 1 else { return multiply(0..<total) }
    let rows = GuidedRowQueue(count: total, workers: workers)
    Parallel.forEachTask(workers) { _ in
        while let range = rows.next() { multiply(range) }
    }
}

/// Hands out rows 0..<count in shrinking ranges ("guided" scheduling): each claim takes about
/// 1/(2·workers) of what is left, in multiples of 4 rows, at least 16 rows at a time.
///
/// Fixed chunks (count / (4·workers) each) left the caller waiting, at the end of every product,
/// for the helper's last chunk: with a helper that starts a fraction of a microsecond late, that
/// was 10% of a small model's decoding time on two threads. Large first ranges keep the claims
/// few; small last ranges make the threads finish together. A thread that other programs slow
/// down still just takes fewer ranges. Rows are computed the same way whatever the split.
final class GuidedRowQueue: Sendable {
    private let position = Atomic<Int>(0)
    private let count: Int
    private let workers: Int

    init(count: Int, workers: Int) {
        self.count = count
        self.workers = max(1, workers)
    }

    func next() -> Range<Int>? {
        var start = position.load(ordering: .relaxed)
        while start < count {
            let share = (count - start) / (2 * workers)
            let size = max(16, (share + 3) & ~3)
            let end = min(count, start + size)
            let (exchanged, original) = position.compareExchange(expected: start, desired: end, ordering: .relaxed)
            if exchanged { return start..<end }
            start = original
        }
        return nil
    }
}

/// The `part`-th of `parts` consecutive ranges covering 0..<count, with inner boundaries on
/// multiples of `multiple` (so SIMD blocks line up whatever the thread count).
private func splitRange(_ count: Int, _ part: Int, _ parts: Int, multiple: Int) -> Range<Int> {
    let blocks = (count + multiple - 1) / multiple
    let start = min(count, blocks * part / parts * multiple)
    let end = part == parts - 1 ? count : min(count, blocks * (part + 1) / parts * multiple)
    return start..<end
}

/// Calls `body` with the vector's elements in contiguous memory, copying only when strided.
private func withContiguousVector(_ base: UnsafePointer<Float>, count: Int, stride: Int,
                                  _ body: (UnsafePointer<Float>) -> Void) {
    if stride == 1 {
        body(base)
        return
    }
    withUnsafeTemporaryAllocation(of: Float.self, capacity: count) { buffer in
        for p in 0..<count { buffer[p] = base[p &* stride] }
        body(UnsafePointer(buffer.baseAddress!))
    }
}

/// Calls `body` with contiguous memory for a strided output, then copies it back.
private func withContiguousOutput(_ base: UnsafeMutablePointer<Float>, count: Int, stride: Int,
                                  accumulate: Bool, _ body: (UnsafeMutablePointer<Float>) -> Void) {
    if stride == 1 {
        body(base)
        return
    }
    withUnsafeTemporaryAllocation(of: Float.self, capacity: count) { buffer in
        if accumulate {
            for i in 0..<count { buffer[i] = base[i &* stride] }
        }
        body(buffer.baseAddress!)
        for i in 0..<count { base[i &* stride] = buffer[i] }
    }
}

// MARK: - Unaligned SIMD access

@inline(__always)
private func loadVector(_ pointer: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
private func storeVector(_ vector: SIMD16<Float>, _ pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: SIMD16<Float>.self)
}
