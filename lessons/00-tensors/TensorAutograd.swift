// Cell: the kernel's tensor autograd. The scalar neuron again with `Variable`s, the same
// gradients, the tape, and a finite-difference gradient check on a small network.
//
// The engine itself lives in Sources/LabKernel/Autograd; this cell only uses it.

import LabKernel
import LabNotebook

extension TensorsLesson {
    func tensorAutograd() {
        notebook.prose("""
            `Value` works one number at a time: a layer with a million weights would be a million \
            nodes. The kernel's `Variable` applies the same idea to whole tensors. Each operation \
            (matmul, +, tanh, cross-entropy, …) records one node on a tape with a backward rule \
            for the entire tensor; matmul's rule, for instance, is two more matmuls. Here is the \
            neuron from the previous cell, with the inputs as a [1, 2] row and the weights as a \
            [2, 1] column:
            """)
        let x = Variable(Tensor(shape: [1, 2], scalars: NeuronExample.inputs.map(Float.init)), name: "x")
        let w = Variable(Tensor(shape: [2, 1], scalars: NeuronExample.weights.map(Float.init)), name: "w")
        let b = Variable(Tensor([Float(NeuronExample.bias)]), name: "b")
        let o = tanh(matmul(x, w) + b)  // (1, 2)·(2, 1) + (1) -> (1, 1)
        let loss = o.sum()              // (1, 1) -> (): backward() starts from one number
        loss.backward()
        notebook.code("""
            let x = Variable(Tensor(shape: [1, 2], scalars: [0.5, -1.5]))
            let w = Variable(Tensor(shape: [2, 1], scalars: [0.8, -0.4]))
            let b = Variable(Tensor([0.1]))
            let o = tanh(matmul(x, w) + b)      // (1, 2)·(2, 1) + (1) -> (1, 1)
            let loss = o.sum()
            loss.backward()
            """)
        notebook.values([("o", formatFixed(o.value.item, decimals: 4)),
                         ("loss.tape", loss.tape.compactMap(\.operation).joined(separator: " → "))])
        notebook.prose("""
            The tape lists the operations in the order they ran, and `backward()` replays it in \
            reverse: every operation comes after its inputs, so this order is the topological \
            sort that `Value.backward()` had to compute, for free. The gradients match the \
            scalar engine's:
            """)

        let scalar = scalarNeuron()
        scalar.output.backward()
        let pairs: [(String, Double, Float)] = [
            ("w1", scalar.weights[0].grad, w.grad![0, 0]), ("w2", scalar.weights[1].grad, w.grad![1, 0]),
            ("b", scalar.bias.grad, b.grad![0]),
            ("x1", scalar.inputs[0].grad, x.grad![0, 0]), ("x2", scalar.inputs[1].grad, x.grad![0, 1]),
        ]
        var table = Table(["gradient", "Value (Double)", "Variable (Float)", "difference"])
        for (name, expected, actual) in pairs {
            table.append(["∂o/∂" + name, formatFixed(expected, decimals: 6), formatFixed(actual, decimals: 6),
                          formatFixed(abs(expected - Double(actual)), decimals: 8)])
        }
        notebook.table(table)
        let largest = pairs.map { abs($0.1 - Double($0.2)) }.max()!
        // Tolerance: the Variable computes in Float, whose rounding is about 6e-8 relative.
        notebook.check(largest < 1e-6, "the two engines agree: largest difference \(formatFixed(largest, decimals: 8)) (Float against Double, tolerance 1e-6)")

        notebook.prose("""
            Both engines could share the same mistake, so the kernel also checks its backward \
            rules against the definition of the derivative: nudge one input by ±ε, run the forward \
            pass twice, and (f(x + ε) - f(x - ε)) / 2ε approximates the slope. `gradientCheck` \
            does this for every element and compares. Here it checks a small two-layer network \
            with a cross-entropy loss, the kind we train next:
            """)
        var generator = SeededGenerator(seed: 11)
        let inputs = Variable(Tensor.randomNormal([4, 3], using: &generator), requiresGrad: false)
        let w1 = Variable(Tensor.randomNormal([3, 5], standardDeviation: 0.5, using: &generator), name: "w1")
        let b1 = Variable(Tensor.randomNormal([5], standardDeviation: 0.1, using: &generator), name: "b1")
        let w2 = Variable(Tensor.randomNormal([5, 2], standardDeviation: 0.5, using: &generator), name: "w2")
        let targets = [0, 1, 1, 0]
        notebook.code("""
            let result = gradientCheck([w1, b1, w2]) {
                let hidden = tanh(matmul(inputs, w1) + b1)     // (4, 3)·(3, 5) + (5) -> (4, 5)
                return crossEntropy(logits: matmul(hidden, w2), targets: [0, 1, 1, 0])
            }
            """)
        let result = gradientCheck([w1, b1, w2]) {
            let hidden = tanh(matmul(inputs, w1) + b1)  // (4, 3)·(3, 5) + (5) -> (4, 5)
            return crossEntropy(logits: matmul(hidden, w2), targets: targets)
        }
        notebook.output(result.description)
        // Tolerance: with Float losses and ε = 1e-3, correct rules reach ~1e-3 relative error.
        notebook.check(result.passes(tolerance: 1e-2), "every gradient matches its finite difference within 1e-2 relative error")
    }
}
