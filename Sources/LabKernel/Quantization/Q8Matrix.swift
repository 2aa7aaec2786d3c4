// Q8_0: a weight matrix stored as blocks of 32 int8 values that share one scale.
//
// The format is llama.cpp's `Q8_0` (and llama2.c's `runq.c` with group size 32): each row of an
// (out, in) matrix is cut into blocks of 32 consecutive weights along `in`; a block keeps
// d = max|w| / 127 and the 32 integers q = round(w / d) in -127...127, and w is read back as q·d.
//
//     row i:  [ q₀ … q₃₁ | d₀ ] [ q₃₂ … q₆₃ | d₁ ] …      one scale per 32 weights
//
// Why this layout is fast. Decoding one token multiplies every weight matrix by one vector: two
// operations per weight read, so the time goes into streaming the weights from memory, not into
// arithmetic (MatrixVector.swift). A float32 weight costs 32 bits of that traffic; a Q8_0 weight
// costs 8 bits plus its share of the scale: 8.5 bits with the float16 scales of the file format,
// 9 bits with the float32 scales kept in memory (below). So a decoding step reads 32/9 = 3.6×
// fewer bytes of matrices (norms, biases and GPT-2's positions stay float32: a whole model shrinks
// 3.4× for lab-stories-4m, 3.55× for the stories110M shape). The blocks run along the
// dot-product dimension, so a block's 32 products are integer multiply-adds (exact in int32) and
// the scale is applied once per block: one float multiply-add per 32 weights. Blocks of 32 are
// small enough that one large weight does not flatten its neighbours to zero (the error bound is
// per block, d/2), and large enough that the scales cost little. Rows padded to a multiple of 32
// with zeros keep every block whole.
//
// In memory the values are one plane of int8 (rows × padded columns, row-major) and the scales
// a second plane of Float (rows × blocks). Planes rather than llama.cpp's interleaved 34-byte
// blocks: each plane is read sequentially, the int8 loads are at fixed strides, and the file
// stores the same two planes as two plain safetensors tensors (I8 and F16) that any reader
// understands. The scales are float16 on disk and widened once to Float when loaded: Swift has
// no `Float16` on x86-64 macOS, and converting in software once per block in the inner loop
// would cost more than the 6% of traffic that 16-bit scales save.
//
// Left out: other block formats (Q4_0, K-quants), per-channel scales, quantizing activations
// into a stored format (QuantizedProducts.swift quantizes them on the fly).

/// An (out, in) weight matrix in Q8_0 blocks: int8 values and one scale per 32 values of a row.
public final class Q8Matrix: @unchecked Sendable {  // immutable after init; the planes are read-only
    /// Weights per block.
    public static let blockSize = 32
    /// Rows of the matrix (outputs of the linear layer).
    public let rows: Int
    /// Columns (inputs); each row holds `blocksPerRow` blocks, the last one padded with zeros.
    public let columns: Int
    /// Blocks in one row: columns / 32, rounded up.
    public let blocksPerRow: Int
    /// rows × paddedColumns int8 values, row-major.
    let values: UnsafeMutablePointer<Int8>
    /// rows × blocksPerRow scales (each exactly a float16 value), row-major.
    let scales: UnsafeMutablePointer<Float>

    /// Columns including the padding of the last block: blocksPerRow · 32.
    public var paddedColumns: Int { blocksPerRow * Self.blockSize }

    /// Bytes of weight data in memory (values and scales): rows · (paddedColumns + 4 · blocksPerRow).
    public var byteCount: Int { rows * (paddedColumns + 4 * blocksPerRow) }

    private init(rows: Int, columns: Int) {
        precondition(rows > 0 && columns > 0, "Q8Matrix: needs at least one row and one column, got (\(rows), \(columns))")
        self.rows = rows
        self.columns = columns
        blocksPerRow = (columns + Self.blockSize - 1) / Self.blockSize
        values = .allocate(capacity: rows * blocksPerRow * Self.blockSize)
        values.initialize(repeating: 0, count: rows * blocksPerRow * Self.blockSize)
        scales = .allocate(capacity: rows * blocksPerRow)
        scales.initialize(repeating: 0, count: rows * blocksPerRow)
    }

    deinit {
        values.deallocate()
        scales.deallocate()
    }

    /// Quantizes a float32 weight matrix: `weight` (out, in) for `.outputsByInputs`, or GPT-2's
    /// (in, out) for `.inputsByOutputs`, which is read transposed so that the blocks always run
    /// along the inputs. Each block's scale is max|w|/127 rounded to float16 (the file's format),
    /// and the values are round(w / scale) with that rounded scale, so the per-element error is
    /// at most scale/2 (plus float rounding). A block of zeros gets scale 0 and values 0.
    /// - Throws: `QuantizationError.scaleOutOfRange` when a block's largest magnitude is beyond
    ///   what a float16 scale can hold (127 × 65504 ≈ 8.3 million) or not finite.
    public convenience init(quantizing weight: Tensor, layout: WeightLayout, name: String = "weight") throws {
        precondition(weight.rank == 2, "Q8Matrix: the weight must be a matrix, got \(weight.shape.shapeDescription)")
        let (outputs, inputs) = layout == .outputsByInputs ? (weight.shape[0], weight.shape[1]) : (weight.shape[1], weight.shape[0])
        self.init(rows: outputs, columns: inputs)
        let size = Self.blockSize
        try weight.withUnsafeBufferPointer { w in
            var block = [Float](repeating: 0, count: size)
            for i in 0..<outputs {
                for b in 0..<blocksPerRow {
                    let start = b * size, count = min(size, inputs - start)
                    for p in 0..<size {  // the block's weights, zeros past the last column
                        let column = start + p
                        block[p] = p < count ? (layout == .outputsByInputs ? w[i * inputs + column] : w[column * outputs + i]) : 0
                    }
                    let scale = quantizeBlock(block, into: values + (i * blocksPerRow + b) * size, roundingScaleToHalf: true)
                    guard scale.isFinite else {
                        throw QuantizationError.scaleOutOfRange(name: name, row: i, block: b, maximum: block.map(abs).max() ?? 0)
                    }
                    scales[i * blocksPerRow + b] = scale
                }
            }
        }
    }

