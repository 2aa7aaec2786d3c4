// Cells: a neural language model that sees the last three tokens (Bengio et al., 2003, "A neural
// probabilistic language model"), trained with the tape on the whole training part, and the same
// model trained too long on too little text, where the held-out loss turns back up.
//
// The model: each of the three context tokens is looked up in one shared embedding table
// (V × d), the three vectors are concatenated and go through one hidden layer (tanh) and an
// output layer of V logits. Concatenating and multiplying by a (3d × h) matrix is the same as
// multiplying each vector by its own (d × h) block and adding, which is how it is written here.
//
// Left out: batch norm, dropout and learning-rate schedules (the transformer cell uses the
// kernel's schedule).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LabKernel
import LabNotebook

/// An MLP language model over the last `context` tokens.
struct ContextMLP {
    static let context = 3
    let embedding: Variable        // (V, d), shared by the context positions
    let hidden: [Variable]         // context × (d, h): the blocks of the (3d × h) matrix
    let hiddenBias: Variable       // (h)
    let output: Variable           // (h, V)
    let outputBias: Variable       // (V)

    var parameters: [Variable] { [embedding] + hidden + [hiddenBias, output, outputBias] }
    var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    init(vocabularySize v: Int, embeddingWidth d: Int, hiddenWidth h: Int, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        embedding = Variable(Tensor.randomNormal([v, d], standardDeviation: 1, using: &generator), name: "embedding")
        // tanh's gain 5/3 over √fan-in keeps the hidden layer out of saturation at the start;
        // small output weights make the first logits near 0 (a first loss near ln V).
        let scale = Float(5.0 / 3.0) / Float(Double(ContextMLP.context * d).squareRoot())
        hidden = (0..<ContextMLP.context).map {
            Variable(Tensor.randomNormal([d, h], standardDeviation: scale, using: &generator), name: "hidden\($0)")
        }
        hiddenBias = Variable(Tensor.zeros([h]), name: "hiddenBias")
        output = Variable(Tensor.randomNormal([h, v], standardDeviation: 0.01, using: &generator), name: "output")
        outputBias = Variable(Tensor.zeros([v]), name: "outputBias")
    }

    /// The logits (N, V) for N contexts; `contexts[k]` holds the N ids at context position k.
    func logits(_ contexts: [[Int]]) -> Variable {
        var sum = hiddenBias
        for (k, ids) in contexts.enumerated() {
            sum = matmul(LabKernel.embedding(embedding, ids: ids), hidden[k]) + sum
        }
        return matmul(tanh(sum), output) + outputBias
    }

    /// The contexts and targets at `positions` of `ids` (each position ≥ context).
    static func examples(_ ids: [Int], at positions: [Int]) -> (contexts: [[Int]], targets: [Int]) {
        let contexts = (0..<context).map { k in positions.map { ids[$0 - context + k] } }
        return (contexts, positions.map { ids[$0] })
    }

    /// The mean cross-entropy of every token of `ids` from the third on, in chunks, without gradients.
    func loss(on ids: [Int]) -> Double {
        var total = 0.0
        let positions = Array(ContextMLP.context..<ids.count)
        for start in stride(from: 0, to: positions.count, by: 4096) {
            let chunk = Array(positions[start..<min(positions.count, start + 4096)])
            let (contexts, targets) = ContextMLP.examples(ids, at: chunk)
            total += Double(crossEntropy(logits: logits(contexts), targets: targets).value.item) * Double(chunk.count)
        }
        return total / Double(positions.count)
    }

    /// One AdamW step on a random batch of `ids`; returns the batch's loss.
    func trainingStep(_ ids: [Int], batch: Int, optimizer: AdamW, using generator: inout SeededGenerator) -> Float {
        let positions = (0..<batch).map { _ in ContextMLP.context + generator.nextInt(below: ids.count - ContextMLP.context) }
        let (contexts, targets) = ContextMLP.examples(ids, at: positions)
        let loss = crossEntropy(logits: logits(contexts), targets: targets)
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
        return loss.value.item
    }
}

