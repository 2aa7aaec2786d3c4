// Exercise 02.1 (language-models.bigram-probabilities): the simplest language model, a table of
// next-token probabilities made by counting. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter BigramProbabilitiesTests

import LabExercise

/// The bigram model of `ids`: for every token a, the probability of each token b coming next.
///
/// Count how often each token follows each other token: every adjacent pair ids[i] → ids[i + 1]
/// adds 1 to cell [ids[i]][ids[i + 1]] of a V × V table (row = the current token, column = the
/// next one). Dividing each row by its total turns counts into probabilities: P(b | a) =
/// count(a → b) / count(a → anything).
///
/// A pair that never occurred in the text would get probability 0, and a model that calls the
/// right answer impossible has an infinite loss. Add-k (Laplace) smoothing fixes that: add `k` to
/// every cell before normalizing, so P(b | a) = (count(a → b) + k) / (n_a + k·V), where n_a is
/// the number of pairs that start with a. k = 1 is Laplace's rule; a large k pulls every row
/// toward uniform (1/V). A row with nothing to divide by (token a never followed by anything,
/// and k = 0) has no information at all: make it uniform, 1/V everywhere.
///
/// - Parameters:
///   - ids: the training text as token ids, each in 0..<V. Fewer than two ids have no pairs.
///   - vocabularySize: V ≥ 1, the number of distinct tokens (the table is V × V).
///   - smoothing: k ≥ 0, added to every count.
/// - Returns: V rows of V probabilities; row a is P(· | a) and sums to 1.
///
///     // ids 0 1 1 2 0 1: the pairs 0→1, 1→1, 1→2, 2→0, 0→1
///     bigramProbabilities(ids: [0, 1, 1, 2, 0, 1], vocabularySize: 3, smoothing: 0)
///     // [[0,   1,    0  ],      counts [0, 2, 0]: 0 was always followed by 1
///     //  [0,   0.5,  0.5],      counts [0, 1, 1]
///     //  [1,   0,    0  ]]      counts [1, 0, 0]
///     bigramProbabilities(ids: [0, 1, 1, 2, 0, 1], vocabularySize: 3, smoothing: 1)
///     // [[0.2, 0.6,  0.2 ],     (counts + 1) / (2 + 3) = [1, 3, 1] / 5
///     //  [0.2, 0.4,  0.4 ],     [1, 2, 2] / 5
///     //  [0.5, 0.25, 0.25]]     [2, 1, 1] / 4
///     bigramProbabilities(ids: [0, 1], vocabularySize: 3, smoothing: 0)
///     // [[0, 1, 0], [1/3, 1/3, 1/3], [1/3, 1/3, 1/3]]: 1 and 2 are never followed by anything
public func bigramProbabilities(ids: [Int], vocabularySize: Int, smoothing: Double) -> [[Double]] {
    // TODO: count the pairs into a V × V table, add the smoothing, divide each row by its total.
    return todo([])
}
