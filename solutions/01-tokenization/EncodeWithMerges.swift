// Solution 01.5 (tokenization.encode-with-merges): merge each piece by rank, lowest first, until no merge applies.

import LabKernel

/// The token ids of `text` for a byte-level BPE tokenizer given by its merges.
///
/// The tokenizer's vocabulary is the 256 bytes (id = byte value), then one token per merge:
/// `merges[r]` fuses its two tokens into token 256 + r. Encoding:
///
/// 1. Cut `text` into pieces with `PreTokenizer(.gpt2).pieces(of: text)`; each piece is
///    encoded on its own and the ids are concatenated.
/// 2. Start a piece as its UTF-8 bytes.
/// 3. Among its adjacent pairs that have a merge, find the one whose merge comes first in
///    `merges` (the lowest r), and replace every occurrence of that pair by 256 + r. Repeat
///    until no adjacent pair has a merge.
///
/// The order is the order of training, not the frequency in this text: a merge learned later
/// was learned on top of the earlier ones, so replaying them in order rebuilds the tokens that
/// training made. A dictionary from pair to r makes the lookup quick.
///
/// - Parameters:
///   - text: any text.
///   - merges: the merges in the order learned (`merges[r]` makes token 256 + r).
/// - Returns: the ids, piece after piece; `[]` for `""`.
///
///     let merges = [TokenPair(104, 105), TokenPair(32, 256)]   // "h"+"i" -> 256 "hi", " "+"hi" -> 257 " hi"
///     encode("hi hi!", merges: merges)                       // [256, 257, 33]
///     encode("abc", merges: [TokenPair(98, 99), TokenPair(97, 98)])
///     // [97, 256]: (b, c) is merged first, so (a, b) never occurs
public func encode(_ text: String, merges: [TokenPair]) -> [Int] {
    // The rank of each merge: its position in the list.
    var rank: [TokenPair: Int] = [:]
    for (r, pair) in merges.enumerated() where rank[pair] == nil { rank[pair] = r }

    var ids: [Int] = []
    for piece in PreTokenizer(.gpt2).pieces(of: text) {
        var tokens = piece.utf8.map { Int($0) }
        while tokens.count >= 2 {
            // The adjacent pair with the earliest merge, if any has one.
            var best: (pair: TokenPair, rank: Int)?
            for i in 0..<(tokens.count - 1) {
                let pair = TokenPair(tokens[i], tokens[i + 1])
                if let r = rank[pair], r < best?.rank ?? Int.max { best = (pair, r) }
            }
            guard let best else { break }
            var merged: [Int] = []
            var i = 0
            while i < tokens.count {
                if i + 1 < tokens.count && tokens[i] == best.pair.first && tokens[i + 1] == best.pair.second {
                    merged.append(256 + best.rank)
                    i += 2
                } else {
                    merged.append(tokens[i])
                    i += 1
                }
            }
            tokens = merged
        }
        ids += tokens
    }
    return ids
}
