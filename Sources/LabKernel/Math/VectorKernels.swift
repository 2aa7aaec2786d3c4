// Short-vector kernels for the inner loops of attention: a dot product and a scaled add.
//
// Attention touches each cached key and value row with one of these per head (D = 48…128
// floats). Written as plain loops they stay scalar: `dot += a[i] * b[i]` is one long chain of
// dependent additions that the compiler may not reorder (floating-point addition is not
// associative), so every step waits for the previous one; and `y[i] += w * x[i]` is not
// vectorized because the compiler cannot rule out that `y` and `x` overlap. Here both use
// SIMD16 lanes explicitly (with a SIMD8 step and a scalar tail for any D): the dot product
// keeps 16 independent partial sums and adds them at the end, which rounds differently from a
// sequential sum (both are equally accurate; tests compare with a tolerance).
//
// Left out: long vectors (use `gemm` / the matrix-vector products in MatrixVector.swift).

/// Σ a[i]·b[i] for i in 0..<count.
@inline(__always)
func dotProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var sum16 = SIMD16<Float>()
    var i = 0
    while i &+ 16 <= count {
        sum16 = sum16.addingProduct(load16(a + i), load16(b + i))
        i &+= 16
    }
    var sum = horizontalSum(sum16)
    if i &+ 8 <= count {
        let sum8 = load8(a + i) * load8(b + i)
        sum += horizontalSum(sum8)
        i &+= 8
    }
    while i < count {
        sum = sum.addingProduct(a[i], b[i])
        i &+= 1
    }
    return sum
}

/// y[i] += w·x[i] for i in 0..<count; y and x must not overlap.
@inline(__always)
func addScaled(_ w: Float, _ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
    let w16 = SIMD16<Float>(repeating: w)
    var i = 0
    while i &+ 16 <= count {
        store16(load16(y + i).addingProduct(w16, load16(x + i)), y + i)
        i &+= 16
    }
    while i < count {
        y[i] = y[i].addingProduct(w, x[i])
        i &+= 1
    }
}

/// The sum of a vector's lanes as a tree of halves (the standard library's `sum()` was not
/// inlined here and cost more than the products it summed).
@inline(__always)
func horizontalSum(_ v: SIMD16<Float>) -> Float {
    horizontalSum(v.lowHalf + v.highHalf)
}

@inline(__always)
func horizontalSum(_ v: SIMD8<Float>) -> Float {
    horizontalSum(v.lowHalf + v.highHalf)
}

@inline(__always)
func horizontalSum(_ v: SIMD4<Float>) -> Float {
    let pair = v.lowHalf + v.highHalf
    return pair[0] + pair[1]
}

@inline(__always)
private func load16(_ pointer: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
private func load8(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
private func store16(_ vector: SIMD16<Float>, _ pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: SIMD16<Float>.self)
}
