// Cell: the bigram learned instead of counted. A V × V table of logits starts at zero and is
// trained with the tape (embedding lookup, cross-entropy, backward, AdamW) on random batches of
// pairs; the first gradient is checked against softmax − one-hot by hand, and the trained table
// is scored like the counts.
//
// The point is that training and counting are two roads to the same model: the cross-entropy of
// a free table of logits is lowest exactly at the counts' probabilities, so gradient descent
// walks toward them. Every later model is this loop with a bigger function in the middle.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LabKernel
import LabNotebook

/// `batch` random positions i of `ids` (0 ≤ i < count − 1): the inputs ids[i] and targets ids[i + 1].
func randomPairs(_ ids: [Int], batch: Int, using generator: inout SeededGenerator) -> (inputs: [Int], targets: [Int]) {
    var inputs: [Int] = [], targets: [Int] = []
    for _ in 0..<batch {
        let i = generator.nextInt(below: ids.count - 1)
        inputs.append(ids[i])
        targets.append(ids[i + 1])
    }
    return (inputs, targets)
}

/// The mean cross-entropy of a table of logits on every neighbouring pair of `ids`, in chunks.
func tableLoss(_ table: Tensor, on ids: [Int]) -> Double {
    var total = 0.0
    let pairs = ids.count - 1
    for start in stride(from: 0, to: pairs, by: 4096) {
        let end = min(pairs, start + 4096)
        let loss = crossEntropy(logits: embedding(table, ids: Array(ids[start..<end])), targets: Array(ids[(start + 1)...end]))
        total += Double(loss) * Double(end - start)
    }
    return total / Double(pairs)
}

