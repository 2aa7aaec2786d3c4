// Gradient clipping by global norm: one bad batch must not throw the weights across the landscape.
//
// Scope: the L2 norm over all gradients together, as `torch.nn.utils.clip_grad_norm_` with
// norm_type 2 (what GPT-2, Llama and nanoGPT training use, typically with max norm 1.0). Left out:
// other norms (max-norm, L1), clipping each tensor on its own, and clipping by value.

/// Scales all gradients down together when their global L2 norm is larger than `maxNorm`, and
/// returns that norm (measured before clipping), as `torch.nn.utils.clip_grad_norm_`.
///
/// The global norm treats every gradient of every parameter as one long vector:
/// `total = √(Σ over parameters Σ over elements g²)`. When it is too large, every gradient is
/// multiplied by the same factor `maxNorm / (total + 1e-6)`, so the update keeps its direction and
/// only its length shrinks (to just under `maxNorm`); per-tensor clipping would change the direction.
/// The 1e-6 guards against dividing by zero. As in PyTorch, the factor is applied exactly when it
/// is below 1, i.e. when `total + 1e-6 > maxNorm`; gradients already short enough are untouched.
///
/// Parameters whose `grad` is nil are skipped (they count as zero). The sum of squares is
/// accumulated in Double. If the total is not finite (an overflow or a NaN somewhere), the
/// gradients are left unchanged and the non-finite total is returned so that the caller can skip
/// the step — PyTorch would instead multiply every gradient by NaN.
///
/// - Parameters:
///   - parameters: the model's parameters; their `grad`s are changed in place
///   - maxNorm: the largest allowed global norm, > 0
/// - Returns: the global L2 norm of the gradients before clipping (log it: spikes show instability)
@discardableResult
public func clipGradientNorm(_ parameters: [Variable], maxNorm: Float) -> Float {
    precondition(maxNorm > 0, "clipGradientNorm: maxNorm must be > 0, got \(maxNorm)")
    var sumOfSquares = 0.0
    for parameter in parameters {
        guard let grad = parameter.grad else { continue }
        grad.withUnsafeBufferPointer { g in
            for value in g { sumOfSquares += Double(value) * Double(value) }
        }
    }
    let total = Float(sumOfSquares.squareRoot())
    guard total.isFinite else { return total }

    let scale = maxNorm / (total + 1e-6)
    if scale < 1 {
        for parameter in parameters where parameter.grad != nil {
            parameter.grad!.withUnsafeMutableBufferPointer { g in
                for i in 0..<g.count { g[i] *= scale }
            }
        }
    }
    return total
}
