// Solution 01.2 (tokenization.pair-counts): one pass over the sequence, one dictionary update per pair.

import LabKernel

/// How many times each pair of adjacent tokens occurs in `tokens`.
///
/// A sequence of n tokens has n - 1 adjacent pairs: (t[0], t[1]), (t[1], t[2]), …, and every
/// one of them counts, including overlapping ones: [1, 1, 1] holds the pair (1, 1) twice. BPE
/// training merges the most frequent pair into a new token, so this count is where it starts.
///
/// - Parameter tokens: token ids, any length.
/// - Returns: each pair that occurs, with its count (pairs that never occur are absent);
///   `[:]` for fewer than two tokens.
///
///     countPairs([104, 105, 104, 105, 33])   // "hihi!": [(104, 105): 2, (105, 104): 1, (105, 33): 1]
///     countPairs([1, 1, 1])                  // [(1, 1): 2]
///     countPairs([7])                        // [:]
///
/// `TokenPair(first, second)` is the kernel's pair type (hashable, so it can be a dictionary
/// key); `counts[pair, default: 0] += 1` adds one.
public func countPairs(_ tokens: [Int]) -> [TokenPair: Int] {
    var counts: [TokenPair: Int] = [:]
    // n tokens have n - 1 neighbours; with fewer than two the loop does not run.
    for i in 0..<max(0, tokens.count - 1) {
        counts[TokenPair(tokens[i], tokens[i + 1]), default: 0] += 1
    }
    return counts
}
