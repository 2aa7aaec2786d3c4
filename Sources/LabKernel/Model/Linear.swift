// Linear layers in the two weight layouts found in Hugging Face checkpoints.
//
// PyTorch's `nn.Linear` stores its weight (out, in) and computes x·Wᵀ; GPT-2's `Conv1D` stores
// (in, out) and computes x·W. We keep each checkpoint's layout as loaded and let `gemm` read the
// weight transposed when needed, so no transposed copy is ever made. For one row (decoding,
// T = 1) `gemm` takes its matrix-vector path.
//
// Inference reads a layer's weight as a `LinearWeight`: float32 in the checkpoint's layout, or
// int8 Q8_0 blocks (Quantization/), always (out, in); training uses the float Tensors directly.
//
// Also here: column slices, which split GPT-2's fused q/k/v output and a head out of (T, H·D).

/// How a linear layer's weight matrix is stored.
public enum WeightLayout: Sendable {
    /// (out, in), `nn.Linear` (Llama, Qwen2, every LM head): y = x·Wᵀ.
    case outputsByInputs
    /// (in, out), GPT-2's `Conv1D`: y = x·W.
    case inputsByOutputs
}

/// A linear layer's weight as inference reads it.
public enum LinearWeight: Sendable {
    /// float32, stored as the checkpoint stores it.
    case float(Tensor, WeightLayout)
    /// Q8_0 blocks, (out, in) whatever the checkpoint's layout (QuantizedProducts.swift).
    case q8(Q8Matrix)

    /// The layer's output width.
    public var outputs: Int {
        switch self {
        case .float(let w, let layout): return layout == .outputsByInputs ? w.shape[0] : w.shape[1]
        case .q8(let w): return w.rows
        }
    }
}

/// y = x·W (+ b) with either kind of weight: x (T, in) -> (T, out).
func linear(_ x: Tensor, weight: LinearWeight, bias: Tensor?) -> Tensor {
    switch weight {
    case .float(let w, let layout): return linear(x, weight: w, bias: bias, layout: layout)
    case .q8(let w):
        precondition(x.rank == 2 && x.shape[1] == w.columns,
                     "linear: x \(x.shape.shapeDescription) does not fit the quantized weight (\(w.rows), \(w.columns)) stored (out, in)")
        var result = Tensor.zeros([x.shape[0], w.rows])
        x.withUnsafeBufferPointer { a in
            result.withUnsafeMutableBufferPointer { c in
                q8Linear(a.baseAddress!, rows: x.shape[0], weight: w, bias: bias, into: c.baseAddress!)
            }
        }
        return result
    }
}

/// `linear` on raw memory with either kind of weight: x (rows, in) -> y (rows, out).
func linear(_ x: UnsafePointer<Float>, rows: Int, weight: LinearWeight, bias: Tensor?, into y: UnsafeMutablePointer<Float>) {
    switch weight {
    case .float(let w, let layout): linear(x, rows: rows, weight: w, bias: bias, layout: layout, into: y)
    case .q8(let w): q8Linear(x, rows: rows, weight: w, bias: bias, into: y)
    }
}

/// `linearOnOneRow` with either kind of weight: all Q8 (one quantized pass), or all float (out, in).
func linearOnOneRow(_ x: UnsafePointer<Float>, _ layers: [(weight: LinearWeight, bias: Tensor?)],
                    into y: UnsafeMutablePointer<Float>) {
    let quantized = layers.compactMap { layer -> (weight: Q8Matrix, bias: Tensor?)? in
        if case .q8(let w) = layer.weight { return (w, layer.bias) } else { return nil }
    }
    if quantized.count == layers.count { return q8LinearOnOneRow(x, quantized, into: y) }
    let float = layers.map { layer -> (weight: Tensor, bias: Tensor?) in
        guard case .float(let w, .outputsByInputs) = layer.weight else {
            preconditionFailure("linearOnOneRow: mixes float and quantized weights, or a float weight stored (in, out)")
        }
        return (w, layer.bias)
    }
    linearOnOneRow(x, float, into: y)
}

/// y = x·W (+ b): x (T, in), W per `layout`, b (out) or nil -> (T, out).
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?, layout: WeightLayout) -> Tensor {
    let (rows, inputs) = (x.shape[0], x.shape[1])
    let outputs = layout == .outputsByInputs ? weight.shape[0] : weight.shape[1]
    let storedInputs = layout == .outputsByInputs ? weight.shape[1] : weight.shape[0]
    precondition(x.rank == 2 && weight.rank == 2 && storedInputs == inputs,
                 "linear: x \(x.shape.shapeDescription) does not fit weight \(weight.shape.shapeDescription) stored \(layout == .outputsByInputs ? "(out, in)" : "(in, out)")")
    var result = Tensor.zeros([rows, outputs])
    x.withUnsafeBufferPointer { a in
        result.withUnsafeMutableBufferPointer { c in
            linear(a.baseAddress!, rows: rows, weight: weight, bias: bias, layout: layout, into: c.baseAddress!)
        }
    }
    return result
}

