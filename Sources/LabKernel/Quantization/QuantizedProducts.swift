// Products with Q8_0 weights: y = W·x for one token (decoding) and Y = X·Wᵀ for a prompt.
//
// The activations are quantized too, on the fly, in the same blocks of 32 along the inputs
// (scale max|x|/127, kept in float32 since it is never stored). Then each block of a row is an
// integer dot product of 32 int8 pairs, exact in int32, and the row's result is
//
//     y[i] = Σ_b  dot_b(q_w, q_x) · (d_w[i, b] · d_x[b])        blocks b = 0, 1, 2, … in order
//
// with one float multiply-add per block. That order is the definition: the naive twin computes
// exactly this with plain loops, and the fast version computes the same float operations in the
// same order, so the two agree bit for bit (the integer sums are exact whatever their order).
//
// Fast version. One row at a time, read front to back: each block's 32 products are a plain
// integer loop that the compiler turns into `vpmovsxbw` (the weights, int8 to int16) and
// `vpmaddwd` (16-bit multiply, pairs summed into int32) against the activations, which are
// widened to int16 once per token so that their loads feed `vpmaddwd` directly. Writing the block
// with Swift's SIMD types instead (SIMD32<Int8> widened and multiplied) compiled to 32-bit
// multiplies and spills, several times slower; the scalar loop is what the auto-vectorizer maps
// onto the integer multiply-add instructions. Reading four rows side by side, as the float
// matrix-vector product does, was measured 1.6–2× slower here once the matrix no longer fits in
// the caches (50 MB, one thread: 4.2 against 7.7 GB/s; in L3 the two were even): with int8 rows
// only 768 bytes long (C = 768) the four interleaved streams and their four scale streams seem
// to defeat the hardware prefetcher, while one row and its scales are two plain sequential
// streams. Threads take rows from a shared queue (`GuidedRowQueue`); a row's result does not
// depend on the split.
//
// Prompts (T > 1 tokens) go through the same arithmetic with the token loop inside the row loop:
// a group of 16 weight rows (16 × C bytes, in L1) is multiplied by every token's quantized row
// before the next group is read, four tokens per pass over each row, so the weights stream from
// memory once per prompt rather than once per token, and every (token, row) result equals the
// one-token product exactly.
//
// Left out: AVX-VNNI / AVX-512 dot-product instructions (not on this kit's AVX2 machines, and not
// reachable from Swift without intrinsics), and keeping per-lane float sums across blocks (one
// horizontal sum per row instead of one per block: faster for prompts, but a summation order
// the naive twin would have to copy lane by lane).

/// Quantized activations: T rows, each cut into blocks of 32 (values in -127...127, kept widened
/// to Int16 for the kernel; one Float scale per block).
struct QuantizedRows {
    let rows: Int
    let blocksPerRow: Int
    let values: UnsafeMutablePointer<Int16>
    let scales: UnsafeMutablePointer<Float>
    var paddedColumns: Int { blocksPerRow * Q8Matrix.blockSize }
}

/// Calls `body` with the T rows of x (T, columns) quantized block by block into temporary memory.
func withQuantizedRows<R>(_ x: UnsafePointer<Float>, rows: Int, columns: Int, _ body: (QuantizedRows) -> R) -> R {
    let size = Q8Matrix.blockSize
    let blocks = (columns + size - 1) / size
    return withUnsafeTemporaryAllocation(of: Int16.self, capacity: rows * blocks * size) { values in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: rows * blocks) { scales in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: size) { block in
                withUnsafeTemporaryAllocation(of: Int8.self, capacity: size) { quantizedBlock in
                    let quantized = QuantizedRows(rows: rows, blocksPerRow: blocks, values: values.baseAddress!,
                                                  scales: scales.baseAddress!)
                    for t in 0..<rows {
                        for b in 0..<blocks {
                            let start = b * size, count = min(size, columns - start)
                            let source = x + t * columns + start
                            for p in 0..<size { block[p] = p < count ? source[p] : 0 }  // zeros past the last column
                            quantized.scales[t * blocks + b] = quantizeBlock(UnsafePointer(block.baseAddress!),
                                                                             into: quantizedBlock.baseAddress!,
                                                                             roundingScaleToHalf: false)
                            let target = quantized.values + (t * blocks + b) * size
                            for p in 0..<size { target[p] = Int16(quantizedBlock[p]) }
                        }
                    }
                    return body(quantized)
                }
            }
        }
    }
}

