// The lesson's language model: next-token counts of the stories, interpolated across context lengths.
//
// Sampling needs a model that gives a row of logits for the next token, and the row should mean
// something: peaked where the text is predictable, flat where it is not. The lesson starts from
// the oldest language model there is (Shannon's n-grams), made on the spot in a second: how often
// each token followed each context of the last 1, 2 or 3 tokens in the stories. Sampling only
// ever sees the logits row, so everything the lesson does with it works unchanged on a
// transformer's row: the strategies cell runs the same settings on the kit's own trained model
// (models/lab-stories-4m) and the last cell runs the same loop on a random transformer.
//
// Probabilities mix the context lengths (interpolation with Witten–Bell weights): start from
// uniform, then for each context length from 0 to 3 tokens that was seen in training, move
// toward its counts by λ = n / (n + d), where n is how often the context occurred and d how many
// different tokens followed it. A context seen often with few followers is trusted; a rare or
// varied one leans on the shorter contexts. Every token keeps a probability above 0, so the
// logits ln p are finite and the filters have a long tail to cut.
//
// Left out: smoothing refinements (Kneser–Ney), pruning, and anything beyond 3 tokens of context.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Next-token counts after contexts of 0 to `order - 1` tokens, and logits from them.
struct NGramModel {
    /// V: ids are 0..<V.
    let vocabularySize: Int
    /// The longest context is order − 1 tokens.
    let order: Int

    /// What followed one context: the next ids and their counts.
    struct Followers {
        var counts: [Int: Int] = [:]
        var total = 0
    }

    /// followers[n][key(context of n tokens)].
    private var followers: [[Int: Followers]]

    /// Counts every context of 0…order−1 tokens in `ids` (V = `vocabularySize`).
    init(ids: [Int], vocabularySize: Int, order: Int = 4) {
        precondition(order >= 1 && order <= 4, "NGramModel: order must be in 1...4, got \(order)")
        self.vocabularySize = vocabularySize
        self.order = order
        followers = Array(repeating: [:], count: order)
        for position in ids.indices {
            let next = ids[position]
            for n in 0..<order where position >= n {
                let key = NGramModel.key(ids[(position - n)..<position], vocabularySize: vocabularySize)
                followers[n][key, default: Followers()].counts[next, default: 0] += 1
                followers[n][key]!.total += 1
            }
        }
    }

    /// One integer per context: its ids as digits in base V (the context length is kept apart by `n`).
    private static func key(_ context: ArraySlice<Int>, vocabularySize: Int) -> Int {
        context.reduce(0) { $0 * vocabularySize + $1 }
    }

    /// The next-token probabilities (V) after `context` (only its last order − 1 ids matter).
    func probabilities(after context: [Int]) -> [Double] {
        var p = [Double](repeating: 1 / Double(vocabularySize), count: vocabularySize)
        for n in 0..<order where context.count >= n {
            let key = NGramModel.key(context[(context.count - n)...], vocabularySize: vocabularySize)
            guard let seen = followers[n][key] else { break }   // a longer context is unseen too
            let total = Double(seen.total)
            let lambda = total / (total + Double(seen.counts.count))
            for j in p.indices { p[j] *= 1 - lambda }
            for (id, count) in seen.counts { p[id] += lambda * Double(count) / total }
        }
        return p
    }

    /// The logits (V) after `context`: ln p, what a transformer's last row would hold (up to a constant).
    func logits(after context: [Int]) -> [Float] {
        probabilities(after: context).map { Float(log($0)) }
    }

    /// Average negative log-likelihood per token (nats) of `ids`, each predicted from the ones before.
    func loss(on ids: [Int]) -> Double {
        var total = 0.0
        for position in 1..<ids.count {
            let context = Array(ids[max(0, position - order + 1)..<position])
            total -= log(probabilities(after: context)[ids[position]])
        }
        return total / Double(ids.count - 1)
    }
}
