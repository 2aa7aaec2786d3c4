// The training path's kernels on raw memory: linear layers forward and backward, norms and
// activations with their backward rules, attention per head, and softmax fused with cross-entropy.
//
// Each works on row-major (rows, width) blocks of floats and threads over rows (or columns, for
// sums over rows) with `Parallel`; sums over rows are taken in row order, whatever the thread
// count, so a training step gives the same bits on 1 thread or 2. The rules are the tape's
// (Autograd/), written for whole blocks at once; TrainableTransformer chains them.
//
// Left out: dropout, and kernels for families the kit does not train.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Linear layers

/// y (rows, outputs) = x (rows, inputs) · W, with W stored per `layout` ((outputs, inputs) for
/// `.outputsByInputs`, read transposed), plus `bias` (outputs) on every row when given.
/// `ldy` is y's row stride (≥ outputs).
func linearForward(_ x: UnsafePointer<Float>, rows: Int, inputs: Int, outputs: Int,
                   weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, layout: WeightLayout,
                   into y: UnsafeMutablePointer<Float>, ldy: Int? = nil) {
    let ldy = ldy ?? outputs
    gemm(m: rows, n: outputs, k: inputs, a: x, lda: inputs,
         b: weight, ldb: layout == .outputsByInputs ? inputs : outputs,
         transposeB: layout == .outputsByInputs ? .transposed : .none, c: y, ldc: ldy)
    if let bias { addRowVector(bias, to: y, rows: rows, columns: outputs, stride: ldy) }
}

/// The backward pass of `linearForward`, from dy (rows, outputs) with row stride `ldy`:
/// dW += xᵀ·dy (stored in W's layout; skipped when `weightGradient` is nil, for a frozen W),
/// db += Σ rows of dy (when `biasGradient` is given), and dx = dy·Wᵀ (overwritten; skipped when
/// `inputGradient` is nil).
func linearBackward(_ dy: UnsafePointer<Float>, ldy: Int? = nil, x: UnsafePointer<Float>, rows: Int, inputs: Int,
                    outputs: Int, weight: UnsafePointer<Float>, layout: WeightLayout,
                    weightGradient: UnsafeMutablePointer<Float>?, biasGradient: UnsafeMutablePointer<Float>?,
                    inputGradient: UnsafeMutablePointer<Float>?) {
    let ldy = ldy ?? outputs
    switch layout {
    case .outputsByInputs:  // W (out, in): dW += dyᵀ·x, dx = dy·W
        if let weightGradient {
            gemm(m: outputs, n: inputs, k: rows, a: dy, lda: ldy, transposeA: .transposed,
                 b: x, ldb: inputs, c: weightGradient, ldc: inputs, accumulate: true)
        }
        if let dx = inputGradient {
            gemm(m: rows, n: inputs, k: outputs, a: dy, lda: ldy, b: weight, ldb: inputs, c: dx, ldc: inputs)
        }
    case .inputsByOutputs:  // W (in, out): dW += xᵀ·dy, dx = dy·Wᵀ
        if let weightGradient {
            gemm(m: inputs, n: outputs, k: rows, a: x, lda: inputs, transposeA: .transposed,
                 b: dy, ldb: ldy, c: weightGradient, ldc: outputs, accumulate: true)
        }
        if let dx = inputGradient {
            gemm(m: rows, n: inputs, k: outputs, a: dy, lda: ldy, b: weight, ldb: outputs, transposeB: .transposed,
                 c: dx, ldc: inputs)
        }
    }
    if let db = biasGradient { addColumnSums(dy, rows: rows, columns: outputs, stride: ldy, into: db) }
}

/// y[r, j] += v[j] for every row r.
func addRowVector(_ v: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int) {
    let (vector, out) = (SendableConstPointer(v), SendablePointer(y))
    Parallel.forEachChunk(rows, costPerItem: columns) { range in
        for r in range { addScaled(1, vector.base, to: out.base + r * stride, count: columns) }
    }
}