/// Quantizes a vector the way the products do (blocks of 32, Float scales max|x|/127, zeros
/// padding the last block): what the naive twin and the tests start from.
public func quantizeActivations(_ x: [Float]) -> (values: [Int8], scales: [Float]) {
    x.withUnsafeBufferPointer { source in
        withQuantizedRows(source.baseAddress!, rows: 1, columns: x.count) { q in
            (UnsafeBufferPointer(start: q.values, count: q.paddedColumns).map { Int8(truncatingIfNeeded: $0) },
             Array(UnsafeBufferPointer(start: q.scales, count: q.blocksPerRow)))
        }
    }
}

// MARK: - Naive

/// y = W·x the plain way, with the semantics every fast version keeps: x quantized per block,
/// each block's int8 dot product summed in Int32, then y[i] = Σ_b Float(dot_b) · (d_w · d_x) with
/// one fused multiply-add per block, b in increasing order.
///
/// - Parameters: w (out, in), x (in). - Returns: (out).
public func q8MatrixVectorProductNaive(_ w: Q8Matrix, _ x: [Float]) -> [Float] {
    precondition(x.count == w.columns, "q8MatrixVectorProduct: x has \(x.count) values, W (\(w.rows), \(w.columns)) needs \(w.columns)")
    let (xValues, xScales) = quantizeActivations(x)
    let size = Q8Matrix.blockSize
    return (0..<w.rows).map { i in
        let values = w.values(ofRow: i), scales = w.scales(ofRow: i)
        var sum: Float = 0
        for b in 0..<w.blocksPerRow {
            var dot: Int32 = 0
            for p in (b * size)..<((b + 1) * size) { dot += Int32(values[p]) * Int32(xValues[p]) }
            sum = sum.addingProduct(Float(dot), scales[b] * xScales[b])
        }
        return sum
    }
}

// MARK: - Fast

/// The exact int32 dot product of a block of 32 int8 weights and 32 activations (int8 values
/// held as Int16). Written as a plain loop on purpose: LLVM vectorizes it into sign extensions
/// of the weights and `vpmaddwd`.
@inline(__always)
private func blockDot(_ w: UnsafePointer<Int8>, _ x: UnsafePointer<Int16>) -> Int32 {
    var sum: Int32 = 0
    for p in 0..<Q8Matrix.blockSize { sum &+= Int32(w[p]) &* Int32(x[p]) }
    return sum
}

/// y[i · incY] = Σ_b dot_b · (d_w[i, b] · d_x[b]) for the rows `rows` of W and one quantized
/// activation row (`x` values, `xScales` one per block), one row after another.
private func q8Rows(_ rows: Range<Int>, of w: Q8Matrix, x: UnsafePointer<Int16>, xScales: UnsafePointer<Float>,
                    y: UnsafeMutablePointer<Float>, incY: Int) {
    let (blocks, stride, size) = (w.blocksPerRow, w.paddedColumns, Q8Matrix.blockSize)
    for i in rows {
        let row = UnsafePointer(w.values + i &* stride), scales = UnsafePointer(w.scales + i &* blocks)
        var sum: Float = 0
        var b = 0
        while b < blocks {
            let offset = b &* size
            sum = sum.addingProduct(Float(blockDot(row + offset, x + offset)), scales[b] * xScales[b])
            b &+= 1
        }
        y[i &* incY] = sum
    }
}

