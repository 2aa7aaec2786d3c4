// Solution 00.4 (tensors.relu-backward): upstream gradient times relu's local slope (1 or 0).

import LabKernel

/// The gradient of a loss L with respect to x, for y = relu(x) = max(x, 0) element-wise.
///
/// By the chain rule, dL/dx[i] = dL/dy[i] · dy[i]/dx[i]. relu's slope is 1 where x[i] > 0 (it
/// passes x through unchanged) and 0 where x[i] < 0 (the output is stuck at 0), so the upstream
/// gradient flows through exactly where relu let the input through and is blocked elsewhere.
/// At the kink x[i] == 0 we use slope 0, as PyTorch does.
///
/// - Parameters:
///   - x: the input that relu saw, any shape (e.g. (B, T, F) inside an MLP)
///   - outputGradient: dL/dy, the same shape as x
/// - Returns: dL/dx, the same shape as x.
///
///     reluBackward(Tensor([-1, 0, 2]), outputGradient: Tensor([10, 20, 30]))   // [0, 0, 30]
public func reluBackward(_ x: Tensor, outputGradient: Tensor) -> Tensor {
    precondition(x.shape == outputGradient.shape,
                 "reluBackward: outputGradient must have x's shape \(x.shape.shapeDescription), "
                 + "got \(outputGradient.shape.shapeDescription)")
    // zipWith pairs the elements of two same-shaped tensors; the result keeps the shape.
    return x.zipWith(outputGradient) { input, gradient in
        input > 0 ? gradient : 0
    }
}
