// Embedding lookup: turning token ids into vectors by reading rows of a table.
//
// An embedding table (V, C) holds one learned C-vector per vocabulary entry; looking up T ids
// gathers T rows. Mathematically it is a one-hot (T, V) matrix times the table, but gathering
// rows costs T·C instead of T·V·C. The backward pass is the matching scatter-add: row t of the
// gradient is added to table row ids[t], so an id that appears several times accumulates
// several contributions, and rows of ids that did not appear get zero.
//
// Left out: padding ids and sparse gradients (the table's gradient is stored dense).

/// Rows `ids` of `table`: `(V, C)` and T ids in `0..<V` -> `(T, C)`. For ids of shape (B, T),
/// pass them flattened and reshape the result to (B, T, C).
public func embedding(_ table: Tensor, ids: [Int]) -> Tensor {
    precondition(table.rank == 2, "embedding: the table must have shape (V, C), got \(table.shape.shapeDescription)")
    let (vocabulary, width) = (table.shape[0], table.shape[1])
    var result = [Float](repeating: 0, count: ids.count * width)
    table.withUnsafeBufferPointer { source in
        result.withUnsafeMutableBufferPointer { target in
            for (t, id) in ids.enumerated() {
                precondition(id >= 0 && id < vocabulary,
                             "embedding: id \(id) at position \(t) is outside 0..<\(vocabulary) (the table has shape \(table.shape.shapeDescription))")
                for j in 0..<width { target[t * width + j] = source[id * width + j] }
            }
        }
    }
    return Tensor(shape: [ids.count, width], scalars: result)
}

/// Differentiable embedding lookup: rows `ids` of `table`, `(V, C)` -> `(T, C)`.
///
/// Backward: out[t, :] = table[ids[t], :], so ∂L/∂table[v, :] = Σ_{t : ids[t] = v} g[t, :]:
/// a scatter-add of the rows of g into a zero (V, C) gradient; repeated ids accumulate.
public func embedding(_ table: Variable, ids: [Int]) -> Variable {
    let tableShape = table.shape
    return Variable.record("embedding", embedding(table.value, ids: ids), inputs: [table]) { g in
        var dTable = Tensor.zeros(tableShape)
        let width = tableShape[1]
        dTable.withUnsafeMutableBufferPointer { target in
            g.withUnsafeBufferPointer { source in
                for (t, id) in ids.enumerated() {
                    for j in 0..<width { target[id * width + j] += source[t * width + j] }
                }
            }
        }
        return [dTable]
    }
}