extension LanguageModelsLesson {
    func neuralBigram(_ setup: Setup, counts: BigramCounts, scores: inout Scores) {
        let v = setup.vocabularySize, batch = 1024, steps = sizes.bigramSteps, learningRate: Float = 0.3
        notebook.prose("""
            Counting is one way to get a bigram; learning is another, and the one that grows \
            into every model after it. Give each token a row of V logits, a table W of V × V \
            numbers starting at zero (every next token equally likely, loss ln V). For a batch \
            of pairs, look up the rows of the inputs (an embedding lookup), score them with \
            cross-entropy against the next tokens, let the tape (lesson 00) compute the \
            gradient, and let AdamW move W a little downhill. Repeat:
            """)
        notebook.code("""
            let table = Variable(Tensor.zeros([V, V]), name: "W")
            let optimizer = AdamW(parameters: [table], learningRate: 0.3, weightDecay: 0)
            let schedule = WarmupCosineSchedule(peak: 0.3, warmupSteps: 0, totalSteps: steps, floor: 0.01)
            for step in 0..<steps {
                optimizer.learningRate = schedule.learningRate(atStep: step)
                let (inputs, targets) = randomPairs(train, batch: 1024, using: &generator)
                let loss = crossEntropy(logits: embedding(table, ids: inputs), targets: targets)
                optimizer.zeroGrad()
                loss.backward()
                optimizer.step()
            }
            """)
        notebook.prose("""
            AdamW (Loshchilov and Hutter, 2019) is gradient descent with two running averages \
            per number: m, of the gradient (momentum), and v, of its square. Each step moves a \
            parameter by lr · m̂ / (√v̂ + ε), where m̂ and v̂ undo the averages' start at zero, \
            so every parameter takes steps of about the learning rate whatever the size of its \
            gradient, and weight decay shrinks the parameter by lr · λ apart from the gradient. \
            The exercise AdamWStep writes it out.
            """)
        let table = Variable(Tensor.zeros([v, v]), name: "W")
        let optimizer = AdamW(parameters: [table], learningRate: learningRate, weightDecay: 0)
        var generator = SeededGenerator(seed: 2)
        var losses: [Float] = []
        var firstGradientError: Float = .infinity
        let started = Stopwatch.now()
        // The learning rate falls along a cosine, so the last steps refine instead of jitter.
        let schedule = WarmupCosineSchedule(peak: learningRate, warmupSteps: 0, totalSteps: steps, floor: 0.01)
        let countsTrain = bigramLoss(counts, on: setup.train, smoothing: 0).loss
        var progress = Table(["step", "training loss (whole part)", "above the counts'"], alignments: [.right, .right, .right])
        func measure(_ step: Int) {
            let loss = tableLoss(table.value, on: setup.train)
            progress.append([String(step), formatFixed(loss, decimals: 3), formatFixed(loss - countsTrain, decimals: 3)])
        }
        let checkpoints = Set([steps / 8, steps / 4, steps / 2])
        var measuring = 0.0
        for step in 0..<steps {
            if checkpoints.contains(step) {
                let pause = Stopwatch.now()
                measure(step)
                measuring += secondsSince(pause)
            }
            optimizer.learningRate = schedule.learningRate(atStep: step)
            let (inputs, targets) = randomPairs(setup.train, batch: batch, using: &generator)
            let loss = crossEntropy(logits: embedding(table, ids: inputs), targets: targets)
            optimizer.zeroGrad()
            loss.backward()
            if step == 0 { firstGradientError = maxDifference(table.grad!, byHand: inputs, targets: targets, vocabularySize: v) }
            optimizer.step()
            losses.append(loss.value.item)
        }
        let seconds = secondsSince(started) - measuring
        notebook.sparkline("training loss per step", losses, decimals: 3, yLabel: "loss")
        let trainLoss = tableLoss(table.value, on: setup.train)
        measure(steps)
        let heldOutLoss = tableLoss(table.value, on: setup.validation)
        scores.neuralBigram = heldOutLoss
        notebook.values([
            ("steps", "\(steps) of \(grouped(batch)) pairs, learning rate \(learningRate) falling along a cosine to 0.01"),
            ("time", notebook.duration(seconds)),
            ("first loss", formatFixed(losses[0], decimals: 4) + " (ln V = " + formatFixed(log(Double(v)), decimals: 4) + ": all logits 0)"),
            ("training loss", formatFixed(trainLoss, decimals: 3) + " on the whole training part (counts: " + formatFixed(countsTrain, decimals: 3) + ", the lowest any bigram can reach)"),
            ("held-out loss", formatFixed(heldOutLoss, decimals: 3) + " (smoothed counts: " + formatFixed(scores.bigram, decimals: 3) + ")"),
        ])
        notebook.prose("""
            On the whole training part, the learned table closes in on the counts, which no \
            bigram can beat on the text they were counted from:
            """)
        notebook.table(progress)
        notebook.prose("""
            Why does gradient descent find the counts? For one row of logits z, the \
            cross-entropy −ln softmax(z)[y] has the gradient softmax(z) − one-hot(y): push up \
            the logit of the token that came, push down every other one in proportion to its \
            probability. Summed over all the times token i was the input, the gradient of row i \
            is zero exactly when softmax of the row equals the counts' share of each follower. \
            The tape's first gradient is that formula, averaged over the batch:
            """)
        notebook.code("""
            // dL/dW[i, j] = Σ over the batch's pairs (i, y) of (softmax(W[i])[j] − [j == y]) / batch
            """)
        notebook.check(firstGradientError < 1e-6, "the tape's gradient of W equals (softmax − one-hot) / batch summed per input row "
                       + "(largest difference \(scientific(firstGradientError)))")
        notebook.prose("""
            The trained table never saw most pairs, yet its held-out loss is finite: logits of \
            pairs that never occur only sink as far as the steps take them, which works like \
            the smoothing of the counts. Its training loss approaches the counts' from above \
            and gets closer with every step\(notebook.quick ? " (--quick stops early)" : ""). Both \
            are one-token models, and the loss they reach is the limit of looking at one token.
            """)
        notebook.checks([
            (abs(Double(losses[0]) - log(Double(v))) < 1e-4, "the first loss is ln V: a table of zeros guesses uniformly"),
            (trainLoss >= countsTrain - 1e-3, "no table of logits beats the counts on their own training text"),
        ])
        comparison(trainLoss - countsTrain < 0.05, "the learned bigram's training loss is within 0.05 nats of the counts'")
        comparison(heldOutLoss < scores.bigram + 0.1, "the learned bigram's held-out loss is within 0.1 nats of the smoothed counts'")
    }

    /// max |tape − by hand| for the first step's gradient of W (all logits 0, softmax uniform).
    func maxDifference(_ gradient: Tensor, byHand inputs: [Int], targets: [Int], vocabularySize v: Int) -> Float {
        var expected = [Float](repeating: 0, count: v * v)
        let scale = 1 / Float(inputs.count)
        for (i, y) in zip(inputs, targets) {
            for j in 0..<v { expected[i * v + j] += (1 / Float(v) - (j == y ? 1 : 0)) * scale }
        }
        return zip(gradient.scalars, expected).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}
