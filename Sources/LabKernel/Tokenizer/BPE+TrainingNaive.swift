// BPE+TrainingNaive: BPE training the obvious way, as the reference for the fast trainer.
//
// After every merge, count every adjacent pair in every distinct word again, take the best one
// (most frequent, ties to the lexicographically greater pair of byte strings) and rewrite all
// words. This is what lesson 01 builds first; it is correct and easy to check by eye, but each
// merge costs a pass over all words, so it is only for small texts. The tests require that
// `train` and `trainNaive` learn identical merges. Left out: progress reporting.

extension BPETokenizer {
    /// Trains exactly like `train(text:vocabularySize:specialTokens:preTokenizer:progress:)`,
    /// recounting all pairs after every merge (slow; for teaching and testing).
    public static func trainNaive(text: String, vocabularySize: Int, specialTokens: [String] = [],
                                  preTokenizer: PreTokenizer = PreTokenizer(.gpt2)) throws -> BPETokenizer {
        try checkTrainingRequest(vocabularySize: vocabularySize, specialTokens: specialTokens)
        var counts = PreTokenCounts(preTokenizer: preTokenizer, specialTokens: specialTokens)
        counts.add(text)
        var tokens: [[UInt8]] = (0..<256).map { [UInt8($0)] }
        var words = counts.counts.map { (symbols: $0.key.map(Int.init), count: $0.value) }
        var merges: [TokenPair] = []

        while merges.count < vocabularySize - 256 - specialTokens.count {
            var pairCounts: [TokenPair: Int] = [:]
            for word in words where word.symbols.count > 1 {
                for k in 0..<(word.symbols.count - 1) {
                    pairCounts[TokenPair(word.symbols[k], word.symbols[k + 1]), default: 0] += word.count
                }
            }
            // The best pair: highest count, then greatest (first bytes, second bytes).
            let best = pairCounts.max { a, b in
                if a.value != b.value { return a.value < b.value }
                let (a1, b1) = (tokens[a.key.first], tokens[b.key.first])
                if a1 != b1 { return a1.lexicographicallyPrecedes(b1) }
                return tokens[a.key.second].lexicographicallyPrecedes(tokens[b.key.second])
            }
            guard let pair = best?.key else { break }
            let merged = tokens.count
            tokens.append(tokens[pair.first] + tokens[pair.second])
            merges.append(pair)
            for w in words.indices {
                var new: [Int] = []
                var k = 0
                let old = words[w].symbols
                while k < old.count {
                    if k + 1 < old.count && old[k] == pair.first && old[k + 1] == pair.second {
                        new.append(merged)
                        k += 2
                    } else {
                        new.append(old[k])
                        k += 1
                    }
                }
                words[w].symbols = new
            }
        }
        return try assembleTrainedTokenizer(tokens: tokens, merges: merges, specialTokens: specialTokens,
                                            preTokenizer: preTokenizer)
    }
}
