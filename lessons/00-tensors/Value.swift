// Value: a scalar that remembers how it was computed, so it can compute its own derivatives.
//
// A micrograd-style automatic differentiation engine in about sixty lines: each operation builds a
// node that stores its result, its inputs, and a rule that passes a gradient back to those inputs
// (the local derivative times the gradient that arrives, the chain rule). `backward()` sorts the
// graph so every node comes after its inputs, then applies the rules from the output back.
// Only +, *, tanh and a few conveniences: enough for a neuron. Tensors, broadcasting and the
// rest are the kernel's `Variable` (Sources/LabKernel/Autograd), shown in the next cell.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scalar node of a computation graph, with the gradient of the final output with respect to it.
final class Value {
    /// The number computed in the forward pass.
    let data: Double
    /// d(output)/d(self), filled in by `backward()` on the output; accumulates over all uses.
    var grad: Double = 0
    /// A name for printing (`"x"`, `"w1"`); computed nodes describe their operation instead.
    var label: String
    /// The operation that made this node ("+", "*", "tanh"), empty for a leaf.
    let operation: String
    /// The nodes this one was computed from.
    let inputs: [Value]
    /// Given this node's gradient, adds each input's share to the input's `grad`.
    private let propagate: (Double) -> Void

    /// A leaf: an input or a parameter.
    convenience init(_ data: Double, label: String = "") {
        self.init(data, label: label, operation: "", inputs: []) { _ in }
    }

    private init(_ data: Double, label: String, operation: String, inputs: [Value],
                 propagate: @escaping (Double) -> Void) {
        self.data = data
        self.label = label
        self.operation = operation
        self.inputs = inputs
        self.propagate = propagate
    }

    /// a + b: the local derivative is 1 for both, so each receives the gradient unchanged.
    static func + (a: Value, b: Value) -> Value {
        Value(a.data + b.data, label: "", operation: "+", inputs: [a, b]) { grad in
            a.grad += grad
            b.grad += grad
        }
    }

    /// a · b: each input's local derivative is the other input.
    static func * (a: Value, b: Value) -> Value {
        Value(a.data * b.data, label: "", operation: "*", inputs: [a, b]) { grad in
            a.grad += b.data * grad
            b.grad += a.data * grad
        }
    }

    /// tanh(a): the local derivative is 1 - tanh(a)², computed from the output.
    func tanh() -> Value {
        let t = libmTanh(data)
        return Value(t, label: "", operation: "tanh", inputs: [self]) { grad in
            self.grad += (1 - t * t) * grad
        }
    }

    /// Computes the gradient of `self` with respect to every node it depends on.
    ///
    /// A node's gradient is complete only when every node that uses it has passed its share
    /// back, so the rules run in reverse topological order: outputs before inputs.
    func backward() {
        var order: [Value] = []
        var visited = Set<ObjectIdentifier>()
        func visit(_ node: Value) {
            guard visited.insert(ObjectIdentifier(node)).inserted else { return }
            for input in node.inputs { visit(input) }
            order.append(node)  // after all of its inputs
        }
        visit(self)
        for node in order { node.grad = 0 }
        grad = 1  // d(self)/d(self)
        for node in order.reversed() { node.propagate(node.grad) }
    }
}

/// The C library's tanh under a name that cannot collide with `Value.tanh()`.
private func libmTanh(_ x: Double) -> Double { tanh(x) }
