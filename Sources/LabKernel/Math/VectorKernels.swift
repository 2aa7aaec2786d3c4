// Short-vector kernels for the inner loops of attention and activations: a dot product, a scaled
// add, and e^x on 16 lanes at once.
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
// e^x: the C library's `expf` is one call per number (about 5 ns here); decoding a small model
// calls it thousands of times per token (attention's softmax, SiLU). `exponential` below splits
// x = n·ln 2 + r with |r| ≤ ln 2 / 2, evaluates e^r by its Taylor series to r⁷/7! (the first
// term left out is below 6·10⁻⁹, under half a Float ulp), and multiplies by 2ⁿ by writing n into
// the exponent bits. Within 2 ulp of `expf`; results below about 2.4·10⁻³⁸ (x < −86.6) flush to 0,
// and x above 88.72 gives +infinity, as e^x does in Float.
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

/// e^x for 16 lanes (see the file header for the method and its accuracy).
@inline(__always)
func exponential(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let log2e: Float = 1.442_695_04, ln2High: Float = 0.693_359_375, ln2Low: Float = -2.121_944_4e-4
    // n = round(x / ln 2): adding 1.5·2²³ rounds to an integer and leaves it in the low mantissa bits.
    let shifter = SIMD16<Float>(repeating: 12_582_912)
    let shifted = shifter.addingProduct(x, SIMD16<Float>(repeating: log2e))
    let n = shifted - shifter
    // r = x − n·ln 2, with ln 2 in two parts so that n·ln2High is exact.
    let r = (x - n * ln2High) - n * ln2Low
    // e^r = 1 + r + r²/2! + … + r⁷/7!, by Horner's rule.
    var p = SIMD16<Float>(repeating: 1 / 5040)
    p = p * r + 1 / 720
    p = p * r + 1 / 120
    p = p * r + 1 / 24
    p = p * r + 1 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    // 2ⁿ = 2·2ⁿ⁻¹, 2ⁿ⁻¹ from its bits (exponent field n − 1 + 127): n runs up to 128, whose own
    // exponent field would be the one reserved for infinity.
    let nBits = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- unsafeBitCast(shifter, to: SIMD16<Int32>.self)
    let halfScale = unsafeBitCast((nBits &+ 126) &<< 23, to: SIMD16<Float>.self)
    var result = (p * halfScale) * 2
    result.replace(with: 0, where: x .< -86.6)
    result.replace(with: .infinity, where: x .> 88.72)
    return result
}

/// y[i] = e^(x[i]) for i in 0..<count (x and y may be the same memory).
func exponential(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i &+ 16 <= count {
        store16(exponential(load16(x + i)), y + i)
        i &+= 16
    }
    if i < count {  // the tail through one padded vector
        var lanes = SIMD16<Float>(repeating: 0)
        for j in 0..<(count &- i) { lanes[j] = x[i &+ j] }
        let values = exponential(lanes)
        for j in 0..<(count &- i) { y[i &+ j] = values[j] }
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
func load16(_ pointer: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
private func load8(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func store16(_ vector: SIMD16<Float>, _ pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: SIMD16<Float>.self)
}
