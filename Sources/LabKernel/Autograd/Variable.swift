// Variable: a tensor that remembers how it was computed, so gradients can flow back to it.
//
// This is lesson 00's micrograd-style scalar `Value`, grown up to tensors. Each operation on
// Variables (Variable+Arithmetic.swift, +Matmul, +Activations, +Softmax, +Norms, +Embedding)
// computes its forward value with the kernel's Tensor function and *records* a tape node: its
// inputs and a backward rule mapping the output's gradient to the inputs' gradients.
//
// The tape. Every recorded node gets the next number from one increasing counter, its tape
// index. An operation can only run after its inputs exist, so inputs always have smaller
// indices than outputs: ordering by tape index is a valid topological order for free, with no
// depth-first sort (which is what micrograd's `build_topo` computes). `backward()`
// (Variable+Backward.swift) collects the nodes reachable from the loss (`loss.tape`, in
// recording order) and replays their rules in reverse.
//
// Why not one global list of nodes? It would keep every graph alive until someone clears it
// and it would be shared mutable state. Here the graph is owned by the Variables themselves: an
// output holds its inputs, never the reverse, so when the last reference to a loss goes away
// the whole graph (and every tensor its rules captured) is released. Only the counter is
// global, behind a lock, so Swift 6's concurrency checking is satisfied.
//
// Cheap inference: an operation none of whose inputs requires a gradient records nothing and
// returns a constant (requiresGrad false), so a forward pass over constants costs what the
// Tensor functions cost.
//
// Left out: higher-order gradients (backward rules use Tensors, not Variables), in-place
// operations, and thread safety of a graph (build and differentiate it on one thread).

import Foundation

/// A node of the autograd tape: a value, its accumulated gradient, and (for computed variables)
/// the inputs and the rule that turns the output's gradient into the inputs' gradients.
///
///     let w = Variable(Tensor([[1, 2], [3, 4]]), name: "w")
///     let x = Variable(Tensor([[1], [1]]), requiresGrad: false)
///     let loss = matmul(w, x).sum()      // 10
///     loss.backward()
///     w.grad                             // [[1, 1], [1, 1]]
public final class Variable {
    /// The forward value.
    public var value: Tensor
    /// The gradient of the last loss (or the sum over several backward passes) with respect to
    /// `value`; nil until a backward pass reaches this variable. Same shape as `value`.
    /// Computed variables keep it only when `retainsGrad` is set.
    public var grad: Tensor?
    /// Whether gradients should be computed for this variable (parameters and inputs you want
    /// gradients for); constants such as data set it to false. A computed variable requires a
    /// gradient exactly when one of its inputs does.
    public let requiresGrad: Bool
    /// An optional name for messages and plots (`"w1"`, `"layer0.attention.query"`).
    public var name: String?
    /// For a computed variable: also store its gradient in `grad` during `backward()`.
    /// Off by default, so that the gradients of intermediate activations are freed as soon as
    /// the backward pass has used them; turn it on to look inside (e.g. the gradient reaching
    /// the logits). Leaves always store their gradient.
    public var retainsGrad = false
    /// How this variable was computed; nil for a leaf and for a constant result.
    let node: TapeNode?

    /// A leaf: a parameter or an input, not computed from other variables.
    public init(_ value: Tensor, requiresGrad: Bool = true, name: String? = nil) {
        self.value = value
        self.requiresGrad = requiresGrad
        self.name = name
        self.node = nil
    }

    /// A computed variable recorded on the tape.
    private init(_ value: Tensor, node: TapeNode) {
        self.value = value
        self.requiresGrad = true
        self.node = node
    }

    /// The shape of `value`.
    public var shape: [Int] { value.shape }

    /// Forgets the accumulated gradient (call before each training step's backward pass).
    public func zeroGrad() { grad = nil }

    /// True for a variable created directly (a parameter, an input, a constant), false for one
    /// computed by a recorded operation.
    public var isLeaf: Bool { node == nil }

    /// The name of the operation that computed this variable (`"matmul"`, `"add"`), nil for a leaf.
    public var operation: String? { node?.operation }

    /// This variable's position on the tape (larger means recorded later), nil for a leaf.
    public var tapeIndex: Int? { node?.index }

    /// Records an operation: returns a variable holding `value` that remembers `inputs` and
    /// `backward`, or a constant when no input requires a gradient (then nothing is recorded).
    ///
    /// `backward` receives the gradient of the loss with respect to the output (the output's
    /// shape) and returns one gradient per input, in order, each of that input's shape; it may
    /// return nil for an input that does not require a gradient. It must not capture the output
    /// variable (that would be a reference cycle); capture tensors instead.
    static func record(_ operation: String, _ value: Tensor, inputs: [Variable],
                       backward: @escaping (Tensor) -> [Tensor?]) -> Variable {
        guard inputs.contains(where: \.requiresGrad) else { return Variable(value, requiresGrad: false) }
        let node = TapeNode(index: tapeClock.tick(), operation: operation, inputs: inputs, backward: backward)
        return Variable(value, node: node)
    }
}

/// What a recorded operation leaves on the tape.
struct TapeNode {
    /// The position on the tape: larger than the index of any input computed before.
    let index: Int
    /// A short name for messages (`"matmul"`).
    let operation: String
    /// The variables the output was computed from, in the order `backward` returns gradients.
    let inputs: [Variable]
    /// Maps the output's gradient to the inputs' gradients (nil for inputs that need none).
    let backward: (Tensor) -> [Tensor?]
}

/// The tape's clock: hands out increasing tape indices, safely from any thread.
private final class TapeClock: @unchecked Sendable {
    private let lock = NSLock()
    private var last = 0

    func tick() -> Int {
        lock.lock()
        defer { lock.unlock() }
        last += 1
        return last
    }
}

private let tapeClock = TapeClock()

extension Variable: CustomStringConvertible {
    /// One line: name or operation, shape, and whether it takes part in gradients, e.g.
    /// `Variable "w1" [5, 8] (leaf, requires grad)` or `Variable [6, 8] = matmul(x, w1)`.
    public var description: String {
        var text = "Variable"
        if let name { text += " \"\(name)\"" }
        text += " \(shape.shapeDescription)"
        if let node {
            let inputs = node.inputs.map { $0.name ?? $0.operation ?? "_" }.joined(separator: ", ")
            text += " = \(node.operation)(\(inputs))"
        } else {
            text += requiresGrad ? " (leaf, requires grad)" : " (constant)"
        }
        return text
    }
}