/// s[j] += Σ over rows r of x[r, j], each column summed in row order (threads split the columns).
func addColumnSums(_ x: UnsafePointer<Float>, rows: Int, columns: Int, stride: Int, into s: UnsafeMutablePointer<Float>) {
    let (input, sums) = (SendableConstPointer(x), SendablePointer(s))
    let blocks = (columns + 15) / 16
    Parallel.forEachChunk(blocks, costPerItem: 16 * rows) { range in
        let start = range.lowerBound * 16, count = min(columns, range.upperBound * 16) - start
        for r in 0..<rows { addScaled(1, input.base + r * stride + start, to: sums.base + start, count: count) }
    }
}

// MARK: - Norms

/// LayerNorm (`centered`, with `bias`) or RMSNorm of each row of x (rows, width) into y, keeping
/// each row's mean and 1/deviation for the backward pass. The same arithmetic as the inference
/// norms (`normalizeRow`, statistics in Double).
func normForward(_ x: UnsafePointer<Float>, rows: Int, width: Int, weight: UnsafePointer<Float>,
                 bias: UnsafePointer<Float>?, epsilon: Float, centered: Bool, into y: UnsafeMutablePointer<Float>,
                 means: UnsafeMutablePointer<Float>, inverseDeviations: UnsafeMutablePointer<Float>) {
    let (input, out, w) = (SendableConstPointer(x), SendablePointer(y), SendableConstPointer(weight))
    let b = bias.map(SendableConstPointer.init)
    let (meanOut, inverseOut) = (SendablePointer(means), SendablePointer(inverseDeviations))
    Parallel.forEachChunk(rows, costPerItem: 8 * width) { range in
        for r in range {
            let (mean, inverse) = normalizeRow(input.base + r * width, into: out.base + r * width, width: width,
                                               weight: w.base, bias: b?.base, epsilon: epsilon, centered: centered)
            meanOut.base[r] = Float(mean)
            inverseOut.base[r] = inverse
        }
    }
}

/// The backward pass of `normForward` from dy: with x̂ = (x − mean)·s (s = 1/deviation),
/// dw += Σ rows dy⊙x̂, db += Σ rows dy, and
///
///     dx = s·(dx̂ − mean(dx̂) − x̂·mean(dx̂⊙x̂)),   dx̂ = dy⊙w     (RMSNorm: without the mean(dx̂) term)
///
/// `accumulate`: add dx into `inputGradient` (the residual stream's gradient) instead of writing it.
/// A nil `weightGradient` (a frozen norm) skips dw and db.
func normBackward(_ dy: UnsafePointer<Float>, x: UnsafePointer<Float>, rows: Int, width: Int,
                  weight: UnsafePointer<Float>, means: UnsafePointer<Float>, inverseDeviations: UnsafePointer<Float>,
                  centered: Bool, weightGradient: UnsafeMutablePointer<Float>?, biasGradient: UnsafeMutablePointer<Float>?,
                  inputGradient: UnsafeMutablePointer<Float>, accumulate: Bool) {
    let (gradient, input, w) = (SendableConstPointer(dy), SendableConstPointer(x), SendableConstPointer(weight))
    let (mean, inverse) = (SendableConstPointer(means), SendableConstPointer(inverseDeviations))
    let dx = SendablePointer(inputGradient)
    // dw and db: columns split across threads, each summed over rows in order.
    if let weightGradient {
        let dw = SendablePointer(weightGradient), db = biasGradient.map(SendablePointer.init)
        normParameterGradients(gradient, input, mean, inverse, rows: rows, width: width, dw: dw, db: db)
    }
    // dx: rows split across threads.
    Parallel.forEachChunk(rows, costPerItem: 12 * width) { range in
        for r in range {
            let (row, g, out) = (input.base + r * width, gradient.base + r * width, dx.base + r * width)
            let (m, s) = (mean.base[r], inverse.base[r])
            var sum: Float = 0, dot: Float = 0
            for j in 0..<width {
                let d = g[j] * w.base[j]
                sum += d
                dot += d * ((row[j] - m) * s)
            }
            let (meanD, meanDot) = (centered ? sum / Float(width) : 0, dot / Float(width))
            for j in 0..<width {
                let value = s * (g[j] * w.base[j] - meanD - ((row[j] - m) * s) * meanDot)
                out[j] = accumulate ? out[j] + value : value
            }
        }
    }
}

