// Row-wise work along the last axis: the loop every per-row operation (softmax, log-softmax and
// their gradients) shares, written once.

extension Tensor {
    /// Calls `body(row, width)` for each row along the last axis, with a mutable pointer to that
    /// row's `width` contiguous elements. Shape (…, W): there are count / W rows.
    mutating func updateEachRow(_ body: (UnsafeMutablePointer<Float>, Int) -> Void) {
        guard rank >= 1, let width = shape.last, width > 0 else { return }
        withUnsafeMutableBufferPointer { buffer in
            for r in 0..<(buffer.count / width) { body(buffer.baseAddress! + r * width, width) }
        }
    }

    /// Like `updateEachRow(_:)`, also passing the matching row of `other`, which must have the
    /// same shape: `body(row, otherRow, width)`.
    mutating func updateEachRow(readingRowsOf other: Tensor,
                                _ body: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, Int) -> Void) {
        precondition(other.shape == shape,
                     "updateEachRow: shapes \(shape.shapeDescription) and \(other.shape.shapeDescription) differ")
        guard rank >= 1, let width = shape.last, width > 0 else { return }
        other.withUnsafeBufferPointer { source in
            withUnsafeMutableBufferPointer { buffer in
                for r in 0..<(buffer.count / width) {
                    body(buffer.baseAddress! + r * width, source.baseAddress! + r * width, width)
                }
            }
        }
    }
}
