// Reductions: sum, mean, max and argmax over all elements or along one axis.
//
// Along an axis, a tensor is viewed as (outer, n, inner): `outer` is the product of the sizes
// before the axis, `inner` the product after it. Sums accumulate in Double so that a mean over a
// million elements does not drift with the order of addition.

extension Tensor {
    /// The sum of all elements (accumulated in Double).
    public func sum() -> Float { Float(scalars.reduce(0.0) { $0 + Double($1) }) }

    /// The mean of all elements.
    public func mean() -> Float {
        precondition(count > 0, "mean: the tensor is empty, shape \(shape.shapeDescription)")
        return Float(scalars.reduce(0.0) { $0 + Double($1) } / Double(count))
    }

    /// The largest element.
    public func max() -> Float {
        precondition(count > 0, "max: the tensor is empty, shape \(shape.shapeDescription)")
        return scalars.max()!
    }

    /// Sums along `axis`; the axis disappears unless `keepingAxis` (then it has size 1).
    /// Negative axes count from the end. Shape `(…, n, …) -> (…, …)`.
    public func sum(alongAxis axis: Int, keepingAxis: Bool = false) -> Tensor {
        reduce(alongAxis: axis, keepingAxis: keepingAxis, "sum") { values, n, stride in
            var total = 0.0
            for j in 0..<n { total += Double(values[j * stride]) }
            return Float(total)
        }
    }

    /// Averages along `axis`; see `sum(alongAxis:keepingAxis:)`.
    public func mean(alongAxis axis: Int, keepingAxis: Bool = false) -> Tensor {
        reduce(alongAxis: axis, keepingAxis: keepingAxis, "mean") { values, n, stride in
            var total = 0.0
            for j in 0..<n { total += Double(values[j * stride]) }
            return Float(total / Double(n))
        }
    }

    /// The largest element along `axis`; see `sum(alongAxis:keepingAxis:)`.
    public func max(alongAxis axis: Int, keepingAxis: Bool = false) -> Tensor {
        reduce(alongAxis: axis, keepingAxis: keepingAxis, "max") { values, n, stride in
            var best = values[0]
            for j in 1..<n { best = Swift.max(best, values[j * stride]) }
            return best
        }
    }

    /// The index of the largest element along `axis` (the first one on ties), in row-major order
    /// of the remaining axes. For a `(T, V)` tensor of logits, `argmax(alongAxis: -1)` gives
    /// the most likely token at each of the T positions.
    public func argmax(alongAxis axis: Int) -> [Int] {
        reduce(alongAxis: axis, keepingAxis: false, "argmax") { values, n, stride in
            var best = 0
            for j in 1..<n where values[j * stride] > values[best * stride] { best = j }
            return Float(best)
        }.scalars.map { Int($0) }
    }

    /// Sums over the axes along which `shape` was broadcast to produce `self`'s shape; the
    /// inverse of broadcasting, used by gradients: a bias of shape (C) added to (B, T, C)
    /// receives the gradient summed over B and T.
    public func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        precondition(broadcastShape(target, shape) == shape,
                     "summed(toShape:): \(target.shapeDescription) does not broadcast to \(shape.shapeDescription)")
        var result = self
        // Sum away the extra leading axes, then the axes where the target has size 1.
        while result.rank > target.count { result = result.sum(alongAxis: 0) }
        for axis in 0..<target.count where target[axis] == 1 && result.shape[axis] != 1 {
            result = result.sum(alongAxis: axis, keepingAxis: true)
        }
        return result.reshaped(target)
    }

    /// The (outer, n, inner) walk shared by all reductions along an axis. `body` receives a
    /// pointer to the first of `n` values spaced `stride` apart and returns their reduction.
    private func reduce(alongAxis axis: Int, keepingAxis: Bool, _ name: String,
                        _ body: (UnsafePointer<Float>, Int, Int) -> Float) -> Tensor {
        let axis = axis < 0 ? axis + rank : axis
        precondition(axis >= 0 && axis < rank, "\(name): axis out of range for shape \(shape.shapeDescription)")
        let n = shape[axis]
        precondition(n > 0, "\(name): axis \(axis) of shape \(shape.shapeDescription) is empty")
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        var result = [Float](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { source in
            for o in 0..<outer {
                for i in 0..<inner {
                    result[o * inner + i] = body(source.baseAddress! + o * n * inner + i, n, inner)
                }
            }
        }
        var newShape = shape
        if keepingAxis { newShape[axis] = 1 } else { newShape.remove(at: axis) }
        return Tensor(shape: newShape, scalars: result)
    }
}
