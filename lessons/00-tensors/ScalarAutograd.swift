// Cell: autograd for scalars. The `Value` engine (Value.swift) on a small expression, checked
// against derivatives worked out by hand, then on one neuron.
//
// The same neuron is rebuilt with the kernel's tensor autograd in TensorAutograd.swift.

import LabKernel
import LabNotebook

/// The neuron used by this cell and the next: two inputs, two weights, a bias, tanh.
struct NeuronExample {
    static let inputs: [Double] = [0.5, -1.5]
    static let weights: [Double] = [0.8, -0.4]
    static let bias: Double = 0.1
}

extension TensorsLesson {
    func scalarAutograd() {
        notebook.prose("""
            Training a network means nudging every parameter in the direction that lowers the \
            loss, so we need the derivative of the loss with respect to each parameter. Working \
            them out by hand stops being possible after a few layers; autograd computes them \
            automatically. The idea fits in one small class, `Value` (lessons/00-tensors/Value.swift): \
            every +, * or tanh creates a node that remembers its inputs and its local derivative. \
            Then `backward()` walks the graph from the output back to the inputs, and each node \
            passes on the gradient it received times its local derivative: the chain rule.
            """)
        let x = Value(3, label: "x"), y = Value(-2, label: "y"), z = Value(1.5, label: "z")
        let a = x * y; a.label = "a"
        let b = a + z; b.label = "b"
        let out = b * x; out.label = "out"
        out.backward()
        notebook.code("""
            let x = Value(3), y = Value(-2), z = Value(1.5)
            let a = x * y
            let b = a + z
            let out = b * x        // x is used twice
            out.backward()
            """)
        notebook.table(graphTable(out))
        notebook.prose("""
            Read the graph from the top: out's gradient is 1 by definition; since out = b·x, b \
            receives x = 3; a + z passes that 3 unchanged to both a and z. x appears twice, so its \
            gradient is the sum of two paths, b = -4.5 from out and y·3 = -6 through a. That is \
            why the engine adds (+=) into gradients instead of assigning them. Calculus agrees, \
            since out = x²y + xz:
            """)
        let expected: [(String, Value, Double)] = [("∂out/∂x = 2xy + z", x, 2 * 3 * -2 + 1.5),
                                                   ("∂out/∂y = x²", y, 9), ("∂out/∂z = x", z, 3)]
        notebook.checks(expected.map { name, node, value in
            (node.grad == value, "\(name) = \(formatFixed(value, decimals: 4)), the engine says \(formatFixed(node.grad, decimals: 4))")
        })

        notebook.prose("""
            A neuron is the same thing with a name: a weighted sum of its inputs plus a bias, \
            squashed by tanh, o = tanh(x1·w1 + x2·w2 + b). After `backward()` the gradients of the \
            weights and the bias say how to change each one to move the output:
            """)
        let neuron = scalarNeuron()
        neuron.output.backward()
        notebook.table(graphTable(neuron.output))
        notebook.prose("""
            Each weight's gradient is its input times tanh's local derivative, 1 - o² = \
            \(formatFixed(1 - neuron.output.data * neuron.output.data, decimals: 4)). w2 multiplies \
            the larger input, -1.5, so its gradient is three times w1's, with the opposite sign: \
            changing w2 by a small ε changes o by about \(formatFixed(neuron.weights[1].grad, decimals: 4))·ε.
            """)
    }

    /// The example neuron as a graph of `Value`s.
    func scalarNeuron() -> (output: Value, inputs: [Value], weights: [Value], bias: Value) {
        let inputs = NeuronExample.inputs.enumerated().map { Value($1, label: "x\($0 + 1)") }
        let weights = NeuronExample.weights.enumerated().map { Value($1, label: "w\($0 + 1)") }
        let bias = Value(NeuronExample.bias, label: "b")
        let p1 = inputs[0] * weights[0]; p1.label = "p1"
        let p2 = inputs[1] * weights[1]; p2.label = "p2"
        let s = p1 + p2; s.label = "s"
        let n = s + bias; n.label = "n"
        let o = n.tanh(); o.label = "o"
        return (o, inputs, weights, bias)
    }
}

/// The graph under `root` as an indented tree, one row per use of a node, with data and gradient.
func graphTable(_ root: Value) -> Table {
    var table = Table(["node", "data", "grad"])
    func describe(_ node: Value) -> String {
        switch (node.operation, node.inputs.count) {
        case ("", _): return node.label
        case (_, 1): return "\(node.label) = \(node.operation)(\(node.inputs[0].label))"
        default: return "\(node.label) = " + node.inputs.map(\.label).joined(separator: " \(node.operation) ")
        }
    }
    func visit(_ node: Value, prefix: String, childPrefix: String) {
        table.append([prefix + describe(node), formatFixed(node.data, decimals: 4), formatFixed(node.grad, decimals: 4)])
        for (index, input) in node.inputs.enumerated() {
            let last = index == node.inputs.count - 1
            visit(input, prefix: childPrefix + (last ? "└─ " : "├─ "), childPrefix: childPrefix + (last ? "   " : "│  "))
        }
    }
    visit(root, prefix: "", childPrefix: "")
    return table
}
