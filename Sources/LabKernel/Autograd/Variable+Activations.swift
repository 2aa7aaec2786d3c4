// Differentiable activation functions: ReLU, tanh, GELU (both forms) and SiLU.
//
// All are elementwise, so each backward rule is the incoming gradient times the function's
// derivative at the input: dx = g ⊙ f′(x). The derivatives of GELU and SiLU are the kernel's
// (`geluDerivative`, `siluDerivative` in Math/Activations.swift), the same code lessons plot.
//
// Left out: sigmoid and softmax-free gates (SwiGLU is built from silu and multiply).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// max(x, 0), elementwise; shape unchanged.
///
/// Backward: the slope is 1 where x > 0 and 0 elsewhere (we take 0 at the kink x = 0, as
/// PyTorch does): `dx = g ⊙ [x > 0]`.
public func relu(_ x: Variable) -> Variable {
    let input = x.value
    return Variable.record("relu", input.relu(), inputs: [x]) { g in
        [g.zipWith(input, "relu backward") { gradient, v in v > 0 ? gradient : 0 }]
    }
}

/// The hyperbolic tangent, elementwise; shape unchanged.
///
/// Backward: with y = tanh x, dy/dx = 1 − tanh²x = 1 − y², so `dx = g ⊙ (1 − y²)` (reusing
/// the output instead of recomputing tanh).
public func tanh(_ x: Variable) -> Variable {
    let output = x.value.map { tanhf($0) }
    return Variable.record("tanh", output, inputs: [x]) { g in
        [g.zipWith(output, "tanh backward") { gradient, y in gradient * (1 - y * y) }]
    }
}

/// GELU, elementwise, in the given form (`.tanh` is GPT-2's); shape unchanged.
///
/// Backward: `dx = g ⊙ gelu′(x)`, where for the exact form gelu′(x) = Φ(x) + x·φ(x) and for the
/// tanh form the chain rule through 0.5·x·(1 + tanh u(x)) (see `geluDerivative`).
public func gelu(_ x: Variable, approximation: GELUApproximation = .tanh) -> Variable {
    let input = x.value
    return Variable.record("gelu", gelu(input, approximation: approximation), inputs: [x]) { g in
        [g * geluDerivative(input, approximation: approximation)]
    }
}

/// SiLU (swish), x·σ(x), elementwise; shape unchanged.
///
/// Backward: d(x·σ(x))/dx = σ(x) + x·σ(x)(1 − σ(x)), so `dx = g ⊙ silu′(x)` (see `siluDerivative`).
public func silu(_ x: Variable) -> Variable {
    let input = x.value
    return Variable.record("silu", silu(input), inputs: [x]) { g in
        [g * siluDerivative(input)]
    }
}
