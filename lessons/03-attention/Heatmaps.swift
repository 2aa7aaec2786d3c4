// Cell: attention heatmaps for a real sentence. The sentence comes from the kit's stories and is
// tokenized with a BPE tokenizer trained on them; layer 0 of a randomly initialized kernel model
// looks at it (near uniform, as it must before training), then two heads built by hand show what
// meaningful patterns look like: a previous-token head made from RoPE and a same-token head made
// from the embeddings.
//
// Left out: a trained model's heads, which the next cell shows (TrainedHeads.swift).

import Foundation
import LabCorpora
import LabKernel
import LabNotebook

/// A token's text for a label: spaces as ␣ and line breaks as ↵, so boundaries stay visible.
func tokenLabel(_ id: Int, tokenizer: BPETokenizer) -> String {
    visibleToken(tokenizer.tokens[id])
}

/// The first sentence of the stories (outside dialogue) with a token count in `tokens` and a
/// token of three or more characters that occurs twice (so that a same-token head has something to find).
func sentenceForHeatmaps(in text: String, tokenizer: BPETokenizer, tokens: ClosedRange<Int>) -> String {
    let sentences = text.components(separatedBy: "\n").flatMap { $0.components(separatedBy: ". ") }
    for sentence in sentences where !sentence.contains("<|") && !sentence.contains("\"") {
        let ids = tokenizer.encode(sentence)
        let words = ids.filter { tokenLabel($0, tokenizer: tokenizer).count > 2 }
        if tokens.contains(ids.count) && Set(words).count < words.count { return sentence }
    }
    return sentences[0]
}

/// How far the rows of a causal attention matrix are from uniform: the largest |p − 1/(t+1)| over
/// the visible entries of every row t.
func distanceFromUniform(_ weights: Tensor) -> Float {
    var largest: Float = 0
    for t in 0..<weights.shape[0] {
        for j in 0...t { largest = max(largest, abs(weights[t, j] - 1 / Float(t + 1))) }
    }
    return largest
}

