// Solution 01.3 (tokenization.merge-pair): a left-to-right scan that skips both tokens of each match.

import LabKernel

/// `tokens` with every occurrence of `pair` replaced by `newToken`.
///
/// Scan from left to right. Where `tokens[i]` and `tokens[i + 1]` are the pair's first and
/// second token, write `newToken` and continue after both; otherwise copy `tokens[i]` and move
/// on by one. Occurrences cannot overlap: the leftmost wins, so [a, a, a] with the pair (a, a)
/// becomes [aa, a], never [a, aa]. This is exactly what GPT-2 does, and what the kernel's
/// tokenizer does, so your merges must produce the same ids as theirs.
///
/// - Parameters:
///   - tokens: token ids, any length.
///   - pair: the two adjacent ids to merge.
///   - newToken: the id of the merged token.
/// - Returns: the shorter sequence (or the same one, when the pair does not occur).
///
///     merge([104, 105, 104, 105, 33], pair: TokenPair(104, 105), newToken: 256)   // [256, 256, 33]
///     merge([1, 1, 1], pair: TokenPair(1, 1), newToken: 9)                        // [9, 1]
///     merge([1, 2, 3], pair: TokenPair(2, 1), newToken: 9)                        // [1, 2, 3]
public func merge(_ tokens: [Int], pair: TokenPair, newToken: Int) -> [Int] {
    var result: [Int] = []
    result.reserveCapacity(tokens.count)
    var i = 0
    while i < tokens.count {
        if i + 1 < tokens.count && tokens[i] == pair.first && tokens[i + 1] == pair.second {
            result.append(newToken)
            i += 2  // both halves are used up, so occurrences never overlap
        } else {
            result.append(tokens[i])
            i += 1
        }
    }
    return result
}
