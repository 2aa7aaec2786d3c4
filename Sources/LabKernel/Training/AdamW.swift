// AdamW: Adam with decoupled weight decay, the optimizer behind nearly every open language model.
//
// Scope: one optimizer over a list of parameters with one set of hyperparameters, matching
// `torch.optim.AdamW` (amsgrad off) step for step. Left out: parameter groups (e.g. no decay for
// biases and norm gains: use two AdamW instances over the two lists), AMSGrad, and saving the
// optimizer state (m, v, step counts) with a checkpoint. Training at speed uses BufferAdamW
// (AdamW+Buffer.swift): the same update over a whole model, decay on matrices only, its state saved
// by TrainingCheckpoint; tests hold the two equal bit for bit.
// The learning-rate schedule lives in LearningRateSchedule.swift and drives `learningRate`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam with decoupled weight decay (Loshchilov & Hutter), exactly as `torch.optim.AdamW`.
///
/// For each parameter p with gradient g, step t (counted per parameter, starting at 1) does:
///
///     p ← p − lr·λ·p                              decoupled weight decay
///     m ← β₁·m + (1 − β₁)·g                       running mean of gradients (1st moment)
///     v ← β₂·v + (1 − β₂)·g²                      running mean of squared gradients (2nd moment)
///     p ← p − lr/(1 − β₁ᵗ) · m / (√v/√(1 − β₂ᵗ) + ε)
///
/// **Bias correction.** m and v start at 0, so early on they are averages over mostly zeros and
/// far too small: after one step m = (1 − β₁)·g = 0.1·g. Dividing by 1 − β₁ᵗ (and v by 1 − β₂ᵗ)
/// undoes exactly that shrinkage, so the very first step already moves each weight by about lr.
///
/// **Why decoupled decay.** Classic L2 regularization adds λ·p to the gradient, but Adam then
/// divides the gradient by √v, so weights with large, noisy gradients would barely decay and
/// quiet ones would decay a lot. AdamW instead shrinks every weight by the same factor
/// (1 − lr·λ) outside the adaptive update, which is what "weight decay" is meant to be and
/// generalizes better. Note that the decay is scaled by the (scheduled) learning rate, as in PyTorch.
///
/// Parameters whose `grad` is nil are skipped entirely: no decay, no moment update, and their step
/// count does not advance. State (m, v, t) is kept per parameter, in the order given at creation.
///
///     let optimizer = AdamW(parameters: [w, b], learningRate: 3e-4)
///     for step in 0..<steps {
///         optimizer.learningRate = schedule.learningRate(atStep: step)
///         optimizer.zeroGrad()
///         loss().backward()
///         optimizer.step()
///     }
public final class AdamW {
    /// The parameters updated by `step()`, in a fixed order (state is matched by position).
    public let parameters: [Variable]
    /// The learning rate used by the next `step()`; set it before each step to follow a schedule.
    public var learningRate: Float
    /// Decay rate of the gradient's running mean (PyTorch default 0.9).
    public let beta1: Float
    /// Decay rate of the squared gradient's running mean (PyTorch default 0.999; LLMs often use 0.95).
    public let beta2: Float
    /// Added to the denominator so that a parameter with tiny gradients is not divided by ~0.
    public let epsilon: Float
    /// λ, the decoupled weight decay per unit of learning rate (PyTorch default 0.01; LLMs often 0.1).
    public let weightDecay: Float

    /// Per-parameter state: how many updates it has had, and its two moment estimates (same shape).
    private struct State {
        var step = 0
        var firstMoment: [Float]
        var secondMoment: [Float]
    }
    private var states: [State]

    /// An optimizer for `parameters`; defaults are PyTorch's.
    public init(parameters: [Variable], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        precondition(learningRate >= 0, "AdamW: learningRate must be ≥ 0, got \(learningRate)")
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2),
                     "AdamW: beta1 and beta2 must be in [0, 1), got \(beta1) and \(beta2)")
        precondition(epsilon >= 0 && weightDecay >= 0,
                     "AdamW: epsilon and weightDecay must be ≥ 0, got \(epsilon) and \(weightDecay)")
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.states = parameters.map { State(firstMoment: [Float](repeating: 0, count: $0.value.count),
                                             secondMoment: [Float](repeating: 0, count: $0.value.count)) }
    }

    /// How many updates the parameter at `index` has received (0 until it first has a gradient).
    public func stepCount(ofParameterAt index: Int) -> Int { states[index].step }

    /// Updates every parameter that has a gradient, using `learningRate` as it is now.
    public func step() {
        for (index, parameter) in parameters.enumerated() {
            guard let grad = parameter.grad else { continue }
            precondition(grad.shape == parameter.value.shape,
                         "AdamW: parameter \(index) (\(parameter.name ?? "unnamed")) has shape \(parameter.value.shape.shapeDescription) "
                         + "but its gradient has shape \(grad.shape.shapeDescription)")
            precondition(parameter.value.count == states[index].firstMoment.count,
                         "AdamW: parameter \(index) (\(parameter.name ?? "unnamed")) changed size since the optimizer was created")
            states[index].step += 1
            update(parameter, gradient: grad, state: &states[index])
        }
    }

    /// Forgets the gradients of all parameters (call before each backward pass).
    public func zeroGrad() {
        for parameter in parameters { parameter.zeroGrad() }
    }

    /// One AdamW update of one parameter, in PyTorch's order of operations.
    private func update(_ parameter: Variable, gradient: Tensor, state: inout State) {
        let t = Double(state.step)
        // The corrections are computed in Double, as PyTorch does in Python floats.
        let biasCorrection1 = 1 - pow(Double(beta1), t)
        let biasCorrection2Root = (1 - pow(Double(beta2), t)).squareRoot()
        let stepSize = Float(Double(learningRate) / biasCorrection1)
        let correction2Root = Float(biasCorrection2Root)
        let decay = 1 - learningRate * weightDecay
        let (beta1, beta2, epsilon) = (self.beta1, self.beta2, self.epsilon)

        gradient.withUnsafeBufferPointer { g in
            state.firstMoment.withUnsafeMutableBufferPointer { m in
                state.secondMoment.withUnsafeMutableBufferPointer { v in
                    parameter.value.withUnsafeMutableBufferPointer { p in
                        for i in 0..<p.count {
                            p[i] *= decay
                            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                            let denominator = v[i].squareRoot() / correction2Root + epsilon
                            p[i] -= stepSize * (m[i] / denominator)
                        }
                    }
                }
            }
        }
    }
}