/// A norm's dw += Σ rows dy⊙x̂ and db += Σ rows dy: columns split across threads, each summed over
/// rows in order.
private func normParameterGradients(_ gradient: SendableConstPointer<Float>, _ input: SendableConstPointer<Float>,
                                    _ mean: SendableConstPointer<Float>, _ inverse: SendableConstPointer<Float>,
                                    rows: Int, width: Int, dw: SendablePointer<Float>, db: SendablePointer<Float>?) {
    let blocks = (width + 15) / 16
    Parallel.forEachChunk(blocks, costPerItem: 48 * rows) { range in
        let start = range.lowerBound * 16, end = min(width, range.upperBound * 16)
        for r in 0..<rows {
            let (row, g) = (input.base + r * width, gradient.base + r * width)
            let (m, s) = (mean.base[r], inverse.base[r])
            for j in start..<end {
                dw.base[j] += g[j] * ((row[j] - m) * s)
                db?.base[j] += g[j]
            }
        }
    }
}

// MARK: - Activations

private let sqrtTwoOverPi: Float = 0.797_884_56
private let geluCubic: Float = 0.044715

/// y = activation(x) for `count` floats (GELU's two forms or SiLU), 16 at a time where the form allows.
func activationForward(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int,
                       _ activation: TransformerConfig.Activation) {
    let (input, out) = (SendableConstPointer(x), SendablePointer(y))
    Parallel.forEachChunk((count + 15) / 16, costPerItem: 16 * 20) { range in
        let start = range.lowerBound * 16, end = min(count, range.upperBound * 16)
        var i = start
        switch activation {
        case .geluTanh, .silu:
            while i < end {
                let n = min(16, end - i)
                let v = n == 16 ? load16(input.base + i) : padded(input.base + i, n)
                // GELU (tanh): x·σ(2u); SiLU: x·σ(x). σ(z) = 1/(1 + e^(−z)).
                let z = activation == .silu ? v : 2 * sqrtTwoOverPi * (v + geluCubic * v * v * v)
                let result = v / (1 + exponential(-z))
                if n == 16 { store16(result, out.base + i) } else { for j in 0..<n { out.base[i + j] = result[j] } }
                i += n
            }
        case .gelu:
            for j in start..<end { out.base[j] = gelu(input.base[j], approximation: .none) }
        }
    }
}

/// dx = dy ⊙ activation′(x), overwriting dx (dy and dx may be the same memory).
func activationBackward(_ dy: UnsafePointer<Float>, x: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>,
                        count: Int, _ activation: TransformerConfig.Activation) {
    let (gradient, input, out) = (SendableConstPointer(dy), SendableConstPointer(x), SendablePointer(dx))
    Parallel.forEachChunk((count + 15) / 16, costPerItem: 16 * 30) { range in
        let start = range.lowerBound * 16, end = min(count, range.upperBound * 16)
        var i = start
        switch activation {
        case .geluTanh, .silu:
            while i < end {
                let n = min(16, end - i)
                let v = n == 16 ? load16(input.base + i) : padded(input.base + i, n)
                let g = n == 16 ? load16(gradient.base + i) : padded(gradient.base + i, n)
                let e: SIMD16<Float>, inner: SIMD16<Float>
                if activation == .silu {
                    e = exponential(-v)
                    inner = SIMD16<Float>(repeating: 1)
                } else {
                    e = exponential(-2 * sqrtTwoOverPi * (v + geluCubic * v * v * v))
                    inner = 2 * sqrtTwoOverPi * (1 + 3 * geluCubic * v * v)  // dz/dx
                }
                // σ = 1/(1 + e) and 1 − σ = 1/(1 + 1/e), each formed directly (no cancellation, no NaN).
                let s = 1 / (1 + e), oneMinusS = 1 / (1 + 1 / e)
                let derivative = s + v * s * oneMinusS * inner  // d/dx x·σ(z) = σ + x·σ(1 − σ)·z′
                let result = g * derivative
                if n == 16 { store16(result, out.base + i) } else { for j in 0..<n { out.base[i + j] = result[j] } }
                i += n
            }
        case .gelu:
            let inverseSqrtTwo: Float = 0.707_106_78, inverseSqrtTwoPi: Float = 0.398_942_28
            for j in start..<end {
                let v = input.base[j]
                let derivative = 0.5 * erfcf(-v * inverseSqrtTwo) + v * inverseSqrtTwoPi * expf(-0.5 * v * v)
                out.base[j] = gradient.base[j] * derivative
            }
        }
    }
}

