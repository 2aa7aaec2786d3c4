// Cells: training a tiny network with plain gradient descent, then pictures of what it learned.
//
// A two-layer MLP (2 -> 16 -> 2, tanh) learns to tell the points inside a circle from those
// outside, with the kernel's Variables for gradients and a hand-written update `w -= lr·grad`.
// Optimizers with momentum (AdamW) and learning-rate schedules come in the language-model
// lessons, from the kernel's Training folder.

import LabKernel
import LabNotebook

/// Points in the square [-1, 1]² labelled 1 outside the circle of radius √0.5 and 0 inside.
struct CircleData {
    /// Shape (N, 2).
    let points: Tensor
    /// N labels, 0 (inside) or 1 (outside).
    let labels: [Int]

    init(count: Int, using generator: inout SeededGenerator) {
        let points = Tensor.randomUniform([count, 2], in: -1..<1, using: &generator)
        self.points = points
        labels = (0..<count).map { i in
            let (x, y) = (points[i, 0], points[i, 1])
            return x * x + y * y > 0.5 ? 1 : 0
        }
    }
}

/// A two-layer perceptron: logits = tanh(x·W1 + b1)·W2 + b2.
struct TinyMLP {
    let w1: Variable  // (2, H)
    let b1: Variable  // (H)
    let w2: Variable  // (H, 2)
    let b2: Variable  // (2)

    init(hidden: Int, using generator: inout SeededGenerator) {
        // Weights ~ N(0, 1/fan-in): each unit's input sum starts with variance about 1, in
        // tanh's responsive range rather than its flat tails.
        w1 = Variable(Tensor.randomNormal([2, hidden], standardDeviation: (1.0 / 2).squareRoot(), using: &generator), name: "w1")
        b1 = Variable(Tensor.zeros([hidden]), name: "b1")
        w2 = Variable(Tensor.randomNormal([hidden, 2], standardDeviation: (1 / Float(hidden)).squareRoot(), using: &generator), name: "w2")
        b2 = Variable(Tensor.zeros([2]), name: "b2")
    }

    var parameters: [Variable] { [w1, b1, w2, b2] }

    /// Logits for a batch of points: (N, 2) -> (N, 2).
    func callAsFunction(_ x: Variable) -> Variable {
        let hidden = tanh(matmul(x, w1) + b1)  // (N, 2)·(2, H) + (H) -> (N, H)
        return matmul(hidden, w2) + b2          // (N, H)·(H, 2) + (2) -> (N, 2)
    }

    /// The fraction of points whose largest logit is their label.
    func accuracy(_ data: CircleData) -> Float {
        let predictions = self(Variable(data.points, requiresGrad: false)).value.argmax(alongAxis: -1)
        return Float(zip(predictions, data.labels).filter { $0 == $1 }.count) / Float(data.labels.count)
    }

    /// P(outside) on a grid over [-1, 1]²: shape (rows, columns), the top row at y = +1.
    func probabilityMap(rows: Int, columns: Int) -> Tensor {
        var points: [Float] = []
        for r in 0..<rows {
            for c in 0..<columns {
                points += [-1 + 2 * Float(c) / Float(columns - 1), 1 - 2 * Float(r) / Float(rows - 1)]
            }
        }
        let logits = self(Variable(Tensor(shape: [rows * columns, 2], scalars: points), requiresGrad: false)).value
        let probabilities = softmax(logits)  // (rows·columns, 2): P(inside), P(outside)
        return Tensor(shape: [rows, columns], scalars: (0..<rows * columns).map { probabilities[$0, 1] })
    }
}