extension AttentionLesson {
    func heatmapsCell() {
        let sizes = self.sizes
        let stories = generateCorpus(kind: .stories, bytes: sizes.tokenizerBytes, seed: 1)
        let tokenizer = try! BPETokenizer.train(text: stories, vocabularySize: sizes.vocabularySize,  // valid size and text
                                                specialTokens: ["<|endoftext|>"])
        let sentence = sentenceForHeatmaps(in: stories, tokenizer: tokenizer, tokens: 12...18)
        let ids = tokenizer.encode(sentence)
        let labels = ids.map { tokenLabel($0, tokenizer: tokenizer) }
        notebook.prose("""
            Where do heads look? A sentence from the kit's stories, tokenized with a \
            \(tokenizer.vocabularySize)-token BPE vocabulary trained on \(sizes.tokenizerBytes / 1000) kB \
            of them (lesson 01):
            """)
        notebook.output(sentence + "\n\n\(ids.count) tokens: " + labels.joined(separator: " | "))

        // Layer 0 of a random model: the kernel runs its own block code and returns each head's weights.
        let config = TransformerConfig.llamaFamily(vocabularySize: tokenizer.vocabularySize, contextLength: 64, width: 64,
                                                   layers: 1, heads: 4, kvHeads: 4, feedForwardWidth: 128)
        let model = TransformerModel.random(config: config, seed: 7)
        let randomHeads = model.attentionWeights(tokens: ids, layer: 0)  // H × (T, T)
        let x = embedding(model.parameters["model.embed_tokens.weight"]!, ids: ids)  // (T, C): the tokens' embeddings
        notebook.prose("""
            First, layer 0 of a randomly initialized Llama-style model from the kernel \
            (\(config.heads) heads of \(config.headSize)), its weights from the kernel's \
            `attentionWeights(tokens:layer:)`, which runs the model's own block code. Row t has \
            t + 1 tokens to share its weight among, so the \
            picture shows each weight times t + 1: 1 (the middle shade) is a fair share, 0 is \
            none, 2 is double. Head 0, one row per query token, one column per key (blank above \
            the diagonal is the mask):
            """)
        var fairShares = randomHeads[0]
        for row in 0..<ids.count {
            for column in 0...row { fairShares[row, column] *= Float(row + 1) }
        }
        notebook.heatmap(Heatmap(fairShares, rowLabels: labels, range: 0...2),
                         title: "A random head's weights × (t + 1): 1 is an even spread")
        let distances = randomHeads.map(distanceFromUniform)
        notebook.values([("largest |weight − 1/(t+1)|, heads 0…\(config.heads - 1)",
                          distances.map { formatFixed($0, decimals: 4) }.joined(separator: "  "))])
        notebook.prose("""
            One even shade: every row spreads its weight evenly over the tokens it may see. With \
            weights of size 0.02 the scores are all ≈0, and a softmax of equal scores is an \
            average. Patterns come from \
            training: first, two heads built by hand show what a trained head can learn to do; \
            the next cell finds such heads in the kit's own trained model.
            """)

        // A previous-token head from RoPE: the key is the query turned back by one position.
        let d = 16
        var u = Tensor.zeros([1, d])
        for i in 0..<(d / 2) { u[0, i] = 6.5 }
        let w = rotateHalf(u, heads: 1, startPosition: 1, theta: 10_000)  // u rotated by one position's angles
        let t = ids.count
        let headTable = RotaryTable(headSize: d, positions: t, theta: 10_000)
        let previousQ = rotary(Tensor.stack(Array(repeating: u.row(0), count: t)), heads: 1, table: headTable)  // (T, D)
        let previousK = rotary(Tensor.stack(Array(repeating: w.row(0), count: t)), heads: 1, table: headTable)
        let single = AttentionShape(heads: 1, kvHeads: 1, headSize: d)
        let previous = attentionProbabilities(query: previousQ, keys: previousK, shape: single, head: 0)
        notebook.prose("""
            The two heads below are drawn with plain weights, 0 to 1, darker is more.

            A previous-token head, from RoPE alone. Give every token the same query u and the same \
            key w = u rotated forward by one position. After RoPE, query m against key n scores \
            uᵀ·R(n − m + 1)·u, which is largest when n = m − 1, whatever the tokens are:
            """)
        notebook.heatmap(Heatmap(previous, rowLabels: labels, range: 0...1), title: "A previous-token head built from RoPE")
        let onPrevious = (1..<t).map { previous[$0, $0 - 1] }.min()!
        notebook.check(onPrevious > 0.9, "every token after the first puts at least \(formatFixed(onPrevious, decimals: 3)) of its weight on the token just before it")

        // A same-token head from the embeddings: q = k = the token's embedding, scaled to unit length.
        let width = config.width
        var unit = x
        for row in 0..<t {
            let norm = (0..<width).map { x[row, $0] * x[row, $0] }.reduce(0, +).squareRoot()
            for i in 0..<width { unit[row, i] = x[row, i] / norm * 9 }
        }
        let sameShape = AttentionShape(heads: 1, kvHeads: 1, headSize: width)
        let same = attentionProbabilities(query: unit, keys: unit, shape: sameShape, head: 0)
        notebook.prose("""
            A same-token head, from the embeddings: let a token's query and key both be its own \
            embedding, scaled to length 9. Two different random embeddings are nearly orthogonal, \
            identical ones score 81/√\(width) ≈ \(formatFixed(81 / Float(width).squareRoot(), decimals: 1)), \
            so each token looks at itself and at earlier copies of itself:
            """)
        notebook.heatmap(Heatmap(same, rowLabels: labels, range: 0...1), title: "A same-token head built from the embeddings")
        var repeats: [String] = []
        for i in 0..<t {
            if let j = (0..<i).first(where: { ids[$0] == ids[i] }) { repeats.append("\(labels[i]) at \(i) → \(j): \(formatFixed(same[i, j], decimals: 2))") }
        }
        if !repeats.isEmpty { notebook.values([("weight on the earlier copy", repeats.joined(separator: ", "))]) }
        notebook.prose("""
            Trained models have heads like these: previous-token heads appear early in training, \
            and "induction heads" combine one with a same-token lookup to continue a pattern seen \
            before ("Mia ... Mia went" → look at what followed Mia last time). Lesson 07 looks for \
            them in a real downloaded model.
            """)
    }
}