/// The first `count` (< 16) floats at x in a vector, the other lanes 0.
@inline(__always)
private func padded(_ x: UnsafePointer<Float>, _ count: Int) -> SIMD16<Float> {
    var v = SIMD16<Float>(repeating: 0)
    for j in 0..<count { v[j] = x[j] }
    return v
}

// MARK: - Softmax with cross-entropy

/// Fused softmax and cross-entropy over logits (rows, V), in place: returns the sum of the counted
/// rows' losses (logsumexp(z) − z_y, in Double) and leaves in each row its gradient
/// `scale·(softmax(z) − onehot(y))`, or zeros where the target is `ignoreIndex`. The logits
/// (rows·V floats, the largest activation of a small model) are never copied.
func softmaxCrossEntropy(_ logits: UnsafeMutablePointer<Float>, rows: Int, classes: Int, targets: UnsafePointer<Int>,
                         ignoreIndex: Int?, scale: Float, rowLosses: UnsafeMutablePointer<Double>) -> Double {
    let (z, y, losses) = (SendablePointer(logits), SendableConstPointer(targets), SendablePointer(rowLosses))
    Parallel.forEachChunk(rows, costPerItem: 8 * classes) { range in
        for r in range {
            let row = z.base + r * classes, target = y.base[r]
            if target == ignoreIndex {
                row.update(repeating: 0, count: classes)
                losses.base[r] = 0
                continue
            }
            let maximum = maximumElement(row, count: classes)
            let targetLogit = row[target]
            addScalar(-maximum, row, count: classes)
            exponential(row, into: row, count: classes)
            let sum = sumInDouble(row, count: classes)
            losses.base[r] = (Double(maximum) - Double(targetLogit)) + log(sum)
            let factor = scale / Float(sum)
            for j in 0..<classes { row[j] *= factor }
            row[target] -= scale
        }
    }
    var total = 0.0
    for r in 0..<rows { total += rowLosses[r] }
    return total
}

/// The largest of `count` floats (at least one).
private func maximumElement(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var lanes = SIMD16<Float>(repeating: -.infinity), i = 0
    while i + 16 <= count { lanes = pointwiseMax(lanes, load16(x + i)); i += 16 }
    var result = lanes.max()
    while i < count { result = max(result, x[i]); i += 1 }
    return result
}

/// x[i] += s for i in 0..<count.
private func addScalar(_ s: Float, _ x: UnsafeMutablePointer<Float>, count: Int) {
    let shift = SIMD16<Float>(repeating: s)
    var i = 0
    while i + 16 <= count { store16(load16(x + i) + shift, x + i); i += 16 }
    while i < count { x[i] += s; i += 1 }
}