extension TensorsLesson {
    /// Trains the network; returns it with its probability map from before training.
    func trainingLoop() -> (model: TinyMLP, before: Tensor) {
        let (count, steps) = notebook.quick ? (200, 300) : (400, 1000)
        let learningRate: Float = 0.5
        var generator = SeededGenerator(seed: 2024)
        let data = CircleData(count: count, using: &generator)
        let model = TinyMLP(hidden: 16, using: &generator)
        let inside = data.labels.filter { $0 == 0 }.count
        notebook.prose("""
            Now all the pieces together. The task: \(count) random points in the square \
            [-1, 1]², labelled by whether they lie outside the circle x² + y² = 0.5 \
            (\(count - inside) outside, \(inside) inside). No straight line separates the two, \
            so the network needs its hidden layer: 2 inputs → 16 tanh units → 2 logits, \
            \(model.parameters.map(\.value.count).reduce(0, +)) parameters in all. Each step runs \
            the forward pass on all points, measures the cross-entropy loss, backpropagates, and \
            moves every parameter a little against its gradient:
            """)
        notebook.code("""
            for step in 0..<\(steps) {
                let loss = crossEntropy(logits: model(points), targets: labels)
                for p in model.parameters { p.zeroGrad() }
                loss.backward()
                for p in model.parameters { p.value -= \(formatFixed(learningRate, decimals: 1)) * p.grad! }
            }
            """)
        let before = model.probabilityMap(rows: 17, columns: 17)
        let points = Variable(data.points, requiresGrad: false)
        var losses: [Float] = []
        var progress = Table(["step", "loss", "accuracy"])
        let reportAt = Set([0, steps / 10, steps / 4, steps / 2, steps - 1])
        for step in 0..<steps {
            let loss = crossEntropy(logits: model(points), targets: data.labels)
            for parameter in model.parameters { parameter.zeroGrad() }
            loss.backward()
            for parameter in model.parameters { parameter.value -= learningRate * parameter.grad! }
            losses.append(loss.value.item)
            if reportAt.contains(step) {
                progress.append([String(step), formatFixed(loss.value.item, decimals: 4),
                                 formatFixed(100 * model.accuracy(data), decimals: 1) + "%"])
            }
        }
        notebook.table(progress)
        notebook.sparkline("loss", losses, width: 60, yLabel: "loss")
        notebook.prose("""
            The loss starts near ln 2 ≈ 0.693, the cost of guessing 50/50, and falls as the \
            network bends its boundary around the circle. With a learning rate much larger the \
            steps overshoot and the loss jumps around; much smaller and it crawls. AdamW, used \
            from lesson 02 on, adapts the step size for each parameter.

            Accuracy on the training points can flatter a model that memorised them, so the real \
            test is points it has never seen:
            """)
        var testGenerator = SeededGenerator(seed: 99)
        let test = CircleData(count: 1000, using: &testGenerator)
        notebook.values([("training accuracy", formatFixed(100 * model.accuracy(data), decimals: 1) + "%"),
                         ("accuracy on 1000 new points", formatFixed(100 * model.accuracy(test), decimals: 1) + "%")])
        return (model, before)
    }

    func whatTheNetworkLearned(_ model: TinyMLP, before: Tensor) {
        notebook.prose("""
            What did it learn? Below, the network's probability that a point is outside the \
            circle, over a grid of the square: x from -1 to 1 left to right, y from 1 at the top \
            to -1 at the bottom (a cell is two characters wide, so the grid is square). Before \
            training it is a vague slope across the square:
            """)
        let (rows, columns) = (before.shape[0], before.shape[1])
        let rowLabels = (0..<rows).map { r in r % 8 == 0 ? formatFixed(1 - 2 * Float(r) / Float(rows - 1), decimals: 0) : "" }
        let columnLabels = [0: "-1", columns / 2: "0", columns - 1: "1"]
        notebook.heatmap(Heatmap(before, rowLabels: rowLabels, columnLabels: columnLabels, range: 0...1),
                         title: "P(outside the circle) over the square, before training")
        let after = model.probabilityMap(rows: rows, columns: columns)
        notebook.prose("After training, a disc of low probability sits where the circle is (radius √0.5 ≈ 0.71):")
        notebook.heatmap(Heatmap(after, rowLabels: rowLabels, columnLabels: columnLabels, range: 0...1),
                         title: "P(outside the circle) over the square, after training")
        var agree = 0
        for r in 0..<rows {
            for c in 0..<columns {
                let (x, y) = (-1 + 2 * Float(c) / Float(columns - 1), 1 - 2 * Float(r) / Float(rows - 1))
                if (after[r, c] > 0.5) == (x * x + y * y > 0.5) { agree += 1 }
            }
        }
        notebook.values([("grid points classified like the true circle", "\(agree) of \(rows * columns)")])

        notebook.prose("""
            How does a network of straight lines make a circle? Each hidden unit computes \
            tanh(w_x·x + w_y·y + b): a soft step across one line of the plane, facing the \
            direction (w_x, w_y). The columns of W1 are those 16 directions, and the second layer \
            adds the 16 steps up so that together they enclose the disc. Here is W1 after \
            training: blue (light shades without colors) for negative weights, red (dark \
            shades) for positive ones, white (▒) near zero:
            """)
        notebook.heatmap(Heatmap(model.w1.value, rowLabels: ["w_x", "w_y"]), title: "W1 after training: one column per hidden unit")
    }
}
