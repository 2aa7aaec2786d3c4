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
// Fast version. Four rows are read side by side (four sequential streams in flight, as in
// MatrixVector.swift), each block's 32 products are a plain integer loop that the compiler turns
// into `vpmovsxbw` (int8 to int16) and `vpmaddwd` (16-bit multiply, pairs summed into int32),
// and the four rows' block sums, converted to float, meet their four scales in one SIMD4
// multiply-add. Writing the block with Swift's SIMD types instead (SIMD32<Int8> widened and
// multiplied) compiled to 32-bit multiplies and spills, several times slower; the scalar loop
// is what the auto-vectorizer maps onto the integer multiply-add instructions. Threads take rows
// from a shared queue (`GuidedRowQueue`); a row's result does not depend on the split.
//
// Prompts (T > 1 tokens) go through the same kernel with the token loop inside the row loop: a
// group of four weight rows (4 × C bytes, in L1) is multiplied by every token's quantized row
// before the next group is read, so the weights stream from memory once per prompt rather than
// once per token, and every (token, row) result equals the one-token product exactly.
//
// Left out: AVX-VNNI / AVX-512 dot-product instructions (not on this kit's AVX2 machines, and not
// reachable from Swift without intrinsics), and tiling several tokens per weight load.

/// Quantized activations: T rows, each cut into blocks of 32 (int8 values, one Float scale each).
struct QuantizedRows {
    let rows: Int
    let blocksPerRow: Int
    let values: UnsafeMutablePointer<Int8>
    let scales: UnsafeMutablePointer<Float>
    var paddedColumns: Int { blocksPerRow * Q8Matrix.blockSize }
}

/// Calls `body` with the T rows of x (T, columns) quantized block by block into temporary memory.
func withQuantizedRows<R>(_ x: UnsafePointer<Float>, rows: Int, columns: Int, _ body: (QuantizedRows) -> R) -> R {
    let size = Q8Matrix.blockSize
    let blocks = (columns + size - 1) / size
    return withUnsafeTemporaryAllocation(of: Int8.self, capacity: rows * blocks * size) { values in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: rows * blocks) { scales in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: size) { block in
                let quantized = QuantizedRows(rows: rows, blocksPerRow: blocks, values: values.baseAddress!,
                                              scales: scales.baseAddress!)
                for t in 0..<rows {
                    for b in 0..<blocks {
                        let start = b * size, count = min(size, columns - start)
                        let source = x + t * columns + start
                        for p in 0..<size { block[p] = p < count ? source[p] : 0 }  // zeros past the last column
                        quantized.scales[t * blocks + b] = quantizeBlock(UnsafePointer(block.baseAddress!),
                                                                         into: quantized.values + (t * blocks + b) * size,
                                                                         roundingScaleToHalf: false)
                    }
                }
                return body(quantized)
            }
        }
    }
}

/// Quantizes a vector the way the products do (blocks of 32, Float scales max|x|/127, zeros
/// padding the last block): what the naive twin and the tests start from.
public func quantizeActivations(_ x: [Float]) -> (values: [Int8], scales: [Float]) {
    x.withUnsafeBufferPointer { source in
        withQuantizedRows(source.baseAddress!, rows: 1, columns: x.count) { q in
            (Array(UnsafeBufferPointer(start: q.values, count: q.paddedColumns)),
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

/// The exact int32 dot product of two blocks of 32 int8 values. Written as a plain loop on
/// purpose: LLVM vectorizes it into sign extensions to int16 and `vpmaddwd`.
@inline(__always)
private func blockDot(_ w: UnsafePointer<Int8>, _ x: UnsafePointer<Int8>) -> Int32 {
    var sum: Int32 = 0
    for p in 0..<Q8Matrix.blockSize { sum &+= Int32(w[p]) &* Int32(x[p]) }
    return sum
}

/// y[i · incY] = Σ_b dot_b · (d_w[i, b] · d_x[b]) for the rows `rows` of W and one quantized
/// activation row (`x` values, `xScales` one per block): four rows at a time, then one by one,
/// with the same operations per row either way.
private func q8Rows(_ rows: Range<Int>, of w: Q8Matrix, x: UnsafePointer<Int8>, xScales: UnsafePointer<Float>,
                    y: UnsafeMutablePointer<Float>, incY: Int) {
    let (blocks, stride, size) = (w.blocksPerRow, w.paddedColumns, Q8Matrix.blockSize)
    var i = rows.lowerBound
    while i &+ 4 <= rows.upperBound {
        let w0 = UnsafePointer(w.values + i &* stride), w1 = w0 + stride, w2 = w1 + stride, w3 = w2 + stride
        let s0 = UnsafePointer(w.scales + i &* blocks), s1 = s0 + blocks, s2 = s1 + blocks, s3 = s2 + blocks
        var a0: Float = 0, a1: Float = 0, a2: Float = 0, a3: Float = 0
        var b = 0
        while b < blocks {
            let offset = b &* size, xb = x + offset, d = xScales[b]
            a0 = a0.addingProduct(Float(blockDot(w0 + offset, xb)), s0[b] * d)
            a1 = a1.addingProduct(Float(blockDot(w1 + offset, xb)), s1[b] * d)
            a2 = a2.addingProduct(Float(blockDot(w2 + offset, xb)), s2[b] * d)
            a3 = a3.addingProduct(Float(blockDot(w3 + offset, xb)), s3[b] * d)
            b &+= 1
        }
        y[i &* incY] = a0; y[(i &+ 1) &* incY] = a1; y[(i &+ 2) &* incY] = a2; y[(i &+ 3) &* incY] = a3
        i &+= 4
    }
    while i < rows.upperBound {
        let w0 = UnsafePointer(w.values + i &* stride), s0 = UnsafePointer(w.scales + i &* blocks)
        var a0: Float = 0
        for b in 0..<blocks {
            let offset = b &* size
            a0 = a0.addingProduct(Float(blockDot(w0 + offset, x + offset)), s0[b] * xScales[b])
        }
        y[i &* incY] = a0
        i &+= 1
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
                for t in 0..<tokens {
                    q8Rows(group, of: matrix, x: values.base + t * stride, xScales: scales.base + t * blocks,
                           y: targets[m].base + t * ldy, incY: 1)
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