/// Σ x[i] in Double: 16 lanes of Float partial sums over blocks of 256 elements, each block's
/// sum added in Double (for a softmax's terms in [0, 1] a block's rounding error is ~1e-6 relative).
private func sumInDouble(_ x: UnsafePointer<Float>, count: Int) -> Double {
    var total = 0.0, i = 0
    while i < count {
        let end = min(count, i + 256)
        var lanes = SIMD16<Float>(repeating: 0)
        while i + 16 <= end { lanes += load16(x + i); i += 16 }
        var partial = Double(horizontalSum(lanes))
        while i < end { partial += Double(x[i]); i += 1 }
        total += partial
    }
    return total
}

// MARK: - Attention

/// Where one batch of attention inputs lives: q, k and v side by side in each row of a
/// (B·T, width) block (q heads at column 0, k heads at H·D, v heads at (H + KVH)·D), the output
/// (B·T, H·D), and the probabilities (B, H, T, T) kept for the backward pass.
struct AttentionBatch {
    let batch: Int, context: Int
    let shape: AttentionShape
    var rowWidth: Int { (shape.heads + 2 * shape.kvHeads) * shape.headSize }
    var keyColumn: Int { shape.heads * shape.headSize }
    var valueColumn: Int { (shape.heads + shape.kvHeads) * shape.headSize }
    var outputWidth: Int { shape.heads * shape.headSize }
}

/// Causal attention for every (sequence, head): scores Q·Kᵀ/√D as a (T, T) product, the mask
/// and softmax row by row (kept in `probabilities`), then P·V into `output`.
func attentionForward(_ a: AttentionBatch, qkv: UnsafePointer<Float>, probabilities: UnsafeMutablePointer<Float>,
                      output: UnsafeMutablePointer<Float>) {
    let (t, d, heads) = (a.context, a.shape.headSize, a.shape.heads)
    let scale = 1 / Float(d).squareRoot()
    let (input, p, out) = (SendableConstPointer(qkv), SendablePointer(probabilities), SendablePointer(output))
    Parallel.forEachTask(a.batch * heads) { item in
        let (b, h) = (item / heads, item % heads)
        let g = a.shape.kvHead(for: h)
        let rows = input.base + b * t * a.rowWidth
        let q = rows + h * d, k = rows + a.keyColumn + g * d, v = rows + a.valueColumn + g * d
        let probs = p.base + item * t * t
        gemm(m: t, n: t, k: d, a: q, lda: a.rowWidth, transposeA: .none, b: k, ldb: a.rowWidth, transposeB: .transposed,
             c: probs, ldc: t, accumulate: false, threads: 1)
        for i in 0..<t {
            let row = probs + i * t
            let visible = a.shape.visibleKeys(at: i)
            var maximum = -Float.infinity
            for j in visible { row[j] *= scale; maximum = max(maximum, row[j]) }
            for j in visible { row[j] -= maximum }
            exponential(row + visible.lowerBound, into: row + visible.lowerBound, count: visible.count)
            var total: Float = 0
            for j in visible { total += row[j] }
            let inverse = 1 / total
            for j in visible { row[j] *= inverse }
            for j in 0..<visible.lowerBound { row[j] = 0 }
            for j in visible.upperBound..<t { row[j] = 0 }
        }
        gemm(m: t, n: d, k: t, a: probs, lda: t, transposeA: .none, b: v, ldb: a.rowWidth, transposeB: .none,
             c: out.base + b * t * a.outputWidth + h * d, ldc: a.outputWidth, accumulate: false, threads: 1)
    }
}

