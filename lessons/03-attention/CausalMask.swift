// Cell: the causal mask. Scores of future keys become −∞ before the softmax, so their weights are
// exactly 0; the cell shows the masked scores and weights, checks the lesson's masked attention
// against the kernel's (reference and fast path), and shows that changing the last token leaves
// every earlier output bit for bit the same.

import LabKernel
import LabNotebook

extension AttentionLesson {
    func causalMaskCell() {
        notebook.prose("""
            A language model is trained to predict each next token from the tokens before it, on \
            every position of a sequence at once. If position t could look at position t + 1 it \
            would simply copy the answer. So query t may only see keys 0...t: the scores of later \
            keys are set to −∞ before the softmax, and e^−∞ = 0 gives them weight exactly 0.
            """)
        notebook.code("""
            for row in 0..<t {
                for column in (row + 1)..<t { scores[row, column] = -.infinity }   // the future
            }
            """)
        let example = TinyExample()
        let scale: Float = 1 / 2  // 1/√D with D = 4
        let scores = example.queries.enumerated().map { t, q in
            example.keys.enumerated().map { j, k in j > t ? -Float.infinity : zip(q, k).map(*).reduce(0, +) * scale }
        }
        let (weights, _) = attentionWithLoops(queries: example.queries, keys: example.keys, values: example.values, causal: true)
        notebook.prose("The four-token example again, masked. Scores:")
        notebook.table(weightTable(scores, rowTokens: example.tokens, columnTokens: example.tokens))
        notebook.prose("Weights: the upper triangle is zero and each row still sums to 1.")
        notebook.table(weightTable(weights, rowTokens: example.tokens, columnTokens: example.tokens, decimals: 3))
        notebook.prose("""
            "sat" no longer sees "down". The first token can only look at itself: its output is \
            its own value, whatever its query. Row t spreads its weight over t + 1 tokens, so \
            early rows are sharp and late rows have more to choose from.
            """)

        notebook.prose("""
            The kernel's `causalAttentionReference` builds the same masked matrices, and its fast \
            `causalAttention` never builds them (one row of scores at a time, only over the visible \
            keys). On random inputs of 12 tokens and one head of D = 16, the lesson's loops, its \
            matrices and both kernel paths:
            """)
        var generator = SeededGenerator(seed: 12)
        let (t, d) = (12, 16)
        let q = Tensor.randomNormal([t, d], using: &generator)
        let k = Tensor.randomNormal([t, d], using: &generator)
        let v = Tensor.randomNormal([t, d], using: &generator)
        let rows = { (x: Tensor) in (0..<t).map { x.row($0).scalars } }
        let loops = Tensor(attentionWithLoops(queries: rows(q), keys: rows(k), values: rows(v), causal: true).outputs)
        let matrices = attentionAsMatrices(q: q, k: k, v: v, causal: true).output
        let shape = AttentionShape(heads: 1, kvHeads: 1, headSize: d)
        let reference = causalAttentionReference(query: q, keys: k, values: v, shape: shape)
        let fast = causalAttention(query: q, keys: k, values: v, shape: shape)
        // Tolerance: averages of unit normals computed in different orders; Float rounding ~1e-7.
        let tolerance: Float = 1e-5
        notebook.checks([
            (loops.maxAbsoluteDifference(reference) < tolerance, "loops vs kernel reference: largest difference \(formatFixed(loops.maxAbsoluteDifference(reference), decimals: 6)) (tolerance 1e-5)"),
            (matrices.maxAbsoluteDifference(reference) < tolerance, "matrices vs kernel reference: \(formatFixed(matrices.maxAbsoluteDifference(reference), decimals: 6))"),
            (fast.maxAbsoluteDifference(reference) < tolerance, "kernel fast path vs kernel reference: \(formatFixed(fast.maxAbsoluteDifference(reference), decimals: 6))"),
        ])

        notebook.prose("""
            The mask's promise, tested: replace the last token's query, key and value by new random \
            numbers. Outputs 0...\(t - 2) cannot change, not even in the last bit, because their \
            softmax never saw the last key.
            """)
        var (q2, k2, v2) = (q, k, v)
        for i in 0..<d {
            q2[t - 1, i] = generator.nextNormal()
            k2[t - 1, i] = generator.nextNormal()
            v2[t - 1, i] = generator.nextNormal()
        }
        let changed = causalAttention(query: q2, keys: k2, values: v2, shape: shape)
        let earlier = changed.rows(0..<(t - 1)).maxAbsoluteDifference(fast.rows(0..<(t - 1)))
        let last = changed.row(t - 1).maxAbsoluteDifference(fast.row(t - 1))
        notebook.values([("change in outputs 0...\(t - 2)", formatFixed(earlier, decimals: 6)),
                         ("change in output \(t - 1)", formatFixed(last, decimals: 4))])
        notebook.check(earlier == 0, "a later token never changes an earlier output (difference exactly 0)")
        notebook.prose("""
            This is also what makes a KV cache possible: once a token's keys and values are \
            computed, nothing that comes later changes them.
            """)
    }
}
