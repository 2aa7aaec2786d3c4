// Changing how a tensor's elements are arranged: reshape, transpose, row slices, concatenation.
//
// Every operation here returns a new contiguous tensor; there are no strided views, which keeps
// every kernel simple (it may assume row-major, contiguous input). A transpose therefore copies.

extension Tensor {
    /// The same elements with a new shape of the same element count. One dimension may be -1,
    /// meaning "whatever makes the count match".
    ///
    ///     Tensor.arange(6).reshaped([2, -1]).shape   // [2, 3]
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        precondition(inferred.count <= 1, "reshape: at most one dimension may be -1, got \(newShape.shapeDescription)")
        if let axis = inferred.first {
            let known = newShape.enumerated().filter { $0.offset != axis }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0,
                         "reshape: cannot reshape \(shape.shapeDescription) (\(count) elements) into \(newShape.shapeDescription)")
            resolved[axis] = count / known
        }
        precondition(resolved.reduce(1, *) == count,
                     "reshape: cannot reshape \(shape.shapeDescription) (\(count) elements) into \(newShape.shapeDescription) (\(resolved.reduce(1, *)) elements)")
        return Tensor(shape: resolved, scalars: scalars)
    }

    /// Swaps the last two axes: `(…, R, C) -> (…, C, R)`. Copies the elements.
    public func transposed() -> Tensor {
        precondition(rank >= 2, "transposed: needs at least 2 axes, the shape is \(shape.shapeDescription)")
        let rows = shape[rank - 2], columns = shape[rank - 1]
        let batches = count / Swift.max(rows * columns, 1)
        var newShape = shape
        newShape.swapAt(rank - 2, rank - 1)
        var result = [Float](repeating: 0, count: count)
        scalars.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                transposeBatches(source.baseAddress!, target.baseAddress!, batches: batches, rows: rows, columns: columns)
            }
        }
        return Tensor(shape: newShape, scalars: result)
    }

    /// Row `index` along the first axis: shape `(d0, d1, …) -> (d1, …)`.
    public func row(_ index: Int) -> Tensor {
        precondition(rank >= 1, "row: a scalar has no rows")
        precondition(index >= 0 && index < shape[0], "row: index \(index) is out of range for shape \(shape.shapeDescription)")
        let size = count / shape[0]
        return Tensor(shape: Array(shape.dropFirst()), scalars: Array(scalars[(index * size)..<((index + 1) * size)]))
    }

    /// Rows `range` along the first axis: shape `(d0, d1, …) -> (range.count, d1, …)`.
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1, "rows: a scalar has no rows")
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "rows: range \(range) is out of bounds for shape \(shape.shapeDescription)")
        let size = count / Swift.max(shape[0], 1)
        var newShape = shape
        newShape[0] = range.count
        return Tensor(shape: newShape, scalars: Array(scalars[(range.lowerBound * size)..<(range.upperBound * size)]))
    }

    /// Stacks tensors of one shape `(d…)` along a new first axis: `(count, d…)`.
    public static func stack(_ tensors: [Tensor]) -> Tensor {
        precondition(!tensors.isEmpty, "stack: needs at least one tensor")
        let shape = tensors[0].shape
        for (index, tensor) in tensors.enumerated() where tensor.shape != shape {
            preconditionFailure("stack: tensor \(index) has shape \(tensor.shape.shapeDescription), tensor 0 has \(shape.shapeDescription)")
        }
        return Tensor(shape: [tensors.count] + shape, scalars: tensors.flatMap(\.scalars))
    }
}

/// Writes the transpose of each `(rows, columns)` matrix in `source` to `target`, in tiles of
/// 32×32 so that both the reads and the writes stay within cache lines.
func transposeBatches(_ source: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>,
                      batches: Int, rows: Int, columns: Int) {
    let tile = 32
    for batch in 0..<batches {
        let s = source + batch &* rows &* columns
        let t = target + batch &* rows &* columns
        var i0 = 0
        while i0 < rows {
            let i1 = min(i0 &+ tile, rows)
            var j0 = 0
            while j0 < columns {
                let j1 = min(j0 &+ tile, columns)
                for i in i0..<i1 {
                    for j in j0..<j1 { t[j &* rows &+ i] = s[i &* columns &+ j] }
                }
                j0 = j1
            }
            i0 = i1
        }
    }
}
