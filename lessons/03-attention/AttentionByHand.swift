// Cells: one head of attention with plain loops on a four-token example, then the same
// computation as three matrix products, checked against each other and timed.
//
// `attentionWithLoops` is the definition written out; `attentionAsMatrices` is the form every
// later cell (and the kernel's reference path) uses. The kernel's fused fast path is compared in
// the causal-mask and multi-head cells, where it applies (the kernel only does causal attention).

import Foundation
import LabKernel
import LabNotebook

/// One head of attention by its definition, with loops over plain arrays.
///
/// For each query q_t: score every visible key, `s_j = q_t·k_j / √D`; turn the scores into
/// weights with a softmax (the maximum subtracted first, so exp cannot overflow); return the
/// weighted sum of the value rows `Σ_j w_j·v_j`.
///
/// - Parameters:
///   - queries: T rows of D numbers
///   - keys: S rows of D numbers
///   - values: S rows of any common width
///   - causal: query t sees keys 0...t + (S − T) only (the last T keys are the queries' own positions)
/// - Returns: the weights, T rows of S numbers (0 where masked), and the outputs, T rows.
func attentionWithLoops(queries: [[Float]], keys: [[Float]], values: [[Float]], causal: Bool = false)
    -> (weights: [[Float]], outputs: [[Float]]) {
    precondition(keys.count == values.count && keys.count >= queries.count,
                 "attentionWithLoops: need S keys and S values with S ≥ T queries, got \(keys.count), \(values.count) and \(queries.count)")
    let d = queries.first?.count ?? 0
    let scale = 1 / Float(d).squareRoot()
    let offset = keys.count - queries.count
    var weights: [[Float]] = [], outputs: [[Float]] = []
    for (t, query) in queries.enumerated() {
        let visible = causal ? t + offset + 1 : keys.count
        // 1. One score per visible key: how well the key matches the query.
        var scores = [Float](repeating: 0, count: visible)
        for j in 0..<visible {
            var dot: Float = 0
            for i in 0..<d { dot += query[i] * keys[j][i] }
            scores[j] = dot * scale
        }
        // 2. Softmax: weights that are positive and sum to 1.
        let maximum = scores.max()!
        var row = scores.map { exp($0 - maximum) }
        let total = row.reduce(0, +)
        row = row.map { $0 / total }
        // 3. The output is the weighted average of the visible values.
        var output = [Float](repeating: 0, count: values[0].count)
        for j in 0..<visible {
            for i in output.indices { output[i] += row[j] * values[j][i] }
        }
        weights.append(row + [Float](repeating: 0, count: keys.count - visible))  // masked keys weigh 0
        outputs.append(output)
    }
    return (weights, outputs)
}

/// One head of attention as matrices: `softmax(Q·Kᵀ/√D + mask)·V`.
///
/// - Parameters:
///   - q: (T, D)
///   - k: (S, D)
///   - v: (S, D)
///   - causal: masks key j for query t when j > t + (S − T)
/// - Returns: the weights (T, S) and the output (T, D).
func attentionAsMatrices(q: Tensor, k: Tensor, v: Tensor, causal: Bool = false) -> (weights: Tensor, output: Tensor) {
    precondition(q.rank == 2 && k.rank == 2 && q.shape[1] == k.shape[1] && v.shape[0] == k.shape[0] && k.shape[0] >= q.shape[0],
                 "attentionAsMatrices: need q (T, D), k (S, D), v (S, D) with S ≥ T, got \(q.shape.shapeDescription), \(k.shape.shapeDescription), \(v.shape.shapeDescription)")
    let (t, s, d) = (q.shape[0], k.shape[0], q.shape[1])
    var scores = matmul(q, transposed: k) * (1 / Float(d).squareRoot())  // (T, D)·(S, D)ᵀ -> (T, S)
    if causal {
        for row in 0..<t {
            for column in (row + s - t + 1)..<s { scores[row, column] = -.infinity }  // the future: e^−∞ = 0
        }
    }
    let weights = softmax(scores)  // (T, S), each row sums to 1
    return (weights, matmul(weights, v))  // (T, S)·(S, D) -> (T, D)
}

