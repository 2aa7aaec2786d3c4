// Cells: the text as token ids, bigram counts (a heatmap of the most frequent tokens and their
// followers), and text sampled from the counts with the lesson's own inverse-CDF draw.
//
// The bigram model is the whole of `BigramCounts`: a V × V table of how often token j followed
// token i in the training text, and probabilities from it with add-k smoothing. Later cells
// score it (Likelihood.swift) and learn it by gradient descent (NeuralBigram.swift).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LabKernel
import LabNotebook

/// Next-token counts after one token: counts[i][j] = how often j followed i.
struct BigramCounts {
    let vocabularySize: Int
    /// counts[i][j], V × V.
    private(set) var counts: [[Int]]
    /// rowTotals[i] = Σ_j counts[i][j]: how often i was followed by anything.
    private(set) var rowTotals: [Int]

    init(ids: [Int], vocabularySize: Int) {
        self.vocabularySize = vocabularySize
        counts = Array(repeating: Array(repeating: 0, count: vocabularySize), count: vocabularySize)
        rowTotals = Array(repeating: 0, count: vocabularySize)
        for (current, next) in zip(ids, ids.dropFirst()) {
            counts[current][next] += 1
            rowTotals[current] += 1
        }
    }

    /// P(next | previous) with add-k smoothing: (count + k) / (total + k·V). With k = 0 a pair
    /// never seen has probability 0; a row never seen is uniform.
    func probability(of next: Int, after previous: Int, smoothing k: Double = 0) -> Double {
        let total = Double(rowTotals[previous]) + k * Double(vocabularySize)
        guard total > 0 else { return 1 / Double(vocabularySize) }
        return (Double(counts[previous][next]) + k) / total
    }

    /// The whole row P(· | previous), V probabilities that sum to 1.
    func probabilities(after previous: Int, smoothing k: Double = 0) -> [Double] {
        (0..<vocabularySize).map { probability(of: $0, after: previous, smoothing: k) }
    }
}

/// Inverse-CDF sampling, written out: lay the probabilities end to end on [0, 1) and return the
/// token whose stretch holds `uniform` (the same rule as the kernel's `sampleToken`).
func drawToken(_ probabilities: [Double], uniform: Double) -> Int {
    var cumulative = 0.0
    for (id, p) in probabilities.enumerated() where p > 0 {
        cumulative += p
        if uniform < cumulative { return id }
    }
    return probabilities.lastIndex { $0 > 0 }!
}

extension LanguageModelsLesson {
    func textAsIDs(_ setup: Setup) {
        let total = setup.train.count + setup.validation.count
        notebook.prose("""
            A language model answers one question, over and over: given the text so far, how \
            likely is each possible next token? The text is the kit's generated children's \
            stories, turned into token ids by a BPE tokenizer of \
            \(grouped(setup.vocabularySize)) tokens trained on it (lesson 01). The last 10% of \
            the ids are held out: no model in this lesson learns from them, so they show how \
            well a model does on text it has not seen.
            """)
        notebook.values([
            ("stories", "\(grouped(sizes.storyBytes)) bytes, seed 1" + (notebook.quick ? " (--quick: a third of the full run's text)" : "")),
            ("vocabulary", "V = \(grouped(setup.vocabularySize)) tokens"),
            ("tokens", "\(grouped(total)) (" + formatFixed(Double(sizes.storyBytes) / Double(total), decimals: 2) + " bytes per token)"),
            ("training part", "\(grouped(setup.train.count)) tokens"),
            ("held-out part", "\(grouped(setup.validation.count)) tokens"),
        ])
        let first = Array(setup.train.prefix(16))
        var table = Table(["position", "token", "id", "the model must predict"], alignments: [.right, .left, .right, .left])
        for (position, id) in first.enumerated().prefix(8) {
            table.append([String(position), tokenLabel(id, setup.tokenizer), String(id), tokenLabel(first[position + 1], setup.tokenizer)])
        }
        notebook.table(table)
        notebook.prose("""
            Every position is one question: the tokens up to it are the context, the next token \
            is the answer. A text of N tokens holds N − 1 such questions, and every model in \
            this lesson is trained and scored on exactly these.
            """)
    }

