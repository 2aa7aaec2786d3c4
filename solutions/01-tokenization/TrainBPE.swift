// Solution 01.4 (tokenization.train-bpe): count, pick the best pair (ties to the greater bytes), merge, repeat.

import LabKernel

/// The merges that byte-level BPE learns from `text` for a vocabulary of `vocabularySize` tokens.
///
/// The vocabulary starts with the 256 single bytes (token id = byte value); merge r creates
/// token 256 + r, whose bytes are its two tokens' bytes one after the other. The algorithm:
///
/// 1. Cut `text` into pieces with `PreTokenizer(.gpt2).pieces(of: text)` and count how often
///    each distinct piece occurs. Pairs are only ever counted inside a piece.
/// 2. Write every distinct piece as its UTF-8 bytes, as token ids 0…255.
/// 3. Repeat `vocabularySize - 256` times: count all adjacent pairs over all pieces (a piece
///    that occurs 5 times adds 5 for each of its pairs), take the most frequent pair, record it
///    as the next merge, and replace it in every piece by the new token (left to right, as in
///    the MergePair exercise). Stop early when no piece has two tokens left.
///
/// Ties: when several pairs are equally frequent, merge the pair whose bytes compare greater.
/// Compare the first tokens' bytes (`[UInt8]`, e.g. with `lexicographicallyPrecedes`) and, when
/// they are equal, the second tokens' bytes. So keep each token's bytes: `vocabulary[id]`.
/// Without this rule two correct trainers can learn different merges; with it, yours learns
/// exactly the kernel's (and Stanford CS336's reference).
///
/// - Parameters:
///   - text: the training text (no special tokens).
///   - vocabularySize: V, at least 256.
/// - Returns: the merges in the order learned: at most V - 256 of them.
///
///     trainBPE("aaa aaa", vocabularySize: 258)
///     // pieces "aaa" and " aaa": (a, a) occurs 4 times, so merge 0 = (97, 97) makes 256 = "aa";
///     // now (256, 97) occurs twice and (32, 256) once: merge 1 = (256, 97)
///     // [TokenPair(97, 97), TokenPair(256, 97)]
///     trainBPE("ab cd", vocabularySize: 259)
///     // (a, b), (" ", c) and (c, d) occur once each; "c" is the greatest first token
///     // [TokenPair(99, 100), TokenPair(97, 98), TokenPair(32, 256)]
public func trainBPE(_ text: String, vocabularySize: Int) -> [TokenPair] {
    precondition(vocabularySize >= 256, "trainBPE: the vocabulary needs at least the 256 bytes, got \(vocabularySize)")
    // 1. Distinct pieces with their counts.
    var pieceCounts: [String: Int] = [:]
    for piece in PreTokenizer(.gpt2).pieces(of: text) { pieceCounts[piece, default: 0] += 1 }
    // 2. Each piece as byte ids.
    var words = pieceCounts.map { (tokens: $0.key.utf8.map { Int($0) }, count: $0.value) }
    var vocabulary: [[UInt8]] = (0..<256).map { [UInt8($0)] }
    var merges: [TokenPair] = []

    // Whether pair a beats pair b on a tie: the greater first bytes, then the greater second bytes.
    func greater(_ a: TokenPair, _ b: TokenPair) -> Bool {
        if vocabulary[a.first] != vocabulary[b.first] {
            return vocabulary[b.first].lexicographicallyPrecedes(vocabulary[a.first])
        }
        return vocabulary[b.second].lexicographicallyPrecedes(vocabulary[a.second])
    }

    // 3. Merge the most frequent pair, again and again.
    while merges.count < vocabularySize - 256 {
        var counts: [TokenPair: Int] = [:]
        for word in words where word.tokens.count >= 2 {
            for i in 0..<(word.tokens.count - 1) {
                counts[TokenPair(word.tokens[i], word.tokens[i + 1]), default: 0] += word.count
            }
        }
        var best: (pair: TokenPair, count: Int)?
        for (pair, count) in counts {
            if let current = best, count < current.count || (count == current.count && !greater(pair, current.pair)) { continue }
            best = (pair, count)
        }
        guard let pair = best?.pair else { break }  // no piece has two tokens left

        let newToken = vocabulary.count
        vocabulary.append(vocabulary[pair.first] + vocabulary[pair.second])
        merges.append(pair)
        for w in words.indices {
            var merged: [Int] = []
            var i = 0
            let tokens = words[w].tokens
            while i < tokens.count {
                if i + 1 < tokens.count && tokens[i] == pair.first && tokens[i + 1] == pair.second {
                    merged.append(newToken)
                    i += 2
                } else {
                    merged.append(tokens[i])
                    i += 1
                }
            }
            words[w].tokens = merged
        }
    }
    return merges
}
