// Exercise 02.4 (language-models.adamw-step): one step of AdamW, the optimizer that trains nearly
// every language model, on a flat list of weights. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter AdamWStepTests

import Foundation   // pow
import LabExercise

/// AdamW's memory for one list of parameters: the two running averages and the step count.
///
/// The optimizer keeps one m and one v per parameter, and counts its steps so that it can
/// correct the averages' bias toward 0 early on. A fresh state is all zeros, step 0.
public struct AdamWMoments {
    /// m: the running mean of the gradients (the first moment), one per parameter.
    public var firstMoment: [Float]
    /// v: the running mean of the squared gradients (the second moment), one per parameter.
    public var secondMoment: [Float]
    /// t: how many steps have been taken (0 before the first; the first step is t = 1).
    public var step: Int

    /// A fresh state for `count` parameters: m and v all zeros, step 0.
    public init(count: Int) {
        firstMoment = [Float](repeating: 0, count: count)
        secondMoment = [Float](repeating: 0, count: count)
        step = 0
    }
}

/// One step of AdamW, exactly as `torch.optim.AdamW`: updates `parameters` in place from their
/// `gradients`, and `moments` with them.
///
/// Plain gradient descent moves every weight by lr·g, so a weight whose gradients happen to be
/// large takes huge steps and one with tiny gradients hardly moves. Adam divides each weight's
/// step by the size of its recent gradients instead: m is a running mean of g (which way, on
/// average), v a running mean of g² (how large), and the step is lr·m/√v, about lr per weight
/// whatever the scale of its gradient. AdamW adds weight decay, decoupled from the gradient:
/// every weight shrinks by the same factor, applied to p directly (not added to g, where the
/// division by √v would undo it).
///
/// With t = step + 1 (the step counter advances first), for each parameter i:
///
///     p ← p − lr·λ·p                               decay first, from the old p
///     m ← β₁·m + (1 − β₁)·g
///     v ← β₂·v + (1 − β₂)·g²
///     m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)          bias correction
///     p ← p − lr·m̂ / (√v̂ + ε)
///
/// **Bias correction.** m and v start at 0, so after one step m = 0.1·g: far too small.
/// Dividing by 1 − β₁ᵗ (0.1 at t = 1, → 1 later) undoes exactly that, so on the first step
/// m̂ = g, v̂ = g², and the update is lr·g / (|g| + ε): lr times the sign of g.
///
/// PyTorch groups the last two lines as p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε), the
/// same number up to rounding; compute the corrections 1 − β₁ᵗ and 1 − β₂ᵗ in Double (PyTorch
/// uses Python floats) and the tests will agree with PyTorch to Float precision.
///
/// - Parameters:
///   - parameters: the weights p, any number of them (a tensor's scalars, flattened).
///   - gradients: dL/dp, one per parameter.
///   - moments: the state for these parameters (`AdamWMoments(count: parameters.count)` at first).
///   - learningRate: lr, the step size (it may change between calls: a schedule).
///   - beta1: β₁, the decay rate of m (PyTorch's default 0.9).
///   - beta2: β₂, the decay rate of v (PyTorch's default 0.999; LLMs often use 0.95).
///   - epsilon: ε, keeps the division finite where v is 0.
///   - weightDecay: λ, the decoupled decay per unit of learning rate (PyTorch's default 0.01).
///
///     var p: [Float] = [1, -2, 0.5]
///     var moments = AdamWMoments(count: 3)
///     adamWStep(parameters: &p, gradients: [0.3, -40, 0], moments: &moments, learningRate: 0.1, weightDecay: 0)
///     // p ≈ [0.9, -1.9, 0.5]: each weight with a gradient moves by lr against its sign
///     // moments.step == 1, firstMoment ≈ [0.03, -4, 0], secondMoment ≈ [0.00009, 1.6, 0]
public func adamWStep(parameters: inout [Float], gradients: [Float], moments: inout AdamWMoments,
                      learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
                      epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
    // TODO: advance moments.step, then for each i: decay p[i], update m[i] and v[i], step p[i].
    return todo(())
}
