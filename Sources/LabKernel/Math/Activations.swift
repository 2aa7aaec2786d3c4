// Activation functions: GELU (both forms), SiLU, and their derivatives.
//
// GPT-2 uses GELU in its tanh approximation (it predates fast erf on GPUs); most later models
// use the exact form or SiLU (Llama's SwiGLU). The forms differ by up to about 1e-3, enough to
// change logits, so a loader must use the one the checkpoint was trained with.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which GELU formula to use.
public enum GELUApproximation: Sendable {
    /// 0.5·x·(1 + erf(x/√2)): the definition, x·Φ(x).
    case none
    /// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))): GPT-2's `gelu_new`, PyTorch's `approximate="tanh"`.
    case tanh
}

private let sqrtTwoOverPi: Float = 0.797_884_56  // √(2/π)
private let inverseSqrtTwo: Float = 0.707_106_78  // 1/√2
private let inverseSqrtTwoPi: Float = 0.398_942_28  // 1/√(2π)

/// GELU, the Gaussian error linear unit: x weighted by the probability that a standard normal is
/// below x. Elementwise; shape unchanged.
///
/// Both forms are written to avoid cancellation for x ≪ 0, where the true values are tiny but
/// not zero: Φ(x) = (1 + erf(x/√2))/2 is computed as erfc(-x/√2)/2, and the tanh form's
/// (1 + tanh(u))/2 as the logistic σ(2u), which are equal but never subtract nearly equal numbers.
public func gelu(_ x: Tensor, approximation: GELUApproximation = .tanh) -> Tensor {
    x.map { gelu($0, approximation: approximation) }
}

/// GELU of one number (the Tensor version applies it to each element).
@inline(__always)
func gelu(_ v: Float, approximation: GELUApproximation) -> Float {
    switch approximation {
    case .none: return 0.5 * v * erfcf(-v * inverseSqrtTwo)
    case .tanh: return v * logistic(2 * geluTanhArgument(v)).value
    }
}

/// d gelu(x) / dx, elementwise, for the same approximation.
public func geluDerivative(_ x: Tensor, approximation: GELUApproximation = .tanh) -> Tensor {
    switch approximation {
    case .none:
        // Φ(x) + x·φ(x)
        return x.map { 0.5 * erfcf(-$0 * inverseSqrtTwo) + $0 * inverseSqrtTwoPi * expf(-0.5 * $0 * $0) }
    case .tanh:
        // With u = √(2/π)·(x + 0.044715·x³) and t = tanh(u): (1 + t)/2 = σ(2u) and
        // (1 - t²)/2 = 2·σ(2u)·(1 - σ(2u)), so d/dx [x·σ(2u)] = σ(2u) + 2·x·σ(2u)·(1 - σ(2u))·u'.
        return x.map { v in
            let (s, oneMinusS) = logistic(2 * geluTanhArgument(v))
            let innerDerivative = sqrtTwoOverPi * (1 + 3 * 0.044715 * v * v)
            return s + 2 * v * s * oneMinusS * innerDerivative
        }
    }
}

/// SiLU (also called swish): x·σ(x) = x / (1 + e^(−x)), with σ the logistic sigmoid.
/// Elementwise; shape unchanged. e^(−x) comes 16 at a time from the kernel's SIMD `exponential`
/// (a Llama MLP applies this to F numbers per token); an infinite e^(−x) gives −0, never NaN.
public func silu(_ x: Tensor) -> Tensor {
    var result = x
    result.withUnsafeMutableBufferPointer { buffer in
        if let base = buffer.baseAddress { siluInPlace(base, count: buffer.count) }
    }
    return result
}

/// x[i] = silu(x[i]) = x[i] / (1 + e^(−x[i])) for i in 0..<count, in place, 16 at a time with
/// the kernel's SIMD `exponential` (the last few through one padded vector).
func siluInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 16 <= count {
        let v = load16(x + i)
        store16(v / (1 + exponential(-v)), x + i)
        i += 16
    }
    if i < count {
        var lanes = SIMD16<Float>(repeating: 0)
        for j in 0..<(count - i) { lanes[j] = x[i + j] }
        let result = lanes / (1 + exponential(-lanes))
        for j in 0..<(count - i) { x[i + j] = result[j] }
    }
}

/// d silu(x) / dx = σ(x)·(1 + x·(1 - σ(x))), elementwise.
public func siluDerivative(_ x: Tensor) -> Tensor {
    x.map { v in
        let (s, oneMinusS) = logistic(v)
        return s * (1 + v * oneMinusS)
    }
}

/// The logistic sigmoid 1 / (1 + e^(-x)), elementwise.
public func sigmoid(_ x: Tensor) -> Tensor {
    x.map { logistic($0).value }
}

/// σ(z) = 1/(1 + e^(-z)) and 1 - σ(z) = σ(-z), each computed directly: forming 1 - σ(z) by
/// subtraction would lose all its digits once σ(z) rounds to 1 (z > 17 in Float). Infinite
/// e^(-z) gives (0, 1) and zero gives (1, 0), never NaN.
@inline(__always)
private func logistic(_ z: Float) -> (value: Float, complement: Float) {
    let e = expf(-z)
    return (1 / (1 + e), 1 / (1 + 1 / e))
}

/// u = √(2/π)·(x + 0.044715·x³), the argument of tanh in GELU's tanh form.
@inline(__always)
private func geluTanhArgument(_ x: Float) -> Float {
    sqrtTwoOverPi * (x + 0.044715 * x * x * x)
}
