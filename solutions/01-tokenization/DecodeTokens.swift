// Solution 01.6 (tokenization.decode-tokens): decode bytes once; when streaming, hold back an
// unfinished character at the end.

/// The text of `ids`: their bytes concatenated, read as UTF-8.
///
/// A token is a string of bytes, and a character may be split over several tokens ("🙂" is 4
/// bytes, and a small vocabulary may give it 4 tokens). So decode the bytes of all the tokens
/// together, never token by token. Any sequence of ids is allowed (a model can generate
/// anything), so the bytes may not be valid UTF-8: each malformed part becomes U+FFFD "�",
/// which is what `String(decoding: bytes, as: UTF8.self)` does.
///
/// - Parameters:
///   - ids: token ids, each an index into `vocabulary`.
///   - vocabulary: the bytes of every token, by id.
/// - Returns: the decoded text.
///
///     let vocabulary = (0..<256).map { [UInt8($0)] } + [[0xF0, 0x9F], [0x99, 0x82]]   // ids 256, 257
///     decode([72, 105, 256, 257], vocabulary: vocabulary)   // "Hi🙂"
///     decode([72, 256], vocabulary: vocabulary)             // "H�": half an emoji
public func decode(_ ids: [Int], vocabulary: [[UInt8]]) -> String {
    var bytes: [UInt8] = []
    for id in ids { bytes += vocabulary[id] }
    // One decode of all the bytes: a character split over tokens comes back whole.
    return String(decoding: bytes, as: UTF8.self)
}

/// The text to show after each token when `ids` arrive one at a time, as in a chat program.
///
/// After each token, return the text it completes, and hold back bytes that begin a character
/// whose other bytes have not arrived yet (the answer for that token is then `""`). Concatenated,
/// the pieces must equal `decode(ids, vocabulary:)` exactly. After the last id, whatever is still
/// held back (an unfinished character) is appended to the last piece, where it decodes to "�".
///
/// How to tell that bytes at the end are an unfinished character: a UTF-8 character starts with
/// a lead byte that announces its length (C2…DF: 2 bytes, E0…EF: 3, F0…F4: 4), followed by
/// continuation bytes 80…BF (10xxxxxx). If one of the last three bytes is a lead byte, only
/// continuation bytes follow it, and fewer than its length needs, hold back from that lead
/// byte on: the next token may complete the character.
///
/// - Parameters:
///   - ids: token ids in the order they arrive; each an index into `vocabulary`.
///   - vocabulary: the bytes of every token, by id.
/// - Returns: one string per id (so `ids.count` strings), possibly empty.
///
///     // with the vocabulary above
///     decodeStreaming([72, 256, 257, 105], vocabulary: vocabulary)   // ["H", "", "🙂", "i"]
///     decodeStreaming([72, 256], vocabulary: vocabulary)             // ["H", "�"]
///
/// (A complete decoder also checks the allowed range of the second byte, e.g. E0 must be
/// followed by A0…BF. The tests compare your pieces with such a decoder only on valid text cut
/// into tokens, where the two rules agree.)
public func decodeStreaming(_ ids: [Int], vocabulary: [[UInt8]]) -> [String] {
    var pieces: [String] = []
    var pending: [UInt8] = []
    for id in ids {
        pending += vocabulary[id]
        let cut = startOfUnfinishedCharacter(pending)
        pieces.append(String(decoding: pending[..<cut], as: UTF8.self))
        pending.removeSubrange(..<cut)
    }
    // The stream is over: an unfinished character can no longer be completed.
    if !pending.isEmpty && !pieces.isEmpty {
        pieces[pieces.count - 1] += String(decoding: pending, as: UTF8.self)
    }
    return pieces
}

/// Where a trailing unfinished character starts in `bytes`, or `bytes.count` when there is none.
private func startOfUnfinishedCharacter(_ bytes: [UInt8]) -> Int {
    for start in max(0, bytes.count - 3)..<bytes.count {
        let length: Int
        switch bytes[start] {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: continue
        }
        let following = bytes[(start + 1)...]
        if following.count < length - 1 && following.allSatisfy({ (0x80...0xBF).contains($0) }) {
            return start
        }
    }
    return bytes.count
}
