// The transformer's MLP, in GPT-2's and Llama's forms.
//
//     GPT-2:   down(gelu(up(x)))                       up = c_fc (C -> F), down = c_proj (F -> C)
//     Llama:   down(silu(gate(x)) ⊙ up(x))   SwiGLU:   gate, up (C -> F), down (F -> C)
//
// The gate lets each hidden unit scale its own signal by a smooth switch computed from the same
// input; at equal parameter count it trains better than a plain activation (Shazeer 2020).
// Both forms exist on Tensors (inference) and on Variables (training), sharing the kernel's
// activation functions and `linear`. The activation follows the config (`hidden_act`).
//
// Left out: mixtures of experts.

/// The activation named by the config, on a Tensor.
func activate(_ x: Tensor, _ activation: TransformerConfig.Activation) -> Tensor {
    switch activation {
    case .geluTanh: return gelu(x, approximation: .tanh)
    case .gelu: return gelu(x, approximation: .none)
    case .silu: return silu(x)
    }
}

/// The activation named by the config, on a Variable.
/// `activate` on raw memory, in place, with the same arithmetic (the decoding path).
func activateInPlace(_ x: UnsafeMutablePointer<Float>, count: Int, _ activation: TransformerConfig.Activation) {
    switch activation {
    case .geluTanh: for i in 0..<count { x[i] = gelu(x[i], approximation: .tanh) }
    case .gelu: for i in 0..<count { x[i] = gelu(x[i], approximation: .none) }
    case .silu: siluInPlace(x, count: count)
    }
}

func activate(_ x: Variable, _ activation: TransformerConfig.Activation) -> Variable {
    switch activation {
    case .geluTanh: return gelu(x, approximation: .tanh)
    case .gelu: return gelu(x, approximation: .none)
    case .silu: return silu(x)
    }
}

/// GPT-2's MLP on Tensors: x (T, C) -> (T, C); float weights in Conv1D layout (in, out): up (C, F),
/// down (F, C), or quantized.
func plainMLP(_ x: Tensor, up: LinearWeight, upBias: Tensor?, down: LinearWeight, downBias: Tensor?,
              activation: TransformerConfig.Activation) -> Tensor {
    let hidden = activate(linear(x, weight: up, bias: upBias), activation)  // (T, F)
    return linear(hidden, weight: down, bias: downBias)
}

/// The gated (SwiGLU) MLP on Tensors: x (T, C) -> (T, C); float weights (out, in): gate, up (F, C),
/// down (C, F), or quantized.
func gatedMLP(_ x: Tensor, gate: LinearWeight, gateBias: Tensor?, up: LinearWeight, upBias: Tensor?, down: LinearWeight,
              downBias: Tensor?, activation: TransformerConfig.Activation) -> Tensor {
    let gateOutput = linear(x, weight: gate, bias: gateBias)  // (T, F)
    let upOutput = linear(x, weight: up, bias: upBias)        // (T, F)
    let hidden = activate(gateOutput, activation) * upOutput  // (T, F)
    return linear(hidden, weight: down, bias: downBias)
}

/// Differentiable GPT-2 MLP, same contract as the Tensor version.
func plainMLP(_ x: Variable, up: Variable, upBias: Variable?, down: Variable, downBias: Variable?,
              activation: TransformerConfig.Activation) -> Variable {
    let hidden = activate(linear(x, weight: up, bias: upBias, layout: .inputsByOutputs), activation)
    return linear(hidden, weight: down, bias: downBias, layout: .inputsByOutputs)
}

/// Differentiable gated MLP: its gradient is the product rule through the activation and `*`.
func gatedMLP(_ x: Variable, gate: Variable, gateBias: Variable?, up: Variable, upBias: Variable?, down: Variable,
              downBias: Variable?, activation: TransformerConfig.Activation) -> Variable {
    let hidden = activate(linear(x, weight: gate, bias: gateBias, layout: .outputsByInputs), activation)
        * linear(x, weight: up, bias: upBias, layout: .outputsByInputs)  // (T, F)
    return linear(hidden, weight: down, bias: downBias, layout: .outputsByInputs)
}