/// `q8Rows` for four tokens at once: x holds four quantized rows `xStride` values apart (scales
/// `scaleStride` apart), y four output rows `ldy` apart. Each weight block is read from memory
/// once for the four tokens (then from L1), and every (token, row) result is the one `q8Rows` computes: the
/// same exact integer sums and the same float operations in the same order.
private func q8RowsFourTokens(_ rows: Range<Int>, of w: Q8Matrix, x: UnsafePointer<Int16>, xStride: Int,
                              xScales: UnsafePointer<Float>, scaleStride: Int, y: UnsafeMutablePointer<Float>, ldy: Int) {
    let (blocks, stride, size) = (w.blocksPerRow, w.paddedColumns, Q8Matrix.blockSize)
    let x0 = x, x1 = x0 + xStride, x2 = x1 + xStride, x3 = x2 + xStride
    let d0 = xScales, d1 = d0 + scaleStride, d2 = d1 + scaleStride, d3 = d2 + scaleStride
    for i in rows {
        let row = UnsafePointer(w.values + i &* stride), scales = UnsafePointer(w.scales + i &* blocks)
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var b = 0
        while b < blocks {
            let offset = b &* size, block = row + offset
            // Four separate block loops: one loop with four sums compiled to 32-bit multiplies
            // (`vpmulld`); each of these is `vpmaddwd`, and the weights come from L1 after the first.
            let t0 = blockDot(block, x0 + offset), t1 = blockDot(block, x1 + offset)
            let t2 = blockDot(block, x2 + offset), t3 = blockDot(block, x3 + offset)
            let scale = scales[b]
            s0 = s0.addingProduct(Float(t0), scale * d0[b]); s1 = s1.addingProduct(Float(t1), scale * d1[b])
            s2 = s2.addingProduct(Float(t2), scale * d2[b]); s3 = s3.addingProduct(Float(t3), scale * d3[b])
            b &+= 1
        }
        y[i] = s0; y[ldy &+ i] = s1; y[2 &* ldy &+ i] = s2; y[3 &* ldy &+ i] = s3
    }
}

/// Below this many weights per thread (times tokens) a second thread costs more than it saves,
/// as for the float matrix-vector product (MatrixVector.swift); an int8 weight is a quarter of the
/// bytes, so the threshold is four times as many weights.
private let minimumWeightsPerThread = 1 << 17

/// Y (T, ΣRₘ) = X (T, in) · [W₀; W₁; …]ᵀ for Q8 matrices sharing the input width: for token t,
/// matrix m's outputs go to `outputs[m] + t · ldy[m]`. One parallel job over all their rows
/// (q, k and v, or the gate and up projections, go together, as in `stackedMatrixVectorProduct`).
func q8Product(_ x: QuantizedRows, matrices: [Q8Matrix], outputs: [UnsafeMutablePointer<Float>], threads: Int) {
    precondition(matrices.allSatisfy { $0.blocksPerRow == x.blocksPerRow },
                 "q8Product: the matrices must take \(x.blocksPerRow) blocks of input, got \(matrices.map(\.blocksPerRow))")
    let offsets = matrices.reduce(into: [0]) { $0.append($0.last! + $1.rows) }  // matrix m: rows offsets[m]..<offsets[m + 1]
    let total = offsets.last!, tokens = x.rows
    let targets = outputs.map(SendablePointer.init)
    let values = SendableConstPointer(x.values), scales = SendableConstPointer(x.scales)
    let (stride, blocks) = (x.paddedColumns, x.blocksPerRow)
    let shared = SharedMatrices(matrices)
    @Sendable func multiply(_ range: Range<Int>) {
        for m in shared.matrices.indices {
            let start = max(range.lowerBound, offsets[m]), end = min(range.upperBound, offsets[m + 1])
            guard start < end else { continue }
            let matrix = shared.matrices[m], ldy = matrix.rows
            // Groups of 16 rows, each multiplied by every token while its weights sit in L1.
            var groupStart = start - offsets[m]
            while groupStart < end - offsets[m] {
                let group = groupStart..<min(end - offsets[m], groupStart + 16)
                var t = 0
                while t + 4 <= tokens {  // four tokens per pass over the group's weights
                    q8RowsFourTokens(group, of: matrix, x: values.base + t * stride, xStride: stride,
                                     xScales: scales.base + t * blocks, scaleStride: blocks,
                                     y: targets[m].base + t * ldy, ldy: ldy)
                    t += 4
                }
                while t < tokens {
                    q8Rows(group, of: matrix, x: values.base + t * stride, xScales: scales.base + t * blocks,
                           y: targets[m].base + t * ldy, incY: 1)
                    t += 1
                }
                groupStart = group.upperBound
            }
        }
    }
    let work = total * stride * tokens
    let workers = max(1, min(threads, work / minimumWeightsPerThread))
    guard workers > 1 else { return multiply(0..<total) }
    let queue = GuidedRowQueue(count: total, workers: workers)
    Parallel.forEachTask(workers) { _ in
        while let range = queue.next() { multiply(range) }
    }
}