/// The backward pass of `attentionForward`: from dO (B·T, H·D) to dQ, dK, dV written into
/// `qkvGradient` (same layout as qkv). Per head, with P the kept probabilities:
///
///     dV = Pᵀ·dO    dP = dO·Vᵀ    dS = P ⊙ (dP − rowsum(dP ⊙ P)) / √D    dQ = dS·K    dK = dSᵀ·Q
///
/// One task per (sequence, KV head), so the query heads that share a KV head add their dK and dV
/// in order on one thread.
func attentionBackward(_ a: AttentionBatch, qkv: UnsafePointer<Float>, probabilities: UnsafePointer<Float>,
                       outputGradient: UnsafePointer<Float>, qkvGradient: UnsafeMutablePointer<Float>) {
    let (t, d, heads, kvHeads) = (a.context, a.shape.headSize, a.shape.heads, a.shape.kvHeads)
    let scale = 1 / Float(d).squareRoot()
    let group = heads / kvHeads
    let (input, p, dOut, dIn) = (SendableConstPointer(qkv), SendableConstPointer(probabilities),
                                 SendableConstPointer(outputGradient), SendablePointer(qkvGradient))
    Parallel.forEachTask(a.batch * kvHeads) { item in
        let (b, g) = (item / kvHeads, item % kvHeads)
        let dScores = UnsafeMutablePointer<Float>.allocate(capacity: t * t)
        defer { dScores.deallocate() }
        let rows = input.base + b * t * a.rowWidth, dRows = dIn.base + b * t * a.rowWidth
        let k = rows + a.keyColumn + g * d, v = rows + a.valueColumn + g * d
        let dk = dRows + a.keyColumn + g * d, dv = dRows + a.valueColumn + g * d
        for h in (g * group)..<((g + 1) * group) {
            let first = h == g * group
            let probs = p.base + (b * heads + h) * t * t
            let dO = dOut.base + b * t * a.outputWidth + h * d
            // dV (+)= Pᵀ·dO; dP = dO·Vᵀ
            gemm(m: t, n: d, k: t, a: probs, lda: t, transposeA: .transposed, b: dO, ldb: a.outputWidth, transposeB: .none,
                 c: dv, ldc: a.rowWidth, accumulate: !first, threads: 1)
            gemm(m: t, n: t, k: d, a: dO, lda: a.outputWidth, transposeA: .none, b: v, ldb: a.rowWidth,
                 transposeB: .transposed, c: dScores, ldc: t, accumulate: false, threads: 1)
            // dS = P ⊙ (dP − rowsum(dP ⊙ P)) / √D, only where P can be non-zero.
            for i in 0..<t {
                let (pRow, dRow) = (probs + i * t, dScores + i * t)
                let visible = a.shape.visibleKeys(at: i)
                var dot: Float = 0
                for j in visible { dot += dRow[j] * pRow[j] }
                for j in 0..<t { dRow[j] = pRow[j] * (dRow[j] - dot) * scale }
            }
            // dQ = dS·K; dK (+)= dSᵀ·Q
            gemm(m: t, n: d, k: t, a: dScores, lda: t, transposeA: .none, b: k, ldb: a.rowWidth, transposeB: .none,
                 c: dRows + h * d, ldc: a.rowWidth, accumulate: false, threads: 1)
            gemm(m: t, n: d, k: t, a: dScores, lda: t, transposeA: .transposed, b: rows + h * d, ldb: a.rowWidth,
                 transposeB: .none, c: dk, ldc: a.rowWidth, accumulate: !first, threads: 1)
        }
    }
}

/// RoPE on the q and k heads of each row of a (B·T, rowWidth) block, row r at position r mod T;
/// `inverse` rotates back (the backward rule).
func rotateQueriesAndKeys(_ x: UnsafeMutablePointer<Float>, _ a: AttentionBatch, table: RotaryTable, inverse: Bool) {
    let (heads, kvHeads, size) = (a.shape.heads, a.shape.kvHeads, a.shape.headSize)
    let rows = SendablePointer(x)
    Parallel.forEachChunk(a.batch * a.context, costPerItem: 6 * (heads + kvHeads) * size) { range in
        for r in range {
            let row = rows.base + r * a.rowWidth, position = r % a.context
            applyRotary(row, rows: 1, heads: heads, startPosition: position, table: table, inverse: inverse)
            applyRotary(row + a.keyColumn, rows: 1, heads: kvHeads, startPosition: position, table: table, inverse: inverse)
        }
    }
}