    func countingBigrams(_ setup: Setup, counts: BigramCounts) {
        notebook.prose("""
            The simplest model looks at one token of context: the one before. Count, for every \
            pair of token ids (i, j), how often j came right after i in the training text; then \
            the probability of j after i is its share of the row: count(i, j) / count(i, ·). \
            This is a bigram model, and building it is one pass over the text:
            """)
        notebook.code("""
            var counts = Array(repeating: Array(repeating: 0, count: V), count: V)
            for (current, next) in zip(ids, ids.dropFirst()) { counts[current][next] += 1 }
            // P(next | current) = counts[current][next] / Σ_j counts[current][j]
            """)
        let frequent = (0..<setup.vocabularySize).sorted { counts.rowTotals[$0] > counts.rowTotals[$1] || (counts.rowTotals[$0] == counts.rowTotals[$1] && $0 < $1) }
        let shown = Array(frequent.prefix(16))
        // ln P, so that rare pairs show too; pairs never seen (ln 0) sit at the bottom of the scale.
        var values: [Float] = []
        for i in shown { for j in shown { values.append(max(-8, Float(log(counts.probability(of: j, after: i))))) } }
        let labels = shown.map { tokenLabel($0, setup.tokenizer) }
        let nonzero = counts.counts.reduce(0) { $0 + $1.filter { $0 > 0 }.count }
        notebook.prose("""
            The table has V × V = \(grouped(setup.vocabularySize * setup.vocabularySize)) cells, \
            of which \(grouped(nonzero)) (\(formatFixed(100 * Double(nonzero) / Double(setup.vocabularySize * setup.vocabularySize), decimals: 1))%) \
            were ever seen. Here are the rows and columns of the 16 most frequent tokens: row \
            i, column j is ln P(j | i), darker where j often follows i, blank where it never \
            did (or less often than e⁻⁸, one time in 3,000).
            """)
        notebook.heatmap(Heatmap(Tensor(shape: [shown.count, shown.count], scalars: values), rowLabels: labels,
                                 columnLabels: Dictionary(uniqueKeysWithValues: [0, 4, 8, 12].map { ($0, labels[$0]) }), range: -8...0),
                         title: "ln P(next | current) for the 16 most frequent tokens")
        notebook.output("columns: " + labels.enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: "  "))
        notebook.prose("""
            Each row is one distribution over the next token. Blank cells are pairs the \
            stories never contain; the dark ones are their habits. The most likely followers \
            of the six most frequent tokens, with P(next | token):
            """)
        var table = Table(["after", "seen", "most likely next tokens"], alignments: [.left, .right, .left])
        for i in frequent.prefix(6) {
            let row = counts.probabilities(after: i)
            let best = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }.prefix(4)
            table.append([tokenLabel(i, setup.tokenizer), grouped(counts.rowTotals[i]),
                          best.map { "\(tokenLabel($0, setup.tokenizer)) " + formatFixed(row[$0], decimals: 2) }.joined(separator: "   ")])
        }
        notebook.table(table)
    }

    func samplingFromCounts(_ setup: Setup, counts: BigramCounts) {
        let length = 60
        var generator = SeededGenerator(seed: 1)
        var lessonIDs = setup.tokenizer.encode("Once")
        var kernelIDs = lessonIDs
        var kernelGenerator = SeededGenerator(seed: 1)
        for _ in 0..<length {
            lessonIDs.append(drawToken(counts.probabilities(after: lessonIDs.last!), uniform: generator.nextDouble()))
            let row = counts.probabilities(after: kernelIDs.last!).map { Float($0) }
            let total = row.reduce(0.0) { $0 + Double($1) }
            kernelIDs.append(sampleToken(probabilities: row, uniform: kernelGenerator.nextDouble() * total))
        }
        notebook.prose("""
            A model that gives probabilities can also write: start from a token, draw the next \
            one from its row, append it and repeat. Drawing is inverse-CDF sampling (lesson 05 \
            goes deeper): lay the row's probabilities end to end on the line from 0 to 1, draw \
            a uniform number from a seeded generator, and take the token whose stretch it \
            lands in:
            """)
        notebook.code("""
            func drawToken(_ probabilities: [Double], uniform: Double) -> Int {
                var cumulative = 0.0
                for (id, p) in probabilities.enumerated() where p > 0 {
                    cumulative += p
                    if uniform < cumulative { return id }
                }
                return probabilities.lastIndex { $0 > 0 }!
            }
            """)
        notebook.labelledTexts([("\(length) tokens drawn from the bigram counts after \"Once\" (seed 1)", oneLine(lessonIDs, setup.tokenizer))])
        notebook.prose("""
            Every two neighbouring tokens make sense together, because each pair was seen in \
            the stories; the sentence as a whole does not, because each token was chosen \
            looking at one token only. Better models look further back.
            """)
        let mismatches = zip(lessonIDs, kernelIDs).filter { $0 != $1 }.count
        notebook.check(mismatches == 0, "the lesson's draw picks the same \(length) tokens as the kernel's sampleToken(probabilities:uniform:)")
    }
}