/// The matrices of a product, shared read-only between the threads.
private struct SharedMatrices: @unchecked Sendable {  // Q8Matrix is immutable
    let matrices: [Q8Matrix]
    init(_ matrices: [Q8Matrix]) { self.matrices = matrices }
}

/// y = W·x (+ bias) for Q8 layers sharing one input row x (in floats): their outputs one after
/// another in y, x quantized once. The quantized form of `linearOnOneRow` (Linear.swift).
func q8LinearOnOneRow(_ x: UnsafePointer<Float>, _ layers: [(weight: Q8Matrix, bias: Tensor?)],
                      into y: UnsafeMutablePointer<Float>) {
    let columns = layers[0].weight.columns
    precondition(layers.allSatisfy { $0.weight.columns == columns },
                 "q8LinearOnOneRow: the weights must share their input width, got \(layers.map(\.weight.columns))")
    var outputs: [UnsafeMutablePointer<Float>] = []
    var start = 0
    for layer in layers {
        outputs.append(y + start)
        start += layer.weight.rows
    }
    withQuantizedRows(x, rows: 1, columns: columns) { q in
        q8Product(q, matrices: layers.map(\.weight), outputs: outputs, threads: Parallel.threadCount)
    }
    for (layer, output) in zip(layers, outputs) {
        if let bias = layer.bias { addBias(bias, to: output, rows: 1, width: layer.weight.rows) }
    }
}

/// Y = X·Wᵀ (+ bias) on raw memory: x (T, in) -> y (T, out), W (out, in) in Q8 blocks.
func q8Linear(_ x: UnsafePointer<Float>, rows: Int, weight: Q8Matrix, bias: Tensor?, into y: UnsafeMutablePointer<Float>) {
    withQuantizedRows(x, rows: rows, columns: weight.columns) { q in
        q8Product(q, matrices: [weight], outputs: [y], threads: Parallel.threadCount)
    }
    if let bias { addBias(bias, to: y, rows: rows, width: weight.rows) }
}

/// y[r, j] += bias[j] for the `rows` rows of y (rows, width).
func addBias(_ bias: Tensor, to y: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
    precondition(bias.shape == [width], "linear: bias must be (\(width)), got \(bias.shape.shapeDescription)")
    bias.withUnsafeBufferPointer { b in
        for r in 0..<rows { for j in 0..<width { y[r &* width &+ j] += b[j] } }
    }
}

/// y = W·x with W in Q8 blocks: x (in) -> (out), the fast kernel on all threads. Equal, bit for
/// bit, to `q8MatrixVectorProductNaive`.
public func q8MatrixVectorProduct(_ w: Q8Matrix, _ x: [Float]) -> [Float] {
    precondition(x.count == w.columns, "q8MatrixVectorProduct: x has \(x.count) values, W (\(w.rows), \(w.columns)) needs \(w.columns)")
    var y = [Float](repeating: 0, count: w.rows)
    x.withUnsafeBufferPointer { source in
        y.withUnsafeMutableBufferPointer { q8Linear(source.baseAddress!, rows: 1, weight: w, bias: nil, into: $0.baseAddress!) }
    }
    return y
}

/// Y = X·Wᵀ with W in Q8 blocks: X (T, in) -> (T, out), every row equal to the one-token product.
public func q8MatrixProduct(_ x: Tensor, _ w: Q8Matrix) -> Tensor {
    precondition(x.rank == 2 && x.shape[1] == w.columns,
                 "q8MatrixProduct: X \(x.shape.shapeDescription) does not fit W (\(w.rows), \(w.columns))")
    var y = Tensor.zeros([x.shape[0], w.rows])
    x.withUnsafeBufferPointer { source in
        y.withUnsafeMutableBufferPointer {
            q8Linear(source.baseAddress!, rows: x.shape[0], weight: w, bias: nil, into: $0.baseAddress!)
        }
    }
    return y
}
