// Variable: a tensor that remembers how it was computed, so gradients can flow back to it.
//
// SKELETON: the storage and public surface that optimizers, lessons and tests rely on. The
// autograd tape (recording, backward rules, `backward()`) is built on top of it in this folder.

/// A node of the autograd tape: a value, its accumulated gradient, and (for computed nodes) the
/// inputs and the rule that turns the output's gradient into the inputs' gradients.
public final class Variable {
    /// The forward value.
    public var value: Tensor
    /// The gradient of the last loss (or the sum over several backward passes) with respect to
    /// `value`; nil until a backward pass reaches this variable. Same shape as `value`.
    public var grad: Tensor?
    /// Whether gradients should be computed for this variable (parameters and inputs you want
    /// gradients for); constants such as data set it to false.
    public let requiresGrad: Bool
    /// An optional name for messages and plots (`"w1"`, `"layer0.attention.query"`).
    public var name: String?

    /// A leaf: a parameter or an input, not computed from other variables.
    public init(_ value: Tensor, requiresGrad: Bool = true, name: String? = nil) {
        self.value = value
        self.requiresGrad = requiresGrad
        self.name = name
    }

    /// The shape of `value`.
    public var shape: [Int] { value.shape }

    /// Forgets the accumulated gradient (call before each training step's backward pass).
    public func zeroGrad() { grad = nil }
}
