// Exercise 00.4 (tensors.relu-backward): the first backward rule, the chain rule in one line.
// Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter ReLUBackwardTests

import LabKernel
import LabExercise

/// The gradient of a loss L with respect to x, for y = relu(x) = max(x, 0) element-wise.
///
/// Backpropagation hands every operation the gradient of the loss with respect to its output,
/// dL/dy (the "upstream" or output gradient), and asks for the gradient with respect to its input.
/// By the chain rule, dL/dx[i] = dL/dy[i] · dy[i]/dx[i]: the upstream gradient times the local
/// slope of relu at x[i]. What is that slope where x[i] > 0, and where x[i] < 0?
///
/// relu has a kink at exactly 0 and no derivative there. Use slope 0 at x[i] == 0, as PyTorch
/// does, so that your results match the kernel's autograd and PyTorch's.
///
/// - Parameters:
///   - x: the input that relu saw, any shape (e.g. (B, T, F) inside an MLP)
///   - outputGradient: dL/dy, the same shape as x
/// - Returns: dL/dx, the same shape as x.
///
///     reluBackward(Tensor([-1, 0, 2]), outputGradient: Tensor([10, 20, 30]))   // [0, 0, 30]
///
/// Do not use the autograd (`Variable`, `relu(_: Variable)`, `backward()`): this exercise writes
/// the rule that the autograd uses. Tensor's element access, `map` and `zipWith` are fine.
public func reluBackward(_ x: Tensor, outputGradient: Tensor) -> Tensor {
    // TODO: check that the shapes agree (precondition), then let the upstream gradient through
    // where relu let x through, and 0 elsewhere.
    return todo(Tensor.zeros(x.shape))
}
