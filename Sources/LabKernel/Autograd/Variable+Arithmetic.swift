// Differentiable arithmetic, reductions and reshapes on Variables.
//
// Each operation computes its value with the Tensor operation of the same name and records a
// backward rule. Broadcasting follows Tensor exactly (NumPy rules); the backward rule of a
// broadcast operand sums the incoming gradient over the axes it was repeated along
// (`summed(toShape:)`), because a value used n times receives n gradient contributions.
//
// Left out: division by a Variable, exp/log, max and indexing; in-place updates (optimizers
// change a parameter's `value` directly, outside the tape).

// MARK: - Elementwise with broadcasting

extension Variable {
    /// a + b with broadcasting.
    ///
    /// Backward: ∂(a+b)/∂a = ∂(a+b)/∂b = 1, so each operand receives g, summed over the axes it
    /// was broadcast along: `da = g.summed(toShape: a.shape)`, likewise `db`.
    public static func + (a: Variable, b: Variable) -> Variable {
        let (aShape, bShape) = (a.shape, b.shape)
        return record("add", a.value + b.value, inputs: [a, b]) { g in
            [g.summed(toShape: aShape), g.summed(toShape: bShape)]
        }
    }

    /// a − b with broadcasting.
    ///
    /// Backward: ∂(a−b)/∂a = 1 and ∂(a−b)/∂b = −1: `da = g`, `db = −g`, each summed to its shape.
    public static func - (a: Variable, b: Variable) -> Variable {
        let (aShape, bShape) = (a.shape, b.shape)
        return record("subtract", a.value - b.value, inputs: [a, b]) { g in
            [g.summed(toShape: aShape), (-g).summed(toShape: bShape)]
        }
    }

    /// a ⊙ b (elementwise product) with broadcasting.
    ///
    /// Backward: ∂(ab)/∂a = b and ∂(ab)/∂b = a: `da = (g ⊙ b)` and `db = (g ⊙ a)`, each summed
    /// over its broadcast axes.
    public static func * (a: Variable, b: Variable) -> Variable {
        let (aValue, bValue) = (a.value, b.value)
        let (needA, needB) = (a.requiresGrad, b.requiresGrad)
        return record("multiply", aValue * bValue, inputs: [a, b]) { g in
            [needA ? (g * bValue).summed(toShape: aValue.shape) : nil,
             needB ? (g * aValue).summed(toShape: bValue.shape) : nil]
        }
    }

    /// −x.  Backward: `dx = −g`.
    public static prefix func - (x: Variable) -> Variable {
        record("negate", -x.value, inputs: [x]) { g in [-g] }
    }
}

// MARK: - With a constant Float

extension Variable {
    /// x + s for a constant s.  Backward: ∂(x+s)/∂x = 1, so `dx = g`.
    public static func + (x: Variable, s: Float) -> Variable {
        record("add", x.value + s, inputs: [x]) { g in [g] }
    }

    /// s + x for a constant s.  Backward: `dx = g`.
    public static func + (s: Float, x: Variable) -> Variable { x + s }

    /// x − s for a constant s.  Backward: `dx = g`.
    public static func - (x: Variable, s: Float) -> Variable { x + (-s) }

    /// s − x for a constant s.  Backward: ∂(s−x)/∂x = −1, so `dx = −g`.
    public static func - (s: Float, x: Variable) -> Variable {
        record("subtract", s - x.value, inputs: [x]) { g in [-g] }
    }

    /// x · s for a constant s.  Backward: ∂(xs)/∂x = s, so `dx = s·g`.
    public static func * (x: Variable, s: Float) -> Variable {
        record("scale", x.value * s, inputs: [x]) { g in [g * s] }
    }

    /// s · x for a constant s.  Backward: `dx = s·g`.
    public static func * (s: Float, x: Variable) -> Variable { x * s }

    /// x / s for a constant s, as x · (1/s).  Backward: `dx = g/s`.
    public static func / (x: Variable, s: Float) -> Variable { x * (1 / s) }
}

// MARK: - Reductions

extension Variable {
    /// The sum of all elements, a 0-D variable (shape []).
    ///
    /// Backward: ∂(Σ_i x_i)/∂x_j = 1, so every element receives the scalar g: `dx = g·1`.
    public func sum() -> Variable {
        let shape = self.shape
        return Variable.record("sum", Tensor(scalar: value.sum()), inputs: [self]) { g in
            [Tensor(repeating: g.item, shape: shape)]
        }
    }

    /// The mean of all elements, a 0-D variable (shape []).
    ///
    /// Backward: ∂(Σ_i x_i / n)/∂x_j = 1/n, so `dx = g/n` everywhere.
    public func mean() -> Variable {
        let shape = self.shape, n = Float(value.count)
        return Variable.record("mean", Tensor(scalar: value.mean()), inputs: [self]) { g in
            [Tensor(repeating: g.item / n, shape: shape)]
        }
    }

    /// Sums along `axis` (negative counts from the end); the axis disappears unless `keepingAxis`.
    /// Shape `(…, n, …) -> (…, …)` or `(…, 1, …)`.
    ///
    /// Backward: each of the n summed elements receives the gradient of its sum: `dx` is g with
    /// the axis restored (size 1) and repeated n times along it.
    public func sum(alongAxis axis: Int, keepingAxis: Bool = false) -> Variable {
        let shape = self.shape
        let kept = value.sum(alongAxis: axis, keepingAxis: true)
        let result = keepingAxis ? kept : kept.reshaped(removingAxis(axis))
        return Variable.record("sum(alongAxis:)", result, inputs: [self]) { g in
            [Tensor.zeros(shape) + g.reshaped(kept.shape)]  // (…, 1, …) broadcast to (…, n, …)
        }
    }

    /// Averages along `axis`; see `sum(alongAxis:keepingAxis:)`.
    ///
    /// Backward: as for the sum, divided by the n averaged elements: `dx = repeat(g)/n`.
    public func mean(alongAxis axis: Int, keepingAxis: Bool = false) -> Variable {
        let shape = self.shape
        let kept = value.mean(alongAxis: axis, keepingAxis: true)
        let result = keepingAxis ? kept : kept.reshaped(removingAxis(axis))
        let n = Float(shape[axis < 0 ? axis + shape.count : axis])
        return Variable.record("mean(alongAxis:)", result, inputs: [self]) { g in
            [Tensor.zeros(shape) + g.reshaped(kept.shape) * (1 / n)]  // (…, 1, …) broadcast to (…, n, …)
        }
    }

    /// This variable's shape without `axis` (already checked to be in range by the reduction).
    private func removingAxis(_ axis: Int) -> [Int] {
        var reduced = shape
        reduced.remove(at: axis < 0 ? axis + shape.count : axis)
        return reduced
    }
}

// MARK: - Rearranging

extension Variable {
    /// The same elements in a new shape (one dimension may be -1), as `Tensor.reshaped(_:)`.
    ///
    /// Backward: a reshape moves no element, so the gradient is g read in the old shape.
    public func reshaped(_ newShape: [Int]) -> Variable {
        let shape = self.shape
        return Variable.record("reshape", value.reshaped(newShape), inputs: [self]) { g in
            [g.reshaped(shape)]
        }
    }

    /// Swaps the last two axes: `(…, R, C) -> (…, C, R)`.
    ///
    /// Backward: element (i, j) of the output is element (j, i) of the input, so `dx = gᵀ`.
    public func transposed() -> Variable {
        Variable.record("transpose", value.transposed(), inputs: [self]) { g in
            [g.transposed()]  // (…, C, R) -> (…, R, C)
        }
    }
}
