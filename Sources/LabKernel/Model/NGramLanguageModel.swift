// An n-gram language model: next-token counts after the last 0 … n − 1 tokens, interpolated.
//
// The oldest language model there is (Shannon's), and the baseline a neural model has to beat:
// how often each token followed each context of the last 1, 2 or 3 tokens in the training text.
// Probabilities mix the context lengths with Witten–Bell weights: start from uniform, then for
// each context length from 0 up that was seen in training, move toward its counts by
// λ = n / (n + d), where n is how often the context occurred and d how many different tokens
// followed it. A context seen often with few followers is trusted; a rare or varied one leans on
// the shorter contexts. Every token keeps a probability above 0, so the loss is always finite.
// (Lesson 05 builds the same model step by step in its own StoryModel.swift.)
//
// Left out: Kneser–Ney smoothing, pruning, and contexts longer than 3 tokens.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Interpolated next-token counts after contexts of 0 to `order` − 1 tokens.
public struct NGramLanguageModel: Sendable {
    /// V: ids are 0..<V.
    public let vocabularySize: Int
    /// The longest context is order − 1 tokens.
    public let order: Int

    /// What followed one context: the next ids with their counts, and the total.
    struct Followers: Sendable {
        var counts: [Int: Int] = [:]
        var total = 0
    }

    /// followers[n][key of a context of n tokens].
    private var followers: [[Int: Followers]]

    /// The largest vocabulary the counts' keys hold (four 15-bit ids in one Int).
    public static let maximumVocabularySize = (1 << 15) - 1

    /// Counts every context of 0 … order − 1 tokens in `ids`.
    public init(ids: [Int], vocabularySize: Int, order: Int = 4) {
        precondition(order >= 1 && order <= 4, "NGramLanguageModel: order must be in 1...4, got \(order)")
        precondition(vocabularySize > 0 && vocabularySize <= Self.maximumVocabularySize,
                     "NGramLanguageModel: the vocabulary must have 1 to \(Self.maximumVocabularySize) tokens")
        self.vocabularySize = vocabularySize
        self.order = order
        followers = Array(repeating: [:], count: order)
        for position in ids.indices {
            let next = ids[position]
            precondition(next >= 0 && next < vocabularySize, "NGramLanguageModel: id \(next) at position \(position) is outside 0..<\(vocabularySize)")
            for n in 0..<order where position >= n {
                let key = Self.key(ids[(position - n)..<position], vocabularySize: vocabularySize)
                followers[n][key, default: Followers()].counts[next, default: 0] += 1
                followers[n][key]!.total += 1
            }
        }
    }

    /// One integer per context: its ids as digits in base V (contexts of different lengths are kept apart by n).
    private static func key(_ context: ArraySlice<Int>, vocabularySize: Int) -> Int {
        context.reduce(0) { $0 * vocabularySize + $1 }
    }

    /// p(`next` | `context`); only the last order − 1 ids of the context matter.
    public func probability(of next: Int, after context: ArraySlice<Int>) -> Double {
        var p = 1 / Double(vocabularySize)
        for n in 0..<order where context.count >= n {
            let key = Self.key(context[(context.endIndex - n)...], vocabularySize: vocabularySize)
            guard let seen = followers[n][key] else { break }  // a longer context is unseen too
            let total = Double(seen.total)
            let lambda = total / (total + Double(seen.counts.count))
            p = (1 - lambda) * p + lambda * Double(seen.counts[next] ?? 0) / total
        }
        return p
    }

    /// The next-token distribution (V) after `context`.
    public func probabilities(after context: ArraySlice<Int>) -> [Double] {
        (0..<vocabularySize).map { probability(of: $0, after: context) }
    }

    /// The mean cross-entropy (nats per token) of the ids at `positions` of `ids`, each predicted
    /// from the order − 1 ids before it.
    public func crossEntropy(on ids: [Int], positions: some Sequence<Int>) -> Double {
        var total = 0.0, count = 0
        for position in positions {
            total -= log(probability(of: ids[position], after: ids[max(0, position - order + 1)..<position]))
            count += 1
        }
        return total / Double(count)
    }
}