/// The four-token example: queries, keys and values chosen so the numbers can be read.
/// Dimensions of a key: 0 "I am a noun", 1 "I am a verb", 2 "I am an article", 3 "I am an adverb".
struct TinyExample {
    let tokens = ["the", "cat", "sat", "down"]
    let queries: [[Float]] = [[0, 0, 0, 0],   // the: looks for nothing in particular
                              [0, 0, 2, 0],   // cat: looks for its article
                              [2, 0, 0, 0],   // sat: looks for a noun (who sat?)
                              [0, 2, 0, 0]]   // down: looks for a verb
    let keys: [[Float]] = [[0, 0, 2, 0],      // the: an article
                           [2, 0, 0, 0],      // cat: a noun
                           [0, 2, 0, 0],      // sat: a verb
                           [0, 0, 0, 2]]      // down: an adverb
    /// Each value is the token's one-hot "identity", so an output shows how much of each token it mixed in.
    let values: [[Float]] = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
}

/// A row of numbers as `[0.71, 0.10, …]`.
func formatRow(_ row: [Float], decimals: Int = 2) -> String {
    "[" + row.map { formatFixed($0, decimals: decimals) }.joined(separator: ", ") + "]"
}

/// A table of weights or scores: one row per query token, one column per key token.
func weightTable(_ rows: [[Float]], rowTokens: [String], columnTokens: [String], decimals: Int = 2) -> Table {
    var table = Table(["query ↓ key →"] + columnTokens)
    for (token, row) in zip(rowTokens, rows) {
        table.append([token] + row.map { $0 == -.infinity ? "−∞" : formatFixed($0, decimals: decimals) })
    }
    return table
}

extension AttentionLesson {
    func attentionWithLoopsCell() {
        notebook.prose("""
            A language model reads a sequence of tokens, and at every layer each token gathers \
            information from the others. Attention is how. Every token t brings three vectors of \
            size D, made from its current representation by three learned projections:

            - a query q_t: what this token is looking for,
            - a key k_j: what token j offers to be found by,
            - a value v_j: what token j hands over when it is chosen.

            Token t scores every key with a dot product, s_j = q_t·k_j / √D (the √D is the next \
            cell's story), turns the scores into weights with a softmax, and returns the weighted \
            average of the values, Σ_j w_j·v_j. Nothing is learned here: the learning is in the \
            projections that make q, k and v.
            """)
        notebook.prose("""
            A tiny example, D = 4, with vectors chosen by hand so that they can be read. The four \
            key dimensions say "noun", "verb", "article", "adverb"; each query asks for one of \
            them; each value is a one-hot identity of its token, so an output shows directly how \
            much of each token was mixed in.
            """)
        let example = TinyExample()
        var vectors = Table(["token", "query", "key", "value"])
        for i in example.tokens.indices {
            vectors.append([example.tokens[i], formatRow(example.queries[i], decimals: 0),
                            formatRow(example.keys[i], decimals: 0), formatRow(example.values[i], decimals: 0)])
        }
        notebook.table(vectors)
        notebook.code("""
            for j in 0..<visible {                       // 1. scores
                var dot: Float = 0
                for i in 0..<d { dot += query[i] * keys[j][i] }
                scores[j] = dot / sqrt(Float(d))
            }
            let maximum = scores.max()!                  // 2. softmax
            var row = scores.map { exp($0 - maximum) }
            row = row.map { $0 / row.reduce(0, +) }
            for j in 0..<visible {                       // 3. weighted sum of values
                for i in output.indices { output[i] += row[j] * values[j][i] }
            }
            """)
        let (weights, outputs) = attentionWithLoops(queries: example.queries, keys: example.keys, values: example.values)
        let sat = 2
        let scores = example.keys.map { key in zip(example.queries[sat], key).map(*).reduce(0, +) / 2 }
        notebook.prose("Step by step for the query of \"sat\", which asks for a noun (√D = 2):")
        notebook.values([
            ("scores q·k/√D", formatRow(scores)),
            ("softmax", formatRow(weights[sat], decimals: 3)),
            ("output Σ w·v", formatRow(outputs[sat], decimals: 3)),
        ])
        notebook.prose("""
            "cat" scores 2·2/2 = 2, every other key 0, so "cat" gets e²/(e² + 3) = \
            \(formatFixed(weights[sat][1], decimals: 3)) of the weight and the rest share what is \
            left. All the weights, one row per query:
            """)
        notebook.table(weightTable(weights, rowTokens: example.tokens, columnTokens: example.tokens, decimals: 3))
        notebook.prose("""
            "the" asks for nothing (its query is zero), so every score is 0 and the weights are \
            uniform: attention with nothing to prefer is an average. "sat" also looks at "down", a \
            token after it; a language model must not, which the causal mask fixes below.
            """)
    }