/// `linear` on raw memory: x (rows, in) -> y (rows, out), the weight's shape giving in and out.
/// The decoding path (TransformerModel+Decoding.swift) calls it on rows of its scratch memory.
func linear(_ x: UnsafePointer<Float>, rows: Int, weight: Tensor, bias: Tensor?, layout: WeightLayout,
            into y: UnsafeMutablePointer<Float>) {
    let (outputs, inputs) = layout == .outputsByInputs ? (weight.shape[0], weight.shape[1]) : (weight.shape[1], weight.shape[0])
    weight.withUnsafeBufferPointer { w in
        gemm(m: rows, n: outputs, k: inputs, a: x, lda: inputs,
             b: w.baseAddress!, ldb: layout == .outputsByInputs ? inputs : outputs,
             transposeB: layout == .outputsByInputs ? .transposed : .none,
             c: y, ldc: outputs)
    }
    if let bias {
        precondition(bias.shape == [outputs], "linear: bias must be (\(outputs)), got \(bias.shape.shapeDescription)")
        bias.withUnsafeBufferPointer { b in
            for r in 0..<rows { for j in 0..<outputs { y[r * outputs + j] += b[j] } }
        }
    }
}

/// Several (out, in) linear layers applied to one row x (in floats): their outputs (biases
/// added) one after another in y, the same numbers as separate `linear` calls, computed in one
/// parallel pass over all their weight rows (decoding: q, k and v; the gate and up projections).
func linearOnOneRow(_ x: UnsafePointer<Float>, _ layers: [(weight: Tensor, bias: Tensor?)],
                    into y: UnsafeMutablePointer<Float>) {
    let inputs = layers[0].weight.shape[1]
    precondition(layers.allSatisfy { $0.weight.rank == 2 && $0.weight.shape[1] == inputs },
                 "linearOnOneRow: the weights must share their input width, got \(layers.map(\.weight.shape.shapeDescription))")
    let rowCounts = layers.map { $0.weight.shape[0] }
    withUnsafePointers(to: layers.map(\.weight)) { matrices in
        stackedMatrixVectorProduct(matrices: matrices, rowCounts: rowCounts, depth: inputs, x: x, y: y,
                                   threads: Parallel.threadCount)
    }
    var start = 0
    for (layer, count) in zip(layers, rowCounts) {
        if let bias = layer.bias {
            precondition(bias.shape == [count], "linearOnOneRow: bias must be (\(count)), got \(bias.shape.shapeDescription)")
            bias.withUnsafeBufferPointer { b in
                for j in 0..<count { y[start + j] += b[j] }
            }
        }
        start += count
    }
}

/// Calls `body` with the base addresses of every tensor's storage, valid during the call.
private func withUnsafePointers<R>(to tensors: [Tensor], _ body: ([UnsafePointer<Float>]) -> R) -> R {
    func nest(_ index: Int, _ pointers: [UnsafePointer<Float>]) -> R {
        guard index < tensors.count else { return body(pointers) }
        return tensors[index].withUnsafeBufferPointer { nest(index + 1, pointers + [$0.baseAddress!]) }
    }
    return nest(0, [])
}

/// Differentiable linear layer with the same contract; gradients through the autograd matmuls.
public func linear(_ x: Variable, weight: Variable, bias: Variable?, layout: WeightLayout) -> Variable {
    let product = layout == .outputsByInputs ? matmul(x, transposed: weight) : matmul(x, weight)
    guard let bias else { return product }
    return product + bias  // (T, out) + (out) broadcasts over rows
}

/// Columns `range` of a (T, N) matrix -> (T, range.count).
func columnSlice(_ x: Tensor, _ range: Range<Int>) -> Tensor {
    precondition(x.rank == 2 && range.lowerBound >= 0 && range.upperBound <= x.shape[1],
                 "columns: range \(range) outside the columns of \(x.shape.shapeDescription)")
    let (rows, width, count) = (x.shape[0], x.shape[1], range.count)
    var result = [Float](repeating: 0, count: rows * count)
    x.withUnsafeBufferPointer { source in
        for r in 0..<rows {
            for j in 0..<count { result[r * count + j] = source[r * width + range.lowerBound + j] }
        }
    }
    return Tensor(shape: [rows, count], scalars: result)
}

/// Differentiable column slice, (T, N) -> (T, range.count); the backward rule scatters the
/// gradient back into those columns (zeros elsewhere).
public func columns(_ x: Variable, _ range: Range<Int>) -> Variable {
    let (rows, width, count) = (x.shape[0], x.shape[1], range.count)
    return Variable.record("columns", columnSlice(x.value, range), inputs: [x]) { g in
        var dx = [Float](repeating: 0, count: rows * width)
        g.withUnsafeBufferPointer { source in
            for r in 0..<rows {
                for j in 0..<count { dx[r * width + range.lowerBound + j] = source[r * count + j] }
            }
        }
        return [Tensor(shape: [rows, width], scalars: dx)]
    }
}