extension LanguageModelsLesson {
    func contextMLP(_ setup: Setup, scores: inout Scores) -> ContextMLP {
        let model = ContextMLP(vocabularySize: setup.vocabularySize, embeddingWidth: 32, hiddenWidth: 128, seed: 3)
        let batch = 256, steps = sizes.mlpSteps
        notebook.prose("""
            A bigram cannot tell "the" after "in" from "the" after "saw": it sees one token. \
            Counting longer contexts runs out of data fast (V³ = \
            \(grouped(setup.vocabularySize * setup.vocabularySize * setup.vocabularySize)) \
            triples for three tokens of context, almost all never seen). Bengio's 2003 answer: \
            give every token a short vector (an embedding, learned), feed the vectors of the \
            last three tokens to a small neural network, and let it output V logits. Tokens \
            used alike get similar vectors, so what the model learns about one context carries \
            over to similar ones it never saw.
            """)
        notebook.code("""
            // embedding (V, 32), three blocks (32, 128) of one (96, 128) matrix, output (128, V)
            var sum = hiddenBias
            for k in 0..<3 { sum = matmul(embedding(table, ids: contexts[k]), hidden[k]) + sum }
            let logits = matmul(tanh(sum), output) + outputBias   // (batch, V)
            let loss = crossEntropy(logits: logits, targets: targets)
            """)
        let optimizer = AdamW(parameters: model.parameters, learningRate: 3e-3, weightDecay: 0.01)
        var generator = SeededGenerator(seed: 4)
        var losses: [Float] = []
        let started = Stopwatch.now()
        for _ in 0..<steps { losses.append(model.trainingStep(setup.train, batch: batch, optimizer: optimizer, using: &generator)) }
        let seconds = secondsSince(started)
        let heldOut = model.loss(on: setup.validation)
        scores.mlp = heldOut
        notebook.sparkline("training loss per step", losses, decimals: 3, yLabel: "loss")
        notebook.values([
            ("parameters", grouped(model.parameterCount) + " (the bigram table: \(grouped(setup.vocabularySize * setup.vocabularySize)))"),
            ("steps", "\(grouped(steps)) of \(batch) examples, AdamW, learning rate 3e-3"),
            ("time", notebook.duration(seconds)),
            ("held-out loss", formatFixed(heldOut, decimals: 3) + " nats per token, perplexity " + formatFixed(exp(heldOut), decimals: 1)),
        ])
        if heldOut < scores.bigram {
            notebook.prose("""
                Three tokens of context lower the held-out loss from the bigram's \
                \(formatFixed(scores.bigram, decimals: 3)) to \(formatFixed(heldOut, decimals: 3)) \
                with fewer parameters than the bigram's table.
                """)
        } else {
            notebook.prose("""
                After only \(steps) steps the MLP has not yet caught up with the counts \
                (\(formatFixed(heldOut, decimals: 3)) against the bigram's \
                \(formatFixed(scores.bigram, decimals: 3))): counting is done in one pass, \
                while gradient descent needs many. \(notebook.quick ? "The full run (without --quick) trains it for 1,500 steps." : "")
                """)
        }
        notebook.prose("""
            This is the recipe of every neural language model since: embeddings in, logits \
            out, cross-entropy, gradient descent. What changes is the middle, and how much \
            context it can use.
            """)
        comparison(heldOut < scores.bigram, "the MLP over three tokens beats the bigram on held-out text")
        return model
    }

    func overfitting(_ setup: Setup) {
        let small = Array(setup.train.prefix(3_000))
        let heldOut = Array(setup.validation.prefix(6_000))
        let model = ContextMLP(vocabularySize: setup.vocabularySize, embeddingWidth: 32, hiddenWidth: 256, seed: 5)
        let optimizer = AdamW(parameters: model.parameters, learningRate: 3e-3, weightDecay: 0)
        let steps = sizes.overfitSteps, interval = 20
        notebook.prose("""
            A model with many parameters and little text can do better than learn: it can \
            memorize. The same MLP, wider (\(grouped(model.parameterCount)) parameters), \
            now trains on only the first \(grouped(small.count)) tokens, far fewer numbers than \
            it has. Every \(interval) steps both losses are measured, on those tokens and on \
            held-out text:
            """)
        var generator = SeededGenerator(seed: 6)
        var trainCurve: [Float] = [], heldOutCurve: [Float] = []
        for step in 0...steps {
            if step % interval == 0 {
                let (train, test) = (model.loss(on: small), model.loss(on: heldOut))
                trainCurve.append(Float(train))
                heldOutCurve.append(Float(test))
            }
            if step < steps { _ = model.trainingStep(small, batch: 128, optimizer: optimizer, using: &generator) }
        }
        notebook.sparkline("training loss", trainCurve, decimals: 3, xLabel: "evaluation (every \(interval) steps)", yLabel: "loss")
        notebook.sparkline("held-out loss", heldOutCurve, decimals: 3, xLabel: "evaluation (every \(interval) steps)", yLabel: "loss")
        let best = heldOutCurve.indices.min { heldOutCurve[$0] < heldOutCurve[$1] }!
        var table = Table(["step", "training loss", "held-out loss", ""], alignments: [.right, .right, .right, .left])
        let last = trainCurve.count - 1
        for index in Set([0, last / 4, best, last / 2, 3 * last / 4, last]).sorted() {
            table.append([String(index * interval), formatFixed(trainCurve[index], decimals: 3), formatFixed(heldOutCurve[index], decimals: 3),
                          index == best ? "← lowest held-out loss" : ""])
        }
        notebook.table(table)
        notebook.prose("""
            The training loss keeps falling, toward zero: the model is learning these very \
            \(grouped(small.count)) tokens by heart. The held-out loss falls at first, while \
            the model learns what is true of all stories, reaches its lowest at step \
            \(best * interval) (\(formatFixed(heldOutCurve[best], decimals: 3))), then climbs \
            while the model learns what is true only of its small text. This is overfitting. \
            The held-out loss is what tells it apart from learning; the cures are more text \
            (the previous cell's model saw \(grouped(setup.train.count)) tokens), fewer \
            parameters, weight decay, or stopping at the lowest held-out loss.
            """)
        notebook.checks([
            (trainCurve.last! < trainCurve[best] - 0.5, "the training loss keeps falling after the held-out loss is lowest"),
            (heldOutCurve.last! > heldOutCurve[best] + 0.2, "the held-out loss at the end is above its lowest point"),
        ])
    }
}