    func attentionAsMatricesCell() {
        notebook.prose("""
            The loops compute all T·S scores one dot product at a time. Stack the queries as rows \
            of Q (T, D), the keys as rows of K (S, D) and the values as rows of V (S, D), and the \
            whole computation is two matrix products around a softmax:
            """)
        notebook.code("""
            var scores = matmul(q, transposed: k) * (1 / Float(d).squareRoot())  // (T, D)·(S, D)ᵀ -> (T, S)
            let weights = softmax(scores)                                         // (T, S), rows sum to 1
            let output = matmul(weights, v)                                       // (T, S)·(S, D) -> (T, D)
            """)
        let example = TinyExample()
        let (weights, output) = attentionAsMatrices(q: Tensor(example.queries), k: Tensor(example.keys), v: Tensor(example.values))
        let loops = attentionWithLoops(queries: example.queries, keys: example.keys, values: example.values)
        let difference = max(weights.maxAbsoluteDifference(Tensor(loops.weights)), output.maxAbsoluteDifference(Tensor(loops.outputs)))
        // Tolerance: the same products in a different order; Float rounding is ~1e-7 on numbers below 1.
        notebook.check(difference < 1e-6, "matrices and loops agree on the example: largest difference \(formatFixed(difference, decimals: 6)) (tolerance 1e-6)")

        let (t, d) = notebook.quick ? (64, 32) : (256, 64)
        var generator = SeededGenerator(seed: 3)
        let q = Tensor.randomNormal([t, d], using: &generator)
        let k = Tensor.randomNormal([t, d], using: &generator)
        let v = Tensor.randomNormal([t, d], using: &generator)
        let rows = { (x: Tensor) in (0..<t).map { x.row($0).scalars } }
        let (qRows, kRows, vRows) = (rows(q), rows(k), rows(v))
        var loopOutput: [[Float]] = []
        let loopTime = Stopwatch.measure(repetitions: 3, warmup: 0) {
            loopOutput = attentionWithLoops(queries: qRows, keys: kRows, values: vRows).outputs
        }
        var matrixOutput = Tensor.zeros([t, d])
        let matrixTime = Stopwatch.measure(repetitions: 5) { matrixOutput = attentionAsMatrices(q: q, k: k, v: v).output }
        let randomDifference = matrixOutput.maxAbsoluteDifference(Tensor(loopOutput))
        notebook.prose("On random Q, K, V of \(t) tokens with D = \(d), the two versions side by side:")
        var table = Table(["version", "time", "speed-up"])
        table.append(["loops (this lesson)", notebook.duration(loopTime.median), notebook.speedup(1)])
        table.append(["matrices (kernel matmul + softmax)", notebook.duration(matrixTime.median),
                      notebook.speedup(loopTime.median / matrixTime.median)])
        notebook.table(table)
        // Tolerance: outputs are averages of unit normals; rounding differs by ~1e-7 per term.
        notebook.check(randomDifference < 1e-5, "the same outputs: largest difference \(formatFixed(randomDifference, decimals: 6)) (tolerance 1e-5)")
        notebook.prose("""
            Same numbers, far less time: the matrix form hands the work to the kernel's blocked \
            SIMD matmul, always compiled with optimization (the lesson's loops are compiled like \
            the rest of the lesson, without it under a plain `swift run`). It also makes the memory cost plain: the score matrix is T×S, so it grows \
            with the square of the sequence length. The kernel's fast path never stores it whole; \
            it computes one row of scores at a time.
            """)
    }
}
