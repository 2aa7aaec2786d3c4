// The transformer's MLP, in GPT-2's and Llama's forms.
//
//     GPT-2:   down(gelu(up(x)))                      up = c_fc (C -> F), down = c_proj (F -> C)
//     Llama:   down(silu(gate(x)) ⊙ up(x))   SwiGLU:  gate, up (C -> F), down (F -> C)
//
// The gate lets each hidden unit scale its own signal by a smooth switch computed from the same
// input; at equal parameter count it trains better than a plain activation (Shazeer 2020).
// Both forms exist on Tensors (inference) and on Variables (training), sharing the kernel's
// activation functions and `linear`.
//
// Left out: MLP biases for the Llama family (`mlp_bias`), mixtures of experts.

/// GELU MLP on Tensors: x (T, C) -> (T, C), weights in GPT-2's Conv1D layout (in, out).
func geluMLP(_ x: Tensor, up: Tensor, upBias: Tensor?, down: Tensor, downBias: Tensor?,
             approximation: GELUApproximation) -> Tensor {
    let hidden = gelu(linear(x, weight: up, bias: upBias, layout: .inputsByOutputs), approximation: approximation)  // (T, F)
    return linear(hidden, weight: down, bias: downBias, layout: .inputsByOutputs)
}

/// SwiGLU MLP on Tensors: x (T, C) -> (T, C), weights in nn.Linear layout (out, in).
func swiGLU(_ x: Tensor, gate: Tensor, up: Tensor, down: Tensor) -> Tensor {
    let gated = silu(linear(x, weight: gate, bias: nil, layout: .outputsByInputs))  // (T, F)
    let hidden = gated * linear(x, weight: up, bias: nil, layout: .outputsByInputs)   // (T, F)
    return linear(hidden, weight: down, bias: nil, layout: .outputsByInputs)
}

/// Differentiable GELU MLP, same contract as the Tensor version.
func geluMLP(_ x: Variable, up: Variable, upBias: Variable?, down: Variable, downBias: Variable?,
             approximation: GELUApproximation) -> Variable {
    let hidden = gelu(linear(x, weight: up, bias: upBias, layout: .inputsByOutputs), approximation: approximation)
    return linear(hidden, weight: down, bias: downBias, layout: .inputsByOutputs)
}

/// Differentiable SwiGLU: its gradient is the product rule through `silu` and `*`.
func swiGLU(_ x: Variable, gate: Variable, up: Variable, down: Variable) -> Variable {
    let hidden = silu(linear(x, weight: gate, bias: nil, layout: .outputsByInputs))
        * linear(x, weight: up, bias: nil, layout: .outputsByInputs)  // (T, F)
    return linear(hidden, weight: down, bias: nil, layout: .outputsByInputs)
}
