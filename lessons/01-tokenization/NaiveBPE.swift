// NaiveBPE: byte-pair encoding written the obvious way, as the lesson builds it.
//
// Training recounts every pair of adjacent tokens after every merge; encoding searches each
// piece for the earliest-learned merge again and again. Both are easy to follow and easy to
// check, and both are slow. The kernel's `BPETokenizer.train` and `encode` (Sources/LabKernel/
// Tokenizer) learn and produce exactly the same ids, only faster; the lesson checks that and
// measures the difference. Left out: special tokens (the lesson's trainer takes documents that
// have already been cut apart at them) and decoding (concatenating bytes needs no naive twin).

import LabKernel

/// Byte-pair encoding trained from scratch, one merge at a time.
///
///     var trainer = NaiveBPETrainer(documents: ["the cat sat on the mat"])
///     while let merge = trainer.mergeMostFrequentPair() { print(merge) }
struct NaiveBPETrainer {
    /// The bytes of every token, by id: ids 0…255 are the single bytes, then one per merge.
    private(set) var vocabulary: [[UInt8]] = (0..<256).map { [UInt8($0)] }
    /// The merges learned so far, in order: merge r created token 256 + r.
    private(set) var merges: [TokenPair] = []
    /// Every distinct piece of the text, as its current token ids, with how often it occurs.
    private(set) var words: [(tokens: [Int], count: Int)]

    /// Cuts each document into pieces (words with their leading space, numbers, punctuation, runs
    /// of whitespace; the pre-tokenizer cell shows exactly how) and counts the distinct pieces.
    /// Counting each distinct piece once, with its multiplicity, gives the same pair counts as
    /// walking the whole text, and is much less work.
    init(documents: [String]) {
        var counts: [String: Int] = [:]
        for document in documents {
            for piece in PreTokenizer(.gpt2).pieces(of: document) { counts[piece, default: 0] += 1 }
        }
        // Sorted, so the order of `words` does not depend on Dictionary's random seed.
        words = counts.sorted { $0.key < $1.key }.map { (tokens: $0.key.utf8.map { Int($0) }, count: $0.value) }
    }

    /// How many times each pair of adjacent tokens occurs, over all pieces.
    func pairCounts() -> [TokenPair: Int] {
        var counts: [TokenPair: Int] = [:]
        for word in words where word.tokens.count >= 2 {
            for k in 0..<(word.tokens.count - 1) {
                counts[TokenPair(word.tokens[k], word.tokens[k + 1]), default: 0] += word.count
            }
        }
        return counts
    }

    /// Whether pair `a` should be merged before pair `b` when both occur `count` times: the
    /// greater byte strings win (first tokens compared, then second tokens), the rule of
    /// Stanford CS336's reference trainer, so every implementation learns the same merges.
    func winsTie(_ a: TokenPair, over b: TokenPair) -> Bool {
        let (a1, b1) = (vocabulary[a.first], vocabulary[b.first])
        if a1 != b1 { return b1.lexicographicallyPrecedes(a1) }
        return vocabulary[b.second].lexicographicallyPrecedes(vocabulary[a.second])
    }

    /// Counts all pairs again, merges the most frequent one everywhere, and returns it with its
    /// count and the new token's id; nil when no piece has two tokens left.
    mutating func mergeMostFrequentPair() -> (pair: TokenPair, count: Int, newToken: Int)? {
        let counts = pairCounts()
        guard let (pair, count) = counts.max(by: { a, b in
            a.value != b.value ? a.value < b.value : winsTie(b.key, over: a.key)
        }) else { return nil }
        let newToken = vocabulary.count
        vocabulary.append(vocabulary[pair.first] + vocabulary[pair.second])
        merges.append(pair)
        for w in words.indices {
            words[w].tokens = replacing(pair, with: newToken, in: words[w].tokens)
        }
        return (pair, count, newToken)
    }
}

/// `tokens` with every occurrence of `pair` replaced by `newToken`, left to right:
/// [a, a, a] with (a, a) becomes [aa, a].
func replacing(_ pair: TokenPair, with newToken: Int, in tokens: [Int]) -> [Int] {
    var result: [Int] = []
    var k = 0
    while k < tokens.count {
        if k + 1 < tokens.count && tokens[k] == pair.first && tokens[k + 1] == pair.second {
            result.append(newToken)
            k += 2
        } else {
            result.append(tokens[k])
            k += 1
        }
    }
    return result
}

/// Encodes `text` with a list of merges (merge r makes token 256 + r), piece by piece: each
/// piece starts as its bytes, then the adjacent pair whose merge was learned earliest is merged,
/// again and again, until no adjacent pair has a merge.
func naiveEncode(_ text: String, merges: [TokenPair]) -> [Int] {
    var rank: [TokenPair: Int] = [:]
    for (r, pair) in merges.enumerated() { rank[pair] = r }
    var ids: [Int] = []
    for piece in PreTokenizer(.gpt2).pieces(of: text) {
        ids += naiveEncodePiece(piece, rank: rank)
    }
    return ids
}

/// One piece: its bytes, merged by rank; `afterEachMerge` sees the ids after every merge.
func naiveEncodePiece(_ piece: String, rank: [TokenPair: Int], afterEachMerge: (([Int]) -> Void)? = nil) -> [Int] {
    var tokens = piece.utf8.map { Int($0) }
    while tokens.count >= 2 {
        // The adjacent pair learned earliest (the lowest rank), if any pair has a merge at all.
        var best: (pair: TokenPair, rank: Int)?
        for k in 0..<(tokens.count - 1) {
            let pair = TokenPair(tokens[k], tokens[k + 1])
            if let r = rank[pair], r < best?.rank ?? Int.max { best = (pair, r) }
        }
        guard let best else { break }
        tokens = replacing(best.pair, with: 256 + best.rank, in: tokens)
        afterEachMerge?(tokens)
    }
    return tokens
}
