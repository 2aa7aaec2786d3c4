// Exercise 01.5 (tokenization.encode-with-merges): encode text with a learned list of merges, the
// way GPT-2's encoder does. Run the tests with
//     LAB_EXERCISES=1 swift test --scratch-path .build/exercises --filter EncodeWithMergesTests

import LabKernel
import LabExercise

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
///
/// Do not use `BPETokenizer`'s `encode`: the tests compare your ids with it.
public func encode(_ text: String, merges: [TokenPair]) -> [Int] {
    // TODO: pre-tokenize, then merge each piece's bytes by rank until no merge applies.
    return todo([])
}
