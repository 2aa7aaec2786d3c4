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
public func gelu(_ x: Tensor, approximation: GELUApproximation = .tanh) -> Tensor {
    switch approximation {
    case .none: return x.map { 0.5 * $0 * (1 + erff($0 * inverseSqrtTwo)) }
    case .tanh: return x.map { 0.5 * $0 * (1 + tanhf(sqrtTwoOverPi * ($0 + 0.044715 * $0 * $0 * $0))) }
    }
}

/// d gelu(x) / dx, elementwise, for the same approximation.
public func geluDerivative(_ x: Tensor, approximation: GELUApproximation = .tanh) -> Tensor {
    switch approximation {
    case .none:
        // Φ(x) + x·φ(x)
        return x.map { 0.5 * (1 + erff($0 * inverseSqrtTwo)) + $0 * inverseSqrtTwoPi * expf(-0.5 * $0 * $0) }
    case .tanh:
        return x.map { v in
            let inner = sqrtTwoOverPi * (v + 0.044715 * v * v * v)
            let t = tanhf(inner)
            let innerDerivative = sqrtTwoOverPi * (1 + 3 * 0.044715 * v * v)
            return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * innerDerivative
        }
    }
}

/// SiLU (also called swish): x·σ(x), with σ the logistic sigmoid. Elementwise; shape unchanged.
public func silu(_ x: Tensor) -> Tensor {
    x.map { $0 / (1 + expf(-$0)) }
}

/// d silu(x) / dx = σ(x)·(1 + x·(1 - σ(x))), elementwise.
public func siluDerivative(_ x: Tensor) -> Tensor {
    x.map { v in
        let s = 1 / (1 + expf(-v))
        return s * (1 + v * (1 - s))
    }
}

/// The logistic sigmoid 1 / (1 + e^(-x)), elementwise.
public func sigmoid(_ x: Tensor) -> Tensor {
    x.map { 1 / (1 + expf(-$0)) }
}
