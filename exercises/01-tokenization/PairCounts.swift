// Exercise 01.2 (tokenization.pair-counts): count the adjacent pairs of a token sequence, the
// statistic that byte-pair encoding is built on. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter PairCountsTests

import LabKernel
import LabExercise

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
    // TODO: walk the sequence once and count each (tokens[i], tokens[i + 1]).
    return todo([:])
}