    /// A matrix from stored planes (a quantized folder): `values` rows × paddedColumns int8,
    /// `scaleBits` rows × blocksPerRow float16 bit patterns. The caller has checked the counts.
    convenience init(rows: Int, columns: Int, values source: UnsafeRawBufferPointer, scaleBits: (Int) -> UInt16) {
        self.init(rows: rows, columns: columns)
        precondition(source.count == rows * paddedColumns, "Q8Matrix: \(source.count) values for \(rows) × \(paddedColumns)")
        if let base = source.baseAddress {
            UnsafeMutableRawPointer(values).copyMemory(from: base, byteCount: source.count)
        }
        for i in 0..<(rows * blocksPerRow) { scales[i] = floatFromHalfBits(scaleBits(i)) }
    }

    /// The int8 values of row `i`, block by block (paddedColumns of them).
    public func values(ofRow i: Int) -> [Int8] {
        precondition(i >= 0 && i < rows, "Q8Matrix: row \(i) outside 0..<\(rows)")
        return Array(UnsafeBufferPointer(start: values + i * paddedColumns, count: paddedColumns))
    }

    /// The scales of row `i`, one per block.
    public func scales(ofRow i: Int) -> [Float] {
        precondition(i >= 0 && i < rows, "Q8Matrix: row \(i) outside 0..<\(rows)")
        return Array(UnsafeBufferPointer(start: scales + i * blocksPerRow, count: blocksPerRow))
    }

    /// The float16 bit patterns of every scale, row-major (rows × blocksPerRow): what the file stores.
    public var scaleBits: [UInt16] { (0..<(rows * blocksPerRow)).map { halfBits(from: scales[$0]) } }

    /// All int8 values, row-major (rows × paddedColumns): what the file stores.
    public var allValues: [Int8] { Array(UnsafeBufferPointer(start: values, count: rows * paddedColumns)) }

    /// Row `i` read back as floats, q·d for each of its `columns` weights (the padding left out).
    /// An embedding lookup in a quantized model is this.
    public func dequantizedRow(_ i: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: columns) { buffer, initialized in
            dequantizeRow(i, into: buffer.baseAddress!)
            initialized = columns
        }
    }

    /// `dequantizedRow` into raw memory (`columns` floats).
    func dequantizeRow(_ i: Int, into output: UnsafeMutablePointer<Float>) {
        let row = values + i * paddedColumns, rowScales = scales + i * blocksPerRow
        for p in 0..<columns { output[p] = Float(row[p]) * rowScales[p / Self.blockSize] }
    }

    /// The whole matrix read back as floats, (rows, columns) = (out, in).
    public func dequantized() -> Tensor {
        var scalars: [Float] = []
        scalars.reserveCapacity(rows * columns)
        for i in 0..<rows { scalars += dequantizedRow(i) }
        return Tensor(shape: [rows, columns], scalars: scalars)
    }
}

/// Quantizes one block of 32 floats into `q` and returns its scale d: d = max|x|/127 (rounded to
/// float16 and back when `roundingScaleToHalf`, as stored weights are), q = round(x/d) clamped
/// to -127...127. The largest element maps to ±127 (or ±127 after the scale's rounding), every
/// element's error |x - q·d| is at most d/2 up to float rounding, and -128 never occurs, so a
/// product of two values fits in 15 bits and a sum of two products in int16.
@inline(__always)
func quantizeBlock(_ x: UnsafePointer<Float>, into q: UnsafeMutablePointer<Int8>, roundingScaleToHalf: Bool) -> Float {
    var maximum: Float = 0
    for p in 0..<Q8Matrix.blockSize { maximum = max(maximum, abs(x[p])) }
    var scale = maximum / 127
    if roundingScaleToHalf { scale = floatFromHalfBits(halfBits(from: scale)) }
    let inverse: Float = scale > 0 ? 1 / scale : 0
    for p in 0..<Q8Matrix.blockSize {
        q[p] = Int8(max(-127, min(127, (x[p] * inverse).rounded(.toNearestOrEven))))
    }
    return scale
}

/// `quantizeBlock` of a 32-float array.
func quantizeBlock(_ x: [Float], into q: UnsafeMutablePointer<Int8>, roundingScaleToHalf: Bool) -> Float {
    precondition(x.count == Q8Matrix.blockSize, "quantizeBlock: a block has \(Q8Matrix.blockSize) values, got \(x.count)")
    return x.withUnsafeBufferPointer { quantizeBlock($0.baseAddress!, into: q, roundingScaleToHalf: roundingScaleToHalf) }
}
