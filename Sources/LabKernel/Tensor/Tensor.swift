// Tensor: an n-dimensional array of Float, stored row-major and contiguous.
//
// Scope: storage, shape, element access and printing. Creation lives in Tensor+Creation.swift,
// reshaping and slicing in Tensor+Shape.swift, arithmetic in Tensor+Elementwise.swift and
// reductions in Tensor+Reductions.swift. Gradients are not part of a Tensor: the autograd tape
// (Autograd/) wraps tensors in `Variable`s. Only Float is supported; fp16/bf16 are storage
// formats converted on load (Formats/).

/// An n-dimensional array of `Float` in row-major order.
///
/// The last axis is contiguous: element `[i, j]` of a `(rows, columns)` tensor is
/// `scalars[i * columns + j]`. A tensor is a value (copy-on-write through its array), so
/// passing one around never shares mutable state.
///
///     let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
///     x[1, 2]      // 6.0
///     x.shape      // [2, 3]
public struct Tensor: Sendable, Equatable {
    /// The size of each axis, outermost first. A scalar has shape `[]`.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    /// Change elements through the subscript or `withUnsafeMutableBufferPointer`.
    public internal(set) var scalars: [Float]

    /// A tensor of the given shape holding `scalars` in row-major order.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: shape \(shape.shapeDescription) has a negative dimension")
        let count = shape.reduce(1, *)
        precondition(count == scalars.count,
                     "Tensor: shape \(shape.shapeDescription) needs \(count) elements, but \(scalars.count) were given")
        self.shape = shape
        self.scalars = scalars
    }

    /// A 1-D tensor, shape `(count)`.
    public init(_ vector: [Float]) {
        self.init(shape: [vector.count], scalars: vector)
    }

    /// A 2-D tensor from rows of equal length, shape `(rows.count, rows[0].count)`.
    public init(_ rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        for (index, row) in rows.enumerated() {
            precondition(row.count == columns,
                         "Tensor: row \(index) has \(row.count) elements, but row 0 has \(columns)")
        }
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// A 0-D tensor holding one number.
    public init(scalar: Float) {
        self.init(shape: [], scalars: [scalar])
    }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// The number of elements.
    public var count: Int { scalars.count }

    /// The single element of a tensor with one element (any shape).
    public var item: Float {
        precondition(count == 1, "Tensor.item: needs exactly one element, the shape is \(shape.shapeDescription)")
        return scalars[0]
    }

    /// Row-major strides in elements: how far apart neighbours along each axis are.
    public var strides: [Int] { shape.rowMajorStrides }

    /// The element at a full index, one integer per axis.
    public subscript(indices: Int...) -> Float {
        get { scalars[flatIndex(indices)] }
        set { scalars[flatIndex(indices)] = newValue }
    }

    /// The position in `scalars` of a full index.
    public func flatIndex(_ indices: [Int]) -> Int {
        precondition(indices.count == rank,
                     "Tensor: an index for shape \(shape.shapeDescription) needs \(rank) components, got \(indices.count)")
        var flat = 0
        for axis in 0..<rank {
            let i = indices[axis]
            precondition(i >= 0 && i < shape[axis],
                         "Tensor: index \(indices) is out of range for shape \(shape.shapeDescription) (axis \(axis))")
            flat = flat * shape[axis] + i
        }
        return flat
    }

    /// Calls `body` with a pointer to the contiguous elements.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with a mutable pointer to the contiguous elements.
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer(body)
    }
}

// MARK: - Shapes as text

extension Array where Element == Int {
    /// A shape written the way error messages and docs write it: `[2, 3]`.
    public var shapeDescription: String { "[" + map(String.init).joined(separator: ", ") + "]" }

    /// Row-major strides for this shape: the last axis has stride 1.
    public var rowMajorStrides: [Int] {
        var strides = [Int](repeating: 1, count: count)
        var step = 1
        for axis in indices.reversed() {
            strides[axis] = step
            step *= self[axis]
        }
        return strides
    }
}

// MARK: - Printing

extension Tensor: CustomStringConvertible {
    /// A compact, reproducible rendering with 4 decimals, eliding the middle of long axes.
    public var description: String {
        func format(_ value: Float) -> String { formatFixed(value, decimals: 4) }
        func render(_ axis: Int, _ offset: Int) -> String {
            if axis == rank { return format(scalars[offset]) }
            let n = shape[axis]
            let stride = strides[axis]
            let shown: [Int?] = n > 8 ? Array(0..<3) + [nil] + Array((n - 3)..<n) : Array(0..<n)
            let parts = shown.map { index in index.map { render(axis + 1, offset + $0 * stride) } ?? "…" }
            let separator = axis == rank - 1 ? ", " : ",\n" + String(repeating: " ", count: axis + 1)
            return "[" + parts.joined(separator: separator) + "]"
        }
        if count == 0 { return "Tensor(shape: \(shape.shapeDescription), [])" }
        return render(0, 0)
    }
}

/// `value` with exactly `decimals` digits after the point, identical on every platform
/// (no locale, no exponent for ordinary magnitudes), e.g. `formatFixed(3.14159, decimals: 2)` is `"3.14"`.
public func formatFixed(_ value: Float, decimals: Int) -> String {
    formatFixed(Double(value), decimals: decimals)
}

/// `value` with exactly `decimals` digits after the point; see the `Float` overload.
public func formatFixed(_ value: Double, decimals: Int) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (abs(value) * scale).rounded()
    if rounded >= 9.0e15 { return value < 0 ? "-" + String(abs(value)) : String(value) }
    let units = UInt64(rounded)
    let divisor = UInt64(scale)
    let whole = units / divisor
    let fraction = units % divisor
    let sign = value < 0 && units != 0 ? "-" : ""
    guard decimals > 0 else { return sign + String(whole) }
    let digits = String(fraction)
    return sign + String(whole) + "." + String(repeating: "0", count: decimals - digits.count) + digits
}
