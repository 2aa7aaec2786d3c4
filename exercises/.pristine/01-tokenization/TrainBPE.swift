// Exercise 01.4 (tokenization.train-bpe): train a byte-pair-encoding tokenizer from scratch,
// merge for merge the same as the kernel's `BPETokenizer.train`. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter TrainBPETests

import LabKernel
import LabExercise

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
///
/// Recounting every pair after every merge is fine here (the lesson's `NaiveBPETrainer` does);
/// do not call `BPETokenizer.train` or `trainNaive`: they are what the tests compare you with.
public func trainBPE(_ text: String, vocabularySize: Int) -> [TokenPair] {
    // TODO: count the pieces, start from bytes, then merge the best pair vocabularySize - 256 times.
    return todo([])
}
